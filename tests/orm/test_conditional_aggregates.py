"""Conditional aggregation (``Count("posts", filter=Q(...))``) and ``distinct=True`` in
``annotate()`` and ``aggregate()``: every answer computed in Python from the rows the test
inserted, the same on SQLite, PostgreSQL and MariaDB (a group without matching rows: Count
0, Sum/Avg/Max None), and the to-many joins that would multiply a count refused."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Club, Membership, Post, Tag

POSTS = [  # (author, title, views, tags)
    ("Ada", "apple", 3, ("x", "y")),
    ("Ada", "avocado", 3, ("x",)),
    ("Ada", "banana", 10, ()),
    ("Bob", "cherry", 7, ("y",)),
    ("Bob", "apricot", 0, ("x", "y")),
    ("Dee", "blueberry", 5, ("y",)),
]
AUTHORS = ["Ada", "Bob", "Cy", "Dee"]  # Cy has no post
CLUBS = {"Ada": ["chess", "go"], "Bob": ["chess"]}


async def _data() -> None:
    authors = {name: await Author.create(name=name) for name in AUTHORS}
    tags = {label: await Tag.create(label=label) for label in ("x", "y")}
    for author, title, views, labels in POSTS:
        post = await Post.create(title=title, views=views, author=authors[author])
        for label in labels:
            await post.tags.add(tags[label])
    clubs = {name: await Club.create(name=name) for name in ("chess", "go")}
    for person, names in CLUBS.items():
        for name in names:
            await Membership.create(club=clubs[name], person=authors[person])


def _posts(author: str) -> list[tuple[str, str, int, tuple[str, ...]]]:
    return [p for p in POSTS if p[0] == author]


def _sum(values: list[int]) -> int | None:
    return sum(values) if values else None  # SQL's SUM of no row is NULL


async def test_count_and_sum_with_filter_in_annotate(url: str) -> None:
    async with opened(url):
        await _data()
        rows = await (
            Author.annotate(
                n=orm.Count("posts", filter=orm.Q(posts__title__startswith="a")),
                big=orm.Sum("posts__views", filter=orm.Q(posts__views__gte=5)),
                top=orm.Max("posts__views", filter=orm.Q(posts__title__contains="r")),
                every=orm.Count("posts"),
            )
            .values("name", "n", "big", "top", "every")
            .order_by("name")
        )
        expected = [
            {
                "name": name,
                "n": sum(1 for p in _posts(name) if p[1].startswith("a")),
                "big": _sum([p[2] for p in _posts(name) if p[2] >= 5]),
                "top": max((p[2] for p in _posts(name) if "r" in p[1]), default=None),
                "every": len(_posts(name)),
            }
            for name in AUTHORS
        ]
        assert rows == expected
        for row in rows:
            assert row["big"] is None or type(row["big"]) is int
        # a HAVING on a conditional count, and ordering by it
        having = await (
            Author.annotate(n=orm.Count("posts", filter=orm.Q(posts__views__lt=5)))
            .filter(n__gte=1)
            .order_by("-n", "name")
            .values_list("name", "n")
        )
        counted = {a: sum(1 for p in _posts(a) if p[2] < 5) for a in AUTHORS}
        assert having == sorted(
            [(a, n) for a, n in counted.items() if n >= 1], key=lambda r: (-r[1], r[0])
        )


async def test_conditional_aggregate(url: str) -> None:
    async with opened(url):
        await _data()
        found = await Post.aggregate(
            n=orm.Count("id", filter=orm.Q(views__gt=3)),
            stars=orm.Count("*", filter=orm.Q(title__startswith="a")),
            total=orm.Sum("views", filter=orm.Q(author__name="Ada")),
            doubled=orm.Sum(orm.F("views") * 2, filter=orm.Q(title__endswith="y")),
            none=orm.Sum("views", filter=orm.Q(title="nothing")),
            zero=orm.Count("id", filter=orm.Q(title="nothing")),
            mean=orm.Avg("views", filter=orm.Q(author__name="Bob")),
        )
        assert found == {
            "n": sum(1 for p in POSTS if p[2] > 3),
            "stars": sum(1 for p in POSTS if p[1].startswith("a")),
            "total": sum(p[2] for p in POSTS if p[0] == "Ada"),
            "doubled": sum(p[2] * 2 for p in POSTS if p[1].endswith("y")),
            "none": None,
            "zero": 0,
            "mean": sum(p[2] for p in POSTS if p[0] == "Bob") / len(_posts("Bob")),
        }
        assert type(found["total"]) is int and type(found["mean"]) is float
        # over a filtered queryset: both conditions hold
        ada = await Post.filter(author__name="Ada").aggregate(
            n=orm.Count("id", filter=orm.Q(views=3))
        )
        assert ada == {"n": sum(1 for p in _posts("Ada") if p[2] == 3)}


async def test_distinct_aggregates(url: str) -> None:
    async with opened(url):
        await _data()
        found = await Post.aggregate(
            views=orm.Sum("views", distinct=True),
            mean=orm.Avg("views", distinct=True),
            n=orm.Count("views", distinct=True),
        )
        distinct = {p[2] for p in POSTS}
        assert found == {
            "views": sum(distinct),
            "mean": sum(distinct) / len(distinct),
            "n": len(distinct),
        }
        rows = await (
            Author.annotate(
                labels=orm.Count("posts__tags", distinct=True),
                viewed=orm.Count("posts__tags", distinct=True, filter=orm.Q(posts__views__gt=0)),
            )
            .values("name", "labels", "viewed")
            .order_by("name")
        )
        assert rows == [
            {
                "name": a,
                "labels": len({t for p in _posts(a) for t in p[3]}),
                "viewed": len({t for p in _posts(a) if p[2] > 0 for t in p[3]}),
            }
            for a in AUTHORS
        ]


async def test_two_to_many_counts(url: str) -> None:
    """Django's pitfall: two Counts over different to-many relations multiply each other.
    ferrule refuses that, and answers it exactly with distinct=True."""
    async with opened(url):
        await _data()
        with pytest.raises(FieldError, match="multiply"):
            await Author.annotate(p=orm.Count("posts"), c=orm.Count("clubs"))
        with pytest.raises(FieldError, match="multiply"):
            await Author.annotate(
                p=orm.Count("posts", filter=orm.Q(posts__views__gt=0)), c=orm.Count("clubs")
            )
        # a condition across another to-many relation repeats the counted rows too
        with pytest.raises(FieldError, match="multiply"):
            await Author.annotate(p=orm.Count("posts", filter=orm.Q(clubs__name="chess")))
        with pytest.raises(FieldError, match="multiply"):
            await Author.annotate(p=orm.Count("posts", filter=orm.Q(posts__tags__label="x")))
        rows = await (
            Author.annotate(
                p=orm.Count("posts", distinct=True),
                c=orm.Count("clubs", distinct=True),
                a=orm.Count("posts", distinct=True, filter=orm.Q(posts__title__startswith="a")),
            )
            .values("name", "p", "c", "a")
            .order_by("name")
        )
        assert rows == [
            {
                "name": a,
                "p": len(_posts(a)),
                "c": len(CLUBS.get(a, [])),
                "a": sum(1 for p in _posts(a) if p[1].startswith("a")),
            }
            for a in AUTHORS
        ]


async def test_no_rows_at_all(url: str) -> None:
    async with opened(url):
        found = await Post.aggregate(
            n=orm.Count("id", filter=orm.Q(views__gt=0)),
            s=orm.Sum("views", filter=orm.Q(views__gt=0)),
        )
        assert found == {"n": 0, "s": None}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: orm.Count("posts", filter="views > 1"), "filter"),
        (lambda: orm.Sum("views", filter={"views": 1}), "filter"),
        (lambda: orm.Count("posts", filter=orm.F("views")), "filter"),
    ],
)
def test_bad_filter_arguments(make: Any, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        make()


async def test_bad_filter_names(url: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match="did you mean"):
            await Author.annotate(n=orm.Count("posts", filter=orm.Q(posts__titel="a")))
        with pytest.raises(FieldError, match="did you mean"):
            await Post.aggregate(n=orm.Count("id", filter=orm.Q(veiws__gt=1)))
        # aggregate() over a sliced queryset reads its rows: a filter there is refused,
        # never dropped
        with pytest.raises(FieldError, match="filter"):
            await Post.order_by("id")[:2].aggregate(n=orm.Count("id", filter=orm.Q(views=3)))


async def test_negated_and_exists_filters(url: str) -> None:
    """A NOT in an aggregate's filter is the counted row's (the posts not titled "a..."),
    not the exclude() of the authors that have one; an Exists tests each counted row."""
    async with opened(url):
        await _data()
        tagged = orm.Exists(Tag.filter(posts=orm.OuterRef("pk"), label="x"))
        rows = await (
            Author.annotate(
                other=orm.Count("posts", filter=~orm.Q(posts__title__startswith="a")),
                low=orm.Sum("posts__views", filter=~orm.Q(posts__views__gte=5)),
            )
            .values("name", "other", "low")
            .order_by("name")
        )
        assert rows == [
            {
                "name": a,
                "other": sum(1 for p in _posts(a) if not p[1].startswith("a")),
                "low": _sum([p[2] for p in _posts(a) if not p[2] >= 5]),
            }
            for a in AUTHORS
        ]
        found = await Post.aggregate(
            x=orm.Count("id", filter=tagged), v=orm.Sum("views", filter=~orm.Q(tagged))
        )
        assert found == {
            "x": sum(1 for p in POSTS if "x" in p[3]),
            "v": _sum([p[2] for p in POSTS if "x" not in p[3]]),
        }
