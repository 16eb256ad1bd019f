"""Constants of a subclass of int or datetime in an expression, read as the value they hold
(the base type's own methods), as their other uses are (``backends.plain``). An int subclass
in ``Value(..., output_field=FloatField()/DecimalField())`` was a ``FieldError`` ("the
constant is an int, and output_field says a float") where a plain int is converted, as
Django's field converts it; and an aware datetime subclass whose ``utcoffset()`` says None
was typed as a naive datetime constant."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError
from ferrule.orm import F, Value

from .conftest import opened
from .models import Everything


class LyingInt(int):
    """An int whose conversions all say 99."""

    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 99

    def __float__(self) -> float:
        return 99.0


class Size(enum.IntEnum):
    BIG = 3


class NaiveClaim(dt.datetime):
    """An aware datetime that says it has no offset."""

    def utcoffset(self) -> Any:
        return None


def _cents() -> Any:
    return orm.DecimalField(max_digits=10, decimal_places=2)


@pytest.mark.parametrize("number", [3, LyingInt(3), Size.BIG])
def test_int_constant_under_a_float_or_decimal_field(number: int) -> None:
    as_float = Value(number, output_field=orm.FloatField()).value
    assert (as_float, type(as_float)) == (3.0, float)
    as_decimal = Value(number, output_field=_cents()).value
    assert (as_decimal, type(as_decimal), str(as_decimal)) == (Decimal(3), Decimal, "3.00")


def test_a_bool_is_no_number_for_output_field() -> None:
    with pytest.raises(FieldError, match="a bool"):
        Value(True, output_field=orm.FloatField())


async def test_subclass_constants_read_as_they_hold(url: str) -> None:
    async with opened(url):
        moment = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
        await Everything.create(id=1, small=2, moment=moment)
        rows = Everything.filter(id=1)
        got = await rows.annotate(
            x=Value(LyingInt(3), output_field=orm.FloatField()),
            y=Value(LyingInt(3), output_field=_cents()),
            z=F("small") + LyingInt(3),
        ).values_list("x", "y", "z")
        assert [tuple((v, type(v)) for v in row) for row in got] == [
            ((3.0, float), (Decimal("3.00"), Decimal), (5, int))
        ]
        claim = NaiveClaim(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
        assert await Everything.filter(moment=Value(claim)).count() == 1
        later = await rows.annotate(t=F("moment") - Value(claim)).values_list("t", flat=True)
        assert later == [dt.timedelta(0)]
