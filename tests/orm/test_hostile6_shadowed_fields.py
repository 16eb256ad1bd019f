"""Something put in front of a field's slot: the two cores parted. A subclass of a model with
a property named as a field was a ``SchemaError`` on the native core when the class was made,
but the pure twin made it, then every construction raised a bare ``AttributeError``. A
property (or value) set on a made model class over a field, or the slot deleted from it, was
taken by both: the native core's constructor and save readers kept using the slot, the
pure twin the property (``M.rating = property(lambda s: 99)``: the native core saved 1, the
pure twin 99). Both are a ``SchemaError`` now, on both cores."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import Model, orm
from ferrule.errors import SchemaError

from .conftest import opened, own_tables


class Rated(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)
    rating: int = 0


def test_a_subclass_with_a_property_over_a_field_is_refused_when_made() -> None:
    with pytest.raises(SchemaError, match=r"Shadow\.name is not a slot"):

        class Shadow(Rated):
            @property
            def name(self) -> Any:  # type: ignore[override]
                return "x"


def test_a_plain_model_subclass_with_a_property_over_a_field_is_refused() -> None:
    class Base(Model):
        size: int = 0

    with pytest.raises(SchemaError, match=r"Over\.size is not a slot"):

        class Over(Base):
            size = property(lambda self: 3)  # type: ignore[assignment]


@pytest.mark.parametrize("what", ["property", "value", "delete"])
def test_a_field_slot_cannot_be_replaced_on_a_made_class(what: str) -> None:
    class Kept(Model):
        size: int = 0

    slot = Kept.__dict__["size"]
    with pytest.raises(SchemaError, match=r"Kept\.size is a field"):
        if what == "property":
            Kept.size = property(lambda self: 3)  # type: ignore[assignment]
        elif what == "value":
            Kept.size = 3
        else:
            del Kept.size
    assert Kept.__dict__["size"] is slot
    assert Kept(size=2).size == 2
    Kept.other = 1  # type: ignore[attr-defined]  (any other name is still the class's own)
    del Kept.other  # type: ignore[attr-defined]


async def test_a_saved_model_keeps_writing_its_slots(url: str) -> None:
    async with opened(url), own_tables(Rated):
        one = await Rated.create(name="a", rating=1)
        with pytest.raises(SchemaError):
            Rated.rating = property(lambda self: 99)  # type: ignore[assignment]
        await one.save()
        await Rated.create(name="b", rating=2)
        rows = await Rated.order_by("name").values_list("name", "rating")
        assert rows == [("a", 1), ("b", 2)]
