"""PostgreSQL intervals with months or years, written by another program (``'1 mon'``,
``'1 year 2 days'``). asyncpg reads a month as 30 days and a year as 365, so the field held
``timedelta(days=30)`` and ``save()`` wrote back ``'30 days'``: a different interval (a date
moved by it lands elsewhere: Jan 31 + 1 mon is Feb 29, + 30 days is Mar 1), changed without a
word on a round trip. A timedelta has no months: such a value is an ``UnreadableValueError``
naming the column; an interval of days and time reads and writes back as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened

#: Django's table for a model with a DurationField
TABLE = "CREATE TABLE ormt_fi_span (id integer NOT NULL PRIMARY KEY, took interval NULL)"


class FiSpan(orm.Model):
    id: int = orm.Field(primary_key=True)
    took = orm.TimedeltaField(null=True)

    class Meta:
        table = "ormt_fi_span"


async def _table(db: Any, *stored: str) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_fi_span", [])
    await db.execute(TABLE, [])
    rows = ", ".join(f"({key}, interval '{value}')" for key, value in enumerate(stored, 1))
    await db.execute(f"INSERT INTO ormt_fi_span VALUES {rows}", [])


@pytest.mark.parametrize("stored", ["1 mon", "1 year 2 days", "-1 mon 3 hours", "14 mons"])
async def test_an_interval_with_months_is_unreadable(url: str, dialect: str, stored: str) -> None:
    if dialect != "postgres":
        pytest.skip("PostgreSQL's interval")
    async with opened(url) as db:
        await _table(db, "2 days 03:00:00", stored)
        try:
            reads = {
                "get": lambda: FiSpan.get(id=2),
                "all": lambda: FiSpan.all(),
                "values_list": lambda: FiSpan.filter(id=2).values_list("took", flat=True),
                "raw": lambda: db.fetch_all("SELECT took FROM ormt_fi_span", []),
            }
            for path, read in reads.items():
                with pytest.raises(UnreadableValueError, match="months") as caught:
                    await read()
                assert "took" in str(caught.value), path
            assert (await FiSpan.get(id=1)).took == dt.timedelta(days=2, hours=3)
        finally:
            await db.execute("DROP TABLE ormt_fi_span", [])


async def test_days_and_time_write_back_as_they_were(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("PostgreSQL's interval")
    async with opened(url) as db:
        await _table(db, "30 days", "-2 days 00:00:01.5", "1 day 01:00:00")
        try:
            before = await db.fetch_all("SELECT took::text FROM ormt_fi_span ORDER BY id", [])
            for span in await FiSpan.all():
                await span.save()
            after = await db.fetch_all("SELECT took::text FROM ormt_fi_span ORDER BY id", [])
            assert [r[0] for r in after] == [r[0] for r in before]
        finally:
            await db.execute("DROP TABLE ormt_fi_span", [])
