"""Cancellation at every await point of a transaction, and commits whose outcome is unknown.

The promise under test: a block that reports success is committed; a block that raised a
ferrule error other than ``CommitUnknownError`` committed nothing; a cancelled block is all or
nothing, and ``tx.committed`` says which; never a partial transaction; the pool is full again
and no connection sits idle in a transaction afterwards. Outcomes are counted, not timed: the
cancelling task yields ``n`` loop iterations before it cancels, for n = 0, 1, 2, ... until the
block finishes first several times in a row, so every await point gets its cancellation.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest

import ferrule

from . import stepping
from .conftest import requires

Q = Callable[[str], str]


def _tagged(url: str, dialect: str) -> tuple[str, str]:
    """The URL with an application name (PostgreSQL) to find our sessions by."""
    tag = f"ferrule_cancel_{uuid.uuid4().hex[:8]}"
    if dialect == "postgres":
        return f"{url}?application_name={tag}", tag
    return url, tag


async def idle_in_transaction(
    db: ferrule.backends.Database, dialect: str, tag: str, observer: ferrule.backends.Database
) -> int:
    """Connections of ``db`` inside a transaction while nobody uses them, as the server sees it.

    MariaDB: each idle connection's own session is asked (``@@in_transaction``), not
    ``information_schema.innodb_trx``: InnoDB serves that table from a copy it refreshes only
    when nobody on the server has read it for 0.1 s, so a read right after another one (this
    check's previous run, another test's) shows a transaction that has ended, or none for one
    that is open (``test_the_idle_in_transaction_check_answers_the_present``)."""
    if dialect == "postgres":
        count: int = await observer.fetch_val(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
            (tag,),
        )
        return count
    idle = db._pool.idle_connections()
    if dialect == "mysql":
        return sum([await _session_in_transaction(conn) for conn in idle])
    return sum(conn.in_transaction for conn in idle)


async def _session_in_transaction(conn: Any) -> bool:
    """Whether the MariaDB session of the idle pooled ``conn`` has a transaction open, asked
    through the driver (no ferrule operation, which a test may be trapping). A connection
    idle with a statement unfinished is not clean either: it counts, unasked."""
    if conn._interrupted or conn._busy:
        return True
    async with conn._raw.cursor() as cursor:
        await cursor.execute("SELECT @@in_transaction")
        row = await cursor.fetchone()
    return bool(row[0])


async def test_the_idle_in_transaction_check_answers_the_present(
    url: str, dialect: str, table: str, q: Q
) -> None:
    """The check the cancellation matrices run after every case, read twice in a row as they
    read it: it sees a transaction opened on an idle connection, and no longer sees it once
    rolled back. (On MariaDB, ``information_schema.innodb_trx`` answered the first read's
    copy: no transaction, then the one rolled back; the matrices failed now and then.)"""
    url, tag = _tagged(url, dialect)
    async with (
        await ferrule.connect(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        assert await idle_in_transaction(db, dialect, tag, observer) == 0
        (conn,) = db._pool.idle_connections()  # opened on the idle connection, as a leak would be
        await conn.begin(None, False)
        await conn.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
        assert await idle_in_transaction(db, dialect, tag, observer) == 1
        await conn.rollback()
        assert await idle_in_transaction(db, dialect, tag, observer) == 0
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 0


async def test_cancelled_begin_never_loses_the_next_commit(url: str, table: str, q: Q) -> None:
    """Pool of one: a cancelled ``BEGIN`` must not turn the next transaction into a savepoint."""
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        insert = q(f"INSERT INTO {table} VALUES (?)")
        lost = []
        for i in range(30):

            async def victim(i: int = i) -> None:
                async with db.transaction():
                    await db.execute(insert, (1000 + i,))

            task = asyncio.create_task(victim())
            for _ in range(i % 3):
                await asyncio.sleep(0)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):  # (SQLite may finish first)
                await task
            async with db.transaction():  # reports success...
                await db.execute(insert, (i,))
            if not await db.fetch_val(q(f"SELECT COUNT(*) FROM {table} WHERE id = ?"), (i,)):
                lost.append(i)  # ...so it must be committed
        assert lost == []
        assert db.stats()["in_use"] == 0


# The connection operations a block awaits; "in_flight" cancels the block's task while the
# N-th of them is on its way to the server (the cancel fires on the next loop iteration, after
# the request was written), for every N.
OPERATIONS = (
    "begin",
    "commit",
    "rollback",
    "savepoint",
    "release_savepoint",
    "rollback_to_savepoint",
    "execute",
)


class _Trap:
    """Cancels ``victim`` when the ``target``-th operation of a task other than ``main`` starts."""

    def __init__(self, main: asyncio.Task[Any] | None) -> None:
        self.main = main
        self.victim: asyncio.Task[Any] | None = None
        self.target = 0
        self.calls = 0

    def install(self, monkeypatch: pytest.MonkeyPatch, conn_class: type) -> None:
        for name in OPERATIONS:
            real = getattr(conn_class, name)

            async def trapped(conn: Any, *args: Any, _real: Any = real) -> Any:
                if asyncio.current_task() is not self.main and self.victim is not None:
                    self.calls += 1
                    if self.calls == self.target:
                        asyncio.get_running_loop().call_soon(self.victim.cancel)
                return await _real(conn, *args)

            monkeypatch.setattr(conn_class, name, trapped)


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["transaction", "session", "nested", "child"])
async def test_cancel_at_every_await_point(
    url: str, dialect: str, table: str, q: Q, shape: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, tag = _tagged(url, dialect)
    async with (
        await ferrule.connect(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER)")
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (0, 0))
        bump = f"UPDATE {table} SET n = n + 1 WHERE id = 0"
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        trap = _Trap(asyncio.current_task())
        if how == "in_flight":
            requires(db, "server")  # SQLite statements run on the loop: none is ever in flight
            trap.install(monkeypatch, type(db._pool.idle_connections()[0]))

        async def body(k: int) -> None:
            await db.execute(bump)
            if shape == "child":
                await asyncio.create_task(db.execute(insert, (k, k)))
            else:
                await db.execute(insert, (k, k))

        async def work(k: int, tx: ferrule.backends.Transaction) -> None:
            if shape == "session":
                async with db.connection(), tx:
                    await body(k)
            elif shape == "nested":
                async with tx, db.transaction():
                    await body(k)
            else:
                async with tx:
                    await body(k)

        outcomes: collections.Counter[str] = collections.Counter()
        committed = 0
        finished_first = 0
        k = 0
        for n in range(5000):
            k += 1
            tx = db.transaction()
            task, steps = stepping.start(work(k, tx))
            if how == "loop":
                await stepping.cancel_at(task, steps, n)
            else:
                trap.victim, trap.target, trap.calls = task, n + 1, 0
            outcome = "ok"
            try:
                await task
            except asyncio.CancelledError:
                outcome = "cancelled"
            except ferrule.CommitUnknownError:
                outcome = "unknown"
            except ferrule.FerruleError:
                outcome = "error"
            trap.victim = None
            outcomes[outcome] += 1
            # the next transaction on the same (only) connection reports success: committed
            k += 1
            async with db.transaction():
                await db.execute(insert, (k, -1))
            assert await db.fetch_val(q(f"SELECT COUNT(*) FROM {table} WHERE id = ?"), (k,)) == 1
            present = await db.fetch_val(q(f"SELECT COUNT(*) FROM {table} WHERE id = ?"), (k - 1,))
            counter = await db.fetch_val(f"SELECT n FROM {table} WHERE id = 0")
            assert counter - committed == present, "a partial transaction"  # both or neither
            committed = counter
            if outcome == "ok":
                assert present == 1 and tx.committed, "reported success but not committed"
            elif outcome == "error":
                assert present == 0 and not tx.committed, "an error, yet committed"
            elif outcome == "cancelled":
                assert present == int(tx.committed)
                if tx.committed:
                    outcomes["cancelled during COMMIT, committed"] += 1
            assert db.stats()["in_use"] == 0
            assert await idle_in_transaction(db, dialect, tag, observer) == 0
            if how == "in_flight" and trap.calls < trap.target:
                break  # the block ran all its operations before the target: all were covered
            finished_first = finished_first + 1 if outcome == "ok" else 0
            if finished_first == 5:
                break
        print(f"cancel at every await point ({how}), {dialect} {shape}: {dict(outcomes)}")
        assert outcome == "ok", outcomes
        assert outcomes["cancelled"] > 0 and outcomes["unknown"] == 0, outcomes


async def _lose_connection(tx: ferrule.backends.Transaction, after_sending: bool) -> None:
    """Cut the connection now, or just after the block's COMMIT has been written."""
    conn = tx.connection
    if not after_sending:
        conn.terminate()
        return
    commit = conn.commit

    async def lossy_commit() -> None:
        # the driver writes COMMIT before its first suspension: cut the connection right after
        asyncio.get_running_loop().call_soon(conn.terminate)
        await commit()

    conn.commit = lossy_commit  # type: ignore[method-assign]


@pytest.mark.parametrize("after_sending", [True, False], ids=["after_commit_sent", "before"])
async def test_lost_connection_at_commit(url: str, table: str, q: Q, after_sending: bool) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=2) as db:
        requires(db, "server")
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        with pytest.raises(ferrule.TransactionError) as info:
            async with db.transaction() as tx:
                await db.execute(q(f"INSERT INTO {table} VALUES (?)"), (1,))
                await _lose_connection(tx, after_sending)
        present = await db.fetch_val(f"SELECT COUNT(*) FROM {table}")
        if after_sending:
            # COMMIT went out, the reply never came: only the server knows
            assert isinstance(info.value, ferrule.CommitUnknownError)
            assert present in (0, 1)
        else:
            # nothing was sent: the server rolled back when the connection went
            assert not isinstance(info.value, ferrule.CommitUnknownError)
            assert present == 0
        if after_sending:
            assert info.value.__cause__ is not None  # the driver's error
        assert tx.committed is (None if after_sending else False)
        assert db.stats()["in_use"] == 0


async def test_swallowed_statement_error_is_not_reported_as_committed(
    url: str, table: str, q: Q
) -> None:
    """PostgreSQL aborts the whole transaction on an error, and answers COMMIT with ROLLBACK."""
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        insert = q(f"INSERT INTO {table} VALUES (?)")
        outcome: Any = "ok"
        try:
            async with db.transaction() as tx:
                await db.execute(insert, (1,))
                with pytest.raises(ferrule.IntegrityError):
                    await db.execute(insert, (1,))
        except ferrule.TransactionError as exc:
            outcome = exc
        present = await db.fetch_val(f"SELECT COUNT(*) FROM {table}")
        if outcome == "ok":
            assert present == 1 and tx.committed
        else:
            assert present == 0 and not tx.committed
            assert not isinstance(outcome, ferrule.CommitUnknownError)
