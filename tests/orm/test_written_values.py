"""A value the ORM writes or compares is one its column holds exactly, or a ValidationError
naming the field, on every database and through every path: ``update()`` checks the limits
the column's type has (``max_length``, ``max_digits``, ``decimal_places``), as ``create()``
does (PostgreSQL and MariaDB rounded a Decimal to the column's scale, SQLite kept extra
digits and text longer than the column); a datetime for a DateField is its date only when it
has no time of day (pydantic's rule)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import InterfaceError, ValidationError

from .conftest import opened
from .models import Everything

LATE = dt.datetime(2024, 1, 2, 23, 30)
MIDNIGHT = dt.datetime(2024, 1, 2)

# field -> a value create() refuses; pydantic 2.14.4 refuses each for the same constraints
# (max_length=20; max_digits=12, decimal_places=3), written out here: the suite never imports it
TOO_BIG: list[tuple[str, Any]] = [
    ("code", "x" * 21),
    ("price", Decimal("1.2345")),
    ("price", Decimal(10**9)),
    ("price", Decimal("-0.0001")),
]


@pytest.mark.parametrize(("name", "value"), TOO_BIG, ids=lambda v: repr(v)[:20])
async def test_update_refuses_what_the_column_cannot_hold(url: str, name: str, value: Any) -> None:
    async with opened(url):
        await Everything.create(id=1)
        with pytest.raises(ValidationError, match=rf"Everything\b[\s\S]*\b{name}\b"):
            await Everything.create(id=2, **{name: value})
        with pytest.raises(ValidationError, match=rf"Everything\b[\s\S]*\b{name}\b"):
            await Everything.filter(id=1).update(**{name: value})
        stored = await Everything.get(id=1)
        assert (stored.code, stored.price) == ("", Decimal("0"))


async def test_update_writes_what_fits_exactly(url: str) -> None:
    async with opened(url):
        await Everything.create(id=1)
        assert await Everything.filter(id=1).update(code="x" * 20, price=Decimal("-999999999.999"))
        stored = await Everything.get(id=1)
        assert (stored.code, stored.price) == ("x" * 20, Decimal("-999999999.999"))
        assert await Everything.filter(id=1).update(price=orm.F("price") + 1) == 1
        assert (await Everything.get(id=1)).price == Decimal("-999999998.999")


async def test_a_datetime_for_a_date_field(url: str) -> None:
    """pydantic refuses a datetime with a time of day for ``date`` and takes one at midnight
    as its date (2.14.4: ``date_from_datetime_inexact``, "Datetimes provided to dates should
    have zero time"); the ORM does the same in create(), filter() and update()."""
    async with opened(url):
        await Everything.create(id=1, day=MIDNIGHT)
        assert (await Everything.get(id=1)).day == MIDNIGHT.date()
        assert await Everything.filter(day=MIDNIGHT).count() == 1
        with pytest.raises(ValidationError, match=r"Everything\b[\s\S]*\bday\b"):
            await Everything.create(id=2, day=LATE)
        with pytest.raises(ValidationError, match=r"Everything\b[\s\S]*\bday\b"):
            await Everything.filter(day=LATE).count()
        with pytest.raises(ValidationError, match=r"Everything\b[\s\S]*\bday\b"):
            await Everything.filter(day__lt=LATE).count()
        with pytest.raises(ValidationError, match=r"Everything\b[\s\S]*\bday\b"):
            await Everything.filter(id=1).update(day=LATE)
        assert await Everything.filter(id=1).update(day=MIDNIGHT.replace(day=3)) == 1
        assert (await Everything.get(id=1)).day == dt.date(2024, 1, 3)


async def test_a_time_with_an_offset_for_a_time_field(url: str) -> None:
    """Its column (PostgreSQL ``time``, MariaDB ``TIME``) keeps no offset, so it is refused,
    on SQLite too (which kept the text and compared it as text: 01:00+05:00 did not match
    02:00+06:00, the same time to Python)."""
    aware = dt.time(1, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert aware == dt.time(2, 0, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    async with opened(url):
        await Everything.create(id=1, clock=dt.time(1, 0))
        with pytest.raises(InterfaceError, match="offset"):
            await Everything.create(id=2, clock=aware)
        with pytest.raises(InterfaceError, match="offset"):
            await Everything.filter(id=1).update(clock=aware)
        with pytest.raises(InterfaceError, match="offset"):
            await Everything.filter(clock=aware).count()
        assert [e.clock for e in await Everything.all()] == [dt.time(1, 0)]
