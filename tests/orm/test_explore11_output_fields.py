"""Django's ``output_field=`` and ``ExpressionWrapper`` ("Query Expressions" page), everyday
in code being ported: ``Value``, ``Case``, the aggregates and functions took no such keyword
(a TypeError from the constructor) and ``orm.ExpressionWrapper`` did not exist. ferrule
knows each expression's type, so ``output_field`` is checked against it, never a conversion
(``orm.output_fields``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class E11Line(orm.Model):
    id: int = orm.Field(primary_key=True)
    qty = orm.IntField()
    extra = orm.IntField(null=True)
    ratio = orm.FloatField(default=0.0)
    price = orm.DecimalField(max_digits=8, decimal_places=2)
    start = orm.DateTimeField(null=True)
    end = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_e11_line"


UTC = dt.timezone.utc


async def _load() -> None:
    await E11Line.create(
        qty=3,
        price=Decimal("2.50"),
        ratio=0.5,
        start=dt.datetime(2024, 1, 1, tzinfo=UTC),
        end=dt.datetime(2024, 1, 2, 6, tzinfo=UTC),
    )
    await E11Line.create(qty=4, extra=2, price=Decimal("1.25"))


async def test_output_field_where_django_takes_it(url: str) -> None:
    async with opened(url), own_tables(E11Line):
        await _load()
        wrapper = orm.ExpressionWrapper
        rows = E11Line.order_by("id").annotate(
            total=wrapper(
                orm.F("qty") * orm.F("price"),
                output_field=orm.DecimalField(max_digits=10, decimal_places=2),
            ),
            took=wrapper(orm.F("end") - orm.F("start"), output_field=orm.TimedeltaField()),
            double=wrapper(orm.F("qty") * 2, output_field=orm.IntField()),
            one=orm.Value(1, output_field=orm.FloatField()),
            cents=orm.Value(1, output_field=orm.DecimalField(max_digits=5, decimal_places=2)),
            none=orm.Value(None, output_field=orm.IntField()),
            size=orm.Case(
                orm.When(qty__gte=4, then=orm.Value("big")),
                default=orm.Value("small"),
                output_field=orm.CharField(max_length=5),
            ),
            extra_or_zero=orm.Coalesce("extra", 0, output_field=orm.IntField()),
        )
        got = await rows.values_list(
            "total", "took", "double", "one", "cents", "none", "size", "extra_or_zero"
        )
        assert got == [
            (
                Decimal("7.50"),
                dt.timedelta(days=1, hours=6),
                6,
                1.0,
                Decimal("1.00"),
                None,
                "small",
                0,
            ),
            (Decimal("5.00"), None, 8, 1.0, Decimal("1.00"), None, "big", 2),
        ]
        assert [type(r[3]) for r in got] == [float, float]
        assert await rows.filter(double__gt=6).values_list("id", flat=True) == [2]
        summed = await E11Line.aggregate(
            orm.Sum("qty", output_field=orm.IntField()),
            spent=orm.Sum(orm.F("qty") * orm.F("price"), output_field=Decimal),
            none=orm.Sum("extra", default=0, output_field=int),
        )
        assert summed == {"qty__sum": 7, "spent": Decimal("12.50"), "none": 2}
        await E11Line.all().update(extra=wrapper(orm.F("qty") + 1, output_field=int))
        assert await E11Line.order_by("id").values_list("extra", flat=True) == [4, 5]


async def test_an_output_field_of_another_type_is_refused(url: str) -> None:
    async with opened(url), own_tables(E11Line):
        await _load()
        wrong = {
            "int as float": orm.ExpressionWrapper(orm.F("qty") * 2, output_field=orm.FloatField()),
            "places": orm.ExpressionWrapper(
                orm.F("qty") * orm.F("price"),
                output_field=orm.DecimalField(max_digits=9, decimal_places=4),
            ),
            "case": orm.Case(orm.When(qty=3, then=orm.Value("a")), output_field=int),
            "sum": orm.Sum("ratio", output_field=orm.IntField()),
        }
        for label, expression in wrong.items():
            with pytest.raises(FieldError, match="output_field says"):
                await E11Line.annotate(x=expression).values("x")
                raise AssertionError(label)
    with pytest.raises(FieldError, match="the constant is text, and output_field says an int"):
        orm.Value("1", output_field=orm.IntField())
    with pytest.raises(FieldError, match="more places"):
        orm.Value(Decimal("1.234"), output_field=orm.DecimalField(max_digits=5, decimal_places=2))
    with pytest.raises(FieldError, match="output_field must be a field"):
        orm.ExpressionWrapper(orm.F("qty"), output_field=42)
    with pytest.raises(FieldError, match=r"Case\(When\(Q\(\.\.\.\), then=Value\(True\)\)"):
        orm.ExpressionWrapper(orm.Q(qty__gt=1), output_field=orm.BooleanField())


async def test_trunc_and_extract_take_django_keywords(url: str) -> None:
    """``Trunc(..., output_field=...)`` and ``tzinfo=`` were TypeErrors: the first is checked
    as every ``output_field``, the second is UTC's only (parts are taken in UTC)."""
    async with opened(url), own_tables(E11Line):
        await _load()
        rows = E11Line.order_by("id").annotate(
            month=orm.Trunc("start", "month", output_field=orm.DateTimeField()),
            day=orm.TruncDay("start", tzinfo=UTC),
            year=orm.ExtractYear("start", tzinfo=dt.timezone(dt.timedelta(0))),
            hour=orm.Extract("end", "hour", output_field=int),
        )
        assert await rows.values_list("month", "day", "year", "hour") == [
            (dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 1, 1, tzinfo=UTC), 2024, 6),
            (None, None, None, None),
        ]
        with pytest.raises(FieldError, match="output_field says a date"):
            await E11Line.annotate(
                d=orm.Trunc("start", "day", output_field=orm.DateField())
            ).values("d")
    for make in (
        lambda: orm.TruncDay("start", tzinfo=dt.timezone(dt.timedelta(hours=2))),
        lambda: orm.ExtractHour("start", tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ):
        with pytest.raises(FieldError, match="parts are taken in UTC"):
            make()


async def test_subquery_output_field(url: str) -> None:
    async with opened(url), own_tables(E11Line):
        await _load()
        first = E11Line.filter(id=orm.OuterRef("id")).values("qty")[:1]
        rows = E11Line.order_by("id").annotate(
            q=orm.Subquery(first, output_field=orm.IntField()),
        )
        assert await rows.values_list("q", flat=True) == [3, 4]
        assert await E11Line.filter(
            id__in=orm.Subquery(E11Line.filter(qty=4).values("id"), output_field=int)
        ).values_list("qty", flat=True) == [4]
        with pytest.raises(FieldError, match="output_field says text"):
            await E11Line.annotate(q=orm.Subquery(first, output_field=str)).values("q")
    with pytest.raises(FieldError, match="output_field must be a field"):
        orm.Subquery(E11Line.values("qty"), output_field="int")


class E11Order(orm.Model):
    id: int = orm.Field(primary_key=True)
    line = orm.ForeignKeyField(E11Line, related_name="orders", on_delete="cascade")

    class Meta:
        table = "ormt_e11_order"


async def test_a_checked_aggregate_stays_an_aggregate(url: str) -> None:
    """Wrapped for its output_field, an aggregate still groups, filters as a HAVING and
    orders as one (raw SQL over the same rows says which lines have orders)."""
    async with opened(url) as db, own_tables(E11Line, E11Order):
        await _load()
        first = await E11Line.get(qty=3)
        for _ in range(2):
            await E11Order.create(line=first)
        counted = E11Line.annotate(
            n=orm.ExpressionWrapper(orm.Count("orders"), output_field=int),
            m=orm.Count("orders", output_field=orm.IntField()),
        )
        rows = await counted.filter(n__gt=0).values_list("id", "n", "m")
        raw = await db.fetch_all(
            "SELECT line_id, COUNT(*) FROM ormt_e11_order GROUP BY line_id HAVING COUNT(*) > 0",
            [],
        )
        assert [(i, n, n) for i, n in (tuple(r) for r in raw)] == rows
        assert await counted.order_by("-m").values_list("id", flat=True) == [first.id, 2]
        assert await counted.filter(m__gt=0).count() == 1
