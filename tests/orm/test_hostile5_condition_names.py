"""A condition's keyword name given as a str subclass (``filter(**{name: value})``) was
asked through its own methods: one whose ``endswith`` denied ``__in`` kept its generator or
list as given, not read into a tuple when the filter is made (the second run of the same
QuerySet found nothing, a list changed after ``filter()`` changed the query), where a plain
name is snapshotted. Names are now the text they hold when the ``Q`` is made; the same text
given twice (a plain name and a subclass hashed apart) is a ``FieldError`` rather than one
of them dropped."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author


class NoSuffix(str):
    """A name that denies every ending."""

    def endswith(self, *args: Any) -> bool:
        return False

    def partition(self, sep: Any) -> Any:
        return ("nope", sep, "")


class HiddenName(str):
    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 12345


@pytest.mark.parametrize("how", ["filter", "Q", "exclude"])
async def test_an_in_list_is_read_when_the_filter_is_made(url: str, how: str) -> None:
    async with opened(url):
        for name in ("a", "b", "c"):
            await Author.create(name=name)

        def made(names: Any) -> Any:
            given = {NoSuffix("name__in"): names}
            if how == "Q":
                return Author.filter(orm.Q(**given))
            if how == "exclude":
                return Author.exclude(**given)
            return Author.filter(**given)

        want = ["a", "b"] if how != "exclude" else ["c"]
        query = made(n for n in ["a", "b"])
        assert sorted(await query.values_list("name", flat=True)) == want
        assert sorted(await query.values_list("name", flat=True)) == want
        names = ["a", "b"]
        query = made(names)
        names.append("c")
        assert sorted(await query.values_list("name", flat=True)) == want


async def test_one_name_given_twice_is_refused(url: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match="name"):
            Author.filter(**{"name": "a", HiddenName("name"): "b"})
        with pytest.raises(FieldError, match="name"):
            orm.Q(**{HiddenName("name"): "a", "name": "b"})
