"""One error tree on every backend: the same problem raises the same ferrule class, the driver's
exception is chained, nothing raw escapes, and the connection stays usable afterwards.

The expected class follows the server's own code, which each case checks too (the reference):
the SQLSTATE on PostgreSQL, the error number on MariaDB, the result code and message on SQLite.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import logging
import math
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule import errors, sql
from ferrule.backends import QueryEvent
from ferrule.backends.params import Records

Q = Callable[[str], str]
DRIVERS = {"sqlite": "sqlite3", "postgres": "asyncpg", "mysql": "asyncmy"}


def _server_code(cause: BaseException, dialect: str) -> object:
    """What the server itself said: the reference the expected class is derived from."""
    if dialect == "postgres":
        return cause.sqlstate  # type: ignore[attr-defined]
    if dialect == "mysql":
        return cause.args[0]
    return str(cause)


# (name, statement, expected class, {dialect: the server's code, or a message prefix on SQLite})
PROBLEMS: list[tuple[str, str, type[errors.DatabaseError], dict[str, object]]] = [
    (
        "check_violation",
        "INSERT INTO {t} (id, n) VALUES (1, -1)",
        errors.IntegrityError,
        {"sqlite": "CHECK constraint failed", "postgres": "23514", "mysql": 4025},
    ),
    (
        "not_null_violation",
        "INSERT INTO {t} (id, n) VALUES (1, NULL)",
        errors.IntegrityError,
        {"sqlite": "NOT NULL constraint failed", "postgres": "23502", "mysql": 1048},
    ),
    (
        "duplicate_key",
        "INSERT INTO {t} (id, n) VALUES (7, 1)",
        errors.IntegrityError,
        {"sqlite": "UNIQUE constraint failed", "postgres": "23505", "mysql": 1062},
    ),
    (
        "missing_table",
        "SELECT * FROM dbt_no_such_table_anywhere",
        errors.ProgrammingError,
        {"sqlite": "no such table", "postgres": "42P01", "mysql": 1146},
    ),
    (
        "unknown_column",
        "SELECT no_such_column FROM {t}",
        errors.ProgrammingError,
        {"sqlite": "no such column", "postgres": "42703", "mysql": 1054},
    ),
    (
        "syntax_error",
        "SELEC 1",
        errors.ProgrammingError,
        {"sqlite": 'near "SELEC": syntax error', "postgres": "42601", "mysql": 1064},
    ),
    (
        "table_exists",
        "CREATE TABLE {t} (x INTEGER)",
        errors.ProgrammingError,
        {"sqlite": "table", "postgres": "42P07", "mysql": 1050},
    ),
    (
        "drop_missing_table",
        "DROP TABLE dbt_no_such_table_anywhere",
        errors.ProgrammingError,
        {"sqlite": "no such table", "postgres": "42P01", "mysql": 1051},
    ),
]


async def _checked_table(db: ferrule.backends.Database, table: str) -> None:
    await db.execute(
        f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL,"
        f" CONSTRAINT {table}_n_positive CHECK (n > 0))"
    )
    await db.execute(f"INSERT INTO {table} (id, n) VALUES (7, 7)")


@pytest.mark.parametrize(
    ("name", "statement", "expected", "codes"), PROBLEMS, ids=[p[0] for p in PROBLEMS]
)
async def test_same_problem_same_class(
    url: str,
    table: str,
    dialect: str,
    name: str,
    statement: str,
    expected: type[errors.DatabaseError],
    codes: dict[str, object],
) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await _checked_table(db, table)
        with pytest.raises(errors.DatabaseError) as info:
            await db.execute(statement.format(t=table))
        assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
        cause = info.value.__cause__
        assert cause is not None
        assert type(cause).__module__.partition(".")[0] == DRIVERS[dialect]
        code = _server_code(cause, dialect)
        if dialect == "sqlite":
            assert str(code).startswith(str(codes[dialect]))
        else:
            assert code == codes[dialect]
        # the same connection (a pool of one) runs the next statement
        assert await db.fetch_val(f"SELECT n FROM {table}") == 7


async def test_check_violation_names_the_constraint(url: str, table: str) -> None:
    async with await ferrule.connect(url) as db:
        await _checked_table(db, table)
        with pytest.raises(errors.IntegrityError) as info:
            await db.execute(f"UPDATE {table} SET n = 0")
        assert info.value.constraint == f"{table}_n_positive"


async def test_errors_inside_a_transaction_keep_the_class(url: str, table: str) -> None:
    async with await ferrule.connect(url) as db:
        await _checked_table(db, table)
        with pytest.raises(errors.ProgrammingError):
            async with db.transaction() as tx:
                await tx.execute(f"SELECT no_such_column FROM {table}")
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 1


# --- nothing raw escapes --------------------------------------------------------------------

# Parameters are a sequence (tuple, list, ...): anything else is refused before it is sent.
BAD_PARAMS: list[tuple[str, Any]] = [
    ("int", 5),
    ("str", "ab"),
    ("bytes", b"ab"),
    ("dict", {"a": 1}),
    ("set", {1}),
    ("float", 1.5),
]

#: Every entry point that takes (sql, params), as (name, call(target, sql, params)).
CALLS: list[tuple[str, Callable[[Any, str, Any], Any]]] = [
    ("execute", lambda t, s, p: t.execute(s, p)),
    ("fetch_all", lambda t, s, p: t.fetch_all(s, p)),
    ("fetch_one", lambda t, s, p: t.fetch_one(s, p)),
    ("fetch_val", lambda t, s, p: t.fetch_val(s, p)),
    ("iterate", lambda t, s, p: _drain(t.iterate(s, p))),
]


async def _drain(rows: Any) -> list[Any]:
    return [row async for row in rows]


@pytest.mark.parametrize(("kind", "params"), BAD_PARAMS, ids=[b[0] for b in BAD_PARAMS])
async def test_params_must_be_a_sequence(url: str, q: Q, kind: str, params: Any) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        async with db.connection() as session, db.transaction() as tx:
            for target in (db, session, tx):
                for name, call in CALLS:
                    with pytest.raises(errors.ArgumentError) as info:
                        await call(target, q("SELECT ?"), params)
                    assert isinstance(info.value, TypeError), name
                    assert isinstance(info.value, errors.InterfaceError), name
                    assert "sequence" in str(info.value), name
                    assert type(params).__name__ in str(info.value), name
            # nothing was sent: the transaction is still good
            assert await tx.fetch_val(q("SELECT ? + 0"), [3]) == 3
        assert await db.fetch_val(q("SELECT ? + 0"), (4,)) == 4


async def test_a_row_is_a_sequence_of_parameters(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        row = await db.fetch_one("SELECT 4 AS a, 5 AS b")
        assert row is not None
        add = q("SELECT CAST(? AS INTEGER) + CAST(? AS INTEGER)")
        if db.dialect == "mysql":  # MariaDB casts to SIGNED, not INTEGER
            add = add.replace("INTEGER", "SIGNED")
        assert await db.fetch_val(add, row) == 9
        assert await db.fetch_val(add, range(2, 4)) == 5
        await db.execute(f"CREATE TABLE {table} (a INTEGER, b INTEGER)")
        rows = [range(1, 3), row]
        await db.execute_many(q(f"INSERT INTO {table} (a, b) VALUES (?, ?)"), rows)
        await db.copy_records(table, ["a", "b"], rows)
        assert rows[0] == range(1, 3)  # the caller's list is left alone
        assert await db.fetch_val(f"SELECT SUM(a * b) FROM {table}") == 2 * (2 + 20)


async def test_execute_many_rows_must_be_sequences(url: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        for rows in ([5], ["ab"], [{"a": 1}], [None], 5, "ab"):
            with pytest.raises(errors.ArgumentError):
                await db.execute_many(q("SELECT ?"), rows)
        assert await db.fetch_val("SELECT 1") == 1


async def test_query_of_the_wrong_type_is_a_ferrule_error(url: str) -> None:
    async with await ferrule.connect(url) as db:
        with pytest.raises(errors.ArgumentError, match="compile"):
            await db.fetch_all(42)
        with pytest.raises(errors.ArgumentError, match="carries its own parameters"):
            await db.fetch_all(ferrule.sql.text("SELECT 1"), [1])


async def test_parameter_count_must_match(url: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        for sql, params in [("SELECT ?", (1, 2)), ("SELECT ?, ?", (1,)), ("SELECT 1", (1,))]:
            with pytest.raises(errors.ArgumentError):
                await db.fetch_all(q(sql), params)
        assert await db.fetch_val("SELECT 1") == 1


class Color(enum.Enum):
    RED = "red"


# A value no backend can send as given: refused before anything reaches the server.
UNSENDABLE: list[tuple[str, Any]] = [
    ("object", object()),
    ("enum", Color.RED),
    ("surrogate", "\ud800"),
]


@pytest.mark.parametrize(("kind", "value"), UNSENDABLE, ids=[u[0] for u in UNSENDABLE])
async def test_unsendable_value_is_refused(
    url: str, table: str, q: Q, kind: str, value: Any
) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v VARCHAR(50))")
        insert = q(f"INSERT INTO {table} (id, v) VALUES (?, ?)")
        with pytest.raises(errors.InterfaceError):
            await db.execute(insert, (1, value))
        with pytest.raises(errors.InterfaceError):
            await db.execute_many(insert, [(2, "fine"), (3, value)])
        with pytest.raises(errors.InterfaceError):
            await db.copy_records(table, ["id", "v"], [(4, "fine"), (5, value)])
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0


async def test_out_of_range_integer_is_a_ferrule_error(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v BIGINT)")
        with pytest.raises(errors.DatabaseError):  # client-side or by the server, never raw
            await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (?, ?)"), (1, 2**70))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0


BAD_RECORDS: list[tuple[str, list[Any]]] = [
    ("not_a_sequence", [(1, "a"), 5]),
    ("a_string", [(1, "a"), "xy"]),
    ("too_short", [(1, "a"), (2,)]),
    ("too_long", [(1, "a"), (2, "b", "extra")]),
]


@pytest.mark.parametrize(("kind", "records"), BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
async def test_copy_records_checks_each_record(
    url: str, table: str, kind: str, records: list[Any]
) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v VARCHAR(20))")
        with pytest.raises(errors.ArgumentError, match="record"):
            await db.copy_records(table, ["id", "v"], records)
        with pytest.raises(errors.ArgumentError, match="record"):
            await db.copy_records(table, ["id", "v"], iter(records))
        with pytest.raises(errors.ArgumentError, match="iterable"):
            await db.copy_records(table, ["id", "v"], 5)
        # ferrule's own records are passed on unread only when they are as wide as the columns
        with pytest.raises(errors.ArgumentError, match="record"):
            await db.copy_records(table, ["id", "v"], Records(records, 3))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0  # all or nothing
        assert await db.copy_records(table, ["id", "v"], Records([(1, "a"), (2, "b")], 2)) == 2


async def test_a_bad_regular_expression_is_a_programming_error(url: str, dialect: str) -> None:
    """PostgreSQL (2201B), MariaDB (1139) and SQLite's ``regexp()`` (ferrule's) refuse it alike."""
    text = sql.cast(sql.literal("abc"), "text")
    async with await ferrule.connect(url, max_size=1) as db:
        for bad in (text.regex("("), text.not_regex("[", ignore_case=True)):
            with pytest.raises(errors.ProgrammingError) as info:
                await db.fetch_val(sql.select(bad))
            assert type(info.value.__cause__).__module__.partition(".")[0] == DRIVERS[dialect]
        assert await db.fetch_val(sql.select(text.regex("B", ignore_case=True))) in (1, True)


async def test_empty_statement_is_never_a_raw_error(url: str, dialect: str) -> None:
    """SQLite runs an empty statement as a no-op and MariaDB a comment; otherwise PostgreSQL
    (asyncpg fails reading its status) and MariaDB (1065) report it: as ProgrammingError."""
    runs = {"sqlite": {"", "  ", "-- nothing"}, "postgres": set(), "mysql": {"-- nothing"}}
    async with await ferrule.connect(url, max_size=1) as db:
        for empty in ("", "  ", "-- nothing"):
            if empty in runs[dialect]:
                await db.execute(empty)
            else:
                with pytest.raises(errors.ProgrammingError, match=r"(?i)empty"):
                    await db.execute(empty)
        assert await db.fetch_val("SELECT 1") == 1


async def test_lone_surrogate_in_sql_text(url: str, dialect: str) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        for run in (db.execute, db.fetch_all, db.fetch_one, db.fetch_val):
            with pytest.raises(errors.InterfaceError, match="lone surrogate") as info:
                await run("SELECT '\ud800'")
            cause = info.value.__cause__
            if isinstance(cause, UnicodeEncodeError):  # it names the text that holds it
                assert "SELECT" in str(info.value)
            else:  # sqlite3 before Python 3.11 hides the UnicodeEncodeError
                assert dialect == "sqlite" and sys.version_info < (3, 11)
        assert await db.fetch_val("SELECT 1") == 1


async def test_lone_surrogate_in_a_parameter(url: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        with pytest.raises(errors.InterfaceError, match="lone surrogate"):
            await db.fetch_val(q("SELECT ?"), ("\ud800",))
        assert await db.fetch_val("SELECT 1") == 1


SESSION_ID = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}


async def test_nul_in_sql_text(url: str, dialect: str) -> None:
    """PostgreSQL and SQLite cannot receive a NUL in statement text; MariaDB takes it."""
    async with await ferrule.connect(url, max_size=1) as db:
        session_id = await db.fetch_val(SESSION_ID.get(dialect, "SELECT 1"))
        for run in (db.execute, db.fetch_all, db.fetch_one, db.fetch_val):
            if dialect == "mysql":
                await run("SELECT 'a\x00b'")
                continue
            with pytest.raises(errors.InterfaceError, match="NUL"):
                await run("SELECT 'a\x00b'")
        async with db.transaction() as tx:
            if dialect != "mysql":
                with pytest.raises(errors.InterfaceError, match="NUL"):
                    await tx.execute("SELECT 'a\x00b'")
            assert await tx.fetch_val("SELECT 2") == 2  # the transaction was not broken
        assert await db.fetch_val("SELECT 1") == 1
        if dialect != "sqlite":  # the server session is the same one: nothing was dropped
            assert await db.fetch_val(SESSION_ID[dialect]) == session_id


# --- same types in, same values out ---------------------------------------------------------

JSON_COLUMN = {"sqlite": "JSON", "postgres": "JSONB", "mysql": "JSON"}


@pytest.mark.parametrize("value", [{"a": [1, None, "x"], "b": 'q"uo\\te'}, [1, "two", None]])
async def test_json_parameters_are_stored_as_json(
    url: str, table: str, q: Q, dialect: str, value: Any
) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {JSON_COLUMN[dialect]})")
        await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (?, ?)"), (1, value))
        got = await db.fetch_val(f"SELECT v FROM {table}")
        if "json_type" in db.capabilities:
            assert got == value
        else:  # MariaDB's JSON is LONGTEXT: the text comes back, and it is JSON
            assert json.loads(got) == value
        # the server itself reads it as JSON (not a Python repr)
        extract = {
            "sqlite": "json_extract(v, '$[1]')",
            "postgres": "v->>1",
            "mysql": "JSON_UNQUOTE(JSON_EXTRACT(v, '$[1]'))",
        }
        if isinstance(value, list):
            assert await db.fetch_val(f"SELECT {extract[dialect]} FROM {table}") == "two"


TIME_COLUMNS = {"sqlite": ["TIME"], "postgres": ["TIME", "TIMETZ"], "mysql": ["TIME(6)"]}
#: Column types that keep a time's UTC offset; a tz-aware time written anywhere else is refused.
KEEPS_OFFSET = {"TIME@sqlite", "TIMETZ@postgres"}


async def test_time_with_offset_is_kept_or_refused(
    url: str, table: str, q: Q, dialect: str
) -> None:
    value = dt.time(12, 30, 5, 250, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    async with await ferrule.connect(url, max_size=1) as db:
        for i, column in enumerate(TIME_COLUMNS[dialect]):
            name = f"{table}_{i}"
            await db.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, v {column})")
            try:
                insert = q(f"INSERT INTO {name} (id, v) VALUES (?, ?)")
                if f"{column}@{dialect}" in KEEPS_OFFSET:
                    await db.execute(insert, (1, value))
                    got = await db.fetch_val(f"SELECT v FROM {name}")
                    assert got == value and got.utcoffset() == value.utcoffset()
                else:
                    with pytest.raises(errors.InterfaceError, match="offset"):
                        await db.execute(insert, (1, value))
                    with pytest.raises(errors.InterfaceError, match="offset"):
                        await db.execute_many(insert, [(2, value)])
                    with pytest.raises(errors.InterfaceError, match="offset"):
                        await db.copy_records(name, ["id", "v"], [(2, value)])
                    assert await db.fetch_val(f"SELECT COUNT(*) FROM {name}") == 0
                    naive = value.replace(tzinfo=None)
                    await db.execute(insert, (3, naive))  # a naive time still round-trips
                    assert await db.fetch_val(f"SELECT v FROM {name}") == naive
            finally:
                await db.execute(f"DROP TABLE {name}")


class FloatSub(float):
    """A float subclass (as numpy's float64 is): the drivers bind it as a float."""


#: NaN as given: the float itself and a subclass of float
NAN_REFUSED = r"(?i)\bnan\b"
NANS = [("float", math.nan), ("subclass", FloatSub("nan"))]


@pytest.mark.parametrize(("kind", "nan"), NANS, ids=[n[0] for n in NANS])
async def test_nan_is_kept_or_refused(
    url: str, table: str, q: Q, dialect: str, kind: str, nan: float
) -> None:
    """PostgreSQL stores NaN; SQLite would store NULL in its place (on a NOT NULL column, an
    IntegrityError) and MariaDB has no NaN: both refuse it, nothing stored, also in a
    filter. Infinity is kept by SQLite and PostgreSQL."""
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v DOUBLE PRECISION,"
            " w DOUBLE PRECISION NOT NULL)"
        )
        insert = q(f"INSERT INTO {table} (id, v, w) VALUES (?, ?, ?)")
        select = q(f"SELECT id FROM {table} WHERE v = ?")
        if dialect == "postgres":
            await db.execute(insert, (1, nan, nan))
            await db.execute_many(insert, [(2, 1.5, 0.0), (3, nan, nan)])
            await db.copy_records(table, ["id", "v", "w"], [(4, nan, nan)])
            got = await db.fetch_all(f"SELECT v, w FROM {table} ORDER BY id")
            assert [math.isnan(v) for row in got for v in row] == [True] * 2 + [False] * 2 + [
                True
            ] * 4
            assert await db.fetch_all(select, (nan,)) != []
            return
        for row in [(1, nan, 0.0), (1, 0.0, nan)]:
            with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
                await db.execute(insert, row)
            with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
                await db.execute_many(insert, [(2, 1.5, 0.0), row])
            with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
                await db.copy_records(table, ["id", "v", "w"], [(2, 1.5, 0.0), row])
            async with db.transaction():
                with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
                    await db.execute_many(insert, [(2, 1.5, 0.0), row])
        with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
            await db.fetch_all(select, (nan,))
        with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
            await db.fetch_one(select, (nan,))
        with pytest.raises(errors.InterfaceError, match=NAN_REFUSED):
            [row async for row in db.iterate(select, (nan,))]
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0
        if dialect == "sqlite":
            await db.execute(insert, (1, math.inf, -math.inf))
            assert await db.fetch_one(f"SELECT v, w FROM {table}") == (math.inf, -math.inf)


@pytest.mark.parametrize("value", [math.inf, -math.inf, FloatSub("-inf")], ids=repr)
async def test_mysql_refuses_infinities_alike(
    url: str, table: str, dialect: str, value: float
) -> None:
    """MariaDB's DOUBLE has no infinity: ``inf`` was an InterfaceError, but asyncmy wrote
    ``-inf`` into the statement as ``-infe0`` (a ProgrammingError, "Unknown column"). Both
    are the InterfaceError now, in a filter too."""
    if dialect != "mysql":
        pytest.skip("MariaDB has no infinity")
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v DOUBLE)")
        with pytest.raises(errors.InterfaceError, match=r"(?i)inf"):
            await db.execute(f"INSERT INTO {table} (id, v) VALUES (%s, %s)", (1, value))
        with pytest.raises(errors.InterfaceError, match=r"(?i)inf"):
            await db.fetch_all(f"SELECT id FROM {table} WHERE v < %s", (value,))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0


# --- drivers, hooks, warnings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "driver", "extra"),
    [
        ("postgresql://postgres@127.0.0.1:5432/test", "asyncpg", "ferrule[postgres]"),
        ("mysql://root@127.0.0.1:3306/test", "asyncmy", "ferrule[mysql]"),
    ],
)
async def test_missing_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, url: str, driver: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, driver, None)  # as if it were not installed
    for module in ("ferrule.backends.postgres", "ferrule.backends.mysql"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(errors.ConfigurationError, match=re.escape(f"pip install {extra}")) as info:
        await ferrule.connect(url)
    assert isinstance(info.value.__cause__, ImportError)


async def test_hooks_see_copy_records(url: str, table: str) -> None:
    events: list[QueryEvent] = []
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(20))")
        db.add_hook(after=events.append)
        assert await db.copy_records(table, ["id", "name"], [(1, "a"), (2, "b")]) == 2
        async with db.connection() as session:
            assert await session.copy_records(table, ["id", "name"], [(3, "c")]) == 1
        with pytest.raises(errors.IntegrityError):
            await db.copy_records(table, ["id", "name"], [(1, "dup")])
    assert [e.operation for e in events] == ["copy_records"] * 3
    assert all(table in e.sql and e.duration is not None for e in events)
    assert [e.error is None for e in events] == [True, True, False]


async def test_server_warnings_are_not_logged(
    url: str, dialect: str, caplog: pytest.LogCaptureFixture
) -> None:
    """asyncmy logs every server warning (after an extra SHOW WARNINGS round trip); ferrule's
    connections leave them alone, so nothing reaches stderr."""
    caplog.set_level(logging.DEBUG)
    async with await ferrule.connect(url) as db:
        await db.execute("DROP TABLE IF EXISTS dbt_no_such_table_anywhere")
        if dialect == "mysql":  # a division by zero is a warning (and NULL) there
            assert await db.fetch_val("SELECT 1 / 0") is None
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    if dialect == "mysql":  # not lost: asked for, they are on ferrule's logger at DEBUG
        shown = [r.getMessage() for r in caplog.records if r.name == "ferrule.db.mysql"]
        assert any("Unknown table" in m for m in shown) and any("Division" in m for m in shown)


def test_nothing_reaches_stderr(url: str) -> None:
    """End to end, in a fresh interpreter with no logging set up (where Python prints WARNING
    records to stderr): a statement the server warns about prints nothing."""
    script = (
        "import asyncio, ferrule\n"
        "async def main():\n"
        f"    async with await ferrule.connect({url!r}) as db:\n"
        "        await db.execute('DROP TABLE IF EXISTS dbt_no_such_table_anywhere')\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stderr) == (0, "")


async def test_a_deadlock_is_a_transaction_rollback(url: str, table: str, dialect: str) -> None:
    """Two transactions that lock two rows in opposite orders: the server picks one to roll
    back (40P01 on PostgreSQL, 1213 on MariaDB) and it raises TransactionRollbackError, an
    OperationalError that says running the transaction again is safe; the other commits."""
    if dialect == "sqlite":
        pytest.skip("SQLite takes the write lock up front: two writers wait, never deadlock")
    async with await ferrule.connect(url, min_size=2, max_size=2) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER)")
        await db.execute(f"INSERT INTO {table} (id, n) VALUES (1, 0), (2, 0)")
        both_locked_one = asyncio.Event()
        first_done = asyncio.Event()

        async def lock(first: int, second: int) -> str:
            async with db.transaction() as tx:
                await tx.execute(f"UPDATE {table} SET n = n + 1 WHERE id = {first}")
                if first_done.is_set():
                    both_locked_one.set()
                first_done.set()
                await both_locked_one.wait()
                await tx.execute(f"UPDATE {table} SET n = n + 1 WHERE id = {second}")
            return "committed"

        outcomes = await asyncio.gather(lock(1, 2), lock(2, 1), return_exceptions=True)
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        assert outcomes.count("committed") == 1 and len(failed) == 1, outcomes
        assert type(failed[0]) is errors.TransactionRollbackError, repr(failed[0])
        assert isinstance(failed[0], errors.OperationalError)
        assert (
            _server_code(failed[0].__cause__, dialect)
            == {"postgres": "40P01", "mysql": 1213}[dialect]
        )
        # the winner's two updates, nothing of the loser's
        assert await db.fetch_all(f"SELECT id, n FROM {table} ORDER BY id") == [(1, 1), (2, 1)]


async def test_a_deadlock_in_a_savepoint(url: str, table: str, dialect: str) -> None:
    """The deadlock's victim is a savepoint inside an outer block. PostgreSQL rolls back to the
    savepoint and the outer block goes on; MariaDB rolls back the whole transaction, so the
    outer block refuses its next statement (never running it outside a transaction)."""
    if dialect == "sqlite":
        pytest.skip("SQLite takes the write lock up front: two writers wait, never deadlock")
    async with await ferrule.connect(url, min_size=2, max_size=2) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER)")
        rows = ", ".join(f"({i}, 0)" for i in range(1, 40))
        await db.execute(f"INSERT INTO {table} (id, n) VALUES {rows}")
        holding = [asyncio.Event(), asyncio.Event()]

        async def heavy() -> str:
            # the larger transaction (MariaDB's victim is the other), and the second to wait
            # (PostgreSQL's victim is the first whose deadlock_timeout runs out)
            async with db.transaction() as tx:
                await tx.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1 OR id > 10")
                holding[0].set()
                await holding[1].wait()
                await asyncio.sleep(0.3)  # an order, not a timing: the other waits first
                await tx.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 2")
            return "committed"

        async def nested() -> list[str]:
            seen = []
            with pytest.raises(RuntimeError):
                async with db.transaction() as outer:
                    await outer.execute(f"UPDATE {table} SET n = n + 100 WHERE id = 3")
                    try:
                        async with db.transaction() as inner:
                            await inner.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 2")
                            holding[1].set()
                            await holding[0].wait()
                            await inner.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1")
                    except errors.TransactionRollbackError:
                        seen.append("savepoint rolled back")
                    try:
                        await outer.execute(f"UPDATE {table} SET n = n + 1000 WHERE id = 3")
                        seen.append("outer went on")
                    except errors.TransactionError:
                        seen.append("outer refused")
                    raise RuntimeError("the outer block rolls back")
            return seen

        outcomes = await asyncio.gather(heavy(), nested())
        expected = "outer went on" if dialect == "postgres" else "outer refused"
        assert outcomes == ["committed", ["savepoint rolled back", expected]]
        found = await db.fetch_all(f"SELECT id, n FROM {table} WHERE id <= 3 ORDER BY id")
        assert [tuple(row) for row in found] == [(1, 1), (2, 1), (3, 0)]
