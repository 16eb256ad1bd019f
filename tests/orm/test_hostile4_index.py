"""``qs[k]`` with an int subclass whose comparisons and arithmetic lie: the index was added to
the offset with its own ``+`` and compared with its own ``<``, so ``qs[<2>]`` (its ``+``
answering 0) gave the first row and ``qs[<-1>]`` (its ``<`` answering False) was taken as
index 0, where a negative index is refused. The index is now read as the int it holds, as a
slice's bounds already were."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author


class Lies(int):
    """Below nothing, sums to 0."""

    def __lt__(self, other: object) -> bool:
        return False

    def __add__(self, other: object) -> int:
        return 0

    __radd__ = __add__


async def test_an_index_is_the_int_it_holds(url: str) -> None:
    async with opened(url):
        for number in range(4):
            await Author.create(name=f"a{number}")
        ordered = Author.all().order_by("name")
        assert (await ordered[Lies(2)]).name == "a2"
        assert (await ordered[1:][Lies(1)]).name == "a2"
        with pytest.raises(FieldError, match="negative"):
            ordered[Lies(-1)]
