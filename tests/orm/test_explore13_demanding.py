"""A demanding Django user's querysets (values and aggregates across relations, prefetches,
writes on joined or sliced querysets, get_or_create, in_bulk, reverse), compared with Django's
answers for the same models and rows (``djangoref_world``): where ferrule answered wrongly,
raised a database's error, or an untyped one."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError

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
