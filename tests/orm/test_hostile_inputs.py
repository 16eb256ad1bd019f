"""Hostile and edge inputs to ``ferrule.orm``'s public entry points, as a fuzzing user gives
them: a bad one is refused with a typed ``ferrule.errors`` exception naming what and where,
before any statement is sent; a good one gives Django's answer, checked against the same
question asked of the data in Python. Nesting is bounded; nothing is silently ignored."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, ORMError, SchemaError

from .conftest import opened
from .models import Author, Everything, Post
from .test_query_cancellation import _cancel_each_step, _skip_in_flight, _trap

NAMES = [f"n{i}" for i in range(40)]


def _nest(step: Callable[[Any, int], Any], times: int, start: Any) -> Any:
    """``start`` wrapped ``times`` times by ``step(inner, i)``."""
    return functools.reduce(step, range(times), start)


async def _authors() -> dict[str, Author]:
    return {name: await Author.create(name=name, rating=i % 7) for i, name in enumerate(NAMES)}


async def test_conditions_joined_by_reduce_stay_flat(url: str, dialect: str) -> None:
    """``reduce(or_, many)`` is one OR (Django splices a node joined the same way), so two
    thousand conditions compile; before, each ``|`` nested the tree one level deeper.
    (SQLite's parser makes a tree of ``a OR b OR ...`` and stops at 1,000 levels.)"""
    async with opened(url):
        await _authors()
        many = 900 if dialect == "sqlite" else 2000
        wanted = {f"n{i}" for i in range(0, 40, 3)}
        terms = [orm.Q(name=n) for n in sorted(wanted)] + [orm.Q(name="none")] * many
        either = functools.reduce(operator.or_, terms[:many])
        assert sorted(await Author.filter(either).values_list("name", flat=True)) == sorted(wanted)
        both = functools.reduce(operator.and_, [orm.Q(rating__lt=5)] * many)
        assert await Author.filter(both).count() == sum(i % 7 < 5 for i in range(40))


async def test_negations_nested_deep_compile_once_each(url: str, dialect: str) -> None:
    """``~~q`` is ``q`` (Django turns the negation round), and NOTs nested by hand, each over
    a to-many join, are probed once each: before, each NOT compiled everything under it
    twice, so 40 of them never finished. (SQLite's parser stops near 30 parentheses.)"""
    async with opened(url):
        made = await _authors()
        for name in ("n1", "n2"):
            await Post.create(title="t", author=made[name])
        twice = _nest(lambda q, _: ~q, 1000, orm.Q(name="n3"))
        assert await Author.filter(twice).values_list("name", flat=True) == ["n3"]

        levels = 10 if dialect == "sqlite" else 40
        cond = orm.Q(rating__gte=0)
        for i in range(levels):  # ~(posts__title="t" & ~(rating=i & ~(...)))
            cond = ~(orm.Q(posts__title="t") & cond) if i % 2 else ~(orm.Q(rating=i % 7) & cond)
        got = sorted(await Author.filter(cond).values_list("name", flat=True))
        posted = {"n1", "n2"}

        def holds(name: str, rating: int) -> bool:
            value = rating >= 0
            for i in range(levels):
                inner = (name in posted) if i % 2 else (rating == i % 7)
                value = not (inner and value)
            return value

        assert got == sorted(n for i, n in enumerate(NAMES) if holds(n, i % 7))


@pytest.mark.parametrize(
    "build",
    [
        lambda: _nest(lambda q, i: orm.Q(q, rating=i), 200, orm.Q(id=1)),
        lambda: _nest(
            lambda q, i: orm.Q(name="x") | q if i % 2 else q & orm.Q(rating=i),
            10_000,
            orm.Q(id=1),
        ),
        lambda: _nest(lambda e, _: e + 1, 10_000, orm.F("rating")),
        lambda: _nest(lambda e, _: 1 - e, 10_000, orm.F("rating")),
        lambda: _nest(
            lambda e, i: orm.Case(orm.When(rating=i, then=orm.Value(i)), default=e),
            10_000,
            orm.Value(0),
        ),
        lambda: _nest(lambda e, _: orm.functions.Coalesce(e, orm.Value(0)), 1000, orm.F("rating")),
    ],
    ids=["Q(Q(...))", "Q&Q|Q...", "F+1+1...", "1-(1-F)...", "Case(default=Case)", "Coalesce"],
)
def test_nesting_past_the_bound_is_a_typed_error_where_it_is_made(build: object) -> None:
    """Every walk of a Q tree or an expression recurses once a level; 10,000 levels raised
    RecursionError (or, with NOTs, never finished). Past ``MAX_DEPTH`` the node is refused
    where it is made, naming what nests and the bound."""
    with pytest.raises(ORMError, match=r"nested 101 deep; a query takes at most 100 levels"):
        build()  # type: ignore[operator]


async def test_nesting_at_the_bound_runs(url: str, dialect: str) -> None:
    async with opened(url):
        await _authors()
        levels = 25 if dialect == "sqlite" else 99  # SQLite's parser stops near 30 parentheses
        total = _nest(lambda e, _: e + 1, levels, orm.F("rating"))
        got = await Author.filter(name="n3").annotate(t=total).values_list("t", flat=True)
        assert got == [3 + levels]


# --- read paths cancelled at every await point -------------------------------------------------


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_cancelled_read_paths_give_the_connection_back(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Iterators (run out, and closed early), ``prefetch_related``, ``select_related``,
    ``count``, ``exists`` and ``aggregate`` cancelled at each await point (the helpers of
    ``test_query_cancellation``): the one connection of the pool is back, usable, after
    each run, and a finished run has every answer right."""
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db:
        made = await _authors()
        for i, name in enumerate(NAMES[:6]):
            await Post.create(title=f"t{i}", views=i, author=made[name])
        trap = _trap(db, monkeypatch) if how == "in_flight" else None

        async def reads() -> tuple[Any, ...]:
            streamed = [a.name async for a in Author.all().order_by("id").iterator(chunk_size=7)]
            walked = [a.name async for a in Author.filter(rating=1).order_by("id")]
            early = Author.all().order_by("id").iterator(chunk_size=3)
            first = (await anext(early)).name
            await early.aclose()  # its connection is back before aclose() returns
            assert db.stats()["in_use"] == 0
            authors = await Author.prefetch_related("posts").order_by("id")
            posted = {a.name: [p.title for p in a.posts] for a in authors}
            posts = await Post.select_related("author").order_by("id")
            pairs = [(p.title, p.author.name) for p in posts]
            counted = await Author.filter(rating__gte=3).count()
            there = await Author.filter(name="n5").exists()
            totals = await Post.aggregate(n=orm.Count("id"), views=orm.Sum("views"))
            return streamed, walked, first, posted, pairs, counted, there, totals

        async def check(outcome: str, result: Any) -> None:
            if outcome == "ok":
                streamed, walked, first, posted, pairs, counted, there, totals = result
                assert streamed == NAMES and first == "n0"
                assert walked == [n for i, n in enumerate(NAMES) if i % 7 == 1]
                assert posted == {n: ([f"t{i}"] if i < 6 else []) for i, n in enumerate(NAMES)}
                assert pairs == [(f"t{i}", NAMES[i]) for i in range(6)]
                assert counted == sum(i % 7 >= 3 for i in range(40))
                assert there is True and totals == {"n": 6, "views": 15}
            assert await Author.count() == 40  # the pool's connection works

        await _cancel_each_step(db, how, trap, reads, check)


# --- names given by users ---------------------------------------------------------------------


async def test_a_write_refuses_a_name_that_is_no_field(url: str) -> None:
    """Django refuses ``create(ratng=5)`` and ``defaults={"ratng": 5}``; the model's own
    constructor ignores the name (``extra="ignore"``), so the row was stored with the default
    rating, silently. Refused before any statement, with a "did you mean"."""
    async with opened(url):
        await Author.create(name="kept", rating=1)
        cases: dict[str, Callable[[], Any]] = {
            "create": lambda: Author.create(name="new", ratng=5),
            "get_or_create": lambda: Author.get_or_create(name="new", defaults={"ratng": 5}),
            "get_or_create found": lambda: Author.get_or_create(name="kept", defaults={"ratng": 5}),
            "update_or_create": lambda: Author.update_or_create(name="new", defaults={"ratng": 5}),
            "update_or_create found": lambda: Author.update_or_create(
                name="kept", defaults={"ratng": 5}
            ),
        }
        for label, make in cases.items():
            with pytest.raises(FieldError, match=r"no field 'ratng'; did you mean 'rating'"):
                await make()
            assert await Author.values_list("name", "rating") == [("kept", 1)], label
        for defaults in (5, "rating", [("rating", 5)]):
            with pytest.raises(FieldError, match=r"defaults=\.\.\.\) takes a dict"):
                await Author.get_or_create(name="new", defaults=defaults)  # type: ignore[arg-type]
            with pytest.raises(FieldError, match=r"defaults=\.\.\.\) takes a dict"):
                await Author.update_or_create(name="kept", defaults=defaults)  # type: ignore[arg-type]
        made, created = await Author.get_or_create(name="new", defaults={"rating": 5})
        assert (made.rating, created) == (5, True)
        keyed = await Author.create(name="keyed", pk=99)  # pk stands for the key, as in Django
        assert keyed.id == 99 and await Author.filter(id=99).values_list("name", flat=True) == [
            "keyed"
        ]


class _Text(str):
    """A name whose hash and equality raise: it is read as the text it holds."""

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")


async def test_only_defer_and_values_take_names(url: str) -> None:
    """``only(None)``/``defer(None)`` raised TypeError (``'NoneType' object is not
    iterable``); ``Author.values(up=...)`` raised TypeError (the model's shortcut took no
    expressions, though ``Author.all().values(up=...)`` did)."""
    async with opened(url):
        await Author.create(name="ann", rating=2)
        for bad in (None, 1, b"name", ("name",), orm.F("name")):
            for method in ("only", "defer"):
                with pytest.raises(FieldError, match=rf"{method}\(\) takes field names"):
                    getattr(Author, method)(bad)
        loaded = await Author.only(_Text("name")).get(name="ann")
        assert loaded.name == "ann"
        assert await Author.values(up=orm.F("rating") + 1) == [{"up": 3}]
        for alias in ("x;y", "a b", 'a"b', "", "a__b", "\ud800"):
            with pytest.raises(FieldError, match="not an identifier"):
                Author.values(**{alias: orm.F("rating")})


# --- huge inputs ------------------------------------------------------------------------------

MANY = 40_000  # past PostgreSQL's 32,767 parameters a statement


async def test_in_lookups_of_more_values_than_a_statement_binds(url: str) -> None:
    """``id__in`` of 40,000 values (and a delete by 33,000 keys, as ``QuerySet.delete()``
    with a receiver does) on PostgreSQL raised asyncpg's "the number of query arguments
    cannot exceed 32767": now the same rows as a short list, on every database."""
    async with opened(url):
        made = await _authors()
        ids = [a.id for a in made.values()]
        far = list(range(10**8, 10**8 + MANY))
        assert await Author.filter(id__in=far + ids[:5]).count() == 5
        assert await Author.exclude(id__in=far + ids[5:]).count() == 5
        names = [f"x{i}" for i in range(MANY)] + ["n7", None]
        assert await Author.filter(name__in=names).values_list("name", flat=True) == ["n7"]
        got = await Author.filter(id__in=far + ids[:3]).order_by("id").values_list("name")
        assert got == [("n0",), ("n1",), ("n2",)]
        assert await Author.filter(id__in=far).update(rating=6) == 0

        await Author.bulk_create([Author(name=f"m{i}") for i in range(33_000)])
        seen: list[Any] = []

        def before(sender: Any, instance: Any, **kwargs: Any) -> None:
            seen.append(instance.name)

        orm.pre_delete.connect(before, sender=Author)
        try:
            assert await Author.filter(name__startswith="m").delete() == 33_000
        finally:
            orm.pre_delete.disconnect(before, sender=Author)
        assert len(seen) == 33_000 and await Author.count() == 40


# --- counts, sizes and positions ---------------------------------------------------------------

HUGE = 2**70


async def _streamed(chunk_size: Any) -> list[str]:
    return [a.name async for a in Author.all().order_by("id").iterator(chunk_size=chunk_size)]


async def test_sizes_and_positions_are_checked_before_any_statement(url: str) -> None:
    """A slice, ``limit()``, ``chunk_size`` or ``batch_size`` out of range is a FieldError (a
    ValueError, as Django's) before any statement: past 2**63 - 1 PostgreSQL's driver raised
    OverflowError and MariaDB a syntax error, and a chunk past 2**31 - 1 an OverflowError;
    negatives and bad kinds were a plain ValueError. The largest ones that fit work."""
    async with opened(url):
        await _authors()
        query = Author.all().order_by("id")
        refused: dict[str, Callable[[], Any]] = {
            "[:-1]": lambda: query[:-1],
            "[-1]": lambda: query[-1],
            "[:HUGE]": lambda: query[:HUGE],
            "[HUGE:]": lambda: query[HUGE:],
            "[2**63 - 1:][1:]": lambda: query[2**63 - 1 :][1:],
            "limit(True)": lambda: query.limit(True),
            "limit(1.0)": lambda: query.limit(1.0),  # type: ignore[arg-type]
            "limit(HUGE)": lambda: query.limit(HUGE),
            "offset(-1)": lambda: query.offset(-1),
            "chunk 0": lambda: _streamed(0),
            "chunk 2**31": lambda: _streamed(2**31),
            "chunk HUGE": lambda: _streamed(HUGE),
            "chunk '5'": lambda: _streamed("5"),
            "batch 0": lambda: Author.bulk_create([Author(name="b")], batch_size=0),
            "batch '2'": lambda: Author.bulk_create([Author(name="b")], batch_size="2"),  # type: ignore[arg-type]
        }
        for label, make in refused.items():
            with pytest.raises(FieldError):
                made = make()
                if not hasattr(made, "_model"):
                    await made
                    pytest.fail(label)
        assert await Author.count() == 40
        most = 2**63 - 1
        assert await query[1:most].values_list("name", flat=True) == NAMES[1:]
        assert await query[most:].values_list("name", flat=True) == []
        assert await query.limit(most).count() == 40
        assert await _streamed(2**31 - 1) == NAMES


# --- models declared in hostile ways ------------------------------------------------------------


def _two_models() -> type:
    class Left(orm.Model):
        id: int = orm.Field(primary_key=True)
        x: int = 0

        class Meta:
            table = "ormt_hostile_left"

    class Right(orm.Model):
        id: int = orm.Field(primary_key=True)
        y: int = 0

        class Meta:
            table = "ormt_hostile_right"

    class Both(Left, Right):
        class Meta:
            table = "ormt_hostile_both"

    return Both


def _dunder_field() -> type:
    class Dunder(orm.Model):
        id: int = orm.Field(primary_key=True)
        rating__gt: int = 0  # filter(rating__gt=1) could not say which it means

        class Meta:
            table = "ormt_hostile_dunder"

    return Dunder


def _indexes_as_text() -> type:
    class Letters(orm.Model):
        id: int = orm.Field(primary_key=True)

        class Meta:
            table = "ormt_hostile_letters"
            indexes = "id"  # read letter by letter: "has no field 'i'"

    return Letters


@pytest.mark.parametrize(
    ("declare", "words"),
    [
        (_two_models, "inherits from one orm.Model"),
        (_dunder_field, "cannot hold '__'"),
        (_indexes_as_text, "Meta.indexes must be a list"),
    ],
    ids=["two model bases", "a field named with __", "indexes as a str"],
)
def test_hostile_model_declarations_are_a_schema_error(
    declare: Callable[[], type], words: str
) -> None:
    """Two ``orm.Model`` bases raised Python's "multiple bases have instance lay-out
    conflict"; a field named ``rating__gt`` was taken (Django refuses '__' in field names);
    ``Meta.indexes = "id"`` was an index on the fields 'i' and 'd'. Each is a SchemaError
    naming the model when the class is made."""
    with pytest.raises(SchemaError, match=words):
        declare()


# --- values whose dunders lie ---------------------------------------------------------------------


class _Float(float):
    def __float__(self) -> float:
        return 1.5


class _Int(int):
    def __int__(self) -> int:
        return 98

    def __index__(self) -> int:
        return 99


async def test_a_float_subclass_is_the_number_it_holds(url: str) -> None:
    """pydantic (and the native core) read a float subclass as the number it holds; the
    pure-Python twin called its ``__float__`` and stored 1.5 for ``_Float(2.5)``."""
    async with opened(url):
        made = await Everything.create(ratio=_Float(2.5))
        assert made.ratio == 2.5
        assert await Everything.filter(ratio=_Float(2.5)).values_list("ratio", flat=True) == [2.5]


async def test_an_int_subclass_is_the_number_it_holds(url: str) -> None:
    """pydantic gives 4 for ``_Int(4)`` whatever its ``__int__``/``__index__`` say; ferrule
    stores 98, and ``filter(big=_Int(4))`` misses the row holding 4."""
    async with opened(url):
        made = await Everything.create(big=4)
        assert Everything(big=_Int(4)).big == 4
        assert await Everything.filter(big=_Int(4)).values_list("id", flat=True) == [made.id]


async def test_in_values_are_read_when_the_filter_is_made(url: str) -> None:
    """Django reads an ``__in`` iterable when the filter is made. A generator was read by the
    query's first run, so the same QuerySet run again matched nothing (``exists()`` then
    ``update()`` updated no row), silently; a list changed after ``filter()`` changed it."""
    async with opened(url):
        made = await _authors()
        ids = [made[n].id for n in ("n1", "n2", "n3")]
        once = Author.filter(id__in=(i for i in ids))
        assert await once.exists()
        assert await once.update(rating=6) == 3
        assert await once.count() == 3
        listed = list(ids)
        later = Author.exclude(id__in=listed)
        kept = orm.Q(id__in=listed)
        listed.append(made["n4"].id)
        assert await later.count() == 37 and await Author.filter(kept).count() == 3
        assert await Author.filter(id__in=iter(ids)).filter(rating=6).count() == 3


def _in(q: Any) -> Any:
    return Author.filter(id__in=q).values("id")


def _subquery(q: Any) -> Any:
    return Author.filter(id__in=orm.Subquery(q)).values("id")


def _exists(q: Any) -> Any:
    return Author.filter(orm.Exists(q.filter(id=orm.OuterRef("id")))).values("id")  # type: ignore[arg-type]


@pytest.mark.parametrize("wrap", [_in, _subquery, _exists], ids=["__in", "Subquery", "Exists"])
async def test_subqueries_nested_past_the_bound_are_a_typed_error(url: str, wrap: Any) -> None:
    """Subqueries nested 200 deep raised a bare RecursionError while compiling (100 did);
    past ``MAX_NESTED`` (32) an ORMError naming the model, and ten levels answer."""
    async with opened(url):
        made = await _authors()
        base = Author.filter(id=made["n4"].id).values("id")
        assert await _nest(lambda q, _: wrap(q), 10, base).values_list("id", flat=True) == [
            made["n4"].id
        ]
        with pytest.raises(ORMError, match="subqueries nested more than 32 deep"):
            await _nest(lambda q, _: wrap(q), 200, base).count()
