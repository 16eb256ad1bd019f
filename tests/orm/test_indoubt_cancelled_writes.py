"""A ``save()`` or ``delete()`` outside any transaction block is one statement in autocommit.
Cancelled while that statement is on its way to the server, it may or may not have committed,
and nothing can tell which: the instance is then "in doubt". Its next ``save()``, ``delete()``
or ``refresh_from_db()`` raises ``WriteInDoubtError`` instead of acting on a key that may be
wrong (a retried save() of a new row made a second row; a save() after a delete brought the
row back). ``refresh_from_db()`` of a deleted instance settles the doubt: the row is there or
it is not. A write cancelled before its statement left (waiting for a pool connection) is
not in doubt: nothing ran. A ``db.connection()`` block holds a connection without a
transaction: its statements commit alone, as outside any block. The matrix of every await
point is in test_explore8_instance_keys.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ferrule import orm
from ferrule.orm import save_plans

from .conftest import CancelTrap, opened
from .models import Author
from .test_write_cancellation import OPERATIONS


def _trap(db: Any, monkeypatch: pytest.MonkeyPatch) -> CancelTrap:
    conn_class = type(db._pool.idle_connections()[0])
    trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
    trap.install(monkeypatch, conn_class)
    return trap


async def _cancelled_as_sent(trap: CancelTrap, write: Any) -> BaseException:
    """Run ``write`` cancelled as its first connection operation is on its way; the
    cancellation as the write itself saw it."""
    seen: list[BaseException] = []

    async def work() -> None:
        try:
            await write
        except asyncio.CancelledError as exc:
            seen.append(exc)
            raise

    task = asyncio.ensure_future(work())
    trap.victim, trap.target, trap.calls = task, 1, 0
    try:
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        trap.victim = None
    assert trap.calls >= 1 and seen
    return seen[0]


async def _names() -> list[str]:
    return sorted(await Author.values_list("name", flat=True))


async def _written(db: Any, where: str, write: Any) -> None:
    """``write`` outside any block, or in a ``db.connection()`` block (still autocommit)."""
    if where == "alone":
        await write
        return
    async with db.connection():
        await write


def _forget_plans(dialect: str) -> None:
    """The first save of a model goes the general way (its statement not yet cached)."""
    save_plans.PLANS.pop((Author, dialect), None)
    for key in [k for k in save_plans.INSERTS if k[0] is Author]:
        del save_plans.INSERTS[key]


@pytest.mark.parametrize("where", ["alone", "session"])
@pytest.mark.parametrize("call", ["save", "create"])
@pytest.mark.parametrize("plan", ["cold", "cached"])
async def test_a_new_row_cancelled_in_flight_leaves_its_instance_in_doubt(
    url: str, dialect: str, where: str, call: str, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        if plan == "cached":
            await Author.create(name="first")
        else:
            _forget_plans(dialect)
        before = await _names()
        trap = _trap(db, monkeypatch)
        cy = Author(name="cy")
        write = cy.save() if call == "save" else Author.create(name="cy")
        cancelled = await _cancelled_as_sent(trap, _written(db, where, write))
        assert "may have committed" in " ".join(getattr(cancelled, "__notes__", []))
        after = await _names()
        assert after in (before, sorted([*before, "cy"]))
        if call == "create":
            return  # the instance never reached the caller: the note says it all
        assert cy.id is None
        for again in (cy.save, cy.delete, cy.refresh_from_db):
            with pytest.raises(orm.WriteInDoubtError) as raised:
                await again()
            message = str(raised.value)
            assert "Author" in message and "cancelled" in message
            assert "unique field" in message and "orm.transaction()" in message
        assert await _names() == after  # nothing written meanwhile


@pytest.mark.parametrize("where", ["alone", "session"])
async def test_a_delete_cancelled_in_flight_leaves_its_instance_in_doubt_until_refreshed(
    url: str, dialect: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        ann = await Author.create(name="ann")
        key = ann.id
        trap = _trap(db, monkeypatch)
        await _cancelled_as_sent(trap, _written(db, where, ann.delete()))
        there = await Author.filter(pk=key).exists()
        assert ann.id == key
        for again in (ann.save, ann.delete):
            with pytest.raises(orm.WriteInDoubtError, match="refresh_from_db"):
                await again()
        assert await Author.filter(pk=key).exists() == there  # not brought back
        if there:  # the DELETE never ran: the instance is its row's again
            await ann.refresh_from_db()
            ann.rating = 3
            await ann.save()
            assert await Author.filter(pk=key).values_list("rating", flat=True) == [3]
        else:  # it ran: as after a delete, no key; a save() makes a new row
            with pytest.raises(Author.DoesNotExist):
                await ann.refresh_from_db()
            assert ann.id is None
            await ann.save()
            assert ann.id != key and await _names() == ["ann"]


@pytest.mark.parametrize("write", ["save", "delete"])
async def test_a_write_cancelled_waiting_for_a_connection_is_not_in_doubt(
    url: str, write: str
) -> None:
    async with opened(url, min_size=1, max_size=1) as db:
        ann = await Author.create(name="ann")
        cy = Author(name="cy")
        held = await db._pool.acquire()  # the only connection: the write waits for it
        try:
            task = asyncio.ensure_future(cy.save() if write == "save" else ann.delete())
            for _ in range(5):
                await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        finally:
            db._pool.release(held)
        await cy.save()  # neither raises: nothing ran
        await ann.delete()
        assert cy.id is not None and ann.id is None
        assert await _names() == ["cy"]
