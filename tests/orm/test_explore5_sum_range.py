"""A ``Sum`` of integers past 64 bits: SQLite's ``SUM`` raises "integer overflow" while
PostgreSQL (``numeric``) and MariaDB (``DECIMAL``) answered the exact number, an int no
integer column holds: two answers. Every database raises ``DataError`` now, as integer
arithmetic past 64 bits does (README), in ``aggregate()``, a grouped ``annotate()``, a
``Sum`` of an expression and a window; a Sum that fits is still the int."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F


class Tally(orm.Model):
    id: int = orm.Field(primary_key=True)
    grp = orm.CharField(max_length=5)
    n = orm.BigIntField()

    class Meta:
        table = "ormt_x5_tally"


ROWS = [("a", 2**62), ("a", 2**62), ("b", -(2**62)), ("b", -(2**62) - 1)]


def _queries() -> dict[str, Any]:
    grouped = Tally.values("grp").annotate(s=orm.Sum("n")).order_by("grp")
    return {
        "aggregate": lambda qs: qs.aggregate(s=orm.Sum("n")),
        "expression": lambda qs: qs.aggregate(s=orm.Sum(F("n") + 0)),
        "grouped": lambda qs: grouped.filter(grp__in=qs.values("grp")),
        "window": lambda qs: (
            qs.annotate(s=orm.Window(orm.Sum("n"), partition_by="grp"))
            .order_by("id")
            .values_list("s", flat=True)
        ),
    }


@pytest.mark.parametrize("query", list(_queries()))
async def test_a_sum_past_64_bits_is_a_data_error_everywhere(url: str, query: str) -> None:
    async with opened(url), own_tables(Tally):
        await Tally.bulk_create([Tally(grp=g, n=n) for g, n in ROWS])
        make = _queries()[query]
        for group in ("a", "b"):
            with pytest.raises(DataError, match=r"64 bits|overflow|out of range"):
                await make(Tally.filter(grp=group))
        await Tally.filter(n=-(2**62) - 1).update(n=5)
        first = await Tally.filter(grp="a").order_by("id").values_list("id", flat=True)
        await Tally.filter(id=first[0]).update(n=2**62 - 1)
        fits = await make(Tally.all())
        assert fits in (
            {"s": 2**62 - 1 + 2**62 - 2**62 + 5},
            [{"grp": "a", "s": 2**63 - 1}, {"grp": "b", "s": 5 - 2**62}],
            [2**63 - 1, 2**63 - 1, 5 - 2**62, 5 - 2**62],
        )
