"""A concrete subclass of a model (``class Writer(Author)``) has a table of its own: its rows
are not the parent's, and its keys name other rows there (Django's multi-table inheritance
shares the parent's row, ferrule's does not). Taken as the parent's instances, they were
stored and read in silence against the parent's rows of the same key:
``Post(author=writer)`` stored the writer's key as ``author_id`` (the post then belonged
to whichever Author has that key), ``writer.posts`` read that author's posts,
``Author.all().contains(writer)`` answered for that author, ``Author.bulk_update([writer])``
wrote that author's row, ``filter(author=writer)``, ``update(author=writer)`` and
``in_bulk([writer])`` used its key as an Author's, and ``author.posts.add(...)`` and
``tags.add(...)`` took a subclass's row as the model's. They are refused now (a subclass
sharing the parent's table is its rows)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.errors import FieldError, ORMError, ValidationError

from .conftest import opened, own_tables
from .models import Author, Post, Tag


class S3Writer(Author):
    pen: str = ""

    class Meta:
        table = "ormt_s3_writer"


class S3Label(Tag):
    class Meta:
        table = "ormt_s3_label"


class S3Same(Author):
    """A subclass on the parent's own table: its rows are the parent's."""

    class Meta:
        table = "ormt_author"


async def _made() -> tuple[Author, Author, S3Writer]:
    ann = await Author.create(name="ann")
    bo = await Author.create(name="bo")
    writer = await S3Writer.create(id=bo.pk, name="w2")  # bo's key, another table's row
    return ann, bo, writer


async def test_a_subclass_row_is_no_relation_of_the_parent(url: str) -> None:
    async with opened(url), own_tables(S3Writer, S3Label):
        ann, bo, writer = await _made()
        await Post.create(title="bo's", author=bo)
        with pytest.raises(ValidationError, match="author"):
            Post(title="t", author=writer)
        with pytest.raises(ValidationError, match="author"):
            await Post.create(title="t", author=writer)
        post = await Post.create(title="ann's", author=ann)
        with pytest.raises(ValidationError, match="author"):
            post.author = writer
        assert post.author_id == ann.id
        with pytest.raises(AttributeError, match="S3Writer"):
            writer.posts  # noqa: B018
        assert await Post.filter(author=bo).count() == 1  # (bo's: untouched)


async def test_a_subclass_row_is_not_among_the_parent_s_rows(url: str) -> None:
    async with opened(url), own_tables(S3Writer, S3Label):
        ann, bo, writer = await _made()
        post = await Post.create(title="t", author=ann)
        tag = await Tag.create(label="t")
        label = await S3Label.create(id=tag.pk, label="l")  # the tag's key, another table
        calls: dict[str, Any] = {
            "filter": lambda: Post.filter(author=writer),
            "filter in": lambda: Post.filter(author__in=[writer]),
            "exclude": lambda: Post.exclude(author=writer),
            "update": lambda: Post.all().update(author=writer),
            "in_bulk": lambda: Author.all().in_bulk([writer]),
            "contains": lambda: Author.all().contains(writer),
            "bulk_update": lambda: Author.bulk_update([writer], ["name"]),
            "reverse add": lambda: ann.posts.add(writer),
            "m2m add": lambda: post.tags.add(label),
        }
        for name, call in calls.items():
            with pytest.raises((FieldError, ORMError)):
                await call()
            assert (await Author.get(pk=bo.pk)).name == "bo", name
        assert await Post.filter(author=ann).count() == 1
        assert await post.tags.all().count() == 0
        await post.tags.add(tag)
        assert [t.label for t in await post.tags.all()] == ["t"]


async def test_a_subclass_on_the_parent_s_table_is_its_rows(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        same = await S3Same.get(pk=ann.pk)
        post = await Post.create(title="t", author=same)
        assert post.author_id == ann.id
        assert await Author.all().contains(same)
