"""Date arithmetic whose result leaves Python's years 1-9999 (``F("d") + timedelta``) is a
``DataError`` on the three databases wherever it is computed: read, compared in a filter,
or written by ``update()``. PostgreSQL's dates reach year 5,874,897, so there a filter
compared past 9999 and answered, and ``update()`` stored a date no Python program can read,
where SQLite and MariaDB raised."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F
FAR = dt.timedelta(days=3_000_000)  # past year 9999 from any year after ~1786
BACK = dt.timedelta(days=-800_000)  # before year 1 from any year before ~2190


class Stay(orm.Model):
    id: int = orm.Field(primary_key=True)
    d: dt.date = orm.Field()
    at: dt.datetime = orm.Field()

    class Meta:
        table = "ormt_oi_stay"


AT = dt.datetime(2020, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("shift", [FAR, BACK], ids=["future", "past"])
@pytest.mark.parametrize("field", ["d", "at"])
async def test_a_filter_past_the_years_is_a_data_error(
    url: str, shift: dt.timedelta, field: str
) -> None:
    async with opened(url), own_tables(Stay):
        await Stay.create(d=AT.date(), at=AT)
        with pytest.raises(DataError):
            await Stay.filter(**{f"{field}__lt": F(field) + shift}).count()
        with pytest.raises(DataError):
            await Stay.exclude(**{f"{field}__gte": F(field) + shift}).values_list("id", flat=True)


@pytest.mark.parametrize("shift", [FAR, BACK], ids=["future", "past"])
@pytest.mark.parametrize("field", ["d", "at"])
async def test_an_update_past_the_years_is_a_data_error(
    url: str, shift: dt.timedelta, field: str
) -> None:
    async with opened(url), own_tables(Stay):
        stay = await Stay.create(d=AT.date(), at=AT)
        with pytest.raises(DataError):
            await Stay.filter(pk=stay.pk).update(**{field: F(field) + shift})
        again = await Stay.get(pk=stay.pk)  # nothing written, still readable
        assert (again.d, again.at) == (AT.date(), AT)


@pytest.mark.parametrize("shift", [FAR, BACK], ids=["future", "past"])
@pytest.mark.parametrize("field", ["d", "at"])
async def test_a_value_past_the_years_is_a_data_error(
    url: str, shift: dt.timedelta, field: str
) -> None:
    async with opened(url), own_tables(Stay):
        await Stay.create(d=AT.date(), at=AT)
        with pytest.raises(DataError):
            await Stay.annotate(x=F(field) + shift).values_list("x", flat=True)


async def test_the_last_and_first_days_still_answer(url: str) -> None:
    async with opened(url), own_tables(Stay):
        await Stay.create(d=AT.date(), at=AT)
        up = dt.date(9999, 12, 31) - AT.date()
        down = dt.date(1, 1, 1) - AT.date()
        assert await Stay.filter(d=F("d") + up - up).count() == 1
        got = await Stay.annotate(x=F("d") + up, y=F("d") + down).values_list("x", "y")
        assert got == [(dt.date(9999, 12, 31), dt.date(1, 1, 1))]
