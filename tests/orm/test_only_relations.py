"""``only()``/``defer()`` take a forward relation's name for its key column, as Django does
(``only("title", "author")`` loads ``author_id``; ``defer("author")`` leaves it)."""

from __future__ import annotations

import pytest

from .conftest import opened
from .models import Author, Post


async def test_only_and_defer_take_a_relation_name(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        await Post.create(title="t", author=ann)
        only = await Post.all().only("title", "author").get()
        assert (only.title, only.author_id) == ("t", ann.id)
        with pytest.raises(AttributeError, match="views"):
            _ = only.views
        left = await Post.all().defer("author").get()
        assert left.views == 0
        with pytest.raises(AttributeError, match="author_id"):
            _ = left.author_id
        joined = await Post.all().only("author").select_related("author").get()
        assert joined.author.name == "ann"
