"""``orm.Prefetch`` with a sliced QuerySet: each parent's own rows ``[a:b]`` in the queryset's
order (ties and no order: by primary key), one query per level and per IN batch, on reverse
keys and many-to-many relations (automatic and explicit ``through``). Every answer here is
computed in Python from the rows as stored, never from what a prefetch loaded."""

from __future__ import annotations

import itertools
import random
import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError
from ferrule.orm import prefetch as prefetch_module

from .conftest import opened, own_tables
from .models import Author, Club, Membership, Post, Profile, Tag
from .test_prefetch_objects import Statements
from .test_query_cancellation import _cancel_each_step, _skip_in_flight, _trap

Prefetch = orm.Prefetch

#: (start, stop) of the slices every relation is read with
SLICES = [(None, 3), (1, 3), (0, 1), (2, None), (4, 9), (None, None), (3, 3)]


async def _world() -> dict[str, Any]:
    """Six authors (the last with no posts), 30 posts with many ties in ``views``, five
    tags linked at random (some posts to several, some to none), two clubs."""
    rng = random.Random(20261205)
    authors = [await Author.create(name=f"n{i}", rating=i % 3) for i in range(6)]
    tags = [await Tag.create(label=f"t{i}") for i in range(5)]
    for _ in range(30):
        author = authors[rng.randrange(5)]
        editor = rng.choice([None, *authors])
        post = await Post.create(
            title=f"p{rng.randrange(100):02d}", author=author, editor=editor, views=rng.randrange(4)
        )
        linked = rng.sample(tags, rng.randrange(4))
        if linked:
            await post.tags.add(*linked)
    for name, members in (("chess", [0, 2, 3, 4]), ("go", [1, 2, 5])):
        club = await Club.create(name=name)
        for index in members:
            await Membership.create(club=club, person=authors[index])
    return {"authors": authors, "tags": tags}


async def _stored() -> dict[str, Any]:
    """The rows as the database holds them, read plainly, and the links between them."""
    posts = {p.id: p for p in await Post.all()}
    link = Post._meta.relations["tags"].link_source.owner
    links = await link.all().values_list("post_id", "tag_id")
    members = await Membership.all().values_list("club_id", "person_id")
    return {
        "posts": posts,
        "authors": {a.id: a for a in await Author.all()},
        "tags": {t.id: t for t in await Tag.all()},
        "clubs": {c.id: c for c in await Club.all()},
        "links": links,
        "members": members,
    }


def _cut(rows: list[Any], start: int | None, stop: int | None) -> list[Any]:
    return [r.id for r in rows[start:stop]]


def _same(got: list[Any], expected: list[Any], key: Any, start: Any, stop: Any) -> bool:
    """``[:]`` is no slice: the plain prefetch, whose ties come in the database's order
    (only the slices break them by primary key)."""
    if start is None and stop is None:
        return sorted(r.id for r in got) == sorted(expected) and [key(r) for r in got] == sorted(
            key(r) for r in got
        )
    return [r.id for r in got] == expected


def _sorted(rows: Any, key: Any) -> list[Any]:
    return sorted(rows, key=lambda r: (*key(r), r.id))  # the primary key breaks ties


def _none_first(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


def _stamp(value: Any) -> float:
    return float(value.timestamp())


#: order_by names of the sliced posts (the Python sort key of each: ``_post_key``)
POST_ORDERS: list[tuple[str, ...]] = [
    ("-views",),
    ("views", "-title"),
    (),  # no order: by primary key
    ("-created",),
    ("editor__name", "-id"),  # through a nullable forward key: NULL first
]


def _post_key(names: tuple[str, ...], stored: dict[str, Any]) -> Any:
    """The order ``names`` as a Python sort key of a post (ties: by id, in ``_sorted``)."""
    authors = stored["authors"]

    def editor(p: Any) -> tuple[int, Any]:
        return _none_first(None if p.editor_id is None else authors[p.editor_id].name)

    keys: dict[tuple[str, ...], Any] = {
        ("-views",): lambda p: (-p.views,),
        ("views", "-title"): lambda p: (p.views, [-ord(c) for c in p.title]),
        (): lambda p: (),
        ("-created",): lambda p: (-_stamp(p.created),),
        ("editor__name", "-id"): lambda p: (editor(p), -p.id),
    }
    return keys[names]


@pytest.mark.parametrize("names", POST_ORDERS, ids=str)
async def test_a_reverse_key_sliced_per_parent(url: str, names: tuple[str, ...]) -> None:
    async with opened(url) as db:
        await _world()
        stored = await _stored()
        key = _post_key(names, stored)
        sent = Statements(db)
        for start, stop in SLICES:
            before = len(sent.sql)
            sliced = Post.order_by(*names)[start:stop] if names else Post.all()[start:stop]
            authors = await Author.prefetch_related(
                Prefetch("posts", queryset=sliced, to_attr="picked")
            ).order_by("name")
            empty = stop is not None and stop <= (start or 0)
            assert sent.since(before) == (1 if empty else 2), (start, stop)
            assert len(authors) == 6
            for author in authors:
                own = [p for p in stored["posts"].values() if p.author_id == author.id]
                expected = _cut(_sorted(own, key), start, stop)
                got = author.picked
                assert _same(got, expected, key, start, stop), (author.name, start, stop)


async def test_a_filtered_slice_without_to_attr_and_one_batch_per_query(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters apply before the numbering; without to_attr the slice is the relation's own
    list; parents in several IN batches: one query per batch, each list still its own."""
    async with opened(url) as db:
        await _world()
        stored = await _stored()
        monkeypatch.setattr(prefetch_module, "_BATCH", 2)
        sent = Statements(db)
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.filter(views__gte=1).order_by("-views")[1:4])
        ).order_by("name")
        assert sent.since(0) == 1 + 3  # six authors in batches of two
        for author in authors:
            own = [p for p in stored["posts"].values() if p.author_id == author.id]
            kept = _sorted([p for p in own if p.views >= 1], lambda p: (-p.views,))
            assert [p.id for p in author.posts] == _cut(kept, 1, 4)


@pytest.mark.parametrize("forward", [True, False], ids=["post.tags", "tag.posts"])
async def test_an_automatic_many_to_many_sliced_per_parent(url: str, forward: bool) -> None:
    async with opened(url) as db:
        await _world()
        stored = await _stored()
        sent = Statements(db)
        for start, stop in SLICES:
            before = len(sent.sql)
            if forward:
                got = await Post.prefetch_related(
                    Prefetch("tags", Tag.order_by("-label")[start:stop], to_attr="picked")
                )
                pairs = stored["links"]
                rows = stored["tags"]

                def key(t: Any) -> tuple[Any, ...]:
                    return ([-ord(c) for c in t.label],)

            else:  # filtered too: its parameters follow the joined links' in the text
                busy = Post.filter(views__gte=1).order_by("views")
                got = await Tag.prefetch_related(
                    Prefetch("posts", busy[start:stop], to_attr="picked")
                )
                pairs = [(b, a) for a, b in stored["links"] if stored["posts"][a].views >= 1]
                rows = stored["posts"]

                def key(p: Any) -> tuple[Any, ...]:
                    return (p.views,)

            empty = stop is not None and stop <= (start or 0)
            whole = start is None and stop is None  # [:] is no slice: links, then rows
            assert sent.since(before) == (1 if empty else 3 if whole else 2), (start, stop)
            assert len(got) == len(stored["posts"] if forward else stored["tags"])
            for parent in got:
                linked = [rows[b] for a, b in pairs if a == parent.id]
                expected = _cut(_sorted(linked, key), start, stop)
                got = parent.picked
                assert _same(got, expected, key, start, stop), (parent.id, start, stop)


async def test_a_row_linked_to_two_parents_counts_in_each(url: str) -> None:
    """Through an explicit ``through`` model, both ways: Ada, Bo and Cy in two clubs each;
    the partition is the link table's own column."""
    async with opened(url) as db:
        people = [await Author.create(name=n) for n in ("Ada", "Bo", "Cy", "Di")]
        clubs = [await Club.create(name=n) for n in ("chess", "go", "bridge")]
        plan = {"chess": ["Ada", "Bo", "Cy", "Di"], "go": ["Cy", "Bo", "Ada"], "bridge": ["Di"]}
        named = {a.name: a for a in people}
        for club in clubs:
            for name in plan[club.name]:
                await Membership.create(club=club, person=named[name])
        sent = Statements(db)
        got = await Club.prefetch_related(
            Prefetch("members", Author.order_by("name")[1:3], to_attr="middle")
        ).order_by("name")
        assert sent.since(0) == 2
        expected = {n: sorted(m)[1:3] for n, m in plan.items()}
        assert {c.name: [a.name for a in c.middle] for c in got} == expected
        # the other way round, and a row shared by two parents is one instance
        got_people = await Author.prefetch_related(
            Prefetch("clubs", Club.order_by("-name")[:1], to_attr="top_club")
        ).order_by("name")
        assert sent.since(0) == 4
        expected_first = {
            a: [max(c for c, m in plan.items() if a in m)] for a in ("Ada", "Bo", "Cy", "Di")
        }
        assert {a.name: [c.name for c in a.top_club] for a in got_people} == expected_first
        ada, bo = got_people[0], got_people[1]
        assert ada.top_club[0] is bo.top_club[0]  # "go" for both: loaded once


async def test_nested_lookups_load_for_the_sliced_rows_only(url: str) -> None:
    async with opened(url) as db:
        await _world()
        stored = await _stored()
        sent = Statements(db)
        params: list[Any] = []
        db.add_hook(before=lambda event: params.append(list(event.params or ())))
        authors = await Author.prefetch_related(
            Prefetch("posts", Post.order_by("-views")[:2], to_attr="latest"),
            "latest__tags",
        ).order_by("name")
        assert sent.since(0) == 4  # authors, sliced posts, their links, tags
        # one window in the statement (MariaDB misreads some sets of several: orm.windows)
        assert sent.sql[1].count(" OVER (") == 1 and "ROW_NUMBER()" in sent.sql[1]
        picked = [p.id for a in authors for p in a.latest]
        assert len(params[2]) == len(picked)  # the links of the sliced posts only
        tag_labels = {t.id: t.label for t in stored["tags"].values()}
        for author in authors:
            own = [p for p in stored["posts"].values() if p.author_id == author.id]
            assert [p.id for p in author.latest] == _cut(
                _sorted(own, lambda p: (-p.views,)), None, 2
            )
            for post in author.latest:
                linked = sorted(tag_labels[b] for a, b in stored["links"] if a == post.id)
                assert sorted(t.label for t in post.tags) == linked
        # a sliced Prefetch inside a sliced queryset's own prefetch_related
        inner = Post.prefetch_related(Prefetch("tags", Tag.order_by("label")[:1], to_attr="one"))
        authors = await Author.prefetch_related(
            Prefetch("posts", inner.order_by("id")[1:2], to_attr="second")
        ).order_by("name")
        assert sent.since(0) == 4 + 3
        for author in authors:
            own = sorted(p.id for p in stored["posts"].values() if p.author_id == author.id)
            assert [p.id for p in author.second] == own[1:2]
            for post in author.second:
                labels = sorted(tag_labels[b] for a, b in stored["links"] if a == post.id)
                assert [t.label for t in post.one] == labels[:1]


async def test_what_the_sliced_queryset_carries(url: str) -> None:
    """only(), select_related(), plain annotations and an order through a joined model."""
    async with opened(url) as db:
        await _world()
        stored = await _stored()
        sent = Statements(db)
        queryset = (
            Post.select_related("author", "editor")
            .only("title", "views")
            .annotate(twice=orm.F("views") * 2)
            .order_by("author__name", "-views")[:2]
        )
        tags = await Tag.prefetch_related(Prefetch("posts", queryset, to_attr="top"))
        assert sent.since(0) == 2
        authors = stored["authors"]
        for tag in tags:
            linked = [stored["posts"][a] for a, b in stored["links"] if b == tag.id]
            key = _sorted(linked, lambda p: (authors[p.author_id].name, -p.views))
            assert [p.id for p in tag.top] == _cut(key, None, 2)
            for post in tag.top:
                assert post.twice == 2 * post.views
                assert post.author.name == authors[post.author_id].name
                editor = None if post.editor is None else post.editor.name
                expected = stored["posts"][post.id].editor_id
                assert editor == (None if expected is None else authors[expected].name)
        assert sent.since(0) == 2  # the joined authors came with the rows


async def test_refused_with_a_field_error_when_the_call_is_made(url: str) -> None:
    async with opened(url) as db:
        sent = Statements(db)
        window = orm.Window(orm.RowNumber(), partition_by=["author"], order_by=[orm.F("id").asc()])
        cases: list[tuple[Any, str]] = [
            (
                lambda: Post.prefetch_related(Prefetch("author", Author.all()[:1], to_attr="a")),
                "Post.author holds at most one row",
            ),
            (
                lambda: Author.prefetch_related(Prefetch("profile", Profile.all()[:1])),
                "Author.profile holds at most one row",
            ),
            (
                lambda: Profile.prefetch_related(Prefetch("author", Author.all()[1:], to_attr="a")),
                "at most one row",
            ),
            (lambda: Prefetch("posts", Post.all()[0]), "indexed"),
            (lambda: Post.all()[::2], "no step"),
            (lambda: Post.all()[1:5:3], "no step"),
            (
                lambda: Author.prefetch_related(Prefetch("posts", Post.all().distinct()[:2])),
                "distinct",
            ),
            (
                lambda: Author.prefetch_related(
                    Prefetch("posts", Post.all().select_for_update()[:2])
                ),
                "select_for_update",
            ),
            (
                lambda: Author.prefetch_related(
                    Prefetch("posts", Post.annotate(n=orm.Count("tags"))[:2])
                ),
                "aggregate annotations",
            ),
            (
                lambda: Author.prefetch_related(Prefetch("posts", Post.annotate(w=window)[:2])),
                "window annotations",
            ),
            (
                lambda: Author.prefetch_related(
                    Prefetch("posts", Post.annotate(v=orm.F("views")).order_by("-v")[:2])
                ),
                "an order by an annotation",
            ),
        ]
        wrong = []
        for make, message in cases:
            try:
                make()
            except FieldError as error:
                if message not in str(error):
                    wrong.append((message, str(error)))
            else:
                wrong.append((message, "no error"))
        assert wrong == []
        assert sent.since(0) == 0
        # a join that repeats rows is found when the query is built, before it is sent
        await Author.create(name="Ada")
        start = len(sent.sql)
        for queryset in (Post.filter(tags__label="x")[:2], Post.order_by("tags__label")[:2]):
            # (the order is refused for any model rows now: orm.selecting)
            with pytest.raises(FieldError, match="to-many relation"):
                await Author.prefetch_related(Prefetch("posts", queryset, to_attr="p"))
        assert sent.since(start) == 2  # the authors, each time; no prefetch query


class _Lying(int):
    """An int whose methods all lie; its own value is what a slice of it means."""

    def __index__(self) -> int:
        return -7

    def __lt__(self, other: object) -> bool:
        return False

    def __sub__(self, other: object) -> int:
        return 10**6

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class _Counting:
    """``__index__`` that says something else each time it is asked."""

    def __init__(self, *answers: int) -> None:
        self.answers = iter(answers)

    def __index__(self) -> int:
        return next(self.answers)

    def __lt__(self, other: object) -> bool:  # what the old slicing code asked
        return False


class _AnyStep:
    """A step that claims to equal anything, and to be the index 2."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__

    def __index__(self) -> int:
        return 2


async def test_hostile_slice_bounds(url: str) -> None:
    async with opened(url) as db:
        ada = await Author.create(name="Ada")
        made = [await Post.create(title=f"p{i}", author=ada, views=i) for i in range(6)]
        ids = [p.id for p in made]
        sent = Statements(db)

        async def picked(queryset: Any) -> list[int]:
            (author,) = await Author.prefetch_related(Prefetch("posts", queryset, to_attr="p"))
            return [p.id for p in author.p]

        # __index__ is read once, and its answer is the bound: a list's rule
        counting = Post.order_by("id")[_Counting(1, 5, 5) : _Counting(4, 0, 0)]
        assert (counting._offset, counting._limit) == (1, 3)
        assert type(counting._offset) is int and type(counting._limit) is int
        assert await picked(counting) == ids[1:4]
        # an int subclass: its own value (int's __index__ of it), whatever its methods say
        lying = Post.order_by("id")[_Lying(2) : _Lying(4)]
        assert (lying._offset, lying._limit) == (2, 2)
        assert await picked(lying) == ids[2:4]
        assert await picked(Post.order_by("id").limit(_Lying(2)).offset(_Lying(3))) == ids[3:5]
        for bad in (2.5, "1", b"1", None.__class__, object()):
            with pytest.raises(TypeError):
                Post.all()[bad:3]  # type: ignore[misc]
            with pytest.raises(TypeError):
                Post.all()[0:bad]  # type: ignore[misc]
        with pytest.raises(ValueError, match="negative"):
            Post.all()[_Counting(-1) :]
        with pytest.raises(FieldError, match="no step"):
            Post.all()[0 : 3 : _AnyStep()]
        assert Post.all()[0:3:1]._limit == 3
        assert sent.since(0) == 6


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_a_cancelled_sliced_prefetch_leaves_the_pool_usable(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled at each await point of the query, its sliced prefetch (two batches) and the
    nested lookup: the pool has its connection back, and the next run has the right lists."""
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db:
        ada = await Author.create(name="Ada")
        bo = await Author.create(name="Bo")
        await Author.create(name="Cy")
        x = await Tag.create(label="x")
        for title, author, views in [("a", ada, 3), ("b", ada, 5), ("c", ada, 4), ("d", bo, 1)]:
            post = await Post.create(title=title, author=author, views=views)
            if title in ("b", "d"):
                await post.tags.add(x)
        monkeypatch.setattr(prefetch_module, "_BATCH", 2)
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        expected = [[("c", []), ("a", [])], [], []]  # Ada's 2nd and 3rd by views; Bo has one

        def query() -> Any:
            return Author.prefetch_related(
                Prefetch("posts", Post.order_by("-views")[1:3], to_attr="p"), "p__tags"
            ).order_by("name")

        def lists(authors: list[Any]) -> list[Any]:
            return [[(p.title, [t.label for t in p.tags]) for p in a.p] for a in authors]

        async def check(outcome: str, result: Any) -> None:
            if outcome == "ok":
                assert lists(result) == expected
            assert lists(await query()) == expected  # the pool works

        async def work() -> Any:
            return await query()

        outcomes = await _cancel_each_step(db, how, trap, work, check)
        # authors, two batches of sliced posts, the links (no tags: the sliced posts have
        # none): four statements (SQLite runs them on the loop, at once)
        assert outcomes["cancelled"] >= (1 if dialect == "sqlite" else 4), outcomes


def test_every_slice_of_the_table_is_covered() -> None:
    """The slices above include an empty one, an open end, an open start and both bounds."""
    kinds = {(s is None, e is None, e is not None and e <= (s or 0)) for s, e in SLICES}
    assert {(True, False, False), (False, False, False), (False, True, False)} <= kinds
    assert (False, False, True) in kinds
    assert list(itertools.chain.from_iterable(SLICES)).count(None) >= 3


class Shelf(orm.Model):
    id = orm.UUIDField(pk=True)
    name = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_slice_shelf"


class Label(orm.Model):
    id = orm.UUIDField(pk=True)
    text = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_slice_label"


class Book(orm.Model):
    id = orm.UUIDField(pk=True)
    rank = orm.IntField()
    shelf = orm.ForeignKeyField(Shelf, related_name="books", on_delete="cascade")
    labels = orm.ManyToManyField(Label, related_name="books")

    class Meta:
        table = "ormt_slice_book"


class Note(orm.Model):
    """Ordered by its Meta: a sliced queryset without order_by() takes that order."""

    id = orm.IntField(pk=True)
    rank = orm.IntField()
    shelf = orm.ForeignKeyField(Shelf, related_name="notes", on_delete="cascade")

    class Meta:
        table = "ormt_slice_note"
        ordering = ["-rank"]


async def test_meta_ordering_then_the_primary_key(url: str) -> None:
    async with opened(url) as db, own_tables(Shelf, Note):
        shelf = await Shelf.create(id=uuid.uuid4(), name="a")
        other = await Shelf.create(id=uuid.uuid4(), name="b")
        ranks = [2, 5, 5, 1, 5, 2, 0]
        notes = [await Note.create(rank=r, shelf=shelf) for r in ranks]
        await Note.create(rank=9, shelf=other)
        sent = Statements(db)
        (got,) = await Shelf.filter(name="a").prefetch_related(
            Prefetch("notes", Note.all()[1:4], to_attr="picked")
        )
        assert sent.since(0) == 2
        expected = sorted(notes, key=lambda n: (-n.rank, n.id))[1:4]
        assert [n.id for n in got.picked] == [n.id for n in expected]


async def test_uuid_keys(url: str) -> None:
    """The parent's key read back from each row as the key column's type (a UUID), on a
    reverse key and through the links of a many-to-many."""
    async with opened(url), own_tables(Shelf, Label, Book):
        rng = random.Random(7)
        shelves = [await Shelf.create(id=uuid.UUID(int=rng.getrandbits(128)), name=n) for n in "ab"]
        labels = [await Label.create(id=uuid.uuid4(), text=t) for t in "xyz"]
        books = []
        for i in range(9):
            book = await Book.create(id=uuid.uuid4(), rank=i % 4, shelf=shelves[i % 2])
            await book.labels.add(*labels[: i % 3 + 1])
            books.append(book)
        got = await Shelf.prefetch_related(
            Prefetch("books", Book.order_by("-rank")[1:3], to_attr="picked")
        )
        for shelf in got:
            own = sorted(
                (b for b in books if b.shelf_id == shelf.id), key=lambda b: (-b.rank, b.id)
            )
            assert [b.id for b in shelf.picked] == [b.id for b in own[1:3]]
        got_labels = await Label.prefetch_related(
            Prefetch("books", Book.order_by("rank")[:2], to_attr="picked")
        )
        assert len(got_labels) == 3
        for label in got_labels:
            index = labels.index(next(x for x in labels if x.id == label.id))
            linked = [b for i, b in enumerate(books) if i % 3 >= index]
            own = sorted(linked, key=lambda b: (b.rank, b.id))
            assert [b.id for b in label.picked] == [b.id for b in own[:2]]
