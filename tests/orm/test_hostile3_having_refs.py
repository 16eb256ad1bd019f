"""A row's field compared with an aggregate annotation through ``F`` (Django's
``annotate(m=Max("posts__views")).filter(rating__lt=F("m"))``, a HAVING condition) was
looked for among the rows' fields and refused with 'no field m', while the mirrored
``m__gt=F("rating")`` was answered. Both are HAVING conditions now, with ``alias()`` too; a
field that is not constant in a group is refused by name (SQLite and MariaDB would read one
row's value of it)."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post

F = orm.F


async def _world() -> dict[int, tuple[int, int]]:
    """Authors (rating, most views of a post) by key."""
    rows = {1: (1, [5, 0]), 2: (3, [1]), 3: (2, [2, 7])}
    for key, (rating, views) in rows.items():
        author = await Author.create(id=key, name=f"a{key}", rating=rating)
        for at, seen in enumerate(views):
            await Post.create(title=f"p{key}{at}", author=author, views=seen)
    return {k: (r, max(v)) for k, (r, v) in rows.items()}


@pytest.mark.parametrize("method", ["annotate", "alias"])
async def test_a_field_compared_with_an_aggregate_through_f(url: str, method: str) -> None:
    async with opened(url):
        world = await _world()
        below = sorted(k for k, (r, m) in world.items() if r < m)
        qs = getattr(Author.all(), method)(m=orm.Max("posts__views"))
        assert sorted(await qs.filter(rating__lt=F("m")).values_list("id", flat=True)) == below
        kept = sorted(await qs.exclude(rating__lt=F("m")).values_list("id", flat=True))
        assert kept == sorted(set(world) - set(below))
        plus = sorted(k for k, (r, m) in world.items() if r + 1 < m)
        named = getattr(Author.all(), method)(r=F("rating") + 1, m=orm.Max("posts__views"))
        assert sorted(await named.filter(r__lt=F("m")).values_list("id", flat=True)) == plus


async def test_a_field_not_constant_in_a_group_is_refused(url: str) -> None:
    async with opened(url):
        await _world()
        grouped = Author.all().values("name").annotate(m=orm.Max("posts__views"))
        assert len(await grouped.filter(m__gt=1)) == 2
        with pytest.raises(FieldError, match="rating, which is not grouped"):
            await (
                Author.all()
                .values("name")
                .annotate(m=orm.Max("posts__views"))
                .filter(rating__lt=F("m"))
            )
