"""Aggregates checked against the database's own answer to the equivalent SQL: rows repeated
by a to-many join never multiply a Count/Sum/Avg silently (the answer is exact, or a
``FieldError`` says why it cannot be), and distinct, sliced and grouped querysets count and
aggregate the rows they would return."""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import CancelTrap, cut_at, opened
from .models import Author, Club, Color, Everything, Level, Membership, Post, Tag


async def _data() -> None:
    """Ada: 3 posts (views 0, 1, 2), in clubs c1 and c2; Bob: 1 post (views 10), in c1;
    Cy: no post, no club. Post a0 has tags t1 and t2, b has t1."""
    ada = await Author.create(name="Ada", rating=1)
    bob = await Author.create(name="Bob", rating=3)
    await Author.create(name="Cy", rating=3)
    posts = [await Post.create(title=f"a{i}", author=ada, views=i) for i in range(3)]
    posts.append(await Post.create(title="b", author=bob, views=10))
    t1, t2 = await Tag.create(label="t1"), await Tag.create(label="t2")
    await posts[0].tags.add(t1, t2)  # type: ignore[attr-defined]
    await posts[3].tags.add(t1)  # type: ignore[attr-defined]
    c1, c2 = await Club.create(name="c1"), await Club.create(name="c2")
    for club, person in ((c1, ada), (c2, ada), (c1, bob)):
        await Membership.create(club=club, person=person)


async def _sql(db: Any, text: str) -> list[tuple[Any, ...]]:
    """The database's own answer, numbers as int (drivers differ in their numeric types)."""
    rows = await db.fetch_all(text)
    return [tuple(int(v) if isinstance(v, decimal.Decimal) else v for v in r) for r in rows]


_PER_AUTHOR = """SELECT a.name,
  (SELECT COUNT(*) FROM ormt_post p WHERE p.author_id = a.id),
  (SELECT COUNT(*) FROM ormt_membership m WHERE m.person_id = a.id)
FROM ormt_author a ORDER BY a.name"""


async def test_two_to_many_aggregates_are_not_multiplied(url: str) -> None:
    async with opened(url) as db:
        await _data()
        expected = await _sql(db, _PER_AUTHOR)
        assert expected == [("Ada", 3, 2), ("Bob", 1, 1), ("Cy", 0, 0)]
        both = Author.annotate(n=orm.Count("posts"), c=orm.Count("clubs")).order_by("name")
        with pytest.raises(FieldError, match="multipl"):
            await both
        assert await both.count() == 3  # the groups, which no join multiplies
        with pytest.raises(FieldError, match="multipl"):
            await both.filter(n__gt=2).count()
        # an aggregate of the model's own column beside a to-many join
        with pytest.raises(FieldError, match="multipl"):
            await Author.annotate(n=orm.Count("posts"), s=orm.Sum("rating"))
        # nested: the posts repeated by their tags
        with pytest.raises(FieldError, match="multipl"):
            await Author.annotate(n=orm.Count("posts"), t=orm.Count("posts__tags"))
        # distinct counts, Min and Max are not changed by repeated rows: answered
        exact = Author.annotate(
            n=orm.Count("posts", distinct=True),
            c=orm.Count("clubs", distinct=True),
            top=orm.Max("posts__views"),
        ).order_by("name")
        assert [(a.name, a.n, a.c) for a in await exact] == expected  # type: ignore[attr-defined]
        assert [a.top for a in await exact] == [2, 10, None]  # type: ignore[attr-defined]


async def test_filter_on_another_to_many_relation_does_not_multiply(url: str) -> None:
    async with opened(url) as db:
        await _data()
        posts_in_clubs = await _sql(
            db,
            "SELECT a.name, COUNT(p.id) FROM ormt_author a LEFT JOIN ormt_post p"
            " ON p.author_id = a.id WHERE a.id IN (SELECT m.person_id FROM ormt_membership m"
            " JOIN ormt_club c ON c.id = m.club_id WHERE c.name LIKE 'c%')"
            " GROUP BY a.id, a.name ORDER BY a.name",
        )
        assert posts_in_clubs == [("Ada", 3), ("Bob", 1)]
        before = Author.filter(clubs__name__startswith="c").annotate(n=orm.Count("posts"))
        assert await before.order_by("name").values_list("name", "n") == posts_in_clubs
        assert await before.count() == 2
        # annotate() then a filter across another to-many relation: the same rows
        after = Author.annotate(n=orm.Count("posts")).filter(clubs__name__startswith="c")
        assert await after.order_by("name").values_list("name", "n") == posts_in_clubs
        own = Author.filter(posts__views__gte=0).annotate(s=orm.Sum("rating")).order_by("name")
        assert [(a.name, int(a.s)) for a in await own] == [("Ada", 1), ("Bob", 3)]  # type: ignore[attr-defined]
        # the same relation filtered and aggregated keeps sharing its join (Django's rule)
        shared = Author.filter(posts__views__gt=0).annotate(n=orm.Count("posts"))
        assert await shared.order_by("name").values_list("name", "n") == [("Ada", 2), ("Bob", 1)]
        # one OR tree restricting the counted posts and testing the clubs: no one answer
        mixed = Author.filter(orm.Q(posts__views__gt=0) | orm.Q(clubs__name="c2"))
        with pytest.raises(FieldError, match="multipl"):
            await mixed.annotate(n=orm.Count("posts"))


async def test_aggregate_over_a_to_many_filter_is_exact(url: str) -> None:
    async with opened(url) as db:
        await _data()
        raw = await _sql(
            db,
            "SELECT SUM(rating), COUNT(*) FROM ormt_author"
            " WHERE id IN (SELECT author_id FROM ormt_post WHERE views >= 0)",
        )
        found = await Author.filter(posts__views__gte=0).aggregate(
            s=orm.Sum("rating"), n=orm.Count("id")
        )
        assert [(int(found["s"]), found["n"])] == raw == [(4, 2)]
        clubbed = await Author.filter(clubs__name="c1").aggregate(n=orm.Count("posts"))
        assert clubbed == {"n": 4}
        # filtered and aggregated across the same relation: the matching posts (Django's rule)
        viewed = await Author.filter(posts__views__gt=0).aggregate(s=orm.Sum("posts__views"))
        assert int(viewed["s"]) == 13
        with pytest.raises(FieldError, match="multipl"):
            await Author.aggregate(n=orm.Count("posts"), c=orm.Count("clubs"))


async def test_distinct_values_count_and_aggregate(url: str) -> None:
    async with opened(url) as db:
        await _data()
        raw = await _sql(db, "SELECT COUNT(*) FROM (SELECT DISTINCT rating FROM ormt_author) d")
        assert raw == [(2,)]
        ratings = Author.values("rating").distinct()
        assert len(await ratings) == 2
        assert await ratings.count() == 2
        assert await Author.values_list("rating", flat=True).distinct().count() == 2
        assert await Post.annotate(v=orm.F("author_id")).values("v").distinct().count() == 2
        assert await Post.values("author__name").distinct().count() == 2
        assert await ratings.order_by("rating")[1:].count() == 1
        summed = await _sql(
            db, "SELECT SUM(rating) FROM (SELECT DISTINCT rating FROM ormt_author) d"
        )
        assert summed == [(4,)]
        total = await ratings.aggregate(s=orm.Sum("rating"), n=orm.Count("rating"))
        assert (int(total["s"]), total["n"]) == summed[0] + (2,)


async def test_aggregate_of_a_sliced_queryset(url: str) -> None:
    async with opened(url) as db:
        await _data()
        raw = await _sql(
            db,
            "SELECT SUM(rating) FROM (SELECT rating FROM ormt_author ORDER BY name LIMIT 2) s",
        )
        assert raw == [(4,)]
        found = await Author.order_by("name")[:2].aggregate(s=orm.Sum("rating"))
        assert int(found["s"]) == 4
        last = await Author.order_by("name")[2:].aggregate(s=orm.Sum("rating"), n=orm.Count("*"))
        assert (int(last["s"]), last["n"]) == (3, 1)
        # a grouped queryset keeps its order under the slice
        busiest = Author.annotate(n=orm.Count("posts")).order_by("-n")[:1]
        assert await busiest.aggregate(m=orm.Min("n")) == {"m": 3}
        grouped = Post.values("author_id").annotate(n=orm.Count("id")).order_by("n")[:1]
        assert await grouped.aggregate(m=orm.Max("n")) == {"m": 1}


async def test_first_and_last_of_a_grouped_queryset_are_groups(url: str) -> None:
    async with opened(url):
        await _data()
        by_author = Post.values("author__name").annotate(n=orm.Count("id"))
        assert await by_author.first() == {"author__name": "Ada", "n": 3}
        assert await by_author.last() == {"author__name": "Bob", "n": 1}
        assert await by_author.order_by("n").first() == {"author__name": "Bob", "n": 1}


async def test_min_max_keep_the_field_type(url: str) -> None:
    """Min/Max of a column are values of the field: the same Python type on every database
    (the database hands SQLite's dates and MariaDB's UTC datetimes over as storage)."""
    async with opened(url):
        key = uuid.UUID(int=5)
        moment = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
        await Everything.create(
            id=1,
            day=dt.date(2020, 1, 1),
            moment=moment,
            naive=dt.datetime(2020, 1, 1, 12),
            clock=dt.time(1, 2, 3),
            span=dt.timedelta(seconds=3),
            key=key,
            color=Color.RED,
            level=Level.HIGH,
            price=decimal.Decimal("1.250"),
        )
        await Everything.create(id=2, day=dt.date(2021, 6, 1), level=Level.LOW)
        found = await Everything.aggregate(
            day=orm.Max("day"),
            first=orm.Min("day"),
            moment=orm.Max("moment"),
            naive=orm.Min("naive"),
            clock=orm.Max("clock"),
            span=orm.Max("span"),
            color=orm.Max("color"),
            level=orm.Max("level"),
            price=orm.Max("price"),
        )
        assert found == {
            "day": dt.date(2021, 6, 1),
            "first": dt.date(2020, 1, 1),
            "moment": moment,
            "naive": dt.datetime(2020, 1, 1, 12),
            "clock": dt.time(1, 2, 3),
            "span": dt.timedelta(seconds=3),
            "color": Color.RED,
            "level": Level.HIGH,
            "price": decimal.Decimal("1.25"),
        }
        assert type(found["moment"]) is dt.datetime and found["moment"].tzinfo is not None
        assert await Everything.aggregate(k=orm.Max("key")) == {"k": key}
        grouped = await Everything.values("level").annotate(d=orm.Max("day")).order_by("level")
        assert grouped == [
            {"level": Level.LOW, "d": dt.date(2021, 6, 1)},
            {"level": Level.HIGH, "d": dt.date(2020, 1, 1)},
        ]
        latest = Author.annotate(latest=orm.Max("posts__created"))
        await Post.create(title="x", author=await Author.create(name="Zed"))
        (zed,) = await latest
        assert isinstance(zed.latest, dt.datetime) and zed.latest.tzinfo is not None  # type: ignore[attr-defined]
        spans = (
            await Everything.annotate(s=orm.F("span")).order_by("id").values_list("s", flat=True)
        )
        assert spans == [dt.timedelta(seconds=3), None]


async def test_annotation_named_like_a_model_attribute(url: str) -> None:
    """``a.last`` is the classmethod ``Author.last``, not the annotation: refused on
    instances (it would be silently shadowed), fine in values()."""
    async with opened(url):
        await _data()
        for name in ("last", "save", "pk", "count", "model_dump", "DoesNotExist"):
            with pytest.raises(FieldError, match="attribute"):
                await Author.annotate(**{name: orm.Count("posts")})
        counted = Author.annotate(count=orm.Count("posts")).order_by("name")
        assert await counted.values_list("name", "count") == [("Ada", 3), ("Bob", 1), ("Cy", 0)]
        assert await counted.filter(count__gt=1).values_list("name", flat=True) == ["Ada"]


async def test_sum_of_integers_is_an_int(url: str) -> None:
    """Sum/Count of integer columns come back as int on every database (MariaDB hands a
    SUM over as a Decimal, PostgreSQL a SUM of BIGINT): the same value, the field's type."""
    async with opened(url):
        await _data()
        found = await Post.aggregate(s=orm.Sum("views"), n=orm.Count("id"))
        assert found == {"s": 13, "n": 4} and type(found["s"]) is int
        rows = await Author.annotate(s=orm.Sum("posts__views")).order_by("name").values("s")
        assert rows == [{"s": 3}, {"s": 10}, {"s": None}]
        assert all(type(r["s"]) in (int, type(None)) for r in rows)
        big = await Post.aggregate(s=orm.Sum("id"))
        assert type(big["s"]) is int


class _LyingInt(int):
    """Equal to everything, one hash for all: a value that must not decide a cache hit."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 1


async def test_annotation_filter_values_are_checked_as_its_type(url: str) -> None:
    """A value compared with an annotation is checked as the annotation's type, as a
    field's is (SQLite compared ``n > '1'`` as text, MariaDB as a number, PostgreSQL
    refused it: three answers), and converted to its storage (a ``Max`` of a datetime)."""
    async with opened(url):
        await _data()
        counted = Author.annotate(n=orm.Count("posts")).order_by("name")
        for bad in ("1", dt.date(2020, 1, 1), True, [1], b"1"):
            with pytest.raises((FieldError, ValueError)):
                await counted.filter(n__gt=bad)
            with pytest.raises((FieldError, ValueError)):
                await counted.filter(n__in=[bad])
        with pytest.raises(FieldError, match="pair"):
            await counted.filter(n__range={1: 2, 3: 4})
        with pytest.raises(FieldError, match="pair"):
            await Author.filter(rating__range={1, 3})
        assert await counted.filter(n=_LyingInt(3)).values_list("name", flat=True) == ["Ada"]
        assert await counted.filter(n__gt=1.5).values_list("name", flat=True) == ["Ada"]
        # a Sum of an int field takes what the field takes ("3" is 3, as in filter(views="3"))
        viewed = Author.annotate(s=orm.Sum("posts__views")).order_by("name")
        assert await viewed.filter(s__gte="3").values_list("name", flat=True) == ["Ada", "Bob"]
        with pytest.raises((FieldError, ValueError)):
            await viewed.filter(s__gte="three")
        latest = Author.annotate(m=orm.Max("posts__created"))
        with pytest.raises((FieldError, ValueError)):
            await latest.filter(m__gt="soon")
        past = dt.datetime(2000, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))
        assert await latest.filter(m__gt=past).order_by("name").values_list("name", flat=True) == [
            "Ada",
            "Bob",
        ]
        future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
        assert await latest.filter(m__lt=future).count() == 2
        assert await latest.filter(m__gt=future).count() == 0


async def test_cached_queries_are_not_served_for_a_lying_value(url: str) -> None:
    async with opened(url):
        await _data()
        orm.query_cache.clear()
        counted = Author.annotate(n=orm.Count("posts")).values_list("name", flat=True)
        assert await counted.filter(n=1).cached(ttl=60) == ["Bob"]
        assert await counted.filter(n=_LyingInt(3)).cached(ttl=60) == ["Ada"]
        assert await Author.filter(rating=_LyingInt(1)).values_list("name", flat=True).cached(
            ttl=60
        ) == ["Ada"]


async def test_sum_and_avg_take_numeric_fields(url: str) -> None:
    """SQLite and MariaDB answer SUM/AVG of text with 0, PostgreSQL refuses: refused."""
    async with opened(url):
        await _data()
        for aggregate in (orm.Sum("name"), orm.Avg("name"), orm.Sum("posts__created")):
            with pytest.raises(FieldError, match="number"):
                await Author.aggregate(x=aggregate)
            with pytest.raises(FieldError, match="number"):
                await Author.annotate(x=aggregate)
        assert await Author.aggregate(n=orm.Count("name"), m=orm.Max("name")) == {
            "n": 3,
            "m": "Cy",
        }


_GROUPED_OPERATIONS = ("begin", "commit", "rollback", "execute", "fetch_tuples", "fetch_one")


_EXPECTED = ([("Ada", 3), ("Bob", 1), ("Cy", 0)], 2, {"t": 4})


async def _grouped_reads() -> tuple[Any, ...]:
    counted = Author.annotate(n=orm.Count("posts")).order_by("name")
    rows = await counted.values_list("name", "n")
    having = await counted.filter(n__gt=0).count()
    total = await counted.aggregate(t=orm.Sum("n"))
    return rows, having, total


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_cancel_a_grouped_query_at_every_await_point_in_a_transaction(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write through a HAVING filter, then grouped reads, in one transaction, cancelled
    at every await point: the write is all or nothing, the connection goes back clean, and
    the next grouped query on it reads its own answer (never a cancelled one's rows)."""
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        await _data()
        trap = CancelTrap(_GROUPED_OPERATIONS)
        if how == "in_flight":
            trap.install(monkeypatch, type(db._pool.idle_connections()[0]))
        outcomes: collections.Counter[str] = collections.Counter()
        finished = 0
        for n in range(300):
            tx = db.transaction()
            seen: list[Any] = []

            async def work(tx: Any = tx, seen: list[Any] = seen) -> None:
                async with tx:
                    counted = Author.annotate(n=orm.Count("posts"))
                    assert await counted.filter(n=0).update(rating=7) == 1
                    seen.append(await _grouped_reads())

            outcome, _ = await cut_at(work(), n, None if how == "loop" else trap)
            outcomes[outcome] += 1
            assert db.stats()["in_use"] == 0
            assert await _grouped_reads() == _EXPECTED  # the connection answers afresh
            rating = (await Author.get(name="Cy")).rating
            assert rating == (7 if tx.committed else 3), (outcome, rating)
            if outcome == "ok":
                assert tx.committed and seen == [_EXPECTED]
            await Author.filter(name="Cy").update(rating=3)
            if how == "in_flight" and trap.calls < trap.target:
                break  # every operation got its cancellation
            finished = finished + 1 if outcome == "ok" else 0
            if finished == 3:
                break
        assert outcomes["cancelled"] > 0, outcomes
        # on a server, loop turns are not await points (the network decides how many pass):
        # there the in-flight trap reaches each operation, and these runs check the states
        assert outcome == "ok" or (how == "loop" and dialect != "sqlite"), outcomes


async def test_decimal_aggregates_are_decimals_and_compare_as_numbers(url: str) -> None:
    """SQLite holds a DECIMAL as a double: its SUM was the float 0.30000000000000004 where
    the servers answer Decimal('0.300'), and a HAVING on a decimal aggregate compared the
    bound Decimal as text (above every number: no group matched)."""
    async with opened(url) as db:
        for index, price in enumerate(("0.1", "0.2", "0.7")):
            code = "x" if index < 2 else "y"
            await Everything.create(id=index + 1, price=decimal.Decimal(price), code=code)
        raw = await db.fetch_all(
            "SELECT code, COUNT(*) FROM ormt_everything WHERE price > 0.15 GROUP BY code"
            " ORDER BY code"
        )
        assert [tuple(r) for r in raw] == [("x", 1), ("y", 1)]
        grouped = Everything.values("code").annotate(
            m=orm.Max("price"), s=orm.Sum("price"), a=orm.Avg("price"), n=orm.Count("id")
        )
        grouped = grouped.order_by("code")
        rows = await grouped
        assert [(r["code"], r["m"], r["s"]) for r in rows] == [
            ("x", decimal.Decimal("0.2"), decimal.Decimal("0.3")),
            ("y", decimal.Decimal("0.7"), decimal.Decimal("0.7")),
        ]
        assert all(type(r[k]) is decimal.Decimal for r in rows for k in ("m", "s", "a"))
        assert [r["a"] for r in rows] == [decimal.Decimal("0.15"), decimal.Decimal("0.7")]
        codes = grouped.values_list("code", flat=True)
        assert await codes.filter(m__gt=decimal.Decimal("0.15")) == ["x", "y"]
        assert await codes.filter(s__gt=decimal.Decimal("0.25")) == ["x", "y"]
        assert await codes.filter(s=decimal.Decimal("0.3")) == ["x"]
        assert await codes.filter(a__gt=decimal.Decimal("0.1")) == ["x", "y"]
        assert await codes.filter(a__lt=decimal.Decimal("0.5")) == ["x"]
        assert await codes.filter(n__gt=decimal.Decimal("1.5")) == ["x"]
        total = await Everything.aggregate(s=orm.Sum("price"))
        assert total == {"s": decimal.Decimal("1.0")} and type(total["s"]) is decimal.Decimal


async def test_nulls_sort_first_ascending_on_every_database(url: str) -> None:
    """NULL sorts below every value on every database (SQLite's and MariaDB's own rule; on
    PostgreSQL ferrule adds NULLS FIRST/LAST), checked against the same ORDER BY in raw SQL
    that spells the rule where the database needs it (tests/orm/test_null_order.py has more)."""
    async with opened(url) as db:
        await _data()
        await Author.filter(name="Ada").update(born=dt.date(1990, 1, 1))
        table = Author._meta.table
        first, last = (" NULLS FIRST", " NULLS LAST") if db.dialect == "postgres" else ("", "")
        for order, raw in (("born", f"born{first}, name"), ("-born", f"born DESC{last}, name")):
            expected = [
                r[0] for r in await db.fetch_all(f"SELECT name FROM {table} ORDER BY {raw}")
            ]
            got = await Author.order_by(order, "name").values_list("name", flat=True)
            assert got == expected
        names = Author.order_by("born", "name").values_list("name", flat=True)
        assert await names == ["Bob", "Cy", "Ada"]
        top = Author.annotate(top=orm.Max("posts__views")).values_list("name", flat=True)
        assert await top.order_by("top") == ["Cy", "Ada", "Bob"]


async def test_exclude_is_the_complement_of_filter_with_nulls(url: str) -> None:
    """``exclude(c)`` keeps every row ``filter(c)`` does not, a NULL included (Django's
    rule): SQL's ``NOT (x > 5)`` is unknown for a NULL x, so the rows without posts or
    without an editor were dropped from both sides."""
    async with opened(url):
        await _data()
        bob = await Author.get(name="Bob")
        await Post.filter(title="a0").update(editor_id=bob.id)
        await Author.filter(name="Ada").update(born=dt.date(1990, 1, 1))

        async def complement(qs: Any, *args: Any, **kwargs: Any) -> None:
            every = {repr(r) for r in await qs}
            kept = {repr(r) for r in await qs.filter(*args, **kwargs)}
            dropped = {repr(r) for r in await qs.exclude(*args, **kwargs)}
            assert kept | dropped == every and not kept & dropped, (args, kwargs)

        top = Author.annotate(t=orm.Max("posts__views")).values_list("name", flat=True)
        assert await top.exclude(t__gt=5).order_by("name") == ["Ada", "Cy"]
        await complement(top, t__gt=5)
        await complement(top, t__in=[2])
        await complement(top, orm.Q(t__gt=5) | orm.Q(t__lt=1))
        names = Author.values_list("name", flat=True)
        assert await names.exclude(born__gt=dt.date(1980, 1, 1)).order_by("name") == ["Bob", "Cy"]
        await complement(names, born__gt=dt.date(1980, 1, 1))
        titles = Post.values_list("title", flat=True)
        assert await titles.exclude(editor_id=bob.id).order_by("title") == ["a1", "a2", "b"]
        await complement(titles, editor_id=bob.id)
        await complement(titles, editor__rating__gt=2)
        await complement(titles, orm.Q(editor__name="Bob") & orm.Q(views__gte=0))
        assert await titles.exclude(~orm.Q(editor_id=bob.id)) == ["a0"]  # NOT NOT: filter


async def test_in_ignores_null_values_and_exclude_in_keeps_its_rows(url: str) -> None:
    """``x NOT IN (2, NULL)`` is unknown for every x: exclude(id__in=...) of a list holding
    None, or of a subquery of a nullable field, kept no row at all."""
    async with opened(url) as db:
        await _data()
        bob = await Author.get(name="Bob")
        await Post.filter(title="a0").update(editor_id=bob.id)
        raw = await db.fetch_all(
            "SELECT name FROM ormt_author WHERE id NOT IN"
            " (SELECT editor_id FROM ormt_post WHERE editor_id IS NOT NULL) ORDER BY name"
        )
        assert [r[0] for r in raw] == ["Ada", "Cy"]
        names = Author.values_list("name", flat=True).order_by("name")
        editors = Post.values("editor_id")
        assert await names.exclude(id__in=editors) == ["Ada", "Cy"]
        assert await names.filter(~orm.Q(id__in=editors.values_list("editor_id", flat=True))) == [
            "Ada",
            "Cy",
        ]
        grouped = Post.values("editor_id").annotate(n=orm.Count("id")).values("editor_id")
        assert await names.exclude(id__in=grouped) == ["Ada", "Cy"]
        assert await names.filter(id__in=editors) == ["Bob"]
        assert await names.exclude(id__in=[bob.id, None]) == ["Ada", "Cy"]
        assert await names.filter(id__in=[bob.id, None]) == ["Bob"]
        assert await names.filter(id__in=[None]) == []


class _Hostile:
    """A value whose __eq__, __hash__, __str__ and __repr__ all raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


async def test_hostile_values_get_typed_errors(url: str) -> None:
    """A value whose repr raises must not turn the error that names it into its own
    RuntimeError: every refusal stays a FieldError (or the model's DoesNotExist)."""
    async with opened(url):
        await _data()
        bad = _Hostile()
        counted = Author.annotate(n=orm.Count("posts"))
        for kwargs in (
            {"n": bad},
            {"n__in": [bad]},
            {"n__isnull": bad},
            {"n__range": bad},
            {"rating__in": bad},
            {"rating__isnull": bad},
            {"rating__range": bad},
            {"name__contains": bad},
        ):
            with pytest.raises((FieldError, ValueError)) as caught:
                await counted.filter(**kwargs)
            assert not isinstance(caught.value, RuntimeError), kwargs
        with pytest.raises(FieldError, match="mixes"):
            await counted.filter(orm.Q(n__gt=1) | orm.Q(edited__views=bad))
        with pytest.raises(Author.DoesNotExist):
            await Author.filter(rating=1).get(name=_Unshown("nobody"))
        with pytest.raises(Author.DoesNotExist):
            await Author.get(name=_Unshown("nobody"))


class _Unshown(str):
    """A str whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")


async def test_count_is_the_number_of_rows_the_query_returns(url: str) -> None:
    """count() counted authors where the query returns a row per (author, post): an F
    annotation across posts, or values() with a filter across them (as in Django, whose
    count() is len())."""
    async with opened(url):
        await _data()
        titles = Author.annotate(t=orm.F("posts__title"))
        assert len(await titles) == await titles.count() == 5
        assert len(await titles.values("name", "t")) == await titles.values("name", "t").count()
        matched = Author.filter(posts__title__startswith="a")
        assert len(await matched) == await matched.count() == 1
        rows = matched.values("name")
        assert len(await rows) == await rows.count() == 3
        assert len(await rows.distinct()) == await rows.distinct().count() == 1


async def test_min_max_of_booleans_and_uuids(url: str) -> None:
    """PostgreSQL has no min/max of boolean or uuid; the ORM asks it for what they mean
    (the min/max of the integers of booleans, the text form's order), with the answers
    Python's min/max give."""
    async with opened(url):
        keys = [uuid.UUID(int=2**127 + 1), uuid.UUID(int=7), uuid.UUID(int=2**64)]
        for i, (key, flag) in enumerate(zip(keys, (True, False, True), strict=True)):
            await Everything.create(id=i + 1, key=key, flag=flag, code="a" if i else "b")
        found = await Everything.aggregate(
            kmax=orm.Max("key"), kmin=orm.Min("key"), fmax=orm.Max("flag"), fmin=orm.Min("flag")
        )
        assert found == {"kmax": max(keys), "kmin": min(keys), "fmax": True, "fmin": False}
        assert type(found["fmax"]) is bool and type(found["kmin"]) is uuid.UUID
        grouped = await Everything.values("code").annotate(f=orm.Min("flag"), k=orm.Max("key"))
        assert sorted(grouped, key=lambda r: r["code"]) == [
            {"code": "a", "f": False, "k": max(keys[1:])},
            {"code": "b", "f": True, "k": keys[0]},
        ]
        assert await Everything.filter(flag=False).aggregate(f=orm.Max("flag")) == {"f": False}
