"""The query cache (``QuerySet.cached()``) after writes that were cancelled or raced: a cached
answer is never one the database no longer gives. A write that committed drops the entries
of its table, whether its caller saw it return or was cancelled as it ended; a read that
began before a write and ends after it keeps nothing."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, SchemaError

from .conftest import CancelTrap, cut_at, opened
from .models import Author, Tag
from .test_write_cancellation import OPERATIONS

WRITES: dict[str, Callable[[int], Awaitable[Any]]] = {
    "create": lambda n: Author.create(name=f"a{n}"),
    "update": lambda n: Author.filter(name="ann").update(rating=n),
    "bulk_create": lambda n: Author.bulk_create([Author(name=f"b{n}"), Author(name=f"c{n}")]),
    "get_or_create": lambda n: Author.get_or_create(name=f"g{n}"),
}


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_cancelled_write_leaves_no_stale_cached_answer(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        await Author.create(name="ann")
        trap = None
        if how == "in_flight":
            conn_class = type(db._pool.idle_connections()[0])
            trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
            trap.install(monkeypatch, conn_class)

        def cached() -> Any:
            return Author.all().order_by("name").values_list("name", "rating").cached(ttl=600)

        outcomes: collections.Counter[str] = collections.Counter()
        finished = 0
        for n in range(300):
            await cached()  # an entry for the table
            outcome, _ = await cut_at(WRITES[write](n), n, trap)
            outcomes[outcome] += 1
            finished = finished + 1 if outcome == "ok" else 0
            truth = await Author.all().order_by("name").values_list("name", "rating")
            assert await cached() == truth, f"a stale cached answer, cancelled in state {n}"
            if finished == 3 or (trap is not None and trap.calls < trap.target):
                break
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
    orm.cache.query_cache.clear()


@pytest.mark.parametrize("write", ["create", "update", "delete"])
async def test_a_read_racing_a_write_caches_no_stale_answer(
    url: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached read whose rows were read before a write committed, and whose answer comes
    back after the write dropped the table's entries (the write runs, on another connection,
    between the read's rows arriving and the read keeping them), must not be kept: the next
    cached read gives what the database gives."""
    async with opened(url, min_size=2, max_size=2) as db:
        await Tag.create(label="t0")
        reader: list[asyncio.Task[Any] | None] = [None]
        conn_class = type(db._pool.idle_connections()[0])
        real = conn_class.fetch_tuples

        async def late(conn: Any, *args: Any) -> Any:
            rows = await real(conn, *args)
            if asyncio.current_task() is reader[0]:
                reader[0] = None
                if write == "create":
                    await Tag.create(label="t1")
                elif write == "update":
                    await Tag.filter(label="t0").update(label="t2")
                else:
                    await Tag.filter(label="t0").delete()
            return rows

        monkeypatch.setattr(conn_class, "fetch_tuples", late)

        def query() -> Any:
            return Tag.all().order_by("label").values_list("label", flat=True).cached(ttl=600)

        task = asyncio.ensure_future(query())
        reader[0] = task
        assert await task == ["t0"]  # read before the write
        truth = await Tag.all().order_by("label").values_list("label", flat=True)
        assert truth != ["t0"]
        assert await query() == truth
    orm.cache.query_cache.clear()


@pytest.mark.parametrize("ttl", [0, -1, float("nan"), float("inf"), True, "60", 10**400])
def test_a_ttl_that_is_no_positive_finite_number_is_refused(ttl: Any) -> None:
    """``cached(ttl=nan)`` was kept and never expired (``nan <= 0`` is false); ``None`` is
    the one way to say "never"."""
    with pytest.raises(FieldError, match="positive number of seconds"):
        Author.all().cached(ttl=ttl)
    with pytest.raises(SchemaError, match="positive number of seconds"):

        class Cached(orm.Model):  # (defined to be refused)
            id: int = orm.Field(primary_key=True)

            class Meta:
                cache = ttl
