"""A ``datetime`` subclass whose methods lie (``astimezone``, ``isoformat``, ``__str__``
answer year 2999) given to a filter or a write: on SQLite and MariaDB its own
``astimezone`` was asked for the instant in UTC, so ``filter(moment__gt=<2019>)`` compared
with 2999 and ``update(moment=<2019>)`` stored 2999, silently. A value is read as the
datetime it holds (its fields), as the backends read parameters (``plain_value``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
