"""Time-zone aware datetimes compare as instants on every database: equality, ranges and order
answer as Python's datetime comparison does, whatever offsets the values were given with
(SQLite stores them as text, where "12:00+05:00" would sort after "08:00+00:00")."""

from __future__ import annotations

import datetime as dt

from .conftest import opened
from .models import Everything

UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5))
MINUS3 = dt.timezone(dt.timedelta(hours=-3))

MOMENTS = {
    1: dt.datetime(2024, 1, 1, 12, 0, tzinfo=PLUS5),  # 07:00 UTC
    2: dt.datetime(2024, 1, 1, 8, 0, tzinfo=UTC),  # 08:00 UTC
    3: dt.datetime(2024, 1, 1, 4, 30, 0, 500_000, tzinfo=MINUS3),  # 07:30:00.5 UTC
    4: dt.datetime(2023, 12, 31, 23, 0, tzinfo=MINUS3),  # 02:00 UTC on Jan 1
}


async def test_aware_datetimes_compare_as_instants(url: str) -> None:
    async with opened(url):
        for key, moment in MOMENTS.items():
            await Everything.create(id=key, moment=moment)
        for key, moment in MOMENTS.items():
            for zone in (UTC, PLUS5, MINUS3):
                same = moment.astimezone(zone)
                assert await Everything.filter(moment=same).values_list("id", flat=True) == [key]
        bound = dt.datetime(2024, 1, 1, 7, 15, tzinfo=UTC)
        for lookup, keep in (
            ("gt", lambda m: m > bound),
            ("gte", lambda m: m >= bound),
            ("lt", lambda m: m < bound),
            ("lte", lambda m: m <= bound),
        ):
            expected = sorted(k for k, m in MOMENTS.items() if keep(m))
            for zone in (UTC, PLUS5):
                found = await Everything.filter(**{f"moment__{lookup}": bound.astimezone(zone)})
                assert sorted(e.id for e in found) == expected, (lookup, zone)
        in_order = sorted(MOMENTS, key=lambda k: MOMENTS[k])
        assert await Everything.order_by("moment").values_list("id", flat=True) == in_order
        read = {e.id: e.moment for e in await Everything.all()}
        assert read == MOMENTS  # the same instants (the offset may be the database's)
        assert all(m is not None and m.tzinfo is not None for m in read.values())


async def test_every_write_path_stores_the_instant(url: str) -> None:
    """save() of a changed row, bulk_create and QuerySet.update() store what create() does."""
    async with opened(url):
        made = await Everything.create(id=1, moment=MOMENTS[2])
        made.moment = MOMENTS[1]
        await made.save()
        await Everything.bulk_create([Everything(id=2, moment=MOMENTS[3])])
        await Everything.bulk_create([Everything(id=3, moment=MOMENTS[4])], batch_size=1)
        await Everything.filter(id=2).update(moment=MOMENTS[3].astimezone(PLUS5))
        for moment in (MOMENTS[1], MOMENTS[3], MOMENTS[4]):
            assert await Everything.filter(moment=moment.astimezone(UTC)).count() == 1
        earliest = await Everything.order_by("moment").values_list("moment", flat=True)
        assert earliest == sorted([MOMENTS[1], MOMENTS[3], MOMENTS[4]])
