"""``QuerySet.create``, ``get_or_create``, ``update_or_create``, ``bulk_create`` and
``bulk_update``, as Django's QuerySet has them: the lookup of ``get_or_create`` and
``update_or_create`` is made within the queryset's own filters (``filter(...)`` then the
keywords), the row made from the keywords and ``defaults`` only; every one runs on the
queryset's database (``using``). Rows are checked with the database's own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened
from .models import Author, Post


async def _posts(db: Any) -> list[tuple[Any, ...]]:
    rows = await db.fetch_all("SELECT title, views, author_id FROM ormt_post ORDER BY id")
    return [tuple(r) for r in rows]


async def test_get_or_create_looks_within_the_querysets_filters(url: str) -> None:
    async with opened(url) as db:
        ann = await Author.create(name="ann")
        await Post.create(title="t", views=0, author=ann)
        found, created = await Post.filter(views=0).get_or_create(title="t", author=ann)
        assert (created, found.title) == (False, "t")
        # the stored row is outside filter(views__gte=5): a new row, from the keywords
        made, created = await Post.filter(views__gte=5).get_or_create(
            title="t", author=ann, defaults={"body": "b"}
        )
        assert created and (made.title, made.views, made.body) == ("t", 0, "b")
        assert await _posts(db) == [("t", 0, ann.id), ("t", 0, ann.id)]


async def test_update_or_create_updates_only_a_row_the_queryset_holds(url: str) -> None:
    async with opened(url) as db:
        ann = await Author.create(name="ann")
        await Post.create(title="t", views=1, author=ann)
        got, created = await Post.filter(views=1).update_or_create(title="t", defaults={"views": 2})
        assert (created, got.views) == (False, 2)
        got, created = await Post.filter(views=1).update_or_create(
            title="t", author=ann, defaults={"views": 7}
        )
        assert created and got.views == 7
        assert await _posts(db) == [("t", 2, ann.id), ("t", 7, ann.id)]


async def test_create_and_bulk_writes_run_on_the_querysets_database(url: str) -> None:
    async with opened(url) as db:
        ann = await Author.all().create(name="ann")
        made = await Post.all().bulk_create([Post(title=f"p{i}", author=ann) for i in range(3)])
        for post in made:
            post.views = 5
        assert await Post.all().bulk_update(made, ["views"]) == 3
        assert await _posts(db) == [(f"p{i}", 5, ann.id) for i in range(3)]
        names = await db.fetch_all("SELECT name FROM ormt_author")
        assert [tuple(r) for r in names] == [("ann",)]


@pytest.mark.parametrize("method", ["get_or_create", "update_or_create"])
async def test_a_values_queryset_refuses_to_make_instances(url: str, method: str) -> None:
    async with opened(url):
        query = Author.all().values("name")
        with pytest.raises(ORMError, match=method):
            await getattr(query, method)(name="ann")
        assert await Author.all().count() == 0


async def test_get_or_create_of_another_database_stays_there(url: str, tmp_path: Any) -> None:
    async with opened(url):
        other = await __import__("ferrule").connect(f"sqlite:///{tmp_path / 'other.db'}")
        try:
            await orm.create_tables(Author, using=other)
            made, created = await Author.all().using(other).get_or_create(name="zed")
            assert made.name == "zed"
            assert created
            assert await Author.all().count() == 0
            rows = await other.fetch_all("SELECT name FROM ormt_author")
            assert [tuple(r) for r in rows] == [("zed",)]
        finally:
            await other.close()
