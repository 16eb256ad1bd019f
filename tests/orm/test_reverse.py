"""Django's ``QuerySet.reverse()``: the ordering turned round, ``order_by()``'s or else
``Meta.ordering``; an unordered query stays unordered; twice is the first order again; a
slice refuses it (its rows would be the other end's), as Django does."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened, own_tables
from .models import Author


class Ranked(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=10)
    rank: int = 0

    class Meta:
        table = "ormt_rev_ranked"
        ordering = ["-rank", "name"]


async def test_reverse_turns_the_ordering_round(url: str) -> None:
    async with opened(url), own_tables(Ranked):
        for name, rank in (("a", 1), ("b", 2), ("c", 2)):
            await Ranked.create(name=name, rank=rank)
            await Author.create(name=name, rating=rank)
        assert await Ranked.all().values_list("name", flat=True) == ["b", "c", "a"]
        assert await Ranked.all().reverse().values_list("name", flat=True) == ["a", "c", "b"]
        assert await Ranked.all().reverse().reverse().values_list("name", flat=True) == [
            "b",
            "c",
            "a",
        ]
        by_rating = Author.all().order_by("rating", "-name")
        assert await by_rating.reverse().values_list("name", flat=True) == ["b", "c", "a"]
        assert sorted(await Author.all().reverse().values_list("name", flat=True)) == list("abc")
        with pytest.raises(ORMError, match="reverse"):
            Ranked.all()[:2].reverse()
