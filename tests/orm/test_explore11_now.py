"""Django's ``Now()`` ("Database functions"), which ferrule lacked (``orm.Now`` was an
AttributeError): the application's clock in UTC, read each time the query is compiled and
bound, so every database compares and stores the same instant (``orm.now``)."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.orm import now as now_module

from .conftest import opened, own_tables

UTC = dt.timezone.utc
NOON = dt.datetime(2024, 5, 6, 12, 0, 0, 123456, tzinfo=UTC)


class E11Lease(orm.Model):
    id: int = orm.Field(primary_key=True)
    expires = orm.DateTimeField(null=True)
    seen = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_e11_lease"


async def test_now_is_read_each_time_the_query_runs(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [NOON]
    monkeypatch.setattr(now_module, "_reading", lambda: clock[0])
    async with opened(url), own_tables(E11Lease):
        for hours in (-1, 1, 3):
            await E11Lease.create(expires=NOON + dt.timedelta(hours=hours))
        expired = E11Lease.filter(expires__lt=orm.Now()).order_by("id")
        assert await expired.values_list("id", flat=True) == [1]
        clock[0] = NOON + dt.timedelta(hours=2)  # the same QuerySet, awaited later
        assert await expired.values_list("id", flat=True) == [1, 2]
        assert await expired.count() == 2
        assert await E11Lease.filter(id=3).update(seen=orm.Now()) == 1
        left = (
            await E11Lease.order_by("id")
            .annotate(at=orm.Now(), left=orm.F("expires") - orm.Now())
            .values_list("seen", "at", "left")
        )
        assert left == [
            (None, clock[0], dt.timedelta(hours=-3)),
            (None, clock[0], dt.timedelta(hours=-1)),
            (clock[0], clock[0], dt.timedelta(hours=1)),
        ]
        assert repr(orm.Now()) == "Now()"


async def test_now_is_the_current_utc_instant(url: str) -> None:
    async with opened(url), own_tables(E11Lease):
        before = dt.datetime.now(UTC)
        await E11Lease.create()
        await E11Lease.all().update(seen=orm.Now())
        (seen,) = await E11Lease.values_list("seen", flat=True)
        assert before <= seen <= dt.datetime.now(UTC) and seen.utcoffset() == dt.timedelta(0)
