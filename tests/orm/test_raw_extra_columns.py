"""``Model.raw()`` as Django's: a selected column that is no field of the model is kept on
each instance as an annotation (``SELECT ..., rating + 1 AS next``: ``author.next``)."""

from __future__ import annotations

from .conftest import opened
from .models import Author


async def test_raw_keeps_the_columns_that_are_not_fields(url: str) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        await Author.create(name="bo", rating=5)
        found = await Author.raw(
            "SELECT id, name, rating + 1 AS next, 'x' AS tag FROM ormt_author ORDER BY name"
        )
        assert [(a.name, a.next, a.tag) for a in found] == [("ann", 4, "x"), ("bo", 6, "x")]
