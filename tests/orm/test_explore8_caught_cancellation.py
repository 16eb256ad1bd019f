"""A timeout caught inside a block: ``asyncio.timeout()`` cancels an ORM write at each of its
await points (``stepping``), the block catches the ``TimeoutError`` and goes on. The block
then either commits its own rows and the timed-out write whole or not at all, or raises a
typed error (``TransactionError``: a statement was cut off, the block is doomed) and keeps
nothing. The instances' keys say which."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from backends import stepping
from ferrule import errors, orm

from .conftest import opened
from .models import Author, Tag


async def _bulk(made: list[Any]) -> Any:
    made.extend(Tag(label=f"t{i}") for i in range(5))
    return await Tag.bulk_create(made, batch_size=2)


async def _create(made: list[Any]) -> Any:
    made.append(await Tag.create(label="t0"))


async def _get_or_create(made: list[Any]) -> Any:
    tag, _ = await Tag.get_or_create(label="t0")
    made.append(tag)


async def _savepoint(made: list[Any]) -> Any:
    async with orm.transaction():
        for i in range(3):
            tag = Tag(label=f"t{i}")
            made.append(tag)
            await tag.save()


#: each write, and the labels of the rows it makes (a call cancelled as its savepoint was
#: released made them, kept by the block that caught the cancellation, and returned nothing)
WRITES: dict[str, tuple[Callable[[list[Any]], Awaitable[Any]], list[str]]] = {
    "bulk_create": (_bulk, [f"t{i}" for i in range(5)]),
    "create": (_create, ["t0"]),
    "get_or_create": (_get_or_create, ["t0"]),
    "savepoint": (_savepoint, ["t0", "t1", "t2"]),
}


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_timeout_caught_inside_a_block_commits_whole_writes_or_raises(
    url: str, write: str
) -> None:
    async with opened(url, min_size=1, max_size=1) as db:
        outcomes: collections.Counter[str] = collections.Counter()
        finished = 0
        for n in range(300):
            await Tag.all().delete()
            await Author.all().delete()
            made: list[Any] = []
            timed_out: list[bool] = []

            async def block(made: list[Any], timed_out: list[bool], n: int) -> None:
                async with orm.transaction():
                    await Author.create(name="before")
                    inner, steps = stepping.start(WRITES[write][0](made))
                    await stepping.cancel_at(inner, steps, n)
                    try:
                        await inner
                    except asyncio.CancelledError:
                        timed_out.append(True)  # as asyncio.timeout() turns it into TimeoutError
                    await Author.create(name="after")

            try:
                await block(made, timed_out, n)
                outcome = "committed, timed out" if timed_out else "committed"
            except errors.TransactionError:
                outcome = "refused"
            outcomes[outcome] += 1
            authors = sorted(await Author.values_list("name", flat=True))
            labels = sorted(await Tag.values_list("label", flat=True))
            if outcome == "refused":
                assert (authors, labels) == ([], []), n
            else:
                assert authors == ["after", "before"], n
                assert labels in ([], WRITES[write][1]), n
            for tag in made:  # a key exactly when its row is there
                assert (tag.id is not None) == (tag.label in labels), (n, outcome, tag)
            assert db.stats()["in_use"] == 0
            finished = finished + 1 if not timed_out else 0
            if finished == 2:
                break
        assert outcomes["committed"] > 0 and outcomes["committed, timed out"] > 0, outcomes
