"""Clock values. A database clock as the ``db_default`` of an aware datetime field (Django's
``db_default=Now()``): the value made by the database is the current instant on every
database, aware, and equal to itself as a filter value. On SQLite the clock's text has no
offset (read back naive, equal to no value ferrule binds); on MariaDB the clock answers in
the session's time zone (read back shifted by its offset when that is not UTC).
``auto_now``/``auto_now_add`` on date and time fields (Django has both) set a date and a
time of day: they set a whole datetime, which PostgreSQL refused, SQLite stored in the DATE
column (unreadable afterwards) and MariaDB cut, the instance keeping the datetime."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm, sql
from ferrule.errors import SchemaError

from .conftest import opened, own_tables

UTC = dt.timezone.utc


class E4Stamp(orm.Model):
    id = orm.IntField(pk=True)
    at = orm.DateTimeField(db_default=sql.raw("CURRENT_TIMESTAMP"))
    seen = orm.DateTimeField(db_default=sql.raw("current_timestamp"), null=True)

    class Meta:
        table = "e4_stamp"


class E4Visit(orm.Model):
    id = orm.IntField(pk=True)
    n = orm.IntField(default=0)
    opened = orm.DateField(auto_now_add=True)
    seen_on = orm.DateField(auto_now=True)
    at = orm.TimeField(auto_now=True)

    class Meta:
        table = "e4_visit"


def _now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _between(value: Any, before: dt.datetime, after: dt.datetime) -> bool:
    """Whether ``value`` is an aware instant read between ``before`` and ``after`` (SQLite's
    clock gives whole seconds)."""
    return (
        isinstance(value, dt.datetime)
        and value.tzinfo is not None
        and before.replace(microsecond=0) <= value <= after
    )


async def test_a_clock_default_is_the_current_aware_instant(url: str) -> None:
    async with opened(url), own_tables(E4Stamp):
        before = _now()
        made = await E4Stamp.create()
        after = _now()
        assert _between(made.at, before, after), made.at
        assert _between(made.seen, before, after), made.seen
        loaded = await E4Stamp.get(pk=made.pk)
        assert (loaded.at, loaded.seen) == (made.at, made.seen)
        assert await E4Stamp.filter(at=made.at).count() == 1
        assert await E4Stamp.filter(at__lt=made.at).count() == 0
        later = await E4Stamp.create(at=after + dt.timedelta(seconds=1))
        ordered = await E4Stamp.all().order_by("at").values_list("id", flat=True)
        assert ordered == [made.pk, later.pk]


async def test_a_clock_default_on_mariadb_is_utc_whatever_the_session_zone(url: str) -> None:
    """The server's zone is its system's by default; a session's SET time_zone stands in."""
    if not url.startswith("mysql"):
        pytest.skip("MariaDB's clock answers in the session's time zone")
    async with opened(url) as db, own_tables(E4Stamp):
        async with db.connection():
            await db.execute("SET time_zone = '+05:00'")
            before = _now()
            made = await E4Stamp.create()
            after = _now()
        assert _between(made.at, before, after), made.at
        assert _between(made.seen, before, after), made.seen


def _stamped(row: Any, before: dt.datetime, after: dt.datetime) -> bool:
    """An (opened, seen_on, at) of a date, a date and a time of day read between the two instants
    (the UTC calendar and clock)."""
    opened, seen_on, at = row
    days = {before.date(), after.date()}
    if type(opened) is not dt.date or type(seen_on) is not dt.date or type(at) is not dt.time:
        return False
    start, end = before.time().replace(tzinfo=None), after.time().replace(tzinfo=None)
    return opened in days and seen_on in days and (start <= at <= end or end < start)


async def test_auto_now_on_date_and_time_fields_sets_a_date_and_a_time(url: str) -> None:
    async with opened(url) as db, own_tables(E4Visit):
        before = _now()
        made = await E4Visit.create()
        many = await E4Visit.bulk_create([E4Visit(), E4Visit()])
        made.n = 1
        await made.save()
        after = _now()
        for visit in (made, *many):
            assert _stamped((visit.opened, visit.seen_on, visit.at), before, after), visit
        rows = await db.fetch_all("SELECT opened, seen_on, at FROM e4_visit ORDER BY id")
        assert len(rows) == 3
        for row in rows:
            assert _stamped(tuple(row), before, after), tuple(row)
        loaded = await E4Visit.get(pk=made.pk)
        assert (loaded.opened, loaded.seen_on, loaded.at) == (made.opened, made.seen_on, made.at)


def test_auto_now_on_a_field_that_is_no_date_or_time_is_refused() -> None:
    """Django has the option on date, time and datetime fields only."""
    with pytest.raises(SchemaError, match="auto_now is for a date, time or datetime field"):

        class E4Counter(orm.Model):
            id = orm.IntField(pk=True)
            n = orm.IntField(auto_now=True)

            class Meta:
                table = "e4_counter"

        E4Counter._meta.columns  # noqa: B018 (the columns are built on first use)
