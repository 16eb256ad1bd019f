"""Sequences that lie about their length, or whose length raises, and values that nest past
any stack, given to the ORM's entry points: a typed error or the right answer, never a
``MemoryError`` from a list sized by ``__len__`` or a ``RecursionError`` from an encoder."""

from __future__ import annotations

from typing import Any

import pytest

from backends.lying import HugeList, HugeTuple, LenRaises
from ferrule import errors

from .conftest import opened
from .models import Everything


def _deep(levels: int) -> list[Any]:
    top: list[Any] = []
    inner = top
    for _ in range(levels):
        inner.append([])
        inner = inner[0]
    return top


@pytest.mark.parametrize("kind", [HugeList, HugeTuple, LenRaises])
async def test_json_key_lookups_read_the_items_not_the_length(url: str, kind: type) -> None:
    async with opened(url):
        await Everything.create(data={"k": 1, "n": "x"})
        assert await Everything.filter(data__has_keys=kind(["k", "n"])).count() == 1
        assert await Everything.filter(data__has_any_keys=kind(["z", "k"])).count() == 1
        assert await Everything.filter(data__k__in=kind([1, 2])).count() == 1
        assert await Everything.filter(data__in=kind([{"k": 1, "n": "x"}])).count() == 1


@pytest.mark.parametrize("kind", [HugeList, HugeTuple, LenRaises])
async def test_range_reads_the_pair_it_holds(url: str, kind: type) -> None:
    async with opened(url):
        await Everything.create(small=3)
        assert await Everything.filter(small__range=kind([1, 5])).count() == 1
        assert await Everything.filter(small__range=kind([4, 5])).count() == 0
        with pytest.raises(errors.FieldError, match="pair"):
            await Everything.filter(small__range=kind([1, 2, 3])).count()


@pytest.mark.parametrize("kind", [HugeList, LenRaises])
async def test_bulk_calls_read_the_items_not_the_length(url: str, kind: type) -> None:
    async with opened(url):
        made = await Everything.bulk_create(kind([Everything(data=1), Everything(data=2)]))
        assert sorted(await Everything.all().values_list("data", flat=True)) == [1, 2]
        for item in made:
            item.data = 3
        assert await Everything.bulk_update(kind(made), ["data"]) == 2
        assert await Everything.filter(data=3).count() == 2


async def test_json_nesting_past_the_stack_is_a_typed_error(url: str) -> None:
    deep = _deep(100_000)
    async with opened(url):
        with pytest.raises(errors.FerruleError, match="nests too deeply"):
            await Everything.create(data=deep)
        with pytest.raises(errors.FerruleError, match="nests too deeply"):
            await Everything.filter(data=deep).count()
        assert await Everything.all().count() == 0


async def test_a_stored_json_value_nesting_past_the_stack_is_a_typed_error(url: str) -> None:
    """Made by the database from text (the ORM would not write it), read by the ORM."""
    text = "[" * 5000 + "]" * 5000
    async with opened(url) as db:
        made = await Everything.create(data=[])
        table = Everything._meta.table
        marks = {"postgres": "$1::text::jsonb", "mysql": "%s", "sqlite": "?"}[db.dialect]
        key = {"postgres": "$2", "mysql": "%s", "sqlite": "?"}[db.dialect]
        try:
            await db.execute(f"UPDATE {table} SET data = {marks} WHERE id = {key}", [text, made.id])
        except errors.DatabaseError:  # a database that refuses such depth itself
            return
        with pytest.raises(errors.InterfaceError, match="nests too deeply"):
            await Everything.get(id=made.id)
        with pytest.raises(errors.InterfaceError, match="nests too deeply"):
            await Everything.all().values_list("data", flat=True)
        assert await Everything.all().count() == 1
