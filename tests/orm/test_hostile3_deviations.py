"""StdDev/Variance of doubles whose squares pass the largest double. Python's ``statistics``
answers the spread of [1.3e154, -1.3e154] (a variance of 1.69e308, a deviation of 1.3e154)
and raises OverflowError for a variance past the largest double. A database may answer the
same or refuse (a DataError, as PostgreSQL's 'value out of range'), never another number:
MariaDB's running sums overflowed to infinity and it answered a variance of 0.0 and a
deviation of 1.797e308 (the largest double) in silence."""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables


class H3Spread(orm.Model):
    id: int = orm.Field(primary_key=True)
    x = orm.FloatField(null=True)

    class Meta:
        table = "ormt_h3_spread"


REFERENCES = {
    (orm.StdDev, False): statistics.pstdev,
    (orm.StdDev, True): statistics.stdev,
    (orm.Variance, False): statistics.pvariance,
    (orm.Variance, True): statistics.variance,
}

CASES = [
    [1.3e154, -1.3e154],
    [1e308, -1e308],
    [1e160, 1e160, -1e160],
    [1e308, 0.0],
    [1.7e308, -1.7e308, 1.7e308],
]


def _reference(values: list[float], aggregate: Any, sample: bool) -> float | None:
    try:
        return float(REFERENCES[(aggregate, sample)](values))
    except OverflowError:
        return None


@pytest.mark.parametrize(
    "values", CASES, ids=["1.3e154", "1e308", "1e160x3", "1e308,0", "1.7e308x3"]
)
async def test_a_spread_past_the_largest_double_is_the_reference_or_an_error(
    url: str, values: list[float]
) -> None:
    async with opened(url), own_tables(H3Spread):
        for at, value in enumerate(values):
            await H3Spread.create(id=at + 1, x=value)
        for (aggregate, sample), _ in REFERENCES.items():
            expected = _reference(values, aggregate, sample)
            try:
                found = await H3Spread.all().aggregate(s=aggregate("x", sample=sample))
            except DataError:
                continue  # refusing is allowed; a number must be the reference
            assert expected is not None, (aggregate, sample, found)
            assert math.isclose(found["s"], expected, rel_tol=1e-9), (aggregate, sample, found)


async def test_an_ordinary_spread_is_still_answered(url: str) -> None:
    async with opened(url), own_tables(H3Spread):
        for at, value in enumerate([1.0, 2.0, 4.0]):
            await H3Spread.create(id=at + 1, x=value)
        found = await H3Spread.all().aggregate(v=orm.Variance("x"), s=orm.StdDev("x", sample=True))
        assert math.isclose(found["v"], statistics.pvariance([1.0, 2.0, 4.0]))
        assert math.isclose(found["s"], statistics.stdev([1.0, 2.0, 4.0]))
