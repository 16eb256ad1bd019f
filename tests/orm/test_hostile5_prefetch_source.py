"""After ``prefetch_related(Prefetch("posts", queryset=Post.filter(views__gt=5)))`` Django's
``author.posts`` is that queryset narrowed to the author: ``all()`` holds the loaded rows,
and every query made from it (``filter()``, ``order_by()``, ``values_list()``, ``get()``,
``update()``...) keeps the Prefetch's filters and order. ferrule's derived queries were the
relation's plain rows: ``author.posts.count()`` said 2 and ``author.posts.values_list()``
gave 3, ``filter()`` and ``order_by()`` brought back the posts the Prefetch left out, and
``update()`` wrote them too. The expected answers are Django 5's for the same rows."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag


async def _rows() -> Author:
    ann = await Author.create(name="ann")
    for title, views in (("p1", 1), ("p2", 9), ("p3", 7)):
        await Post.create(title=title, views=views, author=ann)
    return ann


async def test_queries_from_a_filtered_prefetch_keep_its_filter(url: str) -> None:
    async with opened(url):
        await _rows()
        popular = orm.Prefetch("posts", queryset=Post.filter(views__gt=5))
        ann = await Author.prefetch_related(popular).get(name="ann")
        assert sorted(p.title for p in await ann.posts.all()) == ["p2", "p3"]
        assert [p.title for p in await ann.posts.all().order_by("-title")] == ["p3", "p2"]
        found = ann.posts.filter(title__startswith="p").order_by("title")
        assert [p.title for p in await found] == ["p2", "p3"]
        assert await ann.posts.count() == 2
        assert await ann.posts.all().count() == 2
        assert sorted(await ann.posts.values_list("title", flat=True)) == ["p2", "p3"]
        assert [p.title for p in await ann.posts.order_by("title")[:1]] == ["p2"]
        assert await ann.posts.update(views=0) == 2  # Django's: the prefetched rows only
        views = await Post.order_by("title").values_list("title", "views")
        assert views == [("p1", 1), ("p2", 0), ("p3", 0)]
        again = await ann.posts.order_by("title").values_list("title", flat=True)
        assert again == ["p1", "p2", "p3"]  # the write dropped the loaded list and its filter


async def test_queries_from_an_ordered_prefetch_keep_its_order(url: str) -> None:
    async with opened(url):
        await _rows()
        ordered = Post.filter(views__gt=-1).order_by("-title").only("id", "title", "author")
        ann = await Author.prefetch_related(orm.Prefetch("posts", queryset=ordered)).get()
        assert [p.title for p in await ann.posts.all()] == ["p3", "p2", "p1"]
        assert [p.title for p in await ann.posts.filter(views__gte=0)] == ["p3", "p2", "p1"]
        assert (await ann.posts.get(title="p1")).title == "p1"


async def test_a_filtered_many_to_many_prefetch_keeps_its_filter(url: str) -> None:
    async with opened(url):
        ann = await _rows()
        post = await Post.get(title="p1")
        await post.tags.add(*[await Tag.create(label=f"t{i}") for i in range(3)])
        other = await Post.get(title="p2")
        await other.tags.add(await Tag.get(label="t0"))
        some = orm.Prefetch("tags", queryset=Tag.filter(label__gt="t0"))
        loaded = await Post.prefetch_related(some).get(title="p1")
        assert sorted(t.label for t in await loaded.tags.all()) == ["t1", "t2"]
        assert [t.label for t in await loaded.tags.order_by("label")] == ["t1", "t2"]
        assert sorted(await loaded.tags.values_list("label", flat=True)) == ["t1", "t2"]
        plain = await Post.prefetch_related("tags").get(title="p1")
        assert [t.label for t in await plain.tags.order_by("label")] == ["t0", "t1", "t2"]
        assert ann.pk is not None
