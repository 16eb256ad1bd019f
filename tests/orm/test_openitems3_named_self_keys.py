"""A model with two keys to itself named by its class name (``ForeignKeyField("Node")``, not
``"self"``): resolving the first key built the model's columns while the second still named
a class not yet known, so the second key's column took the widest integer type (BIGINT)
while the key it references is an INT. MariaDB refused the table (errno 150: a foreign
key's column must have the type of the key it references), and SQLite and PostgreSQL
made a BIGINT column for an INT key. A key column built before its target was known now
takes the target key's type once the target is resolved."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables


class N3Node(orm.Model):
    id: int = orm.Field(primary_key=True)
    parent = orm.ForeignKeyField("N3Node", related_name="kids", null=True, on_delete="cascade")
    buddy = orm.ForeignKeyField("N3Node", related_name="buddies", null=True, on_delete="set null")

    class Meta:
        table = "ormt_n3_node"


def test_both_key_columns_take_the_key_type() -> None:
    columns = N3Node._meta.columns
    assert columns["parent_id"].logical.name == columns["id"].logical.name == "int"
    assert columns["buddy_id"].logical.name == "int"


async def test_the_table_is_made_and_its_keys_act(url: str) -> None:
    async with opened(url), own_tables(N3Node):
        await N3Node.create(id=1)
        await N3Node.create(id=2, parent_id=1)
        await N3Node.create(id=3, buddy_id=2)
        await (await N3Node.get(id=1)).delete()
        assert await N3Node.all().values_list("id", "parent_id", "buddy_id") == [(3, None, None)]
