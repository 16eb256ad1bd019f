"""A ``Case`` whose branches hold a window or an aggregate: a branch not taken must not
fail the query. PostgreSQL and SQLite compute only the branch taken; MariaDB computes every
part of such an expression that holds no window or aggregate for every row up front,
whichever branch it sits in, so ``F("a") * 2`` in a branch not taken overflowed there (a
``DataError`` where the others answer)."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F
Case, When, Value = orm.Case, orm.When, orm.Value
HUGE = 2**62 + 1  # doubled, past 64 bits


class Rack(orm.Model):
    id: int = orm.Field(primary_key=True)
    size = orm.BigIntField()

    class Meta:
        table = "ormt_oi_rack"


class Crate(orm.Model):
    id: int = orm.Field(primary_key=True)
    a = orm.BigIntField()
    rack = orm.ForeignKeyField(Rack, related_name="crates", null=True)

    class Meta:
        table = "ormt_oi_crate"


async def _rows() -> None:
    small = await Rack.create(size=7)
    big = await Rack.create(size=HUGE)
    for a, rack in ((5, small), (HUGE, big), (3, small)):
        await Crate.create(a=a, rack=rack)


async def test_a_window_beside_a_branch_not_taken(url: str) -> None:
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        counted = Case(When(a__lt=100, then=F("a") * 2), default=orm.Window(orm.Count("id")))
        got = await Crate.annotate(x=counted).order_by("id").values_list("x", flat=True)
        assert got == [10, 3, 6]


async def test_a_later_condition_not_reached(url: str) -> None:
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        tested = Case(
            When(a__gt=100, then=Value(-1)),
            When(a__lt=F("a") * 2, then=orm.Window(orm.Count("id"))),
            default=Value(0),
        )
        got = await Crate.annotate(x=tested).order_by("id").values_list("x", flat=True)
        assert got == [3, -1, 3]


async def test_a_float_and_a_nested_case(url: str) -> None:
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        inner = Case(When(a__lt=10, then=F("a") * 2.5), default=Value(None))
        outer = Case(When(a__lt=100, then=inner), default=orm.Window(orm.Max("a")))
        got = await Crate.annotate(x=outer).order_by("id").values_list("x", flat=True)
        assert got == [12.5, float(HUGE), 7.5]


async def test_a_window_over_a_case_and_a_case_over_a_window(url: str) -> None:
    """The window's own operands are computed row by row on every database: a Case inside
    it is unchanged; a window inside a Case's branch is computed as it is alone."""
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        small = Case(When(a__lt=100, then=F("a") * 2), default=Value(0))
        summed = orm.Window(orm.Sum(small), order_by="id")
        got = await Crate.annotate(x=summed).order_by("id").values_list("x", flat=True)
        assert got == [10, 10, 16]
        lagged = Case(
            When(a__lt=100, then=orm.Window(orm.Lag("a"), order_by="id") - F("a")),
            default=Value(0),
        )
        got = await Crate.annotate(x=lagged).order_by("id").values_list("x", flat=True)
        assert got == [None, 0, HUGE - 3]


async def test_an_aggregate_beside_a_branch_not_taken(url: str) -> None:
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        counted = Case(When(size__lt=100, then=F("size") * 2), default=orm.Count("crates"))
        got = await Rack.annotate(k=counted).order_by("id").values_list("k", flat=True)
        assert got == [14, 1]
        named = Rack.annotate(n=orm.Count("crates")).annotate(
            k=Case(When(size__lt=100, then=F("size") * 2), default=F("n"))
        )
        assert await named.order_by("id").values_list("k", flat=True) == [14, 1]


async def test_a_coalesce_stops_at_its_first_value(url: str) -> None:
    """COALESCE computes its arguments up to the first that is not NULL on PostgreSQL and
    SQLite; MariaDB computed them all up front beside a window."""
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        first = orm.Coalesce(
            Case(When(a__gt=100, then=Value(-1)), default=Value(None)),
            F("a") * 2,
            orm.Window(orm.Count("id")),
        )
        got = await Crate.annotate(x=first).order_by("id").values_list("x", flat=True)
        assert got == [10, -1, 6]


async def test_the_branch_taken_still_overflows(url: str) -> None:
    async with opened(url), own_tables(Rack, Crate):
        await _rows()
        counted = Case(When(a__gt=100, then=F("a") * 2), default=orm.Window(orm.Count("id")))
        with pytest.raises(DataError):
            await Crate.annotate(x=counted).values_list("x", flat=True)
