"""ORM writes cancelled at every await point: ``create``, ``save()``, ``bulk_create`` (PostgreSQL's
``COPY`` paths too), ``bulk_update``, ``get_or_create``, ``update_or_create``, many-to-many
``add``/``set``/``clear``, a cascading ``delete()``, signal receivers (sync and async, one of
them writing) and ``orm.transaction()`` blocks holding several of these.

Each operation is run once to learn its result, then cancelled in the n-th state of its work
(``stepping``: n = 0, 1, ... until it finishes twice in a row) and, on the servers, as
its n-th connection operation is on its way. After every run the tables are exactly as before
or exactly as after (never a part), as after when the call returned and, for a block, exactly
when ``tx.committed`` says so; the pool has every connection back and none sits in a
transaction, as the connection and the server see it."""

from __future__ import annotations

import asyncio
import collections
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import ferrule
from backends import stepping
from backends.test_cancellation import idle_in_transaction

from .conftest import CancelTrap, opened
from .write_cases import WRITES, Given, Receivers, given, reset, state

OPERATIONS = (
    "begin",
    "commit",
    "rollback",
    "savepoint",
    "release_savepoint",
    "rollback_to_savepoint",
    "execute",
    "execute_many",
    "copy_records",
    "fetch_all",
    "fetch_one",
    "fetch_val",
    "fetch_tuples",
    "fetch_instances",
)


def _tagged(url: str, dialect: str) -> tuple[str, str]:
    """The URL with an application name (PostgreSQL) its sessions are found by."""
    tag = f"ferrule_ocancel_{uuid.uuid4().hex[:8]}"
    return (f"{url}?application_name={tag}" if dialect == "postgres" else url), tag


async def _cancelled_everywhere(
    db: Any,
    observer: Any,
    dialect: str,
    tag: str,
    how: str,
    trap: CancelTrap | None,
    write: Callable[[Given], Awaitable[Any]],
) -> collections.Counter[str]:
    await reset()
    before = await state()
    await write(await given())  # the reference run: what the write leaves
    after = await state()
    assert after != before
    outcomes: collections.Counter[str] = collections.Counter()
    finished = 0
    await reset()
    for n in range(1000):
        made = await given()
        try:
            task, steps = stepping.start(write(made))
            if how == "loop":
                await stepping.cancel_at(task, steps, n)
            else:
                assert trap is not None
                trap.victim, trap.target, trap.calls = task, n + 1, 0
            try:
                await task
                outcome = "ok"
            except asyncio.CancelledError:
                outcome = "cancelled"
        finally:
            if trap is not None:
                trap.victim = None
        outcomes[outcome] += 1
        assert db.stats()["in_use"] == 0
        assert not any(conn.in_transaction for conn in db._pool.idle_connections())
        assert await idle_in_transaction(db, dialect, tag, observer) == 0
        now = await state()
        assert now in (before, after), f"a part of the write, cancelled in state {n}"
        if outcome == "ok":
            assert now == after
        if "tx" in made:  # a block: committed exactly when it says so
            assert (now == after) == bool(made["tx"].committed), n
        if now != before:
            await reset()
        if how == "in_flight" and trap is not None and trap.calls < trap.target:
            break  # every operation got its cancellation
        finished = finished + 1 if outcome == "ok" else 0
        if finished == 2:
            break
    assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    return outcomes


def _trap(db: Any, how: str, monkeypatch: pytest.MonkeyPatch) -> CancelTrap | None:
    """For ``in_flight``: a trap on each connection operation of ``db``'s connections."""
    if how != "in_flight":
        return None
    conn_class = type(db._pool.idle_connections()[0])
    trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
    trap.install(monkeypatch, conn_class)
    return trap


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_cancelled_write_is_all_or_nothing(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    if write == "bulk_create_copy_keys" and dialect != "postgres":
        pytest.skip("PostgreSQL's COPY with keys taken first (elsewhere: bulk_create_keys_back)")
    url, tag = _tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        trap = _trap(db, how, monkeypatch)
        await _cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", ["create", "block"])
async def test_a_cancelled_write_and_its_receivers_are_all_or_nothing(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``post_save`` receivers, the save and the receiver's own write are one."""
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    url, tag = _tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        trap = _trap(db, how, monkeypatch)
        with Receivers() as receivers:
            await _cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])
        assert receivers.seen > 0
