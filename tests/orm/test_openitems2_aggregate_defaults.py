"""Django's ``default=`` of an aggregate (4.0): ``Sum("posts__views", default=0)`` answers
0, not None, over no rows; Django computes it as ``Coalesce(Sum(...), 0)``, and names an
unnamed one as it names the aggregate (``views__sum``). ``Count`` takes none (it is 0 over
no rows), and Django refuses it. It was a TypeError (no such argument)."""

from __future__ import annotations

import decimal

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Everything, Post

F, Q = orm.F, orm.Q


async def _made() -> None:
    ann = await Author.create(name="ann", rating=2)
    await Author.create(name="bob", rating=3)
    for views in (4, 6):
        await Post.create(title=f"t{views}", author=ann, views=views)


async def test_annotations_default_over_no_rows(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.annotate(
            total=orm.Sum("posts__views", default=0),
            most=orm.Max("posts__views", default=-1),
            kept=orm.Sum("posts__views", filter=Q(posts__views__gt=5), default=0),
            spread=orm.StdDev("posts__views", default=0.0),
        ).order_by("name")
        got = await qs.values_list("name", "total", "most", "kept", "spread")
        assert got == [("ann", 10, 6, 6, 1.0), ("bob", 0, -1, 0, 0.0)]
        assert await qs.filter(total=0).values_list("name", flat=True) == ["bob"]


async def test_aggregate_defaults_and_default_names(url: str) -> None:
    async with opened(url):
        await _made()
        none = Post.filter(views__gt=100)
        got = await none.aggregate(orm.Sum("views", default=0), low=orm.Min("views", default=7))
        assert got == {"views__sum": 0, "low": 7}
        assert await Post.all().aggregate(orm.Avg("views", default=0.0)) == {"views__avg": 5.0}
        assert await Post.none().aggregate(s=orm.Sum("views", default=5)) == {"s": 5}
        await Everything.create(id=1)
        price = await Everything.filter(id=2).aggregate(p=orm.Sum("price", default=0))
        assert price == {"p": 0} and type(price["p"]) in (int, decimal.Decimal)


async def test_refused(url: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match="Count"):
            orm.Count("posts", default=1)
        with pytest.raises(FieldError):
            await Post.all().aggregate(s=orm.Sum("views", default="none"))
        with pytest.raises(FieldError, match="Avg of decimals takes none"):
            await Everything.all().aggregate(p=orm.Avg("price", default=0))
