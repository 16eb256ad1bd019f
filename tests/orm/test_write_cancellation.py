"""ORM writes cancelled at every await point: ``create``, ``save()``, ``bulk_create`` (PostgreSQL's
``COPY`` paths too), ``bulk_update``, ``get_or_create``, ``update_or_create``, many-to-many
``add``/``set``/``clear``, a cascading ``delete()``, signal receivers (sync and async, one of
them writing) and ``orm.transaction()`` blocks holding several of these.

Each operation is run once to learn its result, then cancelled in the n-th state of its work
(``stepping``: n = 0, 1, ... until it finishes three times in a row) and, on the servers, as
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
from ferrule import orm

from .conftest import CancelTrap, opened
from .models import Author, Post, Profile, Tag

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

Given = dict[str, Any]


async def _state() -> tuple[list[Any], ...]:
    """Every row the operations touch, by natural key (generated keys differ run to run)."""
    return (
        sorted(await Author.values_list("name", "rating")),
        sorted(await Tag.values_list("label", flat=True)),
        sorted(await Post.values_list("title", "author__name", "views")),
        sorted(await Post.filter(tags__isnull=False).values_list("title", "tags__label")),
        sorted(await Profile.values_list("author__name", "bio")),
    )


async def _reset() -> None:
    """The rows every run starts from: ann's two posts (p1 tagged t1, t2), bo's one."""
    async with orm.transaction():
        for model in (Profile, Post, Tag, Author):
            await model.all().delete()
        ann = await Author.create(name="ann", rating=1)
        bo = await Author.create(name="bo", rating=2)
        tags = [await Tag.create(label=f"t{i}") for i in (1, 2, 3)]
        p1 = await Post.create(title="p1", author=ann)
        await Post.create(title="p2", author=ann, views=5)
        await Post.create(title="p3", author=bo)
        await p1.tags.add(*tags[:2])
        await Profile.create(author=ann, bio="hers")


async def _given() -> Given:
    """Fresh instances of the starting rows, by name."""
    out: Given = {a.name: a for a in await Author.all()}
    out.update({t.label: t for t in await Tag.all()})
    out.update({p.title: p for p in await Post.all()})
    return out


# -- the operations -----------------------------------------------------------------------------


async def _create(g: Given) -> Any:
    return await Author.create(name="cy", rating=3)


async def _save_new(g: Given) -> Any:
    await Author(name="cy", rating=3).save()


async def _save_changed(g: Given) -> Any:
    g["ann"].rating = 9
    await g["ann"].save()


async def _bulk_create_keys_back(g: Given) -> Any:
    return await Tag.bulk_create([Tag(label=f"n{i}") for i in range(5)], batch_size=2)


async def _bulk_create_copy(g: Given) -> Any:
    # keys given: none wanted back (PostgreSQL: COPY)
    return await Tag.bulk_create([Tag(id=1000 + i, label=f"n{i}") for i in range(5)])


async def _bulk_create_copy_keys(g: Given) -> Any:
    # enough rows for PostgreSQL to take the keys first and COPY the rows with them
    return await Tag.bulk_create([Tag(label=f"n{i:03}") for i in range(210)])


async def _bulk_update(g: Given) -> Any:
    posts = [g["p1"], g["p2"], g["p3"]]
    for post in posts:
        post.views += 10
    return await Post.bulk_update(posts, ["views"])


async def _get_or_create_new(g: Given) -> Any:
    return await Author.get_or_create(name="cy", defaults={"rating": 3})


async def _update_or_create_new(g: Given) -> Any:
    return await Author.update_or_create(name="cy", defaults={"rating": 3})


async def _update_or_create_found(g: Given) -> Any:
    return await Author.update_or_create(name="bo", defaults={"rating": 8})


async def _m2m_add(g: Given) -> Any:
    await g["p3"].tags.add(g["t1"], g["t2"], g["t3"])


async def _m2m_set(g: Given) -> Any:
    await g["p1"].tags.set([g["t2"], g["t3"]])


async def _m2m_clear(g: Given) -> Any:
    await g["p1"].tags.clear()


async def _cascading_delete(g: Given) -> Any:
    await g["ann"].delete()  # her posts, their tag links, her profile


async def _block(g: Given) -> Any:
    g["tx"] = tx = orm.transaction()
    async with tx:
        cy = await Author.create(name="cy", rating=3)
        new = await Tag.bulk_create([Tag(label="n1"), Tag(label="n2")])
        post = await Post.create(title="p4", author=cy)
        await post.tags.add(*new)
        await Post.filter(author__name="ann").update(views=orm.F("views") + 1)
        g["bo"].rating = 7
        await g["bo"].save()
        await g["p1"].tags.set([g["t3"]])
        await Author.get_or_create(name="dee", defaults={"rating": 4})
        await Author.update_or_create(name="ann", defaults={"rating": 6})


WRITES: dict[str, Callable[[Given], Awaitable[Any]]] = {
    "create": _create,
    "save_new": _save_new,
    "save_changed": _save_changed,
    "bulk_create_keys_back": _bulk_create_keys_back,
    "bulk_create_copy": _bulk_create_copy,
    "bulk_create_copy_keys": _bulk_create_copy_keys,
    "bulk_update": _bulk_update,
    "get_or_create_new": _get_or_create_new,
    "update_or_create_new": _update_or_create_new,
    "update_or_create_found": _update_or_create_found,
    "m2m_add": _m2m_add,
    "m2m_set": _m2m_set,
    "m2m_clear": _m2m_clear,
    "cascading_delete": _cascading_delete,
    "block": _block,
}


class _Receivers:
    """``post_save`` receivers of ``Author``: a sync one counting, an async one that gives a
    new author a profile (a write of its own, in the save's transaction)."""

    def __init__(self) -> None:
        self.seen = 0

    def counted(self, sender: type, instance: Any, **kwargs: Any) -> None:
        self.seen += 1

    async def profiled(self, sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        await asyncio.sleep(0)
        if created and instance.name not in ("ann", "bo"):  # (those of _reset have theirs)
            await Profile.create(author=instance, bio=f"about {instance.name}")

    def __enter__(self) -> _Receivers:
        orm.post_save.connect(Author, self.counted)
        orm.post_save.connect(Author, self.profiled)
        return self

    def __exit__(self, *exc: object) -> None:
        orm.post_save.disconnect(Author, self.counted)
        orm.post_save.disconnect(Author, self.profiled)


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
    await _reset()
    before = await _state()
    await write(await _given())  # the reference run: what the write leaves
    after = await _state()
    assert after != before
    outcomes: collections.Counter[str] = collections.Counter()
    finished = 0
    await _reset()
    for n in range(1000):
        given = await _given()
        try:
            task, steps = stepping.start(write(given))
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
        state = await _state()
        assert state in (before, after), f"a part of the write, cancelled in state {n}"
        if outcome == "ok":
            assert state == after
        if "tx" in given:  # a block: committed exactly when it says so
            assert (state == after) == bool(given["tx"].committed), n
        if state != before:
            await _reset()
        if how == "in_flight" and trap is not None and trap.calls < trap.target:
            break  # every operation got its cancellation
        finished = finished + 1 if outcome == "ok" else 0
        if finished == 3:
            break
    assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    return outcomes


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_cancelled_write_is_all_or_nothing(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    url, tag = _tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        trap = None
        if how == "in_flight":
            conn_class = type(db._pool.idle_connections()[0])
            trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
            trap.install(monkeypatch, conn_class)
        await _cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", ["create", "save_new", "get_or_create_new", "block"])
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
        trap = None
        if how == "in_flight":
            conn_class = type(db._pool.idle_connections()[0])
            trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
            trap.install(monkeypatch, conn_class)
        with _Receivers() as receivers:
            await _cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])
        assert receivers.seen > 0
