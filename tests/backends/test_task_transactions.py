"""Tasks started inside a block: one rule on every backend.

While ``async with db.transaction()`` (or ``db.connection()``) is open, the database calls of the
tasks started inside it — ``asyncio.gather``, ``asyncio.wait_for``, ``create_task``: they inherit
the block's context — run inside it, serialised on its connection. After the block has ended
they raise (``TransactionError``; ``InterfaceError`` for a ``db.connection()`` block) and run
nothing. So nothing a block or its tasks issued survives its rollback. ``HANG`` is a hang
detector, not a timing assertion: a call that has not returned by then has deadlocked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

import ferrule

Q = Callable[[str], str]
T = TypeVar("T")
HANG = 10.0


class Boom(Exception):
    pass


async def within(awaitable: Awaitable[T]) -> T:
    """``awaitable``'s result; a test failure (not a wait) when it hangs."""
    try:
        return await asyncio.wait_for(awaitable, HANG)
    except (asyncio.TimeoutError, TimeoutError):
        pytest.fail(f"hung for {HANG}s: deadlocked")


async def _setup(db: ferrule.backends.Database, table: str, q: Q) -> None:
    await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INTEGER)")
    await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (0, 0))


async def _ids(db: ferrule.backends.Database, table: str) -> list[int]:
    return [row[0] for row in await db.fetch_all(f"SELECT id FROM {table} ORDER BY id")]


@pytest.mark.parametrize("outcome", ["commit", "rollback"])
async def test_gathered_statements_run_inside_the_transaction(
    url: str, table: str, q: Q, outcome: str
) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")

        async def block() -> None:
            async with db.transaction():
                await asyncio.gather(*(db.execute(insert, (i, i)) for i in range(1, 21)))
                # the block's own task sees its children's rows, on the one connection it holds
                assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 21
                assert db.stats()["in_use"] == 1
                if outcome == "rollback":
                    raise Boom

        if outcome == "rollback":
            with pytest.raises(Boom):
                await within(block())
            assert await _ids(db, table) == [0]
        else:
            await within(block())
            assert await _ids(db, table) == list(range(21))
        assert db.stats()["in_use"] == 0


async def test_wait_for_statement_runs_inside_the_transaction(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)

        async def block() -> None:
            async with db.transaction():
                await asyncio.wait_for(
                    db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, 1)), 30
                )
                await asyncio.wait_for(db.execute(f"UPDATE {table} SET n = 5 WHERE id = 0"), 30)
                raise Boom

        with pytest.raises(Boom):
            await within(block())
        assert await db.fetch_all(f"SELECT id, n FROM {table}") == [(0, 0)]


async def test_child_task_updates_a_row_the_transaction_holds(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)

        async def child() -> int:
            await db.execute(f"UPDATE {table} SET n = n + 10 WHERE id = 0")
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (2, 2))
            n: int = await db.fetch_val(f"SELECT n FROM {table} WHERE id = 0")
            return n

        async def block(fail: bool) -> int:
            async with db.transaction():
                await db.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 0")  # row lock
                seen = await asyncio.create_task(child())
                if fail:
                    raise Boom
            return seen

        with pytest.raises(Boom):
            await within(block(fail=True))
        assert await db.fetch_all(f"SELECT id, n FROM {table}") == [(0, 0)]
        assert await within(block(fail=False)) == 11
        assert await db.fetch_all(f"SELECT id, n FROM {table} ORDER BY id") == [(0, 11), (2, 2)]


async def test_transaction_object_used_from_child_tasks(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")

        async def block() -> None:
            async with db.transaction() as tx:
                await asyncio.gather(*(tx.execute(insert, (i, i)) for i in range(1, 11)))
                await asyncio.create_task(tx.execute(f"UPDATE {table} SET n = 7 WHERE id = 0"))
                assert await tx.fetch_val(f"SELECT COUNT(*) FROM {table}") == 11
                raise Boom

        with pytest.raises(Boom):
            await within(block())
        assert await db.fetch_all(f"SELECT id, n FROM {table}") == [(0, 0)]


@pytest.mark.parametrize("outcome", ["commit", "rollback"])
async def test_child_outliving_the_block_runs_nothing(
    url: str, table: str, q: Q, outcome: str
) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)
        ended = asyncio.Event()
        calls: list[Callable[[], Awaitable[Any]]] = [
            lambda: db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (3, 3)),
            lambda: db.fetch_val("SELECT 1"),
            lambda: db.execute_many(q(f"INSERT INTO {table} VALUES (?, ?)"), [(4, 4)]),
        ]

        async def new_block() -> None:
            async with db.transaction():  # would run outside the block it was started in
                await db.execute(f"UPDATE {table} SET n = 9 WHERE id = 0")

        async def late(tx: ferrule.backends.Transaction) -> list[str]:
            await ended.wait()
            errors = []
            for call in [*calls, lambda: tx.execute(f"DELETE FROM {table}"), new_block]:
                with pytest.raises(ferrule.TransactionError) as info:
                    await call()
                errors.append(type(info.value).__name__)
            return errors

        child: asyncio.Task[list[str]] | None = None
        try:
            async with db.transaction() as tx:
                child = asyncio.create_task(late(tx))
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, 1))
                if outcome == "rollback":
                    raise Boom
        except Boom:
            pass
        ended.set()
        assert child is not None
        assert await within(child) == ["TransactionError"] * 5
        expected = [(0, 0), (1, 1)] if outcome == "commit" else [(0, 0)]
        assert await db.fetch_all(f"SELECT id, n FROM {table} ORDER BY id") == expected
        assert db.stats()["in_use"] == 0


async def test_nested_transactions_from_child_tasks_are_serialised_savepoints(
    url: str, table: str, q: Q
) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")

        async def child(base: int, fail: bool) -> None:
            async with db.transaction():
                for i in range(3):
                    await db.execute(insert, (base + i, base))
                    await asyncio.sleep(0)  # let the siblings try to interleave
                if fail:
                    raise Boom

        async def block(fail_outer: bool) -> list[Any]:
            async with db.transaction():
                await db.execute(insert, (1, 1))
                results = await asyncio.gather(
                    child(10, False), child(20, True), child(30, False), return_exceptions=True
                )
                await db.execute(insert, (2, 2))
                if fail_outer:
                    raise Boom
            return [type(r).__name__ for r in results]

        with pytest.raises(Boom):
            await within(block(fail_outer=True))
        assert await _ids(db, table) == [0]
        assert await within(block(fail_outer=False)) == ["NoneType", "Boom", "NoneType"]
        assert await _ids(db, table) == [0, 1, 2, 10, 11, 12, 30, 31, 32]
        assert db.stats()["in_use"] == 0


async def test_connection_block_children_share_its_connection(url: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        ended = asyncio.Event()

        async def late() -> str:
            await ended.wait()
            with pytest.raises(ferrule.InterfaceError) as info:
                await db.fetch_val("SELECT 1")
            return type(info.value).__name__

        async with db.connection():
            # a temporary table exists on one connection only: the children must be on it
            await db.execute("CREATE TEMPORARY TABLE ferrule_tmp_children (id INTEGER)")
            insert = q("INSERT INTO ferrule_tmp_children VALUES (?)")
            await within(asyncio.gather(*(db.execute(insert, (i,)) for i in range(10))))
            count = await within(
                asyncio.create_task(db.fetch_val("SELECT COUNT(*) FROM ferrule_tmp_children"))
            )
            assert count == 10
            child = asyncio.create_task(late())
            await db.execute("DROP TABLE ferrule_tmp_children")
        ended.set()
        assert await within(child) == "InterfaceError"
        assert db.stats()["in_use"] == 0


async def test_iterate_and_children_never_share_the_wire(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=5) as db:
        await _setup(db, table, q)
        await db.execute_many(
            q(f"INSERT INTO {table} VALUES (?, ?)"), [(i, i) for i in range(1, 50)]
        )
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")

        async def read() -> int:
            return sum([1 async for _ in db.iterate(f"SELECT id FROM {table}", batch_size=7)])

        async def block() -> list[Any]:
            async with db.transaction():
                return await asyncio.gather(
                    read(), *(db.execute(insert, (100 + i, i)) for i in range(10)), read()
                )

        results = await within(block())
        assert 50 <= results[0] <= 60 and 50 <= results[-1] <= 60
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 60
        assert db.stats()["in_use"] == 0


# A statement that runs for a long time on each backend (cancelled long before it ends).
SLOW_SQL = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)"
    " SELECT COUNT(*) FROM c",
    "postgres": "SELECT pg_sleep(30)",
    "mysql": "SELECT SLEEP(30)",
}


@pytest.mark.parametrize("nested", [False, True], ids=["transaction", "savepoint"])
async def test_interrupted_child_statement_dooms_the_transaction(
    url: str, dialect: str, table: str, q: Q, nested: bool
) -> None:
    """``wait_for`` giving up on a child's statement: did it run? Then nothing may commit."""
    async with await ferrule.connect(url, min_size=1, max_size=2) as db:
        await _setup(db, table, q)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        started = asyncio.Event()
        db.add_hook(before=lambda event: started.set() if event.sql == SLOW_SQL[dialect] else None)

        async def block() -> None:
            async with db.transaction():
                await db.execute(insert, (1, 1))
                async with db.transaction() if nested else contextlib.nullcontext():
                    child = asyncio.create_task(db.fetch_val(SLOW_SQL[dialect]))
                    await started.wait()
                    await asyncio.sleep(0)  # let the statement reach the driver (not a wait)
                    child.cancel()
                    with pytest.raises(asyncio.CancelledError):
                        await child
                    with pytest.raises(ferrule.TransactionError, match="interrupted"):
                        await db.execute(insert, (2, 2))
                # leaving normally: the doomed transaction must not commit

        with pytest.raises(ferrule.TransactionError):
            await within(block())
        assert await _ids(db, table) == [0]
        assert db.stats()["in_use"] == 0
        assert await db.fetch_val("SELECT 7") == 7
