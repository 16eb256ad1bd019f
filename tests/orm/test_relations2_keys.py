"""A key assigned by hand on an instance whose nullable relation was loaded as None
(``select_related``/``prefetch_related``/``fetch_related`` of a post without an editor):
``post.editor_id = bob.id`` was set back to None by the relation check (it took the loaded
None for the relation just assigned), and ``save()`` wrote NULL, silently. The key wins, as
it does over a loaded instance, and the relation reads as not loaded until loaded again;
``post.editor = None`` still clears the key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule.errors import RelationNotLoadedError

from .conftest import opened
from .models import Author, Post


async def _fetched(title: str) -> Any:
    post = await Post.get(title=title)
    await post.fetch_related("editor")
    return post


LOADS: dict[str, Callable[[str], Awaitable[Any]]] = {
    "select_related": lambda title: Post.select_related("editor").get(title=title),
    "prefetch_related": lambda title: Post.prefetch_related("editor").get(title=title),
    "fetch_related": _fetched,
}


@pytest.mark.parametrize("load", sorted(LOADS))
async def test_a_key_assigned_after_the_relation_loaded_as_none_is_kept(
    url: str, load: str
) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bob = await Author.create(name="bob")
        await Post.create(title="x", author=ann)
        post = await LOADS[load]("x")
        assert post.editor is None
        post.editor_id = bob.id
        assert post.editor_id == bob.id
        with pytest.raises(RelationNotLoadedError):
            _ = post.editor
        await post.save()
        assert await Post.filter(title="x").values_list("editor_id", flat=True) == [bob.id]
        again = await LOADS[load]("x")
        again.update_from_dict({"editor_id": ann.id})
        await again.save()
        assert await Post.filter(title="x").values_list("editor_id", flat=True) == [ann.id]
        third = await LOADS[load]("x")
        third.editor = None
        assert third.editor_id is None
        await third.save()
        assert await Post.filter(title="x").values_list("editor_id", flat=True) == [None]


async def test_the_relation_assigned_none_then_an_instance_again(url: str) -> None:
    """``post.editor = None`` then ``post.editor = ann`` (the instance loaded before) left
    the key None and the relation reading None: the second assignment was taken for the
    loaded instance, unchanged. Also a post made with ``editor=None``, its key assigned
    after, and copies of a post whose editor loaded as None."""
    async with opened(url):
        ann = await Author.create(name="ann")
        await Post.create(title="x", author=ann, editor=ann)
        post = await Post.select_related("editor").get(title="x")
        loaded = post.editor
        post.editor = None
        assert post.editor_id is None and post.editor is None
        post.editor = loaded
        assert (post.editor_id, post.editor) == (ann.id, loaded)
        await post.save()
        assert await Post.filter(title="x").values_list("editor_id", flat=True) == [ann.id]
        made = Post(title="y", author=ann, editor=None)
        made.editor_id = ann.id
        assert made.editor_id == ann.id
        await made.save()
        assert await Post.filter(title="y").values_list("editor_id", flat=True) == [ann.id]
        await Post.filter(title="y").update(editor=None)
        none = await Post.select_related("editor").get(title="y")
        for copied in (none.model_copy(), none.model_copy(deep=True)):
            copied.editor_id = ann.id
            assert copied.editor_id == ann.id
