"""Many tasks using the ORM through one small pool: each task's ``orm.transaction()`` is its
own (a context variable, never another task's connection); rows a transaction later rolls
back are never seen outside it; receivers that await run inside the save's block; more
tasks than connections all finish (the pool's ``acquire_timeout`` is a hang detector, not a
timing); two databases' blocks in one task are independent."""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import ferrule
from ferrule import orm

from .conftest import opened
from .models import ALL, Author, Post, Tag


class _Undone(Exception):
    pass


async def test_tasks_transactions_are_their_own(url: str) -> None:
    async with opened(url, min_size=1, max_size=3, acquire_timeout=60) as db:
        seen: collections.Counter[str] = collections.Counter()

        async def heard(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
            await asyncio.sleep(0)  # other tasks run meanwhile
            if created and instance.name.startswith("w"):
                assert db.in_transaction()  # the save's block, in this task's context
                await Post.create(title=f"by {instance.name}", author=instance)
                seen["heard"] += 1

        async def worker(n: int) -> None:
            doomed = n % 3 == 0
            name = f"{'doomed' if doomed else 'w'}{n}"
            try:
                async with orm.transaction():
                    mine = await Author.create(name=name, rating=n)
                    for _ in range(3):
                        await asyncio.sleep(0)
                        names = await Author.values_list("name", flat=True)
                        # its own row, and no row another transaction may yet roll back
                        assert name in names
                        assert not [x for x in names if x.startswith("doomed") and x != name]
                        assert db.stats()["in_use"] <= 3
                    async with orm.transaction():  # a savepoint of this task's block
                        await Tag.create(label=f"t{n}")
                        assert await Tag.filter(label=f"t{n}").exists()
                    assert (await Author.get(id=mine.id)).rating == n
                    if doomed:
                        raise _Undone
                seen["committed"] += 1
            except _Undone:
                seen["rolled back"] += 1

        orm.post_save.connect(Author, heard)
        try:
            await asyncio.gather(*(worker(n) for n in range(24)))
        finally:
            orm.post_save.disconnect(Author, heard)
        kept = [n for n in range(24) if n % 3]
        assert sorted(await Author.values_list("name", flat=True)) == sorted(f"w{n}" for n in kept)
        assert sorted(await Tag.values_list("label", flat=True)) == sorted(f"t{n}" for n in kept)
        assert await Post.all().count() == len(kept)
        assert seen == {"committed": 16, "rolled back": 8, "heard": 16}
        assert db.stats()["in_use"] == 0


async def test_two_databases_blocks_are_independent(url: str, tmp_path: Any) -> None:
    """``orm.transaction(using=other)`` covers the instances of ``other`` (remembered where
    they were loaded), not the default database, and each rolls back alone."""
    async with opened(url, min_size=1, max_size=2):
        other = await ferrule.connect(f"sqlite:///{tmp_path / 'other.db'}")
        try:
            await orm.create_tables(*ALL, using=other)
            theirs = Author(name="theirs")
            await theirs.save(using=other)

            async def both(fail_other: bool) -> None:
                try:
                    async with orm.transaction(), orm.transaction(using=other):
                        await Author.create(name=f"mine {fail_other}")
                        got = await Author.all().using(other).get(name="theirs")
                        got.rating = 5
                        await got.save()  # to `other`, where it came from
                        await Author(name=f"new {fail_other}").save(using=other)
                        assert other.in_transaction()
                        if fail_other:
                            raise _Undone
                except _Undone:
                    pass

            await both(fail_other=True)
            assert await Author.all().count() == 0
            assert await Author.all().using(other).values_list("name", "rating") == [("theirs", 0)]
            await asyncio.gather(both(fail_other=False), both(fail_other=True))
            assert await Author.values_list("name", flat=True) == ["mine False"]
            assert sorted(await Author.all().using(other).values_list("name", "rating")) == [
                ("new False", 0),
                ("theirs", 5),
            ]
        finally:
            await other.close()


async def test_gathered_orm_work_runs_in_the_block_and_its_savepoints(url: str) -> None:
    """ORM calls of tasks started inside a block (``gather``, ``TaskGroup``) run in it, each
    one's own savepoint (``bulk_create``, a nested block, a write heard by a receiver) kept
    apart from the others' even as one rolls back; the block's rollback takes them all."""
    async with opened(url, min_size=1, max_size=4):

        async def heard(sender: type, instance: Any, **kwargs: Any) -> None:
            await asyncio.sleep(0)

        async def child(i: int) -> str:
            if i % 3 == 0:
                try:
                    async with orm.transaction():
                        await Author.create(name=f"c{i}")
                        await Tag.bulk_create([Tag(label=f"t{i}a"), Tag(label=f"t{i}b")])
                        raise _Undone
                except _Undone:
                    return "undone"
            if i % 3 == 1:
                _, made = await Author.get_or_create(name=f"c{i}", defaults={"rating": i})
                return "made" if made else "found"
            try:
                await Author.create(name="dup")
            except ferrule.errors.IntegrityError:
                return "dup refused"
            return "dup made"

        orm.post_save.connect(Author, heard)
        try:
            with_rollback: list[str] = []
            try:
                async with orm.transaction():
                    async with asyncio.TaskGroup() as group:
                        tasks = [group.create_task(child(i)) for i in range(12)]
                    with_rollback = [t.result() for t in tasks]
                    assert await Author.all().count() == 5
                    raise _Undone
            except _Undone:
                pass
            assert await Author.all().count() == 0 and await Tag.all().count() == 0
            async with orm.transaction():
                committed = await asyncio.gather(*(child(i) for i in range(12)))
        finally:
            orm.post_save.disconnect(Author, heard)
        for outcomes in (with_rollback, committed):
            assert collections.Counter(outcomes) == {
                "undone": 4,
                "made": 4,
                "dup made": 1,
                "dup refused": 3,
            }
        assert sorted(await Author.values_list("name", flat=True)) == [
            "c1",
            "c10",
            "c4",
            "c7",
            "dup",
        ]
        assert await Tag.all().count() == 0


async def test_orm_calls_of_a_task_outliving_its_block_raise_and_run_nothing(url: str) -> None:
    async with opened(url, min_size=1, max_size=2) as db:
        ann = await Author.create(name="ann")
        post = await Post.create(title="p", author=ann)
        tag = await Tag.create(label="t")
        ended = asyncio.Event()
        calls = {
            "create": lambda: Author.create(name="late"),
            "bulk_create": lambda: Tag.bulk_create([Tag(label="l1"), Tag(label="l2")]),
            "get_or_create": lambda: Author.get_or_create(name="late"),
            "update": lambda: Author.filter(name="ann").update(rating=9),
            "m2m_add": lambda: post.tags.add(tag),
            "delete": lambda: ann.delete(),
            "read": lambda: Author.all().count(),
            "block": lambda: _a_block(),
        }

        async def late(call: Any) -> Any:
            await ended.wait()
            return await call()

        async with orm.transaction():
            tasks = {name: asyncio.ensure_future(late(call)) for name, call in calls.items()}
            await asyncio.sleep(0)
        ended.set()
        raised = {}
        for name, task in tasks.items():
            try:
                await task
                raised[name] = "ran"
            except ferrule.errors.TransactionError:
                raised[name] = "TransactionError"
        assert raised == dict.fromkeys(calls, "TransactionError")
        assert await Author.values_list("name", "rating") == [("ann", 0)]
        assert await Tag.values_list("label", flat=True) == ["t"]
        assert await post.tags.all().count() == 0
        assert ann.id is not None and db.stats()["in_use"] == 0


async def _a_block() -> None:
    async with orm.transaction():
        await Author.create(name="late block")
