"""The ends of Python's date and datetime ranges round-trip through the ORM as the values they
are, on every database and every write path (create, save, bulk_create by COPY and by INSERT,
update), and filter by their own value and parts. On PostgreSQL the server holds the dates
themselves, not ``infinity`` (asyncpg's own codecs wrote ``date.max`` as infinity and read an
aware ``datetime.max`` back naive). A stored infinity has no Python value: loading it is
``UnreadableValueError`` naming the column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Everything

UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5))
#: id -> (moment, naive, day)
ENDS: dict[int, tuple[dt.datetime, dt.datetime, dt.date]] = {
    1: (dt.datetime.max.replace(tzinfo=UTC), dt.datetime.max, dt.date.max),
    2: (dt.datetime.min.replace(tzinfo=UTC), dt.datetime.min, dt.date.min),
    3: (dt.datetime.max.replace(tzinfo=PLUS5), dt.datetime(9999, 12, 31), dt.date(9999, 12, 30)),
}
#: what PostgreSQL says each row holds (a timestamptz in UTC)
PG_TEXT = {
    1: ("9999-12-31 23:59:59.999999", "9999-12-31 23:59:59.999999", "9999-12-31"),
    2: ("0001-01-01 00:00:00", "0001-01-01 00:00:00", "0001-01-01"),
    3: ("9999-12-31 18:59:59.999999", "9999-12-31 00:00:00", "9999-12-30"),
}


def _fields(key: int) -> dict[str, Any]:
    moment, naive, day = ENDS[key]
    return {"moment": moment, "naive": naive, "day": day}


async def _check(db: Any, keys: list[int]) -> None:
    read = {e.id: (e.moment, e.naive, e.day) for e in await Everything.all()}
    assert read == {k: ENDS[k] for k in keys}
    for moment, naive, _ in read.values():
        assert moment.tzinfo is not None and naive.tzinfo is None
    listed = await Everything.order_by("id").values_list("id", "moment", "naive", "day")
    assert [tuple(r) for r in listed] == [(k, *ENDS[k]) for k in sorted(keys)]
    for key in keys:
        moment, naive, day = ENDS[key]
        assert await Everything.filter(moment=moment, naive=naive, day=day).count() == 1
        assert (
            await Everything.filter(
                id=key, day__year=day.year, moment__date=moment.astimezone(UTC).date()
            ).count()
            == 1
        )
    if db.dialect == "postgres":
        rows = await db.fetch_all(
            "SELECT id, (moment AT TIME ZONE 'UTC')::text, naive::text, day::text,"
            " isfinite(moment) AND isfinite(naive) AND isfinite(day) FROM ormt_everything"
        )
        assert {r[0]: tuple(r[1:]) for r in rows} == {k: (*PG_TEXT[k], True) for k in keys}


async def test_create_and_save_keep_the_ends(url: str) -> None:
    async with opened(url) as db:
        for key in ENDS:
            await Everything.create(id=key, **_fields(key))
        await _check(db, list(ENDS))
        first = await Everything.get(id=1)
        first.note = "saved again"
        await first.save()
        await Everything.filter(id=2).update(**_fields(2))
        await _check(db, list(ENDS))


@pytest.mark.parametrize("count", [1, 250])
async def test_bulk_create_keeps_the_ends(url: str, count: int) -> None:
    async with opened(url) as db:
        # keys given (COPY on PostgreSQL) and keys generated (INSERT ... RETURNING)
        await Everything.bulk_create([Everything(id=k, **_fields(k)) for k in ENDS])
        await _check(db, list(ENDS))
        await Everything.all().delete()
        made = await Everything.bulk_create(
            [Everything(**_fields(1 + i % 3)) for i in range(count)]
        )
        read = {e.id: (e.moment, e.naive, e.day) for e in await Everything.all()}
        assert read == {e.id: (e.moment, e.naive, e.day) for e in made}
        assert sorted(read.values()) == sorted(ENDS[1 + i % 3] for i in range(count))


async def test_a_stored_infinity_is_an_error_naming_its_field(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("only PostgreSQL has infinite dates")
    async with opened(url) as db:
        await db.execute(
            "INSERT INTO ormt_everything (id, small, big, ratio, price, flag, code, note, blob,"
            " day) VALUES (1, 0, 0, 0, 0, false, '', '', '', 'infinity')"
        )
        with pytest.raises(errors.UnreadableValueError, match=r"'day'.*infinity") as info:
            await Everything.all()
        assert info.value.column == "day"
        with pytest.raises(errors.UnreadableValueError, match="'day'"):
            await Everything.get(id=1)
        with pytest.raises(errors.UnreadableValueError, match="'day'"):
            await Everything.values_list("day", flat=True)
        assert await Everything.filter(day__isnull=False).count() == 1
