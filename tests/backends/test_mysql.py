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
