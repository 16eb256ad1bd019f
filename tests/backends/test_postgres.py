"""PostgreSQL specifics: libpq URL options reach the server, several hosts, server cursors."""

from __future__ import annotations

import pytest

import ferrule

from .conftest import SERVER_URLS, selected_dialects

pytestmark = pytest.mark.skipif(
    "postgres" not in selected_dialects(), reason="FERRULE_TEST_DB excludes postgres"
)
URL = SERVER_URLS["postgres"]


@pytest.fixture
def dialect() -> str:
    return "postgres"


async def test_url_options_reach_the_server() -> None:
    url = URL + "?sslmode=disable&application_name=ferrule-test"
    async with await ferrule.connect(url) as db:
        assert await db.fetch_val("SHOW application_name") == "ferrule-test"
        assert await db.fetch_val("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") in (
            False,
            None,
        )


async def test_second_host_is_tried_when_the_first_is_down() -> None:
    async with await ferrule.connect("postgresql://postgres@127.0.0.1:1,127.0.0.1:5432/test") as db:
        assert await db.fetch_val("SELECT 1") == 1


async def test_iterate_uses_a_server_side_cursor() -> None:
    async with await ferrule.connect(URL) as db, db.transaction() as tx:
        seen = []
        async for row in tx.iterate("SELECT x FROM generate_series(1, 50) AS x", batch_size=10):
            if row[0] == 1:
                seen.append(await tx.fetch_val("SELECT COUNT(*) FROM pg_cursors WHERE name <> ''"))
        assert seen == [1]


async def test_json_and_jsonb_are_decoded() -> None:
    async with await ferrule.connect(URL) as db:
        row = await db.fetch_one("SELECT $1::json, $2::jsonb", ({"a": 1}, [1, "x"]))
        assert row == ({"a": 1}, [1, "x"])
