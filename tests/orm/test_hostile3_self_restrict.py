"""A tree whose parent key restricts (``on_delete="restrict"``, Django's RESTRICT) deleted
whole: every restricting row is deleted by the same delete, so Django's collector lets it
go (and PostgreSQL, which checks at the statement's end, did). SQLite (which checks a
RESTRICT as each row goes) and MariaDB (which checks each row as InnoDB reaches it) refused
it with IntegrityError whatever the order asked for. The rows now go leaves first."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class H3Cat(orm.Model):
    id: int = orm.Field(primary_key=True)
    parent = orm.ForeignKeyField("H3Cat", related_name="kids", null=True, on_delete="restrict")
    name = orm.CharField(max_length=10, default="")

    class Meta:
        table = "ormt_h3_cat"


async def _tree() -> None:
    # 1 <- 2 <- 3, 1 <- 4, and 5 alone; made root first
    await H3Cat.create(id=1)
    await H3Cat.create(id=2, parent_id=1)
    await H3Cat.create(id=3, parent_id=2)
    await H3Cat.create(id=4, parent_id=1)
    await H3Cat.create(id=5)


@pytest.mark.parametrize("order", ["id", "-id"])
async def test_a_restricting_tree_deleted_whole_is_deleted(url: str, order: str) -> None:
    async with opened(url), own_tables(H3Cat):
        await _tree()
        assert await H3Cat.all().order_by(order).delete() == 5
        assert await H3Cat.all().count() == 0


async def test_a_subtree_deleted_whole_is_deleted(url: str) -> None:
    async with opened(url), own_tables(H3Cat):
        await _tree()
        assert await H3Cat.filter(id__in=[3, 2]).delete() == 2
        assert sorted(await H3Cat.all().values_list("id", flat=True)) == [1, 4, 5]
        await H3Cat.all().delete()  # (SQLite's DROP TABLE deletes the rows one by one)


async def test_a_row_still_named_outside_the_delete_restricts_it(url: str) -> None:
    async with opened(url), own_tables(H3Cat):
        await _tree()
        with pytest.raises(IntegrityError, match=r"H3Cat\.parent"):
            await H3Cat.filter(id__in=[1, 2, 3]).delete()  # 4 still names 1
        assert await H3Cat.all().count() == 5
        assert await H3Cat.all().delete() == 5
