"""``bulk_create`` of an iterable that never ends (a generator, ``itertools.cycle``,
``itertools.repeat`` without ``times``). bulk_create holds every instance it inserts (it
returns them, sets their keys, and runs its transaction again after a deadlock), as Django's
``list(objs)`` does, so an endless iterable of instances is the caller's mistake; but
ferrule read it to the end before checking anything, so a mistake it could name at once
hung, growing without bound: a bad ``batch_size`` or conflict rule (checked only after the
iterable was read), an iterable of another class (checked after the last item), and an
endless iterator of a kind whose end is known never to come. Now the arguments are checked
before the first item is read, each item as it is read, and those iterators are refused."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from ferrule.errors import FieldError, ORMError

from .conftest import opened
from .models import Author

#: what a test lets an iterable yield before it calls the read endless
_ENOUGH = 500


class Counted:
    """A generator of authors that fails the test once read past ``_ENOUGH``."""

    def __init__(self, *first: Any) -> None:
        self.read = 0
        self.first = first

    def __iter__(self) -> Iterator[Any]:
        for item in self.first:
            self.read += 1
            yield item
        while True:
            self.read += 1
            assert self.read <= _ENOUGH, "bulk_create read on past what it could refuse"
            yield Author(name=f"a{self.read}", rating=1)


@pytest.mark.parametrize(
    "options, error",
    [
        ({"batch_size": 0}, FieldError),
        ({"batch_size": "10"}, FieldError),
        ({"on_conflict": ("update", ["nope"])}, FieldError),
        ({"on_conflict": ("update", ["rating"], ["nope"])}, FieldError),
        ({"on_conflict": "ignore", "using": "nowhere"}, ORMError),
        (
            {"update_conflicts": True, "update_fields": ["nope"], "unique_fields": ["name"]},
            FieldError,
        ),
    ],
    ids=repr,
)
async def test_arguments_are_checked_before_reading(
    url: str, options: dict[str, Any], error: type[Exception]
) -> None:
    async with opened(url):
        endless = Counted()
        with pytest.raises(error):
            await Author.bulk_create(iter(endless), **options)
        assert endless.read == 0
        assert await Author.all().count() == 0


@pytest.mark.parametrize("on_conflict", [None, "ignore", ("update", ["rating"])], ids=repr)
async def test_another_class_stops_the_read(url: str, on_conflict: Any) -> None:
    async with opened(url):
        for first in (5, "x", None):
            endless = Counted(first)
            with pytest.raises(ORMError, match="bulk_create"):
                await Author.bulk_create(iter(endless), on_conflict=on_conflict, batch_size=10)
            assert endless.read == 1
        assert await Author.all().count() == 0


class GuardedCycle(itertools.cycle):  # type: ignore[misc]
    def __init__(self, items: Any) -> None:
        self.read = 0

    def __next__(self) -> Any:
        self.read += 1
        assert self.read <= _ENOUGH, "bulk_create read on past what it could refuse"
        return super().__next__()


class GuardedRepeat(itertools.repeat):  # type: ignore[misc]
    def __init__(self, *args: Any) -> None:
        self.read = 0

    def __next__(self) -> Any:
        self.read += 1
        assert self.read <= _ENOUGH, "bulk_create read on past what it could refuse"
        return super().__next__()


async def test_iterators_known_to_be_endless_are_refused(url: str) -> None:
    async with opened(url):
        for endless in (
            GuardedCycle([Author(name="a", rating=1)]),
            GuardedRepeat(Author(name="a", rating=1)),
        ):
            with pytest.raises(ORMError, match="never ends"):
                await Author.bulk_create(endless, on_conflict="ignore", batch_size=10)
            assert endless.read == 0
        # a repeat that ends is an iterable like any other
        made = await Author.bulk_create(itertools.repeat(Author(name="r", rating=1), 1))
        assert [a.name for a in made] == ["r"]
        assert await Author.all().count() == 1
