"""Durations past 64 bits of microseconds (about 292,000 years: what SQLite and MariaDB store
a ``timedelta`` in) answered three ways: ``F("took") + timedelta(days=999_999_999)`` was a
DataError on SQLite, a filter answer on PostgreSQL and MariaDB, a raw ``OverflowError`` when
read on both, and ``update()`` stored on PostgreSQL an interval Python cannot read (a raw
``OverflowError`` for every later read of the row). Now such a constant or result is a
``DataError`` on the three, and a stored interval past Python's ``timedelta`` is an
``UnreadableValueError`` naming the column."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import DataError, UnreadableValueError

from .conftest import opened, own_tables

F = orm.F
HUGE = dt.timedelta(days=999_999_999)  # timedelta.max's days: past 64 bits of microseconds
WIDE = dt.timedelta(days=100_000_000)  # within them; twice it is not


class Lap(orm.Model):
    id: int = orm.Field(primary_key=True)
    took: dt.timedelta = orm.Field()

    class Meta:
        table = "ormt_oi_lap"


@pytest.mark.parametrize("shift", ["constant", "sum"])
async def test_a_duration_past_64_bits_is_a_data_error(url: str, shift: str) -> None:
    async with opened(url), own_tables(Lap):
        lap = await Lap.create(took=WIDE if shift == "sum" else dt.timedelta(days=1))
        longer = F("took") + (HUGE if shift == "constant" else F("took"))
        with pytest.raises(DataError):
            await Lap.annotate(x=longer).values_list("x", flat=True)
        with pytest.raises(DataError):
            await Lap.filter(took__lt=longer).count()
        with pytest.raises(DataError):
            await Lap.filter(pk=lap.pk).update(took=longer)
        assert await Lap.values_list("took", flat=True) == [lap.took]  # still readable
        small = F("took") + dt.timedelta(days=1)
        assert await Lap.annotate(x=small).values_list("x", flat=True) == [
            lap.took + dt.timedelta(days=1)
        ]


async def test_a_stored_interval_past_timedelta_is_unreadable(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("only PostgreSQL's interval holds more than a timedelta")
    async with opened(url) as db:
        with pytest.raises(UnreadableValueError, match="interval"):
            await db.fetch_all("SELECT interval '1000000000 days' AS x")
        rows = await db.fetch_all("SELECT interval '-999999999 days' AS x")
        assert rows[0][0] == -dt.timedelta(days=999_999_999)
        # a month is no number of days (asyncpg read 30): tests/orm/test_foreign2_pg_intervals.py
        with pytest.raises(UnreadableValueError, match="months"):
            await db.fetch_all("SELECT interval '1 month' AS y")
