"""Relations and reporting queries as a demanding Django user writes them: keys to UUID and
text primary keys, two keys to one model, a tree, automatic and explicit many-to-many, and
counts and aggregates over them. Each answer is checked against the database's own answer
to the hand-written SQL, or against Django's documented meaning."""

from __future__ import annotations

import decimal
import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, SchemaError

from .conftest import opened, own_tables


class XOrg(orm.Model):
    code = orm.CharField(max_length=10, pk=True)
    name = orm.CharField(max_length=50)

    class Meta:
        table = "ormt_x3_org"


class XPerson(orm.Model):
    id = orm.UUIDField(pk=True, default=uuid.uuid4)
    name = orm.CharField(max_length=50)
    age = orm.IntField(null=True)
    org = orm.ForeignKeyField(XOrg, related_name="people", null=True, on_delete="set null")

    class Meta:
        table = "ormt_x3_person"


class XLabel(orm.Model):
    id: int = orm.Field(primary_key=True)
    text = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_x3_label"


class XDoc(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=50)
    pages = orm.IntField(default=0)
    price = orm.DecimalField(max_digits=8, decimal_places=2, null=True)
    writer = orm.ForeignKeyField(XPerson, related_name="written", on_delete="cascade")
    reviewer = orm.ForeignKeyField(
        XPerson, related_name="reviewed", null=True, on_delete="set null"
    )
    labels = orm.ManyToManyField(XLabel, related_name="docs")

    class Meta:
        table = "ormt_x3_doc"


class XNote(orm.Model):
    id: int = orm.Field(primary_key=True)
    body = orm.CharField(max_length=50)
    doc = orm.ForeignKeyField(XDoc, related_name="notes", on_delete="cascade")

    class Meta:
        table = "ormt_x3_note"


MODELS = (XOrg, XPerson, XLabel, XDoc, XNote)
LINK = "ormt_x3_doc_labels"


async def _data() -> dict[str, Any]:
    """Ann (30, acme) wrote d1 (10 pages, red green; reviewer Bob) and d2 (20, green); Bob
    (no age, acme) wrote d3 (5, red green blue; reviewer Ann); Cy (40, no org) wrote none.
    d1 has two notes, d2 one."""
    acme = await XOrg.create(code="acme", name="Acme")
    await XOrg.create(code="zed", name="Zed")
    ann = await XPerson.create(name="Ann", age=30, org=acme)
    bob = await XPerson.create(name="Bob", org=acme)
    cy = await XPerson.create(name="Cy", age=40)
    red, green, blue = [await XLabel.create(text=t) for t in ("red", "green", "blue")]
    d1 = await XDoc.create(title="d1", pages=10, price=decimal.Decimal("1.5"), writer=ann)
    await XDoc.filter(pk=d1.pk).update(reviewer=bob)
    d2 = await XDoc.create(title="d2", pages=20, writer=ann)
    d3 = await XDoc.create(title="d3", pages=5, writer=bob, reviewer=ann)
    await d1.labels.add(red, green)
    await d2.labels.add(green)
    await d3.labels.add(red, green, blue)
    for doc, n in ((d1, 2), (d2, 1)):
        for i in range(n):
            await XNote.create(body=f"{doc.title}-{i}", doc=doc)
    return {"ann": ann, "bob": bob, "cy": cy, "d1": d1, "d2": d2, "d3": d3}


async def _sql(db: Any, text: str) -> list[tuple[Any, ...]]:
    """The database's own answer, numbers as int (drivers differ in their numeric types)."""
    rows = await db.fetch_all(text)
    return [tuple(int(v) if isinstance(v, decimal.Decimal) else v for v in r) for r in rows]


async def test_count_of_values_across_a_to_many_relation_is_its_row_count(url: str) -> None:
    """values() naming a to-many relation gives a row per joined row (a LEFT JOIN, as
    Django); count() counted the base rows instead (3 where the query returns 6), also of a
    slice of them."""
    async with opened(url) as db, own_tables(*MODELS):
        await _data()
        joined = await _sql(
            db,
            f"SELECT d.title, l.text FROM ormt_x3_doc d LEFT JOIN {LINK} k ON k.xdoc_id = d.id "
            "LEFT JOIN ormt_x3_label l ON l.id = k.xlabel_id",
        )
        assert len(joined) == 6
        pairs = XDoc.values("title", "labels__text")
        assert len(await pairs) == await pairs.count() == 6
        keys = XDoc.values_list("labels", flat=True)
        assert len(await keys) == await keys.count() == 6
        written = XPerson.values("name", "written__title")  # Cy's row: None
        assert len(await written) == await written.count() == 4
        by_label = XDoc.values("title").order_by("labels__text", "title")
        assert len(await by_label) == await by_label.count() == 6
        assert await pairs[1:].count() == len(await pairs[1:]) == 5
        assert await pairs[:4].count() == len(await pairs[:4]) == 4
        unblue = pairs.exclude(labels__text="blue")  # d3 has a blue label: none of its rows
        assert len(await unblue) == await unblue.count() == 3


async def test_aggregate_of_values_across_a_to_many_relation_reads_its_rows(url: str) -> None:
    """aggregate() of values() rows repeated by a to-many join aggregated the base rows
    (Sum 35, Count 3) where count() counts the 6 rows: it is over those rows now (as in
    Django, whose aggregate keeps the values() joins), or a FieldError where it cannot be."""
    async with opened(url) as db, own_tables(*MODELS):
        await _data()
        ((pages, rows),) = await _sql(
            db,
            f"SELECT SUM(d.pages), COUNT(*) FROM ormt_x3_doc d LEFT JOIN {LINK} k "
            "ON k.xdoc_id = d.id LEFT JOIN ormt_x3_label l ON l.id = k.xlabel_id",
        )
        assert (pages, rows) == (55, 6)
        pairs = XDoc.values("pages", "labels__text")
        assert await pairs.aggregate(s=orm.Sum("pages"), n=orm.Count("pages")) == {
            "s": pages,
            "n": rows,
        }
        with pytest.raises(FieldError, match="selected fields"):
            await XDoc.values("labels__text").aggregate(n=orm.Count("id"))
        # without a to-many join the values() names change nothing
        assert await XDoc.values("writer__name").aggregate(s=orm.Sum("pages")) == {"s": 35}


async def test_in_a_queryset_of_other_rows_is_refused(url: str) -> None:
    """``writer__in=<QuerySet>`` whose rows cannot be writer keys: PostgreSQL refused the
    SQL (uuid = character varying), SQLite and MariaDB answered 0 rows; a QuerySet of
    another model's rows compared its keys with the writers' (Django: "Cannot use QuerySet
    for ..."), and two values() columns compared the primary key (Django: "Cannot use
    multi-field values as a filter value"). Each is a FieldError naming the field now."""
    async with opened(url), own_tables(*MODELS):
        await _data()
        named = XPerson.filter(age__gte=30).values("name")
        with pytest.raises(FieldError, match=r"writer__in: writer_id \(uuid\).*XPerson.*name"):
            await XDoc.filter(writer__in=named).count()
        with pytest.raises(FieldError, match=r"writer__in.*XPerson.*name"):
            await XDoc.filter(writer__in=orm.Subquery(named)).count()
        with pytest.raises(FieldError, match=r"writer__in.*XLabel QuerySet.*XPerson keys"):
            await XDoc.exclude(writer__in=XLabel.all()).count()
        with pytest.raises(FieldError, match=r"labels__in.*XDoc QuerySet.*XLabel keys"):
            await XDoc.filter(labels__in=XDoc.all()).count()
        with pytest.raises(FieldError, match=r"pk__in.*2 values"):
            await XDoc.filter(pk__in=XNote.values("doc_id", "body")).count()
        with pytest.raises(FieldError, match=r"pages__in.*body"):
            await XDoc.filter(pages__in=XNote.values("body")).count()
        # what matches: the keys, or rows of the model the key holds keys of
        keys = XPerson.filter(age__gte=30).values("id")
        assert await XDoc.filter(writer__in=keys).count() == 2
        assert await XDoc.filter(writer__in=XPerson.filter(age__gte=30)).count() == 2
        assert await XDoc.filter(pk__in=XNote.values("doc")).count() == 2
        assert await XPerson.filter(org__in=XOrg.filter(name="Acme")).count() == 2
        assert await XPerson.filter(written__in=XDoc.filter(pages__gt=6)).count() == 1


async def test_a_reverse_key_manager_adds_removes_clears_and_sets(url: str) -> None:
    """Django's reverse managers of a foreign key: ``person.written.add(doc)`` points the
    doc at the person, ``remove``/``clear`` set a nullable key to NULL, ``set`` makes a
    list the related rows; ferrule's had none of them (AttributeError). On a key that cannot
    be NULL, taking a row out is a FieldError naming the key, and nothing is written."""
    async with opened(url) as db, own_tables(*MODELS):
        data = await _data()
        ann, cy, d1, d2, d3 = (data[k] for k in ("ann", "cy", "d1", "d2", "d3"))

        async def reviewers() -> list[tuple[Any, ...]]:
            return await _sql(
                db,
                "SELECT d.title, p.name FROM ormt_x3_doc d LEFT JOIN ormt_x3_person p "
                "ON p.id = d.reviewer_id ORDER BY d.title",
            )

        await cy.reviewed.add(d1, d2)
        assert await reviewers() == [("d1", "Cy"), ("d2", "Cy"), ("d3", "Ann")]
        assert d1.reviewer_id == cy.id and d1.reviewer is cy
        await cy.reviewed.remove(d2)
        assert d2.reviewer_id is None
        assert await reviewers() == [("d1", "Cy"), ("d2", None), ("d3", "Ann")]
        with pytest.raises(XDoc.DoesNotExist, match="not related"):
            await cy.reviewed.remove(d3)  # Ann's: nothing is written
        assert await reviewers() == [("d1", "Cy"), ("d2", None), ("d3", "Ann")]
        await ann.reviewed.set([d2])
        assert await reviewers() == [("d1", "Cy"), ("d2", "Ann"), ("d3", None)]
        await cy.reviewed.clear()
        assert await reviewers() == [("d1", None), ("d2", "Ann"), ("d3", None)]
        # a key that cannot be NULL: add moves rows, remove/clear/set refuse
        await cy.written.add(d3)
        assert await XDoc.filter(writer=cy).values_list("title", flat=True) == ["d3"]
        for verb, call in (
            ("remove", lambda: ann.written.remove(d1)),
            ("clear", lambda: ann.written.clear()),
            ("set", lambda: ann.written.set([d1])),
        ):
            with pytest.raises(FieldError, match=rf"{verb}\(\).*XDoc.writer is not nullable"):
                await call()
        assert sorted(await XDoc.filter(writer=ann).values_list("title", flat=True)) == [
            "d1",
            "d2",
        ]
        await ann.written.set([d1, d2, d3])  # removes none: allowed
        assert await XDoc.filter(writer=ann).count() == 3
        with pytest.raises(FieldError, match="takes XDoc instances"):
            await ann.written.add(d1.pk)
        with pytest.raises(ValueError, match="save the XDoc"):
            await ann.written.add(XDoc(title="new", writer=ann))


async def test_a_relation_whose_key_was_deferred_is_not_read_as_none(url: str) -> None:
    """A doc loaded with only('title') left writer_id out: doc.writer read as None (every
    doc has a writer), and prefetch_related('writer') / fetch_related('writer') stored None
    on each. The relation is not loaded now (RelationNotLoadedError naming the key), and
    loading it through a deferred key is refused the same way; no query is sent."""
    async with opened(url), own_tables(*MODELS):
        await _data()
        doc = await XDoc.only("title").get(title="d1")
        with pytest.raises(orm.RelationNotLoadedError, match=r"XDoc\.writer_id"):
            doc.writer  # noqa: B018
        with pytest.raises(orm.RelationNotLoadedError, match=r"XDoc\.reviewer_id"):
            doc.reviewer  # noqa: B018
        with pytest.raises(orm.RelationNotLoadedError, match="only\\(\\)/defer\\(\\)"):
            await doc.fetch_related("writer")
        with pytest.raises(orm.RelationNotLoadedError, match=r"XDoc\.writer_id"):
            await XDoc.prefetch_related("writer").only("title")
        with pytest.raises(orm.RelationNotLoadedError, match=r"XDoc\.writer_id"):
            await XDoc.prefetch_related("writer").defer("writer")
        # the key loaded: the relation loads as before, a NULL key is None
        docs = await XDoc.prefetch_related("writer", "reviewer").only("title", "writer", "reviewer")
        assert sorted((d.title, d.writer.name, d.reviewer and d.reviewer.name) for d in docs) == [
            ("d1", "Ann", "Bob"),
            ("d2", "Ann", None),
            ("d3", "Bob", "Ann"),
        ]
        (d2,) = await XDoc.only("title", "reviewer").filter(title="d2")
        assert d2.reviewer is None


class XShelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    note = orm.ForeignKeyField(XNote, related_name="shelves", on_delete="cascade")
    spare = orm.ForeignKeyField(XNote, related_name="spares", null=True, on_delete="set null")

    class Meta:
        table = "ormt_x3_shelf"


async def test_select_related_without_names_follows_the_keys_that_cannot_be_null(
    url: str,
) -> None:
    """Django's select_related() follows every foreign key that cannot be NULL, and theirs;
    ferrule's loaded nothing, silently (each relation then read as not loaded). None forgets
    the relations asked for before."""
    async with opened(url), own_tables(*MODELS, XShelf):
        data = await _data()
        note = await XNote.get(body="d1-0")
        await XShelf.create(note=note, spare=note)
        (shelf,) = await XShelf.select_related()
        assert (shelf.note.body, shelf.note.doc.title, shelf.note.doc.writer.name) == (
            "d1-0",
            "d1",
            "Ann",
        )
        with pytest.raises(orm.RelationNotLoadedError):
            shelf.spare  # noqa: B018  (nullable: named, as in Django)
        with pytest.raises(orm.RelationNotLoadedError):
            shelf.note.doc.writer.org  # noqa: B018
        with pytest.raises(orm.RelationNotLoadedError):
            shelf.note.doc.reviewer  # noqa: B018
        docs = await XDoc.select_related().order_by("title")
        assert [d.writer.name for d in docs] == ["Ann", "Ann", "Bob"]
        (plain,) = await XShelf.select_related("spare").select_related(None)
        with pytest.raises(orm.RelationNotLoadedError):
            plain.spare  # noqa: B018
        assert data["d1"].pk == shelf.note.doc.pk


class XCat(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    rank = orm.IntField(default=0)

    class Meta:
        table = "ormt_x3_cat"
        ordering = ["-rank", "name"]


class XThing(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    cat = orm.ForeignKeyField(XCat, related_name="things", null=True, on_delete="set null")
    cats = orm.ManyToManyField(XCat, related_name="many_things")

    class Meta:
        table = "ormt_x3_thing"
        ordering = ["cat", "name"]


async def _things() -> dict[str, Any]:
    """Cats a (rank 1), b (5), c (3): ordered b, c, a. Things x (cat a; cats a b c),
    y (b; c a), w (c), z (none)."""
    cats = {n: await XCat.create(name=n, rank=r) for n, r in (("a", 1), ("b", 5), ("c", 3))}
    things = {
        n: await XThing.create(name=n, cat=cats[c] if c else None)
        for n, c in (("x", "a"), ("y", "b"), ("z", None), ("w", "c"))
    }
    await things["x"].cats.add(cats["a"], cats["b"], cats["c"])
    await things["y"].cats.add(cats["c"], cats["a"])
    return things


async def test_ordering_by_a_relation_follows_its_models_ordering(url: str) -> None:
    """order_by("cat") (and a relation in Meta.ordering) orders by the related model's
    Meta.ordering, as in Django, '-' turning each term round; it ordered by the key. The
    database's own answer is the hand-written ORDER BY of those columns (NULL smallest)."""
    async with opened(url) as db, own_tables(XCat, XThing):
        await _things()
        rows = await _sql(
            db,
            "SELECT t.name FROM ormt_x3_thing t LEFT JOIN ormt_x3_cat c ON c.id = t.cat_id "
            "ORDER BY CASE WHEN c.rank IS NULL THEN 1 ELSE 0 END, c.rank DESC, "
            "CASE WHEN c.name IS NULL THEN 0 ELSE 1 END, c.name, t.name",
        )
        expected = [r[0] for r in rows]
        assert expected == ["y", "w", "x", "z"]
        assert await XThing.order_by("cat", "name").values_list("name", flat=True) == expected
        assert [t.name for t in await XThing.all()] == expected  # Meta.ordering = ["cat", ...]
        turned = await XThing.order_by("-cat", "name").values_list("name", flat=True)
        assert turned == ["z", "x", "w", "y"]
        assert [t.name for t in await XThing.all().reverse()] == expected[::-1]
        by_key = await XThing.order_by("cat_id", "name").values_list("name", flat=True)
        assert by_key == ["z", "x", "y", "w"]  # the key column itself: by the key
        distinct = XThing.values("cat", "name").distinct().order_by("cat")
        with pytest.raises(FieldError, match=r"'cat' orders by its model's Meta\.ordering"):
            await distinct  # the rows do not hold the related model's columns


async def test_prefetched_many_to_many_lists_follow_the_targets_ordering(url: str) -> None:
    """A prefetched many-to-many list without a queryset came in link order (a, b, c) while
    all() of the same relation follows the target's Meta.ordering (b, c, a), as Django's
    prefetched lists do."""
    async with opened(url), own_tables(XCat, XThing):
        things = await _things()
        expected = await things["x"].cats.all().values_list("name", flat=True)
        assert expected == ["b", "c", "a"]
        loaded = {t.name: [c.name for c in t.cats] for t in await XThing.prefetch_related("cats")}
        assert loaded == {"x": ["b", "c", "a"], "y": ["c", "a"], "z": [], "w": []}
        await things["y"].fetch_related("cats")
        assert [c.name for c in things["y"].cats] == ["c", "a"]


class XLoopA(orm.Model):
    id: int = orm.Field(primary_key=True)
    other = orm.ForeignKeyField("XLoopB", related_name="+", null=True)

    class Meta:
        table = "ormt_x3_loop_a"
        ordering = ["other"]


class XLoopB(orm.Model):
    id: int = orm.Field(primary_key=True)
    back = orm.ForeignKeyField(XLoopA, related_name="+", null=True)

    class Meta:
        table = "ormt_x3_loop_b"
        ordering = ["back"]


async def test_two_models_with_keys_to_each_other(url: str) -> None:
    """Two models whose foreign keys point at each other (Django allows it): building the
    columns of either recursed for ever (RecursionError at the first query), each key's
    type read from the other model's columns while those were being built. The tables are
    made by create_tables (the cycle's keys added once both exist), and keys both ways work."""
    async with opened(url):
        await orm.drop_tables(XLoopA, XLoopB, if_exists=True)
        await orm.create_tables(XLoopA, XLoopB)
        try:
            a = await XLoopA.create()
            b = await XLoopB.create(back=a)
            await XLoopA.filter(pk=a.pk).update(other=b)
            (found,) = await XLoopA.select_related("other__back").order_by("id")
            assert (found.other.pk, found.other.back.pk) == (b.pk, a.pk)
            assert await XLoopB.filter(back__other=b).count() == 1
            # Meta.ordering "other" -> XLoopB's "back" -> XLoopA's "other" again
            with pytest.raises(FieldError, match="comes back to"):
                await XLoopA.all()
        finally:
            await orm.drop_tables(XLoopA, XLoopB)


async def test_a_key_assigned_after_loading_its_relation_is_saved(url: str) -> None:
    """doc.writer_id = bob.id on a doc whose writer select_related/prefetch_related/
    fetch_related loaded was undone at once (the loaded instance's key written back), and
    save() wrote the old writer: silently. The key wins now, and the relation is no longer
    loaded (it was another row's); assigning the instance still sets the key."""
    async with opened(url) as db, own_tables(*MODELS):
        data = await _data()
        ann, bob, cy = data["ann"], data["bob"], data["cy"]
        loaders = (
            lambda: XDoc.select_related("writer").get(title="d2"),
            lambda: XDoc.prefetch_related("writer").get(title="d2"),
        )
        for load, old, new in zip(loaders, (ann, bob), (bob, cy), strict=True):
            doc = await load()
            assert doc.writer.name == old.name
            doc.writer_id = new.id
            assert doc.writer_id == new.id
            with pytest.raises(orm.RelationNotLoadedError):
                doc.writer  # noqa: B018
            await doc.save()
            assert await _sql(
                db,
                "SELECT p.name FROM ormt_x3_doc d JOIN ormt_x3_person p ON p.id = d.writer_id "
                "WHERE d.title = 'd2'",
            ) == [(new.name,)]
        doc = await XDoc.get(title="d1")
        await doc.fetch_related("reviewer")
        doc.reviewer_id = None
        assert doc.reviewer is None and doc.reviewer_id is None
        doc.writer = ann  # the instance: its key
        assert doc.writer_id == ann.id and doc.writer is ann


async def test_refresh_from_db_forgets_the_relations_it_may_have_made_stale(url: str) -> None:
    """After refresh_from_db() a doc kept the writer select_related had loaded while its
    writer_id was read again as another person's (doc.writer.name 'Ann', doc.writer_id
    Bob's), and a person kept a prefetched list of docs missing the rows added since. As
    Django's, a refresh forgets both (not loaded: fetch them again)."""
    async with opened(url), own_tables(*MODELS):
        data = await _data()
        doc = await XDoc.select_related("writer").get(title="d2")
        await XDoc.filter(title="d2").update(writer=data["bob"])
        await doc.refresh_from_db()
        assert doc.writer_id == data["bob"].id
        with pytest.raises(orm.RelationNotLoadedError):
            doc.writer  # noqa: B018
        await doc.fetch_related("writer")
        assert doc.writer.name == "Bob"
        cy = await XPerson.prefetch_related("written").get(name="Cy")
        assert list(cy.written) == []
        await XDoc.create(title="d4", writer=cy)
        await cy.refresh_from_db()
        with pytest.raises(orm.RelationNotLoadedError):
            len(cy.written)
        await cy.fetch_related("written")
        assert [d.title for d in cy.written] == ["d4"]
        kept = await XDoc.select_related("writer").get(title="d1")
        await kept.refresh_from_db(fields=["title"])  # the key not read again: kept
        assert kept.writer.name == "Ann"


async def test_a_to_many_relation_given_as_a_value_is_refused_by_name(url: str) -> None:
    """create(labels=[red]) and create(written=[...]) made the row and dropped the relation
    silently (Django: "Direct assignment to the forward side of a many-to-many set is
    prohibited"); update(labels=...) said "Doc has no field 'labels'; did you mean
    'labels'?". Each names the relation now, and nothing is written."""
    async with opened(url), own_tables(*MODELS):
        data = await _data()
        red = await XLabel.get(text="red")
        with pytest.raises(FieldError, match=r"create\(labels=\.\.\.\).*\.labels\.set"):
            await XDoc.create(title="new", writer=data["ann"], labels=[red])
        with pytest.raises(FieldError, match=r"written.*the XDoc rows hold the key"):
            await XPerson.create(name="Dee", written=[data["d1"]])
        with pytest.raises(FieldError, match=r"create\(labels=\.\.\.\)"):
            await data["ann"].written.create(title="new", labels=[red])
        assert await XDoc.filter(title="new").count() == 0
        assert await XPerson.filter(name="Dee").count() == 0
        with pytest.raises(FieldError, match="'labels' here: it is a many-to-many relation"):
            await XDoc.filter(title="d1").update(labels=[red])
        with pytest.raises(FieldError, match=r"'written' here: it is the reverse of XDoc\.writer"):
            await XPerson.all().update(written=None)
        with pytest.raises(FieldError, match="'notes' here"):
            XDoc.only("title", "notes")


async def test_select_for_update_across_relations_on_every_database(url: str, dialect: str) -> None:
    """select_for_update() with select_related(), a filter or ordering across a nullable
    relation, or a filter across a to-many one raised on PostgreSQL alone ("FOR UPDATE
    cannot be applied to the nullable side of an outer join", "... not allowed with DISTINCT
    clause") and read the rows on MariaDB and SQLite. The same rows come everywhere now, the
    model's rows locked (another connection's NOWAIT fails on them); distinct or grouped
    rows, which are no one row to lock, are a FieldError on every database."""
    import ferrule
    from ferrule.errors import OperationalError

    async with opened(url) as db, own_tables(*MODELS):
        await _data()
        other = await ferrule.connect(url)
        try:
            async with db.transaction():
                joined = await XDoc.select_related("writer", "reviewer").select_for_update()
                assert sorted((d.title, d.writer.name) for d in joined) == [
                    ("d1", "Ann"),
                    ("d2", "Ann"),
                    ("d3", "Bob"),
                ]
                unreviewed = XDoc.filter(reviewer__name__isnull=True).select_for_update()
                assert [d.title for d in await unreviewed] == ["d2"]
                ordered = XDoc.select_for_update().order_by("reviewer__name")
                assert [d.title for d in await ordered] == ["d2", "d3", "d1"]
                green = XDoc.filter(labels__text="green").select_for_update().order_by("title")
                assert [d.title for d in await green[:2]] == ["d1", "d2"]
                idle = XPerson.filter(written__isnull=True).select_for_update()
                assert [p.name for p in await idle] == ["Cy"]
                if dialect != "sqlite":  # (SQLite locks the whole database on write)
                    with pytest.raises(OperationalError):
                        async with other.transaction():
                            mine = XDoc.filter(title="d1").using(other)
                            await mine.select_for_update(nowait=True)
                counted = XPerson.annotate(n=orm.Count("written")).select_for_update()
                with pytest.raises(FieldError, match="grouped"):
                    await counted
                with pytest.raises(FieldError, match=r"distinct\(\) rows"):
                    await XDoc.select_for_update().distinct().values_list("writer_id")
        finally:
            await other.close()


class XGroup(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    members = orm.ManyToManyField(
        XPerson, related_name="groups", through="XMember", through_fields=("group", "person")
    )

    class Meta:
        table = "ormt_x3_group"


class XMember(orm.Model):
    """Two keys to XPerson: the member and who invited them (Django's through_fields)."""

    id: int = orm.Field(primary_key=True)
    group = orm.ForeignKeyField(XGroup, related_name="memberships")
    person = orm.ForeignKeyField(XPerson, related_name="memberships")
    inviter = orm.ForeignKeyField(XPerson, related_name="invited", null=True, on_delete="set null")
    role = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_x3_member"


async def test_a_through_model_with_two_keys_to_one_side_names_them(url: str) -> None:
    """A through model with a second key to one side (an inviter) could not be declared:
    "needs exactly one foreign key to each side", and ManyToManyField took no
    through_fields. through_fields=(to the owner, to the target) names the two now, as in
    Django; a name that is no key to its side is a SchemaError."""
    async with opened(url), own_tables(*MODELS, XGroup, XMember):
        data = await _data()
        ann, bob = data["ann"], data["bob"]
        club = await XGroup.create(name="club")
        await club.members.add(ann, through_defaults={"role": "chair"})
        await club.members.add(bob, through_defaults={"role": "member", "inviter": ann})
        assert await club.members.all().order_by("name").values_list("name", flat=True) == [
            "Ann",
            "Bob",
        ]
        assert await bob.groups.all().values_list("name", flat=True) == ["club"]
        rows = XMember.order_by("person__name").values_list("person__name", "inviter__name")
        assert await rows == [("Ann", None), ("Bob", "Ann")]
        await club.members.remove(ann)
        assert await XMember.filter(inviter=ann).count() == 1  # Bob's row stays
        with pytest.raises(SchemaError, match=r"inviter, which is no foreign key to XWrong"):

            class XWrong(orm.Model):
                id: int = orm.Field(primary_key=True)
                people = orm.ManyToManyField(
                    XPerson, through=XMember, through_fields=("inviter", "person")
                )

                class Meta:
                    table = "ormt_x3_wrong"

        with pytest.raises(SchemaError, match="through_fields= names the keys of a through="):
            orm.ManyToManyField(XPerson, through_fields=("a", "b"))
