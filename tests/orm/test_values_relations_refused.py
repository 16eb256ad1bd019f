"""``values()``/``values_list()`` rows are dicts and tuples, which hold no related instance:
``select_related()`` or ``prefetch_related()`` asked for after them did nothing, silently
(Django refuses the first with a ``TypeError``). Both are refused now, naming the spelling
that reads a related field into the rows; asked for before ``values()``, they stay allowed
(Django's order), and the rows are the same."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import ORMError

from .conftest import opened
from .models import Author, Post


@pytest.mark.parametrize(
    "make",
    [
        lambda: Post.all().values("title").select_related("author"),
        lambda: Post.all().values_list("title").select_related("author"),
        lambda: Post.all().values("title").prefetch_related("tags"),
        lambda: Post.all().values_list("title", flat=True).prefetch_related("tags"),
        lambda: Post.values("title").select_related(),
    ],
    ids=["values-select", "values_list-select", "values-prefetch", "flat-prefetch", "all"],
)
def test_after_values_they_are_refused(make: Any) -> None:
    with pytest.raises(ORMError, match=r"after values\(\)") as caught:
        make()
    assert "author__name" in str(caught.value) or "Post" in str(caught.value)


async def test_before_values_they_change_nothing(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada")
        await Post.create(title="p", author=ada)
        plain = await Post.all().values("title", "author__name")
        assert await Post.select_related("author").values("title", "author__name") == plain
        assert await Post.prefetch_related("tags").values("title") == [{"title": "p"}]
