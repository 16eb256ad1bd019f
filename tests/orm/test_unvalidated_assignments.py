"""With ``validate_assignment=False`` (or ``model_construct``), values are checked when they
are written, and what is written is the validated value, as on construction.

``obj.n = "7"`` on an int field passes the (lax) check as 7: the row holds 7 on every database
and the instance holds 7 after the write, as ``Model(n="7")`` would. Before, the raw value was
sent: SQLite and MariaDB converted it themselves, PostgreSQL refused it with an
InterfaceError, and the instance kept the text.
"""

from __future__ import annotations

import datetime as dt
import decimal

from ferrule import ConfigDict, orm

from .conftest import opened, own_tables


class Loose(orm.Model):
    model_config = ConfigDict(validate_assignment=False)

    id: int = orm.Field(primary_key=True)
    n: int = 0
    price: decimal.Decimal = orm.Field(max_digits=6, decimal_places=2, default=decimal.Decimal("0"))
    day: dt.date | None = None

    class Meta:
        table = "ormt_loose"


ASSIGNED = {"n": "7", "price": "1.5", "day": "2024-02-29"}
STORED = (7, decimal.Decimal("1.50"), dt.date(2024, 2, 29))


def _assign(obj: Loose) -> None:
    for name, value in ASSIGNED.items():
        setattr(obj, name, value)


def _holds_validated(obj: Loose) -> None:
    assert (type(obj.n), type(obj.price), type(obj.day)) == (int, decimal.Decimal, dt.date)
    assert (obj.n, obj.price, obj.day) == STORED


async def _stored(key: int) -> tuple[object, ...]:
    (row,) = await Loose.filter(id=key).values_list("n", "price", "day")
    return tuple(row)


async def test_assigned_values_are_written_validated(url: str) -> None:
    async with opened(url), own_tables(Loose):
        fresh = Loose()
        _assign(fresh)
        await fresh.save()  # an insert
        assert await _stored(fresh.id) == STORED
        _holds_validated(fresh)
        again = await Loose.get(id=fresh.id)
        _assign(again)
        await again.save()  # an update
        assert await _stored(again.id) == STORED
        _holds_validated(again)
        _assign(again)
        await again.save(update_fields=["n", "price", "day"])
        assert await _stored(again.id) == STORED
        built = Loose.model_construct(**ASSIGNED)
        (made,) = await Loose.bulk_create([built])
        assert await _stored(made.id) == STORED
        _holds_validated(built)
        _assign(again)
        assert await Loose.bulk_update([again], ["n", "price", "day"]) == 1
        assert await _stored(again.id) == STORED
        _holds_validated(again)
