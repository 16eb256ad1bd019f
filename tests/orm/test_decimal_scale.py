"""A decimal column's values come back with the column's scale on every database:
PostgreSQL and MariaDB answer ``Decimal('9.500')`` for ``9.5`` in a ``DECIMAL(12, 3)``, and
SQLite, which keeps the number as a double, answered ``Decimal('9.5')`` — equal, but its text
(``str``, JSON) differed. Expected values are Python's own ``quantize`` to the scale."""

from __future__ import annotations

import decimal

from ferrule import orm

from .conftest import opened
from .models import Everything

PRICES = [
    decimal.Decimal("9.5"),
    decimal.Decimal("10"),
    decimal.Decimal("-0.125"),
    decimal.Decimal("0"),
]
SCALE = decimal.Decimal("0.001")


def _texts(values: list[decimal.Decimal]) -> list[str]:
    return [str(v) for v in values]


async def test_decimals_are_read_with_the_column_scale(url: str) -> None:
    async with opened(url):
        made = [await Everything.create(price=p) for p in PRICES]
        expected = _texts([p.quantize(SCALE) for p in PRICES])
        rows = await Everything.all().order_by("id")
        assert _texts([r.price for r in rows]) == expected
        flat = await Everything.all().order_by("id").values_list("price", flat=True)
        assert _texts(flat) == expected
        dicts = await Everything.all().order_by("id").values("price")
        assert _texts([d["price"] for d in dicts]) == expected
        one = await Everything.get(id=made[0].id)
        assert str(one.price) == "9.500" and one.model_dump_json().count('"9.500"') == 1
        await made[1].refresh_from_db()
        assert str(made[1].price) == "10.000"
        bounds = await Everything.all().aggregate(low=orm.Min("price"), high=orm.Max("price"))
        assert (str(bounds["low"]), str(bounds["high"])) == ("-0.125", "10.000")
        async for row in Everything.filter(id=made[3].id).iterator(chunk_size=1):
            assert str(row.price) == "0.000"
