"""Fault tests on the real servers: killed backends, a restarted server, a locked SQLite file.

The restart test restarts a private server of its own (``servers.py``): the shared
PostgreSQL/MariaDB servers are never stopped (other tests and sessions use them meanwhile).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

import ferrule

from .conftest import native, requires
from .servers import PrivateServer

Q = Callable[[str], str]


async def test_killed_backend_mid_transaction(url: str, table: str, q: Q, dialect: str) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=2) as db:
        requires(db, "kill_connection")
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        pid_sql = "SELECT pg_backend_pid()" if dialect == "postgres" else "SELECT CONNECTION_ID()"
        kill_sql = q("SELECT pg_terminate_backend(?)") if dialect == "postgres" else q("KILL ?")
        with pytest.raises(ferrule.ConnectionError) as info:
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
                pid = await db.fetch_val(pid_sql)
                async with await ferrule.connect(url, min_size=1, max_size=1) as admin:
                    await admin.execute(kill_sql, (pid,))
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (2,))
        assert info.value.__cause__ is not None
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0  # no partial write
        assert db.stats()["in_use"] == 0 and db.stats()["discarded"] >= 1


async def test_pool_recovers_after_server_restart(server: PrivateServer) -> None:
    """Restarted while a transaction is open: that transaction fails, the next statements
    succeed on fresh connections. A private server: the shared ones are never restarted."""
    table, q = "restarted", (lambda sql: native(server.dialect, sql))
    async with await ferrule.connect(server.url, min_size=3, max_size=4) as db:
        await db.execute(f"DROP TABLE IF EXISTS {table}")
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        with pytest.raises(ferrule.ConnectionError):
            async with db.transaction():  # a transaction is open when the server goes away
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
                await server.restart()
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (2,))
        # The server is back: the very next statements succeed, on fresh connections.
        for i in range(10):
            await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (10 + i,))
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 10
        assert db.stats()["discarded"] >= 3
        await db.execute(f"DROP TABLE {table}")


LONG_SCAN = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)"
    " SELECT COUNT(*) FROM c"
)


async def test_sqlite_locked_writer_never_stalls_the_loop(tmp_path: Path) -> None:
    """A writer holds the lock while readers, a long scan and a second writer run: the loop
    keeps serving other tasks meanwhile (counted in heartbeats, never timed)."""
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'locked.db'}", max_size=4) as db:
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        await db.execute_many("INSERT INTO t VALUES (?, ?)", [(i, "x") for i in range(1000)])

        stop = asyncio.Event()
        beats = 0

        async def ticker() -> None:
            nonlocal beats
            while not stop.is_set():
                await asyncio.sleep(0.001)  # a heartbeat; only the count of beats is used
                beats += 1

        holding, release, second_started = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def first_writer() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (5001, 'first')")
                holding.set()
                await release.wait()

        async def second_writer() -> None:
            await db.execute("INSERT INTO t VALUES (5002, 'second')")

        db.add_hook(before=lambda event: second_started.set() if "5002" in event.sql else None)
        beat = asyncio.create_task(ticker())
        first = asyncio.create_task(first_writer())
        await holding.wait()
        second = asyncio.create_task(second_writer())
        await second_started.wait()  # it met the lock and now waits in a worker thread

        for _ in range(50):  # readers are served meanwhile (WAL)
            assert await db.fetch_val("SELECT COUNT(*) FROM t") == 1000
        before = beats
        assert await db.fetch_val(LONG_SCAN) == 2_000_000  # moved off the loop
        # the loop kept turning while the scan ran in a worker thread: had the scan run on the
        # loop, the ticker could not have beaten more than once before it ended
        assert beats - before > 1
        assert not second.done()

        release.set()
        await first
        await second
        stop.set()
        await beat
        assert await db.fetch_val("SELECT COUNT(*) FROM t") == 1002
        assert db.stats()["offloaded"] >= 2
