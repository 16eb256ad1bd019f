"""A bool field beside a bool constant in one expression. ``Coalesce(F("on"), Value(False))``
and ``Case(When(..., then=F("on")), default=Value(True))`` were a ``FieldError`` ("Value(False)
is a bool, not of the same type as a bool"), and ``update(on=F("on"))`` or
``update(on=F("other"))`` one too ("it gives a bool, and on holds bools"): a bool field's
values and a bool constant are of one type, and Django runs all of these. They give bools on
every database (SQLite's and MariaDB's 0/1 read through the field)."""

from __future__ import annotations

from typing import Any

from ferrule import orm
from ferrule.orm import Case, Coalesce, F, Value, When

from .conftest import opened, own_tables


class L6Flag(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)
    other = orm.BooleanField(default=False)

    class Meta:
        table = "ormt_l6_flag"


def _typed(values: list[Any]) -> list[tuple[Any, type]]:
    return [(v, type(v)) for v in values]


async def test_bool_field_with_bool_constant(url: str) -> None:
    async with opened(url), own_tables(L6Flag):
        await L6Flag.create(id=1, on=True, other=False)
        await L6Flag.create(id=2, on=False, other=True)
        await L6Flag.create(id=3, on=None, other=True)
        ordered = L6Flag.order_by("id")
        got = await ordered.annotate(c=Coalesce(F("on"), Value(False))).values_list("c", flat=True)
        assert _typed(got) == _typed([True, False, False])
        got = await ordered.annotate(c=Coalesce("on", "other")).values_list("c", flat=True)
        assert _typed(got) == _typed([True, False, True])
        case = Case(When(id=1, then=F("on")), default=Value(True))
        got = await ordered.annotate(c=case).values_list("c", flat=True)
        assert _typed(got) == _typed([True, True, True])
        assert await L6Flag.filter(on=Coalesce(F("on"), Value(True))).count() == 2
        assert await L6Flag.all().update(on=F("on")) == 3
        assert await ordered.values_list("on", flat=True) == [True, False, None]
        assert await L6Flag.all().update(on=Coalesce(F("on"), Value(True))) == 3
        assert await ordered.values_list("on", flat=True) == [True, False, True]
        assert await L6Flag.filter(id=1).update(on=F("other")) == 1
        assert await ordered.values_list("on", flat=True) == [False, False, True]
