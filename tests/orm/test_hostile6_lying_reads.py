"""A model whose ``__getattribute__`` answers a field with another value than its slot holds:
``save()``, ``create()`` and ``bulk_create()`` write what reading the attribute gives, as the
pure-Python twin and Django (``getattr(instance, attname)``) do. The native core's readers
(``FieldReader`` of a cached save plan, ``model_values`` of a bulk insert) read the slots
directly, so the first ``save()`` of a model (the general path, by ``getattr``) and every later
one wrote different values for one instance, and the two cores disagreed. They now ask such a
class (``rows::reads_of``)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.models._core import PURE_PYTHON

from .conftest import opened, own_tables


class Lying(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)
    rating: int = 0

    def __getattribute__(self, name: str) -> Any:
        if name == "rating":
            return 5  # whatever the slot holds
        return super().__getattribute__(name)


async def _ratings() -> list[tuple[str, int]]:
    return list(await Lying.order_by("name").values_list("name", "rating"))


async def test_every_write_path_writes_what_the_attribute_reads(url: str) -> None:
    async with opened(url), own_tables(Lying):
        first = Lying(name="a", rating=1)
        await first.save()  # the general path: its text is cached for the next ones
        second = Lying(name="b", rating=1)
        await second.save()  # the cached plan's reader
        await second.save()  # its cached UPDATE
        await Lying.create(name="c", rating=1)
        await Lying.bulk_create([Lying(name="d", rating=1), Lying(name="e", rating=1)])
        assert await _ratings() == [(n, 5) for n in "abcde"]


async def test_a_plain_model_still_writes_its_slots(url: str) -> None:
    class Plain(orm.Model):
        id: int = orm.Field(primary_key=True)
        name: str = orm.Field(max_length=20)
        rating: int = 0

    async with opened(url), own_tables(Plain):
        one = Plain(name="a", rating=1)
        await one.save()
        one.rating = 2
        await one.save()
        await Plain.create(name="b", rating=3)
        await Plain.bulk_create([Plain(name="c", rating=4)])
        rows = await Plain.order_by("name").values_list("name", "rating")
        assert rows == [("a", 2), ("b", 3), ("c", 4)]


@pytest.mark.skipif(PURE_PYTHON, reason="the native readers themselves")
def test_the_native_readers_ask_a_class_own_getattribute() -> None:
    from ferrule._ferrule import FieldReader, model_values

    one = Lying(name="a", rating=1)
    assert FieldReader(Lying, ("name", "rating"))(one) == ("a", 5)
    assert model_values(Lying, [one], ("name", "rating")) == ["a", 5]
