"""``Value(constant, output_field=...)`` (``orm.output_fields.value_for``) with constants it
did not expect: a decimal that is no finite number under a ``DecimalField`` with places was
a ``ValueError`` from ``int()`` of its exponent's letter, a decimal beyond 28 digits once
given its places a ``decimal.InvalidOperation``, an int too large for a float an
``OverflowError``; and a ``Decimal`` subclass whose ``as_tuple()`` lied about its places was
rounded in silence (a plain ``Decimal`` of as many places is refused) and kept with the
``quantize()`` it overrides. Each is read as the value it holds now."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError


def _cents() -> Any:
    return orm.DecimalField(max_digits=40, decimal_places=2)


class LyingPlaces(Decimal):
    """A decimal that says it has two places, whatever it holds."""

    def as_tuple(self) -> Any:
        return Decimal("1.00").as_tuple()

    def quantize(self, exp: Any, rounding: Any = None, context: Any = None) -> Any:
        return "not a decimal"


@pytest.mark.parametrize("text", ["NaN", "-Infinity", "Infinity", "sNaN"])
def test_a_decimal_that_is_no_number_is_a_field_error(text: str) -> None:
    with pytest.raises(FieldError, match="not a finite number"):
        orm.Value(Decimal(text), output_field=_cents())


def test_a_decimal_is_read_by_the_places_it_holds() -> None:
    with pytest.raises(FieldError, match="more places than its 2"):
        orm.Value(LyingPlaces("1.234"), output_field=_cents())
    kept = orm.Value(LyingPlaces("1.2"), output_field=_cents()).value
    assert type(kept) is Decimal and kept == Decimal("1.20")
    assert str(kept) == "1.20"


@pytest.mark.parametrize(
    "value", [10**30, Decimal(10**30), Decimal("1e30"), -(10**35) + 1, Decimal("-0")]
)
def test_a_decimal_of_many_digits_keeps_them(value: Any) -> None:
    kept = orm.Value(value, output_field=_cents()).value
    assert type(kept) is Decimal
    assert kept == value
    assert kept.as_tuple().exponent == -2


def test_an_int_beyond_every_float_is_a_field_error() -> None:
    with pytest.raises(FieldError, match="float"):
        orm.Value(10**400, output_field=orm.FloatField())
    with pytest.raises(FieldError, match="float"):
        orm.Value(-(10**400), output_field=float)
    assert orm.Value(2**60, output_field=float).value == float(2**60)  # Django's float()


def test_no_decimal_context_leaks() -> None:
    before = decimal.getcontext().prec
    orm.Value(10**30, output_field=_cents())
    assert decimal.getcontext().prec == before
