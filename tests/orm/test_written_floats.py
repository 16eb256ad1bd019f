"""A float column holds the finite doubles and an unsigned zero, on every database and through
every write path (``orm.columns.column_constraints`` has the rule): NaN and the infinities
are a ``ValidationError`` naming the field, arithmetic past the double range a ``DataError``,
and ``-0.0`` is written as ``0.0``. Found by the write differential test; rows are read
through each database's own driver."""

from __future__ import annotations

import math
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError, ValidationError

from .conftest import opened, own_tables
from .native_rows import NativeRows


class WfRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    f = orm.FloatField(default=1.0)
    g: float | None = None  # the annotated style: the same rule
    code = orm.CharField(max_length=5, unique=True, null=True)

    class Meta:
        table = "ormt_wf_row"


def _signs(url: str, dialect: str) -> dict[int, tuple[float, float]]:
    native = NativeRows(url, dialect)
    try:
        rows = native.rows("SELECT id, f FROM ormt_wf_row ORDER BY id")
    finally:
        native.close()
    return {key: (f, math.copysign(1.0, f)) for key, f in rows}


async def test_negative_zero_is_written_as_zero(url: str, dialect: str) -> None:
    """PostgreSQL alone kept ``-0.0`` (SQLite and MariaDB store 0.0): through create, save,
    both bulk_create paths (COPY with keys given), an upsert, update() and bulk_update."""
    async with opened(url), own_tables(WfRow):
        await WfRow.create(id=1, f=-0.0)
        row = WfRow(id=2, f=-0.0)
        await row.save()
        await WfRow.create(id=3)
        await WfRow.filter(id=3).update(f=-0.0)
        await WfRow.bulk_create([WfRow(id=4, f=-0.0, code="a"), WfRow(id=5, f=-0.0)])
        await WfRow.bulk_create([WfRow(id=6, f=-0.0, code="b")], batch_size=1)
        await WfRow.bulk_create(
            [WfRow(id=7, f=-0.0, code="a")], on_conflict=("update", ["f"], ["code"])
        )
        await WfRow.create(id=8, f=0.0, code="c")
        await WfRow.filter(id=8).update(f=orm.F("f") * -1.0)
        await WfRow.create(id=9, f=2.0, code="d")
        nine = await WfRow.get(id=9)
        nine.f = -0.0
        await WfRow.bulk_update([nine], ["f"])
        await nine.save()
        signs = _signs(url, dialect)
    assert len(signs) == 8
    assert all(value == (0.0, 1.0) for value in signs.values()), signs


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=repr)
async def test_nan_and_infinities_are_refused_naming_the_field(url: str, value: float) -> None:
    """PostgreSQL stored all three; SQLite refused NaN (an InterfaceError naming no field)
    and stored the infinities; MariaDB refused all three, ``-inf`` as a ProgrammingError
    ("Unknown column 'infe0'")."""
    async with opened(url), own_tables(WfRow):
        await WfRow.create(id=1)
        for make in (
            lambda: WfRow.create(id=2, f=value),
            lambda: WfRow.create(id=2, g=value),
            lambda: WfRow.filter(id=1).update(f=value),
            lambda: WfRow.bulk_create([WfRow(id=2, f=value)]),
        ):
            with pytest.raises(ValidationError, match=r"\b[fg]\b"):
                await make()
        row = await WfRow.get(id=1)
        with pytest.raises(ValidationError, match=r"\bf\b"):
            row.f = value
        assert await WfRow.all().values_list("id", "f") == [(1, 1.0)]


async def test_arithmetic_past_the_double_range_is_a_data_error(url: str) -> None:
    """``update(f=F("f") * 10)`` of 1e308: the servers refuse the overflow, SQLite stored an
    infinity (and ``inf - inf`` then a NULL); a DataError everywhere now, nothing written."""
    async with opened(url), own_tables(WfRow):
        await WfRow.create(id=1, f=1e308, g=-1e308)
        await WfRow.create(id=2, f=1.0, g=1.0)
        cases: list[dict[str, Any]] = [
            {"f": orm.F("f") * 10},
            {"g": orm.F("g") * 2.0},
            {"f": orm.F("f") + orm.F("f")},
            {"g": orm.F("g") - 1e308},
        ]
        for values in cases:
            with pytest.raises(DataError):
                await WfRow.all().update(**values)
        rows = await WfRow.order_by("id").values_list("f", "g")
        assert rows == [(1e308, -1e308), (1.0, 1.0)]
        assert await WfRow.filter(id=1).update(f=orm.F("f") * 1.5, g=orm.F("g") / 2) == 1
        assert await WfRow.filter(id=1).values_list("f", "g") == [(1.5e308, -5e307)]


async def test_a_product_that_underflows_is_zero_as_in_python(url: str) -> None:
    """``F("f") * 1e-300`` of 5e-324 is 0.0 in IEEE doubles (Python, SQLite, MariaDB);
    PostgreSQL alone raised "value out of range: underflow" (in update() and annotate()).
    Zero everywhere now; a product that is a subnormal double is that double everywhere."""
    async with opened(url), own_tables(WfRow):
        await WfRow.create(id=1, f=5e-324, g=1e-200)
        await WfRow.create(id=2, f=1e-160, g=-1e-160)
        cases = [
            (orm.F("f") * 1e-300, [5e-324 * 1e-300, 1e-160 * 1e-300]),
            (orm.F("f") * orm.F("g"), [5e-324 * 1e-200, 1e-160 * -1e-160]),
            (orm.F("g") * orm.F("g") * 0.5, [1e-200 * 1e-200 * 0.5, -1e-160 * -1e-160 * 0.5]),
            (orm.F("f") * 1.5, [5e-324 * 1.5, 1e-160 * 1.5]),
        ]
        for expression, want in cases:
            got = await WfRow.annotate(p=expression).order_by("id").values_list("p", flat=True)
            assert got == want, expression
        assert await WfRow.all().update(f=orm.F("f") * orm.F("g")) == 2
        stored = await WfRow.order_by("id").values_list("f", flat=True)
        assert stored == [0.0, 1e-160 * -1e-160]


async def test_a_quotient_that_underflows_is_zero_as_in_python(url: str) -> None:
    """``F("f") / 2.0`` of 5e-324 is 0.0 in IEEE doubles (a tie, to the even zero); PostgreSQL
    alone raised "value out of range: underflow". Zero everywhere now; a subnormal quotient
    is that double, and a zero divisor still gives None."""
    async with opened(url), own_tables(WfRow):
        await WfRow.create(id=1, f=5e-324, g=2.0)
        await WfRow.create(id=2, f=1e-320, g=-3.0)
        await WfRow.create(id=3, f=1e-300, g=1e300)
        cases = [
            (orm.F("f") / orm.F("g"), [5e-324 / 2.0, 1e-320 / -3.0, 1e-300 / 1e300]),
            (orm.F("f") / 1e300, [5e-324 / 1e300, 1e-320 / 1e300, 1e-300 / 1e300]),
            (orm.F("f") / 1.5, [5e-324 / 1.5, 1e-320 / 1.5, 1e-300 / 1.5]),
            (orm.F("f") / 0.0, [None, None, None]),
        ]
        for expression, want in cases:
            got = await WfRow.annotate(q=expression).order_by("id").values_list("q", flat=True)
            assert got == want, expression
        assert await WfRow.all().update(f=orm.F("f") / orm.F("g")) == 3
        stored = await WfRow.order_by("id").values_list("f", flat=True)
        assert stored == [0.0, 1e-320 / -3.0, 1e-300 / 1e300]
