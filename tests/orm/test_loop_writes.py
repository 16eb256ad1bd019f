"""``async for p in qs: p.x = ...; await p.save()``: a loop over more rows than one chunk that
saves each row, as Django and Tortoise users write it.

On SQLite the loop held its statement open between chunks: on a pool of one connection
(``sqlite://``, or ``max_size=1``) the first save waited ``acquire_timeout`` for the connection
the loop held and raised ``PoolTimeoutError``; inside a transaction, ordered by an indexed
column the body changes, the open statement met the changed rows again, without end. The
answers here are PostgreSQL's and MariaDB's (a snapshot at the loop's start) and the
database's own rows, read by another connection after each save."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import decimal
import gc
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import opened
from .models import Author, Color, Everything, Level, Post


def _one_connection(dialect: str) -> dict[str, Any]:
    """SQLite on a pool of one connection (as ``sqlite://`` always is); the servers as a user
    opens them (a loop holding one connection of ten is theirs to keep)."""
    return {"max_size": 1, "acquire_timeout": 3} if dialect == "sqlite" else {}


@contextlib.asynccontextmanager
async def _observer(url: str) -> AsyncIterator[Any]:
    """Another connection to the same database: it sees only what was committed."""
    other = await ferrule.connect(url, max_size=1)
    try:
        yield other
    finally:
        await other.close()


async def _titled(count: int) -> list[int]:
    author = await Author.create(name="a")
    posts = [Post(title=f"t{(i * 7) % count:04d}", author=author) for i in range(count)]
    await Post.bulk_create(posts)
    ids: list[int] = await Post.order_by("title").values_list("id", flat=True)
    return ids


async def _title_of(db: Any, key: int) -> str:
    title: str = await db.fetch_val(
        ferrule.sql.text("SELECT title FROM ormt_post WHERE id = :k", k=key)
    )
    return title


async def test_each_save_in_a_loop_is_committed_when_it_returns(url: str, dialect: str) -> None:
    """Ordered by the indexed column each save changes, past several chunks: every row once,
    in the order at the loop's start, each save seen by another connection at once."""
    async with opened(url, **_one_connection(dialect)), _observer(url) as other:
        ids = await _titled(23)
        seen = []
        async for post in Post.order_by("title").iterator(chunk_size=5):
            seen.append(post.id)
            if len(seen) > 2 * len(ids):
                break  # (the loop that never ends)
            post.title = "z" + post.title
            await post.save()
            assert await _title_of(other, post.id) == post.title
        assert seen == ids
        titles = await Post.values_list("title", flat=True)
        assert all(t.startswith("z") and not t.startswith("zz") for t in titles), titles


async def test_async_for_past_one_default_chunk(url: str, dialect: str) -> None:
    """``async for`` reads 1,000 rows a chunk: the save after the first chunk was the one
    that waited."""
    async with opened(url, **_one_connection(dialect)), _observer(url) as other:
        await Author.bulk_create([Author(name=f"n{i:04d}") for i in range(1003)])
        want = await Author.order_by("name").values_list("id", flat=True)
        seen = []
        async for author in Author.order_by("name"):
            seen.append(author.id)
            if len(seen) % 250 == 1:
                author.rating = len(seen)
                await author.save()
                assert await other.fetch_val(
                    ferrule.sql.text("SELECT rating FROM ormt_author WHERE id = :k", k=author.id)
                ) == len(seen)
        assert seen == want
        assert await Author.filter(rating__gt=0).count() == 5


async def test_a_loop_inside_a_transaction_meets_each_row_once(url: str, dialect: str) -> None:
    """Inside ``transaction()`` the saves are committed with it, not before; the loop meets
    every row once, though each save moves its row to the end of the loop's index."""
    async with opened(url, **_one_connection(dialect)), _observer(url) as other:
        ids = await _titled(17)
        before = await _title_of(other, ids[0])
        seen = []
        async with orm.transaction():
            async for post in Post.order_by("title").iterator(chunk_size=4):
                seen.append(post.id)
                if len(seen) > 2 * len(ids):
                    break
                post.title = "z" + post.title
                await post.save()
            if dialect != "sqlite":  # (a SQLite file's writer keeps others waiting)
                assert await _title_of(other, ids[0]) == before
        assert seen == ids
        assert await _title_of(other, ids[0]) == "z" + before


async def test_the_loop_reads_what_a_full_read_reads(url: str, dialect: str) -> None:
    """Every column type, instances and values(), as the same query read at once; a row the
    body deletes or adds after the loop started changes nothing the loop yields."""
    async with opened(url, **_one_connection(dialect)):
        moment = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)
        rows = [
            Everything(
                id=i,
                flag=bool(i % 2),
                price=decimal.Decimal("1.250") * i,
                code=f"c{i}",
                blob=bytes([i]),
                moment=moment + dt.timedelta(days=i),
                day=dt.date(2024, 1, 1 + i),
                clock=dt.time(1, i),
                span=dt.timedelta(seconds=i),
                key=uuid.UUID(int=i),
                data={"i": i, "l": [i, None]},
                color=Color.RED if i % 2 else None,
                level=Level.LOW if i % 3 else None,
            )
            for i in range(1, 12)
        ]
        await Everything.bulk_create(rows)
        query = Everything.order_by("-price")
        want = [e.model_dump() for e in await query]
        got = []
        async for item in query.iterator(chunk_size=4):
            got.append(item.model_dump())
            if len(got) == 1:
                await Everything.filter(id=3).delete()
                await Everything.create(id=99, code="new")
        assert got == want
        values = query.values("id", "flag", "price", "moment", "data", "key")
        want_values = await values
        assert [v async for v in values.iterator(chunk_size=3)] == want_values


async def test_a_prefetching_loop_that_saves(url: str, dialect: str) -> None:
    """``prefetch_related`` in the loop, and a save of each row in its body."""
    async with opened(url, **_one_connection(dialect)):
        author = await Author.create(name="a")
        await Post.bulk_create([Post(title=f"t{i}", author=author, views=i) for i in range(5)])
        seen = []
        async for post in Post.prefetch_related("tags").order_by("id").iterator(chunk_size=2):
            seen.append(len(post.tags))
            post.views += 10
            await post.save()
        assert seen == [0] * 5
        assert sorted(await Post.values_list("views", flat=True)) == list(range(10, 15))


async def test_a_loop_on_a_memory_database(dialect: str) -> None:
    """``sqlite://``: one private database, on one connection; a loop left early leaves no
    table of its own behind."""
    if dialect != "sqlite":
        pytest.skip("sqlite:// is SQLite's")
    async with opened("sqlite://") as db:
        ids = await _titled(12)
        seen = []
        async for post in Post.order_by("title").iterator(chunk_size=5):
            seen.append(post.id)
            post.title = "z" + post.title
            await post.save()
            assert not db.in_transaction()
        assert seen == ids
        async for _ in Post.all().iterator(chunk_size=2):
            break  # (closed by the event loop's finaliser)
        gc.collect()
        for _ in range(5):
            await asyncio.sleep(0)
        async with contextlib.aclosing(Post.all().iterator(chunk_size=2)) as loop:
            async for _ in loop:
                break
        rows = await db.fetch_all("SELECT name FROM sqlite_temp_master", [])
        assert list(rows) == []


async def test_raw_iterate_rows_are_as_fetch_all(url: str, dialect: str) -> None:
    """``db.iterate`` of raw text: the same rows and column names (a name twice included)."""
    async with opened(url, **_one_connection(dialect)) as db:
        await Author.bulk_create([Author(name=f"n{i}", rating=i) for i in range(7)])
        text = ferrule.sql.text(
            "SELECT id, name, rating, id, rating * 2 AS twice FROM ormt_author"
            " WHERE rating >= :low ORDER BY rating DESC",
            low=2,
        )
        want = await db.fetch_all(text)
        got = [row async for row in db.iterate(text, batch_size=2)]
        assert [tuple(r) for r in got] == [tuple(r) for r in want]
        assert [list(r.keys()) for r in got] == [list(r.keys()) for r in want]


async def test_a_loop_on_a_file_without_wal(url: str, dialect: str) -> None:
    """A SQLite file in its rollback journal (``journal_mode=delete``): the loop's open read
    held a SHARED lock, and the save from another connection of the pool waited
    ``busy_timeout``, then failed ("database is locked")."""
    if dialect == "sqlite":
        url += "?journal_mode=delete&busy_timeout=2"
    async with opened(url), _observer(url) as other:
        ids = await _titled(9)
        seen = []
        async for post in Post.order_by("title").iterator(chunk_size=4):
            seen.append(post.id)
            post.title = "z" + post.title
            await post.save()
            assert await _title_of(other, post.id) == post.title
        assert seen == ids
