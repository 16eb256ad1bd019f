"""Objects claiming a model as their ``__class__`` (``isinstance`` believes them) given to
ORM entry points that take instances: refused with the ORM's own error, as an object of
another class is, not an AttributeError from deep inside (bulk_update read ``obj.pk``)."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError, ORMError, ValidationError

from .conftest import opened
from .models import Author, Post, Tag


class Claims:
    """Says it is an Author; holds a key, as an instance would."""

    __class__ = Author  # type: ignore[assignment]
    pk = 1
    id = 1
    name = "ann"


async def test_bulk_update_refuses_an_object_claiming_the_model(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ann")
        assert isinstance(Claims(), Author)
        with pytest.raises(ORMError, match="got a Claims"):
            await Author.bulk_update([Claims()], ["name"])


async def test_contains_refuses_an_object_claiming_the_model(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ann")
        with pytest.raises(FieldError, match="not a Claims"):
            await Author.all().contains(Claims())


async def test_a_relation_refuses_an_object_claiming_its_model(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ann")
        with pytest.raises(ValidationError, match="author"):
            Post(title="t", author=Claims())
        with pytest.raises(ValidationError, match="author"):
            await Post.create(title="t", author=Claims())
        assert await Post.all().count() == 0


class ClaimsPost:
    """Says it is a Post, holding the key of a real one."""

    __class__ = Post  # type: ignore[assignment]
    pk = 1
    id = 1


async def test_managers_refuse_objects_claiming_their_model(url: str) -> None:
    async with opened(url):
        ann = await Author.create(id=1, name="ann")
        bo = await Author.create(id=2, name="bo")
        await Post.create(id=1, title="t", author=ann)
        tag = await Tag.create(id=1, label="x")
        with pytest.raises(FieldError):
            await bo.posts.add(ClaimsPost())
        assert await Post.filter(id=1).values_list("author_id", flat=True) == [1]
        with pytest.raises((FieldError, ValidationError)):
            await tag.posts.add(ClaimsPost())
        assert await tag.posts.count() == 0
