"""Django's "Making queries", "QuerySet API" and "Aggregation" pages walked through with their
Blog/Author/Entry schema, where ferrule differed from what Django documents or raised an
untyped error. Each expected answer is checked against raw SQL over the same rows, or is the
answer the Django page states."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, ORMError

from .conftest import opened, own_tables


class W9Blog(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=100)

    class Meta:
        table = "ormt_w9_blog"


class W9Author(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=100)
    nick = orm.CharField(max_length=20, null=True)

    class Meta:
        table = "ormt_w9_author"


class W9Entry(orm.Model):
    id: int = orm.Field(primary_key=True)
    blog = orm.ForeignKeyField(W9Blog, related_name="entries", on_delete="cascade")
    headline = orm.CharField(max_length=100)
    pub_date = orm.DateField()
    rating = orm.IntField(default=0)
    stamp = orm.DateTimeField(null=True)
    authors = orm.ManyToManyField(W9Author, related_name="entries")

    class Meta:
        table = "ormt_w9_entry"


MODELS = (W9Blog, W9Author, W9Entry)

#: (blog, headline, pub_date, rating, authors)
ENTRIES = [
    ("Beatles Blog", "Lennon tribute", dt.date(2008, 3, 1), 4, ("Lennon",)),
    ("Beatles Blog", "Abbey Road", dt.date(2008, 6, 1), 3, ("Lennon", "McCartney")),
    ("Cheddar Talk", "Lennon and cheese", dt.date(2007, 1, 1), 5, ()),
    ("Cheddar Talk", "Brie", dt.date(2008, 11, 11), 2, ("McCartney",)),
]


async def _load() -> None:
    blogs = {n: await W9Blog.create(name=n) for n in ("Beatles Blog", "Cheddar Talk", "Empty")}
    authors = {n: await W9Author.create(name=n) for n in ("Lennon", "McCartney", "Joe")}
    for blog, headline, day, rating, names in ENTRIES:
        entry = await W9Entry.create(
            blog=blogs[blog], headline=headline, pub_date=day, rating=rating
        )
        if names:
            await entry.authors.add(*(authors[n] for n in names))


async def _raw(db: Any, text: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in await db.fetch_all(text, []))


# -- text lookups on a text annotation (Concat + icontains: Django's everyday search) ------


async def test_text_lookups_on_a_text_annotation(url: str) -> None:
    async with opened(url) as db, own_tables(*MODELS):
        await _load()
        shown = W9Entry.annotate(
            full=orm.Concat("headline", orm.Value(" @ "), "blog__name"),
            head=orm.Left("headline", 6),
            blog_name=orm.F("blog__name"),
        )

        async def heads(**lookup: Any) -> list[str]:
            return sorted(e.headline for e in await shown.filter(**lookup))

        assert await heads(full__icontains="CHEDDAR") == ["Brie", "Lennon and cheese"]
        assert await heads(full__contains="cheddar") == []  # case matters
        assert await heads(full__endswith="@ Beatles Blog") == ["Abbey Road", "Lennon tribute"]
        assert await heads(head__endswith="nnon") == ["Lennon and cheese", "Lennon tribute"]
        assert await heads(head__startswith="lennon") == []
        assert await heads(head__iexact="LENNON") == ["Lennon and cheese", "Lennon tribute"]
        assert await heads(blog_name__istartswith="bEAt") == ["Abbey Road", "Lennon tribute"]
        assert await heads(blog_name__iexact="cheddar talk") == ["Brie", "Lennon and cheese"]
        assert await heads(full__contains="%") == []  # the value's own % is a character
        assert await heads(head__regex=r"^A.* $") == ["Abbey Road"]
        assert await heads(full__iregex=r"^abbey .* beatles") == ["Abbey Road"]
        umlauts = await W9Blog.create(name="ÄÖÜ Blog")
        await W9Entry.create(blog=umlauts, headline="Σίσυφος", pub_date=dt.date(2009, 1, 1))
        assert await heads(full__icontains="äöü b") == ["Σίσυφος"]  # every letter folds
        assert await heads(head__istartswith="ΣΊΣ") == ["Σίσυφος"]
        assert await heads(full__contains="äöü") == []
        await umlauts.delete()
        excluded = sorted(e.headline for e in await shown.exclude(full__icontains="cheddar"))
        assert excluded == ["Abbey Road", "Lennon tribute"]
        assert await _raw(
            db,
            "SELECT e.headline FROM ormt_w9_entry e JOIN ormt_w9_blog b ON b.id = e.blog_id "
            "WHERE b.name LIKE '%Cheddar%'",
        ) == [("Brie",), ("Lennon and cheese",)]
        # an aggregate of text: a HAVING
        top = W9Blog.annotate(newest=orm.Max("entries__headline")).filter(newest__startswith="L")
        assert sorted(b.name for b in await top) == ["Beatles Blog", "Cheddar Talk"]
        assert await top.filter(newest__endswith="cheese").values_list("name", flat=True) == [
            "Cheddar Talk"
        ]


async def test_text_lookups_on_other_annotations_are_refused_by_name(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        counted = W9Blog.annotate(n=orm.Count("entries"))
        with pytest.raises(
            FieldError, match=r"n__contains: an annotation takes .* text annotation also"
        ):
            await counted.filter(n__contains="1")
        with pytest.raises(FieldError, match=r"needs a string"):
            await W9Entry.annotate(h=orm.F("headline")).filter(h__contains=1)


# -- aggregate(Avg("rating")): Django's default names -------------------------------------


async def test_an_unnamed_aggregate_takes_django_default_name(url: str) -> None:
    async with opened(url) as db, own_tables(*MODELS):
        await _load()
        assert await W9Entry.aggregate(orm.Avg("rating")) == {"rating__avg": 3.5}
        mixed = await W9Entry.filter(pub_date__year=2008).aggregate(
            orm.Max("pub_date"), orm.Count("authors", distinct=True), top=orm.Max("rating")
        )
        assert mixed == {
            "pub_date__max": dt.date(2008, 11, 11),
            "authors__count": 2,
            "top": 4,
        }
        links = await _raw(db, "SELECT COUNT(*) FROM ormt_w9_entry_authors")
        assert await W9Blog.aggregate(orm.Count("entries__authors")) == {
            "entries__authors__count": links[0][0]
        }
        nothing = await W9Entry.none().aggregate(orm.Count("authors"), orm.Max("rating"))
        assert nothing == {"authors__count": 0, "rating__max": None}
        grouped = W9Entry.values("blog").annotate(n=orm.Count("id"))
        assert await grouped.aggregate(orm.Max("n")) == {"n__max": 2}


async def test_django_spellings_ferrule_lacks_are_refused_by_name(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        cases = {
            "complex": (lambda: W9Entry.aggregate(orm.Sum(orm.F("rating") * 2)), "name it"),
            "star": (lambda: W9Entry.aggregate(orm.Count("*")), "name it"),
            "clash": (
                lambda: W9Entry.aggregate(orm.Avg("rating"), rating__avg=orm.Max("rating")),
                "rating__avg",
            ),
            "not one": (lambda: W9Entry.aggregate("rating"), "Count/Sum/Avg/Min/Max"),
            "annotate": (lambda: W9Entry.annotate(orm.Count("authors")), "annotate(n=Count"),
            "random order": (lambda: W9Entry.order_by("?"), "order_by('?'), Django's random"),
        }
        for make, words in cases.values():
            with pytest.raises(FieldError, match=re.escape(words)):
                await make()
        by_expression = await W9Entry.order_by(
            orm.F("rating").desc(), "id"
        )  # (orm.expression_order)
        assert [e.id for e in by_expression] == [
            e.id for e in await W9Entry.order_by("-rating", "id")
        ]


# -- pk__in=<a sliced QuerySet of instances>: MariaDB refuses LIMIT inside IN (...) ------


async def test_in_a_sliced_queryset_of_instances(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        last_two = W9Blog.order_by("-name")[:2]
        assert sorted(b.name for b in await W9Blog.filter(pk__in=last_two)) == [
            "Cheddar Talk",
            "Empty",
        ]
        assert [b.name for b in await W9Blog.exclude(pk__in=last_two)] == ["Beatles Blog"]
        best = W9Entry.order_by("-rating")[:1]
        assert [b.name for b in await W9Blog.filter(entries__in=best)] == ["Cheddar Talk"]
        after_first = W9Blog.order_by("name")[1:]
        heads = W9Entry.filter(blog__in=after_first).values_list("headline", flat=True)
        assert sorted(await heads) == ["Brie", "Lennon and cheese"]
        inside = orm.Subquery(W9Author.order_by("name").values("id")[1:2])  # Lennon
        linked = W9Entry.filter(authors__in=inside).values_list("headline", flat=True)
        assert sorted(await linked) == ["Abbey Road", "Lennon tribute"]


# -- Q(a) ^ Q(b): Django 4.2's XOR, true when an odd number of the conditions are -----------


async def test_q_xor_is_true_for_an_odd_number_of_true_conditions(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        await W9Author.filter(name="Lennon").update(nick="john")

        async def heads(*q: Any, exclude: bool = False) -> list[str]:
            qs = W9Entry.exclude(*q) if exclude else W9Entry.filter(*q)
            return sorted(e.headline for e in await qs)

        rated, recent = orm.Q(rating__gte=4), orm.Q(pub_date__year=2008)
        by_python = sorted(h for _, h, day, r, _ in ENTRIES if (r >= 4) != (day.year == 2008))
        assert (
            await heads(rated ^ recent) == by_python == ["Abbey Road", "Brie", "Lennon and cheese"]
        )
        assert await heads(rated ^ recent, exclude=True) == ["Lennon tribute"]
        named = orm.Q(headline__startswith="L")
        three = sorted(
            h
            for _, h, day, r, _ in ENTRIES
            if ((r >= 4) + (day.year == 2008) + h.startswith("L")) % 2 == 1
        )
        assert (
            await heads(rated ^ recent ^ named) == three == ["Abbey Road", "Brie", "Lennon tribute"]
        )
        # an unknown (NULL) condition counts as false, as Django's XOR on SQLite and PostgreSQL
        nicked = orm.Q(nick="john") ^ orm.Q(name__in=["Joe", "Lennon"])
        assert sorted(a.name for a in await W9Author.filter(nicked)) == ["Joe"]
        assert sorted(a.name for a in await W9Author.exclude(nicked)) == ["Lennon", "McCartney"]
        # across a to-many relation, per related row as an OR is
        blogs = W9Blog.filter(orm.Q(entries__rating=5) ^ orm.Q(entries__pub_date__year=2007))
        assert [b.name for b in await blogs] == []
        blogs = W9Blog.filter(orm.Q(entries__rating=5) ^ orm.Q(entries__rating=2))
        assert [b.name for b in await blogs] == ["Cheddar Talk"]
        # one entry meets both (Lennon tribute), another one only (Abbey Road): kept
        split = W9Blog.filter(orm.Q(entries__rating=4) ^ orm.Q(entries__pub_date__year=2008))
        assert sorted(b.name for b in await split) == ["Beatles Blog", "Cheddar Talk"]
        assert await split.count() == 2
        none_such = W9Blog.exclude(orm.Q(entries__rating=4) ^ orm.Q(entries__pub_date__year=2008))
        assert [b.name for b in await none_such] == ["Empty"]
        assert repr(rated ^ recent).count("XOR") == 1
        # on aggregates (HAVING) and on windows (after them)
        counted = W9Blog.annotate(n=orm.Count("entries"))
        odd = counted.filter(orm.Q(n=2) ^ orm.Q(name="Beatles Blog"))
        assert await odd.values_list("name", flat=True) == ["Cheddar Talk"]
        numbered = W9Entry.annotate(r=orm.Window(orm.RowNumber(), order_by="id"))
        picked = numbered.filter(orm.Q(r=1) ^ orm.Q(rating=3)).order_by("id")
        assert await picked.values_list("headline", flat=True) == ["Lennon tribute", "Abbey Road"]
        both = numbered.filter(orm.Q(r=1) ^ orm.Q(rating=4)).order_by("id")
        assert await both.values_list("headline", flat=True) == []


# -- exclude(a, b) across a to-many relation: ferrule's complement, Django's exception --------


async def test_exclude_of_two_conditions_across_a_to_many_relation(url: str) -> None:
    """Django's "Spanning multi-valued relationships" example: its exclude() drops the blogs
    with a 'Lennon' entry and a 2008 entry, not necessarily the same one. ferrule's is the
    complement of filter(a, b) (README); Django's answer is spelled with a subquery."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        both = {"entries__headline__contains": "Lennon", "entries__pub_date__year": 2008}
        same = sorted(b.name for b in await W9Blog.filter(**both))
        assert same == ["Beatles Blog"]
        kept = sorted(b.name for b in await W9Blog.exclude(**both))
        assert kept == ["Cheddar Talk", "Empty"]  # the complement of filter(a, b)
        apart = W9Blog.filter(entries__headline__contains="Lennon").filter(
            entries__pub_date__year=2008
        )
        djangos = sorted(b.name for b in await W9Blog.exclude(pk__in=apart))
        assert djangos == ["Empty"]  # the answer Django's page gives for its exclude()


# -- update_or_create(create_defaults=...): Django 5.0 -----------------------------------------


async def test_update_or_create_with_create_defaults(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        made, created = await W9Author.update_or_create(
            name="Ringo", defaults={"nick": "updated"}, create_defaults={"nick": "made"}
        )
        assert (made.nick, created) == ("made", True)
        again, created = await W9Author.update_or_create(
            name="Ringo", defaults={"nick": "updated"}, create_defaults={"nick": "made"}
        )
        assert (again.pk, again.nick, created) == (made.pk, "updated", False)
        stored = await W9Author.filter(name="Ringo").values_list("nick", flat=True)
        assert stored == ["updated"]
        # defaults make the row when create_defaults is not given (as before)
        plain, created = await W9Author.update_or_create(name="Pete", defaults={"nick": "p"})
        assert (plain.nick, created) == ("p", True)
        # through a queryset, a related manager and inside a transaction
        beatles = await W9Blog.get(name="Beatles Blog")
        entry, created = await beatles.entries.update_or_create(
            headline="Help!",
            defaults={"rating": 1},
            create_defaults={"rating": 7, "pub_date": dt.date(1965, 8, 6)},
        )
        assert (entry.rating, entry.blog_id, created) == (7, beatles.pk, True)
        async with orm.transaction():
            found, created = await W9Author.all().update_or_create(
                name="Joe", create_defaults={"nick": "never"}, defaults={"nick": "joey"}
            )
        assert (found.nick, created) == ("joey", False)
        with pytest.raises(FieldError, match="has no field 'nope'"):
            await W9Author.update_or_create(name="Zed", create_defaults={"nope": 1})


# -- annotate() then filter() across the aggregated relation: Django's "order of clauses" --


async def test_filter_after_annotate_keeps_the_aggregate_of_every_related_row(url: str) -> None:
    """Django's Aggregation page: in ``annotate(n=Count("book", distinct=True))
    .filter(book__rating__gt=3)`` the filter picks the publishers and leaves the count of all
    their books; an Avg, Min or Max is the same. (A plain Count or Sum there is multiplied by
    Django's second join: still refused.)"""
    async with opened(url) as db, own_tables(*MODELS):
        await _load()
        counted = W9Blog.annotate(n=orm.Count("entries", distinct=True)).filter(
            entries__rating__gt=3
        )
        assert sorted(await counted.values_list("name", "n")) == await _raw(
            db,
            "SELECT b.name, COUNT(DISTINCT e.id) FROM ormt_w9_blog b JOIN ormt_w9_entry e "
            "ON e.blog_id = b.id WHERE b.id IN (SELECT blog_id FROM ormt_w9_entry "
            "WHERE rating > 3) GROUP BY b.id, b.name",
        )
        assert sorted((b.name, b.n) for b in await counted) == [
            ("Beatles Blog", 2),
            ("Cheddar Talk", 2),
        ]
        assert await counted.count() == 2
        # the other order counts the matching rows only
        first = W9Blog.filter(entries__rating__gt=3).annotate(n=orm.Count("entries"))
        assert sorted(await first.values_list("name", "n")) == [
            ("Beatles Blog", 1),
            ("Cheddar Talk", 1),
        ]
        spread = W9Blog.annotate(
            avg=orm.Avg("entries__rating"), low=orm.Min("entries__rating")
        ).filter(entries__rating__gt=3)
        assert sorted(await spread.values_list("name", "avg", "low")) == [
            ("Beatles Blog", 3.5, 3),
            ("Cheddar Talk", 3.5, 2),
        ]
        one_call = counted.filter(entries__rating__gt=3, entries__pub_date__year=2007)
        assert await one_call.values_list("name", "n") == [("Cheddar Talk", 2)]
        two_calls = W9Blog.annotate(n=orm.Count("entries", distinct=True)).filter(
            entries__rating__gt=4
        )
        two_calls = two_calls.filter(entries__pub_date__year=2008)
        assert await two_calls.values_list("name", "n") == [("Cheddar Talk", 2)]
        having = counted.filter(n__gte=2, entries__headline__startswith="Brie")
        assert await having.values_list("name", flat=True) == ["Cheddar Talk"]
        by_author = W9Entry.annotate(n=orm.Count("authors", distinct=True)).filter(
            authors__name="McCartney"
        )
        assert sorted(await by_author.values_list("headline", "n")) == [
            ("Abbey Road", 2),
            ("Brie", 1),
        ]
        for least in range(7):  # against the rows, in Python
            blogs: dict[str, list[int]] = {}
            for blog, _, _, rating, _ in ENTRIES:
                blogs.setdefault(blog, []).append(rating)
            want = sorted(
                (b, len(rs), max(rs), sum(rs) / len(rs))
                for b, rs in blogs.items()
                if any(r > least for r in rs)
            )
            qs = W9Blog.annotate(
                n=orm.Count("entries", distinct=True),
                top=orm.Max("entries__rating"),
                avg=orm.Avg("entries__rating"),
            ).filter(entries__rating__gt=least)
            assert sorted(await qs.values_list("name", "n", "top", "avg")) == want, least
            assert await qs.count() == len(want), least
        multiplied = W9Blog.annotate(n=orm.Count("entries")).filter(entries__rating__gt=3)
        with pytest.raises(FieldError, match="distinct=True"):
            await multiplied


# -- dates() and datetimes(): Django's date lists ---------------------------------------------


async def test_dates_and_datetimes_list_the_distinct_truncated_values(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _load()
        utc = dt.timezone.utc
        stamps = {"Abbey Road": dt.datetime(2008, 6, 1, 13, 5, tzinfo=utc)}
        stamps["Brie"] = dt.datetime(2008, 6, 1, 9, 59, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        for headline, stamp in stamps.items():
            await W9Entry.filter(headline=headline).update(stamp=stamp)
        days = [day for _, _, day, _, _ in ENTRIES]

        def truncated(kind: str) -> list[dt.date]:
            cut = {
                "year": lambda d: d.replace(month=1, day=1),
                "month": lambda d: d.replace(day=1),
                "week": lambda d: d - dt.timedelta(days=d.weekday()),
                "day": lambda d: d,
            }[kind]
            return sorted({cut(d) for d in days})

        for kind in ("year", "month", "week", "day"):
            assert await W9Entry.all().dates("pub_date", kind) == truncated(kind), kind
            assert (
                await W9Entry.all().dates("pub_date", kind, order="DESC") == truncated(kind)[::-1]
            )
        recent = W9Entry.filter(authors__name="McCartney").dates("pub_date", "year")
        assert await recent == [dt.date(2008, 1, 1)]
        assert await recent.count() == 1
        hours = await W9Entry.all().datetimes("stamp", "hour")  # NULLs left out, in UTC
        assert hours == [
            dt.datetime(2008, 6, 1, 7, tzinfo=utc),
            dt.datetime(2008, 6, 1, 13, tzinfo=utc),
        ]
        assert await W9Entry.all().datetimes("stamp", "day") == [
            dt.datetime(2008, 6, 1, tzinfo=utc)
        ]
        refused = {
            "kind": (
                lambda: W9Entry.all().dates("pub_date", "hour"),
                "'year', 'month', 'week' or 'day'",
            ),
            "order": (
                lambda: W9Entry.all().dates("pub_date", "day", order="up"),
                "'ASC' or 'DESC'",
            ),
            "text": (lambda: W9Entry.all().dates("headline", "day"), "not a date"),
            "datetime": (lambda: W9Entry.all().dates("stamp", "day"), "datetimes()"),
            "date": (lambda: W9Entry.all().datetimes("pub_date", "day"), "dates()"),
        }
        for make, words in refused.values():
            with pytest.raises(FieldError, match=re.escape(words)):
                await make()


# -- exists() of a slice past an offset, over a to-many join -----------------------------------


async def test_exists_of_a_slice_counts_each_row_once(url: str) -> None:
    """``qs[n:].exists()`` is whether ``qs`` has more than n rows. Over a to-many join (whose
    rows come once each) it asked ``SELECT DISTINCT 1 ... OFFSET n``: the one distinct row
    made SQLite and PostgreSQL answer False past the first, and MariaDB counted the joined
    rows (True for ``[3:]`` of three)."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        both = W9Entry.filter(authors__name__in=["Lennon", "McCartney"]).order_by("id")
        rows = [e.headline for e in await both]
        assert len(rows) == 3
        for start in range(5):
            assert await both[start:].exists() is (start < 3), start
            assert await both[start : start + 1].exists() is (start < 3), start
            assert len(await both[start:]) == max(0, 3 - start), start
        blogs = W9Blog.filter(entries__rating__gte=2).order_by("name")  # a reverse key
        assert await blogs[1:].exists() is True
        assert await blogs[2:].exists() is False
        ids = W9Entry.values_list("blog", flat=True).distinct()
        assert await ids[1:].exists() is True
        assert await ids[2:].exists() is False
        later = orm.Exists(
            W9Entry.filter(blog=orm.OuterRef("pk"), authors__isnull=False).order_by("id")[1:]
        )  # a blog with two entries that have authors
        flagged = W9Blog.annotate(more=later).order_by("name").values_list("name", "more")
        assert await flagged == [
            ("Beatles Blog", True),
            ("Cheddar Talk", False),
            ("Empty", False),
        ]


# -- get() of a slice -------------------------------------------------------------------------


async def test_get_of_a_slice_reads_the_slice(url: str) -> None:
    """``qs[1:2].get()`` is the slice's one row, as in Django: get() widened the slice to two
    rows (MultipleObjectsReturned), and ``qs[:1].get(headline=...)`` searched the rows
    before slicing (Django: "Cannot filter a query once a slice has been taken")."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        ordered = W9Entry.order_by("id")
        assert (await ordered[1:2].get()).headline == "Abbey Road"
        assert (await ordered[:1].get()).headline == "Lennon tribute"
        assert (await ordered[3:].get()).headline == "Brie"
        assert (await ordered[3:9].get_or_none()).headline == "Brie"  # type: ignore[union-attr]
        with pytest.raises(W9Entry.MultipleObjectsReturned):
            await ordered[2:].get()
        with pytest.raises(W9Entry.DoesNotExist):
            await ordered[4:].get()
        both = W9Entry.filter(authors__name__in=["Lennon", "McCartney"]).order_by("id")
        assert (await both[1:2].get()).headline == "Abbey Road"
        with pytest.raises(ORMError, match=r"get\(\) of a slice"):
            await ordered[:1].get(headline="Brie")
        with pytest.raises(ORMError, match=r"get\(\) of a slice"):
            await ordered[:1].get_or_none(orm.Q(headline="Brie"))


class W9Ranked(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=20)
    rank = orm.IntField()

    class Meta:
        table = "ormt_w9_ranked"
        ordering = ["-rank", "label"]


async def test_distinct_values_beside_a_default_ordering(url: str) -> None:
    """Django puts the Meta.ordering columns into SELECT DISTINCT (repeating values); here
    it is refused, and the message says how to clear it."""
    async with opened(url), own_tables(W9Ranked):
        for label, rank in (("a", 1), ("b", 2), ("c", 2)):
            await W9Ranked.create(label=label, rank=rank)
        with pytest.raises(FieldError, match=r"Meta.ordering 'label'.*clear it with order_by\(\)"):
            await W9Ranked.values_list("rank", flat=True).distinct()
        ranks = W9Ranked.values_list("rank", flat=True).distinct().order_by()
        assert sorted(await ranks) == [1, 2]
        assert await W9Ranked.values_list("rank", flat=True).distinct().order_by("rank") == [1, 2]
        grouped = await W9Ranked.values("rank").annotate(n=orm.Count("id"))
        assert sorted(grouped, key=lambda r: r["rank"]) == [
            {"rank": 1, "n": 1},
            {"rank": 2, "n": 2},
        ]  # Meta.ordering does not split the groups (Django 3.1+)


async def test_exists_combines_with_q_objects(url: str) -> None:
    """``Exists(...) | Q(...)``, ``Q(...) & Exists(...)``, ``^``: Django's spellings (they
    were TypeErrors; ``Q(Exists(...))`` worked)."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        top = orm.Exists(W9Entry.filter(blog=orm.OuterRef("pk"), rating=5))
        early = orm.Exists(W9Entry.filter(blog=orm.OuterRef("pk"), pub_date__year=2007))
        lennon = orm.Exists(W9Entry.filter(blog=orm.OuterRef("pk"), authors__name="Lennon"))

        async def names(*q: Any) -> list[str]:
            return sorted(b.name for b in await W9Blog.filter(*q))

        assert await names(top | orm.Q(name="Empty")) == ["Cheddar Talk", "Empty"]
        assert await names(orm.Q(name="Empty") | top) == ["Cheddar Talk", "Empty"]
        assert await names(orm.Q(name="Beatles Blog") & top) == []
        assert await names(top & early) == ["Cheddar Talk"]
        assert await names(top ^ lennon) == ["Beatles Blog", "Cheddar Talk"]
        assert await names(top ^ early) == []
        assert await names(~(top | lennon)) == ["Empty"]
        with pytest.raises(TypeError):
            top & 1


# -- a field compared with F() of another type ------------------------------------------------


async def test_a_field_compared_with_f_of_another_type_is_refused(url: str) -> None:
    """``filter(pub_date=F("stamp"))``, a date with a datetime, gave two answers: SQLite
    compares their texts ('2008-03-01' is less than '2008-03-01 00:00:00'), PostgreSQL and
    MariaDB the values (equal at midnight). Now a FieldError, as the same comparison with an
    OuterRef is; F() of the same type is compared as before."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        midnight = dt.datetime(2008, 3, 1, tzinfo=dt.timezone.utc)
        await W9Entry.filter(headline="Lennon tribute").update(stamp=midnight)
        refused = {
            "date = datetime": lambda: W9Entry.filter(pub_date=orm.F("stamp")),
            "date < datetime": lambda: W9Entry.filter(pub_date__lt=orm.F("stamp")),
            "datetime >= date": lambda: W9Entry.exclude(stamp__gte=orm.F("pub_date")),
            "int = text": lambda: W9Entry.filter(rating=orm.F("headline")),
            "text = date": lambda: W9Blog.filter(name=orm.F("entries__pub_date")),
        }
        for make in refused.values():
            with pytest.raises(FieldError, match="cannot compare with"):
                await make()
        same = W9Entry.filter(pub_date__lte=orm.F("pub_date"), rating__gte=orm.F("id") - 100)
        assert await same.count() == 4
        by_day = W9Entry.filter(pub_date=orm.TruncDate("stamp"))  # a date with a date
        assert await by_day.values_list("headline", flat=True) == ["Lennon tribute"]


async def test_contains_and_alias(url: str) -> None:
    """Django's ``qs.contains(obj)`` (4.0) answers, as does ``alias()`` (3.2; it was an
    AttributeError, then a refusal; tests/orm/test_openitems2_alias.py has its cases)."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        brie = await W9Entry.get(headline="Brie")
        abbey = await W9Entry.get(headline="Abbey Road")
        mccartney = W9Entry.filter(authors__name="McCartney")
        assert await mccartney.contains(brie) is True
        assert await W9Entry.filter(rating__gt=2).contains(brie) is False
        ordered = W9Entry.order_by("id")
        assert await ordered[1:2].contains(abbey) is True  # the slice's own rows
        assert await ordered[2:].contains(abbey) is False
        assert await W9Entry.none().contains(brie) is False
        beatles = await W9Blog.get(name="Beatles Blog")
        with pytest.raises(FieldError, match="W9Blog instance"):
            await mccartney.contains(beatles)
        with pytest.raises(FieldError, match="unsaved"):
            await mccartney.contains(W9Entry(blog=beatles, headline="x", pub_date=dt.date.today()))
        with pytest.raises(FieldError, match="values"):
            await mccartney.values("id").contains(brie)
        by_mccartney = W9Entry.all().alias(
            n=orm.Count("authors", filter=orm.Q(authors__name="McCartney"))
        )
        assert await by_mccartney.filter(n__gt=0).contains(brie) is True


async def test_many_to_many_get_or_create_and_update_or_create(url: str) -> None:
    """``entry.authors.get_or_create(...)``/``update_or_create(...)``, as Django's: looked up
    among the linked rows; a new row is made and linked, both or neither (they were
    AttributeErrors)."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        cheese = await W9Entry.get(headline="Lennon and cheese")
        ringo, created = await cheese.authors.get_or_create(name="Ringo", defaults={"nick": "r"})
        assert (created, ringo.nick) == (True, "r")
        again, created = await cheese.authors.get_or_create(name="Ringo")
        assert (created, again.pk) == (False, ringo.pk)
        # an author that exists but is not linked: a new one is made (Django's answer)
        _, created = await cheese.authors.get_or_create(name="Joe")
        assert created is True
        assert await W9Author.filter(name="Joe").count() == 2
        names = await cheese.authors.order_by("name").values_list("name", flat=True)
        assert names == ["Joe", "Ringo"]
        tribute = await W9Entry.get(headline="Lennon tribute")
        lennon, created = await tribute.authors.update_or_create(
            name="Lennon", defaults={"nick": "john"}
        )
        assert (created, lennon.nick) == (False, "john")
        paul, created = await tribute.authors.update_or_create(
            name="Paul", defaults={"nick": "x"}, create_defaults={"nick": "macca"}
        )
        assert (created, paul.nick) == (True, "macca")
        assert await tribute.authors.count() == 2
        # reverse side: an author's entries
        made, created = await paul.entries.get_or_create(
            headline="Yesterday",
            defaults={"blog": await W9Blog.get(name="Empty"), "pub_date": dt.date(1965, 8, 6)},
        )
        assert created is True
        assert await made.authors.values_list("name", flat=True) == ["Paul"]
        with pytest.raises(FieldError):  # a bad default: nothing made, nothing linked
            await cheese.authors.get_or_create(name="Nobody", defaults={"nope": 1})
        assert await W9Author.filter(name="Nobody").count() == 0


def test_dates_datetimes_and_alias_stay_free_field_names() -> None:
    """QuerySet methods only (``Entry.all().dates(...)``), as ``latest``: on the model class
    they would take three everyday field names, which ``orm.Model`` refuses."""

    class W9Nickname(orm.Model):
        id: int = orm.Field(primary_key=True)
        alias: str = ""
        dates: str = ""
        datetimes: str = ""

    assert W9Nickname(alias="a", dates="d").alias == "a"
