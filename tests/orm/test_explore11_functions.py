"""Django's "Database functions" and "Query expressions" pages walked through: where a
function answered otherwise than Django documents, or differed between the databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class E11Flag(orm.Model):
    id: int = orm.Field(primary_key=True)
    ok = orm.BooleanField(default=False)
    maybe = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_e11_flag"


async def test_cast_of_a_bool_field_to_int(url: str) -> None:
    """Django's ``Cast("ok", IntegerField())`` is 1/0 on every database; SQLite and MariaDB
    raised a DataError (the column came back as a bool), PostgreSQL answered."""
    async with opened(url), own_tables(E11Flag):
        await E11Flag.create(ok=True, maybe=None)
        await E11Flag.create(ok=False, maybe=True)
        rows = E11Flag.order_by("id").annotate(
            n=orm.Cast("ok", orm.IntField()), m=orm.Cast("maybe", int)
        )
        assert await rows.values_list("n", "m") == [(1, None), (0, 1)]
        got = [(row.n, row.m) for row in await rows]
        assert got == [(1, None), (0, 1)]
        assert all(type(n) is int for n, _ in await rows.values_list("n", "m"))
        assert await rows.filter(n=1).values_list("id", flat=True) == [1]


class E11Span(orm.Model):
    id: int = orm.Field(primary_key=True)
    opened = orm.DateField()
    closed = orm.DateField(null=True)
    seen = orm.DateTimeField()
    edited = orm.DateTimeField(null=True)
    n = orm.IntField(default=0)

    class Meta:
        table = "ormt_e11_span"


UTC = dt.timezone.utc
SPANS = [
    (dt.date(2024, 1, 2), None, dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), None),
    (
        dt.date(2023, 12, 31),
        dt.date(2024, 2, 29),
        dt.datetime(2024, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    ),
    (
        dt.date(2025, 1, 1),
        dt.date(2024, 12, 31),
        dt.datetime(2023, 5, 6, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(2023, 5, 7, tzinfo=dt.timezone(dt.timedelta(hours=2))),  # 22:00 UTC
    ),
]


async def test_dates_in_greatest_least_coalesce_and_case(url: str) -> None:
    """Django's own Greatest example compares two datetimes; ferrule refused two date fields
    ("a date, not of the same type as a date"), a date constant beside a date field in a
    Case or Coalesce, and Value(date)."""
    async with opened(url), own_tables(E11Span):
        for opened_on, closed, seen, edited in SPANS:
            await E11Span.create(opened=opened_on, closed=closed, seen=seen, edited=edited)
        day = dt.date(2024, 6, 1)
        rows = (
            await E11Span.order_by("id")
            .annotate(
                last=orm.Greatest("opened", "closed"),
                first=orm.Least("opened", orm.Value(day)),
                latest=orm.Greatest("seen", "edited"),
                earliest=orm.Least("seen", "edited"),
                ends=orm.Coalesce("closed", day),
                shown=orm.Case(orm.When(n=0, then="closed"), default=orm.Value(day)),
                fixed=orm.Case(
                    orm.When(closed__isnull=True, then=orm.Value(day)), default="opened"
                ),
            )
            .values_list("last", "first", "latest", "earliest", "ends", "shown", "fixed")
        )

        def greatest(*values: Any) -> Any:  # None when any is (ferrule's rule)
            return None if None in values else max(values)

        def least(*values: Any) -> Any:
            return None if None in values else min(values)

        assert rows == [
            (
                greatest(o, c),
                least(o, day),
                greatest(s, e),
                least(s, e),
                c if c is not None else day,
                c,
                day if c is None else o,
            )
            for o, c, s, e in SPANS
        ]
        latest = [r[2] for r in rows]
        assert latest[1] == SPANS[1][2] and latest[2].tzinfo is not None
        assert await E11Span.filter(closed__lt=orm.Greatest("opened", orm.Value(day))).values_list(
            "id", flat=True
        ) == [2, 3]


def test_greatest_of_bools_says_what_it_takes() -> None:
    """Two bool fields were refused as "a bool, not of the same type as a bool"."""
    made = E11Flag.annotate(x=orm.Greatest("ok", "maybe"))
    with pytest.raises(FieldError, match=r"is a bool \(ok\), not a number, text, a date"):
        made.compile("sqlite")
