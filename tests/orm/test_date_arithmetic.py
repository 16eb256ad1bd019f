"""Date and duration arithmetic: ``F("start") + timedelta(...)``, ``F("end") - F("start")``,
``F("day") + F("span")``, in annotations, filters, ordering and ``update()``, exact to the
microsecond on SQLite, PostgreSQL and MariaDB. Every answer is Python's own over the inserted
rows (an aware datetime plus a timedelta is the instant 24 h per day later; a date plus a
timedelta moves by the timedelta's whole days, ``td.days``: Python drops the rest); what has
no answer (a datetime plus a datetime, aware minus naive, a duration times a number) is a
``FieldError`` naming the model."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError, FieldError

from .conftest import opened, own_tables

F = orm.F
UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5, minutes=30))
MINUS3 = dt.timezone(dt.timedelta(hours=-3))


class Trip(orm.Model):
    id: int = orm.Field(primary_key=True)
    start = orm.DateTimeField()
    end = orm.DateTimeField(null=True)
    local_start = orm.DateTimeField(tz=False)
    local_end = orm.DateTimeField(tz=False, null=True)
    first_day = orm.DateField()
    last_day = orm.DateField(null=True)
    span = orm.TimedeltaField(null=True)

    class Meta:
        table = "ormt_trip"


ROWS: list[dict[str, Any]] = [
    dict(
        id=1,
        start=dt.datetime(2024, 2, 28, 23, 59, 59, 999_999, tzinfo=PLUS5),
        end=dt.datetime(2024, 3, 1, 0, 0, 0, 1, tzinfo=MINUS3),
        local_start=dt.datetime(2024, 12, 31, 23, 59, 59, 999_999),
        local_end=dt.datetime(2025, 1, 1, 0, 0, 0, 500_000),
        first_day=dt.date(2024, 2, 28),
        last_day=dt.date(2024, 3, 1),
        span=dt.timedelta(days=1, microseconds=1),
    ),
    dict(
        id=2,
        start=dt.datetime(2023, 12, 31, 22, 0, tzinfo=UTC),
        end=dt.datetime(2023, 12, 31, 21, 0, 0, 250_000, tzinfo=UTC),
        local_start=dt.datetime(2000, 1, 1),
        local_end=dt.datetime(1999, 12, 31, 12, 30),
        first_day=dt.date(2000, 1, 1),
        last_day=dt.date(1999, 12, 1),
        span=dt.timedelta(microseconds=-1),
    ),
    dict(
        id=3,
        start=dt.datetime(2024, 3, 31, 1, 30, 0, 123_456, tzinfo=MINUS3),
        end=None,
        local_start=dt.datetime(2024, 3, 31, 1, 30),
        local_end=None,
        first_day=dt.date(2024, 12, 31),
        last_day=None,
        span=None,
    ),
    dict(
        id=4,
        start=dt.datetime(2021, 6, 15, 12, 0, tzinfo=UTC),
        end=dt.datetime(2021, 6, 15, 12, 0, tzinfo=PLUS5),
        local_start=dt.datetime(2021, 6, 15, 12, 0),
        local_end=dt.datetime(2021, 6, 15, 12, 0),
        first_day=dt.date(2021, 6, 15),
        last_day=dt.date(2021, 6, 15),
        span=dt.timedelta(days=-400, hours=7, seconds=3, microseconds=999_999),
    ),
]

DELTAS = [
    dt.timedelta(days=1),
    dt.timedelta(microseconds=1),
    dt.timedelta(microseconds=-1),
    dt.timedelta(hours=-36, microseconds=5),
    dt.timedelta(days=3650, seconds=59),
]


def _add(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def _sub(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a - b


async def _made() -> None:
    for row in ROWS:
        await Trip.create(**row)


async def _answers(expression: Any) -> dict[int, Any]:
    return dict(await Trip.annotate(x=expression).values_list("id", "x"))


async def test_adding_and_subtracting_constant_durations(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        for delta in DELTAS:
            for field in ("start", "end", "local_start", "local_end", "first_day", "span"):
                expected = {r["id"]: _add(r[field], delta) for r in ROWS}
                assert await _answers(F(field) + delta) == expected, (field, delta)
                assert await _answers(delta + F(field)) == expected, (field, delta)
                expected = {r["id"]: _sub(r[field], delta) for r in ROWS}
                assert await _answers(F(field) - delta) == expected, (field, delta)
        found = await Trip.annotate(x=F("start") + DELTAS[1]).order_by("id").first()
        assert found is not None and found.x.utcoffset() is not None  # aware, as the field


async def test_differences_and_field_durations(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        cases = {
            "end - start": (F("end") - F("start"), _sub, "end", "start"),
            "local": (F("local_end") - F("local_start"), _sub, "local_end", "local_start"),
            "days": (F("last_day") - F("first_day"), _sub, "last_day", "first_day"),
            "start + span": (F("start") + F("span"), _add, "start", "span"),
            "local - span": (F("local_start") - F("span"), _sub, "local_start", "span"),
            "day + span": (F("first_day") + F("span"), _add, "first_day", "span"),
            "span + span": (F("span") + F("span"), _add, "span", "span"),
            "day - span": (F("first_day") - F("span"), _sub, "first_day", "span"),
        }
        for label, (expression, op, a, b) in cases.items():
            expected = {r["id"]: op(r[a], r[b]) for r in ROWS}
            assert await _answers(expression) == expected, label
        later = dt.datetime(2030, 1, 1, tzinfo=PLUS5)
        more = {
            "span - diff": (
                F("span") - (F("end") - F("start")),
                lambda r: _sub(r["span"], _sub(r["end"], r["start"])),
            ),
            "constant - start": (later - F("start"), lambda r: later - r["start"]),
            "day - constant": (
                F("first_day") - dt.date(1999, 2, 3),
                lambda r: r["first_day"] - dt.date(1999, 2, 3),
            ),
            "chained": (
                F("start") + dt.timedelta(hours=1) - dt.timedelta(microseconds=3),
                lambda r: r["start"] + dt.timedelta(hours=1) - dt.timedelta(microseconds=3),
            ),
        }
        for label, (expression, compute) in more.items():
            assert await _answers(expression) == {r["id"]: compute(r) for r in ROWS}, label


async def test_filters_ordering_and_update(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        hour = dt.timedelta(hours=1)
        two_days = dt.timedelta(days=2)
        shift = dt.timedelta(hours=5, minutes=30)

        def known(r: dict[str, Any], *names: str) -> bool:
            return all(r[n] is not None for n in names)

        filters: dict[str, tuple[Any, Any]] = {
            "end__gt": (
                F("start") - hour,
                lambda r: known(r, "end") and r["end"] > r["start"] - hour,
            ),
            "start__lt": (
                F("end") - hour,
                lambda r: known(r, "end") and r["start"] < r["end"] - hour,
            ),
            "local_end__gte": (
                F("local_start") + F("span"),
                lambda r: known(r, "local_end", "span")
                and r["local_end"] >= r["local_start"] + r["span"],
            ),
            "last_day__lt": (
                F("first_day") + two_days,
                lambda r: known(r, "last_day") and r["last_day"] < r["first_day"] + two_days,
            ),
            "span__lt": (
                F("end") - F("start"),
                lambda r: known(r, "end", "span") and r["span"] < r["end"] - r["start"],
            ),
            "start__exact": (
                F("end") - (-shift),
                lambda r: known(r, "end") and r["start"] == r["end"] + shift,
            ),
        }  # fmt: skip
        for name, (value, keep) in filters.items():
            found = sorted(await Trip.filter(**{name: value}).values_list("id", flat=True))
            assert found == [r["id"] for r in ROWS if keep(r)], name
        ordered = (
            await Trip.annotate(d=F("end") - F("start")).filter(end__isnull=False).order_by("d")
        )
        ended = [r for r in ROWS if r["end"] is not None]
        assert [t.id for t in ordered] == [
            r["id"] for r in sorted(ended, key=lambda r: r["end"] - r["start"])
        ]
        micro = dt.timedelta(microseconds=1)
        day = dt.timedelta(days=1)
        changed = Trip.filter(id__in=[1, 2]).update(
            start=F("start") + micro, first_day=F("first_day") - day, span=F("span") + micro
        )
        assert await changed == 2
        read = {t.id: (t.start, t.first_day, t.span) for t in await Trip.all()}
        assert read == {
            r["id"]: (
                r["start"] + micro if r["id"] in (1, 2) else r["start"],
                r["first_day"] - day if r["id"] in (1, 2) else r["first_day"],
                _add(r["span"], micro) if r["id"] in (1, 2) else r["span"],
            )
            for r in ROWS
        }
        # the updated rows still compare as the values they hold
        for r in ROWS:
            start = read[r["id"]][0]
            assert await Trip.filter(start=start).values_list("id", flat=True) == [r["id"]]


async def test_what_has_no_answer_is_refused(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        for bad in (
            F("start") + F("end"),
            F("start") - F("local_start"),
            F("first_day") - F("start"),
            F("start") * 2,
            F("span") * 2,
            F("start") + 1,
            F("first_day") + F("first_day"),
            dt.timedelta(days=1) - F("start"),
            F("span") + 1.5,
            F("start") + None,
            F("start") - dt.datetime(2024, 1, 1),
        ):
            with pytest.raises(FieldError, match="Trip"):
                await _answers(bad)
            with pytest.raises(FieldError, match="Trip"):
                await Trip.filter(start__lt=bad)


async def test_a_field_compared_or_set_with_another_kind_is_refused(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        hour = dt.timedelta(hours=1)
        for name, value in (
            ("start__lt", F("local_start") + hour),  # aware with naive
            ("local_end__gt", F("start") - hour),
            ("first_day__lt", F("start") + hour),  # a date with a datetime
            ("span__gt", F("start") + hour),  # a duration with a datetime
            ("id__gt", F("end") - F("start")),  # a number with a duration
        ):
            with pytest.raises(FieldError, match="Trip"):
                await Trip.filter(**{name: value})
        with pytest.raises(FieldError, match="Trip"):
            await Trip.all().update(first_day=F("start") + hour)
        with pytest.raises(FieldError, match="Trip"):
            await Trip.all().update(span=F("first_day") + hour)
        assert {t.first_day for t in await Trip.all()} == {r["first_day"] for r in ROWS}


async def test_an_annotation_of_dates_compares_with_values_of_its_kind(url: str) -> None:
    async with opened(url), own_tables(Trip):
        await _made()
        hour = dt.timedelta(hours=1)
        took = Trip.annotate(d=F("end") - F("start"), e=F("start") + hour, f=F("first_day") + hour)
        for bound in (dt.timedelta(0), -hour, dt.timedelta(days=1, microseconds=1)):
            found = sorted(await took.filter(d__gt=bound).values_list("id", flat=True))
            ended = [r for r in ROWS if r["end"] is not None]
            assert found == [r["id"] for r in ended if r["end"] - r["start"] > bound], bound
        moment = dt.datetime(2024, 1, 1, 4, 59, 59, 999_999, tzinfo=PLUS5)
        found = sorted(await took.filter(e__gte=moment).values_list("id", flat=True))
        assert found == [r["id"] for r in ROWS if r["start"] + hour >= moment]
        day = dt.date(2021, 6, 15)
        assert await took.filter(f=day).values_list("id", flat=True) == [
            r["id"] for r in ROWS if r["first_day"] + hour == day
        ]
        low, high = dt.timedelta(hours=-1), dt.timedelta(days=2)
        found = sorted(await took.filter(d__range=(low, high)).values_list("id", flat=True))
        assert found == [r["id"] for r in ROWS if r["end"] and low <= r["end"] - r["start"] <= high]
        for name, value in (
            ("d__gt", 5),
            ("e__gt", dt.datetime(2024, 1, 1)),  # naive, for an aware value
            ("f__gt", dt.datetime(2024, 1, 1)),  # a datetime, for a date
            ("d__gt", "1 day"),
        ):
            with pytest.raises(FieldError, match="Trip"):
                await took.filter(**{name: value})


async def test_a_result_outside_pythons_years_is_an_error(url: str, dialect: str) -> None:
    """A DataError on the three: SQLite's from ferrule_shift(), PostgreSQL's from the range
    check (durations._within_years: it was an UnreadableValueError when read), MariaDB's
    NULL with warning 1441 (tests/orm/test_openitems_date_range.py: filters and updates)."""
    async with opened(url), own_tables(Trip):
        await _made()
        far = dt.timedelta(days=3_000_000)  # Python: OverflowError for every row
        for expression in (F("first_day") + far, F("start") + far, F("local_start") - far):
            with pytest.raises(DataError):
                await _answers(expression)
