"""A ``timedelta`` field holds what every database can: SQLite and MariaDB store its
microseconds in a 64-bit integer, so a duration past ±2**63 µs (about 292,000 years, such as
``timedelta.max`` used as "forever") is a ``ValidationError`` naming ``Model.field`` on every
database, from every write and as a filter value, as an int past its column is. Before,
PostgreSQL stored it (an interval holds it), SQLite refused it with a DataError about a
parameter and MariaDB with an out-of-range DataError, so the same rows differed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables

HIGH = dt.timedelta(microseconds=2**63 - 1)
LOW = dt.timedelta(microseconds=-(2**63))
ONE = dt.timedelta(microseconds=1)


class Span(orm.Model):
    id: int = orm.Field(primary_key=True)
    length: dt.timedelta | None = None

    class Meta:
        table = "ormt_duration_span"


async def test_durations_past_64_bit_microseconds_are_refused(url: str) -> None:
    async with opened(url), own_tables(Span):
        await Span.create(length=HIGH)
        await Span.bulk_create([Span(length=LOW)])
        assert await Span.order_by("id").values_list("length", flat=True) == [HIGH, LOW]
        refused = {
            "create": lambda: Span.create(length=dt.timedelta.max),
            "create low": lambda: Span.create(length=LOW - ONE),
            "bulk_create": lambda: Span.bulk_create([Span(length=dt.timedelta.min)]),
            "update": lambda: Span.all().update(length=HIGH + ONE),
            "filter": lambda: Span.filter(length__lt=dt.timedelta.max).count(),
        }
        for label, make in refused.items():
            with pytest.raises(ValidationError) as caught:
                await make()
            assert caught.value.title == "Span.length", label
        assert await Span.filter(length__lte=HIGH).count() == 2
        assert await Span.order_by("id").values_list("length", flat=True) == [HIGH, LOW]
