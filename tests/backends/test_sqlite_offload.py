"""A large SQLite read that outgrows the event loop's budget continues in a worker thread
from where it stopped: its rows are computed once, not once on the loop and again in the
worker (counted with an SQL function that records each call)."""

from __future__ import annotations

from pathlib import Path

import ferrule

ROWS = 150_000


async def _counting_db(tmp_path: Path) -> tuple[object, list[int]]:
    db = await ferrule.connect(f"sqlite:///{tmp_path / 'big.db'}", min_size=1, max_size=1)
    calls = [0]

    def tick(value: int) -> int:
        calls[0] += 1
        return value

    (conn,) = db._pool.idle_connections()  # type: ignore[attr-defined]
    conn._raw.create_function("tick", 1, tick, deterministic=True)
    await db.execute(
        "CREATE TABLE big AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        f"WHERE i < {ROWS}) SELECT i FROM n"
    )
    return db, calls


async def test_a_long_fetch_is_computed_once(tmp_path: Path) -> None:
    db, calls = await _counting_db(tmp_path)
    try:
        for fetch in ("fetch_all", "fetch_tuples"):
            calls[0] = 0
            before = db.stats()["offloaded"]  # type: ignore[attr-defined]
            rows = await getattr(db, fetch)("SELECT tick(i) FROM big")
            assert [r[0] for r in rows[:3]] == [1, 2, 3] and len(rows) == ROWS
            assert calls[0] == ROWS, fetch
            assert db.stats()["offloaded"] == before + 1, fetch  # type: ignore[attr-defined]
    finally:
        await db.close()  # type: ignore[attr-defined]
