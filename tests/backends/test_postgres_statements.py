"""PostgreSQL statements run through asyncpg's prepared-statement cache, whatever its size.

ferrule keeps its own map from SQL text to asyncpg's prepared statement, to skip the driver's
per-call layers. asyncpg may close a statement behind that map: when its own cache evicts it
(a cache smaller than the statements in use), when it expires, or when a table changes. Each
answer here is compared with asyncpg's own on a plain connection, and the server's list of
prepared statements shows that nothing is left behind.
"""

from __future__ import annotations

import contextlib

import asyncpg  # type: ignore[import-untyped]
import pytest

import ferrule
from ferrule import errors

from .conftest import SERVER_URLS, selected_dialects

pytestmark = pytest.mark.skipif(
    "postgres" not in selected_dialects(), reason="FERRULE_TEST_DB excludes postgres"
)
URL = SERVER_URLS["postgres"]

#: five statements of different texts, each with its parameters and asyncpg's answer method
_STATEMENTS = [
    ("SELECT $1::int + 1", (1,)),
    ("SELECT $1::int * 2, $2::text", (3, "x")),
    ("SELECT x FROM generate_series(1, $1::int) AS x", (4,)),
    ("SELECT $1::text || 'y'", ("z",)),
    ("SELECT NULLIF($1::int, 0)", (0,)),
]


@pytest.fixture
def dialect() -> str:
    return "postgres"


async def _reference() -> list[list[tuple[object, ...]]]:
    raw = await asyncpg.connect(URL)
    try:
        return [[tuple(r) for r in await raw.fetch(sql, *args)] for sql, args in _STATEMENTS]
    finally:
        await raw.close()


async def _prepared(db: ferrule.Database) -> int:
    count: int = await db.fetch_val("SELECT count(*) FROM pg_prepared_statements")
    return count


@pytest.mark.parametrize("size", [0, 1, 2, 256])
async def test_statements_answer_as_asyncpg_whatever_the_cache_size(size: int) -> None:
    """Five statements in turn, three times over, through every statement method: a cache of
    0, 1 or 2 closes statements between two uses of the same text."""
    expected = await _reference()
    url = f"{URL}?statement_cache_size={size}"
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        for _ in range(3):
            for (sql, args), rows in zip(_STATEMENTS, expected, strict=True):
                assert [tuple(r) for r in await db.fetch_all(sql, args)] == rows
                assert [tuple(r) for r in await db.fetch_tuples(sql, args)] == rows
                one = await db.fetch_one(sql, args)
                assert one is not None and tuple(one) == rows[0]
                assert await db.fetch_val(sql, args) == rows[0][0]
        # asyncpg closes on the server what its cache let go, before its next new statement
        assert await _prepared(db) <= size + 2


async def test_row_counts_and_status_through_a_small_cache(table: str) -> None:
    async with await ferrule.connect(f"{URL}?statement_cache_size=1", min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x integer)")
        for round_ in range(3):
            assert (
                await db.execute(
                    f"INSERT INTO {table} VALUES ($1), ($2)", (round_ + 1, -round_ - 1)
                )
                == 2
            )
            assert await db.execute(f"UPDATE {table} SET x = x + $1 WHERE x >= 0", (10,)) == (
                round_ + 1
            )
            assert await db.fetch_val(f"SELECT count(*) FROM {table} WHERE x > $1", (-100,)) == (
                2 * round_ + 2
            )


async def test_a_statement_closed_by_a_table_change_is_prepared_again(table: str) -> None:
    """A table changed through ferrule drops every cached statement; the next run of the same
    text reads the new column type, inside a transaction too."""
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x integer)")
        await db.execute(f"INSERT INTO {table} VALUES ($1)", (5,))
        assert await db.fetch_val(f"SELECT x FROM {table} WHERE x = $1", (5,)) == 5
        await db.execute(f"ALTER TABLE {table} ALTER COLUMN x TYPE text USING x::text")
        async with db.transaction():
            assert await db.fetch_val(f"SELECT x FROM {table} WHERE x = $1", ("5",)) == "5"


async def test_a_killed_backend_is_a_connection_error_and_the_pool_goes_on() -> None:
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        assert await db.fetch_val("SELECT $1::int", (1,)) == 1
        pid = await db.fetch_val("SELECT pg_backend_pid()")
        other = await asyncpg.connect(URL)
        try:
            assert await other.fetchval("SELECT pg_terminate_backend($1)", pid) is True
        finally:
            await other.close()
        # the pool may have seen the end of the connection first, and opened another
        with contextlib.suppress(errors.ConnectionError):
            assert await db.fetch_val("SELECT $1::int", (2,)) == 2
        assert await db.fetch_val("SELECT $1::int", (3,)) == 3


async def test_a_statement_asyncpg_let_go_through_another_method_is_prepared_again(
    table: str,
) -> None:
    """``execute_many`` goes through asyncpg's own methods: with a cache of one, its statement
    pushes out the one ferrule kept, which asyncpg closes on the server."""
    async with await ferrule.connect(f"{URL}?statement_cache_size=1", min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (x integer)")
        select = f"SELECT count(*) FROM {table} WHERE x > $1"
        for round_ in range(3):
            assert await db.fetch_val(select, (0,)) == 2 * round_
            await db.execute_many(f"INSERT INTO {table} VALUES ($1)", [(1,), (2,)])
            await db.execute_many(f"INSERT INTO {table} VALUES ($1 - 1)", [(0,)])
            assert await db.fetch_val(select, (0,)) == 2 * round_ + 2
