"""``QuerySet.none()`` (and ``Model.none()``): Django's answers for a queryset that matches
nothing (every read empty, ``count()`` 0, ``exists()`` False, ``aggregate()`` None per key and
0 for a Count, ``update()``/``delete()`` 0, ``first()`` None, ``get()`` DoesNotExist), given
without a statement reaching the database (watched by a query hook), on SQLite, PostgreSQL
and MariaDB; chaining keeps it empty, and bad input is still a typed error."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post


async def _rows() -> None:
    ann = await Author.create(name="ann", rating=3)
    bob = await Author.create(name="bob", rating=5)
    for i, author in enumerate((ann, ann, bob)):
        await Post.create(title=f"t{i}", views=10 * (i + 1), author=author)


def _watch(db: Any) -> list[str]:
    seen: list[str] = []
    db.add_hook(before=lambda event: seen.append(event.sql))
    return seen


async def _collected(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


async def test_every_terminal_of_none_answers_empty_without_a_query(url: str) -> None:
    async with opened(url) as db:
        await _rows()
        seen = _watch(db)
        empty = Post.filter(views__gte=10).none()
        assert await empty == []
        assert await Post.none() == []
        assert await Post.all().none().filter(title="t0").order_by("-views") == []
        assert await empty.values() == []
        assert await empty.values_list("id", flat=True) == []
        assert await empty.annotate(twice=orm.F("views") * 2).values("twice") == []
        assert await empty.count() == 0
        assert await empty.exists() is False
        assert await empty.aggregate(
            n=orm.Count("id"),
            total=orm.Sum("views"),
            mean=orm.Avg("views"),
            low=orm.Min("views"),
            high=orm.Max("created"),
            distinct=orm.Count("author", distinct=True),
        ) == {"n": 0, "total": None, "mean": None, "low": None, "high": None, "distinct": 0}
        assert await empty.update(views=0) == 0
        assert await empty.update(views=orm.F("views") + 1) == 0
        assert await empty.delete() == 0
        assert await empty.in_bulk([1, 2, 3]) == {}
        assert await empty.in_bulk() == {}
        assert await empty.first() is None
        assert await empty.last() is None
        assert await empty.get_or_none(title="t0") is None
        with pytest.raises(Post.DoesNotExist):
            await empty.get(title="t0")
        with pytest.raises(Post.DoesNotExist):
            await empty.latest("created")
        with pytest.raises(Post.DoesNotExist):
            await empty.earliest("created")
        with pytest.raises(IndexError):
            await empty[0]
        assert await empty[1:3] == []
        assert await _collected(empty.iterator(chunk_size=2)) == []
        assert await _collected(empty) == []
        assert await empty.cached(30) == []
        assert await empty.select_related("author").prefetch_related("tags") == []
        assert seen == []
        # nothing was changed or deleted, and the same queryset without none() has the rows
        assert await Post.filter(views__gte=10).count() == 3
        assert sorted(await Post.values_list("views", flat=True)) == [10, 20, 30]


async def test_none_is_an_empty_queryset_and_stays_one_when_chained(url: str) -> None:
    async with opened(url):
        await _rows()
        empty = Author.none()
        assert isinstance(empty, orm.EmptyQuerySet)
        assert isinstance(empty, orm.QuerySet)
        assert not isinstance(Author.all(), orm.EmptyQuerySet)
        for chained in (
            empty.filter(rating__gt=0),
            empty.exclude(name="ann"),
            empty.order_by("name"),
            empty.annotate(n=orm.Count("posts")),
            empty.values("name"),
            empty.values_list("name"),
            empty.distinct(),
            empty.only("name"),
            empty.using(None),
            empty.all(),
            empty.limit(1),
            empty.offset(1),
            empty[:5],
        ):
            assert isinstance(chained, orm.EmptyQuerySet), chained
            assert await chained == []
        assert await empty.annotate(n=orm.Count("posts")).count() == 0
        assert await empty.values("rating").annotate(n=orm.Count("id")).aggregate(
            most=orm.Max("n")
        ) == {"most": None}
        assert len(await Author.all()) == 2


async def test_none_checks_its_input_as_the_query_would(url: str) -> None:
    async with opened(url) as db:
        await _rows()
        seen = _watch(db)
        empty = Post.none()
        with pytest.raises(FieldError, match="nonsense"):
            await empty.filter(nonsense=1)
        with pytest.raises(FieldError, match="nonsense"):
            await empty.filter(nonsense=1).count()
        with pytest.raises(FieldError, match="nonsense"):
            await empty.order_by("nonsense").first()
        with pytest.raises(FieldError, match="nonsense"):
            await empty.update(nonsense=1)
        with pytest.raises(FieldError):
            await empty.update()
        with pytest.raises(FieldError, match="primary key"):
            await empty.update(id=5)
        with pytest.raises(FieldError):
            await empty.aggregate(n=1)  # type: ignore[arg-type]
        with pytest.raises(FieldError, match="nonsense"):
            await empty.aggregate(n=orm.Sum("nonsense"))
        with pytest.raises(FieldError, match="unique"):
            await empty.in_bulk([1], field_name="title")
        with pytest.raises(TypeError):
            await empty[:2].in_bulk([1])
        with pytest.raises(FieldError):
            empty.values_list("id", "title", flat=True)
        with pytest.raises(FieldError, match="nonsense"):
            await empty.values("nonsense")
        with pytest.raises(FieldError, match="nonsense"):
            await empty.get(nonsense=1)
        assert seen == []


async def test_none_needs_no_open_database() -> None:
    orm.set_default(None)
    assert await Author.none() == []
    assert await Author.none().count() == 0
    assert await Author.none().aggregate(n=orm.Count("id")) == {"n": 0}
    with pytest.raises(FieldError, match="nonsense"):
        await Author.none().filter(nonsense=2)


async def test_an_expression_over_aggregates_of_none_is_the_databases_over_no_row(
    url: str,
) -> None:
    async with opened(url) as db:
        await _rows()
        seen = _watch(db)
        found = await Post.none().aggregate(
            plus=orm.Count("id") + 1, twice=orm.Sum("views") * 2, n=orm.Count("id")
        )
        assert found == {"plus": 0 + 1, "twice": None, "n": 0}
        assert len(seen) == 1  # Django runs that one too (over no row)
