"""Keys given to a many-to-many manager's ``add()``/``set()``/``remove()``: each was hashed
as given (to drop repeats) before anything read it, so an int subclass whose ``__hash__``
raises, or a list passed as one object (``add([a, b])`` for ``add(a, b)``), raised a bare
``RuntimeError``/``TypeError``. A key is now validated as the target's key field first
(the plain value it holds). An unsaved instance stays Django's ``ValueError``, before any
link is written."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Author, Post, Tag


class HashRaises(int):
    def __hash__(self) -> int:
        raise RuntimeError("__hash__ raised")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ raised")


async def _post() -> tuple[Any, Any, Any]:
    author = await Author.create(name="a")
    post = await Post.create(title="p", author=author)
    return post, await Tag.create(label="t1"), await Tag.create(label="t2")


async def test_a_key_is_read_as_the_value_it_holds(url: str) -> None:
    async with opened(url):
        post, one, two = await _post()
        await post.tags.add(HashRaises(one.id), HashRaises(one.id))
        assert await post.tags.all().values_list("label", flat=True) == ["t1"]
        await post.tags.set([HashRaises(two.id)])
        assert await post.tags.all().values_list("label", flat=True) == ["t2"]
        await post.tags.remove(HashRaises(two.id))
        assert await post.tags.all().count() == 0


async def test_what_is_no_key_is_a_typed_error(url: str) -> None:
    async with opened(url):
        post, one, two = await _post()
        with pytest.raises(errors.ValidationError):
            await post.tags.add([one, two])
        with pytest.raises(ValueError, match="save the Tag"):
            await post.tags.add(Tag(label="unsaved"))
        with pytest.raises(ValueError, match="save the Tag"):
            await post.tags.set([one, Tag(label="unsaved")])
        assert await post.tags.all().count() == 0
