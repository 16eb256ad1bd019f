"""Transactions: commit, rollback, savepoints, isolation, and who shares the connection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule.backends.base import normalize_isolation

from .conftest import requires

Q = Callable[[str], str]


async def _table(db: ferrule.backends.Database, table: str) -> None:
    await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(20))")


async def _ids(db: ferrule.backends.Database, table: str) -> list[int]:
    return [row[0] for row in await db.fetch_all(f"SELECT id FROM {table} ORDER BY id")]


class Boom(Exception):
    pass


async def test_commit_and_rollback(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _table(db, table)
        async with db.transaction() as tx:
            await tx.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a"))
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (2, "b"))  # same task
        assert await _ids(db, table) == [1, 2]
        with pytest.raises(Boom):
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (3, "c"))
                await db.execute(q(f"UPDATE {table} SET name = ? WHERE id = ?"), ("z", 1))
                raise Boom
        assert await db.fetch_all(f"SELECT id, name FROM {table} ORDER BY id") == [
            (1, "a"),
            (2, "b"),
        ]
        assert db.stats()["in_use"] == 0


async def test_failed_statement_rolls_back_everything(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _table(db, table)
        with pytest.raises(ferrule.IntegrityError):
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a"))
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "again"))
        assert await _ids(db, table) == []


async def test_nested_blocks_are_savepoints(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url) as db:
        await _table(db, table)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        async with db.transaction():
            await db.execute(insert, (1, "outer"))
            with pytest.raises(Boom):
                async with db.transaction():
                    await db.execute(insert, (2, "inner, rolled back"))
                    async with db.transaction():
                        await db.execute(insert, (3, "innermost"))
                    raise Boom
            async with db.transaction():
                await db.execute(insert, (4, "inner, kept"))
            # a failed statement inside a savepoint leaves the outer transaction usable
            with pytest.raises(ferrule.IntegrityError):
                async with db.transaction():
                    await db.execute(insert, (1, "duplicate"))
            await db.execute(insert, (5, "after"))
        assert await _ids(db, table) == [1, 4, 5]
        with pytest.raises(Boom):
            async with db.transaction():
                async with db.transaction():
                    await db.execute(insert, (6, "x"))
                raise Boom  # the outer rollback undoes the released savepoint too
        assert await _ids(db, table) == [1, 4, 5]


async def test_a_refused_statement_dooms_its_block_on_every_database(
    url: str, table: str, q: Q
) -> None:
    """After a statement the database refused inside a block, PostgreSQL refuses the rest of
    the block ("current transaction is aborted") and SQLite and MariaDB went on, committing
    what followed: every database refuses it now (``TransactionError``), the block commits
    nothing, and a nested block (a savepoint) around the statement keeps the rest usable.
    A value refused before anything is sent (an ``InterfaceError``) dooms nothing."""
    async with await ferrule.connect(url) as db:
        await _table(db, table)
        insert = q(f"INSERT INTO {table} VALUES (?, ?)")
        with pytest.raises(ferrule.errors.TransactionError):
            async with db.transaction():
                await db.execute(insert, (1, "a"))
                with pytest.raises(ferrule.IntegrityError):
                    await db.execute(insert, (1, "again"))
                with pytest.raises(ferrule.errors.TransactionError):
                    await db.execute(insert, (2, "after"))
        assert await _ids(db, table) == []
        async with db.transaction():
            await db.execute(insert, (1, "a"))
            with pytest.raises(ferrule.errors.TransactionError):
                async with db.transaction():
                    with pytest.raises(ferrule.IntegrityError):
                        await db.execute(insert, (1, "again"))
            with pytest.raises(ferrule.errors.InterfaceError):
                await db.execute(insert, (2, "\ud800"))  # no UTF-8 form: never sent
            await db.execute(insert, (3, "after"))
        assert await _ids(db, table) == [1, 3]


# What a MariaDB transaction at each level counts in a one-row table: after its first read,
# after another connection commits a second row, and while another connection holds a third
# row uncommitted. ferrule sets the level with SET TRANSACTION, which no variable shows, and
# INFORMATION_SCHEMA.INNODB_TRX is a cache refreshed at most every 100 ms (it showed a stale
# level, or no row at all): so the level is observed by what the transaction sees. Under
# SERIALIZABLE the first read locks the table's range, and the other connection's insert fails.
MYSQL_SEES: dict[str, list[Any]] = {
    "read_uncommitted": [1, 2, 3],
    "read_committed": [1, 2, 2],
    "repeatable_read": [1, 1, 1],
    "serializable": [1, "lock wait"],
}


async def _mysql_sees(url: str, table: str, level: str) -> list[Any]:
    """The counts `MYSQL_SEES` describes, for a transaction at ``level``."""
    count = f"SELECT COUNT(*) FROM {table}"
    seen: list[Any] = []
    async with await ferrule.connect(url) as db, await ferrule.connect(url) as other:
        await db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY) ENGINE=InnoDB")
        await db.execute(f"INSERT INTO {table} VALUES (1)")
        async with db.transaction(isolation=level), other.connection() as conn:
            await db.execute("SET SESSION innodb_lock_wait_timeout = 0")  # fail, never wait
            await conn.execute("SET SESSION innodb_lock_wait_timeout = 0")
            seen.append(await db.fetch_val(count))
            try:
                await conn.execute(f"INSERT INTO {table} VALUES (2)")
            except ferrule.OperationalError as exc:
                assert "Lock wait timeout" in str(exc)
                return [*seen, "lock wait"]
            seen.append(await db.fetch_val(count))
            async with conn.transaction():
                await conn.execute(f"INSERT INTO {table} VALUES (3)")
                seen.append(await db.fetch_val(count))
    return seen


@pytest.mark.parametrize(
    "level", ["read_committed", "REPEATABLE READ", "serializable", "read-uncommitted"]
)
async def test_isolation_levels(url: str, dialect: str, table: str, level: str) -> None:
    if dialect == "mysql":
        assert await _mysql_sees(url, table, level) == MYSQL_SEES[normalize_isolation(level)]
    async with await ferrule.connect(url) as db:
        async with db.transaction(isolation=level):
            if dialect == "postgres":
                shown = await db.fetch_val("SHOW transaction_isolation")
                assert shown.replace(" ", "_") == normalize_isolation(level)
            # SQLite is always serializable: every level is met, the block must just run
        with pytest.raises(ferrule.ConfigurationError, match="isolation level 'chaotic'"):
            db.transaction(isolation="chaotic")


async def test_readonly_transaction(url: str, table: str, q: Q, dialect: str) -> None:
    async with await ferrule.connect(url) as db:
        requires(db, "isolation_levels")
        await _table(db, table)
        with pytest.raises(ferrule.DatabaseError, match=r"(?i)read[ -]only"):
            async with db.transaction(readonly=True):
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a"))
        assert await _ids(db, table) == []


async def test_child_tasks_join_the_transaction(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=3) as db:
        await _table(db, table)
        with pytest.raises(Boom):
            async with db.transaction():
                await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "in tx"))
                # a child task runs inside the block: it sees the uncommitted row
                seen = await asyncio.create_task(db.fetch_val(f"SELECT COUNT(*) FROM {table}"))
                assert seen == 1
                raise Boom
        assert await _ids(db, table) == []


async def test_readonly_transaction_refuses_writes_on_every_backend(
    url: str, table: str, q: Q
) -> None:
    async with await ferrule.connect(url, min_size=1, max_size=1) as db:
        await _table(db, table)
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a"))
        for write in (f"DELETE FROM {table}", q(f"INSERT INTO {table} VALUES (2, 'b')")):
            with pytest.raises(ferrule.TransactionError):
                async with db.transaction(readonly=True):
                    assert await _ids(db, table) == [1]  # reading is fine
                    await db.execute(write)
            assert await _ids(db, table) == [1]
        async with db.transaction(readonly=True):
            assert await _ids(db, table) == [1]
        # the connection writes again afterwards (a pool of one: the same connection)
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (3, "c"))
        async with db.transaction():
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (4, "d"))
        assert await _ids(db, table) == [1, 3, 4]


async def test_connection_block_reuses_one_connection(url: str, dialect: str) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        async with db.connection() as conn:
            # with a pool of one, any second acquire would wait: these must reuse the block's
            assert await conn.fetch_val("SELECT 1") == 1
            assert await db.fetch_val("SELECT 2") == 2
            async with db.transaction():
                assert await db.fetch_val("SELECT 3") == 3
        assert db.stats()["in_use"] == 0


async def test_raw_begin_is_not_leaked(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await _table(db, table)
        await db.execute("BEGIN")
        # each call borrows the connection; an open transaction is rolled back on release
        (conn,) = db._pool.idle_connections()
        assert not conn.in_transaction
        await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "a"))
        assert await _ids(db, table) == [1]


async def test_raw_begin_inside_a_connection_block_is_no_savepoint_host(
    url: str, table: str, q: Q
) -> None:
    """A savepoint only inside a db.transaction() of the same blocks, never in a raw BEGIN."""
    async with await ferrule.connect(url, max_size=1) as db:
        await _table(db, table)
        async with db.connection():
            await db.execute("BEGIN")
            await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (1, "raw"))
            with pytest.raises(ferrule.TransactionError, match="raw BEGIN"):
                async with db.transaction():
                    await db.execute(q(f"INSERT INTO {table} VALUES (?, ?)"), (2, "lost?"))
            await db.execute("ROLLBACK")
        assert await _ids(db, table) == []
        assert db.stats()["in_use"] == 0


async def test_a_callback_registered_once_per_key_runs_once_at_the_outermost_end(url: str) -> None:
    """``at_transaction_end_once``: a key asked for again in the same transaction (a savepoint
    too) adds nothing; the next transaction starts afresh; outside any there is nothing."""
    async with await ferrule.connect(url) as db:
        ran: list[str] = []
        made: list[str] = []

        def make(name: str) -> Callable[[], None]:
            made.append(name)
            return lambda: ran.append(name)

        assert db.at_transaction_end_once("k", lambda: make("outside")) is None
        for round_ in ("first", "second"):
            async with db.transaction():
                assert db.at_transaction_end_once("k", lambda r=round_: make(r)) is True
                assert db.at_transaction_end_once("k", lambda: make("again")) is False
                async with db.transaction():  # a savepoint: the same outermost transaction
                    assert db.at_transaction_end_once("k", lambda: make("inner")) is False
                    assert db.at_transaction_end_once("j", lambda: make("other")) is True
                assert ran == ([] if round_ == "first" else ["first", "other"])
        assert made == ["first", "other", "second", "other"]
        assert ran == ["first", "other", "second", "other"]
        with pytest.raises(Boom):
            async with db.transaction():
                assert db.at_transaction_end_once("k", lambda: make("rolled back")) is True
                raise Boom
        assert ran[-1] == "rolled back"
