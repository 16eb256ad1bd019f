"""``select_for_update(skip_locked=True)`` and ``(nowait=True)`` between connections, as a job
queue and a "try the lock, else fall back" caller use them (Django's documented patterns).
PostgreSQL and MariaDB take real row locks; SQLite has none (the method is a no-op there, and
its transactions take the write lock at BEGIN, so the queue still hands out each job once).
Outcomes are counted; nothing is timed."""

from __future__ import annotations

import asyncio
import collections

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import OperationalError, TransactionRollbackError

from .conftest import opened
from .models import Author, Tag

WORKERS = 6
JOBS = 30


async def test_a_skip_locked_queue_hands_out_every_job_exactly_once(url: str) -> None:
    """Workers each take the first pending job no other transaction holds, mark it theirs and
    commit: every job is taken once, by one worker, and no worker fails for the others."""
    async with opened(url, min_size=WORKERS, max_size=WORKERS, acquire_timeout=60):
        await Author.bulk_create([Author(name=f"job{i:02}") for i in range(JOBS)])
        taken: collections.Counter[int] = collections.Counter()

        async def work(worker: int) -> int:
            done = 0
            while True:
                async with orm.transaction():
                    job = (
                        await Author.filter(rating=0)
                        .order_by("id")
                        .select_for_update(skip_locked=True)
                        .first()
                    )
                    if job is None:
                        return done
                    await asyncio.sleep(0)  # the others run while the lock is held
                    job.rating = worker + 1
                    await job.save(update_fields=["rating"])
                taken[job.id] += 1
                done += 1

        outcomes = await asyncio.gather(*(work(w) for w in range(WORKERS)), return_exceptions=True)
        assert [o for o in outcomes if isinstance(o, BaseException)] == []
        assert sum(outcomes) == JOBS  # type: ignore[arg-type]
        assert set(taken.values()) == {1} and len(taken) == JOBS
        ratings = await Author.values_list("rating", flat=True)
        assert len(ratings) == JOBS and all(1 <= r <= WORKERS for r in ratings)


async def test_nowait_on_a_locked_row_raises_and_a_savepoint_keeps_the_caller_going(
    url: str, dialect: str
) -> None:
    """Django's pattern: try the lock in a nested block, fall back when it is held. The error is
    an ``OperationalError`` (not a ``TransactionRollbackError``: the server ended only the
    statement), the savepoint rolls back alone, and the outer block's writes before and after
    it commit. Without the savepoint the block is doomed and says so."""
    if dialect == "sqlite":
        pytest.skip("SQLite has no row locks: select_for_update(nowait=True) is a no-op")
    async with opened(url, min_size=1, max_size=1) as db:
        ann = await Author.create(name="ann")
        other = await ferrule.connect(url, min_size=1, max_size=1)
        try:
            async with db.transaction():
                assert len(await Author.filter(id=ann.id).select_for_update()) == 1
                async with orm.transaction(using=other):
                    await Tag.create(label="before", using=other)
                    with pytest.raises(OperationalError) as raised:
                        async with orm.transaction(using=other):
                            await (
                                Author.filter(id=ann.id).select_for_update(nowait=True).using(other)
                            )
                    assert not isinstance(raised.value, TransactionRollbackError)
                    skipped = await (
                        Author.filter(id=ann.id).select_for_update(skip_locked=True).using(other)
                    )
                    assert skipped == []
                    await Tag.create(label="after", using=other)
                # without a savepoint: the failed lock dooms the block, which commits nothing
                with pytest.raises(ferrule.errors.TransactionError):
                    async with orm.transaction(using=other):
                        await Tag.create(label="doomed", using=other)
                        with pytest.raises(OperationalError):
                            await (
                                Author.filter(id=ann.id).select_for_update(nowait=True).using(other)
                            )
                        await Tag.create(label="never", using=other)
            assert sorted(await Tag.values_list("label", flat=True)) == ["after", "before"]
            # the lock is gone with its transaction: NOWAIT takes it now
            async with orm.transaction(using=other):
                got = await Author.filter(id=ann.id).select_for_update(nowait=True).using(other)
                assert [a.name for a in got] == ["ann"]
        finally:
            await other.close()
        assert db.stats()["in_use"] == 0
