"""Related managers as a Django user reads them. ``count()`` and ``exists()`` of a loaded
relation answer from the list ``prefetch_related`` stored, as ``len()`` and ``bool()`` do
(Django's managers return the prefetched QuerySet, whose ``count()``/``exists()`` read its
result cache, so a ``Prefetch`` queryset's filter holds for them too); an unloaded one asks
the database. ``create()`` through a reverse manager sets the key to the manager's
instance: a different one given is a ``FieldError``, never overridden in silence."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post, Tag


async def test_count_and_exists_of_a_prefetched_relation_read_its_list(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        t1, t2 = await Tag.create(label="t1"), await Tag.create(label="t2")
        for title, views in (("a", 9), ("b", 1), ("c", 7)):
            post = await Post.create(title=title, views=views, author=ann)
            await post.tags.add(t1)
        busy = orm.Prefetch("posts", queryset=Post.filter(views__gt=5))
        (got,) = await Author.prefetch_related(busy).filter(name="ann")
        assert (len(got.posts), await got.posts.count()) == (2, 2)
        (got_bo,) = await Author.prefetch_related(busy).filter(name="bo")
        assert (bool(got_bo.posts), await got_bo.posts.exists()) == (False, False)
        # a row written past the manager after the prefetch: the list is what was loaded
        (got,) = await Author.prefetch_related("posts").filter(name="ann")
        await Post.create(title="d", author=ann)
        assert (len(got.posts), await got.posts.count()) == (3, 3)
        (tag,) = await Tag.prefetch_related("posts").filter(label="t1")
        (empty,) = await Tag.prefetch_related("posts").filter(label="t2")
        await Post.filter(title="a").delete()
        assert (len(tag.posts), await tag.posts.count(), await tag.posts.exists()) == (3, 3, True)
        assert (await empty.posts.count(), await empty.posts.exists()) == (0, False)
        # unloaded: the database's answer; a filter is always a query
        assert await ann.posts.count() == 3
        assert await bo.posts.exists() is False
        assert await got.posts.filter(views__gt=5).count() == 1
        assert await t2.posts.count() == 0


async def test_reverse_create_refuses_another_key(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        for given in ({"author": bo}, {"author_id": bo.id}):
            with pytest.raises(FieldError, match="author"):
                await ann.posts.create(title="x", **given)
        assert await Post.all().count() == 0
        same = await ann.posts.create(title="y", author=ann)
        also = await ann.posts.create(title="z", author_id=ann.id)
        assert (same.author_id, also.author_id) == (ann.id, ann.id)
        for given in ({"author": bo}, {"author_id": bo.id}):
            with pytest.raises(FieldError, match="author"):
                await ann.posts.get_or_create(title="w", **given)
        assert await Post.filter(author=bo).count() == 0
