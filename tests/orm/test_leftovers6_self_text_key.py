"""A model whose key names its own model by class name (``ForeignKeyField("Node")`` inside
``Node``) with a text primary key: the key column was built while the target was only a
name (an int), and its retype to the target key's type recompiled the model but left the
column's schema an int. ``filter(parent_id="007")`` looked for the int 7 (no row, in
silence) and ``update(parent_id="b")`` was a ValidationError ("a valid integer"). They now
take the text the key holds; ``ForeignKeyField("self")`` had the same fault."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm

from .conftest import opened, own_tables


class L6Node(orm.Model):
    code = orm.CharField(max_length=8, primary_key=True)
    parent = orm.ForeignKeyField("L6Node", related_name="children", null=True)

    class Meta:
        table = "ormt_l6_node"


class L6SelfNode(orm.Model):
    code = orm.CharField(max_length=8, primary_key=True)
    parent = orm.ForeignKeyField("self", related_name="children", null=True)

    class Meta:
        table = "ormt_l6_self_node"


@pytest.mark.parametrize("model", [L6Node, L6SelfNode], ids=["by name", "self"])
async def test_a_text_key_naming_its_own_model(url: str, model: Any) -> None:
    async with opened(url), own_tables(model):
        await model.create(code="007")
        await model.create(code="b", parent_id="007")
        await model.create(code="c")
        assert await model.filter(parent_id="007").values_list("code", flat=True) == ["b"]
        assert await model.filter(parent="007").values_list("code", flat=True) == ["b"]
        assert await model.filter(code="c").update(parent_id="b") == 1
        assert await model.order_by("code").values_list("code", "parent_id") == [
            ("007", None),
            ("b", "007"),
            ("c", "b"),
        ]
        await model.filter(code="c").delete()
        await model.filter(code="b").delete()
