"""``get_or_create`` and ``update_or_create`` raced by concurrent tasks, on every backend: one
row, one creator, every other call finds or updates that row, and none fails (as a Django user
expects of these two calls, which exist to be raced). Outcomes are counted; nothing is timed."""

from __future__ import annotations

import asyncio
import collections

import pytest

from backends import stepping
from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened
from .models import Author

RACERS = 12  # tasks, each with a connection of its own already open


async def test_racing_get_or_create_makes_one_row(url: str) -> None:
    async with opened(url, min_size=RACERS, max_size=RACERS):
        await Author.create(name="Hal")  # a neighbour: MariaDB locks the gap after it
        outcomes = await asyncio.gather(
            *[Author.get_or_create(name="Ivy", defaults={"rating": i}) for i in range(RACERS)],
            return_exceptions=True,
        )
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        assert failures == []
        made = [created for _author, created in outcomes]  # type: ignore[misc]
        assert made.count(True) == 1
        assert len({author.id for author, _created in outcomes}) == 1  # type: ignore[misc]
        assert await Author.filter(name="Ivy").count() == 1
        assert await Author.all().count() == 2


async def test_racing_update_or_create_makes_one_row_and_applies_every_update(url: str) -> None:
    async with opened(url, min_size=RACERS, max_size=RACERS):
        await Author.create(name="Hal")  # a neighbour: MariaDB locks the gap after it
        for name in ("Ivy", "Jay", "Kim"):  # a row to create, then rows ahead of the others
            outcomes = await asyncio.gather(
                *[
                    Author.update_or_create(name=name, defaults={"rating": i})
                    for i in range(RACERS)
                ],
                return_exceptions=True,
            )
            failures = [o for o in outcomes if isinstance(o, BaseException)]
            assert failures == []
            made = [created for _author, created in outcomes]  # type: ignore[misc]
            assert made.count(True) == 1
            assert len({author.id for author, _created in outcomes}) == 1  # type: ignore[misc]
            rows = await Author.filter(name=name).values_list("rating", flat=True)
            assert len(rows) == 1 and rows[0] in range(RACERS)
        assert await Author.all().count() == 4


async def test_update_or_create_inside_a_transaction(url: str) -> None:
    """Nested in the caller's transaction: it runs in a savepoint, and a failure of its own
    (a unique value another row holds) rolls back only that, leaving the transaction usable."""
    async with opened(url):
        await Author.create(name="Kit", rating=1)
        async with orm.transaction():
            kit, created = await Author.update_or_create(name="Kit", defaults={"rating": 2})
            assert not created and kit.rating == 2
            lee, created = await Author.update_or_create(name="Lee", defaults={"rating": 3})
            assert created and lee.rating == 3
            with pytest.raises(IntegrityError):
                await Author.update_or_create(id=kit.id + lee.id + 100, defaults={"name": "Kit"})
            assert await Author.all().count() == 2
        ratings = await Author.all().order_by("name").values_list("name", "rating")
        assert ratings == [("Kit", 2), ("Lee", 3)]


async def test_update_or_create_refuses_what_no_row_can_hold(url: str) -> None:
    """A conflict on another unique column is a real IntegrityError, not a lost race: it is
    raised, and nothing is written."""
    async with opened(url):
        kit = await Author.create(name="Kit", rating=1)
        with pytest.raises(IntegrityError):
            await Author.update_or_create(id=kit.id + 100, defaults={"name": "Kit"})
        assert await Author.all().values_list("name", "rating") == [("Kit", 1)]


async def test_update_or_create_cancelled_at_every_await_point(url: str) -> None:
    """Cancelled in the n-th state of the call (`stepping`), for every n until calls complete:
    the row is there at most once, holds the old or the new rating (never half of a call), and
    the pool gets its connection back clean."""
    async with opened(url, min_size=1, max_size=1) as db:
        await Author.create(name="Old", rating=1)
        outcomes: collections.Counter[str] = collections.Counter()
        old_rating = 1  # what "Old" held after the last call
        for n in range(200):
            for name, rating in (("Old", 2 + n), (f"New{n}", 5)):
                task, steps = stepping.start(
                    Author.update_or_create(name=name, defaults={"rating": rating})
                )
                await stepping.cancel_at(task, steps, n)
                try:
                    await task
                    outcomes["done"] += 1
                except asyncio.CancelledError:
                    outcomes["cancelled"] += 1
                assert db.stats()["in_use"] == 0
                found = await Author.filter(name=name).values_list("rating", flat=True)
                assert len(found) <= 1
                if name == "Old":
                    assert len(found) == 1 and found[0] in (old_rating, 2 + n), found
                    old_rating = found[0]
                elif found:
                    assert found == [5]
            if outcomes["done"] >= 4:
                break
        assert outcomes["cancelled"] > 0 and outcomes["done"] > 0, outcomes
