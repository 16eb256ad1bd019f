"""``QuerySet.iterator()`` (and ``async for``) with ``prefetch_related()`` on a pool of one
connection whose loop holds it: a server's opened with ``max_size=1`` (SQLite's loop holds none
between chunks, ``backends.sqlite_snapshots``, unless its pool resets every connection).

The loop holds its connection until it ends, and the prefetch of each chunk is another query:
from the pool, it waited ``acquire_timeout`` for a connection the loop itself held, then
raised ``PoolTimeoutError``. There the loop runs inside a ``db.connection()`` block, so the
prefetch queries take turns on the loop's connection (SQLite runs a statement between the
rows of another; PostgreSQL and MariaDB read the rest of the loop's rows first, as for any
statement run inside such a loop).

The block is the loop's own: while the caller's body runs (at each ``yield``), the task's
context names no block, as without it, so the caller's statements go where they went before
and a loop the caller leaves without closing it (closed later by the event loop's finaliser,
in another context) leaves nothing behind in the caller's context. A pool of more
connections is left as it was: there the prefetch takes another connection and the loop
keeps its bounded memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any

__all__ = ["chunks", "held", "one_connection"]


def one_connection(db: Any) -> bool:
    """Whether ``db``'s pool has a single connection and the task holds none of it yet (a
    block's connection is the loop's and the prefetch's already), and the loop would hold it
    (SQLite's loop holds none between batches: ``backends.sqlite_snapshots``)."""
    return bool(
        db._pool._options.max_size == 1
        and db._binding.get() is None
        and db._copied_streams() is False
    )


async def held(chunks: AsyncGenerator[list[Any], None], db: Any) -> AsyncGenerator[Any, None]:
    """The items of ``chunks`` (an ``iterator()`` stream, not started), read inside a
    ``db.connection()`` block that the caller does not see between items."""
    async with db.connection(), contextlib.aclosing(chunks):  # the stream ends first
        async for chunk in chunks:
            for item in chunk:
                token = db._binding.set(None)  # the caller's turn: no block of ours
                try:
                    yield item
                finally:
                    # ValueError: closed by the event loop's finaliser, in another context
                    with contextlib.suppress(ValueError):
                        db._binding.reset(token)


async def chunks(
    qs: Any, db: Any, query: Any, described: list[Any], chunk_size: int
) -> AsyncGenerator[list[Any], None]:
    """The instances of ``qs.iterator()`` (its ``query`` on ``db``), a chunk at a time."""
    chunk: list[Any] = []
    # closed with this generator (aclose(), a break the caller closes): the connection goes
    # back to the pool then, not when the garbage collector finds the stream
    async with contextlib.aclosing(db.iterate(query, batch_size=chunk_size)) as rows:
        async for row in rows:
            chunk.append(row)
            if len(chunk) >= chunk_size:
                yield await qs._materialize(db, chunk, described)
                chunk = []
    if chunk:
        yield await qs._materialize(db, chunk, described)
