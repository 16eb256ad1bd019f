"""Django's expressions in ``values()`` (by keyword: ``values("name", size=Length("name"))``) and
in ``values_list()`` (positional, named ``length1``, ``abs2``, ... as Django names them):
the same as annotating first and selecting the names, on every database."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author


async def test_values_and_values_list_take_expressions(url: str) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        await Author.create(name="bo", rating=5)
        by_name = Author.all().order_by("name")
        assert await by_name.values("name", size=orm.Length("name"), next=orm.F("rating") + 1) == [
            {"name": "ann", "size": 3, "next": 4},
            {"name": "bo", "size": 2, "next": 6},
        ]
        assert await by_name.values_list("name", orm.Length("name")) == [("ann", 3), ("bo", 2)]
        assert await by_name.values_list(orm.F("rating") * 2, flat=True) == [6, 10]
        rows = await by_name.values_list("name", orm.Length("name"), orm.Abs("rating"), named=True)
        assert [r._fields for r in rows] == [("name", "length1", "abs2")] * 2
        assert (rows[1].length1, rows[1].abs2) == (2, 5)
