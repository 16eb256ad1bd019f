"""A ``dict``/``list`` parameter is JSON on every backend (``backends.json_text``), and comes
back as it went: a float as the same float (PostgreSQL's ``jsonb`` printed ``1e16`` back as
the int 10000000000000000), an int as the same int; ``-0.0`` as ``0.0`` everywhere; NaN and
infinities refused with an ``InterfaceError`` (SQLite stored the non-JSON ``NaN``, the servers
answered a parse error or a CHECK violation). The reference is Python's float: ``float.hex``."""

from __future__ import annotations

import decimal
import json
import math
from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule import errors

from .conftest import SERVER_URLS, selected_dialects

Q = Callable[[str], str]
JSON_COLUMN = {"sqlite": "JSON TEXT", "postgres": "JSONB", "mysql": "JSON"}
FLOATS = [
    1e16,
    1e300,
    1.7976931348623157e308,
    5e-324,
    2.225073858507201e-308,
    2.2250738585072014e-308,
    -1e-300,
    1e-7,
    0.1,
    1.0,
    1e23,
    9007199254740993.0,
]
INTS = [2**63, -(10**100), 10**400]


def _exact(got: list[Any], want: list[Any]) -> bool:
    return [(type(v), v.hex() if isinstance(v, float) else v) for v in got] == [
        (type(v), v.hex() if isinstance(v, float) else v) for v in want
    ]


async def _stored(db: Any, table: str) -> Any:
    got = await db.fetch_val(f"SELECT v FROM {table}")
    return json.loads(got) if isinstance(got, str) else got  # MariaDB's JSON is LONGTEXT


async def test_numbers_in_json_parameters_come_back_exactly(
    url: str, table: str, q: Q, dialect: str
) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {JSON_COLUMN[dialect]})")
        for i, number in enumerate(FLOATS + INTS):
            await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (?, ?)"), (i, [number]))
            got = await db.fetch_val(q(f"SELECT v FROM {table} WHERE id = ?"), (i,))
            got = json.loads(got) if isinstance(got, str) else got
            assert _exact(got, [number]), (number, got)


async def test_negative_zero_is_sent_as_zero(url: str, table: str, q: Q, dialect: str) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {JSON_COLUMN[dialect]})")
        await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (1, ?)"), ({"z": [-0.0]},))
        got = await _stored(db, table)
        assert got == {"z": [0.0]} and math.copysign(1.0, got["z"][0]) == 1.0


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=repr)
async def test_nan_and_infinity_are_refused(
    url: str, table: str, q: Q, dialect: str, bad: float
) -> None:
    async with await ferrule.connect(url) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {JSON_COLUMN[dialect]})")
        for value in ([bad], {"a": {"b": bad}}):
            with pytest.raises(errors.InterfaceError, match="NaN or Infinity"):
                await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (1, ?)"), (value,))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0


@pytest.mark.skipif(
    "postgres" not in selected_dialects(), reason="FERRULE_TEST_DB excludes postgres"
)
@pytest.mark.parametrize("number", [*FLOATS, 0.0, -0.0], ids=repr)
async def test_postgres_keeps_each_float_as_its_shortest_decimal(number: float) -> None:
    """The server's own reading of what was sent: ``numeric`` equal to the float's shortest
    decimal, printed back in positional notation with a fractional digit, which Python reads
    as the same float (``-0.0`` as ``0.0``)."""
    async with await ferrule.connect(SERVER_URLS["postgres"]) as db:
        same, text = await db.fetch_one(
            "SELECT ($1::jsonb->0)::numeric = $2::numeric, $1::jsonb->>0",
            ([number], decimal.Decimal(repr(number))),
        )
        assert same is True
        assert "e" not in text.lower() and "." in text
        assert float(text).hex() == (number + 0.0).hex()


async def test_json_nesting_past_the_stack_is_an_interface_error(
    url: str, table: str, q: Q, dialect: str
) -> None:
    """Written as a parameter, or read back from a value the database holds (made from text
    by the database itself): a typed error, and the connection goes on (the driver's
    encoder, decoder and even its own error message recursed: RecursionError escaped)."""
    deep: list[Any] = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v {JSON_COLUMN[dialect]})")
        with pytest.raises(errors.InterfaceError, match="nests too deeply"):
            await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (1, ?)"), (deep,))
        text = "[" * 5000 + "]" * 5000
        cast = {"postgres": "CAST(CAST(? AS text) AS jsonb)", "mysql": "?", "sqlite": "?"}[dialect]
        try:
            await db.execute(q(f"INSERT INTO {table} (id, v) VALUES (2, {cast})"), (text,))
        except errors.DatabaseError:  # a database that refuses such depth itself
            pass
        else:
            try:
                got = await db.fetch_val(q(f"SELECT v FROM {table} WHERE id = ?"), (2,))
            except errors.InterfaceError as exc:
                assert "nests too deeply" in str(exc)
            else:
                assert got == text  # handed over as text (SQLite, MariaDB: not decoded)
        assert await db.fetch_val("SELECT 41 + 1") == 42
