"""An instance loaded with ``only()``/``defer()`` lacks the fields left out. ``save()`` and
``bulk_update()`` refuse to write such a field with an ``ORMError`` naming the model and the
field; ``bulk_create()`` let the reader's bare ``AttributeError`` out instead (both cores),
and a keyless copy of such an instance the same."""

from __future__ import annotations

import pytest

from ferrule.errors import ORMError

from .conftest import opened
from .models import Author


@pytest.mark.parametrize("keyed", [True, False])
async def test_bulk_create_of_an_instance_missing_a_field_names_it(url: str, keyed: bool) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        await Author.create(name="bo")
        loaded = list(await Author.only("name").order_by("name"))
        if not keyed:
            for one in loaded:
                await one.delete()  # (its key dropped: a new row's instance)
            assert [one.id for one in loaded] == [None, None]
        with pytest.raises(ORMError, match=r"Author\.(born|rating) was not loaded"):
            await Author.bulk_create(loaded)
        expected = ["ann", "bo"] if keyed else []
        assert await Author.order_by("name").values_list("name", flat=True) == expected


async def test_bulk_create_of_whole_instances_still_writes(url: str) -> None:
    async with opened(url):
        made = await Author.bulk_create([Author(name="bo", rating=1), Author(name="cy")])
        assert [a.id is not None for a in made] == [True, True]
        rows = await Author.order_by("name").values_list("name", "rating")
        assert rows == [("bo", 1), ("cy", 0)]
