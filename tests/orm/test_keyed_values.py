"""``values()`` and ``values_list()`` of a QuerySet made by ``Model.filter(...).order_by(...)
.limit(...)`` find their cached statement and row maker by the calls that made them
(``QuerySet._key``, ``shapes.keyed``, ``orm.value_rows``). Chains that differ only in the
names, their order, the kind of rows (dict, tuple, flat, named), the type of a filter value or
the model (a table redefined) must each answer what Python computes from the rows stored, and
what the same QuerySet answers without a key (the general path, ``results.values_of``), round
after round (the later rounds are served by the keys). Conversions (SQLite's text dates and
decimals, 0/1 booleans, JSON text, enums) give the field's own value and type."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from backends import stepping
from ferrule import orm
from ferrule.backends import sqlite as sqlite_backend
from ferrule.errors import FerruleError, FieldError
from ferrule.orm import shapes

from .conftest import opened, own_tables
from .models import Author, Everything
from .test_hot_paths import VALUES

AUTHORS = [
    ("d", 9, dt.date(1990, 1, 2)),
    ("a", 1, None),
    ("e", 3, dt.date(1815, 12, 10)),
    ("b", 5, dt.date(2000, 2, 29)),
    ("c", 5, None),
]


def _rows(min_rating: int, limit: int = 10) -> list[tuple[str, int, dt.date | None]]:
    return sorted(a for a in AUTHORS if a[1] >= min_rating)[:limit]


def _base(value: Any = 5, limit: int = 3) -> Any:
    return Author.filter(rating__gte=value).order_by("name").limit(limit)


#: (label, QuerySet of the chain, what Python says it holds)
CHAINS: list[tuple[str, Callable[[], Any], Any]] = [
    ("dict", lambda: _base().values("name", "rating"),
     [{"name": n, "rating": r} for n, r, _ in _rows(5, 3)]),
    ("dict, other order", lambda: _base().values("rating", "name"),
     [{"rating": r, "name": n} for n, r, _ in _rows(5, 3)]),
    ("dict, a date", lambda: _base().values("born"),
     [{"born": b} for _, _, b in _rows(5, 3)]),
    ("tuple", lambda: _base().values_list("name", "rating"),
     [(n, r) for n, r, _ in _rows(5, 3)]),
    ("tuple, other order", lambda: _base().values_list("rating", "name"),
     [(r, n) for n, r, _ in _rows(5, 3)]),
    ("tuple, a date", lambda: _base().values_list("name", "born"),
     [(n, b) for n, _, b in _rows(5, 3)]),
    ("flat", lambda: _base().values_list("name", flat=True), [n for n, _, _ in _rows(5, 3)]),
    ("flat, a date", lambda: _base().values_list("born", flat=True),
     [b for _, _, b in _rows(5, 3)]),
    ("flat rating", lambda: _base().values_list("rating", flat=True),
     [r for _, r, _ in _rows(5, 3)]),
    ("named", lambda: _base().values_list("name", "born", named=True),
     [(n, b) for n, _, b in _rows(5, 3)]),
    ("all fields, dict", lambda: _base().values(), None),
    ("all fields, tuple", lambda: _base().values_list(), None),
    ("limit after values",
     lambda: Author.filter(rating__gte=5).values_list("name").order_by("name").limit(2),
     [(n,) for n, _, _ in _rows(5, 2)]),
    ("order after values", lambda: Author.filter(rating__gte=1).values("name").order_by("-name"),
     [{"name": n} for n, _, _ in reversed(_rows(1))]),
    ("float value", lambda: _base(5.0).values_list("name", "rating"),
     [(n, r) for n, r, _ in _rows(5, 3)]),
    ("bool value", lambda: _base(True).values_list("name", "rating"),
     [(n, r) for n, r, _ in _rows(1, 3)]),
    ("other limit", lambda: _base(limit=1).values_list("name", "rating"),
     [(n, r) for n, r, _ in _rows(5, 1)]),
]  # fmt: skip


def _typed(items: list[Any]) -> list[Any]:
    """Each item with its type and the types of its values (an answer is exact only then)."""
    out = []
    for item in items:
        values = item.values() if isinstance(item, dict) else item
        inner = [type(v) for v in values] if isinstance(item, (dict, tuple)) else []
        out.append((item, type(item), inner))
    return out


async def _fill() -> None:
    for name, rating, born in AUTHORS:
        await Author.create(name=name, rating=rating, born=born)


async def _check(rounds: int = 3) -> None:
    for _ in range(rounds):
        for label, make, expected in CHAINS:
            qs = make()
            assert qs._key is not None, label
            got = await qs
            general = qs._clone()  # the same state, without a key: the general path
            assert general._key is None
            assert _typed(got) == _typed(await general), label
            if expected is not None:
                assert got == expected, label
                if label != "named":  # Row, a tuple subclass: checked in the test
                    assert [type(i) for i in got] == [type(i) for i in expected], label


async def test_each_values_chain_answers_what_python_and_the_general_path_answer(
    url: str,
) -> None:
    async with opened(url):
        await _fill()
        await _check()
        named = await _base().values_list("name", "born", named=True)
        assert [(r.name, r.born) for r in named] == [(n, b) for n, _, b in _rows(5, 3)]
        assert [type(r).__name__ for r in named] == ["Row"] * len(named)


async def test_values_chains_of_the_same_calls_keep_their_own_entries(url: str) -> None:
    """The instances, then each kind of rows, of the very same filter, order and limit."""
    async with opened(url):
        await _fill()
        for _ in range(2):
            instances = await _base()
            assert [a.name for a in instances] == [n for n, _, _ in _rows(5, 3)]
            assert await _base().values("name") == [{"name": a.name} for a in instances]
            assert await _base().values_list("name") == [(a.name,) for a in instances]
            assert await _base().values_list("name", flat=True) == [a.name for a in instances]
            named = await _base().values_list("name", named=True)
            assert named == [(a.name,) for a in instances]
            pairs = zip(named, instances, strict=True)
            assert all(type(r) is not tuple and r.name == a.name for r, a in pairs)


async def test_every_type_comes_back_as_its_field_loads_it(url: str) -> None:
    """The instance path is the reference: each value and its type, from each kind of rows."""
    async with opened(url):
        first = await Everything.create(**VALUES)
        await Everything.create()  # NULLs and defaults
        names = tuple(VALUES)
        for _ in range(3):
            chain = lambda: Everything.filter(id__gte=first.id).order_by("id").limit(5)  # noqa: E731
            instances = await chain()
            want = [tuple((getattr(i, n), type(getattr(i, n))) for n in names) for i in instances]
            rows = await chain().values_list(*names)
            assert [tuple((v, type(v)) for v in row) for row in rows] == want
            dicts = await chain().values(*names)
            assert [tuple((d[n], type(d[n])) for n in names) for d in dicts] == want
            named = await chain().values_list(*names, named=True)
            assert [tuple((v, type(v)) for v in row) for row in named] == want
            for index, name in enumerate(names):
                flat = await chain().values_list(name, flat=True)
                assert [(v, type(v)) for v in flat] == [w[index] for w in want], name


async def test_a_value_the_field_refuses_is_refused_on_every_round(url: str) -> None:
    async with opened(url):
        await _fill()
        for value in (5, 2**40, "five", None, 5.5, 5):
            make = lambda v=value: _base(v).values_list("name", flat=True)  # noqa: E731
            try:
                expected: Any = await make()._clone()
            except FerruleError as exc:
                expected = type(exc)
            for _ in range(2):
                try:
                    got: Any = await make()
                except FerruleError as exc:
                    got = type(exc)
                assert got == expected, value


async def test_names_a_named_tuple_cannot_hold_are_refused_every_time() -> None:
    for _ in range(3):
        with pytest.raises(FieldError, match="twice"):
            _base().values_list("name", "name", named=True)
        with pytest.raises(FieldError, match="exclude each other"):
            _base().values_list("name", flat=True, named=True)
        with pytest.raises(FieldError, match="values\\(\\) takes field names"):
            _base().values(1)  # type: ignore[arg-type]


class _Name(str):
    """A name whose equality need not be its text (it may say so): never part of a key."""

    __slots__ = ()


async def test_a_str_subclass_name_takes_the_general_path(url: str) -> None:
    async with opened(url):
        await _fill()
        for _ in range(2):
            assert await _base().values_list("name", "rating") == [
                (n, r) for n, r, _ in _rows(5, 3)
            ]
            qs = _base().values_list(_Name("rating"), "name")
            assert qs._key is None
            assert await qs == [(r, n) for n, r, _ in _rows(5, 3)]
            named = await _base().values(_Name("rating"))
            assert named == [{"rating": r} for _, r, _ in _rows(5, 3)]
            assert all(type(next(iter(d))) is str for d in named)  # read as its text


class Before(orm.Model):
    id: int = orm.Field(primary_key=True)
    label: str = orm.Field(max_length=20)

    class Meta:
        table = "ormt_keyed_values_schema"


class After(orm.Model):
    """The same table made again: another column type, a column more."""

    id: int = orm.Field(primary_key=True)
    label: dt.date
    extra: bool = False

    class Meta:
        table = "ormt_keyed_values_schema"


async def test_values_after_the_table_changes(url: str) -> None:
    async with opened(url):
        async with own_tables(Before):
            await Before.create(label="x")
            for _ in range(2):
                assert await Before.filter(id__gte=0).order_by("id").values() == [
                    {"id": 1, "label": "x"}
                ]
                assert await Before.filter(id__gte=0).values_list("label", flat=True) == ["x"]
        async with own_tables(After):
            await After.create(label=dt.date(2020, 1, 2), extra=True)
            for _ in range(2):
                assert await After.filter(id__gte=0).order_by("id").values() == [
                    {"id": 1, "label": dt.date(2020, 1, 2), "extra": True}
                ]
                flat = await After.filter(id__gte=0).values_list("label", flat=True)
                assert flat == [dt.date(2020, 1, 2)] and type(flat[0]) is dt.date
                extra = await After.filter(id__gte=0).values_list("extra", flat=True)
                assert extra == [True] and type(extra[0]) is bool


async def test_keyed_values_are_seen_by_hooks_and_see_the_transaction_s_writes(
    url: str,
) -> None:
    async with opened(url) as db:
        await _fill()
        seen: list[str] = []

        def hook(event: Any) -> None:
            seen.append(event.operation)

        db.add_hook(before=hook)
        try:
            assert await _base().values_list("name", flat=True) == ["b", "c", "d"]
        finally:
            db.remove_hook(before=hook)
        assert seen == ["fetch_tuples"]
        async with db.transaction():
            await Author.create(name="bb", rating=7)
            assert await _base().values_list("name", flat=True) == ["b", "bb", "c"]
        assert await _base().values_list("name", flat=True) == ["b", "bb", "c"]


def test_the_keyed_values_entry_is_the_shape_s_entry() -> None:
    for dialect in ("sqlite", "postgres", "mysql"):
        qs = _base(4).values_list("name", "born")
        found = shapes.find(qs, dialect)
        keyed = shapes.keyed(qs, dialect)
        assert found is not None and keyed is not None
        assert keyed[0] is found[0] and keyed[0].rows is not None and keyed[0].plan is None


async def test_a_long_keyed_read_goes_on_in_a_worker_and_survives_cancellation(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: with no time on the loop, the rest of a read goes to a worker thread
    (``Database._tuples`` then waits for it); a cancellation at each step of the read
    leaves the connection usable, on every backend."""
    monkeypatch.setattr(sqlite_backend, "_HALF_BUDGET", 0.0)
    monkeypatch.setattr(sqlite_backend, "LOOP_BUDGET", 0.0)
    async with opened(url, max_size=1) as db:
        await Author.bulk_create([Author(name=f"n{i:04d}", rating=i % 7) for i in range(1500)])
        expected = [(f"n{i:04d}", i % 7) for i in range(1500) if i % 7 >= 1]

        def load() -> Any:
            return Author.filter(rating__gte=1).order_by("name").values_list("name", "rating")

        assert await load() == expected
        cancelled = finished = 0
        for n in range(1000):
            task, steps = stepping.start(load())
            await stepping.cancel_at(task, steps, n)
            try:
                got = await task
            except asyncio.CancelledError:
                cancelled += 1
            else:
                finished += 1
                assert got == expected
            assert await Author.filter(rating=3).count() == len([e for e in expected if e[1] == 3])
            if finished >= 3:
                break
        assert cancelled > 1
        if dialect == "sqlite":
            assert db.stats()["offloaded"] > 0
