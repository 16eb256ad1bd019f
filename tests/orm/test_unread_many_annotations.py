"""An annotation of a to-many path that ``values()`` does not read (``Author.annotate(
x=F("posts__views")).values("id")``) still joins its rows, as Django's does: a row per post
(an author without posts once, by the outer join). ferrule compiled only the annotations
``values()`` named, so the join went with the others and each author came once. The answers
are Django 5's on the same rows."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.orm import Count, F

from .conftest import opened
from .models import Author, Post


async def _world() -> None:
    ada, bo, _ = [await Author.create(name=n) for n in ("Ada", "Bo", "Cy")]
    for author, views in [(ada, 10), (ada, 10), (ada, 20), (bo, 5)]:
        await Post.create(title=f"{author.name}{views}", author=author, views=views)


CASES = {
    "values id": (
        lambda: Author.annotate(x=F("posts__views")).order_by("id").values_list("name", flat=True),
        ["Ada", "Ada", "Ada", "Bo", "Cy"],
    ),
    "values dicts": (
        lambda: Author.annotate(x=F("posts__views")).order_by("id").values("name"),
        [{"name": n} for n in ("Ada", "Ada", "Ada", "Bo", "Cy")],
    ),
    "alias": (
        lambda: (
            Author.all().alias(x=F("posts__views")).order_by("id").values_list("name", flat=True)
        ),
        ["Ada", "Ada", "Ada", "Bo", "Cy"],
    ),
    "read": (
        lambda: (
            Author.annotate(x=F("posts__views")).order_by("id", "x").values_list("x", flat=True)
        ),
        [10, 10, 20, 5, None],
    ),
    "distinct": (
        lambda: (
            Author.annotate(x=F("posts__views"))
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
        ["Ada", "Bo", "Cy"],
    ),
    "an aggregate": (
        lambda: Author.annotate(n=Count("posts")).order_by("id").values_list("name", flat=True),
        ["Ada", "Bo", "Cy"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_an_unread_to_many_annotation_keeps_its_rows(url: str, case: str) -> None:
    make, expected = CASES[case]
    async with opened(url):
        await _world()
        found: Any = await make()
        assert list(found) == expected
        assert await Author.annotate(x=F("posts__views")).count() == 5
