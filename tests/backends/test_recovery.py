"""Failure and recovery: the breaker follows the server, cancellation leaks nothing and costs
no reconnect, a cancelled SQLite call does not wait for the lock it was waiting on.

Outcomes are counted (failed attempts, ticks of a heartbeat, sessions, connections opened);
the only clocks are hang guards far above what a working build needs.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import errors

from .servers import PrivateServer

HANG_GUARD = 30.0  # seconds; only reached when the behaviour under test is broken


# -- the circuit breaker ----------------------------------------------------------------------


def _unreachable(dialect: str, tmp_path: Path) -> str:
    """A URL whose every connection attempt fails at once."""
    return {
        "sqlite": f"sqlite:///{tmp_path}/no/such/dir/x.db",
        "postgres": "postgresql://postgres@127.0.0.1:1/test",
        "mysql": "mysql://root@127.0.0.1:1/test",
    }[dialect]


async def test_open_circuit_lets_the_loop_run(dialect: str, tmp_path: Path) -> None:
    """A task retrying in a tight loop against an open circuit never starves the others."""
    bad = _unreachable(dialect, tmp_path)
    ticks = 0
    running = True

    async def heartbeat() -> None:
        nonlocal ticks
        while running:
            await asyncio.sleep(0)  # one turn of the loop per tick; only the count is used
            ticks += 1

    async with await ferrule.connect(bad, min_size=0, circuit_failures=2, circuit_reset=60) as db:
        beat = asyncio.create_task(heartbeat())
        await asyncio.sleep(0)
        starved = opened = 0
        for _ in range(500):
            seen = ticks
            try:
                await db.fetch_val("SELECT 1")
            except errors.CircuitOpenError:
                opened += 1
                starved += ticks == seen  # this failure let no other task run
            except errors.ConnectionError:
                pass
        running = False
        await beat
    assert opened >= 490
    assert starved == 0


async def test_open_circuit_error_says_why_it_refused(dialect: str, tmp_path: Path) -> None:
    """A refused connect yields to the loop before it raises; its error still describes the
    circuit that refused it, not the circuit as a probe elsewhere left it meanwhile (a closed
    one reads "0 connection attempts failed in a row; failing fast": a breaker bug, to the
    reader of a storm's last error)."""
    bad = _unreachable(dialect, tmp_path)
    async with await ferrule.connect(bad, min_size=0, circuit_failures=2) as db:
        for _ in range(2):
            with pytest.raises(errors.ConnectionError):
                await db.fetch_val("SELECT 1")
        breaker = db._pool.breaker
        breaker.retry_at = float("inf")  # open, and no probe until the test says so
        refused = asyncio.create_task(db.fetch_val("SELECT 1"))
        await asyncio.sleep(0)  # one step: the task is refused and yields before raising
        assert not refused.done()
        breaker.record_success()  # a probe elsewhere got through in the meantime
        with pytest.raises(errors.CircuitOpenError) as refusal:
            await refused
    assert str(refusal.value).startswith("2 connection attempts failed in a row"), refusal.value


async def test_recovery_follows_the_server(server: PrivateServer) -> None:
    """Once the server accepts connections again, a retrying task succeeds within a bounded
    number of paced attempts (100 at 10 ms apart: about a second), whatever the down time."""
    async with await ferrule.connect(server.url, min_size=1, max_size=2) as db:
        assert await db.fetch_val("SELECT 1") == 1
        await server.stop(crash=True)
        back = asyncio.Event()
        down_failures = after_back = 0

        async def retry() -> None:
            nonlocal down_failures, after_back
            while True:
                try:
                    assert await db.fetch_val("SELECT 1") == 1
                    return
                except errors.ConnectionError:
                    if back.is_set():
                        after_back += 1
                    else:
                        down_failures += 1
                await asyncio.sleep(0.01)  # the application's retry pacing

        retrier = asyncio.create_task(retry())
        try:
            # Down long enough for the breaker to open and back off as far as it goes.
            while down_failures < 150:
                await asyncio.sleep(0.01)  # waiting on the retrier's count, not on a time
            assert db.stats()["circuit"] in ("open", "half_open")
        finally:
            await server.start()
        back.set()
        await asyncio.wait_for(retrier, HANG_GUARD)
    assert after_back <= 100, f"{after_back} failed attempts after the server was back"


# -- connects completing while their task is cancelled -----------------------------------------


async def test_connect_completing_while_cancelled_is_not_leaked(url: str) -> None:
    """A driver connect that finishes although its task was cancelled (asyncio.wait_for inside
    drivers swallows a cancellation that races a completed step): the pool still owns the
    connection (keeps it or closes it), never drops it with its socket open."""
    async with await ferrule.connect(url, min_size=0, max_size=2) as db:
        backend: Any = db._pool._backend
        real = backend.connect
        made: list[Any] = []
        connected, finish = asyncio.Event(), asyncio.Event()

        async def connect() -> Any:
            conn = await real()
            made.append(conn)
            connected.set()
            # The caller is cancelled here; the connect completes all the same (whether the
            # pool cancels it or lets it finish).
            with contextlib.suppress(asyncio.CancelledError):
                await finish.wait()
            return conn

        backend.connect = connect
        try:
            victim = asyncio.create_task(db.fetch_val("SELECT 1"))
            await connected.wait()
            victim.cancel()
            with pytest.raises(asyncio.CancelledError):
                await victim
            finish.set()
            for _ in range(3):  # let the completed connect be handed back (a few turns)
                await asyncio.sleep(0)
            idle = db._pool.idle_connections()
            dropped = [c for c in made if not c.is_closed() and c not in idle]
            for conn in dropped:
                conn.terminate()  # do not leave a session on the shared server
            assert dropped == []
            stats = db.stats()
            assert (stats["in_use"], stats["size"]) == (0, len(idle))
        finally:
            backend.connect = real
        assert await db.fetch_val("SELECT 1") == 1


# -- cancellation while acquiring ------------------------------------------------------------------


async def test_cancel_as_the_connection_is_handed_over(url: str, table: str) -> None:
    """Cancelled in the very iteration a released connection is handed to it, a waiting task
    stops (before Python 3.12, asyncio.wait_for swallowed that cancellation and the task went
    on to run its statement) and the connection goes to the pool."""
    async with await ferrule.connect(url, min_size=1, max_size=1, acquire_timeout=60) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        held, release = asyncio.Event(), asyncio.Event()
        waiter: asyncio.Task[int] | None = None

        async def hold() -> None:
            async with db.connection():
                held.set()
                await release.wait()
            assert waiter is not None
            waiter.cancel()  # same step as the hand-over: no await in between

        holder = asyncio.create_task(hold())
        await held.wait()
        waiter = asyncio.create_task(db.execute(f"INSERT INTO {table} VALUES (1)"))
        while db.stats()["waiting"] < 1:
            await asyncio.sleep(0)  # let the waiter reach the queue (a yield, not a timer)
        release.set()
        await holder
        await asyncio.gather(waiter, return_exceptions=True)
        assert waiter.cancelled()
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0
        stats = db.stats()
        assert (stats["in_use"], stats["waiting"], stats["idle"]) == (0, 0, 1)


async def test_cancel_during_the_health_check_ping(url: str) -> None:
    """A connection being pinged before reuse belongs to the pool: cancelling the task that
    asked for it closes it (its state is unknown) instead of losing it with its socket open."""
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        (conn,) = db._pool.idle_connections()
        conn.last_used = float("-inf")  # idle past the health-check interval: pinged first
        pinging = asyncio.Event()
        real = conn.ping

        async def ping() -> None:
            pinging.set()
            await asyncio.Event().wait()  # never answers: the caller is cancelled meanwhile

        conn.ping = ping
        victim = asyncio.create_task(db.fetch_val("SELECT 1"))
        await pinging.wait()
        victim.cancel()
        with pytest.raises(asyncio.CancelledError):
            await victim
        conn.ping = real
        lost = not conn.is_closed() and conn not in db._pool.idle_connections()
        if lost:
            conn.terminate()
        assert not lost
        stats = db.stats()
        assert stats["size"] == stats["idle"] + stats["in_use"], stats
        assert await db.fetch_val("SELECT 1") == 1


# -- a commit whose outcome is unknown -------------------------------------------------------------


async def test_connection_lost_after_commit_is_commit_unknown(url: str, table: str, q: Any) -> None:
    """The COMMIT reached the server, the reply did not reach us: the application is told
    the outcome is unknown (it did commit here), never a plain ConnectionError ("did not")."""
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        (conn,) = db._pool.idle_connections()
        real = conn._simple

        async def lose_the_reply(sql: str) -> None:
            await real(sql)
            if sql == "COMMIT":
                raise errors.ConnectionError("connection lost (simulated) after COMMIT")

        conn._simple = lose_the_reply
        with pytest.raises(errors.CommitUnknownError) as info:
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
        assert isinstance(info.value, errors.TransactionError)
        assert isinstance(info.value.__cause__, errors.ConnectionError)
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 1  # it did commit


# -- MariaDB: an interrupted statement keeps its connection -------------------------------------


async def test_interrupted_statement_keeps_its_connection(dialect: str, url: str) -> None:
    """Cancelling a running statement stops it on the server (KILL QUERY through one control
    connection) and reuses the connection: no reconnect, one control connection in all."""
    if dialect != "mysql":
        pytest.skip("the KILL QUERY path is MariaDB/MySQL's (asyncpg cancels by itself)")
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        started = asyncio.Event()
        db.add_hook(before=lambda event: started.set() if "SLEEP" in event.sql else None)
        for round_ in range(3):
            started.clear()
            victim = asyncio.create_task(db.fetch_val(f"SELECT {round_}, SLEEP(30)"))
            await started.wait()
            await asyncio.sleep(0)  # let the statement reach the socket (a turn, not a wait)
            victim.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(victim, HANG_GUARD)
            assert await db.fetch_one("SELECT 7, CONNECTION_ID()") is not None
            assert await db.fetch_val("SELECT 8") == 8  # no stale result from the SLEEP
        stats = db.stats()
        assert stats["opened"] == 1 and stats["discarded"] == 0, stats
        assert stats["control_connects"] == 1, stats
        assert stats["interrupted"] == 3 and stats["recovered"] == 3, stats


# -- SQLite: a cancelled call does not wait out the busy timeout ---------------------------------


@pytest.mark.parametrize("where", ["statement", "begin"])
async def test_sqlite_cancel_while_waiting_for_a_lock(tmp_path: Path, where: str) -> None:
    """The lock holder keeps its lock until the cancelled call has returned: the call returns
    without waiting for it (busy_timeout is an hour; the hang guard fails a waiting build)."""
    url = f"sqlite:///{tmp_path / 'lock.db'}?busy_timeout=3600"
    async with await ferrule.connect(url, max_size=3) as db:
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        holding, release = asyncio.Event(), asyncio.Event()
        started = asyncio.Event()

        async def holder() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1)")
                holding.set()
                await release.wait()

        async def victim() -> None:
            if where == "statement":
                await db.execute("INSERT INTO t VALUES (2)")
            else:
                async with db.transaction():
                    await db.execute("INSERT INTO t VALUES (3)")

        def hook(event: Any) -> None:
            if "VALUES (2)" in event.sql:
                started.set()

        db.add_hook(before=hook)
        first = asyncio.create_task(holder())
        await holding.wait()
        offloaded = db.stats()["offloaded"]
        second = asyncio.create_task(victim())
        if where == "statement":
            await started.wait()  # the INSERT met the lock and went to a worker thread
        else:
            while db.stats()["offloaded"] == offloaded:  # BEGIN met the lock (counted)
                await asyncio.sleep(0)
        second.cancel()
        done, _ = await asyncio.wait([second], timeout=HANG_GUARD)
        returned_first = second in done and not release.is_set()
        release.set()
        await first
        if second not in done:
            await asyncio.gather(second, return_exceptions=True)
        assert returned_first, "the cancelled call waited for the lock holder"
        assert second.cancelled()
        assert await db.fetch_all("SELECT id FROM t") == [(1,)]
        await db.execute("INSERT INTO t VALUES (4)")  # every connection is usable again
        stats = db.stats()
        assert (stats["in_use"], stats["waiting"]) == (0, 0)


async def test_a_kill_that_arrives_before_the_statement_runs_is_sent_again(
    dialect: str, url: str
) -> None:
    """KILL QUERY can reach the server before the cancelled statement has started (it then
    stops nothing); recovery must not wait the statement out: it sends KILL QUERY again until
    the reply comes. The first KILL is swallowed here to make the race certain."""
    if dialect != "mysql":
        pytest.skip("the KILL QUERY path is MariaDB/MySQL's (asyncpg cancels by itself)")
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        control = db._backend._control  # type: ignore[attr-defined]
        real_kill = control.kill
        swallowed = [0]

        async def early_kill(thread_id: int, query_only: bool, *more: Any) -> bool:
            if swallowed[0] == 0:
                swallowed[0] += 1
                return True  # as if it had come before the statement started
            return bool(await real_kill(thread_id, query_only, *more))

        control.kill = early_kill
        started = asyncio.Event()
        db.add_hook(before=lambda event: started.set() if "SLEEP" in event.sql else None)
        victim = asyncio.create_task(db.fetch_val("SELECT SLEEP(30)"))
        await started.wait()
        await asyncio.sleep(0)
        victim.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(victim, HANG_GUARD)
        assert await asyncio.wait_for(db.fetch_val("SELECT 8"), 10) == 8
        assert swallowed[0] == 1
        assert db.stats()["discarded"] == 0
