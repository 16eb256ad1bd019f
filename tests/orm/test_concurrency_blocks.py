"""ORM calls racing inside one ``orm.transaction()`` (child tasks of ``gather`` and
``TaskGroup`` share its connection, one statement at a time), nested ``@orm.atomic`` functions
that catch their callees' failures, and receivers that raise inside a caller's block. What a
Django user expects: each failure undoes only its own savepoint, the caller's block goes on and
commits the rest, or (a failure with no savepoint of its own) the block is doomed and says so
when it ends. Outcomes are counted; nothing is timed."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import sys
from typing import Any

import pytest

from ferrule import errors, orm

from .conftest import opened
from .models import Author, Post, Tag

CHILDREN = 10
needs_task_group = pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup")


class _Undone(Exception):
    pass


@pytest.mark.parametrize("spawn", ["gather", pytest.param("task_group", marks=needs_task_group)])
@pytest.mark.parametrize("call", ["get_or_create", "update_or_create"])
async def test_child_tasks_racing_for_one_key_inside_a_block_make_one_row(
    url: str, spawn: str, call: str
) -> None:
    """Every child asks for the same key at once: one makes it, the others find that row (a
    lost insert rolls back its own savepoint only); the block's rollback takes the row."""
    async with opened(url, min_size=1, max_size=3) as db:
        await Author.create(name="Hal")  # a neighbour: MariaDB locks the gap after it

        async def child(i: int) -> tuple[int, bool]:
            await asyncio.sleep(0)
            if call == "get_or_create":
                got, made = await Author.get_or_create(name="Ivy", defaults={"rating": i})
            else:
                got, made = await Author.update_or_create(name="Ivy", defaults={"rating": i})
            return got.id, made

        async def race() -> list[tuple[int, bool]]:
            if spawn == "gather":
                return list(await asyncio.gather(*(child(i) for i in range(CHILDREN))))
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(child(i)) for i in range(CHILDREN)]
            return [t.result() for t in tasks]

        for commit in (False, True):
            try:
                async with orm.transaction():
                    await Tag.create(label=f"mine {commit}")
                    results = await race()
                    assert [made for _, made in results].count(True) == 1
                    assert len({ident for ident, _ in results}) == 1
                    assert await Author.filter(name="Ivy").count() == 1
                    if not commit:
                        raise _Undone
            except _Undone:
                assert await Author.filter(name="Ivy").count() == 0
        assert await Tag.values_list("label", flat=True) == ["mine True"]
        rows = await Author.filter(name="Ivy").values_list("id", "rating")
        assert len(rows) == 1 and rows[0][0] == results[0][0]
        assert db.stats()["in_use"] == 0


async def test_nested_atomic_functions_catching_their_callees_failures(url: str) -> None:
    """Three ``@orm.atomic`` levels: a failure caught by its caller undoes the failed call's
    writes and nothing else; the outermost commits what is left."""
    async with opened(url):

        @orm.atomic
        async def leaf(label: str, fail: bool) -> None:
            await Tag.create(label=label)
            if fail:
                raise _Undone

        @orm.atomic
        async def middle(prefix: str, fail_leaf: bool, fail_self: bool) -> None:
            await Tag.create(label=f"{prefix}-m")
            try:
                await leaf(f"{prefix}-leaf", fail_leaf)
            except _Undone:
                await Tag.create(label=f"{prefix}-caught")
            if fail_self:
                raise _Undone

        @orm.atomic
        async def top() -> None:
            await Tag.create(label="top")
            await middle("a", fail_leaf=False, fail_self=False)
            await middle("b", fail_leaf=True, fail_self=False)
            with contextlib.suppress(_Undone):
                await middle("c", fail_leaf=True, fail_self=True)
            # a refused statement in a savepoint of its own: only that is lost
            with contextlib.suppress(errors.IntegrityError):
                await leaf("top", fail=False)
            await Tag.create(label="end")

        await top()
        assert sorted(await Tag.values_list("label", flat=True)) == [
            "a-leaf",
            "a-m",
            "b-caught",
            "b-m",
            "end",
            "top",
        ]


async def test_a_receivers_failure_caught_in_the_callers_block_undoes_only_its_save(
    url: str,
) -> None:
    """A ``post_save`` receiver raises: the save (its row, the receiver's own write, a new
    instance's key) is undone; the caller catches the error and its block goes on and commits
    its other writes, on every database."""
    async with opened(url):

        async def refuse(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
            await Post.create(title=f"by {instance.name}", author=instance)
            if instance.name.startswith("bad"):
                raise PermissionError(instance.name)

        orm.post_save.connect(Author, refuse)
        try:
            async with orm.transaction():
                good = await Author.create(name="good")
                bad = Author(name="bad")
                with pytest.raises(PermissionError):
                    await bad.save()
                assert bad.id is None  # its key is taken back
                good.name = "bad too"
                with pytest.raises(PermissionError):
                    await good.save()  # an update: the row keeps its stored name
                assert await Author.values_list("name", flat=True) == ["good"]
                await Tag.create(label="after")
        finally:
            orm.post_save.disconnect(Author, refuse)
        assert await Author.values_list("name", flat=True) == ["good"]
        assert await Post.values_list("title", flat=True) == ["by good"]
        assert await Tag.values_list("label", flat=True) == ["after"]


async def test_a_refused_statement_caught_without_a_savepoint_dooms_the_block(url: str) -> None:
    """A statement the database refuses, caught in the block with no nested block around it:
    later statements raise ``TransactionError`` (Django's "You can't execute queries until
    the end of the 'atomic' block"), and the block commits nothing."""
    async with opened(url):
        await Tag.create(label="taken")
        outcomes: collections.Counter[str] = collections.Counter()
        with pytest.raises(errors.TransactionError):
            async with orm.transaction():
                await Tag.create(label="first")
                try:
                    await Tag.filter(label="first").update(label="taken")
                except errors.IntegrityError:
                    outcomes["refused"] += 1
                try:
                    await Tag.create(label="second")
                except errors.TransactionError:
                    outcomes["doomed"] += 1
        assert outcomes == {"refused": 1, "doomed": 1}
        assert await Tag.values_list("label", flat=True) == ["taken"]


async def test_child_tasks_writing_one_relation_inside_a_block_never_mix(url: str) -> None:
    """Children of one block ``add``, ``set`` and ``remove`` links of the same post at once,
    on the block's one connection: each call is whole (a ``set`` leaves exactly its rows, an
    ``add`` of a link there already is kept as it is), and none fails for the others."""
    async with opened(url, min_size=1, max_size=2):
        author = await Author.create(name="ann")
        post = await Post.create(title="p", author=author)
        tags = await Tag.bulk_create([Tag(label=f"t{k}") for k in range(6)])
        sets = [{(i + k) % 6 for k in range(3)} for i in range(CHILDREN)]

        async def child(i: int) -> None:
            mine = await Post.get(pk=post.pk)
            await asyncio.sleep(0)
            if i % 2:
                await mine.tags.set([tags[k] for k in sorted(sets[i])])
            else:
                await mine.tags.add(*tags[:4])
                await mine.tags.remove(tags[5])

        async with orm.transaction():
            outcomes = await asyncio.gather(
                *(child(i) for i in range(CHILDREN)), return_exceptions=True
            )
            assert [o for o in outcomes if isinstance(o, BaseException)] == []
            linked = await Post.filter(pk=post.pk).values_list("tags__label", flat=True)
            assert len(linked) == len(set(linked)), linked  # no link twice
        assert sorted(
            await Post.filter(pk=post.pk).values_list("tags__label", flat=True)
        ) == sorted(linked)


@needs_task_group
async def test_a_failing_child_cancelling_its_siblings_inside_a_block_leaves_nothing(
    url: str, dialect: str
) -> None:
    """A ``TaskGroup`` child fails after ``n`` steps: the group cancels its siblings wherever
    they are (waiting for their turn, a statement in flight, a savepoint), the block rolls back
    with the group's error, and nothing of any child stays; the pool's connection comes back
    clean and the next block commits. For n = 0 .. 59 loop turns, and once after every
    sibling has finished (their work is all rolled back with the block)."""
    async with opened(url, min_size=1, max_size=1) as db:
        author = await Author.create(name="ann")
        post = await Post.create(title="p", author=author)
        tag = await Tag.create(label="t")
        outcomes: collections.Counter[str] = collections.Counter()

        async def sibling(i: int) -> None:
            if i == 0:
                await Author.get_or_create(name="new", defaults={"rating": 1})
            elif i == 1:
                await post.tags.add(tag)
            elif i == 2:
                await Author.filter(name="ann").update(rating=orm.F("rating") + 1)
            else:
                async with orm.transaction():
                    await Tag.bulk_create([Tag(label="b1"), Tag(label="b2")])

        for n in [*range(60), -1]:
            done: list[int] = []
            finished = asyncio.Event()

            async def failing(n: int, finished: asyncio.Event) -> None:
                if n < 0:
                    await finished.wait()
                for _ in range(n):
                    await asyncio.sleep(0)
                raise _Undone

            async def counted(i: int, done: list[int], finished: asyncio.Event) -> None:
                await sibling(i)
                done.append(i)
                if len(done) == 4:
                    finished.set()

            with pytest.raises(Exception) as raised:  # an ExceptionGroup (3.11+)
                async with orm.transaction(), asyncio.TaskGroup() as group:
                    group.create_task(failing(n, finished))
                    for i in range(4):
                        group.create_task(counted(i, done, finished))
            assert raised.group_contains(_Undone)
            outcomes["all siblings done" if len(done) == 4 else "cut"] += 1
            assert db.stats()["in_use"] == 0
            assert not any(conn.in_transaction for conn in db._pool.idle_connections())
            assert await Author.values_list("name", "rating") == [("ann", 0)]
            assert await Tag.values_list("label", flat=True) == ["t"]
            assert await post.tags.all().count() == 0
        assert outcomes["all siblings done"] > 0, outcomes
        # SQLite runs these statements on the loop: a sibling's first step finishes its work
        assert outcomes["cut"] > 0 or dialect == "sqlite", outcomes
        async with orm.transaction():
            await post.tags.add(tag)
        assert await post.tags.all().count() == 1
