"""Many tasks writing the same rows at once, each with a connection of its own: outcomes are
counted, nothing is timed. Every increment is kept (``F()`` updates, locked read-modify-write),
every unique key ends with exactly one row and one creator (``get_or_create``,
``update_or_create``, ``bulk_create(on_conflict="ignore")``, many-to-many ``add``), and no
call fails for having been raced."""

from __future__ import annotations

import asyncio
import collections
import random
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError, TransactionRollbackError

from .conftest import opened
from .models import Author, Post, Tag

TASKS = 8
KEYS = 6
ROUNDS = 5


async def _all(calls: list[Any]) -> list[Any]:
    """The calls' results; none may fail."""
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert failures == [], failures
    return outcomes


def _orders(seed: int) -> list[list[int]]:
    """Each task's own order of the keys (so the tasks meet on every key)."""
    rng = random.Random(seed)
    return [rng.sample(range(KEYS), KEYS) for _ in range(TASKS)]


async def test_f_increments_are_never_lost(url: str) -> None:
    async with opened(url, min_size=TASKS, max_size=TASKS):
        await Author.create(name="counter", rating=0)

        async def bump(task: int) -> None:
            for step in range(ROUNDS):
                counter = Author.filter(name="counter")
                if (task + step) % 2:
                    await counter.update(rating=orm.F("rating") + 1)
                else:  # inside a transaction, with a neighbour's write
                    async with orm.transaction():
                        await counter.update(rating=orm.F("rating") + 1)
                        await Post.filter(title="none").update(views=orm.F("views") + 1)

        await _all([bump(task) for task in range(TASKS)])
        assert await Author.filter(name="counter").values_list("rating", flat=True) == [
            TASKS * ROUNDS
        ]


async def test_locked_read_modify_write_loses_no_update(url: str) -> None:
    """``select_for_update().get()``, change, ``save()`` in a transaction: serialised by the
    row lock (SQLite: by its one writer)."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        await Author.create(name="counter", rating=0)

        async def bump() -> None:
            for _ in range(ROUNDS):
                async with orm.transaction():
                    counter = await Author.select_for_update().get(name="counter")
                    counter.rating += 1
                    await counter.save()

        await _all([bump() for _ in range(TASKS)])
        assert (await Author.get(name="counter")).rating == TASKS * ROUNDS


async def test_get_or_create_on_many_keys_makes_one_row_each(url: str) -> None:
    async with opened(url, min_size=TASKS, max_size=TASKS):

        async def claim(order: list[int]) -> list[tuple[int, int, bool]]:
            out = []
            for key in order:
                author, created = await Author.get_or_create(
                    name=f"k{key}", defaults={"rating": key}
                )
                out.append((key, author.id, created))
            return out

        results = await _all([claim(order) for order in _orders(1)])
        creators: collections.Counter[int] = collections.Counter()
        ids: dict[int, set[int]] = collections.defaultdict(set)
        for key, ident, created in (r for result in results for r in result):
            creators[key] += created
            ids[key].add(ident)
        assert creators == {key: 1 for key in range(KEYS)}
        assert all(len(found) == 1 for found in ids.values()), ids
        rows = sorted(await Author.values_list("id", "name", "rating"))
        assert rows == sorted((ids[k].pop(), f"k{k}", k) for k in range(KEYS))


async def test_get_or_create_then_increment_counts_every_call(url: str) -> None:
    """The counter pattern: find or make the row, then add one to it with ``F()``."""
    async with opened(url, min_size=TASKS, max_size=TASKS):

        async def count(order: list[int]) -> None:
            for key in order:
                author, _ = await Author.get_or_create(name=f"k{key}")
                await Author.filter(pk=author.pk).update(rating=orm.F("rating") + 1)

        await _all([count(order) for order in _orders(2)])
        rows = sorted(await Author.values_list("name", "rating"))
        assert rows == [(f"k{k}", TASKS) for k in range(KEYS)]


async def test_update_or_create_on_many_keys_makes_one_row_each(url: str) -> None:
    async with opened(url, min_size=TASKS, max_size=TASKS):

        async def write(task: int, order: list[int]) -> list[tuple[int, bool]]:
            out = []
            for key in order:
                _, created = await Author.update_or_create(
                    name=f"k{key}", defaults={"rating": 100 * task + key}
                )
                out.append((key, created))
            return out

        results = await _all([write(task, order) for task, order in enumerate(_orders(3))])
        creators = collections.Counter(key for result in results for key, made in result if made)
        assert creators == {key: 1 for key in range(KEYS)}
        rows = sorted(await Author.values_list("name", "rating"))
        assert [name for name, _ in rows] == [f"k{k}" for k in range(KEYS)]
        assert all(rating % 100 == int(name[1:]) for name, rating in rows)  # one task's values


async def test_racing_bulk_create_ignoring_conflicts_keeps_one_row_per_key(url: str) -> None:
    async with opened(url, min_size=TASKS, max_size=TASKS):

        async def make(order: list[int]) -> None:
            await Tag.bulk_create([Tag(label=f"t{key}") for key in order], on_conflict="ignore")

        await _all([make(order) for order in _orders(4)])
        labels = await Tag.values_list("label", flat=True)
        assert sorted(labels) == sorted(f"t{k}" for k in range(KEYS))


async def test_racing_many_to_many_add_links_each_pair_once(url: str) -> None:
    """``add`` of the same tags to the same post from many tasks: one link a pair, and no
    task fails for having been raced (links there already are kept as they are)."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        author = await Author.create(name="ann")
        post = await Post.create(title="p", author=author)
        tags = [await Tag.create(label=f"t{k}") for k in range(KEYS)]

        async def link(order: list[int]) -> None:
            mine = await Post.get(pk=post.pk)
            for key in order:
                await mine.tags.add(tags[key])

        await _all([link(order) for order in _orders(5)])
        links = await Post.filter(pk=post.pk).values_list("tags__label", flat=True)
        assert sorted(links) == sorted(f"t{k}" for k in range(KEYS))


async def test_many_to_many_add_still_raises_a_real_violation(url: str) -> None:
    """A key no row has is not a lost race: the foreign key's violation is raised, and no
    link of the call is kept."""
    async with opened(url):
        author = await Author.create(name="ann")
        post = await Post.create(title="p", author=author)
        tag = await Tag.create(label="t")
        with pytest.raises(IntegrityError):
            await post.tags.add(tag, tag.id + 1000)
        assert await Post.filter(tags__isnull=False).count() == 0


async def test_racing_get_or_create_inside_transactions_makes_one_row(url: str) -> None:
    """Each task's calls inside a transaction of its own: the loser finds the winner's row
    (its insert fails on the unique name, rolled back to a savepoint), whatever the snapshot
    its transaction reads from. A deadlock rolls back the caller's whole transaction (racing
    inserts, MariaDB): raised, and the caller runs its transaction again, as it must."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        await Author.create(name="Hal")  # a neighbour: MariaDB locks the gap after it
        outcomes: collections.Counter[str] = collections.Counter()

        async def claim() -> list[tuple[int, int, bool]]:
            while True:
                out = []
                try:
                    async with orm.transaction():
                        await Author.filter(name="Hal").count()  # the snapshot is taken
                        for key in range(KEYS):
                            author, created = await Author.get_or_create(name=f"k{key}")
                            out.append((key, author.id, created))
                except TransactionRollbackError:
                    outcomes["deadlocked"] += 1
                    continue
                outcomes["done"] += 1
                return out

        results = await _all([claim() for _ in range(TASKS)])
        assert outcomes["done"] == TASKS
        creators = collections.Counter(key for r in results for key, _, made in r if made)
        assert creators == {key: 1 for key in range(KEYS)}
        assert await Author.count() == KEYS + 1


async def test_racing_many_to_many_set_ends_with_one_of_the_sets(url: str) -> None:
    """``set()`` makes the given rows exactly the linked ones: of tasks setting different
    sets at once, the last one wins whole, never a mixture of two."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        author = await Author.create(name="ann")
        post = await Post.create(title="p", author=author)
        tags = [await Tag.create(label=f"t{k}") for k in range(KEYS)]
        sets = [{(task + i) % KEYS for i in range(3)} for task in range(TASKS)]

        async def put(wanted: set[int]) -> None:
            mine = await Post.get(pk=post.pk)
            await mine.tags.set([tags[k] for k in sorted(wanted)])

        for _ in range(ROUNDS):
            await _all([put(wanted) for wanted in sets])
            linked = await Post.filter(pk=post.pk).values_list("tags__label", flat=True)
            assert {int(label[1:]) for label in linked} in sets, linked
            assert len(linked) == 3, linked
