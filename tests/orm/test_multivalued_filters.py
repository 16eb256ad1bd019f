"""Filters across to-many relations, with Django's meaning: the conditions of one ``filter()``
call must hold for the same related row, while each further ``filter()`` call may be met by
another related row (``filter(tags__label="a").filter(tags__label="b")`` is the posts tagged
with both). Each answer is checked against the same question asked of the data in Python."""

from __future__ import annotations

from typing import Any

from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag

#: author -> [(views, title, tags)] of their posts
POSTS: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {
    "ada": [(1, "one", ("a", "b")), (2, "two", ("a",))],
    "bob": [(1, "uno", ("a",))],
    "cy": [(2, "dos", ("b",)), (3, "tres", ())],
    "dee": [],
}


async def _load() -> None:
    tags = {label: await Tag.create(label=label) for label in ("a", "b")}
    for name, posts in POSTS.items():
        author = await Author.create(name=name)
        for views, title, labels in posts:
            post = await Post.create(title=title, views=views, author=author)
            if labels:
                await post.tags.add(*(tags[label] for label in labels))


def _authors_where(*tests: Any) -> list[str]:
    """The authors for whom each test holds for some post (each test for its own post)."""
    return sorted(
        name for name, posts in POSTS.items() if all(any(t(p) for p in posts) for t in tests)
    )


async def _names(qs: Any) -> list[str]:
    found = [a.name for a in await qs]
    assert await qs.count() == len(found)
    return sorted(found)


async def test_each_filter_call_may_match_another_related_row(url: str) -> None:
    async with opened(url):
        await _load()
        chained = Author.filter(posts__views=1).filter(posts__views=2)
        assert await _names(chained) == _authors_where(lambda p: p[0] == 1, lambda p: p[0] == 2)
        assert await _names(chained) == ["ada"]
        together = Author.filter(posts__views=1, posts__title="two")  # one post: none
        assert await _names(together) == []
        same_call = Author.filter(orm.Q(posts__views=1) & orm.Q(posts__views=2))
        assert await _names(same_call) == []
        three = Author.filter(posts__views=2).filter(posts__views=3).filter(posts__title="dos")
        assert await _names(three) == ["cy"]


async def test_chained_filters_through_many_to_many(url: str) -> None:
    async with opened(url):
        await _load()
        both = Post.filter(tags__label="a").filter(tags__label="b")
        assert sorted(p.title for p in await both) == ["one"]
        assert await both.count() == 1
        assert (
            sorted(p.title for p in await Post.filter(tags__label="a", tags__label__in=["b"])) == []
        )
        # a longer path sharing the first step with an earlier call's join
        prefix = Author.filter(posts__views=2).filter(posts__tags__label="a")
        expected = _authors_where(lambda p: p[0] == 2, lambda p: "a" in p[2])
        assert await _names(prefix) == expected == ["ada"]


async def test_chained_filter_beside_exclude_and_forward_joins(url: str) -> None:
    async with opened(url):
        await _load()
        kept = Author.filter(posts__views=1).exclude(posts__views=2)
        assert await _names(kept) == ["bob"]
        # forward (to-one) joins are shared by every call: one author per post
        posts = Post.filter(author__name="ada").filter(author__name__startswith="a")
        assert sorted(p.title for p in await posts) == ["one", "two"]
        assert await Post.filter(author__name="ada").filter(author__name="bob").count() == 0
        # the same question through values() and exists()
        names = Author.filter(posts__views=1).filter(posts__views=2).values_list("name", flat=True)
        assert sorted(set(await names)) == ["ada"]
        assert await Author.filter(posts__views=1).filter(posts__views=3).exists() is False


async def test_one_call_and_two_calls_with_the_same_names_differ(url: str) -> None:
    """The cached texts of filter shapes keep the calls apart (shapes._filters)."""
    async with opened(url):
        await _load()
        for _ in range(2):  # the second round runs from the caches
            one = Author.filter(posts__views=1, posts__title="two")
            two = Author.filter(posts__views=1).filter(posts__title="two")
            assert await _names(one) == []
            assert await _names(two) == ["ada"]
        annotated = Author.annotate(label=orm.F("name")).filter(posts__views=1)
        assert await _names(annotated.filter(posts__views=2)) == ["ada"]


async def test_chained_filters_beside_an_aggregate(url: str) -> None:
    """An aggregate over the relation counts the rows the first call's join kept (as in
    Django's filter-then-annotate); a later call on the same relation only picks the rows."""
    async with opened(url):
        await _load()
        chained = Author.filter(posts__views=1).filter(posts__views=2)
        counted = chained.annotate(n=orm.Count("posts"))
        assert sorted(await counted.values_list("name", "n")) == [("ada", 1)]
        assert [a.n for a in await counted] == [1]
        named = chained.annotate(top=orm.Max("name"))
        assert sorted(await named.values_list("name", "top")) == [("ada", "ada")]
        assert await counted.count() == 1
