"""The query cache never serves what the database does not hold: a transaction's writes are not
seen through it before they are committed (by the transaction itself or by other tasks) and are
gone with a rollback; an entry filled while a transaction that wrote the table was open is not
kept past its end."""

from __future__ import annotations

import asyncio
from typing import Any

from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag


def _ratings() -> Any:
    return Author.filter(name="ann").cached(60).values_list("rating", flat=True)


class _Rollback(Exception):
    pass


async def test_a_rolled_back_write_is_not_served_from_the_cache(url: str) -> None:
    async with opened(url):
        orm.query_cache.clear()
        await Author.create(name="ann", rating=1)
        assert await _ratings() == [1]
        try:
            async with orm.transaction():
                await Author.filter(name="ann").update(rating=2)
                assert await _ratings() == [2]  # the transaction sees its own write
                raise _Rollback
        except _Rollback:
            pass
        assert await Author.filter(name="ann").values_list("rating", flat=True) == [1]
        assert await _ratings() == [1]


async def test_other_tasks_never_read_uncommitted_work_through_the_cache(url: str) -> None:
    async with opened(url) as db:
        orm.query_cache.clear()
        await Author.create(name="ann", rating=1)
        written, release = asyncio.Event(), asyncio.Event()

        async def writer(commit: bool) -> None:
            try:
                async with orm.transaction():
                    await Author.filter(name="ann").update(rating=orm.F("rating") + 1)
                    await _ratings()  # read (and, before the fix, cached) inside
                    written.set()
                    await release.wait()
                    if not commit:
                        raise _Rollback
            except _Rollback:
                pass

        for commit, expected in ((False, 1), (True, 2)):
            written.clear()
            release.clear()
            task = asyncio.create_task(writer(commit))
            await written.wait()
            if db.dialect != "sqlite":  # SQLite's one connection: readers wait for the writer
                assert await _ratings() == [expected - 1 if commit else 1]  # committed state
            release.set()
            await task
            assert await _ratings() == [expected]


async def test_writes_to_a_subquery_or_link_table_empty_the_entries_that_read_it(url: str) -> None:
    """The tables a cached query reads are those its SQL names: a subquery's table and a
    many-to-many link table too (only the main table and its joined models were counted)."""
    async with opened(url):
        orm.query_cache.clear()
        low = await Author.create(name="low", rating=1)
        high = await Author.create(name="high", rating=9)
        first = await Post.create(title="first", author=low)
        await Post.create(title="second", author=high)
        tag = await Tag.create(label="x")

        def rated() -> Any:
            return (
                Post.filter(author__in=Author.filter(rating__gt=5))
                .cached(60)
                .order_by("title")
                .values_list("title", flat=True)
            )

        def tagged() -> Any:
            return Post.filter(tags__label="x").cached(60).values_list("title", flat=True)

        assert await rated() == ["second"]
        assert await tagged() == []
        await Author.filter(name="low").update(rating=10)
        await first.tags.add(tag)
        assert await rated() == ["first", "second"]
        assert await tagged() == ["first"]
        await first.tags.clear()
        assert await tagged() == []


async def test_a_table_written_many_times_in_a_transaction_is_cached_again_after_it(
    url: str,
) -> None:
    """Each write inside a transaction keeps the table out of the cache until the end; many
    writes (counted once per transaction) are all forgotten when it ends, committed or not."""
    async with opened(url):
        orm.query_cache.clear()
        await Author.create(name="ann", rating=1)
        for commit in (True, False):
            try:
                async with orm.transaction():
                    for i in range(3):
                        await Author.filter(name="ann").update(rating=orm.F("rating") + 1)
                        await Author.create(name=f"bob{commit}{i}", rating=1)
                    if not commit:
                        raise _Rollback
            except _Rollback:
                pass
            expected = [4]
            assert await _ratings() == expected
            hits = orm.query_cache.hits
            assert await _ratings() == expected  # kept: the table is no longer being written
            assert orm.query_cache.hits == hits + 1
            orm.query_cache.clear()
