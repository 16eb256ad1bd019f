"""A QuerySet made by ``Model.filter(...)``, ``.order_by(...)`` and ``.limit(...)`` finds its
cached statement by the calls that made it (``QuerySet._key``, ``shapes.keyed``), without
reading its shape. Chains that differ in model, database (dialect), lookup, order, limit,
filter calls or value type must each run their own statement: every chain here answers what
Python's own filtering of the rows answers, round after round (the later rounds are served
by the keys), and what the same QuerySet made without a key (the general path) answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FerruleError
from ferrule.orm import shapes

from .conftest import opened
from .models import Author, Club

AUTHORS = [("d", 9), ("a", 1), ("e", 3), ("b", 5), ("c", 5)]
CLUBS = ["z", "y", "x"]

#: (label, the QuerySet, the expected names in order (None: any order))
Chain = tuple[str, Callable[[], Any], list[str] | None]


def _authors(keep: Callable[[str, int], bool], *, desc: bool = False) -> list[str]:
    return sorted((n for n, r in AUTHORS if keep(n, r)), reverse=desc)


CHAINS: list[Chain] = [
    (
        "gte name 10",
        lambda: Author.filter(rating__gte=5).order_by("name").limit(10),
        _authors(lambda n, r: r >= 5),
    ),
    (
        "gt",
        lambda: Author.filter(rating__gt=5).order_by("name").limit(10),
        _authors(lambda n, r: r > 5),
    ),
    (
        "lte",
        lambda: Author.filter(rating__lte=5).order_by("name").limit(10),
        _authors(lambda n, r: r <= 5),
    ),
    (
        "exact",
        lambda: Author.filter(rating=5).order_by("name").limit(10),
        _authors(lambda n, r: r == 5),
    ),
    (
        "-name",
        lambda: Author.filter(rating__gte=5).order_by("-name").limit(10),
        _authors(lambda n, r: r >= 5, desc=True),
    ),
    (
        "limit 1",
        lambda: Author.filter(rating__gte=5).order_by("name").limit(1),
        _authors(lambda n, r: r >= 5)[:1],
    ),
    (
        "limit 0",
        lambda: Author.filter(rating__gte=5).order_by("name").limit(0),
        [],
    ),
    (
        "no limit",
        lambda: Author.filter(rating__gte=5).order_by("name"),
        _authors(lambda n, r: r >= 5),
    ),
    ("no order", lambda: Author.filter(rating__gte=5), None),
    (
        "rating order",
        lambda: Author.filter(rating__gte=1).order_by("rating").order_by("name").limit(3),
        _authors(lambda n, r: r >= 1)[:3],
    ),
    (
        "two names",
        lambda: Author.filter(rating__gte=3, name__lt="d").order_by("name").limit(10),
        _authors(lambda n, r: r >= 3 and n < "d"),
    ),
    (
        "two names, other order",
        lambda: Author.filter(name__lt="d", rating__gte=3).order_by("name").limit(10),
        _authors(lambda n, r: r >= 3 and n < "d"),
    ),
    (
        "two calls",
        lambda: Author.filter(rating__gte=3).filter(name__lt="d").order_by("name").limit(10),
        _authors(lambda n, r: r >= 3 and n < "d"),
    ),
    (
        "name first",
        lambda: Author.filter(name__gte="b").order_by("name").limit(2),
        _authors(lambda n, r: n >= "b")[:2],
    ),
    (
        "other model",
        lambda: Club.filter(name__gte="b").order_by("name").limit(2),
        sorted(CLUBS)[:2],
    ),
    (
        "all",
        lambda: Author.all().order_by("-name").limit(2),
        _authors(lambda n, r: True, desc=True)[:2],
    ),
    (
        "all then filter",
        lambda: Author.all().filter(rating__gte=5).order_by("-name").limit(2),
        _authors(lambda n, r: r >= 5, desc=True)[:2],
    ),
    # value types: the same chain with a value of another type
    (
        "float value",
        lambda: Author.filter(rating__gte=5.0).order_by("name").limit(10),
        _authors(lambda n, r: r >= 5),
    ),
    (
        "bool value",
        lambda: Author.filter(rating__gte=True).order_by("name").limit(10),
        _authors(lambda n, r: r >= 1),
    ),
    (
        "in",
        lambda: Author.filter(rating__in=[1, 9]).order_by("name").limit(10),
        _authors(lambda n, r: r in (1, 9)),
    ),
    (
        "None",
        lambda: Author.filter(born=None).order_by("name").limit(10),
        _authors(lambda n, r: True),
    ),
]


def _names(found: list[Any], expected: list[str] | None) -> list[str]:
    names = [item.name for item in found]
    return sorted(names) if expected is None else names


async def _check_chains(rounds: int = 3) -> None:
    for _ in range(rounds):
        for label, make, expected in CHAINS:
            qs = make()
            want = sorted(expected or _authors(lambda n, r: r >= 5))
            got = _names(await qs, expected)
            assert got == (expected if expected is not None else want), label
            general = qs._clone()  # the same state, without a key: the general path
            assert general._key is None
            assert _names(await general, expected) == got, label


async def _fill() -> None:
    for name, rating in AUTHORS:
        await Author.create(name=name, rating=rating)
    for name in CLUBS:
        await Club.create(name=name)


async def test_each_chain_runs_its_own_statement(url: str) -> None:
    async with opened(url):
        await _fill()
        assert Author.filter(rating__gte=5).order_by("name").limit(10)._key is not None
        await _check_chains()


async def test_a_chain_on_another_database_runs_that_database_s_statement(
    url: str, tmp_path: Path
) -> None:
    """The same chains on the test's database, then on a SQLite file of other rows (another
    dialect unless the test's database is SQLite), then on the first again."""
    async with opened(url) as first:
        await _fill()
        await _check_chains(1)
        async with opened(f"sqlite:///{tmp_path / 'other.db'}"):
            await Author.create(name="q", rating=7)
            found = await Author.filter(rating__gte=5).order_by("name").limit(10)
            assert [a.name for a in found] == ["q"]
            assert await Author.filter(rating__gt=7).order_by("name").limit(10) == []
        orm.set_default(first)
        await _check_chains(1)


async def test_a_value_the_field_refuses_is_refused_on_every_round(url: str) -> None:
    async with opened(url):
        await _fill()
        for value in (5, 2**40, "five", None, 5):
            make = lambda v=value: Author.filter(rating__gte=v).order_by("name").limit(10)  # noqa: E731
            try:
                expected: Any = _names(await make()._clone(), [])
            except FerruleError as exc:
                expected = type(exc)
            for _ in range(2):
                try:
                    got: Any = _names(await make(), [])
                except FerruleError as exc:
                    got = type(exc)
                assert got == expected, value


class _Name(str):
    __slots__ = ()


def test_keys_name_the_calls_and_any_other_call_drops_the_key() -> None:
    base = Author.filter(rating__gte=5)
    assert base._key == (Author, "f", ("rating__gte",))
    assert base.order_by("name").limit(3)._key == (
        Author, "f", ("rating__gte",), "o", ("name",), "l", 3
    )  # fmt: skip
    assert base.order_by("-name", "id")._key == (
        Author, "f", ("rating__gte",), "o", ("-name", "id")
    )  # fmt: skip
    assert Author.filter(rating=1, name="a")._key == (Author, "f", ("rating", "name"))
    assert base.values("name")._key == (Author, "f", ("rating__gte",), "v", "dict", ("name",))
    assert base.values_list("id", named=True).limit(2)._key == (
        Author, "f", ("rating__gte",), "v", "named", ("id",), "l", 2
    )  # fmt: skip
    assert base.values_list()._key == (Author, "f", ("rating__gte",), "v", "tuple", ())
    for dropped in (
        base.exclude(name="a"),
        base.filter(orm.Q(name="a")),
        base.only("name"),
        base.values(_Name("name")),  # a str subclass: the general path checks it
        base.values("name").annotate(n=orm.Count("posts")),
        base.distinct(),
        base.offset(1),
        base[1:2],
        base.prefetch_related("posts"),
        base.annotate(n=orm.Count("posts")),
        Author.filter(orm.Q(rating=1)),
        Author.exclude(rating=1),
    ):
        assert dropped._key is None


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgres", "mysql"])
def test_the_keyed_entry_is_the_shape_s_entry(dialect_name: str) -> None:
    """What ``keyed`` finds is what ``find`` finds for the same QuerySet, on each dialect."""
    qs = Author.filter(rating__gte=4).order_by("-name").limit(7)
    found = shapes.find(qs, dialect_name)
    keyed = shapes.keyed(qs, dialect_name)
    assert found is not None and keyed is not None
    entry, values = found
    assert keyed[0] is entry
    assert keyed[1] == entry.params(values, 7, None)
    assert shapes.keyed(qs, dialect_name) == keyed
