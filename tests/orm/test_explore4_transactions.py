"""Transactions and streaming as a Django user writes them: ``@orm.atomic`` on a function
that is not a coroutine is refused where it is written (its wrapper would be a coroutine
nobody awaits, and the body would never run), and an ``iterator()`` loop inside a
transaction that writes in its body still sees every row (on MariaDB, the write used to cut
the open result short, silently, after the first chunk; on PostgreSQL, inside
``db.connection()``, the loop's read-only transaction refused it). A nested block cannot
change its transaction's access mode or isolation: refused, not ignored."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ferrule import orm
from ferrule.errors import ORMError, TransactionError

from .conftest import opened
from .models import Author, Tag


def test_atomic_refuses_a_function_that_is_not_a_coroutine() -> None:
    def plain() -> int:
        return 1

    with pytest.raises(ORMError, match="async def"):
        orm.atomic(plain)
    with pytest.raises(ORMError, match="async def"):
        orm.atomic(using=None)(plain)

    async def stream() -> AsyncIterator[int]:
        yield 1

    with pytest.raises(ORMError, match="not an async generator"):
        orm.atomic(stream)


async def test_a_savepoint_error_caught_inside_lets_the_outer_block_commit(url: str) -> None:
    """Django's semantics: the inner block rolls back to its savepoint, the outer goes on."""
    async with opened(url) as db:
        async with orm.transaction():
            await Tag.create(label="a")
            with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
                async with orm.transaction():
                    await Tag.create(label="b")
                    await Tag.create(label="a")
            await Tag.create(label="c")
        rows = await db.fetch_all("SELECT label FROM ormt_tag ORDER BY label")
        assert [r[0] for r in rows] == ["a", "c"]


async def test_iterator_in_a_transaction_with_writes_in_the_loop_sees_every_row(url: str) -> None:
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"a{i:03}") for i in range(120)])
        seen = []
        async with orm.transaction():
            async for author in Author.all().order_by("name").iterator(chunk_size=7):
                seen.append(author.name)
                author.rating = 1
                await author.save(update_fields=["rating"])
        assert seen == [f"a{i:03}" for i in range(120)]
        assert await db.fetch_val("SELECT count(*) FROM ormt_author WHERE rating = 1") == 120


async def test_nested_iterators_in_a_transaction_see_every_row(url: str) -> None:
    async with opened(url):
        await Author.bulk_create([Author(name=f"n{i}") for i in range(5)])
        await Tag.bulk_create([Tag(label=f"t{i}") for i in range(4)])
        pairs = []
        async with orm.transaction():
            async for author in Author.all().order_by("name").iterator(chunk_size=2):
                async for tag in Tag.all().order_by("label").iterator(chunk_size=3):
                    pairs.append((author.name, tag.label))
        assert pairs == [(f"n{i}", f"t{j}") for i in range(5) for j in range(4)]


async def test_a_loop_left_early_in_a_transaction_leaves_the_block_usable(url: str) -> None:
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"b{i:02}") for i in range(30)])
        async with orm.transaction():
            async for _author in Author.all().order_by("name").iterator(chunk_size=4):
                break
            await Author.create(name="after")
            assert await Author.filter(name__startswith="b").count() == 30
        assert await db.fetch_val("SELECT count(*) FROM ormt_author") == 31


async def test_a_nested_block_asking_for_another_mode_is_refused(url: str) -> None:
    """A nested block is a savepoint, which cannot change the access mode or isolation of
    its transaction: ``readonly=True`` there let writes through, silently."""
    async with opened(url) as db:
        async with orm.transaction():
            with pytest.raises(TransactionError, match="readonly=True"):
                async with orm.transaction(readonly=True):
                    await Tag.create(label="written")
            with pytest.raises(TransactionError, match="isolation"):
                async with orm.transaction(isolation="serializable"):
                    await Tag.create(label="isolated")
            await Tag.create(label="kept")
        async with orm.transaction(isolation="serializable", readonly=True):
            async with orm.transaction(isolation="serializable", readonly=True):
                assert await Tag.count() == 1  # the same mode: a savepoint is fine
            with pytest.raises(TransactionError):
                async with orm.transaction():
                    await Tag.create(label="read only")
        rows = await db.fetch_all("SELECT label FROM ormt_tag ORDER BY label")
        assert [r[0] for r in rows] == ["kept"]


async def test_iterator_in_a_connection_block_with_writes_in_the_loop(url: str) -> None:
    """``db.connection()`` is where the loop's task runs its other statements on a small pool
    (``Database.iterate``); on PostgreSQL the loop's cursor held the connection in a read-only
    transaction of its own, so a write in the loop body was a TransactionError."""
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"c{i:02}") for i in range(23)])
        seen = []
        async with db.connection():
            async for author in Author.all().order_by("name").iterator(chunk_size=4):
                seen.append(author.name)
                author.rating = 2
                await author.save(update_fields=["rating"])
                async with orm.transaction():
                    await Tag.create(label=author.name)
        assert seen == [f"c{i:02}" for i in range(23)]
        assert await db.fetch_val("SELECT count(*) FROM ormt_author WHERE rating = 2") == 23
        assert await db.fetch_val("SELECT count(*) FROM ormt_tag") == 23


async def test_nested_iterators_in_a_connection_block_with_writes(url: str) -> None:
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"o{i}") for i in range(3)])
        await Tag.bulk_create([Tag(label=f"l{i}") for i in range(5)])
        pairs = []
        async with db.connection():
            async for author in Author.all().order_by("name").iterator(chunk_size=2):
                async for tag in Tag.all().order_by("label").iterator(chunk_size=2):
                    pairs.append((author.name, tag.label))
                    await Author.filter(pk=author.pk).update(rating=orm.F("rating") + 1)
        assert pairs == [(f"o{i}", f"l{j}") for i in range(3) for j in range(5)]
        assert await db.fetch_val("SELECT sum(rating) FROM ormt_author") == 15


async def test_mariadb_refuses_a_statement_that_would_commit_the_transaction(url: str) -> None:
    """MariaDB commits the open transaction before DDL: the earlier writes were committed and
    the block ended, silently (it then said nothing was committed). A temporary table's DDL
    does not commit, and is run."""
    if not url.startswith("mysql"):
        pytest.skip("PostgreSQL and SQLite roll DDL back with the transaction")
    async with opened(url) as db:
        with pytest.raises(TransactionError, match="CREATE TABLE"):
            async with db.transaction():
                await Tag.create(label="before")
                await db.execute("CREATE TABLE e4_never (id int)")
        with pytest.raises(TransactionError, match="TRUNCATE"):
            async with db.transaction():
                await db.execute("truncate table ormt_tag")
        async with db.transaction():
            await db.execute("CREATE TEMPORARY TABLE e4_scratch (id int)")
            await db.execute("DROP TEMPORARY TABLE e4_scratch")
            await Tag.create(label="kept")
        assert await db.fetch_val("SELECT count(*) FROM ormt_tag") == 1
        assert await db.fetch_val("SELECT label FROM ormt_tag") == "kept"
        # a comment before the statement hides nothing (MariaDB reads past it)
        for commented in (
            "-- made here\nCREATE TABLE e4_never (id int)",
            "/* made here */ CREATE TABLE e4_never (id int)",
            "# made here\n  DROP TABLE ormt_tag",
        ):
            with pytest.raises(TransactionError, match="commit"):
                async with db.transaction():
                    await Tag.create(label="before")
                    await db.execute(commented)
        assert await db.fetch_val("SELECT label FROM ormt_tag") == "kept"
        assert await db.fetch_val("SELECT count(*) FROM ormt_tag") == 1
