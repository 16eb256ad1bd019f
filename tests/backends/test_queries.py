"""Statements, rows and types: one suite, run on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import logging
import tracemalloc
import uuid
from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule.backends import QueryEvent

from .conftest import requires, requires_dialect

Q = Callable[[str], str]


async def _people(db: ferrule.backends.Database, table: str, q: Q, n: int = 3) -> None:
    await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)")
    rows = [(i, f"name{i}") for i in range(1, n + 1)]
    await db.execute_many(q(f"INSERT INTO {table} (id, name) VALUES (?, ?)"), rows)


async def test_fetch_methods(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _people(db, table, q)
        rows = await db.fetch_all(f"SELECT id, name FROM {table} ORDER BY id")
        assert rows == [(1, "name1"), (2, "name2"), (3, "name3")]
        assert rows.columns == ("id", "name")
        assert rows.mappings()[0] == {"id": 1, "name": "name1"}
        assert await db.fetch_one(q(f"SELECT name FROM {table} WHERE id = ?"), (2,)) == ("name2",)
        assert await db.fetch_one(q(f"SELECT name FROM {table} WHERE id = ?"), (9,)) is None
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 3
        assert await db.fetch_val(q(f"SELECT name FROM {table} WHERE id = ?"), (9,)) is None
        assert await db.fetch_all(q(f"SELECT id FROM {table} WHERE id > ?"), (5,)) == []


async def test_execute_returns_rowcount(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _people(db, table, q)
        assert await db.execute(q(f"UPDATE {table} SET name = ? WHERE id >= ?"), ("x", 2)) == 2
        assert await db.execute(q(f"DELETE FROM {table} WHERE id = ?"), (1,)) == 1


class _Compiled:
    """Stands in for a ``ferrule.sql`` query: anything with ``compile(dialect)``."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.seen: list[str] = []

    def compile(self, dialect: str) -> tuple[str, list[Any]]:
        self.seen.append(dialect)
        mark = {"sqlite": "?", "postgres": "$1", "mysql": "%s"}[dialect]
        return f"SELECT name FROM {self.table} WHERE id = {mark}", [3]


async def test_accepts_compilable_queries(url: str, table: str, q: Q, dialect: str) -> None:
    async with await ferrule.connect(url) as db:
        assert db.dialect == dialect
        await _people(db, table, q)
        query = _Compiled(table)
        assert await db.fetch_all(query) == [("name3",)]
        assert await db.fetch_one(query) == ("name3",)
        assert await db.fetch_val(query) == "name3"
        assert [row async for row in db.iterate(query)] == [("name3",)]
        assert query.seen == [dialect] * 4
        with pytest.raises(TypeError, match="carries its own parameters"):
            await db.fetch_all(query, [1])
        with pytest.raises(TypeError, match="compile"):
            await db.fetch_all(42)


async def test_execute_many_is_atomic(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _people(db, table, q, n=1)
        rows = [(10, "a"), (11, "b"), (1, "duplicate"), (12, "c")]
        with pytest.raises(ferrule.IntegrityError) as info:
            await db.execute_many(q(f"INSERT INTO {table} (id, name) VALUES (?, ?)"), rows)
        assert info.value.__cause__ is not None  # the driver's exception is chained
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 1


async def test_copy_records(url: str, table: str) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(20))")
        records = [(i, f"n{i}") for i in range(2500)]
        assert await db.copy_records(table, ["id", "name"], records) == 2500
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 2500
        assert await db.fetch_val(f"SELECT MAX(id) FROM {table}") == 2499


async def test_iterate_streams_in_batches(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=2) as db:
        await _people(db, table, q, n=250)
        seen = [
            row[0] async for row in db.iterate(f"SELECT id FROM {table} ORDER BY id", batch_size=7)
        ]
        assert seen == list(range(1, 251))
        # Leaving early with aclosing hands the connection back at once.
        stream = db.iterate(f"SELECT id FROM {table} ORDER BY id", batch_size=10)
        async with contextlib.aclosing(stream) as rows:
            async for row in rows:
                if row[0] == 15:
                    break
        assert db.stats()["in_use"] == 0
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 250


async def test_integrity_error(url: str, table: str, q: Q, dialect: str) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, email VARCHAR(50),"
            f" CONSTRAINT {table}_email_key UNIQUE (email))"
        )
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a@x"))
        with pytest.raises(ferrule.IntegrityError) as info:
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (2, "a@x"))
        assert isinstance(info.value, ferrule.DatabaseError)
        assert info.value.__cause__ is not None
        expected = {"sqlite": f"{table}.email", "postgres": f"{table}_email_key"}
        assert info.value.constraint == expected.get(dialect, f"{table}_email_key")


async def test_errors_are_translated(url: str) -> None:
    async with await ferrule.connect(url) as db:
        with pytest.raises(ferrule.DatabaseError) as info:
            await db.execute("SELECT * FROM dbt_no_such_table_anywhere")
        assert info.value.__cause__ is not None
        assert await db.fetch_val("SELECT 1") == 1  # the connection is still fine
    with pytest.raises(ferrule.errors.InterfaceError):
        await db.fetch_val("SELECT 1")


# --- types: the same Python type on every backend -------------------------------------------

UTC = dt.timezone.utc
# (name, {dialect: column type}, value, capability or None)
TYPES: list[tuple[str, dict[str, str], Any, str | None]] = [
    ("int", {"*": "INTEGER"}, -42, None),
    ("bigint", {"*": "BIGINT"}, 2**40 + 3, None),
    ("float", {"sqlite": "REAL", "postgres": "DOUBLE PRECISION", "mysql": "DOUBLE"}, 1.5, None),
    ("decimal", {"*": "DECIMAL(10, 2)"}, decimal.Decimal("12.34"), None),
    ("str", {"*": "TEXT"}, "héllo ☃", None),
    ("bytes", {"sqlite": "BLOB", "postgres": "BYTEA", "mysql": "BLOB"}, b"\x00\xffab", None),
    ("bool_true", {"*": "BOOLEAN"}, True, None),
    ("bool_false", {"*": "BOOLEAN"}, False, None),
    (
        "datetime",
        {"sqlite": "TIMESTAMP", "postgres": "TIMESTAMP", "mysql": "DATETIME(6)"},
        dt.datetime(2024, 2, 29, 13, 45, 6, 789000),
        None,
    ),
    (
        "datetime_tz",
        {"sqlite": "TIMESTAMPTZ", "postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"},
        dt.datetime(2024, 2, 29, 13, 45, 6, 789000, tzinfo=UTC),
        "tz_datetime",
    ),
    ("date", {"*": "DATE"}, dt.date(2024, 2, 29), None),
    (
        "time",
        {"sqlite": "TIME", "postgres": "TIME", "mysql": "TIME(6)"},
        dt.time(23, 4, 5, 6000),
        None,
    ),
    ("uuid", {"*": "UUID"}, uuid.UUID("12345678-1234-5678-1234-567812345678"), "uuid_type"),
    (
        "json",
        {"sqlite": "JSON", "postgres": "JSONB", "mysql": "JSON"},
        {"a": [1, None, "x"]},
        "json_type",
    ),
    ("null", {"*": "INTEGER"}, None, None),
]


@pytest.mark.parametrize(("name", "types", "value", "capability"), TYPES, ids=[t[0] for t in TYPES])
async def test_type_round_trip(
    url: str,
    table: str,
    q: Q,
    dialect: str,
    name: str,
    types: dict[str, str],
    value: Any,
    capability: str | None,
) -> None:
    async with await ferrule.connect(url) as db:
        if capability is not None:
            requires(db, capability)
        column = types.get(dialect, types.get("*"))
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {column})")
        await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (?, ?)"), (1, value))
        got = await db.fetch_val(f"SELECT v FROM {table}")
        assert got == value
        assert isinstance(got, type(value))
        if isinstance(value, dt.datetime):
            assert (got.tzinfo is None) == (value.tzinfo is None)


# --- hooks, slow-query log, statistics ----------------------------------------------------------


async def test_hooks_see_sql_params_and_duration(url: str, q: Q) -> None:
    before: list[QueryEvent] = []
    after: list[QueryEvent] = []
    async with await ferrule.connect(url) as db:
        db.add_hook(before=before.append, after=after.append)
        await db.fetch_one(q("SELECT ? + 1"), (7,))
        with pytest.raises(ferrule.DatabaseError):
            await db.execute("SELECT * FROM dbt_no_such_table_anywhere")
        db.remove_hook(before=before.append, after=after.append)
        await db.fetch_val("SELECT 1")
    assert [e.sql for e in before] == [
        q("SELECT ? + 1"),
        "SELECT * FROM dbt_no_such_table_anywhere",
    ]
    assert after[0].params == (7,) and after[0].operation == "fetch_one"
    assert after[0].duration is not None and after[0].duration >= 0
    assert after[0].error is None
    assert isinstance(after[1].error, ferrule.DatabaseError)
    assert len(after) == 2


async def test_slow_query_log(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="ferrule.db.slow")
    async with await ferrule.connect(url, slow_query_threshold=1e-9) as db:
        await db.fetch_val("SELECT 42")
        assert db.stats()["slow_queries"] == 1
    assert any("SELECT 42" in r.getMessage() for r in caplog.records)
    async with await ferrule.connect(url) as db:  # no threshold: nothing logged
        caplog.clear()
        await db.fetch_val("SELECT 42")
        assert db.stats()["slow_queries"] == 0
    assert caplog.records == []


async def test_stats(url: str, dialect: str) -> None:
    async with await ferrule.connect(url, min_size=2, max_size=4) as db:
        stats = db.stats()
        assert {k: stats[k] for k in ("size", "idle", "in_use", "waiting", "max_size")} == {
            "size": 2 if dialect != "sqlite" or "concurrent_connections" in db.capabilities else 1,
            "idle": 2,
            "in_use": 0,
            "waiting": 0,
            "max_size": 4,
        }
        async with db.connection():
            assert db.stats()["in_use"] == 1
        await db.fetch_val("SELECT 1")
        caches = db.stats()["statement_cache"]
        assert len(caches) == 2 and {"capacity", "size"} <= set(caches[0])
        if dialect == "postgres":
            assert sum(c["size"] for c in caches) >= 1


async def test_default_connect_is_in_memory_sqlite() -> None:
    db = await ferrule.connect()
    try:
        assert db.dialect == "sqlite"
        await db.execute("CREATE TABLE t (x INTEGER)")
        await db.execute("INSERT INTO t VALUES (1)")
        assert await db.fetch_val("SELECT x FROM t") == 1
    finally:
        await db.close()
    async with await ferrule.connect("sqlite://:memory:") as other:
        with pytest.raises(ferrule.DatabaseError):  # a private database: no table t
            await other.fetch_val("SELECT x FROM t")


# --- streaming and connecting ---------------------------------------------------------------

# 50k rows: all at once they take 10-13 MB (tracemalloc, each dialect), streamed in batches of
# 500 at most 1.6 MB (MariaDB's read buffer), so the 4 MB bound below tells the two apart with a
# wide margin on both sides. More rows would only make the tracing slower.
MANY = 50_000
MANY_ROWS = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
    f" WHERE x < {MANY}) SELECT x, 'a row of some width' FROM c",
    "postgres": f"SELECT x, 'a row of some width' FROM generate_series(1, {MANY}) AS x",
    "mysql": f"SELECT seq, 'a row of some width' FROM seq_1_to_{MANY}",
}


async def test_iterate_memory_stays_bounded(url: str, dialect: str) -> None:
    async with await ferrule.connect(url) as db:
        tracing = tracemalloc.is_tracing()  # PYTHONTRACEMALLOC may have started it already
        if not tracing:
            tracemalloc.start()
        try:
            base, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            count = total = 0
            async for row in db.iterate(MANY_ROWS[dialect], batch_size=500):
                count += 1
                total += row[0]
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            if not tracing:
                tracemalloc.stop()
        assert (count, total) == (MANY, MANY * (MANY + 1) // 2)
        # all rows at once would take over 10 MB; a batch of 500 takes a few hundred kB
        assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB while streaming"


SOCKET_URLS = {
    "postgres": "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql/test",
    "mysql": "mysql://root@localhost/test?unix_socket=/run/mysqld/mysqld.sock",
}


async def test_connect_over_unix_socket(dialect: str) -> None:
    requires_dialect(dialect, "server")
    async with await ferrule.connect(SOCKET_URLS[dialect]) as db:
        assert await db.fetch_val("SELECT 1") == 1


async def test_bad_credentials_raise_connection_error(dialect: str) -> None:
    requires_dialect(dialect, "server")
    bad = {
        "postgres": "postgresql://postgres@127.0.0.1:5432/dbt_no_such_database",
        "mysql": "mysql://dbt_nobody:wrong@127.0.0.1:3306/test",
    }[dialect]
    with pytest.raises(ferrule.ConnectionError) as info:
        await ferrule.connect(bad)
    assert info.value.__cause__ is not None


async def test_unencodable_parameter_is_a_ferrule_error(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _people(db, table, q)
        with pytest.raises(ferrule.DatabaseError):
            await db.execute(q(f"INSERT INTO {table} (id, name) VALUES (?, ?)"), (9, "\ud800"))
        # nothing was written and the connection still works
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 3
