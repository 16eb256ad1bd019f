"""``none().explain()``: an empty queryset sends no statement (``orm.empty``), so there is no
plan to show. It answered ``""``, which reads as a plan the database printed empty; Django
fails there too, by accident (its ``explain_query`` indexes the rows of a query it skipped:
an ``IndexError``). It is now an ``ORMError`` saying why, and nothing reaches the database;
a name the query would refuse is still that ``FieldError`` first."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError, ORMError

from .conftest import opened
from .models import Author


async def test_explain_of_none_is_an_orm_error(url: str) -> None:
    async with opened(url) as db:
        await Author.create(name="ann", rating=3)
        seen: list[str] = []
        db.add_hook(before=lambda event: seen.append(event.sql))
        with pytest.raises(ORMError, match=r"Author: none\(\).*no plan"):
            await Author.filter(rating=3).none().explain()
        with pytest.raises(ORMError, match="no plan"):
            await Author.none().filter(name="ann").explain()
        with pytest.raises(FieldError, match="ratin"):
            await Author.none().filter(ratin=3).explain()
        assert seen == []
        assert await Author.filter(rating=3).explain()  # a real plan still
