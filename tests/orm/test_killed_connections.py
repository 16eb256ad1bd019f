"""ORM writes whose connection the server kills as they run (``pg_terminate_backend`` of the
pool's backend, MariaDB's ``KILL CONNECTION`` of its thread, sent from an admin connection):
killed before the k-th connection operation of the write, for every k. The write raises a
typed ferrule error (``ConnectionError``; ``CommitUnknownError`` when the answer to ``COMMIT``
is what was lost) or, when no statement of it had reached the dead connection, may succeed
on a fresh one; either way nothing partial is written, and the next ORM write works."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import ferrule

from .conftest import opened
from .models import Author
from .test_write_cancellation import OPERATIONS
from .write_cases import WRITES, Given, Receivers, given, reset, state

GONE_WITHIN = 10_000  # polls of the server's session list; only reached when a kill is lost


class KillTrap:
    """Has the server kill the victim task's connection as its ``target``-th connection
    operation is about to start (the operation then meets a dead connection)."""

    def __init__(self, admin: Any, dialect: str, racing: bool) -> None:
        self.admin = admin
        self.dialect = dialect
        self.racing = racing
        self.killing: asyncio.Task[None] | None = None
        self.victim: asyncio.Task[Any] | None = None
        self.target = 0
        self.calls = 0

    def install(self, monkeypatch: pytest.MonkeyPatch, conn_class: type) -> None:
        for name in OPERATIONS:
            if not hasattr(conn_class, name):
                continue
            real = getattr(conn_class, name)

            async def trapped(conn: Any, *args: Any, _real: Any = real) -> Any:
                if self.victim is not None and asyncio.current_task() is self.victim:
                    self.calls += 1
                    if self.calls == self.target and self.racing:  # as it runs
                        self.killing = asyncio.ensure_future(self.kill(conn))
                        await asyncio.sleep(0)  # (the kill is on its way first)
                    elif self.calls == self.target:
                        await self.kill(conn)
                return await _real(conn, *args)

            monkeypatch.setattr(conn_class, name, trapped)

    async def kill(self, conn: Any) -> None:
        """Kill ``conn``'s session from the admin connection and wait until it is gone."""
        if self.dialect == "postgres":
            pid = conn._raw.get_server_pid()
            await self.admin.execute("SELECT pg_terminate_backend($1)", (pid,))
            alive = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1"
        else:
            pid = conn._raw.thread_id()
            await self.admin.execute(f"KILL CONNECTION {int(pid)}")
            alive = "SELECT COUNT(*) FROM information_schema.processlist WHERE id = %s"
        for _ in range(GONE_WITHIN):
            if not await self.admin.fetch_val(alive, (pid,)):
                return
            await asyncio.sleep(0.001)
        raise AssertionError(f"session {pid} outlived its kill")


async def _killed_everywhere(
    db: Any, trap: KillTrap, write: Callable[[Given], Awaitable[Any]], lone: bool
) -> collections.Counter[str]:
    """``lone``: the write is one statement outside any transaction (then a kill racing it
    may cost the reply of a statement the server ran: ``ConnectionError``, yet written)."""
    await reset()
    before = await state()
    await write(await given())  # the reference run: what the write leaves
    after = await state()
    await reset()
    outcomes: collections.Counter[str] = collections.Counter()
    for k in range(1, 200):
        made = await given()
        task = asyncio.ensure_future(write(made))
        trap.victim, trap.target, trap.calls = task, k, 0
        try:
            await task
            outcome = "ok"
        except (ferrule.ConnectionError, ferrule.TransactionError) as error:
            outcome = type(error).__name__  # (CommitUnknownError is a TransactionError)
        finally:
            trap.victim = None
            if trap.killing is not None:
                await trap.killing
                trap.killing = None
        killed = trap.calls >= k
        outcomes[outcome if killed else "untouched"] += 1
        assert db.stats()["in_use"] == 0
        now = await state()  # the next ORM operations work: this read, and reset's writes
        assert now in (before, after), f"a part of the write, killed at operation {k}"
        if outcome == "ok":
            assert now == after
        elif not trap.racing or not (outcome == "CommitUnknownError" or lone):
            assert now == before, f"{outcome}, yet written: killed at operation {k}"
        if "tx" in made and outcome != "ok":
            assert not made["tx"].committed
        if now != before:
            await reset()
        if not killed:
            assert outcome == "ok"
            break
    assert outcomes["untouched"] == 1 and sum(outcomes.values()) > 1, outcomes
    return outcomes


#: (write, with post_save receivers, the kill racing the operation rather than before it)
CASES = [
    *((write, False, False) for write in WRITES),
    ("get_or_create_new", True, False),
    *(
        (write, receivers, True)
        for write, receivers in [
            ("create", False),
            ("bulk_create_copy", False),
            ("update_or_create_new", False),
            ("m2m_set", False),
            ("cascading_delete", False),
            ("block", True),
        ]
    ),
]
#: the writes of one statement outside any transaction (with no receivers)
LONE = frozenset({"create", "save_new", "save_changed", "m2m_clear", "cascading_delete"})


@pytest.mark.parametrize(("write", "receivers", "racing"), CASES)
async def test_a_write_whose_connection_is_killed_leaves_nothing_partial(
    url: str,
    dialect: str,
    write: str,
    receivers: bool,
    racing: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if dialect == "sqlite":
        pytest.skip("SQLite has no server to kill a connection")
    lone = write in LONE and not receivers
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as admin,
    ):
        trap = KillTrap(admin, dialect, racing)
        trap.install(monkeypatch, type(db._pool.idle_connections()[0]))
        if receivers:
            with Receivers():
                outcomes = await _killed_everywhere(db, trap, WRITES[write], lone)
        else:
            outcomes = await _killed_everywhere(db, trap, WRITES[write], lone)
        if not racing:  # a statement that met the dead connection failed, typed
            assert outcomes["ConnectionError"] >= 1, outcomes


async def test_an_idle_connection_the_server_ended_is_not_handed_out(
    dialect: str, url: str
) -> None:
    """PostgreSQL ends an idle pooled connection (``pg_terminate_backend``: its FATAL, then
    the end); the next ORM operation starts n loop turns later, n = 0, 1, ... Once the client
    has read the FATAL (its transport is closing: asyncpg says "closed" some turns later),
    the operation runs on a fresh connection and does not fail: nothing went out on the
    dead one. Before that, it may meet the dying connection: a ConnectionError."""
    if dialect != "postgres":
        pytest.skip("PostgreSQL's FATAL before the end of a connection")
    outcomes: collections.Counter[str] = collections.Counter()
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as admin,
    ):
        await Author.create(name="ann")
        for turns in range(10):
            await Author.count()  # a live connection, idle in the pool
            (conn,) = db._pool.idle_connections()
            await admin.execute("SELECT pg_terminate_backend($1)", (conn._raw.get_server_pid(),))
            for _ in range(turns):
                await asyncio.sleep(0)
            told = conn._raw._transport.is_closing()  # the FATAL was read
            try:
                assert await Author.values_list("name", flat=True) == ["ann"]
                outcomes["ok"] += 1
            except ferrule.ConnectionError:
                assert not told, f"handed out a connection the server had ended ({turns} turns)"
                outcomes["raced"] += 1
            outcomes["told"] += told
    assert outcomes["told"] > 0, outcomes
