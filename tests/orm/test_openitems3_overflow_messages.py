"""A spread (``StdDev``/``Variance``) or a ``Power`` past the largest double is a
``DataError`` on every database (PostgreSQL: 'value out of range: overflow'), but SQLite's
said "string or blob too big": SQLite's report of the OverflowError ferrule's own SQL
function raised, which names neither the aggregate nor what overflowed; MariaDB's named the
``EXP()`` ferrule uses to refuse its overflowed running sums. The message now says which
aggregate (or function) and what passed the largest double: its result, or a value it was
given that is no finite number."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F


class O3Spread(orm.Model):
    id: int = orm.Field(primary_key=True)
    x = orm.FloatField(null=True)

    class Meta:
        table = "ormt_o3_spread"


CASES = {
    "variance": (orm.Variance("x"), ("Variance", "population", "largest double")),
    "sample variance": (orm.Variance("x", sample=True), ("Variance", "sample", "largest double")),
    "deviation of infinities": (
        orm.StdDev(F("x") * 10.0),
        ("StdDev", "population", "not a finite number"),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_spread_past_the_largest_double_says_which_and_what(url: str, case: str) -> None:
    aggregate, words = CASES[case]
    async with opened(url) as db, own_tables(O3Spread):
        await O3Spread.create(id=1, x=1e308)
        await O3Spread.create(id=2, x=-1e308)
        with pytest.raises(DataError) as caught:
            await O3Spread.all().aggregate(v=aggregate)
        message = str(caught.value)
        assert "string or blob" not in message
        # PostgreSQL's own words: 'out of range: overflow'; MariaDB's name the expression,
        # ferrule's text in it for its spread of doubles (its multiplication is its own)
        if db.dialect == "sqlite" or (db.dialect == "mysql" and "finite" not in words[-1]):
            assert all(word in message for word in words), message
        # an ordinary spread on the same connection is still answered
        await O3Spread.filter(id=1).update(x=1.0)
        await O3Spread.filter(id=2).update(x=3.0)
        assert await O3Spread.all().aggregate(v=orm.Variance("x")) == {"v": 1.0}


async def test_a_power_past_the_largest_double_says_so(url: str) -> None:
    async with opened(url) as db, own_tables(O3Spread):
        await O3Spread.create(id=1, x=1e200)
        query = O3Spread.annotate(p=orm.functions.Power("x", 2)).values_list("p", flat=True)
        with pytest.raises(DataError) as caught:
            await query
        message = str(caught.value)
        assert "string or blob" not in message
        if db.dialect == "sqlite":
            assert "Power" in message and "largest double" in message, message
        await O3Spread.filter(id=1).update(x=3.0)
        assert await query == [9.0]
