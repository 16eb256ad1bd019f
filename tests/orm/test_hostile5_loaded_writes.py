"""A write through a related manager drops the list ``prefetch_related`` loaded (the next
``all()`` is a query), as the reverse managers' ``create``/``get_or_create``/
``update_or_create``/``add``/``remove``/``set`` do. The many-to-many ``get_or_create`` and
``update_or_create`` kept it when they found the row (``post.tags.update_or_create(label='t1',
defaults={'label': 'T1'})`` then ``post.tags.all()`` still said t1), and ``update()`` through
either manager (``author.posts.update(views=11)``) kept the rows from before it."""

from __future__ import annotations

from .conftest import opened
from .models import Author, Post, Tag


async def test_a_found_and_updated_link_is_read_again(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        post = await Post.create(title="p", author=ann)
        await post.tags.add(await Tag.create(label="t1"))
        loaded = await Post.prefetch_related("tags").get(title="p")
        tag, made = await loaded.tags.update_or_create(label="t1", defaults={"label": "T1"})
        assert not made and tag.label == "T1"
        assert [t.label for t in await loaded.tags.all()] == ["T1"]
        loaded = await Post.prefetch_related("tags").get(title="p")
        await Tag.filter(label="T1").update(label="t2")  # elsewhere: the list stays as loaded
        assert [t.label for t in await loaded.tags.all()] == ["T1"]
        tag, made = await loaded.tags.get_or_create(label="t2")
        assert not made
        assert [t.label for t in await loaded.tags.all()] == ["t2"]


async def test_an_update_through_a_manager_is_read_again(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        post = await Post.create(title="p", author=ann)
        await post.tags.add(await Tag.create(label="t1"))
        author = await Author.prefetch_related("posts").get(name="ann")
        assert await author.posts.update(views=11) == 1
        assert [p.views for p in await author.posts.all()] == [11]
        loaded = await Post.prefetch_related("tags").get(title="p")
        assert await loaded.tags.update(label="t9") == 1
        assert [t.label for t in await loaded.tags.all()] == ["t9"]
