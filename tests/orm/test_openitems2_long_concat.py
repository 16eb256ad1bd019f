"""``Concat()`` of many expressions (generated code joining columns and separators): past
about 1,000 SQLite refused the flat ``a || b || ...`` chain (an expression deeper than its
limit, an OperationalError asking to group it). The parts are joined in groups now, nested,
so the depth grows with the logarithm of their number, on every database."""

from __future__ import annotations

import pytest

from ferrule import orm

from .conftest import opened
from .models import Author

F, Value = orm.F, orm.Value


@pytest.mark.parametrize("count", [2, 65, 1_001, 3_000])
async def test_a_long_concat_joins_every_part(url: str, count: int) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=7)
        await Author.create(name="bo", rating=12)
        parts = [
            F("name") if i % 3 == 0 else F("rating") if i % 3 == 1 else Value(f"-{i}-")
            for i in range(count)
        ]
        qs = Author.annotate(x=orm.Concat(*parts)).order_by("name").values_list("x", flat=True)
        expected = [
            "".join(
                name if i % 3 == 0 else str(rating) if i % 3 == 1 else f"-{i}-"
                for i in range(count)
            )
            for name, rating in (("ann", 7), ("bo", 12))
        ]
        assert await qs == expected
