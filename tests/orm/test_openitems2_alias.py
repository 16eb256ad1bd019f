"""Django's ``QuerySet.alias(**expressions)``: an annotation that is not selected. It is
named in ``filter()``, ``exclude()``, ``order_by()``, ``annotate()``, ``aggregate()`` and
before ``update()``, as in Django; it is no attribute of the instances and no key of
``values()``, and ``values('<alias>')`` is refused, as Django refuses it ("use annotate() to
promote it"). It was refused altogether (FieldError "alias() ... is not supported"). As
``dates()``, it is a QuerySet method only (``Author.all().alias(...)``): the model class
leaves ``alias`` free as a field name (test_explore9_django_walkthrough)."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post

F, Q = orm.F, orm.Q

#: author name, rating, the views of each of their posts
AUTHORS = [("ann", 3, [5, 1]), ("Bob", 1, []), ("cid", 2, [7]), ("Dee", 5, [2, 2, 9])]


async def _made() -> dict[str, Author]:
    made = {}
    for name, rating, views in AUTHORS:
        author = await Author.create(name=name, rating=rating)
        for n, v in enumerate(views):
            await Post.create(title=f"{name}{n}", author=author, views=v)
        made[name] = author
    return made


async def test_an_aggregate_alias_filters_and_is_not_read(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.all().alias(n=orm.Count("posts")).filter(n__gt=1).order_by("name")
        got = await qs
        assert [a.name for a in got] == sorted(
            (a for a, _, v in AUTHORS if len(v) > 1), key=lambda s: s
        )
        assert not any(hasattr(a, "n") for a in got)
        rows = await qs.values()
        assert rows and all("n" not in row for row in rows)
        assert await qs.count() == 2
        excluded = Author.all().alias(n=orm.Count("posts")).exclude(n=0).order_by("name")
        assert await excluded.values_list("name", flat=True) == sorted(
            a for a, _, v in AUTHORS if v
        )


async def test_an_alias_orders_and_feeds_annotate_and_aggregate(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.all().alias(score=F("rating") * -1).order_by("score")
        assert [a.name for a in await qs] == [
            a for a, _, _ in sorted(AUTHORS, key=lambda row: -row[1])
        ]
        assert await qs.values_list("name", flat=True) == [a.name for a in await qs]
        twice = Author.all().alias(x=F("rating") * 2).annotate(y=F("x") + 1).order_by("id")
        assert await twice.values_list("y", flat=True) == [r * 2 + 1 for _, r, _ in AUTHORS]
        got = await twice
        assert [g.y for g in got] == [r * 2 + 1 for _, r, _ in AUTHORS]
        assert not any(hasattr(g, "x") for g in got)
        rows = await twice.values()
        assert all("x" not in row and "y" in row for row in rows)
        total = await Author.all().alias(x=F("rating") * 2).aggregate(t=orm.Sum("x"))
        assert total == {"t": sum(r * 2 for _, r, _ in AUTHORS)}


async def test_an_alias_selects_rows_to_update(url: str) -> None:
    async with opened(url):
        await _made()
        changed = await Author.all().alias(x=F("rating") * 2).filter(x__gte=5).update(rating=0)
        assert changed == sum(1 for _, r, _ in AUTHORS if r * 2 >= 5)
        got = dict(await Author.all().values_list("name", "rating"))
        assert got == {a: (0 if r * 2 >= 5 else r) for a, r, _ in AUTHORS}
        n = await Author.all().alias(n=orm.Count("posts")).filter(n=0).update(rating=9)
        assert n == 1
        assert await Author.filter(rating=9).values_list("name", flat=True) == ["Bob"]


async def test_distinct_rows_order_by_an_alias(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.filter(posts__views__gt=1).alias(r=-F("rating")).order_by("r").distinct()
        expected = sorted(
            {(a, r) for a, r, v in AUTHORS if any(x > 1 for x in v)}, key=lambda t: -t[1]
        )
        assert [a.name for a in await qs] == [a for a, _ in expected]


@pytest.mark.parametrize("kind", ["values", "values_list"])
async def test_reading_an_alias_is_refused_naming_annotate(url: str, kind: str) -> None:
    async with opened(url):
        qs = Author.all().alias(x=F("rating") * 2)
        with pytest.raises(FieldError, match=r"alias.*annotate\(\)"):
            await getattr(qs, kind)("name", "x")


async def test_annotate_promotes_an_alias(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Author.all().alias(x=F("rating") * 2).annotate(x=F("x")).order_by("id")
        assert [a.x for a in await qs] == [r * 2 for _, r, _ in AUTHORS]
        assert await qs.values_list("x", flat=True) == [r * 2 for _, r, _ in AUTHORS]


async def test_an_alias_after_values_groups_without_being_read(url: str) -> None:
    async with opened(url):
        await _made()
        qs = Post.all()
        rows = await (
            qs.values("author__name")
            .alias(n=orm.Count("id"))
            .filter(n__gt=1)
            .order_by("author__name")
        )
        assert rows == [{"author__name": a} for a, _, v in sorted(AUTHORS) if len(v) > 1]


async def test_a_related_manager_takes_alias(url: str) -> None:
    async with opened(url):
        made = await _made()
        dee = made["Dee"]
        found = dee.posts.alias(v2=F("views") * 2).filter(v2__gt=4).order_by("id")
        assert await found.values_list("views", flat=True) == [
            v for v in AUTHORS[3][2] if v * 2 > 4
        ]


async def test_distinct_values_ordered_by_an_alias_name_annotate(url: str) -> None:
    """Distinct values() rows cannot be ordered by a value they do not hold; for an alias
    the refusal said "select it too", which values() then refuses: it names annotate()."""
    async with opened(url):
        qs = Author.all().alias(x=F("rating") * 2).values("name").distinct().order_by("x")
        with pytest.raises(FieldError, match=r"alias\(\) is not read: annotate\(x="):
            await qs


async def test_aggregate_over_an_alias_read_as_a_subquery(url: str) -> None:
    """aggregate() over an aggregate alias, or over a sliced queryset's alias, reads the
    rows as a subquery, which did not select the alias (a ProgrammingError: no such
    column grouped.n)."""
    async with opened(url):
        await _made()
        counts = [len(v) for _, _, v in AUTHORS]
        most = await Author.all().alias(n=orm.Count("posts")).aggregate(m=orm.Max("n"))
        assert most == {"m": max(counts)}
        sliced = Author.all().alias(x=F("rating") * 2).order_by("id")[:2]
        assert await sliced.aggregate(s=orm.Sum("x")) == {
            "s": sum(r * 2 for _, r, _ in AUTHORS[:2])
        }
        grouped = Post.all().values("author").alias(n=orm.Count("id"))
        assert await grouped.aggregate(m=orm.Max("n")) == {"m": max(counts)}
