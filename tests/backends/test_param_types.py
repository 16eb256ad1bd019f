"""A parameter whose type is not its column's is stored exactly or refused, never cut, and the
same on every database: a datetime for a date column, a naive datetime or a date for a
PostgreSQL ``timestamptz`` (UTC, whatever the client machine's ``TZ``), an aware datetime for
a column without an offset, and a statement run again after its table was made again with
other column types (asyncpg keeps the first statement's parameter and result types)."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

import asyncpg  # type: ignore[import-untyped]
import pytest

import ferrule
from ferrule import errors

from .conftest import SERVER_URLS, requires

Q = Callable[[str], str]
UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5))
MINUS3 = dt.timezone(dt.timedelta(hours=-3))
STAMP_TZ = {"sqlite": "TIMESTAMPTZ", "postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"}
STAMP = {"sqlite": "TIMESTAMP", "postgres": "TIMESTAMP", "mysql": "DATETIME(6)"}
ZONES = ("America/New_York", "Asia/Kolkata", "UTC")


@pytest.fixture
def client_zone() -> Iterator[Callable[[str], None]]:
    """Set this process's local time zone (``TZ`` and ``time.tzset``); restored afterwards."""
    before = os.environ.get("TZ")

    def set_zone(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


async def test_a_datetime_at_midnight_is_its_date(url: str, table: str, q: Q) -> None:
    """pydantic's rule for a ``date``: a datetime with no time of day is that date."""
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER, d DATE)")
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), [1, dt.datetime(2024, 1, 2)])
        assert await db.fetch_val(f"SELECT d FROM {table}") == dt.date(2024, 1, 2)
        got = await db.fetch_val(
            q(f"SELECT id FROM {table} WHERE d = ?"), [dt.datetime(2024, 1, 2)]
        )
        assert got == 1


async def test_a_datetime_with_a_time_of_day_is_not_cut_to_a_date(
    url: str, table: str, q: Q
) -> None:
    """PostgreSQL cut it to its date (so did MariaDB, with only a note): refused, naming the
    parameter, before anything is sent. SQLite keeps the text as given and refuses to read it
    as a date."""
    async with await ferrule.connect(url) as db:
        requires(db, "parameter_types")
        await db.execute(f"CREATE TABLE {table} (id INTEGER, d DATE)")
        late = dt.datetime(2024, 1, 2, 23, 30)
        with pytest.raises(errors.InterfaceError, match=r"\$2.*2024-01-02 23:30.*date"):
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), [1, late])
        with pytest.raises(errors.InterfaceError, match=r"\$1.*date"):
            await db.fetch_all(q(f"SELECT id FROM {table} WHERE d = ?"), [late])
        with pytest.raises(errors.InterfaceError, match="date"):
            await db.execute_many(q(f"INSERT INTO {table} VALUES (?, ?)"), [(2, late)])
        assert await db.fetch_val(f"SELECT count(*) FROM {table}") == 0


@pytest.mark.parametrize("zone", ZONES)
async def test_a_naive_datetime_is_utc_where_an_instant_is_stored(
    url: str, table: str, q: Q, dialect: str, zone: str, client_zone: Callable[[str], None]
) -> None:
    """Not the client machine's local time (asyncpg's choice): the same wall-clock time is
    stored whatever ``TZ`` says, as MariaDB's DATETIME and SQLite store it; a date is its
    midnight in UTC."""
    client_zone(zone)
    naive = dt.datetime(2024, 1, 2, 23, 30)
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER, v {STAMP_TZ[dialect]})")
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        await db.execute(insert, [1, naive])
        await db.execute_many(insert, [(2, naive)])
        await db.execute(insert, [3, dt.date(2024, 1, 2)])
        if "copy" in db.capabilities:
            await db.copy_records(table, ["id", "v"], [(4, naive)])
        rows = await db.fetch_all(f"SELECT id, v FROM {table} ORDER BY id")
        for key, value in rows:
            expected = dt.datetime(2024, 1, 2) if key == 3 else naive
            assert value.replace(tzinfo=None) == expected, (key, value)
            assert value.utcoffset() in (None, dt.timedelta(0)), (key, value)
        if dialect == "postgres":  # what the server holds, in its own words
            shown = await db.fetch_all(
                f"SELECT to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM {table}"
                " ORDER BY id"
            )
            assert [r[0] for r in shown] == ["2024-01-02 23:30"] * 2 + ["2024-01-02 00:00"] + [
                "2024-01-02 23:30"
            ]


@pytest.mark.parametrize("zone", ZONES)
async def test_an_aware_datetime_is_its_instant(
    url: str, table: str, q: Q, dialect: str, zone: str, client_zone: Callable[[str], None]
) -> None:
    """An offset that is not UTC: the instant it denotes is what is stored and compared
    (MariaDB's DATETIME, which keeps no offset, holds it in UTC; it dropped the offset)."""
    client_zone(zone)
    moments = [
        dt.datetime(2024, 1, 2, 23, 30, tzinfo=PLUS5),
        dt.datetime(2024, 1, 2, 20, 30, 0, 250_000, tzinfo=MINUS3),
    ]
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER, v {STAMP_TZ[dialect]})")
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        for key, moment in enumerate(moments):
            await db.execute(insert, [key, moment])
        rows = await db.fetch_all(f"SELECT id, v FROM {table} ORDER BY id")
        for key, value in rows:
            got = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
            assert got == moments[key], (key, value)
        if "tz_datetime" in db.capabilities or dialect == "mysql":
            for key, moment in enumerate(moments):
                found = await db.fetch_val(
                    q(f"SELECT id FROM {table} WHERE v = ?"), [moment.astimezone(MINUS3)]
                )
                assert found == key


async def test_an_aware_datetime_for_a_column_without_an_offset(
    url: str, table: str, q: Q, dialect: str
) -> None:
    """PostgreSQL ``timestamp`` refuses it (as asyncpg does); MariaDB's DATETIME stores its
    UTC time (the offset was dropped); SQLite keeps the text, offset and all."""
    moment = dt.datetime(2024, 1, 2, 23, 30, tzinfo=PLUS5)
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (v {STAMP[dialect]})")
        insert = q(f"INSERT INTO {table} VALUES (?)")
        if dialect == "postgres":
            with pytest.raises(errors.InterfaceError, match=r"\$1"):
                await db.execute(insert, [moment])
            return
        await db.execute(insert, [moment])
        got = await db.fetch_val(f"SELECT v FROM {table}")
        assert (got if got.tzinfo is not None else got.replace(tzinfo=UTC)) == moment


async def test_a_table_made_again_with_other_column_types(url: str, table: str, q: Q) -> None:
    """The same statement texts after ``DROP TABLE`` and ``CREATE TABLE`` with other types
    answer as on a fresh connection: asyncpg kept the first statements' parameter types, so
    a ``str`` for the new text column was refused as not an int, and 1.5 for the new numeric
    column was sent as the int 1."""
    insert = q(f"INSERT INTO {table} (x) VALUES (?)")
    select = q(f"SELECT x FROM {table} WHERE x = ?")
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x INTEGER)")
        await db.execute(insert, [5])
        assert [tuple(r) for r in await db.fetch_all(select, [5])] == [(5,)]
        await db.execute(f"DROP TABLE {table}")
        await db.execute(f"CREATE TABLE {table} (x VARCHAR(10))")
        await db.execute(insert, ["seven"])
        assert [tuple(r) for r in await db.fetch_all(select, ["seven"])] == [("seven",)]
        assert await db.fetch_val(f"SELECT x FROM {table}") == "seven"
        await db.execute(f"DROP TABLE {table}")
        await db.execute(f"CREATE TABLE {table} (x DECIMAL(10, 2))")
        await db.execute(insert, [Decimal("1.5")])
        assert await db.fetch_val(f"SELECT x FROM {table}") == Decimal("1.5")
        assert await db.fetch_val(q(f"SELECT count(*) FROM {table} WHERE x = ?"), [1]) == 0


@pytest.fixture
def postgres_url(dialect: str) -> str:
    if dialect != "postgres":
        pytest.skip("asyncpg's statement cache: PostgreSQL only")
    return SERVER_URLS["postgres"]


async def _elsewhere(url: str, sql: str) -> None:
    """Run ``sql`` on a connection ferrule does not know (another process's migration)."""
    raw = await asyncpg.connect(url)
    try:
        await raw.execute(sql)
    finally:
        await raw.close()


async def test_a_table_changed_elsewhere_outside_a_transaction(
    postgres_url: str, table: str
) -> None:
    """The cached plan no longer fits (its result type changed): prepared again, once."""
    async with await ferrule.connect(postgres_url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x integer)")
        await db.execute(f"INSERT INTO {table} VALUES (5)")
        assert await db.fetch_val(f"SELECT x FROM {table}") == 5
        await _elsewhere(
            postgres_url,
            f"DROP TABLE {table}; CREATE TABLE {table} (x text); INSERT INTO {table}"
            " VALUES ('5.0')",
        )
        assert await db.fetch_val(f"SELECT x FROM {table}") == "5.0"
        assert [tuple(r) for r in await db.fetch_all(f"SELECT x FROM {table}")] == [("5.0",)]


async def test_a_table_changed_elsewhere_inside_a_transaction(
    postgres_url: str, table: str
) -> None:
    """PostgreSQL cannot prepare it again there (the transaction is aborted): a typed error
    that says so, and the transaction run again works."""
    async with await ferrule.connect(postgres_url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x integer)")
        await db.execute(f"INSERT INTO {table} VALUES (5)")
        assert await db.fetch_val(f"SELECT x FROM {table}") == 5
        await _elsewhere(
            postgres_url, f"ALTER TABLE {table} ALTER COLUMN x TYPE text USING x || '.0'"
        )
        with pytest.raises(errors.StaleStatementError, match=r"changed.*run the transaction"):
            async with db.transaction():
                await db.fetch_val(f"SELECT x FROM {table}")
        assert isinstance(errors.StaleStatementError("x"), errors.TransactionRollbackError)
        async with db.transaction():
            assert await db.fetch_val(f"SELECT x FROM {table}") == "5.0"
