"""``values(...).annotate(...)`` groups by the named values, and filters on annotations are
HAVING conditions: the answers Django gives, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post


async def _data() -> tuple[Author, Author, Author]:
    """Ada: 3 posts (views 0, 1, 2; Bob edits two); Bob: 1 post (views 10); Cy: none.
    Bob and Cy share rating 3."""
    ada = await Author.create(name="Ada", rating=1)
    bob = await Author.create(name="Bob", rating=3)
    cy = await Author.create(name="Cy", rating=3)
    for index in range(3):
        await Post.create(
            title=f"a{index}", author=ada, views=index, editor=bob if index < 2 else None
        )
    await Post.create(title="b", author=bob, views=10)
    return ada, bob, cy


def _ints(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sums come back as int or Decimal depending on the database."""
    return [
        {k: int(v) if k in ("total", "top") and v is not None else v for k, v in r.items()}
        for r in rows
    ]


async def test_values_then_annotate_groups(url: str) -> None:
    async with opened(url):
        ada, bob, _ = await _data()
        rows = (
            await Post.all().values("author_id").annotate(n=orm.Count("id")).order_by("author_id")
        )
        assert rows == [{"author_id": ada.id, "n": 3}, {"author_id": bob.id, "n": 1}]
        tuples = (
            await Post.values_list("author_id").annotate(n=orm.Count("id")).order_by("author_id")
        )
        assert tuples == [(ada.id, 3), (bob.id, 1)]
        flat = await Post.values_list("author_id", flat=True).annotate(n=orm.Count("id"))
        assert sorted(flat) == [ada.id, bob.id]
        several = await (
            Post.values("author__name")
            .annotate(n=orm.Count("id"), total=orm.Sum("views"), top=orm.Max("views"))
            .order_by("author__name")
        )
        assert _ints(several) == [
            {"author__name": "Ada", "n": 3, "total": 3, "top": 2},
            {"author__name": "Bob", "n": 1, "total": 10, "top": 10},
        ]
        # grouping by a shared value, versus annotate() first: one row per author
        by_rating = await Author.values("rating").annotate(n=orm.Count("posts")).order_by("rating")
        assert by_rating == [{"rating": 1, "n": 3}, {"rating": 3, "n": 1}]
        per_author = (
            await Author.annotate(n=orm.Count("posts"))
            .values("rating", "n")
            .order_by("rating", "-n")
        )
        assert per_author == [{"rating": 1, "n": 3}, {"rating": 3, "n": 1}, {"rating": 3, "n": 0}]
        # chained annotate() after values() adds a key; values() after it picks among them
        chained = (
            await Post.values("author_id")
            .annotate(n=orm.Count("id"))
            .annotate(top=orm.Max("views"))
            .order_by("n")
        )
        assert _ints(chained) == [
            {"author_id": bob.id, "n": 1, "top": 10},
            {"author_id": ada.id, "n": 3, "top": 2},
        ]
        picked = (
            await Post.values("author_id").annotate(n=orm.Count("id")).values("n").order_by("n")
        )
        assert picked == [{"n": 1}, {"n": 3}]
        # a non-aggregate annotation joins the group, as in Django
        mixed = Post.values("author_id").annotate(n=orm.Count("id")).annotate(v=orm.F("editor_id"))
        assert sorted(await mixed, key=lambda r: (r["author_id"], r["n"])) == [
            {"author_id": ada.id, "n": 1, "v": None},
            {"author_id": ada.id, "n": 2, "v": bob.id},
            {"author_id": bob.id, "n": 1, "v": None},
        ]
        who = Post.annotate(n=orm.Count("tags"), who=orm.F("author__name")).order_by("title")
        assert [(p.title, p.n, p.who) for p in await who] == [  # type: ignore[attr-defined]
            ("a0", 0, "Ada"),
            ("a1", 0, "Ada"),
            ("a2", 0, "Ada"),
            ("b", 0, "Bob"),
        ]
        # ordering by a field outside the group adds it to the group, as in Django
        assert (
            len(await Post.values("author_id").annotate(n=orm.Count("id")).order_by("title")) == 4
        )
        # a plain values() of the same shape is still ungrouped (no shared statement text)
        assert len(await Post.values("author_id")) == 4
        assert len(await Post.values("author_id").annotate(n=orm.Count("id"))) == 2
        assert len(await Post.values("author_id")) == 4


async def test_null_group_keys_and_empty_results(url: str) -> None:
    async with opened(url):
        _, bob, _ = await _data()
        rows = await Post.values("editor_id").annotate(n=orm.Count("id"))
        assert sorted(rows, key=lambda r: r["editor_id"] or 0) == [
            {"editor_id": None, "n": 2},
            {"editor_id": bob.id, "n": 2},
        ]
        names = await Post.values("editor__name").annotate(n=orm.Count("id"))
        assert sorted(names, key=lambda r: r["editor__name"] or "") == [
            {"editor__name": None, "n": 2},
            {"editor__name": "Bob", "n": 2},
        ]
        assert await Post.values("editor_id").annotate(n=orm.Count("id")).count() == 2
        empty = Post.filter(views__gt=100).values("author_id").annotate(n=orm.Count("id"))
        assert await empty == []
        assert await empty.count() == 0
        assert not await empty.exists()
        assert await Author.annotate(n=orm.Count("posts")).filter(n__gt=10) == []


async def _names(qs: Any) -> list[str]:
    return sorted(a.name for a in await qs)


async def test_filter_on_annotation_is_having(url: str) -> None:
    async with opened(url):
        ada, bob, _ = await _data()
        counted = Author.annotate(n=orm.Count("posts"))
        assert await _names(counted.filter(n__gt=1)) == ["Ada"]
        assert await _names(counted.filter(n__gte=1)) == ["Ada", "Bob"]
        assert await _names(counted.filter(n=0)) == ["Cy"]
        assert await _names(counted.filter(n__exact=3)) == ["Ada"]
        assert await _names(counted.filter(n__lt=3)) == ["Bob", "Cy"]
        assert await _names(counted.filter(n__lte=1)) == ["Bob", "Cy"]
        assert await _names(counted.filter(n__in=[0, 1])) == ["Bob", "Cy"]
        assert await _names(counted.filter(n__in=[])) == []
        assert await _names(counted.filter(n__range=(1, 2))) == ["Bob"]
        assert await _names(counted.exclude(n__gt=1)) == ["Bob", "Cy"]
        assert await _names(counted.filter(orm.Q(n__gt=2) | orm.Q(n=0))) == ["Ada", "Cy"]
        assert await _names(counted.filter(~orm.Q(n=1))) == ["Ada", "Cy"]
        # OR/NOT mixing it with a grouped field's condition: all of it in HAVING
        assert await _names(counted.filter(orm.Q(n__gt=1) | orm.Q(name="Cy"))) == ["Ada", "Cy"]
        assert await _names(counted.exclude(orm.Q(n__gt=1) | orm.Q(rating__gte=3))) == []
        assert await _names(counted.filter(~orm.Q(n=1, rating=3))) == ["Ada", "Cy"]
        either = Post.values("author_id").annotate(n=orm.Count("id"))
        either = either.filter(orm.Q(n__gt=2) | orm.Q(author_id=bob.id)).order_by("n")
        assert await either == [{"author_id": bob.id, "n": 1}, {"author_id": ada.id, "n": 3}]
        # a filter before annotate() across the counted relation: only matching rows count
        early = Author.filter(posts__views__gt=0).annotate(n=orm.Count("posts")).order_by("name")
        assert [(a.name, a.n) for a in await early] == [("Ada", 2), ("Bob", 1)]  # type: ignore[attr-defined]
        # exclude() after it is a subquery, as in Django: the count is of all posts
        late = counted.exclude(posts__views=0).order_by("name")
        assert [(a.name, a.n) for a in await late] == [("Bob", 1), ("Cy", 0)]  # type: ignore[attr-defined]
        # a column condition beside it stays a WHERE (ANDed)
        assert await _names(counted.filter(n__gte=1, rating=3)) == ["Bob"]
        assert await _names(counted.filter(orm.Q(n__gte=1) & orm.Q(name="Ada"))) == ["Ada"]
        assert await _names(counted.filter(rating=3).exclude(n=0)) == ["Bob"]
        top = Author.annotate(top=orm.Max("posts__views"))
        assert await _names(top.filter(top__isnull=True)) == ["Cy"]
        assert await _names(top.filter(top__isnull=False)) == ["Ada", "Bob"]
        rows = await counted.filter(n__gte=0).order_by("-n", "name").values("name", "n")
        assert rows == [{"name": "Ada", "n": 3}, {"name": "Bob", "n": 1}, {"name": "Cy", "n": 0}]
        grouped = await Post.values("author_id").annotate(n=orm.Count("id")).filter(n__gt=1)
        assert grouped == [{"author_id": ada.id, "n": 3}]
        # a non-aggregate annotation filters rows (WHERE), as in Django
        viewed = await Post.annotate(v=orm.F("views")).filter(v__gte=2).order_by("title")
        assert [p.title for p in viewed] == ["a2", "b"]
        named = Post.annotate(v=orm.F("views")).filter(v__lt=orm.F("author__rating"))
        assert [p.title for p in await named.order_by("title")] == ["a0"]
        # an annotated queryset as a subquery of another
        assert await _names(Author.filter(id__in=counted.filter(n__gt=0))) == ["Ada", "Bob"]
        busy = Post.values("author_id").annotate(n=orm.Count("id")).filter(n__gt=1)
        assert await _names(Author.filter(id__in=busy.values("author_id"))) == ["Ada"]
        # compared with a grouped field, or with an aggregate
        assert await _names(counted.filter(n__gt=orm.F("rating"))) == ["Ada"]
        assert await _names(counted.filter(n__lt=orm.F("rating") - 1)) == ["Bob", "Cy"]


async def test_count_exists_aggregate_and_writes_on_groups(url: str) -> None:
    async with opened(url):
        await _data()
        counted = Author.annotate(n=orm.Count("posts"))
        assert await counted.count() == 3
        assert await counted.filter(n__gt=1).count() == 1
        assert await counted.filter(n__gt=1).exists()
        assert not await counted.filter(n__gt=5).exists()
        assert await counted.filter(n__gte=1)[:1].count() == 1
        assert await Post.values("author_id").annotate(n=orm.Count("id")).count() == 2
        assert await Post.values("author_id").annotate(n=orm.Count("id")).filter(n=1).count() == 1
        assert await Author.values("rating").annotate(n=orm.Count("posts")).count() == 2
        summary = await counted.aggregate(
            top=orm.Max("n"), total=orm.Sum("n"), groups=orm.Count("*")
        )
        assert {k: int(v) for k, v in summary.items()} == {"top": 3, "total": 4, "groups": 3}
        few = await counted.filter(n__lt=3).aggregate(top=orm.Max("n"), low=orm.Min("rating"))
        assert {k: int(v) for k, v in few.items()} == {"top": 1, "low": 3}
        per = await Post.values("author_id").annotate(n=orm.Count("id")).aggregate(m=orm.Min("n"))
        assert per == {"m": 1}
        nothing = await counted.filter(n__gt=9).aggregate(top=orm.Max("n"), c=orm.Count("*"))
        assert nothing == {"top": None, "c": 0}
        # a write through a HAVING filter touches only the matching rows
        assert await counted.filter(n=0).update(rating=7) == 1
        assert await counted.filter(n=0).delete() == 1
        assert await _names(Author.all()) == ["Ada", "Bob"]


async def test_refused_with_a_clear_error(url: str) -> None:
    async with opened(url):
        await _data()
        counted = Author.annotate(n=orm.Count("posts"))
        with pytest.raises(FieldError, match="not on grouped fields"):
            await counted.filter(orm.Q(n__gt=1) | orm.Q(edited__views=10))
        with pytest.raises(FieldError, match="not on grouped fields"):
            await counted.exclude(orm.Q(n__gt=1) | orm.Q(posts__views__gt=5))
        by_author = Post.values("author_id").annotate(n=orm.Count("id"))
        with pytest.raises(FieldError, match="not on grouped fields"):
            await by_author.filter(orm.Q(n__gt=2) | orm.Q(views=10))
        with pytest.raises(FieldError, match="not on grouped fields"):
            await by_author.filter(orm.Q(n__gt=2) | orm.Q(author_id=orm.F("views")))
        with pytest.raises(FieldError, match="not a grouped field"):
            await counted.filter(n__gt=orm.F("posts__views"))
        with pytest.raises(FieldError, match="not a grouped field"):
            await by_author.filter(n__gt=orm.F("views"))
        with pytest.raises(FieldError, match="grouped fields"):
            by_author.values("author_id", "views")
        with pytest.raises(FieldError, match="grouped fields"):
            by_author.values_list()
        with pytest.raises(FieldError, match="one field"):
            await Author.filter(id__in=by_author)
        with pytest.raises(FieldError, match="join 'posts' again"):
            await counted.filter(posts__views__gt=0)
        with pytest.raises(FieldError, match="join 'posts' again"):
            await counted.filter(orm.Q(posts__views=0) | orm.Q(rating=1))
        with pytest.raises(FieldError, match="lookup"):
            await counted.filter(n__contains="1")
        with pytest.raises(FieldError, match="lookup"):
            await counted.filter(n__gt__lt=1)
        with pytest.raises(FieldError, match="no field or relation 'm'"):
            await counted.filter(m__gt=1)
        with pytest.raises(FieldError):
            await counted.filter(n__gt=None)
        with pytest.raises(FieldError):
            Author.annotate(**{"n__gt": orm.Count("posts")})
        with pytest.raises(FieldError):
            Author.annotate(**{"n; DROP TABLE x": orm.Count("posts")})
        with pytest.raises(FieldError, match="values"):
            counted.values("rating").annotate(m=orm.Count("posts"))
        with pytest.raises(FieldError, match="aggregate"):
            await counted.aggregate(x=orm.Max("posts__views"))
        with pytest.raises(FieldError, match="aggregate"):
            await counted.only("name").aggregate(x=orm.Max("rating"))
        with pytest.raises(FieldError):
            await Post.values("author_id").annotate(n=orm.Count("id")).delete()
        assert await Author.count() == 3


async def test_values_are_bound(url: str) -> None:
    async with opened(url):
        for dialect in ("sqlite", "postgres", "mysql"):
            text, params = Author.annotate(n=orm.Count("posts")).filter(n__gt=41).compile(dialect)
            assert "HAVING" in text and "41" not in text and params == [41]


async def test_cached_grouped_query_is_dropped_by_writes_to_the_counted_table(url: str) -> None:
    async with opened(url):
        orm.query_cache.clear()
        _, _, cy = await _data()
        counted = Author.annotate(n=orm.Count("posts")).order_by("name")
        cached = counted.values_list("name", "n").cached(ttl=60)
        assert await cached == [("Ada", 3), ("Bob", 1), ("Cy", 0)]
        await Post.create(title="c", author=cy)  # a write to the table the Count reads
        assert await cached == [("Ada", 3), ("Bob", 1), ("Cy", 1)]
        having = Author.annotate(n=orm.Count("posts")).filter(n__gte=1).cached(ttl=60)
        assert await _names(having) == ["Ada", "Bob", "Cy"]
