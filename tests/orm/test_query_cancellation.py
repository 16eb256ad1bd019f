"""``in_bulk()``, ``latest()``/``earliest()``, ``__in=Subquery`` and sliced
``update()``/``delete()`` cancelled at every await point: after 0, 1, 2, ... loop turns
(every database) and as each connection operation is on its way (PostgreSQL, MariaDB: SQLite
runs statements on the loop). A read leaves the rows as they were; a write is all or
nothing, inside ``orm.transaction()`` too (then nothing unless the block committed); the
pool has its connection back, usable."""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm

from .conftest import CancelTrap, cut_at, opened
from .models import Author

RATINGS = {"ann": 5, "bo": 1, "cy": 3, "dee": 4, "eve": 2}
OPERATIONS = ("begin", "commit", "rollback", "execute", "fetch_tuples", "fetch_instances")


async def _state() -> list[tuple[str, int]]:
    return sorted(await Author.values_list("name", "rating"))


def _trap(db: Any, monkeypatch: pytest.MonkeyPatch) -> CancelTrap:
    conn_class = type(db._pool.idle_connections()[0])
    trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
    trap.install(monkeypatch, conn_class)
    return trap


async def _cancel_each_step(
    db: Any,
    how: str,
    trap: CancelTrap | None,
    work: Callable[[], Awaitable[Any]],
    check: Callable[[str, Any], Awaitable[None]],
) -> collections.Counter[str]:
    """Run ``work()`` cancelled at its n-th await point, n = 0, 1, ..., until it finishes
    three times in a row (or, in flight, until no operation is left to cancel); after each
    run ``check(outcome, result)`` and the pool's books."""
    outcomes: collections.Counter[str] = collections.Counter()
    finished = 0
    for n in range(500):
        if how != "loop":
            assert trap is not None
        outcome, result = await cut_at(work(), n, None if how == "loop" else trap)
        outcomes[outcome] += 1
        assert db.stats()["in_use"] == 0
        await check(outcome, result)
        if how == "in_flight" and trap is not None and trap.calls < trap.target:
            break  # every operation got its cancellation
        finished = finished + 1 if outcome == "ok" else 0
        if finished == 3:
            break
    assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    return outcomes


def _skip_in_flight(how: str, dialect: str) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_cancelled_reads_leave_the_rows_and_the_pool(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db:
        made = {n: await Author.create(name=n, rating=r) for n, r in RATINGS.items()}
        before = await _state()
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        ids = [a.id for a in made.values()]

        async def reads() -> tuple[Any, ...]:
            bulk = await Author.in_bulk([*ids, 10**6])
            names = await Author.filter(rating__gte=2).in_bulk(list(RATINGS), field_name="name")
            top = await Author.all().latest("rating")
            low = await Author.all().earliest("rating")
            high = orm.Subquery(Author.filter(rating__gte=4).values("id"))
            within = await Author.filter(id__in=high).values_list("name", flat=True)
            return bulk, names, top, low, within

        async def check(outcome: str, result: Any) -> None:
            assert await _state() == before
            if outcome == "ok":
                bulk, names, top, low, within = result
                assert {k: a.name for k, a in bulk.items()} == {a.id: n for n, a in made.items()}
                assert sorted(names) == sorted(n for n, r in RATINGS.items() if r >= 2)
                assert (top.name, low.name) == ("ann", "bo")
                assert sorted(within) == sorted(n for n, r in RATINGS.items() if r >= 4)
            assert (await Author.all().latest("rating")).name == "ann"  # the pool works

        await _cancel_each_step(db, how, trap, reads, check)


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["alone", "in_transaction"])
@pytest.mark.parametrize("write", ["update", "delete", "update_in_subquery"])
async def test_a_cancelled_sliced_write_is_all_or_nothing(
    url: str, dialect: str, how: str, shape: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db:
        for name, rating in RATINGS.items():
            await Author.create(name=name, rating=rating)
        before = await _state()
        lowest = sorted(RATINGS, key=RATINGS.__getitem__)[:2]  # the slice's rows
        if write != "delete":
            after = sorted((n, 100 if n in lowest else r) for n, r in RATINGS.items())
        else:
            after = sorted((n, r) for n, r in RATINGS.items() if n not in lowest)
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        blocks: list[Any] = []

        def written() -> Awaitable[int]:
            if write == "update_in_subquery":  # the two lowest, named by a subquery
                low = orm.Subquery(Author.filter(rating__lte=2).values("id"))
                return Author.filter(id__in=low).update(rating=100)
            sliced = Author.order_by("rating")[:2]
            return sliced.update(rating=100) if write == "update" else sliced.delete()

        async def change() -> int:
            if shape == "alone":
                return await written()
            tx = orm.transaction()
            blocks.append(tx)
            async with tx:
                count = await written()
                assert await _state() == after  # seen inside the block
            return count

        async def check(outcome: str, result: Any) -> None:
            state = await _state()
            assert state in (before, after), "a part of a sliced write"
            if outcome == "ok":
                assert result == 2 and state == after
            elif shape == "in_transaction":
                assert (state == after) == bool(blocks and blocks[-1].committed)
            if state == after:  # put the rows back for the next run
                async with orm.transaction():
                    await Author.all().delete()
                    for name, rating in RATINGS.items():
                        await Author.create(name=name, rating=rating)
            blocks.clear()
            assert await _state() == before

        await _cancel_each_step(db, how, trap, change, check)
