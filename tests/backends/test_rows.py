"""Rows behave the same on every backend: as ``asyncpg.Record`` does.

The reference is asyncpg's own ``Record`` (what PostgreSQL rows are): each operation of the table
below is recorded from a ``Record`` of the same query, and every backend's row — from
``fetch_one``, ``fetch_all`` and ``iterate`` — must give the same answer or raise the same
exception class. Where ferrule's row does more (it is a ``tuple``, so it pickles, concatenates
and has ``index``/``count``), the extra is tested separately, never compared.
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Callable
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest

import ferrule

from .conftest import SERVER_URLS

QUERY = "SELECT 1 AS a, 'x' AS b, 3 AS c"
DUPLICATE = "SELECT 1 AS a, 2 AS a"


def _unpack(row: Any) -> Any:
    a, b, c = row
    return (a, b, c)


OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "index": lambda r: r[0],
    "negative index": lambda r: r[-1],
    "name": lambda r: r["b"],
    "slice": lambda r: r[0:2],
    "slice type": lambda r: type(r[1:]),
    "missing name": lambda r: r["missing"],
    "index out of range": lambda r: r[5],
    "float key": lambda r: r[1.5],
    "keys": lambda r: list(r.keys()),
    "values": lambda r: list(r.values()),
    "items": lambda r: list(r.items()),
    "get": lambda r: r.get("a"),
    "get missing": lambda r: r.get("missing"),
    "get default": lambda r: r.get("missing", 0),
    "len": len,
    "iterate": list,
    "unpack": _unpack,
    "tuple": tuple,
    "dict": dict,
    "equal tuple": lambda r: r == (1, "x", 3),
    "not equal tuple": lambda r: r != (1, "x", 3),
    "equal list": lambda r: r == [1, "x", 3],
    "order": lambda r: r < (2,),
    "hash": lambda r: hash(r) == hash((1, "x", 3)),
    "truth": bool,
    "contains name": lambda r: "a" in r,
    "contains value": lambda r: 1 in r,
    "repr": repr,
    "str": str,
}


def _apply(op: Callable[[Any], Any], row: Any) -> Any:
    try:
        return op(row)
    except Exception as exc:
        return type(exc)


def _reference(query: str) -> Any:
    async def fetch() -> Any:
        conn = await asyncpg.connect(SERVER_URLS["postgres"])
        try:
            return await conn.fetchrow(query)
        finally:
            await conn.close()

    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    """Each operation's answer on an ``asyncpg.Record`` (a PostgreSQL server is the oracle)."""
    try:
        record = _reference(QUERY)
        duplicate = _reference(DUPLICATE)
    except OSError as exc:
        pytest.skip(f"the reference asyncpg.Record needs PostgreSQL: {exc}")
    answers = {name: _apply(op, record) for name, op in OPERATIONS.items()}
    answers["duplicate name"] = duplicate["a"]
    answers["duplicate keys"] = list(duplicate.keys())
    answers["duplicate dict"] = dict(duplicate)
    return answers


def _answers(row: Any, duplicate: Any) -> dict[str, Any]:
    answers = {name: _apply(op, row) for name, op in OPERATIONS.items()}
    answers["duplicate name"] = duplicate["a"]
    answers["duplicate keys"] = list(duplicate.keys())
    answers["duplicate dict"] = dict(duplicate)
    return answers


async def test_rows_behave_like_asyncpg_records(url: str, reference: dict[str, Any]) -> None:
    async with await ferrule.connect(url) as db:
        duplicate = await db.fetch_one(DUPLICATE)
        rows = {
            "fetch_one": await db.fetch_one(QUERY),
            "fetch_all": (await db.fetch_all(QUERY))[0],
        }
        async for row in db.iterate(QUERY):
            rows["iterate"] = row
        async with db.connection() as conn:
            rows["connection.fetch_one"] = await conn.fetch_one(QUERY)
    for source, row in rows.items():
        assert _answers(row, duplicate) == reference, source


async def test_rows_pickle_and_are_tuples(url: str, dialect: str) -> None:
    if dialect == "postgres":
        pytest.skip("asyncpg.Record is neither a tuple nor picklable")
    async with await ferrule.connect(url) as db:
        row = await db.fetch_one(QUERY)
        rows = await db.fetch_all(QUERY)
    assert isinstance(row, tuple)
    copy = pickle.loads(pickle.dumps(row))
    assert copy == row and list(copy.keys()) == ["a", "b", "c"] and copy["b"] == "x"
    assert rows == [row] and rows.columns == ("a", "b", "c")
    assert row + (4,) == (1, "x", 3, 4)  # noqa: RUF005 (tuple concatenation is the point)
