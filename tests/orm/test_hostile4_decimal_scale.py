"""A ``Decimal`` subclass whose ``as_tuple()`` lies, as a constant of an expression: the ORM
typed ``Value(d)`` and ``F("price") + d`` by the scale its ``as_tuple()`` claimed, so on
MariaDB (whose statement casts the constant to that scale) ``update(price=Value(<3.25>))``
stored 3.000 and ``F("price") + <1.5>`` added 2, in silence. The scale is now read from the
value the Decimal holds."""

from __future__ import annotations

import decimal

from ferrule import orm

from .conftest import opened
from .models import Everything


class ClaimsInteger(decimal.Decimal):
    """Its ``as_tuple()`` says 999 (no fractional digits), whatever it holds."""

    def as_tuple(self) -> decimal.DecimalTuple:
        return decimal.Decimal("999").as_tuple()


async def test_a_decimal_constant_keeps_the_scale_it_holds(url: str) -> None:
    async with opened(url):
        made = await Everything.create(price=decimal.Decimal("1"))
        only = Everything.filter(id=made.id)
        await only.update(price=orm.Value(ClaimsInteger("3.25")))
        assert (await only.get()).price == decimal.Decimal("3.25")
        await only.update(price=orm.F("price") + ClaimsInteger("1.5"))
        assert (await only.get()).price == decimal.Decimal("4.75")
        assert await only.filter(price=orm.Value(ClaimsInteger("4.75"))).count() == 1
