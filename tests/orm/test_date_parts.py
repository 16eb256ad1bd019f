"""Date and time part lookups (``moment__year=2024``, ``day__week_day__in=[1, 7]``,
``moment__date__lt=...``) answer as Python's own ``datetime`` does, on every database: each
part of each row is computed in Python (an aware datetime in UTC, as the ORM documents) and
the rows a lookup keeps are compared with the rows Python keeps. NULLs match no part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, ValidationError

from .conftest import opened
from .models import Everything

UTC = dt.timezone.utc
PLUS5 = dt.timezone(dt.timedelta(hours=5))
MINUS3 = dt.timezone(dt.timedelta(hours=-3, minutes=-30))

#: dates around the places calendars disagree: year ends, ISO weeks 1, 52 and 53, leap days
DAYS = [
    dt.date(2020, 2, 29),  # leap day, Saturday
    dt.date(2020, 12, 31),  # Thursday of ISO week 53 of 2020
    dt.date(2021, 1, 1),  # Friday, ISO 2020-W53
    dt.date(2021, 1, 3),  # Sunday, ISO 2020-W53
    dt.date(2021, 1, 4),  # Monday, ISO 2021-W01
    dt.date(2018, 12, 31),  # Monday, ISO 2019-W01
    dt.date(2024, 12, 30),  # Monday, ISO 2025-W01
    dt.date(2015, 12, 31),  # Thursday, ISO 2015-W53
    dt.date(2000, 1, 1),  # Saturday, ISO 1999-W52
    dt.date(1999, 12, 31),
    dt.date(2016, 2, 29),
    dt.date(2023, 7, 16),  # Sunday
    dt.date(2023, 10, 1),  # the first day of a quarter
    dt.date(2023, 9, 30),  # the last day of one
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
]

CLOCKS = [
    dt.time(0, 0),
    dt.time(23, 59, 59, 999_999),
    dt.time(12, 30, 15, 500_000),
    dt.time(9, 5, 7),
    dt.time(0, 0, 0, 1),
    dt.time(12, 30, 15),
]


def _naive(index: int) -> dt.datetime:
    return dt.datetime.combine(DAYS[index % len(DAYS)], CLOCKS[index % len(CLOCKS)])


#: aware datetimes, several across a UTC date (and year) boundary from their own offset
MOMENTS = [
    dt.datetime(2023, 12, 31, 23, 0, tzinfo=MINUS3),  # 2024-01-01 02:30 UTC
    dt.datetime(2024, 1, 1, 1, 0, tzinfo=PLUS5),  # 2023-12-31 20:00 UTC
    dt.datetime(2021, 1, 3, 22, 15, 30, 250_000, tzinfo=MINUS3),  # Monday 2021-01-04 UTC
    dt.datetime(2020, 3, 1, 3, 0, tzinfo=PLUS5),  # 2020-02-29 22:00 UTC (leap day)
    dt.datetime(2020, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    dt.datetime(2021, 1, 1, 0, 0, tzinfo=UTC),
    dt.datetime(2015, 12, 31, 12, 0, tzinfo=PLUS5),
    dt.datetime(2023, 9, 30, 22, 0, tzinfo=MINUS3),  # Q4 in UTC, Q3 where it was written
    dt.datetime(2024, 6, 15, 12, 30, 15, tzinfo=UTC),
    dt.datetime(2024, 6, 15, 12, 30, 15, 500_000, tzinfo=UTC),
    dt.datetime(2000, 1, 1, 0, 0, tzinfo=PLUS5),
    dt.datetime(2019, 12, 30, 4, 0, tzinfo=PLUS5),
    dt.datetime(2023, 7, 16, 23, 45, tzinfo=MINUS3),
    dt.datetime(2018, 12, 31, 23, 59, 59, tzinfo=UTC),
    dt.datetime(2016, 2, 29, 0, 0, 0, 1, tzinfo=UTC),
    dt.datetime(2022, 1, 2, 23, 0, tzinfo=MINUS3),
]

COUNT = len(DAYS)
NULL_ID = COUNT + 1  # the row whose every date/time field is NULL

#: the parts a field of each kind takes, as in Django
DATE_PARTS = ("year", "month", "day", "week_day", "iso_week_day", "week", "iso_year", "quarter")
TIME_PARTS = ("hour", "minute", "second")
DATETIME_PARTS = (*DATE_PARTS, *TIME_PARTS, "date", "time")
FIELDS = {"day": DATE_PARTS, "naive": DATETIME_PARTS, "moment": DATETIME_PARTS, "clock": TIME_PARTS}


def part(value: Any, name: str) -> Any:
    """Python's answer: the part of a date, time or datetime (an aware one in UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)
    if name == "week_day":
        return value.isoweekday() % 7 + 1  # 1 = Sunday ... 7 = Saturday
    if name == "iso_week_day":
        return value.isoweekday()
    if name == "week":
        return value.isocalendar()[1]
    if name == "iso_year":
        return value.isocalendar()[0]
    if name == "quarter":
        return (value.month - 1) // 3 + 1
    if name == "date":
        return value.date()
    if name == "time":
        return value.time()
    return getattr(value, name)


def _rows() -> dict[int, dict[str, Any]]:
    rows = {}
    for index in range(COUNT):
        rows[index + 1] = {
            "day": DAYS[index],
            "naive": _naive(index),
            "moment": MOMENTS[index],
            "clock": CLOCKS[index % len(CLOCKS)],
        }
    return rows


ROWS = _rows()


async def _fill() -> None:
    for key, values in ROWS.items():
        await Everything.create(id=key, **values)
    await Everything.create(id=NULL_ID)


async def _ids(*q: orm.Q, **condition: Any) -> list[int]:
    return sorted(await Everything.filter(*q, **condition).values_list("id", flat=True))


async def _excluded(**condition: Any) -> list[int]:
    return sorted(await Everything.exclude(**condition).values_list("id", flat=True))


def _expected(field: str, name: str, keep: Callable[[Any], bool]) -> list[int]:
    return sorted(k for k, row in ROWS.items() if keep(part(row[field], name)))


async def test_every_part_of_every_field_matches_python(url: str) -> None:
    async with opened(url):
        await _fill()
        for field, names in FIELDS.items():
            for name in names:
                answers = sorted({part(row[field], name) for row in ROWS.values()})
                for answer in answers:
                    found = await _ids(**{f"{field}__{name}": answer})
                    assert found == _expected(field, name, lambda v, a=answer: v == a), (
                        field,
                        name,
                        answer,
                    )
                # exclude() keeps the NULL row, as Django's does (the complement of filter)
                answer = answers[len(answers) // 2]
                kept = [*_expected(field, name, lambda v, a=answer: v != a), NULL_ID]
                assert await _excluded(**{f"{field}__{name}": answer}) == kept, (field, name)


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda v, b: v > b,
    "gte": lambda v, b: v >= b,
    "lt": lambda v, b: v < b,
    "lte": lambda v, b: v <= b,
}


async def test_chained_lookups_match_python(url: str) -> None:
    async with opened(url):
        await _fill()
        for field, names in FIELDS.items():
            for name in names:
                answers = sorted({part(row[field], name) for row in ROWS.values()})
                middle = answers[len(answers) // 2]
                for lookup, compare in COMPARISONS.items():
                    found = await _ids(**{f"{field}__{name}__{lookup}": middle})
                    expected = _expected(field, name, lambda v, b=middle, c=compare: c(v, b))
                    assert found == expected, (field, name, lookup, middle)
                some = answers[::3]
                found = await _ids(**{f"{field}__{name}__in": some})
                assert found == _expected(field, name, lambda v, s=some: v in s), (field, name)
                low, high = answers[1], answers[-2]
                found = await _ids(**{f"{field}__{name}__range": (low, high)})
                assert found == _expected(field, name, lambda v, lo=low, hi=high: lo <= v <= hi)
                assert await _ids(**{f"{field}__{name}__isnull": True}) == [NULL_ID]
                assert len(await _ids(**{f"{field}__{name}__isnull": False})) == COUNT


async def test_every_year_comparison_matches_python(url: str) -> None:
    """``__year`` compared as a range of the column (``test_a_year_is_a_range_of_the_column``)
    for every year of the rows and the years beside them, filtered and excluded."""
    async with opened(url):
        await _fill()
        compare = {"exact": lambda v, b: v == b, **COMPARISONS}
        for field in ("day", "naive", "moment"):
            years = {part(row[field], "year") for row in ROWS.values()}
            for year in sorted(years | {y + 1 for y in years} | {y - 1 for y in years}):
                if not 1 <= year <= 9999:
                    continue
                for lookup, keep in compare.items():
                    name = f"{field}__year__{lookup}"
                    expected = _expected(field, "year", lambda v, b=year, k=keep: k(v, b))
                    assert await _ids(**{name: year}) == expected, (name, year)
                    others = sorted({*ROWS, NULL_ID} - set(expected))
                    assert await _excluded(**{name: year}) == others, (name, year)


async def test_the_examples_of_the_docs(url: str) -> None:
    async with opened(url):
        await _fill()
        assert await _ids(moment__year=2024) == [1, 9, 10]
        assert await _ids(moment__year__gte=2024) == [1, 9, 10]
        assert await _ids(moment__date=dt.date(2024, 1, 1)) == [1]
        assert await _ids(moment__date__lt=dt.date(2000, 1, 1)) == [11]  # 1999-12-31 19:00
        assert await _ids(day__month__in=[1, 2]) == [1, 3, 4, 5, 9, 11, 15]
        assert await _ids(day__week=53) == [2, 3, 4, 8]
        assert await _ids(day__iso_year=2020, day__week_day=1) == [4]  # Sunday 2021-01-03
        assert await _ids(clock__hour=12, clock__second=15) == [3, 6, 9, 12, 15]
        assert await _ids(naive__time=dt.time(0, 0)) == [1, 7, 13]
        # a part of a part, as in Django: the date's year, the time's hour
        assert await _ids(moment__date__year=2024) == [1, 9, 10]
        assert await _ids(moment__time__hour__gte=22) == [4, 5, 12, 14]
        either = orm.Q(moment__quarter=4) | orm.Q(day__quarter=4)
        assert await _ids(either) == [2, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16]


async def test_parts_across_relations_and_in_q(url: str) -> None:
    from .models import Author, Post

    async with opened(url):
        leap = await Author.create(name="leap", born=dt.date(2020, 2, 29))
        await Author.create(name="other", born=dt.date(2021, 3, 1))
        await Author.create(name="none")
        await Post.create(title="a", author=leap)
        names = await Author.filter(born__day=29).values_list("name", flat=True)
        assert names == ["leap"]
        titles = await Post.filter(author__born__month=2).values_list("title", flat=True)
        assert titles == ["a"]
        kept = await Author.exclude(born__year=2020).order_by("name").values_list("name", flat=True)
        assert kept == ["none", "other"]
        assert await Author.filter(~orm.Q(born__month__lte=2)).count() == 2


async def test_postgres_parts_are_utc_whatever_the_session_time_zone(url: str) -> None:
    if not url.startswith("postgres"):
        pytest.skip("the session time zone changes PostgreSQL's EXTRACT of timestamptz only")
    async with opened(url) as db:
        await _fill()
        async with db.transaction():
            await db.execute("SET LOCAL TIME ZONE 'Asia/Kathmandu'")
            assert await _ids(moment__year=2024) == [1, 9, 10]
            assert await _ids(moment__date=dt.date(2023, 12, 31)) == [2]
            assert await _ids(moment__hour=20, moment__minute=0) == [2]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("day__hour", 1, r"day.*'hour'.*date"),
        ("day__time", dt.time(1), r"day.*'time'"),
        ("day__date", dt.date(2020, 1, 1), r"day.*'date'"),
        ("clock__year", 2020, r"clock.*'year'.*time"),
        ("clock__date", dt.date(2020, 1, 1), r"clock.*'date'"),
        ("code__year", 2020, r"code.*'year'"),
        ("span__hour", 1, r"span.*'hour'"),
        ("moment__yaer", 2020, r"did you mean 'year'"),
        ("moment__year__contains", "2", r"'contains'.*moment__year"),
        ("moment__year__month", 1, r"'month'.*moment__year"),
        ("moment__date__hour", 1, r"'hour'.*moment__date"),
        ("naive__time__year", 1, r"'year'.*naive__time"),
    ],
)
def test_a_part_a_field_cannot_have_is_a_field_error(name: str, value: Any, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        Everything.filter(**{name: value}).compile("sqlite")


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_part_values_are_bound_and_checked(dialect: str) -> None:
    for name, value in (
        ("moment__month", 7),
        ("naive__week__gte", 53),
        ("day__iso_year__in", [2020, 2021]),
        ("moment__date", dt.date(2024, 1, 1)),
        ("clock__second__range", (10, 20)),
    ):
        text, params = Everything.filter(**{name: value}).compile(dialect)
        shown = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
        assert all(s not in text for s in shown), (text, name)
        assert len(params) == len(shown), (params, name)
    with pytest.raises(ValidationError):
        Everything.filter(moment__year="2024'; DROP TABLE x; --").compile(dialect)
    with pytest.raises(ValidationError):
        Everything.filter(moment__date="2024-01-01' OR '1'='1").compile(dialect)


SPEC = {
    "sqlite": (
        "SELECT `ormt_everything`.`id` FROM `ormt_everything` WHERE "
        "((CAST(substr(`ormt_everything`.`moment`, 6, 2) AS INTEGER) + 2) / 3) >= ? AND "
        "(CAST(strftime('%w', `ormt_everything`.`day`) AS INTEGER) + 1) IN (?, ?)"
    ),
    "postgres": (
        'SELECT "ormt_everything"."id" FROM "ormt_everything" WHERE '
        'CAST(EXTRACT(QUARTER FROM ("ormt_everything"."moment" AT TIME ZONE \'UTC\')) '
        "AS INTEGER) >= $1 AND "
        '(CAST(EXTRACT(DOW FROM "ormt_everything"."day") AS INTEGER) + 1) IN ($2, $3)'
    ),
    "mysql": (  # an integer read as such: a tinyint(1) would be a bool (columns.read_column)
        "SELECT `ormt_everything`.`id` + 0 AS `id` FROM `ormt_everything` WHERE "
        "QUARTER(`ormt_everything`.`moment`) >= %s AND "
        "DAYOFWEEK(`ormt_everything`.`day`) IN (%s, %s)"
    ),
}


@pytest.mark.parametrize("dialect", sorted(SPEC))
def test_the_sql_of_a_part(dialect: str) -> None:
    query = Everything.filter(moment__quarter__gte=2).filter(day__week_day__in=[1, 7]).only("id")
    assert query.compile(dialect) == (SPEC[dialect], [2, 1, 7])


YEAR_2024 = {
    "sqlite": (
        "`ormt_everything`.`moment` >= ? AND `ormt_everything`.`moment` < ?",
        [dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 1, tzinfo=UTC)],
    ),
    "postgres": (
        '"ormt_everything"."moment" >= $1 AND "ormt_everything"."moment" < $2',
        [dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 1, tzinfo=UTC)],
    ),
    "mysql": (  # naive UTC, as MariaDB stores an aware datetime
        "`ormt_everything`.`moment` >= %s AND `ormt_everything`.`moment` < %s",
        [dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)],
    ),
}


@pytest.mark.parametrize("dialect", sorted(YEAR_2024))
def test_a_year_is_a_range_of_the_column(dialect: str) -> None:
    """As in Django, ``__year`` (exact, gt, gte, lt, lte) compares the column with the
    year's bounds, which an index on it serves; the other forms take the year's SQL."""
    text, params = Everything.filter(moment__year=2024).only("id").compile(dialect)
    where, bounds = YEAR_2024[dialect]
    assert text.endswith(" WHERE " + where) and params == bounds
    assert type(params[0]) is dt.datetime
    day = Everything.filter(day__year__lte=2024).only("id").compile(dialect)
    assert day[1] == [dt.date(2025, 1, 1)] and " < " in day[0]
    assert Everything.filter(day__year__gt="2024").only("id").compile(dialect)[1] == [
        dt.date(2025, 1, 1)
    ]
    for other in (
        {"moment__year__in": [2024]},
        {"moment__year": 1},
        {"moment__year": 9999},
        {"moment__year": orm.F("id")},
        {"moment__date__year": 2024},
    ):
        text, params = Everything.filter(**other).only("id").compile(dialect)
        assert not any(isinstance(p, dt.date) for p in params), other


@pytest.mark.parametrize("dialect", sorted(SPEC))
def test_native_and_pure_compilers_agree_on_every_part(dialect: str) -> None:
    from ferrule.sql.compiler import compile_native, compile_pure

    if compile_native is None:
        pytest.skip("no native core in this build")
    for field, names in FIELDS.items():
        functions: dict[str, Any] = {f"p_{name}": orm.Extract(field, name) for name in names}
        kinds = ("hour", "minute", "second") if field == "clock" else ("year", "quarter", "week")
        functions |= {f"t_{kind}": orm.Trunc(field, kind) for kind in kinds}
        query, _ = Everything.annotate(**functions).values(*functions)._select(dialect)
        node = query._node()
        assert compile_native(node, dialect) == compile_pure(node, dialect), field
