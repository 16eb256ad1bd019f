"""ORM writes outside any transaction block whose connection is lost once their statement was
sent. Such a statement commits on its own: lost on its way, it may or may not have committed,
and the client cannot tell which. The ``ConnectionError`` the write raises says so (the
in-flight note), and the instance it was writing is in doubt as after a cancellation in flight
(``orm.in_doubt``): a retried ``save()`` of a new row, or a ``save()`` after a ``delete()``,
raises ``WriteInDoubtError`` instead of making a second row or bringing the row back. A
connection lost before anything was sent (the server unreachable) leaves nothing in doubt.

"Sent" is made certain, not raced: an admin session holds a lock on the table, the write's
statement waits for it on the server, and the admin kills the write's session there
(``pg_terminate_backend``, MariaDB's ``KILL CONNECTION``). The server then rolls the statement
back, but only the server knows that; the reply lost after a commit (``_reply_lost``) is the
other half of the doubt, and is what a retry would duplicate."""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

import ferrule
from backends.conftest import private_mysql, private_postgres, server  # noqa: F401
from backends.servers import PrivateServer
from ferrule import orm
from ferrule.orm import save_plans

from .conftest import opened
from .models import Everything

TABLE = Everything._meta.table
WAITS_WITHIN = 10_000  # polls of the server's session list; only reached when a step is lost


def victim_id(db: Any) -> int:
    """The server's id of the only pooled connection of ``db``."""
    (conn,) = db._pool.idle_connections()
    return victim_id_of(conn, db.dialect)


def victim_id_of(conn: Any, dialect: str) -> int:
    raw = conn._raw
    return int(raw.get_server_pid() if dialect == "postgres" else raw.thread_id())


class Admin:
    """A second session: locks a table, sees the victim wait for it, kills the victim."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.postgres = db.dialect == "postgres"

    @contextlib.asynccontextmanager
    async def locked(self, table: str) -> AsyncIterator[None]:
        """``table`` locked against every other session's reads and writes."""
        if self.postgres:
            async with self.db.transaction():
                await self.db.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
                yield
            return
        async with self.db.connection():
            await self.db.execute(f"LOCK TABLES {table} WRITE")
            try:
                yield
            finally:
                await self.db.execute("UNLOCK TABLES")

    async def waits(self, pid: int) -> bool:
        if self.postgres:
            sql = "SELECT COUNT(*) FROM pg_locks WHERE pid = $1 AND NOT granted"
        else:
            sql = (
                "SELECT COUNT(*) FROM information_schema.processlist"
                " WHERE id = %s AND state LIKE 'Waiting for table%%'"
            )
        return bool(await self.db.fetch_val(sql, (pid,)))

    async def kill(self, pid: int) -> None:
        if self.postgres:
            await self.db.execute("SELECT pg_terminate_backend($1)", (pid,))
            alive = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1"
        else:
            await self.db.execute(f"KILL CONNECTION {int(pid)}")
            alive = "SELECT COUNT(*) FROM information_schema.processlist WHERE id = %s"
        for _ in range(WAITS_WITHIN):
            if self.postgres:  # (inside the lock's transaction: read the list afresh)
                await self.db.execute("SELECT pg_stat_clear_snapshot()")
            if not await self.db.fetch_val(alive, (pid,)):
                return
            await asyncio.sleep(0.001)
        raise AssertionError(f"session {pid} outlived its kill")

    async def killed_waiting(self, db: Any, write: Awaitable[Any]) -> BaseException:
        """Run ``write`` until its statement waits on the server, kill its session there;
        what the write raised."""
        if not db._pool.idle_connections():  # (one killed before is replaced when used)
            await db.fetch_val("SELECT 1")
        pid = victim_id(db)
        async with self.locked(TABLE):
            task = asyncio.ensure_future(write)
            for _ in range(WAITS_WITHIN):
                if task.done() or await self.waits(pid):
                    break
                await asyncio.sleep(0.001)
            assert not task.done(), "the write did not wait for the lock"
            await self.kill(pid)
            try:
                await task
            except BaseException as exc:
                return exc
        raise AssertionError("the write succeeded on a killed connection")


@contextlib.asynccontextmanager
async def killable(url: str, dialect: str) -> AsyncIterator[tuple[Any, Admin]]:
    if dialect == "sqlite":
        pytest.skip("SQLite has no server to lose the connection to")
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as admin,
    ):
        yield db, Admin(admin)


def in_flight(exc: BaseException) -> bool:
    return any("may have committed" in note for note in getattr(exc, "__notes__", ()))


async def codes() -> list[str]:
    return sorted(await Everything.values_list("code", flat=True))


def forget_plans(dialect: str) -> None:
    """The next save of Everything goes the general way (its statement not yet cached)."""
    save_plans.PLANS.pop((Everything, dialect), None)
    for key in [k for k in save_plans.INSERTS if k[0] is Everything]:
        del save_plans.INSERTS[key]


async def written(db: Any, where: str, write: Awaitable[Any]) -> Any:
    """``write`` outside any block, or in a ``db.connection()`` block (autocommit too)."""
    if where == "alone":
        return await write
    async with db.connection():
        return await write


@pytest.mark.parametrize("where", ["alone", "session"])
@pytest.mark.parametrize("plan", ["cold", "cached"])
async def test_a_new_row_whose_connection_is_lost_in_flight_is_in_doubt(
    url: str, dialect: str, plan: str, where: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        if plan == "cached":
            await Everything.create(code="first")
        else:
            forget_plans(dialect)
        before = await codes()
        cy = Everything(code="cy")
        lost = await admin.killed_waiting(db, written(db, where, cy.save()))
        assert isinstance(lost, ferrule.ConnectionError), repr(lost)
        assert in_flight(lost), "a lost autocommit INSERT must say it may have committed"
        assert await codes() == before  # (the server rolled it back: only it knows)
        assert cy.id is None
        for again in (cy.save, cy.delete, cy.refresh_from_db):
            with pytest.raises(orm.WriteInDoubtError):
                await again()
        assert await codes() == before
        assert db.stats()["in_use"] == 0


async def test_create_whose_connection_is_lost_says_it_may_have_committed(
    url: str, dialect: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        lost = await admin.killed_waiting(db, Everything.create(code="cy"))
        assert isinstance(lost, ferrule.ConnectionError) and in_flight(lost), repr(lost)
        await Everything.create(code="again")  # the pool has a healthy connection
        assert await codes() == ["again"]


@pytest.mark.parametrize("where", ["alone", "session"])
async def test_a_delete_whose_connection_is_lost_is_in_doubt_until_refreshed(
    url: str, dialect: str, where: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        key = ann.id
        lost = await admin.killed_waiting(db, written(db, where, ann.delete()))
        assert isinstance(lost, ferrule.ConnectionError) and in_flight(lost), repr(lost)
        assert ann.id == key
        for again in (ann.save, ann.delete):
            with pytest.raises(orm.WriteInDoubtError, match="refresh_from_db"):
                await again()
        assert await codes() == ["ann"]  # the server rolled the DELETE back; not brought back
        await ann.refresh_from_db()  # settles it: the row is there
        ann.code = "ann2"
        await ann.save()
        assert await codes() == ["ann2"]


async def test_an_update_whose_connection_is_lost_keeps_its_key(url: str, dialect: str) -> None:
    """An UPDATE by key that may or may not have run leaves the key right: a retry writes
    the same values to the same row (not in doubt), but the error still says so."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        ann.code = "ann2"
        lost = await admin.killed_waiting(db, ann.save())
        assert isinstance(lost, ferrule.ConnectionError) and in_flight(lost), repr(lost)
        await ann.save()
        assert await codes() == ["ann2"]


LONE_WRITES: dict[str, Callable[[], Awaitable[Any]]] = {
    "update": lambda: Everything.filter(code="ann").update(note="x"),
    "delete": lambda: Everything.filter(code="ann").delete(),
}


@pytest.mark.parametrize("write", list(LONE_WRITES))
async def test_a_queryset_write_whose_connection_is_lost_says_it_may_have_committed(
    url: str, dialect: str, write: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        await Everything.create(code="ann")
        lost = await admin.killed_waiting(db, LONE_WRITES[write]())
        assert isinstance(lost, ferrule.ConnectionError), repr(lost)
        assert in_flight(lost), f"{write}: a lost autocommit write must say it may have committed"
        assert await codes() == ["ann"]
        await LONE_WRITES[write]()  # the pool has a healthy connection
        assert await Everything.filter(code="ann", note="x").count() == (write == "update")


async def test_bulk_create_whose_connection_is_lost_wrote_nothing_and_may_be_retried(
    url: str, dialect: str
) -> None:
    """``bulk_create`` runs in a transaction of its own: a lost connection rolls it back
    whole, the instances keep no key, and the same call again writes each row once."""
    async with killable(url, dialect) as (db, admin):
        rows = [Everything(code="a"), Everything(code="b")]
        lost = await admin.killed_waiting(db, Everything.bulk_create(rows))
        assert isinstance(lost, ferrule.ConnectionError) and not in_flight(lost), repr(lost)
        assert await codes() == [] and [r.id for r in rows] == [None, None]
        await Everything.bulk_create(rows)
        assert await codes() == ["a", "b"]


async def test_get_or_create_whose_connection_is_lost_may_be_retried(
    url: str, dialect: str
) -> None:
    """Its read, or its INSERT in a transaction of its own, was lost: nothing was made."""
    async with killable(url, dialect) as (db, admin):
        lost = await admin.killed_waiting(db, Everything.get_or_create(code="zed"))
        assert isinstance(lost, ferrule.ConnectionError), repr(lost)
        assert await codes() == []
        _, created = await Everything.get_or_create(code="zed")
        assert created and await codes() == ["zed"]


# -- the reply lost after the server committed -------------------------------------------------


class ReplyLost:
    """The victim's connection runs its ``target``-th operation, then the connection is lost
    before the reply is read: the server committed, the client sees ``ConnectionError``."""

    OPS = ("execute", "fetch_tuples", "fetch_key", "fetch_val", "fetch_one", "fetch_all")

    def __init__(self, admin: Admin, ops: tuple[str, ...] = OPS) -> None:
        self.admin = admin
        self.ops = ops
        self.armed = False

    def install(self, monkeypatch: pytest.MonkeyPatch, conn_class: type) -> None:
        for name in self.ops:
            if not hasattr(conn_class, name):
                continue
            real = getattr(conn_class, name)

            async def lose(conn: Any, *args: Any, _real: Any = real) -> Any:
                result = await _real(conn, *args)
                if self.armed:
                    self.armed = False
                    raw = conn._raw
                    pid = raw.get_server_pid() if self.admin.postgres else raw.thread_id()
                    await self.admin.kill(pid)
                    raise ferrule.ConnectionError("the connection was lost (the reply with it)")
                return result

            monkeypatch.setattr(conn_class, name, lose)


async def test_a_new_row_whose_reply_is_lost_is_not_saved_twice(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with killable(url, dialect) as (db, admin):
        lost = ReplyLost(admin)
        lost.install(monkeypatch, type(db._pool.idle_connections()[0]))
        cy = Everything(code="cy")
        lost.armed = True
        with pytest.raises(ferrule.ConnectionError):
            await cy.save()
        assert await codes() == ["cy"]  # it committed
        outcomes: collections.Counter[str] = collections.Counter()
        try:
            await cy.save()  # the retry a user would write
            outcomes["saved again"] += 1
        except orm.WriteInDoubtError:
            outcomes["in doubt"] += 1
        assert await codes() == ["cy"], f"a retried save() made a second row: {outcomes}"


# -- lost before anything was sent -------------------------------------------------------------


@pytest.mark.parametrize("write", ["save", "delete"])
async def test_a_write_on_a_connection_known_closed_is_not_in_doubt(
    url: str, dialect: str, write: str
) -> None:
    """A ``db.connection()`` block's connection, killed while idle; once the client has
    seen the end (``is_closed()``), a write there fails before anything is sent: no note,
    nothing in doubt, and the same call again succeeds (on a fresh connection)."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        cy = Everything(code="cy")
        (conn,) = db._pool.idle_connections()
        async with db.connection():
            await admin.kill(victim_id_of(conn, dialect))
            for _ in range(WAITS_WITHIN):
                if conn.is_closed():
                    break
                await asyncio.sleep(0.001)
            assert conn.is_closed(), "the client never saw the end of its connection"
            with pytest.raises(ferrule.ConnectionError) as raised:
                await (cy.save() if write == "save" else ann.delete())
        assert not in_flight(raised.value), "nothing was sent, yet it says it may have committed"
        await (cy.save() if write == "save" else ann.delete())
        assert await codes() == (["ann", "cy"] if write == "save" else [])


async def test_writes_while_the_server_is_down_are_not_in_doubt(
    server: PrivateServer,  # noqa: F811 (the fixture, imported above)
) -> None:
    """The server stopped (a private one: the shared servers are never stopped): each write
    fails to connect, before anything is sent. Nothing is in doubt: once the server is back,
    the same instances save and delete as if nothing had happened, each row once."""
    async with opened(server.url, min_size=1, max_size=2) as db:
        ann = await Everything.create(code="ann")
        cy = Everything(code="cy")
        rows = [Everything(code="a"), Everything(code="b")]
        await server.stop()
        try:
            writes = [cy.save(), ann.delete(), Everything.bulk_create(rows)]
            for write in writes:
                with pytest.raises(ferrule.ConnectionError) as raised:
                    await write
                assert not in_flight(raised.value), repr(raised.value)
        finally:
            await server.start()
        await cy.save()
        await ann.delete()
        await Everything.bulk_create(rows)
        assert await codes() == ["a", "b", "cy"]
        assert db.stats()["in_use"] == 0


async def test_a_refresh_that_loses_its_connection_settles_nothing(url: str, dialect: str) -> None:
    """``refresh_from_db()`` settles a delete in doubt by reading the row; when that read is
    lost, nothing was settled: the instance stays in doubt (a save() must not bring back a
    row whose delete may have committed)."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        lost = await admin.killed_waiting(db, ann.delete())
        assert in_flight(lost), repr(lost)
        refresh = await admin.killed_waiting(db, ann.refresh_from_db())
        assert isinstance(refresh, ferrule.ConnectionError), repr(refresh)
        with pytest.raises(orm.WriteInDoubtError):
            await ann.save()
        await ann.refresh_from_db()  # read in full: settled
        await ann.save()
        assert await codes() == ["ann"]


async def test_a_new_row_in_flight_as_the_server_restarts_is_in_doubt(
    server: PrivateServer,  # noqa: F811 (the fixture, imported above)
) -> None:
    """The server crashes and restarts (a private one) while a save() of a new row waits
    on it: the save may have committed for all the client knows, so the instance is in
    doubt; the pool's next connections are fresh and the next ORM calls work."""
    async with (
        opened(server.url, min_size=1, max_size=1) as db,
        await ferrule.connect(server.url, min_size=1, max_size=1) as admin_db,
    ):
        admin = Admin(admin_db)
        await Everything.create(code="ann")
        pid = victim_id(db)
        cy = Everything(code="cy")
        tasks: list[asyncio.Task[None]] = []
        with pytest.raises((ferrule.ConnectionError, ferrule.TransactionError)):
            async with admin.locked(TABLE):  # (its own end meets the restarted server)
                task = asyncio.ensure_future(cy.save())
                tasks.append(task)
                for _ in range(WAITS_WITHIN):
                    if task.done() or await admin.waits(pid):
                        break
                    await asyncio.sleep(0.001)
                assert not task.done(), "the save did not wait for the lock"
                await server.restart(crash=True)
        with pytest.raises(ferrule.ConnectionError) as raised:
            await tasks[0]
        assert in_flight(raised.value), repr(raised.value)
        with pytest.raises(orm.WriteInDoubtError):
            await cy.save()
        assert await codes() == ["ann"]  # (crash recovery rolled it back: only the server knows)
        await Everything.create(code="bo")
        assert await codes() == ["ann", "bo"] and db.stats()["in_use"] == 0
