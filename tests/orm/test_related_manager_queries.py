"""Django's related managers are managers: ``author.posts.count()``, ``.order_by()``,
``.exists()``, ``.values_list()``, ``.get()``, ``.exclude()``, ... query the related rows
directly (as ``.all().<method>`` does), and ``get_or_create``/``update_or_create`` of a
reverse manager set the key to the instance, as Django's do."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag


async def test_related_managers_take_the_queryset_methods(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        for title, views in (("a", 3), ("b", 1), ("c", 2)):
            await Post.create(title=title, views=views, author=ann)
        await Post.create(title="z", author=bo)
        assert await ann.posts.count() == 3
        assert await ann.posts.exists()
        assert await ann.posts.order_by("views").values_list("title", flat=True) == ["b", "c", "a"]
        assert (await ann.posts.get(views=2)).title == "c"
        assert await ann.posts.exclude(title="a").order_by("title").values_list(
            "title", flat=True
        ) == ["b", "c"]
        assert (await ann.posts.aggregate(n=orm.Sum("views")))["n"] == 6
        post, created = await bo.posts.get_or_create(title="y", defaults={"views": 9})
        assert (created, post.author_id, post.views) == (True, bo.id, 9)
        post, created = await bo.posts.get_or_create(title="z")
        assert (created, post.author_id) == (False, bo.id)
        post, created = await ann.posts.update_or_create(title="z", defaults={"views": 5})
        assert (created, post.author_id) == (True, ann.id)  # bo's "z" is not ann's
        assert await Post.filter(title="z").count() == 2
        tag = await Tag.create(label="t")
        await tag.posts.add(post)
        assert await tag.posts.values_list("title", flat=True) == ["z"]
        assert await tag.posts.count() == 1
