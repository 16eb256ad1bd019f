"""Sizes given as an int subclass whose comparisons lie (every ``<`` false, ``>=`` true):
``bulk_create(batch_size=<0>)`` and ``<-5>`` were taken (its own ``<`` said it was not below
1), where 0 and -5 are refused; a chunk size was refused only because one of its two
comparisons happened to be asked. Each is compared as the int it holds."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Tag


class LyingInt(int):
    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize("size", [0, -5])
async def test_a_batch_size_is_the_int_it_holds(url: str, size: int) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError, match="batch_size"):
            await Tag.bulk_create([Tag(label="a")], batch_size=LyingInt(size))
        assert await Tag.all().count() == 0
        made: Any = await Tag.bulk_create(
            [Tag(label="b"), Tag(label="c"), Tag(label="d")], batch_size=LyingInt(2)
        )
        assert [t.label for t in made] == ["b", "c", "d"]
        assert await Tag.all().count() == 3


async def test_a_chunk_size_is_the_int_it_holds(url: str) -> None:
    async with opened(url):
        await Tag.create(label="a")
        for size in (-1, 2**63):
            with pytest.raises(errors.FieldError, match="chunk_size"):
                async for _ in Tag.all().iterator(chunk_size=LyingInt(size)):
                    pass
