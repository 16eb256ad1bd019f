"""Which rows a query names: a sliced update()/delete() changes the rows the same slice
returns (in its order, by key when unordered), and a model instance compared with a relation
must be of the related model. Each answer is checked against the rows the test made."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post, Tag

RATINGS = {"ann": 5, "bo": 1, "cy": 3, "dee": 4, "eve": 2}


async def _authors() -> dict[str, Author]:
    return {name: await Author.create(name=name, rating=r) for name, r in RATINGS.items()}


def _by_rating(*, reverse: bool = False) -> list[str]:
    return sorted(RATINGS, key=RATINGS.__getitem__, reverse=reverse)


async def _names_where(**kwargs: object) -> list[str]:
    return sorted(a.name for a in await Author.filter(**kwargs))


async def test_a_sliced_update_changes_the_rows_of_the_slice(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await Author.order_by("rating")[:2].update(born=None, rating=100) == 2
        assert await _names_where(rating=100) == sorted(_by_rating()[:2])
        await Author.filter(rating=100).delete()
        await _authors_back()
        assert await Author.order_by("-rating")[1:3].update(rating=200) == 2
        assert await _names_where(rating=200) == sorted(_by_rating(reverse=True)[1:3])


async def _authors_back() -> None:
    for name, rating in RATINGS.items():
        if not await Author.filter(name=name).exists():
            await Author.create(name=name, rating=rating)
        else:
            await Author.filter(name=name).update(rating=rating)


async def test_a_sliced_delete_removes_the_rows_of_the_slice(url: str) -> None:
    async with opened(url):
        made = await _authors()
        assert await Author.order_by("-rating")[:2].delete() == 2
        assert await _names_where() == sorted(_by_rating()[:3])
        # unordered: by key, as first() takes it
        first_made = min(made.values(), key=lambda a: a.id)
        survivors = [a for a in made.values() if a.name in _by_rating()[:3]]
        assert await Author.all()[:1].delete() == 1
        gone = min(survivors, key=lambda a: a.id)
        assert gone.name not in await _names_where()
        assert first_made.id <= gone.id


async def test_an_instance_must_be_of_the_related_model(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        post = await Post.create(title="t", author=ann)
        tag = await Tag.create(label="x")
        await post.tags.add(tag)
        assert [p.title for p in await Post.filter(author=ann)] == ["t"]
        assert [a.name for a in await Author.filter(posts=post)] == ["ann"]  # a reverse relation
        assert [p.title for p in await Post.filter(tags=tag)] == ["t"]
        assert [a.name for a in await Author.filter(posts__in=[post])] == ["ann"]
        with pytest.raises(FieldError, match="Tag"):
            await Post.filter(author=tag)  # a Tag's key is no author's
        with pytest.raises(FieldError, match="Author"):
            await Post.filter(tags=ann)
        with pytest.raises(FieldError, match="Tag"):
            await Author.filter(posts=tag)
        with pytest.raises(FieldError, match="Tag"):
            await Post.filter(author__in=[ann, tag])
        with pytest.raises(FieldError, match="unsaved"):
            await Post.filter(author=Author(name="new"))
