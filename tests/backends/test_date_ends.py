"""The ends of Python's date and datetime ranges are stored as the values they are, on every
database: ``date.max`` is 9999-12-31, never PostgreSQL's ``infinity`` (asyncpg's own codecs
write ``date.min``/``max`` and ``datetime.min``/``max`` as -infinity/infinity and read the
infinities back as those values, so other clients, ``EXTRACT`` and ``isfinite`` saw infinity,
and an aware value came back naive). What PostgreSQL itself holds is checked with its own text
form and ``isfinite``. A stored infinity, or a date beyond Python's years 1-9999, has no Python
value: reading one is ``UnreadableValueError`` naming the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule import errors

from .conftest import SERVER_URLS, requires, selected_dialects

Q = Callable[[str], str]
UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5))
MINUS5 = dt.timezone(dt.timedelta(hours=-5))
COLUMNS = {
    "date": {"*": "DATE"},
    "datetime": {"sqlite": "TIMESTAMP", "postgres": "TIMESTAMP", "mysql": "DATETIME(6)"},
    "datetime_tz": {"sqlite": "TIMESTAMPTZ", "postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"},
}
# (column kind, value, PostgreSQL's text of it: a timestamptz's in UTC)
ENDS: list[tuple[str, Any, str]] = [
    ("date", dt.date.max, "9999-12-31"),
    ("date", dt.date.min, "0001-01-01"),
    ("date", dt.date(9999, 12, 30), "9999-12-30"),
    ("datetime", dt.datetime.max, "9999-12-31 23:59:59.999999"),
    ("datetime", dt.datetime.min, "0001-01-01 00:00:00"),
    ("datetime", dt.datetime(9999, 12, 31), "9999-12-31 00:00:00"),
    ("datetime_tz", dt.datetime.max.replace(tzinfo=UTC), "9999-12-31 23:59:59.999999+00"),
    ("datetime_tz", dt.datetime.min.replace(tzinfo=UTC), "0001-01-01 00:00:00+00"),
    ("datetime_tz", dt.datetime.max.replace(tzinfo=PLUS5), "9999-12-31 18:59:59.999999+00"),
    ("datetime_tz", dt.datetime.min.replace(tzinfo=MINUS5), "0001-01-01 05:00:00+00"),
]
IDS = [f"{kind}-{value.isoformat()}" for kind, value, _ in ENDS]
PG_TYPES = {"date": "date", "datetime": "timestamp", "datetime_tz": "timestamptz"}


def _same(got: Any, value: Any) -> bool:
    """Equal, of the same type, and aware exactly when the value is."""
    if type(got) is not type(value) or got != value:
        return False
    return not isinstance(value, dt.datetime) or (got.tzinfo is None) == (value.tzinfo is None)


@pytest.mark.parametrize(("kind", "value", "text"), ENDS, ids=IDS)
async def test_ends_are_stored_as_they_are(
    url: str, table: str, q: Q, dialect: str, kind: str, value: Any, text: str
) -> None:
    async with await ferrule.connect(url) as db:
        if kind == "datetime_tz":
            requires(db, "tz_datetime")
        column = COLUMNS[kind].get(dialect, COLUMNS[kind].get("*"))
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {column})")
        insert = q(f"INSERT INTO {table} (id, v) VALUES (?, ?)")
        await db.execute(insert, (1, value))
        await db.execute_many(insert, [(2, value)])
        if "copy" in db.capabilities:
            await db.copy_records(table, ["id", "v"], [(3, value)])
        rows = await db.fetch_all(f"SELECT id, v FROM {table} ORDER BY id")
        assert all(_same(row[1], value) for row in rows), [tuple(r) for r in rows]
        assert _same(await db.fetch_val(q(f"SELECT v FROM {table} WHERE v = ?"), (value,)), value)
        if dialect == "postgres":
            shown = "v::text" if kind != "datetime_tz" else "(v AT TIME ZONE 'UTC')::text || '+00'"
            got = await db.fetch_all(f"SELECT {shown}, isfinite(v) FROM {table}")
            assert {tuple(r) for r in got} == {(text, True)}


@pytest.mark.skipif("postgres" not in selected_dialects(), reason="FERRULE_TEST_DB: no postgres")
@pytest.mark.parametrize(("kind", "value", "text"), ENDS, ids=IDS)
async def test_postgres_binds_the_value_itself(kind: str, value: Any, text: str) -> None:
    """A bound parameter is the value, as PostgreSQL reads it, and reads back as itself."""
    pg = PG_TYPES[kind]
    async with await ferrule.connect(SERVER_URLS["postgres"]) as db:
        await db.execute("SET TIME ZONE 'UTC'")
        row = await db.fetch_one(f"SELECT $1::{pg}::text, isfinite($1::{pg}), $1::{pg}", (value,))
        assert row is not None
        assert (row[0], row[1]) == (text, True)
        assert _same(row[2], value)
        # arrays of them go through the same codec
        got = await db.fetch_val(f"SELECT $1::{pg}[]", ([value, None],))
        assert got == [value, None] and _same(got[0], value)


INFINITE = [
    (pg, sign) for pg in ("date", "timestamp", "timestamptz") for sign in ("infinity", "-infinity")
]


@pytest.mark.skipif("postgres" not in selected_dialects(), reason="FERRULE_TEST_DB: no postgres")
@pytest.mark.parametrize(("pg", "sign"), INFINITE)
async def test_a_stored_infinity_is_an_error_naming_its_column(pg: str, sign: str) -> None:
    url = SERVER_URLS["postgres"]
    sql = (
        f"SELECT n AS id, CASE WHEN n = 2 THEN '{sign}'::{pg} END AS born"
        " FROM generate_series(1, 3) n"
    )
    async with await ferrule.connect(url, max_size=1) as db:
        queries = {
            "fetch_all": sql,
            "fetch_one": sql + " OFFSET 1",
            "fetch_val": f"SELECT born FROM ({sql}) t WHERE id = 2",
        }
        for operation, query in queries.items():
            with pytest.raises(errors.UnreadableValueError, match=f"'born'.*{sign}") as info:
                await getattr(db, operation)(query)
            assert info.value.column == "born"
            assert isinstance(info.value, errors.DatabaseError)
        with pytest.raises(errors.UnreadableValueError, match="'born'"):
            async for _ in db.iterate(sql, batch_size=1):
                pass
        with pytest.raises(errors.UnreadableValueError, match="'days'"):
            await db.fetch_all(f"SELECT ARRAY[now()::{pg}, '{sign}'] AS days")
        # the connection and an open transaction go on
        async with db.transaction() as tx:
            with pytest.raises(errors.UnreadableValueError):
                await tx.fetch_all(sql)
            assert await tx.fetch_val("SELECT 1") == 1
        assert await db.fetch_all(f"SELECT born FROM ({sql}) t WHERE id <> 2") == [(None,)] * 2


@pytest.mark.skipif("postgres" not in selected_dialects(), reason="FERRULE_TEST_DB: no postgres")
@pytest.mark.parametrize(
    ("literal", "pg"),
    [
        ("10000-01-01", "date"),
        ("0001-12-31 BC", "date"),
        ("10000-01-01 00:00", "timestamp"),
        ("0001-12-31 23:00 BC", "timestamp"),
        ("10000-01-01 00:00+00", "timestamptz"),
        ("0001-01-01 04:00+05", "timestamptz"),
    ],
)
async def test_a_value_beyond_python_years_is_an_error_naming_its_column(
    literal: str, pg: str
) -> None:
    async with await ferrule.connect(SERVER_URLS["postgres"]) as db:
        with pytest.raises(errors.UnreadableValueError, match="'far'") as info:
            await db.fetch_val(f"SELECT '{literal}'::{pg} AS far")
        assert info.value.column == "far"


@pytest.mark.skipif("postgres" not in selected_dialects(), reason="FERRULE_TEST_DB: no postgres")
async def test_postgres_types_still_read_as_before() -> None:
    """Ordinary values, NULLs, a date into a timestamp column, a naive datetime into
    timestamptz (UTC, never the client's local time: tests/backends/test_param_types.py) and
    an aware one into timestamp (refused)."""
    async with await ferrule.connect(SERVER_URLS["postgres"]) as db:
        day = dt.date(2024, 2, 29)
        moment = dt.datetime(2024, 2, 29, 13, 45, 6, 789)
        aware = moment.replace(tzinfo=PLUS5)
        row = await db.fetch_one(
            "SELECT $1::date, $2::timestamp, $3::timestamptz, $4::date, $1::timestamp",
            (day, moment, aware, None),
        )
        assert row is not None
        assert tuple(row) == (day, moment, aware, None, dt.datetime(2024, 2, 29))
        assert row[2].tzinfo is UTC
        assert await db.fetch_val("SELECT $1::timestamptz", (moment,)) == moment.replace(tzinfo=UTC)
        with pytest.raises(errors.InterfaceError):
            await db.fetch_val("SELECT $1::timestamp", (aware,))
        with pytest.raises(errors.InterfaceError):
            await db.fetch_val("SELECT $1::date", ("2024-01-01",))


@pytest.mark.skipif("postgres" not in selected_dialects(), reason="FERRULE_TEST_DB: no postgres")
async def test_an_unread_infinity_leaves_nothing_behind() -> None:
    """An infinity decoded but not handed over (a later column of fetch_val's row, a row after
    an iterate that stopped early) raises nothing, then or on a later fetch of the connection;
    another connection's infinity is its own."""
    url = SERVER_URLS["postgres"]
    async with (
        await ferrule.connect(url, min_size=2, max_size=2) as db,
        db.connection() as conn,
        db.connection() as other,
    ):
        assert await conn.fetch_val("SELECT 1, 'infinity'::date") == 1
        assert await conn.fetch_val("SELECT DATE '2024-01-01'") == dt.date(2024, 1, 1)
        sql = "SELECT n, CASE WHEN n = 3 THEN 'infinity'::date END FROM generate_series(1, 5) n"
        async with conn.transaction() as tx:
            async for row in tx.iterate(sql, batch_size=10):  # one batch: all five rows
                assert row[0] == 1
                break
        with pytest.raises(errors.UnreadableValueError):
            await other.fetch_all(sql)
        assert len(await conn.fetch_all("SELECT n FROM generate_series(1, 3) n")) == 3
        assert await other.fetch_val("SELECT DATE '9999-12-31'") == dt.date.max
