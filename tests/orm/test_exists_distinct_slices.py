"""``exists()`` and ``count()`` of a sliced ``distinct()`` queryset whose filter joins a
to-many relation (rows repeat before DISTINCT): the slice is of the distinct rows, as the
list itself shows, on every database."""

from __future__ import annotations

from .conftest import opened
from .models import Author, Post


async def test_exists_and_count_of_sliced_distinct_rows(url: str) -> None:
    async with opened(url):
        for name in ("ann", "bo"):
            author = await Author.create(name=name)
            for title in ("a", "b"):
                await Post.create(title=title, views=0, author=author)
        await Author.create(name="cy")
        query = Author.filter(posts__views=0).distinct().order_by("name")
        assert [a.name for a in await query] == ["ann", "bo"]
        for start in range(4):
            part = query[start:]
            want = len(await part)
            assert (start, await part.count(), await part.exists()) == (start, want, want > 0)
            window = query[start : start + 1]
            want = len(await window)
            assert (start, await window.count(), await window.exists()) == (start, want, want > 0)
