"""``aggregate()`` of an expression naming a row's field outside any aggregate
(``Sum("rating", default=F("rating"))``, ``Sum("rating") + F("rating")``): over all the rows
there is no one row's value to read. PostgreSQL refuses the query; SQLite and MariaDB read
some row's value and answered with it in silence. It is a FieldError before any query."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author

F, Q = orm.F, orm.Q


@pytest.mark.parametrize(
    "expression",
    [
        lambda: orm.Sum("rating", default=F("rating"), filter=Q(id=99)),
        lambda: orm.Sum("rating") + F("rating"),
        lambda: orm.Max("rating") - F("id") * 2,
        lambda: orm.Coalesce(orm.Min("rating"), F("rating")),
    ],
    ids=["default", "plus", "minus", "coalesce"],
)
async def test_a_row_field_outside_the_aggregates_is_refused(url: str, expression) -> None:  # type: ignore[no-untyped-def]
    async with opened(url):
        await Author.create(id=1, name="ada", rating=4)
        await Author.create(id=2, name="bo", rating=9)
        with pytest.raises(FieldError, match="outside any aggregate"):
            await Author.all().aggregate(v=expression())


async def test_aggregates_and_constants_are_still_answered(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ada", rating=4)
        await Author.create(id=2, name="bo", rating=9)
        found = await Author.all().aggregate(
            s=orm.Sum("rating") + 1,
            d=orm.Sum("rating", default=0, filter=Q(id=99)),
            m=orm.Max("rating") - orm.Min("rating"),
        )
        assert found == {"s": 14, "d": 0, "m": 5}
