"""``Subquery``, ``OuterRef`` and ``Exists`` in ``annotate()``, ``filter()``, ``order_by()`` and
``values()``: every answer computed in Python from the rows the test inserted, the same on
SQLite, PostgreSQL and MariaDB (a Subquery's values typed as its column's: a datetime from
SQLite's text, a bool from MariaDB's int), and the subqueries with no one answer refused when
they are built (several columns, no slice of one row), never run and cut to a first row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Everything, Post

POSTS = [  # (author, title, views, editor)
    ("Ada", "a1", 3, "Bob"),
    ("Ada", "a2", 9, None),
    ("Ada", "a3", 1, "Ada"),
    ("Bob", "b1", 7, None),
    ("Dee", "d1", 2, "Ada"),
    ("Dee", "d2", 2, None),
]
AUTHORS = {"Ada": 1, "Bob": 2, "Cy": 2, "Dee": 4}  # name -> rating; Cy has no post
MOMENTS = {  # Everything.small (matched with Author.rating) -> naive datetime, date
    1: (dt.datetime(2024, 2, 29, 23, 59, 58, 123456), dt.date(2024, 2, 29)),
    2: (dt.datetime(1999, 12, 31, 0, 0, 1), dt.date(2000, 1, 1)),
}


async def _data() -> None:
    authors = {name: await Author.create(name=name, rating=r) for name, r in AUTHORS.items()}
    for name, title, views, editor in POSTS:
        await Post.create(
            title=title,
            views=views,
            author=authors[name],
            editor=authors[editor] if editor else None,
        )
    for small, (naive, day) in MOMENTS.items():
        await Everything.create(id=small, small=small, naive=naive, day=day)


def _posts(author: str) -> list[tuple[str, str, int, str | None]]:
    return [p for p in POSTS if p[0] == author]


def _top(author: str) -> tuple[str, str, int, str | None] | None:
    """The author's most viewed post, the later title first among equals."""
    found = sorted(_posts(author), key=lambda p: (p[2], p[1]), reverse=True)
    return found[0] if found else None


def _top_query(column: str) -> Any:
    return orm.Subquery(
        Post.filter(author=orm.OuterRef("pk")).order_by("-views", "-title").values(column)[:1]
    )


async def test_subquery_annotation_values_order_and_filter(url: str) -> None:
    async with opened(url):
        await _data()
        rows = await (
            Author.annotate(top=_top_query("title"), most=_top_query("views"))
            .values("name", "top", "most")
            .order_by("name")
        )
        expected = []
        for name in sorted(AUTHORS):
            top = _top(name)
            expected.append({"name": name, "top": top and top[1], "most": top[2] if top else None})
        assert rows == expected
        for row in rows:
            assert row["most"] is None or type(row["most"]) is int
        # ordered by the annotation (None first, as ferrule orders NULLs everywhere)
        ordered = await (
            Author.annotate(most=_top_query("views")).order_by("-most", "name").values("name")
        )
        by_most = sorted(
            AUTHORS,
            key=lambda n: (-(_top(n)[2]) if _top(n) else 1, n),  # type: ignore[index]
        )
        assert [r["name"] for r in ordered] == by_most
        # a lookup on the annotation
        many = await Author.annotate(most=_top_query("views")).filter(most__gte=3)
        assert sorted(a.name for a in many) == sorted(
            n
            for n in AUTHORS
            if _top(n) and _top(n)[2] >= 3  # type: ignore[index]
        )
        # on instances, as an attribute
        instances = await Author.annotate(top=_top_query("title")).order_by("name")
        assert [a.top for a in instances] == [e["top"] for e in expected]  # type: ignore[attr-defined]


async def test_subquery_of_the_same_table_in_filter(url: str) -> None:
    """Each post whose views are its author's top: the inner ``ormt_post`` is aliased apart
    from the outer one."""
    async with opened(url):
        await _data()
        best = Post.filter(author=orm.OuterRef("author")).order_by("-views").values("views")[:1]
        found = await Post.filter(views=orm.Subquery(best)).order_by("title")
        tops = {a: max(p[2] for p in _posts(a)) for a in {p[0] for p in POSTS}}
        assert [p.title for p in found] == sorted(p[1] for p in POSTS if p[2] == tops[p[0]])
        # an OuterRef across the outer model's forward relation
        named = Author.filter(name=orm.OuterRef("author__name")).values("rating")[:1]
        rated = await Post.annotate(r=orm.Subquery(named)).values("title", "r").order_by("title")
        assert rated == [
            {"title": p[1], "r": AUTHORS[p[0]]} for p in sorted(POSTS, key=lambda p: p[1])
        ]


async def test_subquery_result_types(url: str) -> None:
    async with opened(url):
        await _data()
        naive = Everything.filter(small=orm.OuterRef("rating")).values("naive")[:1]
        day = Everything.filter(small=orm.OuterRef("rating")).values("day")[:1]
        rows = await (
            Author.annotate(at=orm.Subquery(naive), day=orm.Subquery(day))
            .values("name", "at", "day")
            .order_by("name")
        )
        assert rows == [
            {
                "name": name,
                "at": MOMENTS[AUTHORS[name]][0] if AUTHORS[name] in MOMENTS else None,
                "day": MOMENTS[AUTHORS[name]][1] if AUTHORS[name] in MOMENTS else None,
            }
            for name in sorted(AUTHORS)
        ]
        assert type(rows[0]["at"]) is dt.datetime and type(rows[0]["day"]) is dt.date
        # an aggregate per outer row, through values().annotate() sliced to its one group
        total = (
            Post.filter(author=orm.OuterRef("pk"))
            .values("author")
            .annotate(t=orm.Sum("views"))
            .values("t")[:1]
        )
        sums = await Author.annotate(t=orm.Subquery(total)).values("name", "t").order_by("name")
        assert sums == [
            {"name": n, "t": sum(p[2] for p in _posts(n)) if _posts(n) else None}
            for n in sorted(AUTHORS)
        ]
        assert all(type(r["t"]) is int for r in sums if r["t"] is not None)


async def test_exists(url: str) -> None:
    async with opened(url):
        await _data()
        popular = orm.Exists(Post.filter(author=orm.OuterRef("pk"), views__gte=5))
        found = await Author.filter(popular).order_by("name")
        expected = sorted(n for n in AUTHORS if any(p[2] >= 5 for p in _posts(n)))
        assert [a.name for a in found] == expected
        others = await Author.filter(~popular).order_by("name")
        assert [a.name for a in others] == sorted(set(AUTHORS) - set(expected))
        excluded = await Author.exclude(popular).order_by("name")
        assert [a.name for a in excluded] == sorted(set(AUTHORS) - set(expected))
        either = await Author.filter(orm.Q(popular) | orm.Q(name="Cy")).order_by("name")
        assert [a.name for a in either] == sorted({*expected, "Cy"})
        # as an annotation: a bool on every database, and filtered by it
        rows = await (
            Author.annotate(has=popular, edits=orm.Exists(Post.filter(editor=orm.OuterRef("pk"))))
            .values("name", "has", "edits")
            .order_by("name")
        )
        assert rows == [
            {
                "name": n,
                "has": n in expected,
                "edits": any(p[3] == n for p in POSTS),
            }
            for n in sorted(AUTHORS)
        ]
        assert all(type(r["has"]) is bool for r in rows)
        flagged = await Author.annotate(has=popular).filter(has=False).order_by("name")
        assert [a.name for a in flagged] == sorted(set(AUTHORS) - set(expected))
        assert await Author.filter(popular).count() == len(expected)
        # in a When, and beside an aggregate (a WHERE, the Count's HAVING apart)
        kinds = await (
            Author.annotate(k=orm.Case(orm.When(popular, then=orm.Value("hit")), default=None))
            .values_list("name", "k")
            .order_by("name")
        )
        assert kinds == [(n, "hit" if n in expected else None) for n in sorted(AUTHORS)]
        counted = await (
            Author.annotate(n=orm.Count("posts"))
            .filter(popular, n__gte=2)
            .values_list("name", "n")
            .order_by("name")
        )
        assert counted == [(n, len(_posts(n))) for n in expected if len(_posts(n)) >= 2]


async def test_nested_outer_ref(url: str) -> None:
    """Authors with a post some post they edited outviews: the innermost query reads the
    middle one's post (OuterRef("views")) and the outermost author (OuterRef(OuterRef))."""
    async with opened(url):
        await _data()
        outviewed = orm.Exists(
            Post.filter(author=orm.OuterRef("pk")).filter(
                orm.Exists(
                    Post.filter(
                        editor__name=orm.OuterRef(orm.OuterRef("name")),
                        views__gt=orm.OuterRef("views"),
                    )
                )
            )
        )
        found = await Author.filter(outviewed).order_by("name")
        expected = sorted(
            a for a in AUTHORS if any(q[3] == a and q[2] > p[2] for p in _posts(a) for q in POSTS)
        )
        assert expected  # the data has such authors, and others
        assert [x.name for x in found] == expected


async def test_writes_with_subqueries(url: str) -> None:
    """delete() and update() of the rows a Subquery or an Exists picks (MariaDB cannot read
    the written table in the statement: ferrule names the rows first there)."""
    async with opened(url):
        await _data()
        best = Post.filter(author=orm.OuterRef("author")).order_by("-views").values("views")[:1]
        gone = await Post.filter(views=orm.Subquery(best)).delete()
        tops = {a: max(p[2] for p in _posts(a)) for a in {p[0] for p in POSTS}}
        kept = sorted(p[1] for p in POSTS if p[2] != tops[p[0]])
        assert gone == len(POSTS) - len(kept)
        assert sorted(await Post.values_list("title", flat=True)) == kept
        edits = orm.Exists(Post.filter(editor=orm.OuterRef("pk")))
        changed = await Author.filter(edits).update(rating=9)
        editors = {p[3] for p in POSTS if p[3] and p[1] in kept}
        assert changed == len(editors)
        rated = await Author.filter(rating=9).order_by("name")
        assert [a.name for a in rated] == sorted(editors)
        # update() to a Subquery: each author's rating becomes their top kept views
        top = Post.filter(author=orm.OuterRef("pk")).order_by("-views").values("views")[:1]
        writers = orm.Exists(Post.filter(author=orm.OuterRef("pk")))
        await Author.filter(writers).update(rating=orm.Subquery(top))
        ratings = await Author.values_list("name", "rating").order_by("name")
        left = {a: [p[2] for p in _posts(a) if p[1] in kept] for a in AUTHORS}
        assert ratings == [
            (a, max(left[a]) if left[a] else (9 if a in editors else AUTHORS[a]))
            for a in sorted(AUTHORS)
        ]
        with pytest.raises(FieldError, match="compare"):
            await Author.all().update(rating=orm.Subquery(Post.values("title")[:1]))


async def test_in_takes_a_subquery_of_several_rows(url: str) -> None:
    """``__in`` reads every row of a Subquery (Django's rule), correlated or not, as it reads a
    QuerySet; anywhere else a Subquery is one value, and one of several rows is refused."""
    async with opened(url):
        await _data()
        rated = orm.Subquery(Author.filter(rating=2).values("id"))
        titles = (
            await Post.filter(author__in=rated).order_by("title").values_list("title", flat=True)
        )
        assert titles == sorted(t for a, t, _, _ in POSTS if AUTHORS[a] == 2)
        same = await Post.filter(author__in=Author.filter(rating=2).values("id")).order_by("title")
        assert [p.title for p in same] == titles
        # correlated: the authors who edited one of their own posts
        edited = orm.Subquery(Post.filter(author=orm.OuterRef("pk")).values("editor"))
        names = await Author.filter(id__in=edited).order_by("name").values_list("name", flat=True)
        assert names == sorted({a for a, _, _, e in POSTS if e == a}) == ["Ada"]
        assert (
            await Post.filter(
                author__in=orm.Subquery(Author.filter(rating=99).values("id"))
            ).count()
            == 0
        )
        for several in (Post.values("views"), Post.values("views")[:2]):
            with pytest.raises(FieldError, match=r"\[:1\]"):
                await Post.filter(views=orm.Subquery(several))
            with pytest.raises(FieldError, match=r"\[:1\]"):
                await Author.annotate(v=orm.Subquery(several)).values("name", "v")


def test_bad_subqueries() -> None:
    with pytest.raises(FieldError, match="values"):
        orm.Subquery(Post.filter(views=1)[:1])  # a whole row
    with pytest.raises(FieldError, match="one column"):
        orm.Subquery(Post.values("title", "views")[:1])
    with pytest.raises(FieldError, match="QuerySet"):
        orm.Subquery("SELECT 1")  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="QuerySet"):
        orm.Exists([1, 2])  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="field name"):
        orm.OuterRef(3)  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="field name"):
        orm.OuterRef("")
    with pytest.raises(FieldError, match="filter"):
        orm.Q(orm.F("views"))  # only Q objects and conditions such as Exists

    class Lying(type):
        def __getattr__(cls, name: str) -> Any:
            raise RuntimeError(name)

        def __instancecheck__(cls, other: Any) -> bool:
            raise RuntimeError("isinstance")

    class Hostile(metaclass=Lying):
        def __repr__(self) -> str:
            raise RuntimeError("repr")

    for make in (orm.Q, orm.Subquery, orm.Exists, orm.OuterRef):
        with pytest.raises(FieldError):
            make(Hostile())
    with pytest.raises(FieldError, match="filter"):
        orm.Count("posts", filter=Hostile())


async def test_bad_outer_refs(url: str) -> None:
    async with opened(url):
        await _data()
        with pytest.raises(FieldError, match="did you mean 'rating'"):
            await Author.annotate(
                x=orm.Subquery(Post.filter(views=orm.OuterRef("ratin")).values("id")[:1])
            )
        with pytest.raises(FieldError, match="outer"):
            await Post.filter(author=orm.OuterRef("pk"))  # no outer query
        with pytest.raises(FieldError, match="to-many"):
            await Author.annotate(
                x=orm.Subquery(Post.filter(views=orm.OuterRef("posts__views")).values("id")[:1])
            )
        with pytest.raises(FieldError, match="lookups"):
            await Author.annotate(
                x=orm.Subquery(Post.filter(author=orm.OuterRef("pk")).values("id")[:1])
            ).filter(x__contains="1")


async def test_compared_types(url: str) -> None:
    """A field compared with a Subquery or an OuterRef of another type: SQLite and MariaDB
    would convert one side each their own way, PostgreSQL refuse; refused on the three."""
    async with opened(url):
        await _data()
        titles = Post.filter(author=orm.OuterRef("author")).values("title")[:1]
        with pytest.raises(FieldError, match="compare"):
            await Post.filter(views=orm.Subquery(titles))
        with pytest.raises(FieldError, match="compare"):
            await Post.filter(orm.Exists(Author.filter(name=orm.OuterRef("views"))))
        with pytest.raises(FieldError, match="compare"):
            await Author.filter(orm.Exists(Everything.filter(day=orm.OuterRef("name"))))
        # the same types, and a key with the key it names, compare
        same = await Post.filter(orm.Exists(Author.filter(pk=orm.OuterRef("author"))))
        assert len(same) == len(POSTS)
        views = Post.filter(author=orm.OuterRef("author")).values("views")[:1]
        assert len(await Post.filter(views__gte=orm.Subquery(views))) >= 1


async def test_subqueries_with_grouping(url: str) -> None:
    """Subquery and Exists annotations beside aggregates, grouped by, aggregated over and
    in arithmetic: the same groups on the three databases."""
    async with opened(url):
        await _data()
        top = _top_query("views")
        most = {n: (_top(n)[2] if _top(n) else None) for n in AUTHORS}  # type: ignore[index]
        found = await Author.annotate(t=top).aggregate(s=orm.Sum("t"), m=orm.Max("t"))
        known = [v for v in most.values() if v is not None]
        assert found == {"s": sum(known), "m": max(known)}
        rows = await (
            Author.annotate(t=top, n=orm.Count("posts")).values("name", "t", "n").order_by("name")
        )
        assert rows == [{"name": n, "t": most[n], "n": len(_posts(n))} for n in sorted(AUTHORS)]
        writes = orm.Exists(Post.filter(author=orm.OuterRef("pk")))
        groups = await (
            Author.annotate(h=writes).values("h").annotate(n=orm.Count("id")).order_by("h")
        )
        writers = sum(1 for n in AUTHORS if _posts(n))
        assert groups == [
            {"h": False, "n": len(AUTHORS) - writers},
            {"h": True, "n": writers},
        ]
        plus = await Author.annotate(t=top + 1).filter(t__gt=4).values_list("name", "t")
        assert sorted(plus) == sorted(
            (n, v + 1) for n, v in most.items() if v is not None and v + 1 > 4
        )
        assert await Author.annotate(t=top).count() == len(AUTHORS)
