"""Reads cancelled at every await point: ``prefetch_related`` (its second and third queries),
``iterator()`` (a stream that holds its connection, with a write of the loop's own task
between chunks) and a cached read, outside and inside ``orm.transaction()``. The rows stay
as they were, the pool has its connection back, outside any transaction, and the next
reads (cached too) give what the database holds."""

from __future__ import annotations

import collections
from typing import Any

import pytest

import ferrule
from backends.test_cancellation import idle_in_transaction
from ferrule import orm
from ferrule.backends.defaults import default_database

from .conftest import cut_at, opened
from .models import Author, Post
from .test_write_cancellation import _tagged, _trap
from .write_cases import reset, state


async def _prefetched() -> Any:
    posts = await Post.all().order_by("title").prefetch_related("tags", "author")
    return [(p.title, p.author.name, sorted(t.label for t in await p.tags.all())) for p in posts]


async def _streamed() -> Any:
    seen = []
    async for post in Post.all().order_by("title").iterator(chunk_size=1):
        seen.append(post.title)
        if default_database().in_transaction():  # the loop's task, between chunks
            await Author.filter(name="nobody").update(rating=1)
    return seen


async def _cached() -> Any:
    return await Post.all().order_by("title").values_list("title", "views").cached(ttl=600)


READS = {"prefetch_related": _prefetched, "iterator": _streamed, "cached": _cached}


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["alone", "in_transaction"])
@pytest.mark.parametrize("read", list(READS))
async def test_a_cancelled_read_leaves_rows_pool_and_cache(
    url: str, dialect: str, how: str, shape: str, read: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    if how == "in_flight" and (read, shape) == ("iterator", "alone"):
        pytest.skip("a stream alone runs no trapped connection operation (the loop cancels it)")
    url, tag = _tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        await reset()
        before = await state()
        expected = await READS[read]()
        trap = _trap(db, how, monkeypatch)

        async def work() -> Any:
            if shape == "alone":
                return await READS[read]()
            async with orm.transaction():
                return await READS[read]()

        outcomes: collections.Counter[str] = collections.Counter()
        finished = 0
        for n in range(500):
            orm.cache.query_cache.clear()  # the read goes to the database
            outcome, result = await cut_at(work(), n, trap)
            outcomes[outcome] += 1
            if outcome == "ok":
                assert result == expected
                finished += 1
            else:
                finished = 0
            assert db.stats()["in_use"] == 0
            assert not any(conn.in_transaction for conn in db._pool.idle_connections())
            assert await idle_in_transaction(db, dialect, tag, observer) == 0
            assert await state() == before
            assert await READS[read]() == expected  # the pool works, the cache is right
            if finished == 2 or (trap is not None and trap.calls < trap.target):
                break
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    orm.cache.query_cache.clear()
