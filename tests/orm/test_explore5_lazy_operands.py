"""Integer subtraction whose right side is a window or an aggregate: the difference to the
previous row (``F("a") - Window(Lag("a"))``) and stock less what was taken
(``F("id") - Count("items")``) are the first things written with windows and groups, and
must answer as Python does on the three databases.

MariaDB computes every part of such an expression that holds no window or aggregate once per
row before the windows and groups, whichever branch of a ``CASE`` it sits in. ferrule's
MariaDB subtraction guards ``x - (-2**63)`` (which MariaDB answers wrongly) with a branch that
was ``x + (2**63 - 1)``: computed up front, it overflowed for every positive ``x``."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F


class Shelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_x5_shelf"


class Box(orm.Model):
    id: int = orm.Field(primary_key=True)
    a = orm.IntField(null=True)
    big = orm.BigIntField(default=0)
    shelf = orm.ForeignKeyField(Shelf, related_name="boxes", null=True)

    class Meta:
        table = "ormt_x5_box"


A = [7, None, 2, -5, 2_000_000_000]


async def _rows() -> None:
    top = await Shelf.create(name="top")
    await Shelf.create(name="bare")
    for n, a in enumerate(A):
        await Box.create(a=a, shelf=top if n % 2 == 0 else None)


def _minus(x: Any, y: Any) -> Any:
    return None if x is None or y is None else x - y


async def test_a_field_less_a_window_answers_as_python(url: str) -> None:
    async with opened(url), own_tables(Shelf, Box):
        await _rows()
        lagged = [None, *A[:-1]]
        got = await (
            Box.annotate(step=F("a") - orm.Window(orm.Lag("a"), order_by="id"))
            .order_by("id")
            .values_list("step", flat=True)
        )
        assert got == [_minus(a, b) for a, b in zip(A, lagged, strict=True)]
        ranked = await (
            Box.annotate(r=orm.Window(orm.RowNumber(), order_by="id"))
            .annotate(k=F("a") - F("r"))
            .order_by("id")
            .values_list("k", flat=True)
        )
        assert ranked == [_minus(a, n) for n, a in enumerate(A, 1)]


async def test_a_field_less_an_aggregate_answers_as_python(url: str) -> None:
    async with opened(url), own_tables(Shelf, Box):
        await _rows()
        shelves = await Shelf.order_by("id").values_list("id", flat=True)
        less = Shelf.annotate(k=F("id") - orm.Count("boxes"))
        got = await less.order_by("id").values_list("k", flat=True)
        assert got == [shelves[0] - 3, shelves[1]]


async def test_the_smallest_right_side_still_overflows_or_answers(url: str) -> None:
    """``x - (-2**63)`` is ``x + 2**63``: past 64 bits from ``x = 0`` up, ``2**63 - 1`` for
    ``x = -1``, also when ``-2**63`` comes from a window."""
    async with opened(url), own_tables(Shelf, Box):
        low = await Box.create(a=-1, big=-(2**63))
        smallest = orm.Window(orm.Min("big"))
        got = await Box.annotate(k=F("a") - smallest).values_list("k", flat=True)
        assert got == [2**63 - 1]
        await Box.filter(pk=low.pk).update(a=0)
        with pytest.raises(DataError):
            await Box.annotate(k=F("a") - smallest).values_list("k", flat=True)
