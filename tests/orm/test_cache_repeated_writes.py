"""The query cache around a transaction that writes one table again and again (the later
writes skip the invalidation the first one made: ``cache.invalidate``): readers outside it,
caching as they go, never keep an answer that its commit or rollback made stale."""

from __future__ import annotations

import asyncio

import pytest

from ferrule import orm

from .conftest import opened
from .models import Author


class _Undone(Exception):
    pass


def _cached() -> orm.QuerySet[Author]:
    return Author.all().order_by("name").values_list("name", "rating").cached(ttl=600)  # type: ignore[return-value]


@pytest.mark.parametrize("ending", ["commit", "rollback"])
async def test_readers_between_a_transactions_writes_keep_nothing_stale(
    url: str, ending: str
) -> None:
    async with opened(url, min_size=3, max_size=3):
        await Author.bulk_create([Author(name=f"a{i}", rating=i) for i in range(3)])
        before = await _cached()
        inside_done = asyncio.Event()
        step = asyncio.Event()
        readings = []

        async def writer() -> None:
            try:
                async with orm.transaction():
                    for i in range(4):
                        await Author.create(name=f"new{i}", rating=10 + i)
                        await Author.filter(name="a0").update(rating=orm.F("rating") + 1)
                        step.set()
                        await asyncio.sleep(0.01)
                    assert len(await _cached()) == 3 + 4  # its own rows, read fresh
                    if ending == "rollback":
                        raise _Undone
            except _Undone:
                pass
            finally:
                inside_done.set()

        async def reader() -> None:
            await step.wait()
            while not inside_done.is_set():
                readings.append(await _cached())  # the committed rows only
                await asyncio.sleep(0.003)

        await asyncio.gather(writer(), reader())
        truth = await Author.all().order_by("name").values_list("name", "rating")
        assert await _cached() == truth
        assert len(truth) == (7 if ending == "commit" else 3)
        # each reading is what was committed when it ran: the rows before, or (a read that
        # crossed the commit) the rows after
        assert readings and readings[0] == before
        assert all(r in (before, truth) for r in readings)
    orm.cache.query_cache.clear()


async def test_cached_without_a_ttl_keeps_its_answer_until_a_write(url: str) -> None:
    """``cached(ttl=None)`` is a cache that never expires (its docstring and error message
    say so), not no cache: the second read is a hit, and a write still empties it."""
    async with opened(url):
        await Author.create(name="ann", rating=1)
        query = Author.all().order_by("name").values_list("name", flat=True)
        assert await query.cached(None) == ["ann"]
        hits = orm.query_cache.hits
        assert await query.cached(None) == ["ann"]
        assert orm.query_cache.hits == hits + 1
        await Author.create(name="bo", rating=2)
        assert await query.cached(None) == ["ann", "bo"]
    orm.cache.query_cache.clear()
