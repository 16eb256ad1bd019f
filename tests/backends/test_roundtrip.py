"""Property test: any value of the basic types comes back unchanged from every backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule

Q = Callable[[str], str]

ROWS = st.lists(
    st.tuples(
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
        ),
        st.binary(max_size=40),
        st.booleans(),
    ),
    max_size=8,
)
COLUMNS = {
    "sqlite": "n BIGINT, x REAL, s TEXT, b BLOB, f BOOLEAN",
    "postgres": "n BIGINT, x DOUBLE PRECISION, s TEXT, b BYTEA, f BOOLEAN",
    "mysql": "n BIGINT, x DOUBLE, s TEXT, b BLOB, f BOOLEAN",
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_values_round_trip(url: str, table: str, q: Q, dialect: str, rows: list[Any]) -> None:
    async def run() -> list[Any]:
        async with await ferrule.connect(url) as db:
            await db.execute(f"DROP TABLE IF EXISTS {table}")
            await db.execute(f"CREATE TABLE {table} (i INTEGER PRIMARY KEY, {COLUMNS[dialect]})")
            numbered = [(i, *row) for i, row in enumerate(rows)]
            if numbered:
                await db.execute_many(q(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)"), numbered)
            got = await db.fetch_all(f"SELECT n, x, s, b, f FROM {table} ORDER BY i")
            return [tuple(row) for row in got]

    got = asyncio.run(run())
    assert got == rows
    assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in rows]
