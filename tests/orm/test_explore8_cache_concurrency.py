"""The opt-in query cache while many tasks write through one pool: a value written by a
transaction that then rolls back is never served (not while the transaction is open, nor
after), a read inside a transaction never fills the shared cache with its uncommitted rows,
and once the writers are done every cached read gives what the database holds."""

from __future__ import annotations

import asyncio
import collections
import random
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import cut_at, opened
from .models import Author, Post, Tag
from .test_write_cancellation import _trap

POISON = 999  # a rating only rolled-back transactions write


class _Undone(Exception):
    pass


def _cached() -> Any:
    return Author.all().order_by("name").values_list("name", "rating").cached(ttl=600)


async def test_rolled_back_and_uncommitted_values_are_never_cached(url: str) -> None:
    async with opened(url, min_size=4, max_size=4):
        await Author.bulk_create([Author(name=f"a{i}", rating=i) for i in range(4)])
        await Tag.create(label="t")
        seen: collections.Counter[str] = collections.Counter()
        rng = random.Random(8)

        async def poisoner(n: int) -> None:
            """Writes the poison in a transaction (or a savepoint) that rolls back, reading it
            back inside, cached, as it goes."""
            for i in range(15):
                try:
                    async with orm.transaction():
                        target = f"a{(n + i) % 4}"
                        if i % 3 == 0:
                            await Author.filter(name=target).update(rating=POISON)
                        elif i % 3 == 1:
                            author = await Author.get(name=target)
                            author.rating = POISON
                            await author.save()
                        else:
                            await Author.create(name=f"ghost{n}", rating=POISON)
                        inside = await _cached()  # its own write, not for the shared cache
                        assert any(r == POISON for _, r in inside)
                        await asyncio.sleep(0)
                        raise _Undone
                except _Undone:
                    seen["rolled back"] += 1

        async def committer(n: int) -> None:
            for i in range(15):
                target = f"a{rng.randrange(4)}"
                if i % 2:
                    await Author.filter(name=target).update(rating=orm.F("rating") + 1)
                else:
                    async with orm.transaction():
                        await Author.filter(name=target).update(rating=orm.F("rating") + 1)
                        await Tag.filter(label="t").update(label="t")
                seen["committed"] += 1

        async def reader() -> None:
            for _ in range(60):
                rows = await _cached()
                assert all(r != POISON and not name.startswith("ghost") for name, r in rows)
                seen["read"] += 1
                await asyncio.sleep(0)

        await asyncio.gather(
            *(poisoner(n) for n in range(3)),
            *(committer(n) for n in range(2)),
            *(reader() for _ in range(3)),
        )
        truth = await Author.all().order_by("name").values_list("name", "rating")
        assert await _cached() == truth
        assert sum(r for _, r in truth) == sum(range(4)) + 30
        assert seen == {"rolled back": 45, "committed": 30, "read": 180}
    orm.cache.query_cache.clear()


async def _remade() -> dict[str, Any]:
    """ann with a post tagged t1, and bo: the rows the cached reads below read."""
    for model in (Post, Tag, Author):
        await model.all().delete()
    ann = await Author.create(name="ann", rating=1)
    bo = await Author.create(name="bo", rating=2)
    t1, t2 = await Tag.create(label="t1"), await Tag.create(label="t2")
    post = await Post.create(title="p", author=ann)
    await post.tags.add(t1)
    return {"ann": ann, "bo": bo, "t1": t1, "t2": t2, "post": post}


async def _save_fields(g: dict[str, Any]) -> None:
    g["ann"].rating = 5
    await g["ann"].save(update_fields=["rating"])


async def _bulk_update(g: dict[str, Any]) -> None:
    g["ann"].rating, g["bo"].rating = 7, 8
    await Author.bulk_update([g["ann"], g["bo"]], ["rating"])


async def _heard_delete(g: dict[str, Any]) -> None:
    orm.post_delete.connect(Post, _quiet)
    try:
        await g["ann"].delete()
    finally:
        orm.post_delete.disconnect(Post, _quiet)


def _quiet(sender: type, instance: Any, **kwargs: Any) -> None:
    pass


CACHED_WRITES = {
    "save_update_fields": _save_fields,
    "bulk_update": _bulk_update,
    "update_or_create": lambda g: Author.update_or_create(name="bo", defaults={"rating": 9}),
    "delete_cascading": lambda g: g["ann"].delete(),
    "delete_heard": _heard_delete,
    "queryset_delete": lambda g: Author.filter(name="bo").delete(),
    "m2m_add": lambda g: g["post"].tags.add(g["t2"]),
    "m2m_remove": lambda g: g["post"].tags.remove(g["t1"]),
    "m2m_set": lambda g: g["post"].tags.set([g["t2"]]),
    "m2m_clear": lambda g: g["post"].tags.clear(),
}


def _cached_views() -> list[Any]:
    return [
        Author.all().order_by("name").values_list("name", "rating").cached(ttl=600),
        Post.filter(tags__isnull=False).values_list("title", "tags__label").cached(ttl=600),
        Tag.filter(posts__author__name="ann").values_list("label", flat=True).cached(ttl=600),
    ]


def _views() -> list[Any]:
    return [
        Author.all().order_by("name").values_list("name", "rating"),
        Post.filter(tags__isnull=False).values_list("title", "tags__label"),
        Tag.filter(posts__author__name="ann").values_list("label", flat=True),
    ]


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(CACHED_WRITES))
async def test_a_cancelled_write_leaves_no_stale_cached_answer(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``test_cache_failures`` for the writes it leaves out: each cancelled at every point,
    then every cached read (joins through the link table too) gives what the database does."""
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        trap = _trap(db, how, monkeypatch)
        outcomes: collections.Counter[str] = collections.Counter()
        finished = 0
        for n in range(300):
            made = await _remade()
            for view in _cached_views():
                await view  # an entry for each
            outcome, _ = await cut_at(CACHED_WRITES[write](made), n, trap)
            outcomes[outcome] += 1
            finished = finished + 1 if outcome == "ok" else 0
            for cached, truth in zip(_cached_views(), _views(), strict=True):
                assert sorted(await cached) == sorted(await truth), (n, outcomes)
            if finished == 2 or (trap is not None and trap.calls < trap.target):
                break
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    orm.cache.query_cache.clear()


async def test_a_write_of_a_task_outliving_its_block_leaves_the_table_cached(url: str) -> None:
    """A write of a task started inside a block that ended raises (``TransactionError``), and
    its table is cached again as usual: it did not count as written by a transaction that
    had already ended (whose end would never count it off: the table never cached again)."""
    async with opened(url):
        ended = asyncio.Event()

        async def late() -> None:
            await ended.wait()
            await Author.create(name="late")

        async with orm.transaction():
            task = asyncio.ensure_future(late())
            await asyncio.sleep(0)
        ended.set()
        with pytest.raises(ferrule.errors.TransactionError):
            await task
        await _cached()
        hits = orm.query_cache.hits
        assert await _cached() == []
        assert orm.query_cache.hits == hits + 1, orm.query_cache._writing
    orm.cache.query_cache.clear()
