"""A row whose restricting key (``on_delete="restrict"`` or ``"no action"``) names the row
itself: Django's collector, SQLite and PostgreSQL delete it (no other row names it), but
MariaDB refused it (1451: InnoDB finds the row naming itself as it deletes it), alone, in a
tree deleted whole, and when a cascade reached it. ferrule now releases such keys first on
MariaDB, in the delete's transaction; a row that another row still names is refused as
before, and nothing is written then."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class O3Owner(orm.Model):
    id: int = orm.Field(primary_key=True)

    class Meta:
        table = "ormt_o3_owner"


class O3Node(orm.Model):
    id: int = orm.Field(primary_key=True)
    parent = orm.ForeignKeyField("O3Node", related_name="kids", null=True, on_delete="restrict")
    owner = orm.ForeignKeyField(O3Owner, related_name="nodes", null=True, on_delete="cascade")

    class Meta:
        table = "ormt_o3_node"


class O3Root(orm.Model):
    """A tree whose root names itself (its key cannot be NULL)."""

    id: int = orm.Field(primary_key=True)
    parent = orm.ForeignKeyField("O3Root", related_name="kids", on_delete="no action")

    class Meta:
        table = "ormt_o3_root"


class O3Note(orm.Model):
    """Rows a node's delete removes by cascade."""

    id: int = orm.Field(primary_key=True)
    node = orm.ForeignKeyField(O3Node, related_name="notes", on_delete="cascade")

    class Meta:
        table = "ormt_o3_note"


MODELS = (O3Owner, O3Node, O3Root, O3Note)


async def _node(key: int, parent: int | None = None, owner: int | None = None) -> O3Node:
    node = await O3Node.create(id=key, owner_id=owner)
    if parent is not None:
        await O3Node.filter(id=key).update(parent_id=parent)
        node.parent_id = parent
    return node


async def test_a_row_naming_itself_is_deleted(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        node = await _node(1, parent=1)
        await O3Note.create(id=1, node_id=1)
        await node.delete()
        assert (await O3Node.all().count(), await O3Note.all().count()) == (0, 0)
        await _node(2, parent=2)
        await _node(3, parent=3)
        await _node(4)
        assert await O3Node.filter(id__in=[2, 3]).delete() == 2
        assert await O3Node.all().values_list("id", flat=True) == [4]


async def test_a_root_naming_itself_is_deleted_with_its_tree(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        await O3Root.create(id=1, parent_id=1)
        root = await O3Root.get(id=1)
        await root.delete()
        assert await O3Root.all().count() == 0
        await O3Root.create(id=1, parent_id=1)
        await O3Root.create(id=2, parent_id=1)
        await O3Root.create(id=3, parent_id=2)
        await O3Root.create(id=9, parent_id=9)
        assert await O3Root.filter(id__in=[1, 2, 3]).delete() == 3
        assert await O3Root.all().values_list("id", flat=True) == [9]


async def test_a_row_naming_itself_reached_by_a_cascade_is_deleted(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        owner = await O3Owner.create(id=1)
        await _node(1, parent=1, owner=1)
        await _node(2, parent=1, owner=1)
        await _node(3, parent=3)
        await owner.delete()
        assert await O3Node.all().values_list("id", flat=True) == [3]


async def test_a_row_still_named_by_another_is_refused_and_kept(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        node = await _node(1, parent=1)
        await _node(2, parent=1)
        with pytest.raises(IntegrityError, match=r"O3Node\.parent"):
            await node.delete()
        with pytest.raises(IntegrityError, match=r"O3Node\.parent"):
            await O3Node.filter(id=1).delete()
        rows = await O3Node.all().order_by("id").values_list("id", "parent_id")
        assert rows == [(1, 1), (2, 1)]  # the key it named itself by is still there
        await O3Root.create(id=1, parent_id=1)
        await O3Root.create(id=2, parent_id=1)
        with pytest.raises(IntegrityError, match=r"O3Root\.parent"):
            await O3Root.filter(id=1).delete()
        rows = await O3Root.all().order_by("id").values_list("id", "parent_id")
        assert rows == [(1, 1), (2, 1)]
        # deleted whole, they go (SQLite's DROP TABLE would delete them one by one)
        assert (await O3Node.all().delete(), await O3Root.all().delete()) == (2, 2)


class O3Pair(orm.Model):
    """Rows restricting each other in a cycle (a nullable key)."""

    id: int = orm.Field(primary_key=True)
    other = orm.ForeignKeyField("O3Pair", related_name="others", null=True, on_delete="restrict")

    class Meta:
        table = "ormt_o3_pair"


class O3Ring(orm.Model):
    """Rows restricting each other in a cycle (a key that cannot be NULL)."""

    id: int = orm.Field(primary_key=True)
    other = orm.ForeignKeyField("O3Ring", related_name="others", on_delete="no action")

    class Meta:
        table = "ormt_o3_ring"


async def test_rows_naming_each_other_in_a_cycle_are_deleted_together(url: str) -> None:
    """PostgreSQL (and Django's collector) delete them: no row outside the delete names
    them. SQLite refused the RESTRICT cycle and MariaDB both; their keys are released first
    now (a NOT NULL one on MariaDB as a row naming itself is)."""
    async with opened(url), own_tables(O3Pair, O3Ring):
        for model in (O3Pair, O3Ring):
            await model.create(id=1, other_id=None if model is O3Pair else 1)
            await model.create(id=2, other_id=1)
            await model.filter(id=1).update(other_id=2)
            await model.create(id=3, other_id=2)  # on the cycle, deleted with it
            await model.create(id=4, other_id=None if model is O3Pair else 4)
            assert await model.filter(id__in=[1, 2, 3]).delete() == 3, model
            assert await model.all().values_list("id", flat=True) == [4], model
            await model.create(id=1, other_id=None if model is O3Pair else 1)
            await model.create(id=2, other_id=1)
            await model.filter(id=1).update(other_id=2)
            with pytest.raises(IntegrityError):  # 3 names 2 and stays
                await model.create(id=3, other_id=2)
                await model.filter(id__in=[1, 2]).delete()
            assert sorted(await model.all().values_list("id", flat=True)) == [1, 2, 3, 4]
            assert await model.all().delete() == 4, model
