"""A model whose key names its own model by class name (``ForeignKeyField("Node")`` inside
``Node``) with a text primary key: the key column was built while the target was only a
name (an int), and its retype to the target key's type recompiled the model but left the
column's schema an int. ``filter(parent_id="007")`` looked for the int 7 (no row, in
silence) and ``update(parent_id="b")`` was a ValidationError ("a valid integer"). They now
take the text the key holds, as with ``ForeignKeyField("self")``."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables


class L6Node(orm.Model):
    code = orm.CharField(max_length=8, primary_key=True)
    parent = orm.ForeignKeyField("L6Node", related_name="children", null=True)

    class Meta:
        table = "ormt_l6_node"


async def test_a_text_key_naming_its_own_model_by_name(url: str) -> None:
    async with opened(url), own_tables(L6Node):
        await L6Node.create(code="007")
        await L6Node.create(code="b", parent_id="007")
        await L6Node.create(code="c")
        assert await L6Node.filter(parent_id="007").values_list("code", flat=True) == ["b"]
        assert await L6Node.filter(parent="007").values_list("code", flat=True) == ["b"]
        assert await L6Node.filter(code="c").update(parent_id="b") == 1
        assert await L6Node.order_by("code").values_list("code", "parent_id") == [
            ("007", None),
            ("b", "007"),
            ("c", "b"),
        ]
        await L6Node.filter(code="c").delete()
        await L6Node.filter(code="b").delete()
