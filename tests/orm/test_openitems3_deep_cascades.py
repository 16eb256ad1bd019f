"""A tree of rows whose parent key cascades (``on_delete="cascade"``), deeper than 15 levels:
deleting its root (the instance, a filter, every row, or the row another model's cascade
reaches it through) deletes the whole tree in Django (its collector deletes the rows
itself), SQLite and PostgreSQL. MariaDB refused it (1296, InnoDB's error 193: a cascade is
followed 15 levels deep at most), an OperationalError, and nothing was deleted. ferrule now
deletes such a tree on MariaDB from its leaves up, in the delete's transaction; the counts
are Django's on every database: each row of the tree the delete removed."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables

DEPTH = 20


class D3Forest(orm.Model):
    id: int = orm.Field(primary_key=True)

    class Meta:
        table = "ormt_d3_forest"


class D3Node(orm.Model):
    id: int = orm.Field(primary_key=True)
    parent = orm.ForeignKeyField("D3Node", related_name="kids", null=True, on_delete="cascade")
    forest = orm.ForeignKeyField(D3Forest, related_name="nodes", null=True, on_delete="cascade")

    class Meta:
        table = "ormt_d3_node"


class D3Leaf(orm.Model):
    """Rows each node's delete removes by cascade."""

    id: int = orm.Field(primary_key=True)
    node = orm.ForeignKeyField(D3Node, related_name="leaves", on_delete="cascade")

    class Meta:
        table = "ormt_d3_leaf"


MODELS = (D3Forest, D3Node, D3Leaf)


async def _chain(start: int = 1, forest: int | None = None) -> None:
    """Nodes start .. start + DEPTH - 1, each the parent of the next, a leaf on each."""
    for key in range(start, start + DEPTH):
        parent = key - 1 if key > start else None
        await D3Node.create(id=key, parent_id=parent, forest_id=forest)
        await D3Leaf.create(id=key, node_id=key)


async def test_a_deep_tree_goes_with_its_root_instance(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _chain()
        await _chain(start=100)
        await (await D3Node.get(id=1)).delete()
        assert await D3Node.all().count() == DEPTH  # the other tree
        assert await D3Leaf.filter(id__lt=100).count() == 0


async def test_a_deep_tree_goes_with_its_root_by_filter_and_whole(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await _chain()
        await _chain(start=100)
        # the whole tree: Django counts every row of the model its cascade removed
        assert await D3Node.filter(id=1).delete() == DEPTH
        assert await D3Node.all().count() == DEPTH
        assert await D3Node.all().delete() == DEPTH
        assert (await D3Node.all().count(), await D3Leaf.all().count()) == (0, 0)


async def test_a_deep_tree_goes_with_the_row_a_cascade_reaches_it_from(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        forest = await D3Forest.create(id=1)
        await D3Forest.create(id=2)
        await _chain(forest=1)
        await _chain(start=100, forest=2)
        await forest.delete()
        assert await D3Node.all().count() == DEPTH
        assert await D3Forest.filter(id=2).delete() == 1
        assert (await D3Node.all().count(), await D3Leaf.all().count()) == (0, 0)
