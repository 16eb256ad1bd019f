"""``orm.Now()`` is one instant per statement, as Django's (PostgreSQL's
``STATEMENT_TIMESTAMP()``, MariaDB's ``CURRENT_TIMESTAMP(6)`` and SQLite's ``'now'`` each
answer one time for the whole statement). ferrule read the clock at every place the SQL
bound it: ``annotate(a=Now(), b=Now())`` gave two instants, ``annotate(a=now).annotate(
b=F('a'))`` an ``F('a')`` other than ``a``, and ``update(seen=Now(), expires=Now())`` stored
two. The clock here ticks a microsecond each reading, so no wall-clock time is assumed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.orm import now as now_module

from .conftest import opened, own_tables
from .models import Author, Post

UTC = dt.timezone.utc
NOON = dt.datetime(2024, 5, 6, 12, 0, 0, tzinfo=UTC)


class H5Lease(orm.Model):
    id: int = orm.Field(primary_key=True)
    expires = orm.DateTimeField(null=True)
    seen = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_h5_lease"


class _Ticking:
    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> dt.datetime:
        self.reads += 1
        return NOON + dt.timedelta(microseconds=self.reads)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Ticking:
    ticking = _Ticking()
    monkeypatch.setattr(now_module, "_reading", ticking)
    return ticking


def _one(rows: list[Any]) -> set[Any]:
    return {value for row in rows for value in row}


async def test_one_instant_per_statement(url: str, clock: _Ticking) -> None:
    async with opened(url), own_tables(H5Lease):
        await H5Lease.create(id=1)
        now = orm.Now()
        both = H5Lease.annotate(a=orm.Now(), b=orm.Now()).values_list("a", "b")
        assert len(_one(await both)) == 1
        same = H5Lease.annotate(a=now, b=now).values_list("a", "b")
        assert len(_one(await same)) == 1
        named = H5Lease.annotate(a=now).annotate(b=orm.F("a")).values_list("a", "b")
        assert len(_one(await named)) == 1
        assert await H5Lease.all().update(seen=orm.Now(), expires=orm.Now()) == 1
        assert len(_one(await H5Lease.values_list("seen", "expires"))) == 1
        assert await H5Lease.filter(seen=orm.F("expires")).count() == 1
        differ = H5Lease.annotate(gap=orm.Now() - orm.Now()).values_list("gap", flat=True)
        assert await differ == [dt.timedelta(0)]


async def test_each_statement_reads_the_clock_again(url: str, clock: _Ticking) -> None:
    async with opened(url), own_tables(H5Lease):
        await H5Lease.create(id=1)
        query = H5Lease.annotate(a=orm.Now()).values_list("a", flat=True)
        (first,) = await query
        (second,) = await query
        assert first < second  # the same QuerySet, run again: a later reading


async def test_subqueries_read_the_statements_clock(url: str, clock: _Ticking) -> None:
    async with opened(url), own_tables(H5Lease):
        await H5Lease.create(id=1)
        inner = H5Lease.filter(id=orm.OuterRef("id")).annotate(n=orm.Now()).values("n")[:1]
        query = H5Lease.annotate(a=orm.Now(), b=orm.Subquery(inner)).values_list("a", "b")
        assert len(_one(await query)) == 1


PAST = dt.datetime(2000, 1, 1, tzinfo=UTC)
FUTURE = dt.datetime(2100, 1, 1, tzinfo=UTC)


async def test_a_key_subquery_of_a_not_reads_the_statements_clock(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock whose readings swing between 2000 and 2100: ann's post (2050) is older than
    the statement's instant exactly when that instant is 2100, and bo (no post) shows it."""
    reads = iter([PAST, FUTURE] * 50)
    monkeypatch.setattr(now_module, "_reading", lambda: next(reads))
    async with opened(url):
        ann = await Author.create(name="ann")
        await Author.create(name="bo")
        await Post.create(title="p", author=ann)
        await Post.all().update(created=dt.datetime(2050, 1, 1, tzinfo=UTC))
        for _ in range(3):
            query = (
                Author.exclude(posts__created__lt=orm.Now())
                .annotate(at=orm.Now())
                .order_by("name")
                .values_list("name", "at")
            )
            rows = dict(await query)
            assert len(set(rows.values())) == 1
            assert ("ann" in rows) == (rows["bo"] == PAST), rows


async def test_a_union_is_one_statement(url: str, clock: _Ticking) -> None:
    async with opened(url), own_tables(H5Lease):
        await H5Lease.create(id=1)
        query = H5Lease.annotate(a=orm.Now()).values_list("a", flat=True)
        assert len(await query.union(query)) == 1  # (UNION drops the same instant twice)
        assert await query.union(query).count() == 1
