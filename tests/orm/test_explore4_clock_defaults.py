"""A database clock as the ``db_default`` of an aware datetime field (Django's
``db_default=Now()``): the value made by the database is the current instant on every
database, aware, and equal to itself as a filter value. On SQLite the clock's text has no
offset (read back naive, equal to no value ferrule binds); on MariaDB the clock answers in
the session's time zone (read back shifted by its offset when that is not UTC)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm, sql

from .conftest import opened, own_tables

UTC = dt.timezone.utc


class E4Stamp(orm.Model):
    id = orm.IntField(pk=True)
    at = orm.DateTimeField(db_default=sql.raw("CURRENT_TIMESTAMP"))
    seen = orm.DateTimeField(db_default=sql.raw("current_timestamp"), null=True)

    class Meta:
        table = "e4_stamp"


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
