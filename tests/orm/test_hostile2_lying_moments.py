"""A ``datetime`` subclass whose methods lie (``astimezone``, ``isoformat``, ``__str__``
answer year 2999) given to a filter or a write: on SQLite and MariaDB its own
``astimezone`` was asked for the instant in UTC, so ``filter(moment__gt=<2019>)`` compared
with 2999 and ``update(moment=<2019>)`` stored 2999, silently; so did a ``timedelta``
whose ``__floordiv__`` lies (SQLite and MariaDB keep microseconds, counted by ``//``) and,
on MariaDB, a ``UUID`` whose ``__str__`` lies (kept as text). A value is read as the one it
holds (its fields), as the backends read parameters (``plain_value``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ferrule.orm.expressions import F

from .conftest import opened
from .models import Everything

UTC = dt.timezone.utc
LIE = dt.datetime(2999, 1, 1, tzinfo=UTC)


class Lying(dt.datetime):
    def astimezone(self, tz: Any = None) -> Any:
        return LIE

    def isoformat(self, *args: Any, **kwargs: Any) -> str:
        return LIE.isoformat()

    def __str__(self) -> str:
        return str(LIE)

    def replace(self, *args: Any, **kwargs: Any) -> Any:
        return LIE


async def test_a_lying_datetime_is_the_moment_it_holds(url: str) -> None:
    async with opened(url):
        when = dt.datetime(2020, 1, 1, 12, tzinfo=UTC)
        await Everything.create(code="a", moment=when, naive=when.replace(tzinfo=None))
        early = Lying(2019, 1, 1, tzinfo=UTC)
        assert await Everything.filter(moment__gt=early).count() == 1
        assert await Everything.filter(moment__lt=Lying(2021, 1, 1, tzinfo=UTC)).count() == 1
        assert await Everything.filter(naive__gt=Lying(2019, 1, 1)).count() == 1
        await Everything.filter(code="a").update(moment=early, naive=Lying(2019, 1, 1))
        row = await Everything.get(code="a")
        assert (row.moment, row.naive) == (
            dt.datetime(2019, 1, 1, tzinfo=UTC),
            dt.datetime(2019, 1, 1),
        )
        made = await Everything.create(code="b", moment=Lying(2018, 5, 5, 3, tzinfo=UTC))
        assert (await Everything.get(pk=made.pk)).moment == dt.datetime(2018, 5, 5, 3, tzinfo=UTC)


class LyingSpan(dt.timedelta):
    def __floordiv__(self, other: Any) -> Any:
        return 999_999_999

    def total_seconds(self) -> float:
        return 999.0


class LyingKey(uuid.UUID):
    def __str__(self) -> str:
        return "ffffffff-ffff-ffff-ffff-ffffffffffff"


async def test_a_lying_duration_or_uuid_is_the_value_it_holds(url: str) -> None:
    async with opened(url):
        await Everything.create(code="a", span=dt.timedelta(seconds=5), key=uuid.UUID(int=5))
        assert await Everything.filter(key=LyingKey(int=5)).count() == 1
        assert await Everything.filter(span__gt=LyingSpan(seconds=4)).count() == 1
        plus = Everything.all().annotate(k=F("span") + LyingSpan(seconds=1))
        assert await plus.values_list("k", flat=True) == [dt.timedelta(seconds=6)]
        await Everything.filter(code="a").update(span=LyingSpan(seconds=7), key=LyingKey(int=6))
        made = await Everything.create(code="b", span=LyingSpan(seconds=3), key=LyingKey(int=7))
        rows = Everything.all().order_by("code").values_list("span", "key")
        assert await rows == [
            (dt.timedelta(seconds=7), uuid.UUID(int=6)),
            (dt.timedelta(seconds=3), uuid.UUID(int=7)),
        ]
        assert made.key == uuid.UUID(int=7)
