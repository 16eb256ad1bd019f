"""Pool behaviour under load and failure: bounded waits, cancellation, recycling, the breaker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

import ferrule

from .conftest import requires

Q = Callable[[str], str]

# A statement that runs for a long time on each backend (cancelled long before it ends).
SLOW_SQL = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)"
    " SELECT COUNT(*) FROM c",
    "postgres": "SELECT pg_sleep(30)",
    "mysql": "SELECT SLEEP(30)",
}


LOCK_TIMEOUT = {
    "postgres": "SET lock_timeout = '5s'",
    "mysql": "SET SESSION lock_wait_timeout = 5",
}


async def test_200_tasks_on_a_pool_of_5(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5, acquire_timeout=30) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER)")

        async def work(i: int) -> int:
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (i, i))
                value: int = await db.fetch_val(q(f"SELECT n FROM {table} WHERE id = ?"), (i,))
            return value

        results = await asyncio.gather(*(work(i) for i in range(200)))
        assert results == list(range(200))
        stats = db.stats()
        assert stats["size"] <= 5 and stats["in_use"] == 0 and stats["waiting"] == 0
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 200


async def test_overload_gives_pool_timeout_not_a_queue(url: str) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5, acquire_timeout=0.05) as db:
        size = db.stats()["max_size"]  # 1 for an in-memory database, else 5
        release = asyncio.Event()
        holding = 0
        all_held = asyncio.Event()

        async def hold() -> str:
            nonlocal holding
            async with db.connection():
                holding += 1
                if holding == size:
                    all_held.set()
                await release.wait()
            return "done"

        holders = [asyncio.create_task(hold()) for _ in range(size)]
        await all_held.wait()

        async def query() -> str:
            try:
                await db.fetch_val("SELECT 1")
            except ferrule.PoolTimeoutError:
                return "timeout"
            return "ok"

        outcomes = await asyncio.gather(*(query() for _ in range(200)))
        assert set(outcomes) == {"timeout"}
        assert db.stats()["timeouts"] >= 200 and db.stats()["waiting"] == 0
        release.set()
        assert await asyncio.gather(*holders) == ["done"] * size
        assert await db.fetch_val("SELECT 1") == 1  # and the pool serves again


async def test_cancel_mid_transaction_returns_a_clean_connection(
    url: str, table: str, q: Q
) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        inside = asyncio.Event()

        async def victim() -> None:
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
                inside.set()
                await asyncio.Event().wait()  # never set: cancelled here

        task = asyncio.create_task(victim())
        await inside.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert db.stats()["in_use"] == 0
        for conn in db._pool.idle_connections():
            assert not conn.in_transaction
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0
        await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (2,))
        assert await db.fetch_all(f"SELECT id FROM {table}") == [(2,)]


async def test_cancel_mid_query(url: str, dialect: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        started = asyncio.Event()
        db.add_hook(before=lambda event: started.set() if event.sql == SLOW_SQL[dialect] else None)

        async def victim() -> None:
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
                await db.fetch_val(SLOW_SQL[dialect])

        task = asyncio.create_task(victim())
        await started.wait()
        await asyncio.sleep(0)  # let the statement reach the driver; not a synchronisation
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert db.stats()["in_use"] == 0
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0
        assert await db.fetch_val("SELECT 7") == 7
        # The cancelled statement is stopped on the server too: it holds no lock any more.
        async with db.connection() as conn:
            if dialect in LOCK_TIMEOUT:
                await conn.execute(LOCK_TIMEOUT[dialect])
            await conn.execute(f"DROP TABLE {table}")


async def test_recycle_and_health_check(url: str) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        (first,) = db._pool.idle_connections()
        first.created_at = float("-inf")  # older than any recycle age
        db._pool._recycle = 3600.0
        assert await db.fetch_val("SELECT 1") == 1
        (second,) = db._pool.idle_connections()
        assert second is not first and first.is_closed()
        second.last_used = float("-inf")  # idle longer than the health-check interval: pinged
        assert await db.fetch_val("SELECT 1") == 1
        assert db._pool.idle_connections() == [second]
        assert db.stats()["opened"] == 2


async def test_circuit_breaker_fails_fast(dialect: str, tmp_path: object) -> None:
    bad = {
        "sqlite": f"sqlite:///{tmp_path}/no/such/dir/x.db",
        "postgres": "postgresql://postgres@127.0.0.1:1/test",
        "mysql": "mysql://root@127.0.0.1:1/test",
    }[dialect]
    options = {"min_size": 0, "circuit_failures": 3, "circuit_reset": 60}
    async with await ferrule.connect(bad, **options) as db:
        for _ in range(3):
            with pytest.raises(ferrule.ConnectionError) as info:
                await db.fetch_val("SELECT 1")
            assert not isinstance(info.value, ferrule.CircuitOpenError)
            assert info.value.__cause__ is not None
        assert db.stats()["circuit"] == "open"
        with pytest.raises(ferrule.CircuitOpenError):
            await db.fetch_val("SELECT 1")
        # half-open after the back-off: one probe goes through (and fails again here)
        db._pool.breaker.retry_at = 0.0
        assert db.stats()["circuit"] == "half_open"
        with pytest.raises(ferrule.ConnectionError) as info:
            await db.fetch_val("SELECT 1")
        assert not isinstance(info.value, ferrule.CircuitOpenError)
        assert db.stats()["circuit_trips"] == 1
    with pytest.raises(ferrule.ConnectionError):
        await ferrule.connect(bad)  # min_size 1: connect() itself reports the failure


async def test_closed_pool_refuses(url: str) -> None:
    db = await ferrule.connect(url)
    await db.close()
    with pytest.raises(ferrule.InterfaceError):
        await db.fetch_val("SELECT 1")


async def test_child_tasks_share_nothing_under_a_tiny_pool(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=2) as db:
        requires(db, "concurrent_connections")
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        insert = q(f"INSERT INTO {table} VALUES (?)")
        await asyncio.gather(*(db.execute(insert, (i,)) for i in range(50)))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 50


async def test_cancelled_waiters_leave_no_trace(url: str) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=1, acquire_timeout=30) as db:
        held, release = asyncio.Event(), asyncio.Event()

        async def hold() -> None:
            async with db.connection():
                held.set()
                await release.wait()

        holder = asyncio.create_task(hold())
        await held.wait()
        waiters = [asyncio.create_task(db.fetch_val("SELECT 1")) for _ in range(10)]
        while db.stats()["waiting"] < 10:
            await asyncio.sleep(0)  # let each waiter reach the queue (a yield, not a timer)
        for task in waiters[:9]:
            task.cancel()
        release.set()  # the connection goes to the one waiter left, not to a cancelled one
        await holder
        assert await waiters[9] == 1
        for task in waiters[:9]:
            with pytest.raises(asyncio.CancelledError):
                await task
        stats = db.stats()
        assert (stats["waiting"], stats["in_use"], stats["size"]) == (0, 0, 1)


async def test_a_connect_cancelled_by_its_driver_is_a_failed_connect(tmp_path: object) -> None:
    """A driver whose connect ends cancelled (not the caller) must count as a failed connect:
    otherwise a half-open probe never ends and the circuit stays open for good."""
    from ferrule.errors import ConnectionError as FerruleConnectionError

    db = await ferrule.connect(f"sqlite:///{tmp_path}/x.db", min_size=0, max_size=1)
    backend = db._backend  # type: ignore[attr-defined]
    real = backend.connect
    calls = [0]

    async def flaky() -> object:
        calls[0] += 1
        if calls[0] == 1:
            raise asyncio.CancelledError  # the driver's own cancellation
        return await real()

    backend.connect = flaky
    try:
        breaker = db._pool.breaker  # type: ignore[attr-defined]
        breaker.probing = True  # as a half-open probe would be
        with pytest.raises(FerruleConnectionError):
            await db.fetch_val("SELECT 1")
        assert breaker.probing is False
        assert await db.fetch_val("SELECT 1") == 1
    finally:
        await db.close()
