"""A zero computed from negatives is ``0`` on every database, as ferrule writes ``-0.0`` as
``0.0`` (README): PostgreSQL's ``numeric`` and MariaDB's ``DECIMAL`` have no negative zero,
but SQLite computes decimals in doubles and gave ``Decimal("-0.00")`` for ``F("p") * 0`` and
``Decimal("-0")`` for ``Round`` of ``-0.05``; PostgreSQL's ``round``/``ceil`` of a double
kept ``-0.0`` and SQLite's ``-0.5 * 0`` too. Equal under ``==``, but printed, serialised to
JSON and compared by ``str`` differently on each database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ferrule import orm

from .conftest import opened, own_tables

F = orm.F


class Signed(orm.Model):
    id: int = orm.Field(primary_key=True)
    p = orm.DecimalField(max_digits=8, decimal_places=2)
    f: float = 0.0
    z: int = 0

    class Meta:
        table = "ormt_x5_signed"


EXPECTED = {
    "round": (orm.Round("p"), "0"),
    "round_1": (orm.Round("p", 1), "0.0"),
    "times_zero": (F("p") * 0, "0.00"),
    "times_a_zero_field": (F("p") * F("z"), "0.00"),
    "in_a_case": (orm.Case(orm.When(z=0, then=F("p") * 0), default=F("p")), "0.00"),
    "float_round": (orm.Round("f"), "0.0"),
    "float_ceil": (orm.Ceil("f"), "0.0"),
    "float_times_zero": (F("f") * 0, "0.0"),
}


@pytest.mark.parametrize("case", list(EXPECTED))
async def test_a_negative_zero_is_zero_everywhere(url: str, case: str) -> None:
    expression, shown = EXPECTED[case]
    async with opened(url), own_tables(Signed):
        await Signed.bulk_create([Signed(p=Decimal(p), f=-0.25) for p in ("-0.04", "-0.03")])
        got = await Signed.annotate(k=expression).order_by("id").values_list("k", flat=True)
        assert [str(k) for k in got] == [shown, shown]
