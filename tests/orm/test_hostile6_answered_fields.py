"""A model with its own ``__getattr__`` answers a field that ``only()``/``defer()`` left out
(the ORM's own ``__getattr__`` says it was not loaded). ``save()`` took that answer for the
row's value, unvalidated: ``2.7`` was written into an int column (SQLite kept 2.7, MariaDB
rounded it to 3), on both cores; ``bulk_update`` and ``bulk_create`` the same way. A field
is loaded when its slot holds a value, whatever ``__getattr__`` says: ``save()`` writes the
loaded fields (Django's update of a deferred instance), the others refuse it by name."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened, own_tables


class Answering(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)
    rating: int = 0

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return 2.7  # for any field never loaded


async def _rows() -> list[tuple[str, Any]]:
    return list(await Answering.order_by("name").values_list("name", "rating"))


async def test_save_writes_only_the_loaded_fields(url: str) -> None:
    async with opened(url), own_tables(Answering):
        await Answering.create(name="a", rating=3)
        for _ in range(2):  # the general path, then the cached plan's
            partial = await Answering.only("name").get(name="a")
            partial.name = "a"
            await partial.save()
            assert await _rows() == [("a", 3)]


async def test_the_other_writes_refuse_a_field_never_loaded(url: str) -> None:
    async with opened(url), own_tables(Answering):
        await Answering.create(name="a", rating=3)
        partial = await Answering.only("name").get(name="a")
        with pytest.raises(ORMError, match=r"Answering\.rating was not loaded"):
            await Answering.bulk_update([partial], ["rating"])
        with pytest.raises(ORMError, match=r"Answering\.rating was not loaded"):
            await partial.save(update_fields=["rating"])
        with pytest.raises(ORMError, match=r"Answering\.rating was not loaded"):
            await Answering.bulk_create([partial])
        await partial.delete()
        with pytest.raises(ORMError, match=r"Answering\.rating was not loaded"):
            await partial.save()  # (a new row now)
        assert await _rows() == []
