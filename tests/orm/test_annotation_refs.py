"""``F("alias")`` naming an earlier annotation, in a later ``annotate()`` (or later in the
same call), a ``filter()``, a ``When()``, ``order_by()`` and ``update()``, as Django allows:
the alias stands for its expression, so its type is carried (a decimal alias times a float
is refused as the decimal itself is) and an aggregate alias keeps the query grouped. Answers
computed in Python from the inserted rows, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Everything, Post

F = orm.F
VIEWS = {"a": 4, "b": 11, "c": 0, "d": 25}


async def _posts() -> None:
    ann = await Author.create(name="ann", rating=2)
    bob = await Author.create(name="bob", rating=9)
    for title, views in VIEWS.items():
        await Post.create(title=title, views=views, author=ann if views % 2 == 0 else bob)


async def test_an_alias_in_a_later_annotate(url: str) -> None:
    async with opened(url):
        await _posts()
        chained = Post.annotate(a=F("views") * 2).annotate(b=F("a") + 1)
        found = await chained.order_by("title").values_list("title", "a", "b")
        assert found == [(t, v * 2, v * 2 + 1) for t, v in sorted(VIEWS.items())]
        same_call = Post.annotate(a=F("views") - 3, b=F("a") * F("a"))
        assert dict(await same_call.values_list("title", "b")) == {
            t: (v - 3) ** 2 for t, v in VIEWS.items()
        }
        # through the alias of an alias
        deep = Post.annotate(a=F("views")).annotate(b=F("a") * 3).annotate(c=F("b") - F("a"))
        assert dict(await deep.values_list("title", "c")) == {t: 2 * v for t, v in VIEWS.items()}
        instances = await Post.annotate(a=F("views") + 1).annotate(b=F("a") * 10).order_by("b")
        assert [(p.title, p.b) for p in instances] == sorted(
            ((t, (v + 1) * 10) for t, v in VIEWS.items()), key=lambda x: x[1]
        )


async def test_an_aggregate_alias_keeps_the_query_grouped(url: str) -> None:
    async with opened(url):
        await _posts()
        counted = Author.annotate(n=orm.Count("posts"), total=orm.Sum("posts__views"))
        doubled = counted.annotate(m=F("n") * 2, mean=F("total") / F("n"))
        found = await doubled.order_by("name").values_list("name", "m", "mean")
        by_author = {
            "ann": [v for v in VIEWS.values() if v % 2 == 0],
            "bob": [v for v in VIEWS.values() if v % 2],
        }
        assert found == [
            (name, 2 * len(views), sum(views) // len(views)) for name, views in by_author.items()
        ]
        for bound in (2, 4):
            kept = await doubled.filter(m__gt=bound).order_by("name").values_list("name", flat=True)
            assert kept == [name for name, views in by_author.items() if 2 * len(views) > bound]


async def test_an_alias_in_filter_when_order_and_update(url: str) -> None:
    async with opened(url):
        await _posts()
        qs = Post.annotate(a=F("views") * 2)
        assert sorted(await qs.filter(views__lt=F("a") - 10).values_list("title", flat=True)) == [
            t for t, v in sorted(VIEWS.items()) if v < 2 * v - 10
        ]
        assert sorted(await qs.filter(a__gt=F("views")).values_list("title", flat=True)) == [
            t for t, v in sorted(VIEWS.items()) if 2 * v > v
        ]
        labelled = qs.annotate(
            size=orm.Case(
                orm.When(views__gte=F("a") - 20, then=orm.Value("small")),
                default=orm.Value("big"),
            )
        )
        assert dict(await labelled.values_list("title", "size")) == {
            t: "small" if v >= 2 * v - 20 else "big" for t, v in VIEWS.items()
        }
        ordered = (
            await Post.annotate(a=10 - F("views"))
            .annotate(b=F("a") * F("a"))
            .order_by("-b", "title")
        )
        assert [p.title for p in ordered] == [
            t for t, _ in sorted(VIEWS.items(), key=lambda x: (-((10 - x[1]) ** 2), x[0]))
        ]
        assert await qs.filter(views__gt=0).update(views=F("a") + 1) == 3
        assert dict(await Post.values_list("title", "views")) == {
            t: (2 * v + 1 if v > 0 else 0) for t, v in VIEWS.items()
        }
        with pytest.raises(FieldError, match="aggregate"):
            await Author.annotate(n=orm.Count("posts")).update(rating=F("n"))


async def test_an_alias_carries_its_type(url: str) -> None:
    async with opened(url):
        await Everything.create(id=1, price=Decimal("2.125"), ratio=0.5, big=7)
        qs = Everything.annotate(p=F("price") * 2)
        assert await qs.annotate(q=F("p") + 1).values_list("q", flat=True) == [Decimal("5.250")]
        with pytest.raises(FieldError, match="decimal and a float"):
            await qs.annotate(bad=F("p") * F("ratio")).values_list("bad", flat=True)
        with pytest.raises(FieldError, match=r"Everything.*nonsense"):
            await qs.annotate(bad=F("nonsense") * 2)
        with pytest.raises(FieldError, match=r"Everything.*nonsense"):
            await qs.filter(big__gt=F("nonsense"))


async def test_an_aggregate_alias_in_a_having_condition(url: str) -> None:
    async with opened(url):
        await _posts()
        counted = Author.annotate(n=orm.Count("posts"), most=orm.Max("posts__views"))
        by_author = {
            "ann": [v for v in VIEWS.values() if v % 2 == 0],
            "bob": [v for v in VIEWS.values() if v % 2],
        }
        found = (
            await counted.filter(most__gt=F("n") * 10)
            .order_by("name")
            .values_list("name", flat=True)
        )
        assert found == [n for n, views in by_author.items() if max(views) > 10 * len(views)]


async def test_an_aggregate_over_an_alias(url: str) -> None:
    """``Sum("t")`` (or ``Sum(F("t") + 1)``) where ``t`` is a row annotation aggregates its
    expression, grouped by ``values()`` or over all rows, with ``filter=`` and ``distinct=``
    kept, as Django does; an alias of an aggregate cannot be aggregated again."""
    async with opened(url):
        await _posts()
        by_author = {"ann": [4, 0], "bob": [11, 25]}
        doubled = Post.annotate(t=F("views") * 2)
        grouped = doubled.values("author__name").annotate(s=orm.Sum("t")).order_by("author__name")
        assert [(r["author__name"], r["s"]) for r in await grouped] == [
            (name, 2 * sum(views)) for name, views in sorted(by_author.items())
        ]
        kept = doubled.values("author__name").annotate(
            s=orm.Sum(F("t") + 1, filter=orm.Q(views__gt=3)),
            n=orm.Count("t", distinct=True),
        )
        assert sorted((r["author__name"], r["s"], r["n"]) for r in await kept) == [
            ("ann", 9, 2),
            ("bob", 74, 2),
        ]
        assert await doubled.aggregate(s=orm.Sum("t"), m=orm.Max("t")) == {
            "s": 2 * sum(VIEWS.values()),
            "m": 2 * max(VIEWS.values()),
        }
        counted = Post.values("author__name").annotate(c=orm.Count("id"))
        with pytest.raises(FieldError, match="'c' is an aggregate"):
            await counted.annotate(s=orm.Sum("c"))
