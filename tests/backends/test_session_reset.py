"""Session state never reaches the next user of a pooled connection.

One table per backend of statements that change session state (settings, variables, locks,
listeners, held cursors, prepared statements, temporary objects, attached databases). The
reference is a fresh session: with a pool of one, the next user gets the same connection, and
``probe`` must answer exactly what it answered on the fresh connection, whether the state was
changed by a lone statement (the pool's hot path), inside ``db.connection()`` or inside a
committed ``db.transaction()``. Each row first proves that it does change what ``probe`` sees.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

import ferrule
from ferrule.backends.database import Database

from .conftest import selected_dialects

# (setup statements, probe): the probe's answer shows whether the state is still there.
Case = tuple[tuple[str, ...], str]

POSTGRES: dict[str, Case] = {
    "set search_path": (("SET search_path TO pg_catalog",), "SHOW search_path"),
    "set time zone": (("SET TIME ZONE 'Asia/Tokyo'",), "SHOW TimeZone"),
    "commented set": (("/* hint */ SET statement_timeout = 1234",), "SHOW statement_timeout"),
    "set after select": (("SELECT 1; SET work_mem = '77MB'",), "SHOW work_mem"),
    "set_config": (
        ("SELECT set_config('application_name', 'leaked', false)",),
        "SHOW application_name",
    ),
    "set role": (("SET ROLE pg_monitor",), "SELECT current_user"),
    "session characteristics": (
        ("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE",),
        "SHOW default_transaction_isolation",
    ),
    "do block": (
        ("DO $$BEGIN PERFORM set_config('TimeZone', 'UTC+3', false); END$$",),
        "SHOW TimeZone",
    ),
    "listen": (("LISTEN ferrule_leak",), "SELECT count(*) FROM pg_listening_channels()"),
    "advisory lock": (
        ("SELECT pg_advisory_lock(4242)",),
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    ),
    "held cursor": (
        ("DECLARE ferrule_cur CURSOR WITH HOLD FOR SELECT 1",),
        "SELECT count(*) FROM pg_cursors",
    ),
    "prepare": (
        ("PREPARE ferrule_ps AS SELECT 1",),
        "SELECT count(*) FROM pg_prepared_statements WHERE from_sql",
    ),
    "temp table": (
        ("CREATE TEMP TABLE ferrule_tmp (a int)",),
        "SELECT to_regclass('pg_temp.ferrule_tmp') IS NOT NULL",
    ),
    "select into temp": (
        ("SELECT 1 AS a INTO TEMP ferrule_tmp2",),
        "SELECT to_regclass('pg_temp.ferrule_tmp2') IS NOT NULL",
    ),
}

MYSQL: dict[str, Case] = {
    "user variable": (("SET @ferrule_u = 5",), "SELECT @ferrule_u"),
    "assigned in select": (("SELECT @ferrule_v := 7",), "SELECT @ferrule_v"),
    "select into variable": (("SELECT 8 INTO @ferrule_w",), "SELECT @ferrule_w"),
    "sql_mode": (("SET SESSION sql_mode = 'ANSI'",), "SELECT @@SESSION.sql_mode"),
    "time zone": (("SET time_zone = '+05:00'",), "SELECT @@SESSION.time_zone"),
    "commented set": (("/* hint */ SET SESSION wait_timeout = 1234",), "SELECT @@wait_timeout"),
    "autocommit off": (("SET autocommit = 0",), "SELECT @@autocommit"),
    "names": (("SET NAMES latin1",), "SELECT @@character_set_client"),
    "use": (("USE mysql",), "SELECT DATABASE()"),
    "get_lock": (
        ("SELECT GET_LOCK('ferrule_leak_lock', 0)",),
        "SELECT IS_USED_LOCK('ferrule_leak_lock') = CONNECTION_ID()",
    ),
    "temporary table": (
        ("CREATE TEMPORARY TABLE ferrule_tmp (a INT)",),
        "SELECT COUNT(*) FROM ferrule_tmp",
    ),
    "prepare": (("PREPARE ferrule_ps FROM 'SELECT 1'",), "EXECUTE ferrule_ps"),
}

SQLITE: dict[str, Case] = {
    "foreign_keys": (("PRAGMA foreign_keys = OFF",), "PRAGMA foreign_keys"),
    "case_sensitive_like": (("PRAGMA case_sensitive_like = OFF",), "SELECT 'a' LIKE 'A'"),
    "recursive_triggers": (("PRAGMA recursive_triggers = ON",), "PRAGMA recursive_triggers"),
    "query_only": (("PRAGMA query_only = ON",), "PRAGMA query_only"),
    "cache_size": (("PRAGMA cache_size = 7",), "PRAGMA cache_size"),
    "synchronous": (("PRAGMA synchronous = OFF",), "PRAGMA synchronous"),
    "busy_timeout": (("PRAGMA busy_timeout = 5",), "PRAGMA busy_timeout"),
    "locking_mode": (("PRAGMA locking_mode = EXCLUSIVE",), "PRAGMA locking_mode"),
    "temp_store": (("PRAGMA temp_store = MEMORY",), "PRAGMA temp_store"),
    "commented pragma": (
        ("/* hint */ PRAGMA reverse_unordered_selects = ON",),
        ("PRAGMA reverse_unordered_selects"),
    ),
    "temp table": (
        ("CREATE TEMP TABLE ferrule_tmp (a)",),
        "SELECT count(*) FROM temp.sqlite_master",
    ),
    "temp view": (
        ("CREATE TEMPORARY VIEW ferrule_v AS SELECT 1",),
        "SELECT count(*) FROM temp.sqlite_master",
    ),
    "attach": (("ATTACH DATABASE ':memory:' AS ferrule_aux",), "PRAGMA database_list"),
}

TABLES = {"postgres": POSTGRES, "mysql": MYSQL, "sqlite": SQLITE}
CASES = [(dialect, name) for dialect in selected_dialects() for name in TABLES[dialect]]


async def _outcome(runner: Any, sql: str) -> Any:
    """What ``sql`` answers: its rows as plain tuples, or the name of the ferrule error."""
    try:
        return [tuple(row) for row in await runner.fetch_all(sql)]
    except ferrule.FerruleError as exc:
        return type(exc).__name__


async def _run(db: Database, dialect: str, name: str) -> None:
    setup, probe = TABLES[dialect][name]
    fresh = await _outcome(db, probe)  # the pool's only connection, still a fresh session

    async with db.connection() as session:  # the row changes what the probe sees
        for statement in setup:
            await session.execute(statement)
        assert await _outcome(session, probe) != fresh
    assert await _outcome(db, probe) == fresh, "leaked from db.connection()"

    for statement in setup:  # one statement at a time: the pool's hot path
        await db.execute(statement)
    assert await _outcome(db, probe) == fresh, "leaked from a lone statement"
    for statement in setup:
        if ";" not in statement:  # a prepared statement holds one command
            await db.fetch_all(statement)
    assert await _outcome(db, probe) == fresh, "leaked from a lone fetch_all"

    if not (dialect == "mysql" and name == "autocommit off"):  # would end the transaction
        # Some are refused inside a transaction (SQLite's synchronous): then nothing changed.
        with contextlib.suppress(ferrule.DatabaseError):
            async with db.transaction():
                for statement in setup:
                    await db.execute(statement)
        assert await _outcome(db, probe) == fresh, "leaked from a committed transaction"


@pytest.mark.parametrize(("dialect", "name"), CASES, ids=[f"{d}-{n}" for d, n in CASES])
async def test_session_state_does_not_leak(dialect: str, url: str, name: str) -> None:
    db = await ferrule.connect(url, min_size=1, max_size=1)
    try:
        await _run(db, dialect, name)
        assert db.stats()["opened"] == 1  # reset, not replaced
    finally:
        await db.close()


def count_resets(db: Database) -> list[int]:
    """A one-item list counting the resets of the pool's only connection from now on."""
    resets = [0]
    conn = db._pool.idle_connections()[0]
    original = conn.reset

    async def counting() -> bool:
        resets[0] += 1
        return await original()

    conn.reset = counting  # type: ignore[method-assign]
    return resets


async def test_plain_statements_do_not_reset(dialect: str, url: str) -> None:
    """The hot path pays nothing: reads and writes never trigger a reset."""
    db = await ferrule.connect(url, min_size=1, max_size=1)
    resets = count_resets(db)
    try:
        for sql in ("SELECT 1", "SELECT 'SET' AS settings", "VALUES (1)"):
            if sql.startswith("VALUES") and dialect == "mysql":
                continue
            await db.fetch_one(sql)
            await db.fetch_all(sql)
            await db.execute(sql)
        assert resets == [0]
        changing = {"mysql": "SET @x = 1", "sqlite": "PRAGMA cache_size = 9"}
        await db.execute(changing.get(dialect, "SET work_mem = '9MB'"))
        assert resets == [1]
    finally:
        await db.close()


async def test_mysql_use_without_a_database_in_the_url(dialect: str, url: str) -> None:
    """No database to return to and none can be unselected: the connection is replaced."""
    if dialect != "mysql":
        pytest.skip("MySQL's USE")
    db = await ferrule.connect(url.rsplit("/", 1)[0] + "/", min_size=1, max_size=1)
    try:
        assert await db.fetch_val("SELECT DATABASE()") is None
        await db.execute("USE mysql")
        assert await db.fetch_val("SELECT DATABASE()") is None
        assert db.stats()["opened"] == 2
    finally:
        await db.close()


async def test_blocks_of_plain_statements_do_not_reset(dialect: str, url: str) -> None:
    """``reset_session="auto"``: a transaction of reads and writes costs no reset either."""
    db = await ferrule.connect(url, min_size=1, max_size=1)
    resets = count_resets(db)
    try:
        async with db.transaction():
            await db.fetch_one("SELECT 1")
        async with db.connection():
            await db.fetch_one("SELECT 1")
        assert resets == [0]
    finally:
        await db.close()


# State a called function changes: no statement text shows it (``SELECT f()``).
FUNCTION_STATE = {
    "postgres": (
        "CREATE OR REPLACE FUNCTION {f}() RETURNS int LANGUAGE plpgsql AS "
        "$$BEGIN PERFORM set_config('application_name', 'leaked', false); RETURN 1; END$$",
        "SHOW application_name",
    ),
    "mysql": (
        "CREATE FUNCTION {f}() RETURNS INT DETERMINISTIC"
        " BEGIN SET @ferrule_leak = 7; RETURN 1; END",
        "SELECT @ferrule_leak",
    ),
}


@pytest.mark.parametrize("block", [False, True])
async def test_reset_session_always_covers_called_functions(
    dialect: str, url: str, table: str, block: bool
) -> None:
    if dialect not in FUNCTION_STATE:
        pytest.skip("SQLite has no stored functions")
    create, probe = FUNCTION_STATE[dialect]
    function = f"{table}_f"
    async with await ferrule.connect(url, min_size=1, max_size=1) as setup:
        await setup.execute(create.format(f=function))
    try:
        db = await ferrule.connect(url, min_size=1, max_size=1, reset_session="always")
        try:
            fresh = await db.fetch_val(probe)
            if block:
                async with db.transaction():
                    await db.fetch_val(f"SELECT {function}()")
                    assert await db.fetch_val(probe) != fresh  # the function did change it
            else:
                await db.fetch_val(f"SELECT {function}()")
            assert await db.fetch_val(probe) == fresh
        finally:
            await db.close()
    finally:
        async with await ferrule.connect(url, min_size=1, max_size=1) as setup:
            await setup.execute(f"DROP FUNCTION IF EXISTS {function}")


def test_reset_session_takes_its_modes_only() -> None:
    from ferrule.backends.url import parse_url

    assert parse_url("sqlite://", reset_session="always").options.reset_session == "always"
    assert parse_url("sqlite://?reset_session=always").options.reset_session == "always"
    assert parse_url("sqlite://").options.reset_session == "auto"
    for bad in ("sometimes", "", 1, None, True):
        with pytest.raises(ferrule.ConfigurationError, match="reset_session"):
            parse_url("sqlite://", reset_session=bad)


async def test_reset_session_always_covers_copy_records(url: str, table: str) -> None:
    """``always`` means every release, the bulk-load path's too."""
    db = await ferrule.connect(url, min_size=1, max_size=1, reset_session="always")
    try:
        await db.execute(f"CREATE TABLE {table} (id INTEGER)")
        resets = count_resets(db)
        await db.copy_records(table, ["id"], [(1,), (2,)])
        assert resets == [1]
    finally:
        await db.close()
