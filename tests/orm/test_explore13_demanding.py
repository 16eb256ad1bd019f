"""A demanding Django user's querysets (values and aggregates across relations, prefetches,
writes on joined or sliced querysets, get_or_create, in_bulk, reverse), compared with Django's
answers for the same models and rows (``djangoref_world``): where ferrule answered wrongly,
raised a database's error, or an untyped one."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, MultipleObjectsReturned

from .conftest import opened
from .models import Author, Club, Membership, Post, Tag


async def _blog() -> None:
    """Ada: p1 (tags x y), p2 (y); Bob: p3; Cy: none; Ada and Bob in one club."""
    ada = await Author.create(name="Ada")
    bob = await Author.create(name="Bob")
    await Author.create(name="Cy")
    x, y = await Tag.create(label="x"), await Tag.create(label="y")
    p1 = await Post.create(title="p1", author=ada)
    p2 = await Post.create(title="p2", author=ada)
    await Post.create(title="p3", author=bob)
    await p1.tags.add(x, y)
    await p2.tags.add(y)
    club = await Club.create(name="c")
    await Membership.create(club=club, person=ada)
    await Membership.create(club=club, person=bob)


# -- order_by() a to-many relation by its bare name ------------------------------------------


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (Post, "tags"),
        (Post, "-tags"),
        (Author, "posts"),
        (Author, "-edited"),
        (Tag, "posts"),
        (Author, "clubs"),
        (Author, "memberships"),
    ],
)
async def test_order_by_a_to_many_relation_is_refused(url: str, model: type, name: str) -> None:
    """``Post.order_by("tags")`` was let through where ``order_by("tags__id")`` is refused:
    model rows come once each (a DISTINCT over the join), so the order by one of many related
    keys has no answer. PostgreSQL raised its own ProgrammingError ("for SELECT DISTINCT,
    ORDER BY expressions must appear in select list"), SQLite and MariaDB ordered the rows
    by an arbitrary related row (Django gives a row per related row). Now the same
    FieldError as for the key's path, before any SQL."""
    async with opened(url):
        await _blog()
        with pytest.raises(FieldError, match=r"reads the to-many relation"):
            await model.order_by(name, "pk")  # type: ignore[attr-defined]


async def test_order_by_a_to_one_relation_still_orders_by_its_key(url: str) -> None:
    """The refusal leaves a to-one relation (forward key, reverse one-to-one) alone: its
    key is one value per row."""
    async with opened(url):
        await _blog()
        titles = [p.title for p in await Post.order_by("-author", "title")]
        assert titles == ["p3", "p1", "p2"]
        names = [a.name for a in await Author.order_by("profile", "name")]
        assert names == ["Ada", "Bob", "Cy"]
        # values(): a row per related row, as Django's
        rows = await Post.order_by("tags", "title").values_list("title", "tags__label")
        assert rows == [("p3", None), ("p1", "x"), ("p1", "y"), ("p2", "y")]


# -- annotate() a to-many path on model rows -------------------------------------------------


async def test_a_to_many_annotation_is_a_model_row_per_related_row(url: str) -> None:
    """``Author.annotate(v=F("posts__views"))`` read as instances was a DISTINCT over the
    author's columns and ``v``: Ada, with two posts of 0 views, came once (Django: twice, a
    row per related row, as this query's count() and values() rows are), and count() said
    the same wrong number. The DISTINCT now tells the rows apart by the posts' keys."""
    async with opened(url):
        await _blog()
        qs = Author.annotate(v=orm.F("posts__views"))
        rows = sorted((a.name, a.v) for a in await qs)
        assert rows == [("Ada", 0), ("Ada", 0), ("Bob", 0), ("Cy", None)]
        assert await qs.count() == 4
        assert await qs.filter(v__gte=0).count() == 3
        assert len(await qs.filter(v__gte=0)) == 3
        with pytest.raises(MultipleObjectsReturned):
            await qs.get(name="Ada")  # two rows, as Django's
        # explicit distinct(): distinct rows of what is read, as Django's
        assert sorted((a.name, a.v) for a in await qs.distinct()) == [
            ("Ada", 0),
            ("Bob", 0),
            ("Cy", None),
        ]
        # through two to-many relations: a row per (post, tag)
        tagged = Author.annotate(t=orm.F("posts__tags__label")).filter(name="Ada")
        assert sorted(a.t for a in await tagged) == ["x", "y", "y"]


async def test_values_of_a_to_many_annotation_are_a_row_per_related_row(url: str) -> None:
    """values() rows are a row per joined row, as Django's: the annotation is read there."""
    async with opened(url):
        await _blog()
        qs = Author.annotate(v=orm.F("posts__views") + 1, t=orm.F("posts__tags__label"))
        rows = await qs.order_by("name", "t").values_list("name", "v", "t")
        assert rows == [
            ("Ada", 1, "x"),
            ("Ada", 1, "y"),
            ("Ada", 1, "y"),
            ("Bob", 1, None),
            ("Cy", None, None),
        ]
        # an aggregate is one value per row: still fine
        counted = await Author.annotate(n=orm.Count("posts")).order_by("name")
        assert [(a.name, a.n) for a in counted] == [("Ada", 2), ("Bob", 1), ("Cy", 0)]
        # so is a to-one path
        posts = await Post.annotate(who=orm.F("author__name")).order_by("title")
        assert [(p.title, p.who) for p in posts] == [("p1", "Ada"), ("p2", "Ada"), ("p3", "Bob")]


# -- update()/delete() of a slice whose filter joins a to-many relation ----------------------


async def _shelf() -> None:
    """Ada: p1, p2, p5 (tags x y, y, -); Bob: p3 (x y), p4 (-); Cy: none."""
    await _blog()
    bob = await Author.get(name="Bob")
    x, y = await Tag.get(label="x"), await Tag.get(label="y")
    p3 = await Post.get(title="p3")
    await p3.tags.add(x, y)
    await Post.create(title="p4", author=bob)
    await Post.create(title="p5", author=await Author.get(name="Ada"))


SLICES = [
    (Post, lambda: Post.filter(tags__label__in=["x", "y"]).order_by("title")[:2]),
    (Post, lambda: Post.filter(tags__label__in=["x", "y"]).order_by("-title")[1:3]),
    (Post, lambda: Post.filter(author__posts__tags__label="y").order_by("title")[:3]),
    (Post, lambda: Post.exclude(tags__label="x").filter(tags__isnull=False).order_by("title")[:1]),
    (Author, lambda: Author.filter(posts__tags__label="y").order_by("name")[:2]),
    (Tag, lambda: Tag.filter(posts__author__name="Ada").order_by("-label")[:2]),
    (Post, lambda: Post.filter(tags__label__in=["x", "y"])[1:3]),  # by key, as first()
]


@pytest.mark.parametrize(("model", "make"), SLICES, ids=[f"slice{i}" for i in range(len(SLICES))])
@pytest.mark.parametrize("write", ["update", "delete"])
async def test_a_slice_joining_a_to_many_relation_writes_the_rows_it_reads(
    url: str, model: Any, make: Any, write: str
) -> None:
    """``Post.filter(tags__label__in=["x", "y"]).order_by("title")[:2].delete()`` read the
    slice's keys as values() rows, a row per matching tag, so the slice counted p1 twice and
    deleted p1 alone (one row, not two); with an offset it deleted rows the slice does not
    hold (``[1:3]`` of p3, p2, p1 read as p3, p3, p2, p1, p1: it wrote p3 and p2, not p2 and
    p1). The keys are now those of the slice's model rows, each once, as reading it gives.
    (Django refuses a sliced update() or delete(); ferrule writes exactly the rows read.)"""
    async with opened(url):
        await _shelf()
        read = [row.pk for row in await make()]
        assert len(read) == len(set(read))
        field = {Post: "views", Author: "rating", Tag: "id"}[model]
        before = set(await model.all().values_list("pk", flat=True))
        if write == "update":
            if model is Tag:  # its one other field is unique: mark it
                count = await make().update(label=orm.Concat("label", orm.Value("!")))
                marked = model.filter(label__endswith="!")
            else:
                count = await make().update(**{field: 7})
                marked = model.filter(**{field: 7})
            hit = set(await marked.values_list("pk", flat=True))
        else:
            count = await make().delete()
            hit = before - set(await model.all().values_list("pk", flat=True))
        assert (count, hit) == (len(read), set(read))


# -- aggregate(Count("pk")) over a slice or an annotated queryset -----------------------------


@pytest.mark.parametrize(
    ("make", "want"),
    [
        (lambda: Post.order_by("title")[1:], {"c": 4, "m": "p5"}),
        (lambda: Post.filter(tags__label="y").order_by("-title")[:2], {"c": 2, "m": "p3"}),
        (lambda: Post.order_by("title").values("id", "title")[3:], {"c": 2, "m": "p5"}),
        (lambda: Author.annotate(n=orm.Count("posts")).filter(n__gte=2), {"c": 2, "m": "Bob"}),
        (lambda: Post.distinct(), {"c": 5, "m": "p5"}),
    ],
    ids=["slice", "joined-slice", "values-slice", "annotated", "distinct"],
)
async def test_count_pk_over_a_query_read_as_a_subquery(url: str, make: Any, want: Any) -> None:
    """``Post.order_by("title")[1:].aggregate(c=Count("pk"))`` raised "takes aggregates of
    its annotations and selected fields, not Count('pk')" (Count("id") worked): over a
    slice, an annotated or a distinct queryset, read as a subquery, "pk" was not taken
    for the key's field, as everywhere else (and in Django)."""
    async with opened(url):
        await _shelf()
        label = "name" if make()._model is Author else "title"
        got = await make().aggregate(c=orm.Count("pk"), m=orm.Max(label))
        assert got == want
        assert got["c"] == (await make().aggregate(c=orm.Count("id")))["c"]


@pytest.mark.parametrize("ordered", [True, False])
async def test_a_joined_slice_delete_sends_its_rows_signals(url: str, ordered: bool) -> None:
    """The same with a ``pre_delete`` receiver (rows deleted one by one, their instances
    sent): the slice's posts, each once, ordered or not (then by key)."""
    sent: list[str] = []

    async def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        sent.append(instance.title)

    async with opened(url):
        await _shelf()
        qs = Post.filter(tags__label__in=["x", "y"])
        qs = qs.order_by("-title") if ordered else qs
        want = [p.title for p in await qs[1:3]]
        orm.pre_delete.connect(before, sender=Post)
        try:
            assert await qs[1:3].delete() == 2
        finally:
            orm.pre_delete.disconnect(before, sender=Post)
        assert sorted(sent) == sorted(want)
        assert want == (["p2", "p1"] if ordered else ["p2", "p3"])


# -- values() grouped by a to-many relation's value, filtered through the same relation -------


async def test_grouping_by_a_to_many_value_keeps_the_filter_s_related_rows(url: str) -> None:
    """``Post.filter(tags__label="x").values("tags__label").annotate(n=Count("id"))`` grouped
    every tag of the posts tagged x (x: 2, y: 2): the filter became ``pk IN (subquery)``
    (no aggregate reads through tags) and the group key joined tags afresh. As in Django,
    the group key shares the filter's join: only the x group (and in a Subquery, the sum of
    its posts' values, not an arbitrary group's)."""
    async with opened(url):
        await _shelf()  # x: p1 p3; y: p1 p2 p3
        grouped = Post.filter(tags__label="x").values("tags__label").annotate(n=orm.Count("id"))
        assert await grouped.order_by("tags__label") == [{"tags__label": "x", "n": 2}]
        rows = (
            Author.filter(posts__title__in=["p1", "p3"])
            .values("name", "posts__title")
            .annotate(n=orm.Count("id"))
            .order_by("name", "posts__title")
        )
        assert await rows.values_list("name", "posts__title", "n") == [
            ("Ada", "p1", 1),
            ("Bob", "p3", 1),
        ]
        for post in await Post.all():
            await Post.filter(pk=post.pk).update(views=int(post.title[1:]))  # p3: 3 views
        per_tag = orm.Subquery(
            Post.filter(tags=orm.OuterRef("pk"))
            .values("tags")
            .annotate(s=orm.Sum("views"))
            .values("s")[:1]
        )
        sums = await Tag.annotate(s=per_tag).order_by("label").values_list("label", "s")
        assert sums == [("x", 1 + 3), ("y", 1 + 2 + 3)]


async def test_grouping_filtered_past_the_grouped_relation_is_refused(url: str) -> None:
    """``Author.filter(posts__tags__label="x").values("posts__title")`` grouped every post of
    the authors with a post tagged x (Django: the posts tagged x): the filter, joining tags
    past posts, became one key subquery and left the groups' posts unpicked. Refused now,
    naming the spelling that picks them (a subquery of the related model)."""
    async with opened(url):
        await _shelf()
        grouped = Author.filter(posts__tags__label="x").values("posts__title")
        with pytest.raises(FieldError, match=r"past the one the groups are made of"):
            await grouped.annotate(n=orm.Count("id"))
        picked = Author.filter(posts__in=Post.filter(tags__label="x")).values("posts__title")
        rows = await picked.annotate(n=orm.Count("id")).order_by("posts__title")
        assert rows == [{"posts__title": "p1", "n": 1}, {"posts__title": "p3", "n": 1}]


# -- exclude() on a row annotation of a to-many relation -------------------------------------


async def test_excluding_by_a_to_many_row_annotation_tests_each_row(url: str) -> None:
    """``Author.annotate(v=F("posts__views")).exclude(v__gt=1)`` dropped every author with
    one post of more than 1 view (a key subquery, as for ``exclude(posts__views__gt=1)``),
    where its rows are a row per post: Ada's p1 (1 view) went with her p2. As in Django, the
    NOT is of each row's value now (and, ferrule's rule, a NULL value is kept: the
    complement of filter()); a to-many lookup beside it still excludes by key."""
    async with opened(url):
        await _blog()
        for title, views in (("p1", 1), ("p2", 2), ("p3", 3)):
            await Post.filter(title=title).update(views=views)
        qs = Author.annotate(v=orm.F("posts__views"))
        kept = qs.exclude(v__gt=1).order_by("name")
        assert await kept.values_list("name", "v") == [("Ada", 1), ("Cy", None)]
        assert sorted((a.name, a.v) for a in await kept) == [("Ada", 1), ("Cy", None)]
        assert await qs.filter(~orm.Q(v__gt=1)).count() == 2
        by_key = qs.exclude(posts__views__gt=2).order_by("name", "v")  # Bob has p3
        assert await by_key.values_list("name", "v") == [("Ada", 1), ("Ada", 2), ("Cy", None)]
