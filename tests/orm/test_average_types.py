"""``Avg`` of an integer or float field is a ``float`` on every database, computed in double
precision: PostgreSQL would answer a ``Decimal`` of 16 places and MariaDB a ``Decimal`` of 4
(``Avg`` of 1, 2, 2 would be ``Decimal('1.6667')`` there), as Django's ``FloatField`` output
expects. Answers are checked against the same mean computed in Python."""

from __future__ import annotations

import decimal

import pytest

from ferrule import orm
from ferrule.errors import InterfaceError

from .conftest import opened
from .models import Author, Everything, Post

VIEWS = {"ann": [1, 2, 2], "bo": [7], "cy": [2**31 - 1, 2**31 - 2]}


def _mean(values: list[int]) -> float:
    return float(sum(values)) / len(values)


async def test_average_of_integers_is_a_float_in_double_precision(url: str) -> None:
    async with opened(url):
        for name, views in VIEWS.items():
            author = await Author.create(name=name, rating=len(views))
            for index, count in enumerate(views):
                await Post.create(title=f"{name}{index}", author=author, views=count)
        everything = [v for views in VIEWS.values() for v in views]
        found = await Post.all().aggregate(mean=orm.Avg("views"), ratings=orm.Avg("author__rating"))
        assert type(found["mean"]) is float and found["mean"] == _mean(everything)
        assert found["ratings"] == _mean([len(VIEWS[p]) for p in VIEWS for _ in VIEWS[p]])
        means = Author.all().annotate(mean=orm.Avg("posts__views")).order_by("name")
        groups = await means.values("name", "mean")
        assert [(g["name"], g["mean"]) for g in groups] == [(n, _mean(v)) for n, v in VIEWS.items()]
        assert all(type(g["mean"]) is float for g in groups)
        per_author = await Author.all().annotate(mean=orm.Avg("posts__views")).order_by("name")
        assert [a.mean for a in per_author] == [_mean(v) for v in VIEWS.values()]  # type: ignore[attr-defined]
        high = await Author.all().annotate(mean=orm.Avg("posts__views")).filter(mean__gt=5 / 3)
        assert sorted(a.name for a in high) == ["bo", "cy"]
        empty = await Post.filter(views__lt=0).aggregate(mean=orm.Avg("views"))
        assert empty == {"mean": None}


#: groups of DECIMAL(12, 3) prices whose means need rounding (thirds, halves at the 8th place,
#: negatives) or none
PRICE_GROUPS = {
    "thirds": ["1.000", "1.000", "2.000"],
    "half up": ["0.001", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000"],
    "negative": ["-0.001", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000"],
    "exact": ["9.500", "10.250"],
    "big": ["999999.999", "999999.998", "999999.998"],
}
#: a mean of 16 significant digits: more than SQLite's decimals (doubles) hold
HUGE = ["999999999.999", "999999999.998", "999999999.998"]


def _decimal_mean(prices: list[str]) -> decimal.Decimal:
    """Python's mean of the prices at the column's scale + 4 places, half away from zero (the
    scale MariaDB gives a decimal mean)."""
    exact = sum(decimal.Decimal(p) for p in prices) / len(prices)
    return exact.quantize(decimal.Decimal("0.0000001"), rounding=decimal.ROUND_HALF_UP)


async def test_average_of_decimals_is_one_decimal_everywhere(url: str) -> None:
    """PostgreSQL answered 16 significant digits, MariaDB the scale + 4 places, SQLite a
    double: ``Avg`` of 1, 1, 2 was three different numbers. Now it is the exact mean rounded
    half away from zero to the column's scale + 4 places, on every database."""
    async with opened(url):
        for group, prices in PRICE_GROUPS.items():
            for price in prices:
                await Everything.create(note=group, price=decimal.Decimal(price))
        means = Everything.all().values("note").annotate(mean=orm.Avg("price")).order_by("note")
        found = {row["note"]: row["mean"] for row in await means}
        expected = {group: _decimal_mean(prices) for group, prices in PRICE_GROUPS.items()}
        assert {g: str(m) for g, m in found.items()} == {g: str(m) for g, m in expected.items()}
        small = ["0.001", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000"]
        whole = await Everything.filter(note="half up").aggregate(mean=orm.Avg("price"))
        assert str(whole["mean"]) == str(_decimal_mean(small)) == "0.0001250"
        above = Everything.all().values("note").annotate(mean=orm.Avg("price"))
        over = await above.filter(mean__gt=decimal.Decimal("1.3333333")).order_by("note")
        assert [row["note"] for row in over] == ["big", "exact"]
        over = await above.filter(mean__gte=decimal.Decimal("1.3333333")).order_by("note")
        assert [row["note"] for row in over] == ["big", "exact", "thirds"]


async def test_a_decimal_mean_past_a_double(url: str, dialect: str) -> None:
    async with opened(url):
        for price in HUGE:
            await Everything.create(price=decimal.Decimal(price))
        query = Everything.all().aggregate(mean=orm.Avg("price"))
        if dialect == "sqlite":
            with pytest.raises(InterfaceError, match="more than 14 digits"):
                await query
        else:
            assert str((await query)["mean"]) == str(_decimal_mean(HUGE)) == "999999999.9983333"
