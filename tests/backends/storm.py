"""Restart and cancellation storms: many tasks, a small pool, a failing world; outcomes counted.

Every task runs transfers, ``{UPDATE acct SET n = n + 1; INSERT INTO log (tx, acct)}`` in one
transaction, and records how each ended: acknowledged (the block exited normally),
``CommitUnknownError`` (the connection was lost after COMMIT was sent), another error (counted
by class), or cancelled. Afterwards the database is read back and compared with what the
application was told:

* ``lost``: acknowledged transactions whose row is not in ``log``;
* ``partial``: per account, ``|n - rows in log|`` summed (an UPDATE kept without its INSERT or
  the reverse);
* ``phantom``: transactions reported failed (not as ``CommitUnknownError``) that committed;
* ``foreign``: errors that are not ``FerruleError`` (driver exceptions leaking out);
* ``stale``: a query answered with another query's result (each asks for its own marker);
* ``leaked_sessions`` / ``idle_in_transaction``: server sessions left after ``db.close()`` /
  sessions holding a transaction open once the storm is over;
* ``max_loop_lag``: the longest the event loop failed to run a 5 ms heartbeat on time;
* ``first_success``: seconds from "the server accepts logins again" to the next commit.

``outage`` measures the breaker alone: one task retrying in a tight loop while the server is
down, then the loop lag it caused and its time to first success once the server is back.

``tests/backends/test_storms.py`` runs a short tier and asserts the counts; ``soak.py`` (``make
soak``) runs the same storms longer and prints the figures.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import random
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import ferrule
from ferrule import errors

from .conftest import native
from .servers import PrivateServer

ACCOUNTS = 20


@dataclass
class Figures:
    """What a storm did and what the database says happened."""

    dialect: str
    kind: str
    restarts: int = 0
    attempted: int = 0
    acknowledged: int = 0
    unknown: int = 0
    cancelled: int = 0
    lost: int = 0
    partial: int = 0
    phantom: int = 0
    stale: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    foreign: collections.Counter[str] = field(default_factory=collections.Counter)
    leaked_sessions: int = 0
    connects: int = -1  # sessions the server opened during the storm (-1: not counted)
    discarded: int = 0  # pool connections closed instead of reused
    idle_in_transaction: int = 0
    pool_full: bool | None = None  # None: not measured
    max_loop_lag: float = 0.0
    first_success: list[float] = field(default_factory=list)
    deadlines: tuple[float, float] | None = None  # ms, for the cancellation storm

    def report(self) -> str:
        errs = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        foreign = ", ".join(f"{k} {v}" for k, v in sorted(self.foreign.items())) or "none"
        firsts = ", ".join(f"{s * 1000:.0f} ms" for s in self.first_success) or "-"
        low, high = self.deadlines or (0.0, 0.0)
        deadlines = f" deadlines {low:g}-{high:g} ms" if self.deadlines else ""
        return (
            f"{self.kind} storm on {self.dialect}{deadlines}: restarts {self.restarts}, "
            f"transactions {self.attempted}, acknowledged {self.acknowledged}, "
            f"commit unknown {self.unknown}, cancelled {self.cancelled}, lost {self.lost}, "
            f"partial {self.partial}, phantom {self.phantom}, stale {self.stale}, "
            f"leaked sessions {self.leaked_sessions}, server connects {self.connects}, "
            f"connections discarded {self.discarded}, "
            f"idle in transaction "
            f"{self.idle_in_transaction}, pool back to full "
            f"{'-' if self.pool_full is None else self.pool_full}, "
            f"max loop lag {self.max_loop_lag * 1000:.1f} ms, time to first success after "
            f"restart [{firsts}]; errors: {errs}; non-ferrule errors: {foreign}"
        )


class LagMonitor:
    """A 5 ms heartbeat; records how late the loop ran it (a stalled loop shows up here)."""

    PERIOD = 0.005

    def __init__(self) -> None:
        self.max_lag = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(self.PERIOD)
            self.max_lag = max(self.max_lag, loop.time() - start - self.PERIOD)
            self.ticks += 1

    def __enter__(self) -> LagMonitor:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


class Ledger:
    """The tables of a storm and the outcome of every transaction."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        tag = uuid.uuid4().hex[:8]
        self.acct, self.log = f"storm_acct_{tag}", f"storm_log_{tag}"
        self.ids = itertools.count(1)
        self.acknowledged: set[int] = set()
        self.unknown: set[int] = set()
        self.failed: set[int] = set()
        self.figures = Figures(dialect, "")
        self.committed = asyncio.Event()  # set on each acknowledged commit
        # What went wrong since the last acknowledged commit (for a storm that stalls).
        self.since_commit: collections.Counter[str] = collections.Counter()
        self.last_error = ""
        self.last_commit = asyncio.get_running_loop().time()

    def q(self, sql: str) -> str:
        return native(self.dialect, sql)

    async def create(self, db: ferrule.Database) -> None:
        await db.execute(f"CREATE TABLE {self.acct} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        await db.execute(f"CREATE TABLE {self.log} (tx INTEGER PRIMARY KEY, acct INTEGER NOT NULL)")
        await db.execute_many(
            self.q(f"INSERT INTO {self.acct} (id, n) VALUES (?, ?)"),
            [(i, 0) for i in range(ACCOUNTS)],
        )

    async def drop(self, db: ferrule.Database) -> None:
        for name in (self.acct, self.log):
            await db.execute(f"DROP TABLE IF EXISTS {name}")

    async def transfer(self, db: ferrule.Database) -> None:
        """One transaction; its outcome is recorded, ``CancelledError`` propagates."""
        tx, account = next(self.ids), random.randrange(ACCOUNTS)
        self.figures.attempted += 1
        try:
            await self.work(db, tx, account)
        except errors.CommitUnknownError as exc:
            self.unknown.add(tx)
            self.figures.errors["CommitUnknownError"] += 1
            self._went_wrong(exc)
        except errors.FerruleError as exc:
            self.failed.add(tx)
            self.figures.errors[type(exc).__name__] += 1
            self._went_wrong(exc)
        except (asyncio.CancelledError, TimeoutError, asyncio.TimeoutError):
            self.figures.cancelled += 1
            raise
        except Exception as exc:
            self.failed.add(tx)
            self.figures.foreign[type(exc).__name__] += 1
            self._went_wrong(exc)
        else:
            self.acknowledged.add(tx)
            self.since_commit.clear()
            self.last_commit = asyncio.get_running_loop().time()
            self.committed.set()

    async def work(self, db: ferrule.Database, tx: int, account: int) -> None:
        """The transfer itself: both statements in one transaction."""
        async with db.transaction():
            await db.execute(self.q(f"UPDATE {self.acct} SET n = n + 1 WHERE id = ?"), (account,))
            await db.execute(
                self.q(f"INSERT INTO {self.log} (tx, acct) VALUES (?, ?)"), (tx, account)
            )

    def _went_wrong(self, exc: BaseException) -> None:
        self.since_commit[type(exc).__name__] += 1
        self.last_error = f"{type(exc).__name__}: {exc}"

    async def verify(self, db: ferrule.Database) -> Figures:
        """Read the tables back and fill in lost, partial and phantom. Both tables are read in
        one snapshot: a session the storm gave up on may still be finishing its COMMIT on the
        server, and one committed between two separate reads would count as partial."""
        figures = self.figures
        async with db.transaction("repeatable_read", readonly=True):
            rows = await db.fetch_all(f"SELECT tx, acct FROM {self.log}")
            accounts = await db.fetch_all(f"SELECT id, n FROM {self.acct}")
        logged = {row[0]: row[1] for row in rows}
        per_account = collections.Counter(logged.values())
        for account, n in accounts:
            figures.partial += abs(n - per_account.get(account, 0))
        figures.acknowledged = len(self.acknowledged)
        figures.unknown = len(self.unknown)
        figures.lost = len(self.acknowledged - logged.keys())
        figures.phantom = len(self.failed & logged.keys())
        return figures


# -- server sessions ------------------------------------------------------------------------------

_SESSIONS = {
    "postgres": "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
    " AND pid <> pg_backend_pid()",
    "mysql": "SELECT COUNT(*) FROM information_schema.processlist"
    " WHERE id <> CONNECTION_ID() AND user = 'root'",
}
_IDLE_IN_TRANSACTION = {
    "postgres": "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"
    " AND pid <> pg_backend_pid()",
    "mysql": "SELECT COUNT(*) FROM information_schema.innodb_trx"
    " WHERE trx_mysql_thread_id <> CONNECTION_ID()",
}


_CONNECTS = {
    "postgres": "SELECT sum(sessions) FROM pg_stat_database",
    "mysql": "SELECT VARIABLE_VALUE FROM information_schema.global_status"
    " WHERE VARIABLE_NAME = 'CONNECTIONS'",
}


async def connects(admin: ferrule.Database) -> int:
    """Sessions the server has opened since it started (PostgreSQL counts only ended ones)."""
    return int(await admin.fetch_val(_CONNECTS[admin.dialect]))


async def sessions(admin: ferrule.Database) -> int:
    """Client sessions on a private server, other than ``admin``'s own."""
    return int(await admin.fetch_val(_SESSIONS[admin.dialect]))


async def settle_sessions(admin: ferrule.Database, baseline: int) -> int:
    """Sessions above ``baseline`` once closed sockets have been noticed by the server."""
    extra = await sessions(admin) - baseline
    for _ in range(200):  # the server ends a session shortly after its socket closes
        if extra <= 0:
            break
        await asyncio.sleep(0.01)  # polling the server's catalog: nothing to await
        extra = await sessions(admin) - baseline
    return max(extra, 0)


async def pool_back_to_full(db: ferrule.Database, size: int) -> bool:
    """All ``size`` connections can be held at once, and each answers."""
    stats = db.stats()
    if stats["in_use"] or stats["waiting"]:
        return False
    held = [db.connection() for _ in range(size)]
    try:
        for block in held:
            await block.__aenter__()
        answers = [await block.fetch_val("SELECT 1") for block in held]
    finally:
        for block in held:
            with contextlib.suppress(errors.InterfaceError):
                await block.__aexit__(None, None, None)
    return answers == [1] * size


# -- the restart storm ----------------------------------------------------------------------------


async def restart_storm(
    server: PrivateServer,
    *,
    tasks: int = 200,
    pool: int = 5,
    events: tuple[str, ...] = ("restart", "crash"),
    commits_between: int = 40,
    guard: float = 120.0,
    ledger: Ledger | None = None,
) -> Figures:
    """``tasks`` tasks transfer on a pool of ``pool`` while the server is restarted (``"restart"``)
    or crash-stopped and started again (``"crash"``), once per event, ``commits_between``
    acknowledged commits apart (through ``ledger``'s ``work``: SQL of the database layer by
    default)."""
    ledger = ledger if ledger is not None else Ledger(server.dialect)
    ledger.figures.kind = "restart"
    loop = asyncio.get_running_loop()
    async with await ferrule.connect(server.url, min_size=1, max_size=1) as setup:
        await ledger.create(setup)
    stop = asyncio.Event()
    db = await ferrule.connect(server.url, min_size=1, max_size=pool, acquire_timeout=30)

    async def worker() -> None:
        while not stop.is_set():
            before = len(ledger.failed) + len(ledger.unknown)
            await ledger.transfer(db)
            if len(ledger.failed) + len(ledger.unknown) > before:
                await asyncio.sleep(0.005)  # pacing after a failure, not a synchronisation

    async def commits(count: int) -> None:
        target = len(ledger.acknowledged) + count
        while len(ledger.acknowledged) < target:
            ledger.committed.clear()
            await ledger.committed.wait()

    async def control() -> None:
        for event in events:
            await commits(commits_between)
            await server.restart(crash=event == "crash")
            back = loop.time()
            await commits(1)
            ledger.figures.first_success.append(loop.time() - back)
        await commits(commits_between)
        stop.set()

    try:
        with LagMonitor() as lag:
            workers = [loop.create_task(worker()) for _ in range(tasks)]
            try:
                await asyncio.wait_for(control(), guard)
            except (TimeoutError, asyncio.TimeoutError):
                # Say where it stood: a slow storm and a stalled one differ in when the last
                # commit was; a stuck pool, a server that never came back and workers that
                # died differ in what failed since then, the pool, the breaker, the workers.
                raise AssertionError(
                    f"restart storm on {server.dialect} did not finish within {guard}s: "
                    f"{len(ledger.acknowledged)} acknowledged (the last "
                    f"{loop.time() - ledger.last_commit:.1f}s ago), {len(ledger.failed)} "
                    f"failed, {len(ledger.unknown)} unknown, "
                    f"{len(ledger.figures.first_success)} of {len(events)} restarts recovered; "
                    f"since the last commit: {_counts(ledger.since_commit)}, the last error "
                    f"{ledger.last_error or '-'}; {_workers(workers)}; pool {db.stats()}; "
                    f"{_breaker(db)}; server accepting: {await _accepting(server)}"
                ) from None
            finally:
                stop.set()
                await asyncio.gather(*workers, return_exceptions=True)
        ledger.figures.max_loop_lag = lag.max_lag
        ledger.figures.restarts = len(events)
        ledger.figures.pool_full = await pool_back_to_full(db, pool)
    finally:
        await db.close()
    async with await ferrule.connect(server.url, min_size=1, max_size=1) as check:
        figures = await ledger.verify(check)
        figures.idle_in_transaction = int(
            await check.fetch_val(_IDLE_IN_TRANSACTION[check.dialect])
        )
        await ledger.drop(check)
    return figures


def _counts(counter: collections.Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counter.most_common()) or "nothing failed"


def _workers(workers: list[asyncio.Task[None]]) -> str:
    """How many workers still run, and how the first that ended did (it should not have)."""
    ended = [task for task in workers if task.done()]
    text = f"workers running {len(workers) - len(ended)} of {len(workers)}"
    if ended:
        first = ended[0]
        how = "cancelled" if first.cancelled() else repr(first.exception())
        text += f" (one ended: {how})"
    return text


def _breaker(db: ferrule.Database) -> str:
    breaker = db._pool.breaker
    return (
        f"breaker {breaker.failures} failures in a row, probe in flight {breaker.probing}, "
        f"next probe in {max(breaker.retry_at - time.monotonic(), 0.0):.2f}s"
    )


async def _accepting(server: PrivateServer) -> str:
    """Whether a fresh connection (no pool, no breaker) gets an answer from the server now."""
    try:
        async with await ferrule.connect(server.url, min_size=1, max_size=1) as probe:
            return f"yes ({await probe.fetch_val('SELECT 1')})"
    except Exception as exc:
        try:
            lines = server.log.read_text(errors="replace").splitlines()[-3:]
        except OSError as error:
            lines = [f"no log: {error}"]
        return f"no ({type(exc).__name__}: {exc}); its log ends: {' | '.join(lines)}"


# -- the cancellation storm -----------------------------------------------------------------------

_MARKER_SQL = {
    "postgres": "SELECT $1::bigint, pg_sleep($2)",
    "mysql": "SELECT %s, SLEEP(%s)",
    # 0 or 2,000,000 rows: the long one leaves the loop thread for a worker (after LOOP_BUDGET),
    # where a deadline can interrupt it; everything else runs on the loop and is never cut short
    "sqlite": "SELECT ?, (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
    " WHERE x < ? * 1000000000) SELECT COUNT(*) FROM c)",
}


async def cancel_storm(
    url: str,
    dialect: str,
    *,
    tasks: int = 200,
    pool: int = 5,
    rounds: int = 3,
    deadlines: tuple[float, float] = (0.001, 0.03),
    admin_url: str | None = None,
    unhurried: int = 0,
) -> Figures:
    """``tasks`` tasks each run ``rounds`` operations (a transfer, or a query that must return its
    own marker), every one under a random deadline from ``deadlines`` (seconds). ``unhurried``
    more tasks each run one transfer with no deadline, among the others: however slow the
    machine, some commits then happen during the storm (a count, not a time)."""
    ledger = Ledger(dialect)
    figures = ledger.figures
    figures.kind = "cancellation"
    figures.deadlines = (deadlines[0] * 1000, deadlines[1] * 1000)
    admin = await ferrule.connect(admin_url, min_size=1, max_size=1) if admin_url else None
    markers = itertools.count(1)
    try:
        async with await ferrule.connect(url, min_size=1, max_size=1) as setup:
            await ledger.create(setup)
        baseline = await sessions(admin) if admin is not None else 0
        connects_before = await connects(admin) if admin is not None else 0
        db = await ferrule.connect(url, min_size=1, max_size=pool, acquire_timeout=60)

        async def marker() -> None:
            mark = next(markers)
            row = await db.fetch_one(_MARKER_SQL[dialect], (mark, random.choice((0, 0.002))))
            if row is None or row[0] != mark:
                figures.stale += 1

        async def operation(op: Callable[[], Awaitable[None]], hurried: bool = True) -> None:
            try:
                await asyncio.wait_for(op(), random.uniform(*deadlines) if hurried else None)
            except (TimeoutError, asyncio.TimeoutError):
                pass
            except errors.FerruleError as exc:  # transfer() records its own; this is marker()
                figures.errors[type(exc).__name__] += 1
            except Exception as exc:
                figures.foreign[type(exc).__name__] += 1

        async def worker() -> None:
            for _ in range(rounds):
                if random.random() < 0.5:
                    await operation(lambda: ledger.transfer(db))
                else:
                    await operation(marker)

        async def unhurried_worker() -> None:
            await operation(lambda: ledger.transfer(db), hurried=False)

        try:
            with LagMonitor() as lag:
                await asyncio.gather(
                    *(worker() for _ in range(tasks)),
                    *(unhurried_worker() for _ in range(unhurried)),
                )
            figures.max_loop_lag = lag.max_lag
            figures.discarded = db.stats()["discarded"]
            figures.pool_full = await pool_back_to_full(db, pool)
            figures.idle_in_transaction = sum(c.in_transaction for c in db._pool.idle_connections())
            if admin is not None:
                figures.idle_in_transaction += int(
                    await admin.fetch_val(_IDLE_IN_TRANSACTION[dialect])
                )
        finally:
            await db.close()
        if admin is not None:
            figures.leaked_sessions = await settle_sessions(admin, baseline)
            figures.connects = await connects(admin) - connects_before
        else:
            figures.leaked_sessions = db.stats()["size"]
        async with await ferrule.connect(url, min_size=1, max_size=1) as check:
            await ledger.verify(check)
            await ledger.drop(check)
    finally:
        if admin is not None:
            await admin.close()
    return figures


# -- an outage with a task retrying in a tight loop ----------------------------------------------


async def outage(server: PrivateServer, *, failures: int = 2000) -> Figures:
    """Crash the server; one task retries ``SELECT 1`` in a tight loop (no pause) until it has
    failed ``failures`` times, then the server starts again: the loop lag the retrying task
    caused and the time from "accepts logins" to its first success."""
    figures = Figures(server.dialect, "outage")
    loop = asyncio.get_running_loop()
    async with await ferrule.connect(server.url, min_size=1, max_size=2) as db:
        await db.fetch_val("SELECT 1")
        await server.stop(crash=True)
        back: list[float] = []
        restarted = loop.create_future()

        async def retry() -> None:
            while True:
                try:
                    await db.fetch_val("SELECT 1")
                except errors.FerruleError as exc:
                    figures.errors[type(exc).__name__] += 1
                    if sum(figures.errors.values()) == failures:
                        restarted.set_result(None)
                    continue
                if back:
                    figures.first_success.append(loop.time() - back[0])
                    return

        with LagMonitor() as lag:
            task = loop.create_task(retry())
            await restarted
            await server.start()
            back.append(loop.time())
            await asyncio.wait_for(task, 60)
        figures.max_loop_lag = lag.max_lag
        figures.restarts = 1
    return figures


def sqlite_unlocked(path: str) -> bool:
    """Whether no connection holds a lock on the SQLite file (an exclusive lock is free)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def run(coro: Awaitable[Any]) -> Any:
    """``asyncio.run`` for a plain awaitable (the soak script's entry point)."""

    async def main() -> Any:
        return await coro

    return asyncio.run(main())
