"""``orm.transaction()`` inside an async generator that its consumer leaves early (``break``,
an exception) without ``contextlib.aclosing``: the event loop's finaliser closes the
generator later, in a task of its own, whose context is not the one the block was entered
in. The block must still end there: rolled back, its connection back in the pool, its row
locks released; and the consumer's later ORM calls, whose context still names the block,
raise ``TransactionError`` instead of running in a transaction nobody will end.

Before: resetting the block's context variable from the finaliser's context raised
``ValueError`` ("created in a different Context") in a task nobody awaited, the block never
ended, the connection stayed checked out in its transaction holding the generator's row
locks, and every later writer of those rows waited forever."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import opened
from .models import Author, Tag

HANG = 10.0  # a hang detector, not a timing: a write that waits this long is stuck


async def _locked_rows() -> AsyncIterator[Any]:
    async with orm.transaction():
        await Tag.create(label="made in the generator")
        for author in await Author.all().order_by("name").select_for_update():
            yield author


async def _finalised() -> list[BaseException | None]:
    """Collect abandoned generators, and wait for the ``aclose()`` tasks the loop's finaliser
    starts for them (on SQLite they may have ended already): what each raised."""
    gc.collect()
    await asyncio.sleep(0)
    closing = [
        task
        for task in asyncio.all_tasks()
        if type(task.get_coro()).__name__ == "async_generator_athrow"
    ]
    done = await asyncio.gather(*closing, return_exceptions=True)
    return [d for d in done if isinstance(d, BaseException)]


@pytest.mark.parametrize("consumer", ["own_task", "same_task"])
async def test_a_block_in_an_abandoned_generator_ends_when_it_is_finalised(
    url: str, consumer: str
) -> None:
    loop = asyncio.get_running_loop()
    unretrieved: list[Any] = []
    loop.set_exception_handler(lambda _, context: unretrieved.append(context.get("exception")))
    async with opened(url, min_size=1, max_size=2) as db:
        await Author.bulk_create([Author(name=f"a{i}") for i in range(3)])

        async def take_one() -> str:
            async for author in _locked_rows():
                return str(author.name)  # leaves the generator open
            raise AssertionError("no row")

        if consumer == "own_task":
            assert await asyncio.create_task(take_one()) == "a0"
        else:
            assert await take_one() == "a0"
        assert await _finalised() == []
        assert unretrieved == []
        assert db.stats()["in_use"] == 0
        if consumer == "same_task":  # this context still names the ended block: refused
            with pytest.raises(ferrule.errors.TransactionError):
                await Tag.create(label="after")
            return
        # the row locks are gone: another writer goes through (else it waits forever)
        await asyncio.wait_for(Author.filter(name="a0").update(rating=5), HANG)
        assert await Author.filter(name="a0").values_list("rating", flat=True) == [5]
        assert await Tag.all().count() == 0  # the generator's block rolled back
