"""Keyword names of ``filter()`` given as a str subclass equal to every string and hashed as
``"name"``: ``Model.filter(**{<"rating">: 1})`` was keyed for the statement cache by the name
object itself (``(Author, "f", (<"rating">,))``), a key equal to that of
``Model.filter(name=...)``, so once that query had run the lying one ran its statement,
``WHERE name = ?``, in silence; before that it was refused as "'(condition)' names no
field" (its ``==`` said it was the marker of an ``Exists`` condition). A name is now read by
its text, and a query keyed only by plain ``str`` names. And ``save(update_fields=...)``
skipped the save when the list's ``__len__`` said 0, though it held names."""

from __future__ import annotations

from typing import Any

from .conftest import opened
from .models import Author


class Liar(str):
    """Equal to every string, hashed as 'name'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("name")


class NoLength(list[Any]):
    def __len__(self) -> int:
        return 0


async def _names(query: Any) -> list[str]:
    return [a.name for a in await query.order_by("name")]


async def test_a_lying_keyword_filters_by_the_field_its_text_names(url: str) -> None:
    async with opened(url):
        await Author.create(name="x", rating=1)
        await Author.create(name="y", rating=2)
        for _ in range(2):  # the second time: statements met before, native paths
            assert await _names(Author.filter(name="y")) == ["y"]
            assert await _names(Author.all().filter(name="y")) == ["y"]
            assert await _names(Author.filter(**{Liar("rating"): 1})) == ["x"]
            assert await _names(Author.all().filter(**{Liar("rating"): 1})) == ["x"]
            assert await _names(Author.exclude(**{Liar("rating"): 1})) == ["y"]
            assert await Author.filter(**{Liar("rating__gte"): 1}).count() == 2


async def test_save_reads_update_fields_not_their_length(url: str) -> None:
    async with opened(url):
        made = await Author.create(name="x", rating=1)
        made.rating = 4
        await made.save(update_fields=NoLength(["rating"]))
        assert await Author.all().values_list("rating", flat=True) == [4]


async def test_a_lying_keyword_gets_by_the_field_its_text_names(url: str) -> None:
    async with opened(url):
        await Author.create(name="x", rating=1)
        await Author.create(name="y", rating=2)
        for _ in range(2):
            assert (await Author.get(name="y")).rating == 2
            assert (await Author.get(**{Liar("rating"): 1})).name == "x"
            assert (await Author.all().get(**{Liar("rating"): 1})).name == "x"
            assert await Author.filter(**{Liar("rating"): 2}).count() == 1
            assert await Author.exists(**{Liar("rating"): 2})
