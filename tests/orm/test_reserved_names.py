"""A field may not take the name of an ``orm.Model`` method or attribute.

The query API lives on the model class (``Item.filter``, ``Item.count()``, ``Item.raw``, as in
Tortoise) and rows answer ``save``/``delete``/``pk``: a field of that name hid it, and the
model broke later with an unrelated error (``Item.raw(...)``: "'member_descriptor' object is
not callable"; ``create()`` of a model with a ``save`` field). Django reserves ``pk``
(fields.E003). Each such field is a ``SchemaError`` naming the model and the field when the
class is made; ``db_column=`` keeps such a name for the column.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from ferrule import orm
from ferrule.errors import SchemaError

from .conftest import opened, own_tables

RESERVED = ("count", "values", "raw", "first", "save", "delete", "pk", "filter", "using")


def _model(name: str, body: dict[str, Any]) -> type:
    namespace = {"__module__": __name__, "__qualname__": name, **body}
    return type(orm.Model)(name, (orm.Model,), namespace)


@pytest.mark.parametrize("field", RESERVED)
def test_a_field_named_as_the_model_api_is_refused(field: str) -> None:
    annotated = {"__annotations__": {"id": int, field: int}, "id": orm.Field(primary_key=True)}
    with pytest.raises(SchemaError, match=rf"Clash\.{field}\b"):
        _model("Clash", {**annotated, field: 0})
    with pytest.raises(SchemaError, match=rf"Clash\.{field}\b"):
        _model("Clash", {"id": orm.IntField(pk=True), field: orm.IntField(default=0)})


class Counter(orm.Model):
    """The column may keep the name; a ClassVar or a private attribute is no field."""

    id: int = orm.Field(primary_key=True)
    hits: int = orm.Field(default=0, db_column="count")
    label: ClassVar[str] = "counter"

    class Meta:
        table = "ormt_reserved_counter"


async def test_a_column_may_keep_the_name(url: str) -> None:
    async with opened(url), own_tables(Counter):
        await Counter.create(hits=3)
        assert await Counter.count() == 1
        assert await Counter.values_list("hits", flat=True) == [3]
        (row,) = await Counter.raw("SELECT * FROM ormt_reserved_counter")
        assert row.hits == 3
