"""``Extract``/``ExtractYear``..., ``Trunc``/``TruncMonth``..., ``TruncDate``/``TruncTime`` and
part names in ``values()``/``order_by()``: each value as Python's ``datetime`` computes it (an
aware datetime in UTC), on every database, for the rows of ``test_date_parts`` and for every
day around thirty-two year ends (where ISO weeks and years part from the calendar's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Everything
from .test_date_parts import FIELDS, MINUS3, NULL_ID, ROWS, UTC, _fill, part

TRUNCS = {
    "day": ("year", "quarter", "month", "week", "day"),
    "naive": ("year", "quarter", "month", "week", "day", "hour", "minute", "second"),
    "moment": ("year", "quarter", "month", "week", "day", "hour", "minute", "second"),
    "clock": ("hour", "minute", "second"),
}


def truncated(value: Any, kind: str) -> Any:
    """Python's answer: ``value`` rounded down to the start of its ``kind``."""
    aware = isinstance(value, dt.datetime) and value.tzinfo is not None
    if aware:
        value = value.astimezone(UTC)
    if isinstance(value, dt.time):
        clock = value
    elif isinstance(value, dt.datetime):
        clock = value.time()
    if kind in ("hour", "minute", "second"):
        keep = ("hour", "minute", "second").index(kind)
        rounded = clock.replace(
            minute=clock.minute if keep >= 1 else 0,
            second=clock.second if keep >= 2 else 0,
            microsecond=0,
        )
        if isinstance(value, dt.time):
            return rounded
        return dt.datetime.combine(value.date(), rounded, tzinfo=UTC if aware else None)
    day = value if not isinstance(value, dt.datetime) else value.date()
    if kind == "year":
        day = day.replace(month=1, day=1)
    elif kind == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif kind == "month":
        day = day.replace(day=1)
    elif kind == "week":
        day = day - dt.timedelta(days=day.weekday())
    if not isinstance(value, dt.datetime):
        return day
    return dt.datetime.combine(day, dt.time(), tzinfo=UTC if aware else None)


def _same(found: Any, expected: Any) -> bool:
    """Equal, and an aware value read back aware (a naive one naive)."""
    if isinstance(expected, dt.datetime):
        return (
            isinstance(found, dt.datetime)
            and (found.tzinfo is None) == (expected.tzinfo is None)
            and found == expected
        )
    return type(found) is type(expected) and found == expected


async def test_extract_and_part_names_match_python(url: str) -> None:
    async with opened(url):
        await _fill()
        for field, names in FIELDS.items():
            functions = {f"p_{name}": orm.Extract(field, name) for name in names}
            rows = await Everything.annotate(**functions).order_by("id").values("id", *functions)
            named = await Everything.order_by("id").values_list(
                "id", *(f"{field}__{name}" for name in names)
            )
            assert [r["id"] for r in rows] == [*ROWS, NULL_ID]
            for row, by_name in zip(rows, named, strict=True):
                for index, name in enumerate(names):
                    value = ROWS[row["id"]][field] if row["id"] != NULL_ID else None
                    expected = None if value is None else part(value, name)
                    got = row[f"p_{name}"]
                    assert got is None if expected is None else _same(got, expected), (
                        field,
                        name,
                        row["id"],
                        got,
                        expected,
                    )
                    assert by_name[index + 1] == got, (field, name)


async def test_trunc_matches_python(url: str) -> None:
    async with opened(url):
        await _fill()
        for field, kinds in TRUNCS.items():
            functions = {f"t_{kind}": orm.Trunc(field, kind) for kind in kinds}
            rows = await Everything.annotate(**functions).order_by("id").values("id", *functions)
            for row in rows:
                value = ROWS[row["id"]][field] if row["id"] != NULL_ID else None
                for kind in kinds:
                    got = row[f"t_{kind}"]
                    if value is None:
                        assert got is None
                        continue
                    expected = truncated(value, kind)
                    assert _same(got, expected), (field, kind, row["id"], got, expected)


async def test_the_named_forms_and_grouping_by_a_part(url: str) -> None:
    async with opened(url):
        await _fill()
        pairs = [
            (orm.ExtractYear, "year"),
            (orm.ExtractMonth, "month"),
            (orm.ExtractDay, "day"),
            (orm.ExtractWeekDay, "week_day"),
            (orm.ExtractIsoWeekDay, "iso_week_day"),
            (orm.ExtractWeek, "week"),
            (orm.ExtractIsoYear, "iso_year"),
            (orm.ExtractQuarter, "quarter"),
            (orm.ExtractHour, "hour"),
            (orm.ExtractMinute, "minute"),
            (orm.ExtractSecond, "second"),
            (orm.TruncDate, "date"),
            (orm.TruncTime, "time"),
        ]
        for cls, name in pairs:
            one = await Everything.annotate(v=cls("moment")).order_by("id").values_list("v")
            other = await Everything.annotate(v=orm.Extract("moment", name)).order_by("id")
            assert one == [(getattr(e, "v", None),) for e in other], name
        for cls, kind in [
            (orm.TruncYear, "year"),
            (orm.TruncQuarter, "quarter"),
            (orm.TruncMonth, "month"),
            (orm.TruncWeek, "week"),
            (orm.TruncDay, "day"),
            (orm.TruncHour, "hour"),
            (orm.TruncMinute, "minute"),
            (orm.TruncSecond, "second"),
        ]:
            one = await Everything.annotate(v=cls("naive")).order_by("id").values_list("v")
            other = await Everything.annotate(v=orm.Trunc("naive", kind)).order_by("id")
            assert one == [(getattr(e, "v", None),) for e in other], kind
        # rows per UTC year, as Django's values(year=...).annotate(n=Count(...)) gives them
        years = await (
            Everything.filter(moment__isnull=False)
            .values("moment__year")
            .annotate(n=orm.Count("id"))
            .order_by("moment__year")
        )
        counted: dict[int, int] = {}
        for row in ROWS.values():
            counted[part(row["moment"], "year")] = counted.get(part(row["moment"], "year"), 0) + 1
        assert years == [{"moment__year": y, "n": n} for y, n in sorted(counted.items())]
        weeks = await (
            Everything.filter(day__isnull=False)
            .values("day__iso_year", "day__week")
            .annotate(n=orm.Count("id"))
            .order_by("-day__iso_year", "-day__week")
        )
        by_week: dict[tuple[int, int], int] = {}
        for row in ROWS.values():
            key = (part(row["day"], "iso_year"), part(row["day"], "week"))
            by_week[key] = by_week.get(key, 0) + 1
        assert weeks == [
            {"day__iso_year": y, "day__week": w, "n": n}
            for (y, w), n in sorted(by_week.items(), reverse=True)
        ]
        # an annotation of a part or a truncation compares as its type
        leap = await Everything.annotate(m=orm.TruncMonth("day")).filter(m=dt.date(2020, 2, 1))
        assert [e.id for e in leap] == [1]
        late = Everything.annotate(h=orm.ExtractHour("moment")).filter(h__gte=22)
        assert sorted(await late.values_list("id", flat=True)) == [4, 5, 12, 14]
        ordered = await Everything.filter(clock__isnull=False).order_by(
            "-clock__second", "clock__minute", "id"
        )
        expected = sorted(
            ROWS, key=lambda k: (-ROWS[k]["clock"].second, ROWS[k]["clock"].minute, k)
        )
        assert [e.id for e in ordered] == expected


async def test_parts_in_f_and_across_relations(url: str) -> None:
    from .models import Author, Post

    async with opened(url):
        await _fill()
        # a row whose day is its moment's UTC date, another whose day is its local date only
        await Everything.create(
            id=100, day=dt.date(2024, 1, 1), moment=dt.datetime(2023, 12, 31, 22, tzinfo=MINUS3)
        )
        await Everything.create(
            id=101, day=dt.date(2023, 12, 31), moment=dt.datetime(2023, 12, 31, 22, tzinfo=MINUS3)
        )
        same = await Everything.filter(day=orm.F("moment__date")).values_list("id", flat=True)
        expected = [k for k, row in ROWS.items() if row["day"] == part(row["moment"], "date")]
        assert sorted(same) == [*expected, 100]
        later = Everything.filter(naive__year__gt=orm.ExtractYear("moment"))
        expected = [k for k, r in ROWS.items() if r["naive"].year > part(r["moment"], "year")]
        assert sorted(await later.values_list("id", flat=True)) == expected
        ada = await Author.create(name="ada", born=dt.date(1815, 12, 10))
        await Post.create(title="notes", author=ada)
        found = await Post.annotate(
            y=orm.ExtractYear("author__born"), m=orm.TruncMonth("author__born")
        ).values_list("title", "y", "m", "author__born__quarter")
        assert found == [("notes", 1815, dt.date(1815, 12, 1), 4)]


def _sweep() -> list[Everything]:
    """Every day from 20 December to 10 January around 32 year ends, with a naive datetime at
    its last microsecond and an aware one that is the next day in UTC."""
    rows = []
    for year in range(1999, 2031):
        start = dt.date(year, 12, 20)
        for offset in range(22):
            day = start + dt.timedelta(days=offset)
            rows.append(
                Everything(
                    id=len(rows) + 1,
                    day=day,
                    naive=dt.datetime.combine(day, dt.time(23, 59, 59, 999_999)),
                    moment=dt.datetime.combine(day, dt.time(22, 30), tzinfo=MINUS3),
                )
            )
    return rows


async def test_iso_weeks_around_every_year_end(url: str) -> None:
    async with opened(url):
        made = _sweep()
        await Everything.bulk_create(made)
        names = ("week", "iso_year", "week_day", "iso_week_day", "year", "quarter", "day")
        for field in ("day", "naive", "moment"):
            found = (
                await Everything.annotate(w=orm.TruncWeek(field))
                .order_by("id")
                .values_list(*(f"{field}__{name}" for name in names), "w")
            )
            expected = [
                (
                    *(part(getattr(e, field), name) for name in names),
                    truncated(getattr(e, field), "week"),
                )
                for e in made
            ]
            assert found == expected, field
        assert await Everything.filter(day__week=53, day__iso_year=2020).count() == 7
        assert await Everything.filter(moment__week=1, moment__week_day=2).count() == 32


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: orm.Extract("moment", "yaer"), r"did you mean 'year'"),
        (lambda: orm.Extract("", "year"), r"field name"),
        (lambda: orm.Trunc("moment", "decade"), r"'decade' is not a kind"),
        (lambda: orm.ExtractYear(3), r"field name"),
    ],
)
def test_bad_functions_are_field_errors(make: Any, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        make()


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (orm.Extract("day", "hour"), r"'hour' is not a lookup of day, a date field"),
        (orm.ExtractYear("clock"), r"'year' is not a lookup of clock, a time field"),
        (orm.Trunc("day", "hour"), r"day is a date field, which cannot be truncated to its hour"),
        (orm.TruncMonth("clock"), r"clock is a time field"),
        (orm.TruncDay("code"), r"code is a str field"),
        (orm.ExtractYear("nothing"), r"nothing"),
    ],
)
@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_functions_a_field_cannot_have_are_field_errors(
    function: Any, message: str, dialect: str
) -> None:
    with pytest.raises(FieldError, match=message):
        Everything.annotate(v=function).compile(dialect)
