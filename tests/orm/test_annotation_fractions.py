"""A count compared with a fraction: ``annotate(n=Count("posts")).filter(n__gte=1.5)``.
PostgreSQL types the parameter after the count (bigint) and the driver cut 1.5 to 1, so authors
with one post matched; every answer is checked against the same comparison in Python."""

from __future__ import annotations

import decimal
import operator
from typing import Any

from ferrule import orm

from .conftest import opened
from .models import Author, Post

POSTS = {"none": 0, "one": 1, "two": 2, "three": 3}
LOOKUPS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


async def _made() -> None:
    for name, count in POSTS.items():
        author = await Author.create(name=name)
        for index in range(count):
            await Post.create(title=f"{name}{index}", author=author)


async def _names(**condition: Any) -> list[str]:
    counted = Author.all().annotate(n=orm.Count("posts"))
    return sorted(await counted.filter(**condition).values_list("name", flat=True))


async def test_counts_compare_with_fractions_exactly(url: str) -> None:
    async with opened(url):
        await _made()
        for bound in (1.5, 0.5, 2.5, decimal.Decimal("1.5"), decimal.Decimal("2.0001")):
            for lookup, compare in LOOKUPS.items():
                expected = sorted(n for n, c in POSTS.items() if compare(c, bound))
                assert await _names(**{f"n__{lookup}": bound}) == expected, (lookup, bound)
        assert await _names(n=1.5) == []
        assert await _names(n=2.0) == ["two"]
        assert await _names(n__in=[1.5, 3.0]) == ["three"]
        assert await _names(n__range=(0.5, 2.5)) == ["one", "two"]
