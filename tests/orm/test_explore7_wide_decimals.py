"""A decimal column wider than 28 digits (``DecimalField(max_digits=30, decimal_places=10)``,
money and token amounts) reads back exactly through every path, ``Avg`` and arithmetic
included: the value at the column's scale was made with ``Decimal.quantize`` in the default
context, whose 28 digits raised a bare ``decimal.InvalidOperation`` for 10**18 at 10 places
(29 digits): every read on SQLite (which stores it as an integer), ``Avg`` and
``annotate(F(...) + 1)`` on PostgreSQL and MariaDB. The scale is now set with no digit limit,
and with the context's rounding no longer the caller's (``decimal.getcontext()``)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import InterfaceError

from .conftest import opened, own_tables

UNIT = Decimal("1E-10")


class Wide(orm.Model):
    id: int = orm.Field(primary_key=True)
    amount = orm.DecimalField(max_digits=30, decimal_places=10)

    class Meta:
        table = "ormt_x7_wide_decimal"


def _amounts(url: str) -> list[Decimal]:
    """Values of 29 and 30 digits at the column's scale; SQLite holds a decimal as an integer
    or a double, so only those it keeps exactly (ferrule refuses the others)."""
    kept = [Decimal(10**18), Decimal("1E+19"), Decimal(-(2**62))]
    if url.startswith("sqlite"):
        return kept
    return [*kept, Decimal("12345678901234567890.1234567890"), Decimal("-99999999999999999999")]


async def _reads(key: int, computed: bool) -> dict[str, Any]:
    one = Wide.filter(id=key)
    reads = {
        "get": (await Wide.get(id=key)).amount,
        "all": (await one)[0].amount,
        "values": (await one.values("amount"))[0]["amount"],
        "flat": (await one.values_list("amount", flat=True))[0],
        "max": (await one.aggregate(m=orm.Max("amount")))["m"],
    }
    if computed:
        reads["avg"] = (await one.aggregate(m=orm.Avg("amount")))["m"]
        plus_zero = one.annotate(x=orm.F("amount") + 0).values_list("x", flat=True)
        reads["plus zero"] = (await plus_zero)[0]
    return reads


@pytest.mark.parametrize("precision", [28, 6])
async def test_wide_decimals_read_back_exactly(url: str, precision: int) -> None:
    amounts = _amounts(url)
    async with opened(url), own_tables(Wide):
        for key, amount in enumerate(amounts, 1):
            await Wide.create(id=key, amount=amount)
        with decimal.localcontext() as context:
            context.prec = precision  # the caller's own context changes nothing read
            misses = []
            for key, amount in enumerate(amounts, 1):
                # SQLite computes decimals as doubles: past 14 digits it refuses to
                for path, got in (await _reads(key, not url.startswith("sqlite"))).items():
                    if got != amount or got.as_tuple().exponent > -10:
                        misses.append((amount, path, got))
        assert misses == []


async def test_arithmetic_on_wide_decimals(url: str) -> None:
    if url.startswith("sqlite"):
        pytest.skip("SQLite computes decimals as doubles: 20 digits are refused there")
    amount = Decimal("12345678901234567890.1234567890")
    with decimal.localcontext(prec=60):  # Python's own sums of these, exact
        later, mean, less = amount + UNIT * 2, amount + UNIT, amount - 1
    async with opened(url), own_tables(Wide):
        await Wide.create(id=1, amount=amount)
        await Wide.create(id=2, amount=later)
        assert (await Wide.aggregate(m=orm.Avg("amount")))["m"] == mean
        assert await Wide.filter(id=1).update(amount=orm.F("amount") - 1) == 1
        assert (await Wide.get(id=1)).amount == less
        times_one = await Wide.filter(id=2).annotate(x=orm.F("amount") * 1).values_list("x")
        assert times_one == [(later,)]


#: values of 29 and 30 significant digits that the default context's 28 round to few digits
#: (9999999999999999999.9999999999 to 1E+19): SQLite's binding counted the digits of that
#: rounded value, took it for a double's 15, and the column stored 1E+19
ROUNDING_AWAY = [
    Decimal("9999999999999999999.9999999999"),
    Decimal("-1000000000000000000.0000000001"),
]


@pytest.mark.parametrize("amount", ROUNDING_AWAY, ids=str)
async def test_more_digits_than_the_context_are_kept_or_refused(url: str, amount: Decimal) -> None:
    async with opened(url), own_tables(Wide):
        if url.startswith("sqlite"):
            with pytest.raises(InterfaceError, match=r"Wide\.amount: .*29 significant digits"):
                await Wide.create(id=1, amount=amount)
            assert await Wide.all().count() == 0
            return
        await Wide.create(id=1, amount=amount)
        assert (await Wide.get(id=1)).amount == amount
