"""Lost connections around the ORM's transactions, streams, locks, receivers and query cache
(the helpers, an admin session that kills the victim's, are ``test_lostconn_writes``'s).

A transaction whose connection dies commits nothing and raises a typed error; its instances
keep no key the rolled-back rows had; the pool hands out a healthy connection afterwards. A
stream whose connection dies raises, never ends early as if it had read every row. A row
locked by ``select_for_update`` is free once the session holding it is gone. Receivers of a
write that was lost see no ``post_*`` signal. The query cache never answers with rows from
before a write whose outcome is unknown."""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .models import Author, Everything
from .test_lostconn_writes import ReplyLost, codes, in_flight, killable, victim_id


async def _pid(db: Any) -> int:
    """The server id of the connection the calling task's block holds."""
    sql = "SELECT pg_backend_pid()" if db.dialect == "postgres" else "SELECT CONNECTION_ID()"
    return int(await db.fetch_val(sql))


async def test_a_transaction_whose_connection_dies_between_statements_commits_nothing(
    url: str, dialect: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        ann = Author(name="ann")
        with pytest.raises(ferrule.ConnectionError) as raised:
            async with orm.transaction():
                await ann.save()
                await Everything.create(code="a")
                await admin.kill(await _pid(db))
                await Everything.create(code="b")
        assert not in_flight(raised.value)  # inside a transaction: nothing is in doubt
        assert ann.id is None  # its row was rolled back: no key that names nothing
        assert db.stats()["in_use"] == 0
        assert await Author.count() == 0 and await codes() == []
        await ann.save()  # the next ORM calls work, on a healthy connection
        assert await Author.values_list("name", flat=True) == ["ann"]


async def test_a_transaction_whose_connection_dies_in_a_statement_commits_nothing(
    url: str, dialect: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        made: list[Any] = []

        async def work() -> None:
            async with orm.transaction():
                made.append(await Author.create(name="ann"))
                await Everything.create(code="a")  # waits for the admin's lock: killed

        lost = await admin.killed_waiting(db, work())
        assert isinstance(lost, ferrule.ConnectionError), repr(lost)
        assert not isinstance(lost, ferrule.CommitUnknownError) and not in_flight(lost)
        assert made[0].id is None
        assert await Author.count() == 0 and await codes() == []
        async with orm.transaction():
            await made[0].save()
            await Everything.create(code="a")
        assert await Author.count() == 1 and await codes() == ["a"]


async def test_a_row_locked_in_a_dying_transaction_is_free_afterwards(
    url: str, dialect: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        with pytest.raises(ferrule.ConnectionError):
            async with orm.transaction():
                (row,) = await Everything.filter(id=ann.id).select_for_update()
                row.code = "mine"
                await row.save()
                await admin.kill(await _pid(db))
                await Everything.filter(id=ann.id).update(note="never")
        async with orm.transaction():  # NOWAIT: the lock of the dead session is gone
            (row,) = await Everything.filter(id=ann.id).select_for_update(nowait=True)
            assert (row.code, row.note) == ("ann", "")


@pytest.mark.parametrize("where", ["alone", "block"])
async def test_a_stream_whose_connection_dies_raises_and_never_ends_early(
    url: str, dialect: str, where: str
) -> None:
    """Killed after its first chunk: the loop raises ``ConnectionError``, or (the rows were
    on their way already) reads every row; never a prefix that looks like the end."""
    async with killable(url, dialect) as (db, admin):
        total = 3000
        await Everything.bulk_create([Everything(code=f"c{i:05}") for i in range(total)])
        pid = victim_id(db)
        outcomes: collections.Counter[str] = collections.Counter()
        seen: list[str] = []

        async def stream() -> None:
            async for row in Everything.order_by("code").iterator(chunk_size=10):
                seen.append(row.code)
                if len(seen) == 10:
                    await admin.kill(pid)

        try:
            if where == "alone":
                await stream()
            else:
                async with orm.transaction():
                    await stream()
            outcomes["read all"] += 1
        except ferrule.ConnectionError:
            outcomes["raised"] += 1
        except ferrule.TransactionError as error:  # every row read; COMMIT met the dead
            assert where == "block" and "lost before COMMIT" in str(error)  # connection
            assert not isinstance(error, ferrule.CommitUnknownError)
            outcomes["read all, rolled back"] += 1
        assert seen == [f"c{i:05}" for i in range(len(seen))]  # in order, none twice
        if outcomes["read all"] or outcomes["read all, rolled back"]:
            assert len(seen) == total, f"the stream ended early: {len(seen)} of {total} rows"
        assert db.stats()["in_use"] == 0
        assert await Everything.count() == total
        assert sum(outcomes.values()) == 1


class Seen:
    """Counts the save/delete signals of ``Everything``."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()

    def __enter__(self) -> Seen:
        for signal in (orm.pre_save, orm.post_save, orm.pre_delete, orm.post_delete):
            signal.connect(Everything, self._counter(signal.name))
        return self

    def _counter(self, name: str) -> Any:
        async def counted(sender: type, instance: Any, **kwargs: Any) -> None:
            self.calls[name] += 1

        counted.__name__ = name
        self.receivers = [*getattr(self, "receivers", []), counted]
        return counted

    def __exit__(self, *exc: object) -> None:
        for signal, receiver in zip(
            (orm.pre_save, orm.post_save, orm.pre_delete, orm.post_delete),
            self.receivers,
            strict=True,
        ):
            signal.disconnect(Everything, receiver)


async def test_receivers_of_a_save_whose_connection_is_lost_see_no_post_save(
    url: str, dialect: str
) -> None:
    """With receivers the save runs in a transaction of its own: lost, it rolls back whole,
    no ``post_save`` is sent, and the instance (no key) may be saved again."""
    async with killable(url, dialect) as (db, admin):
        with Seen() as seen:
            cy = Everything(code="cy")
            lost = await admin.killed_waiting(db, cy.save())
            assert isinstance(lost, ferrule.ConnectionError), repr(lost)
            assert seen.calls == {"pre_save": 1}
            assert cy.id is None and await codes() == []
            await cy.save()
            assert seen.calls == {"pre_save": 2, "post_save": 1}
        assert await codes() == ["cy"]


async def test_receivers_of_a_delete_whose_connection_is_lost_see_no_post_delete(
    url: str, dialect: str
) -> None:
    """Rolled back whole: no ``post_delete``, the row and the instance's key stay, nothing
    is in doubt, and the delete again goes through."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        key = ann.id
        with Seen() as seen:
            lost = await admin.killed_waiting(db, ann.delete())
            assert isinstance(lost, ferrule.ConnectionError) and not in_flight(lost), repr(lost)
            assert seen.calls == {"pre_delete": 1}
            assert ann.id == key and await codes() == ["ann"]
            await ann.delete()
            assert seen.calls == {"pre_delete": 2, "post_delete": 1}
        assert ann.id is None and await codes() == []


async def test_a_watched_delete_whose_commit_reply_is_lost_is_in_doubt(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With receivers the delete runs in a transaction of its own; the reply to its COMMIT
    lost (``CommitUnknownError``), the row may or may not be gone: a save() must not bring
    it back."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        lost = ReplyLost(admin, ops=("commit",))
        lost.install(monkeypatch, type(db._pool.idle_connections()[0]))
        with Seen():
            lost.armed = True
            with pytest.raises(ferrule.CommitUnknownError):
                await ann.delete()
        assert await codes() == []  # it did commit
        with pytest.raises(orm.WriteInDoubtError):
            await ann.save()
        assert await codes() == [], "a save() brought back a row whose delete committed"


async def test_the_query_cache_does_not_keep_rows_from_before_a_lost_write(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with killable(url, dialect) as (db, admin):
        await Everything.create(code="ann")
        cached = Everything.all().cached(ttl=3600)
        assert [e.code for e in await cached] == ["ann"]
        lost = ReplyLost(admin)
        lost.install(monkeypatch, type(db._pool.idle_connections()[0]))
        lost.armed = True
        with pytest.raises(ferrule.ConnectionError):
            await Everything.filter(code="ann").update(code="bob")  # committed, reply lost
        assert [e.code for e in await cached] == ["bob"], "the cache kept a stale answer"
        lost.armed = True
        with pytest.raises(ferrule.ConnectionError):
            await Everything.create(code="cy")
        assert sorted(e.code for e in await cached) == ["bob", "cy"]


async def test_the_query_cache_keeps_nothing_of_a_transaction_whose_connection_died(
    url: str, dialect: str
) -> None:
    async with killable(url, dialect) as (db, admin):
        await Everything.create(code="ann")
        cached = Everything.all().cached(ttl=3600)
        assert [e.code for e in await cached] == ["ann"]
        with pytest.raises(ferrule.ConnectionError):
            async with orm.transaction():
                await Everything.filter(code="ann").update(code="bob")
                assert [e.code for e in await cached] == ["bob"]  # (passed by: its own write)
                await admin.kill(await _pid(db))
                await Everything.create(code="cy")
        assert [e.code for e in await cached] == ["ann"]
        await asyncio.sleep(0)
        assert await codes() == ["ann"]


class CommitLost:
    """The victim's next COMMIT: run (``ran``) or not, then its connection is killed and
    the reply lost (``CommitUnknownError``)."""

    def __init__(self, admin: Any, ran: bool) -> None:
        self.admin = admin
        self.ran = ran
        self.armed = False

    def install(self, monkeypatch: pytest.MonkeyPatch, conn_class: type) -> None:
        real = conn_class.commit

        async def commit(conn: Any, *args: Any) -> Any:
            if not self.armed:
                return await real(conn, *args)
            self.armed = False
            if self.ran:
                await real(conn, *args)
            raw = conn._raw
            await self.admin.kill(raw.get_server_pid() if self.admin.postgres else raw.thread_id())
            raise ferrule.ConnectionError("the connection was lost (the reply to COMMIT with it)")

        monkeypatch.setattr(conn_class, "commit", commit)


@pytest.mark.parametrize("ran", [True, False], ids=["committed", "not-committed"])
async def test_instances_deleted_in_a_block_whose_commit_is_unknown_are_in_doubt(
    url: str, dialect: str, ran: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted in a block, an instance loses its key (back if the block rolls back). When
    the reply to the block's COMMIT is lost, the row may or may not be gone: a save() must
    neither bring it back nor make a second row beside it."""
    async with killable(url, dialect) as (db, admin):
        ann = await Everything.create(code="ann")
        key = ann.id
        lost = CommitLost(admin, ran)
        lost.install(monkeypatch, type(db._pool.idle_connections()[0]))
        with pytest.raises(ferrule.CommitUnknownError):
            async with orm.transaction():
                await ann.delete()
                lost.armed = True
        assert await codes() == ([] if ran else ["ann"])
        with pytest.raises(orm.WriteInDoubtError):
            await ann.save()
        assert await codes() == ([] if ran else ["ann"]), "a save() wrote a row"
        if ran:
            with pytest.raises(Everything.DoesNotExist):
                await ann.refresh_from_db()
            assert ann.id is None
        else:
            await ann.refresh_from_db()
            assert ann.id == key
