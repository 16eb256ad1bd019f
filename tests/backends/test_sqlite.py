"""SQLite specifics: the loop-thread fast path, offloading, file modes and pragmas."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

import ferrule
from ferrule.backends import sqlite as sqlite_backend
from ferrule.backends.sqlite import LOOP_BUDGET

LONG_SCAN = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)"
    " SELECT COUNT(*) FROM c"
)


async def test_ordinary_statements_stay_on_the_loop_thread(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        await db.execute_many("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        for i in range(100):
            assert await db.fetch_one("SELECT id FROM t WHERE id = ?", (i,)) == (i,)
        assert db.stats()["offloaded"] == 0


async def test_a_long_scan_moves_to_a_worker(tmp_path: Path) -> None:
    assert LOOP_BUDGET <= 0.05
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        assert await db.fetch_val(LONG_SCAN) == 1_000_000
        assert db.stats()["offloaded"] == 1
        async with db.transaction():  # a read inside a transaction may move too
            assert await db.fetch_val(LONG_SCAN) == 1_000_000
        assert db.stats()["offloaded"] == 2


async def test_file_database_uses_wal(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        assert await db.fetch_val("PRAGMA journal_mode") == "wal"
        assert await db.fetch_val("PRAGMA foreign_keys") == 1
        assert "concurrent_connections" in db.capabilities
    async with await ferrule.connect("sqlite://") as memory:
        assert "concurrent_connections" not in memory.capabilities
        assert memory.stats()["max_size"] == 1


async def test_read_only_mode(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE t (x INTEGER)")
        setup.execute("INSERT INTO t VALUES (1)")
    setup.close()
    async with await ferrule.connect(f"sqlite:///{path}?mode=ro") as db:
        assert await db.fetch_val("SELECT x FROM t") == 1
        with pytest.raises(ferrule.OperationalError, match="readonly"):
            await db.execute("INSERT INTO t VALUES (2)")


async def test_missing_directory_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(ferrule.ConnectionError) as info:
        await ferrule.connect(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    # The driver's own exception, from ferrule's instance of the sqlite3 extension.
    assert isinstance(info.value.__cause__, sqlite_backend.sqlite3.OperationalError)


async def test_plain_sqlite3_connections_are_unaffected(tmp_path: Path) -> None:
    """ferrule's conversions belong to its own connections, not to every sqlite3 user."""
    import _sqlite3

    if sqlite_backend.sqlite3 is _sqlite3:
        pytest.skip("this CPython (3.10) loads the _sqlite3 extension once per process")
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (d DECIMAL(10, 2), b BOOLEAN, j JSON)")
        await db.execute("INSERT INTO t VALUES (?, ?, ?)", (Decimal("1.50"), True, {"k": 1}))
        assert await db.fetch_one("SELECT d, b, j FROM t") == (Decimal("1.5"), True, {"k": 1})
    plain = sqlite3.connect(tmp_path / "a.db")
    typed = sqlite3.connect(tmp_path / "a.db", detect_types=sqlite3.PARSE_DECLTYPES)
    try:
        for conn in (plain, typed):  # what sqlite3 does on its own: no adapter for these
            for value in (Decimal("1.5"), {"k": 1}, [1], uuid.UUID(int=1)):
                with pytest.raises(sqlite3.ProgrammingError, match="not supported"):
                    conn.execute("SELECT ?", (value,))
        assert plain.execute("SELECT d, b, j FROM t").fetchone() == (1.5, 1, '{"k": 1}')
        assert typed.execute("SELECT d, b, j FROM t").fetchone() == (1.5, 1, '{"k": 1}')
    finally:
        plain.close()
        typed.close()


# Values a DECIMAL(30,10) column must return exactly, or refuse: never rounded.
DECIMALS = [
    "12345678901234567890.1234567890",  # 30 significant digits
    "0.1234567890123456789",
    "9223372036854775808",  # one past the largest 64-bit integer
    "123456789012345678901234567890",
    "1234567890.12345678",
    "-98765432109876543.21",
    "1.10",
    "123456789012345",  # 15 digits: a double holds it
    "9223372036854775807",
    "0.000000001",
]


@pytest.mark.parametrize("text", DECIMALS)
async def test_decimal_is_exact_or_refused(tmp_path: Path, text: str) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (d DECIMAL(30, 10))")
        value = Decimal(text)
        try:
            await db.execute("INSERT INTO t VALUES (?)", (value,))
        except ferrule.FerruleError as exc:
            assert "Decimal" in str(exc) and len(value.as_tuple().digits) > 15
            assert await db.fetch_val("SELECT count(*) FROM t") == 0
            return
        assert await db.fetch_val("SELECT d FROM t") == value
        assert await db.fetch_val("SELECT count(*) FROM t WHERE d = ?", (value,)) == 1
