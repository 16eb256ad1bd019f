"""``update_or_create(defaults={...: F(...)})``: as in Django, an expression in ``defaults``
updates the found row from its stored values (a counter goes up by one per call, also with
plain values beside it), and the returned instance holds the new values."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author


async def test_update_or_create_with_an_f_expression(url: str) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        for expected in (4, 5):
            found, created = await Author.update_or_create(
                name="ann", defaults={"rating": orm.F("rating") + 1}
            )
            assert (created, found.rating) == (False, expected)
        found, created = await Author.update_or_create(
            name="ann", defaults={"rating": orm.F("rating") * 2, "born": None}
        )
        assert (created, found.rating) == (False, 10)
        assert await Author.filter(name="ann").values_list("rating", flat=True) == [10]
