"""MariaDB specifics: result conversions that the driver leaves to us."""

from __future__ import annotations

import datetime as dt

import pytest

import ferrule

from .conftest import SERVER_URLS, selected_dialects

pytestmark = pytest.mark.skipif(
    "mysql" not in selected_dialects(), reason="FERRULE_TEST_DB excludes mysql"
)
URL = SERVER_URLS["mysql"]


@pytest.fixture
def dialect() -> str:
    return "mysql"


async def test_time_and_boolean_conversions(table: str) -> None:
    async with await ferrule.connect(URL) as db:
        await db.execute(f"CREATE TABLE {table} (t TIME, d TIME, b BOOLEAN, n TINYINT)")
        await db.execute(
            f"INSERT INTO {table} VALUES (%s, %s, %s, %s)",
            (dt.time(7, 8, 9), dt.timedelta(hours=30), True, 5),
        )
        row = await db.fetch_one(f"SELECT t, d, b, n FROM {table}")
        # a TIME within a day is a time; a duration beyond it stays a timedelta
        assert row == (dt.time(7, 8, 9), dt.timedelta(hours=30), True, 5)
        assert type(row[2]) is bool and type(row[3]) is int
        rows = await db.fetch_all(f"SELECT b FROM {table}")
        assert rows == [(True,)] and type(rows[0][0]) is bool
        assert [r async for r in db.iterate(f"SELECT t FROM {table}")] == [(dt.time(7, 8, 9),)]


_OVERFLOW = "SELECT DATE_ADD(CAST(%s AS DATE), INTERVAL 100 DAY)"


async def test_a_date_function_past_its_range_is_a_data_error_not_null() -> None:
    """MariaDB answers NULL, with warning 1441, where PostgreSQL and SQLite raise (and where
    MariaDB itself refuses to store it, in strict mode): the same DataError, by every
    statement method, and the connection goes on."""
    far = dt.date(9999, 12, 1)
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        for run in (db.fetch_all, db.fetch_one, db.fetch_val, db.fetch_tuples):
            with pytest.raises(ferrule.errors.DataError, match="overflow"):
                await run(_OVERFLOW, (far,))
        with pytest.raises(ferrule.errors.DataError, match="overflow"):
            async with db.transaction() as tx:
                await tx.fetch_val(_OVERFLOW, (far,))
        with pytest.raises(ferrule.errors.DataError, match="overflow"):
            async for _ in db.iterate(_OVERFLOW, (far,)):
                pass
        assert await db.fetch_val(_OVERFLOW, (dt.date(2000, 1, 1),)) == dt.date(2000, 4, 10)
        assert await db.fetch_val("SELECT DATE_ADD(NULL, INTERVAL 1 DAY)") is None


async def test_a_note_is_not_an_error(table: str) -> None:
    async with await ferrule.connect(URL) as db:
        await db.execute(f"DROP TABLE IF EXISTS {table}")  # note 1051: no such table
        assert await db.fetch_val(f"SELECT COUNT(*) FROM (SELECT 1 AS x) AS {table}") == 1
