"""``Sum(Case(When(<to-many condition>, then=...), default=0))``, Django's conditional sum
over a relation's rows (``Author.annotate(hits=Sum(Case(When(posts__views__gt=0, then=1),
default=0)))``), was refused ("a When() ... reads a to-many relation"). In an aggregate's
argument the When reads the joined rows one by one, as Django's does: an author without
posts is its one LEFT JOINed row of NULLs, so the default (0, not None); a NOT is the row's
own (Django's When compiles without the exclude() subquery: a NULL row passes it). Outside
an aggregate it is still refused, now naming the alternatives; a second to-many join still
multiplies, and is refused."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post

C, W, F, Q = orm.Case, orm.When, orm.F, orm.Q

#: name, rating, the views of each post
AUTHORS = [("a", 2, [0, 1, 2]), ("b", 3, []), ("c", 0, [0]), ("d", 1, [5, 1])]


def _django(name: str) -> list[tuple[str, object]]:
    """Django's answer per author: each aggregate over the author's LEFT JOINed post rows
    (one row of NULLs when it has none)."""
    out = []
    for author, rating, views in AUTHORS:
        rows: list[int | None] = list(views) or [None]
        if name == "hits":
            value: object = sum(1 if v is not None and v > 0 else 0 for v in rows)
        elif name == "views":
            value = sum(v if v is not None and v > 0 else 0 for v in rows)
        elif name == "counted":
            value = sum(1 for v in rows if v is not None and v > 0)
        elif name == "not_one":  # NOT (views = 1 AND views IS NOT NULL)
            value = sum(0 if v is not None and v == 1 else 1 for v in rows)
        elif name == "ratings":
            value = sum(rating if v is not None and v > 0 else 0 for v in rows)
        else:  # "max": None over no matching row
            found = [v for v in rows if v is not None and v > 0]
            value = max(found) if found else None
        out.append((author, value))
    return out


EXPRESSIONS = {
    "hits": orm.Sum(C(W(posts__views__gt=0, then=1), default=0)),
    "views": orm.Sum(C(W(posts__views__gt=0, then=F("posts__views")), default=0)),
    "counted": orm.Count(C(W(posts__views__gt=0, then=1))),
    "not_one": orm.Sum(C(W(~Q(posts__views=1), then=1), default=0)),
    "ratings": orm.Sum(C(W(posts__views__gt=0, then=F("rating")), default=0)),
    "max": orm.Max(C(W(posts__views__gt=0, then=F("posts__views")))),
}


async def _made() -> None:
    for name, rating, views in AUTHORS:
        author = await Author.create(name=name, rating=rating)
        for n, v in enumerate(views):
            await Post.create(title=f"{name}{n}", author=author, views=v)


@pytest.mark.parametrize("name", list(EXPRESSIONS))
async def test_an_aggregate_of_a_case_reads_the_related_rows(url: str, name: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.annotate(x=EXPRESSIONS[name]).order_by("name")
        assert await qs.values_list("name", "x") == _django(name)
        assert [(a.name, a.x) for a in await qs] == _django(name)


async def test_over_all_rows_and_filtered(url: str) -> None:
    async with opened(url):
        await _made()
        total = await Author.all().aggregate(t=EXPRESSIONS["hits"])
        assert total == {"t": sum(v for _, v in _django("hits"))}  # type: ignore[misc]
        kept = Author.annotate(x=EXPRESSIONS["hits"]).filter(x__gte=1).order_by("name")
        assert await kept.values_list("name", flat=True) == [
            a
            for a, v in _django("hits")
            if v >= 1  # type: ignore[operator]
        ]


async def test_still_refused_where_the_join_repeats_rows(url: str) -> None:
    async with opened(url):
        await _made()
        with pytest.raises(FieldError, match=r"outside an aggregate.*Sum\(Case"):
            await Author.annotate(x=C(W(posts__views__gt=0, then=1), default=0))
        with pytest.raises(FieldError, match="multiply"):
            await Author.annotate(x=EXPRESSIONS["hits"], n=orm.Count("clubs"))
        with pytest.raises(FieldError, match="multiply"):
            await Post.annotate(
                x=orm.Sum(C(W(tags__label="x", then=1), default=0)), n=orm.Count("author__clubs")
            )


async def test_filters_before_and_excludes_after(url: str) -> None:
    """A filter() before annotate() picks the joined rows the sum reads (Django reuses its
    join); an exclude() after it drops whole authors (a subquery, no second join)."""
    async with opened(url):
        await _made()
        hits = EXPRESSIONS["hits"]
        before = Author.filter(posts__views__lt=2).annotate(x=hits).order_by("name")
        assert await before.values_list("name", "x") == [
            (a, sum(1 for v in views if 0 < v < 2))
            for a, _, views in AUTHORS
            if any(v < 2 for v in views)
        ]
        after = Author.annotate(x=hits).exclude(posts__views=2).order_by("name")
        assert await after.values_list("name", "x") == [
            (a, v)
            for (a, v), (_, _, views) in zip(_django("hits"), AUTHORS, strict=True)
            if 2 not in views
        ]
