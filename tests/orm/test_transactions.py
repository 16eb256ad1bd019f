"""Transactions, ``@orm.atomic`` and signals: a failure or a cancellation leaves nothing
written; a receiver's exception aborts its operation."""

from __future__ import annotations

import asyncio
import random

import pytest

from ferrule import orm

from .conftest import opened
from .models import Author, Post


async def test_transaction_rolls_back_on_error_and_nests_as_savepoints(url: str) -> None:
    async with opened(url):
        with pytest.raises(RuntimeError):
            async with orm.transaction():
                await Author.create(name="lost")
                raise RuntimeError("boom")
        async with orm.transaction():
            await Author.create(name="kept")
            with pytest.raises(RuntimeError):
                async with orm.transaction():
                    await Author.create(name="inner lost")
                    raise RuntimeError("inner")
        assert await Author.values_list("name", flat=True) == ["kept"]


async def test_atomic_decorator(url: str) -> None:
    async with opened(url):

        @orm.atomic
        async def two(fail: bool) -> None:
            await Author.create(name="a" if not fail else "b")
            if fail:
                raise ValueError("no")

        await two(False)
        with pytest.raises(ValueError):
            await two(True)
        assert await Author.values_list("name", flat=True) == ["a"]


async def test_signals_fire_and_a_raising_receiver_aborts_the_save(url: str) -> None:
    async with opened(url):
        seen: list[tuple[str, str, bool | None]] = []

        @orm.pre_save(Author)
        def before(sender: type, instance: Author, **kwargs: object) -> None:
            seen.append(("pre", instance.name, None))

        @orm.post_save(Author)
        async def after(sender: type, instance: Author, created: bool, **kwargs: object) -> None:
            seen.append(("post", instance.name, created))
            if instance.name == "refused":
                raise PermissionError("not this one")

        @orm.post_delete(Author)
        def gone(sender: type, instance: Author, **kwargs: object) -> None:
            seen.append(("deleted", instance.name, None))

        try:
            ada = await Author.create(name="Ada")
            ada.rating = 2
            await ada.save()
            with pytest.raises(PermissionError):
                await Author.create(name="refused")
            await ada.delete()
        finally:
            orm.pre_save.disconnect(Author, before)
            orm.post_save.disconnect(Author, after)
            orm.post_delete.disconnect(Author, gone)
        assert seen == [
            ("pre", "Ada", None),
            ("post", "Ada", True),
            ("pre", "Ada", None),
            ("post", "Ada", False),
            ("pre", "refused", None),
            ("post", "refused", True),
            ("deleted", "Ada", None),
        ]
        assert await Author.count() == 0  # "refused" was rolled back with its receiver


async def test_cancelled_orm_transactions_leave_nothing_half_done(url: str) -> None:
    """Cancel a transaction (an author and its two posts) as its k-th statement starts, for
    every k, and also at random event-loop steps: each is all-or-nothing, the pool comes
    back full."""
    async with opened(url, max_size=3) as db:
        cancel_at: list[int] = [-1]
        started: list[int] = [0]

        def watch(event: object) -> None:
            started[0] += 1
            if started[0] == cancel_at[0]:
                task = asyncio.current_task()
                assert task is not None
                task.cancel()

        db.add_hook(before=watch)

        committed: dict[str, object] = {}

        async def unit(index: int) -> None:
            async with orm.transaction() as tx:
                committed[f"c{index}"] = tx
                author = await Author.create(name=f"c{index}")
                await Post.create(title=f"c{index}-1", author=author)
                await asyncio.sleep(0)
                await Post.create(title=f"c{index}-2", author=author)

        outcomes = {"done": 0, "cancelled": 0}

        async def attempt(index: int, at: int, steps: int) -> None:
            cancel_at[0], started[0] = at, 0
            task = asyncio.ensure_future(unit(index))
            for _ in range(steps):
                await asyncio.sleep(0)
            if steps:
                task.cancel()
            try:
                await task
                outcomes["done"] += 1
            except asyncio.CancelledError:
                outcomes["cancelled"] += 1

        for at in range(1, 6):  # at every statement, then past the last one
            await attempt(at, at, 0)
        rng = random.Random(7)
        for index in range(10, 30):
            await attempt(index, -1, rng.randrange(1, 40))
        assert outcomes["done"] + outcomes["cancelled"] == 25
        assert outcomes["cancelled"] >= 3 and outcomes["done"] >= 1, outcomes
        posts = await Post.select_related("author").order_by("title")
        by_author: dict[str, int] = {}
        for post in posts:
            by_author[post.author.name] = by_author.get(post.author.name, 0) + 1
        assert set(by_author.values()) <= {2}
        # present exactly when the transaction says it committed (a cancellation that
        # arrives while COMMIT completes is raised after it: tx.committed tells)
        said = {name for name, tx in committed.items() if tx.committed}  # type: ignore[attr-defined]
        assert set(by_author) == said
        assert await Author.count() == len(said) >= outcomes["done"]
        assert db.stats()["in_use"] == 0


class _Undone(Exception):
    pass


async def test_keys_made_in_a_rolled_back_block_are_taken_back(url: str) -> None:
    """An instance inserted in a block that rolls back (or in a savepoint rolled back, or in
    a released savepoint of a block that then rolls back) has its key, which the database made,
    set back to None: its row is gone, and SQLite gives the same key to the next row, which a
    later save() of the stale instance would have overwritten. A key the caller gave stays
    (it names the row meant), and so does a key changed since."""
    async with opened(url):
        with pytest.raises(_Undone):
            async with orm.transaction():
                made = await Author.create(name="made")
                saved = Author(name="saved")
                await saved.save()
                many = await Author.bulk_create([Author(name=f"m{i}") for i in range(3)])
                got, created = await Author.get_or_create(name="got")
                given = await Author.create(id=10**6, name="given")
                changed = await Author.create(name="changed")
                changed.id = 10**6 + 50  # (not the key it was given: 10**6 + 1 on SQLite)
                assert created and None not in (made.id, saved.id, got.id, *(m.id for m in many))
                raise _Undone
        assert (made.id, saved.id, got.id, [m.id for m in many]) == (None, None, None, [None] * 3)
        assert (given.id, changed.id) == (10**6, 10**6 + 50)
        later = await Author.create(name="later")  # SQLite: the first key again
        made.name = "made again"
        await made.save()  # a new row: the later one is untouched
        assert sorted(await Author.values_list("name", flat=True)) == ["later", "made again"]
        assert (await Author.get(id=later.id)).name == "later"

        async with orm.transaction():
            kept = await Author.create(name="kept")
            with pytest.raises(_Undone):
                async with orm.transaction():
                    inner = await Author.create(name="inner")
                    raise _Undone
            assert inner.id is None and kept.id is not None
        assert kept.id is not None

        with pytest.raises(_Undone):
            async with orm.transaction():
                async with orm.transaction():
                    released = await Author.create(name="released")
                assert released.id is not None
                raise _Undone
        assert released.id is None
        assert await Author.filter(name__in=["inner", "released"]).count() == 0


async def test_a_deleted_instance_has_no_key_until_a_rollback(url: str) -> None:
    """After ``delete()`` the instance's key is None, as Django leaves it (its post_delete
    receivers still see it): a later save() makes a new row instead of raising the old one
    from the dead. If the block the delete ran in rolls back, the row is back, and so is the
    key."""
    seen: list[object] = []

    async def receiver(sender: object, instance: Author, **kwargs: object) -> None:
        seen.append(instance.id)

    orm.post_delete.connect(receiver, sender=Author)
    try:
        async with opened(url):
            gone = await Author.create(name="gone")
            key = gone.id
            await gone.delete()
            assert gone.id is None and seen == [key]
            await gone.save()
            assert gone.id is not None and gone.id != key
            assert await Author.filter(id=key).count() == 0

            kept = await Author.create(name="kept")
            with pytest.raises(_Undone):
                async with orm.transaction():
                    await kept.delete()
                    assert kept.id is None
                    raise _Undone
            assert kept.id is not None and (await Author.get(id=kept.id)).name == "kept"
    finally:
        orm.post_delete.disconnect(receiver, sender=Author)
