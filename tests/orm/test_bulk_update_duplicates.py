"""``bulk_update`` given one row twice: Django's documented answer is that only the first
instance is written, and the count is of rows updated. Each instance was written in turn, so
the last one won and the row was counted twice."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened, own_tables


class BudItem(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=20)
    size = orm.IntField(default=0)

    class Meta:
        table = "ormt_bud_item"


async def test_the_first_of_two_instances_of_one_row_is_written(url: str) -> None:
    async with opened(url), own_tables(BudItem):
        one = await BudItem.create(name="one", size=1)
        two = await BudItem.create(name="two", size=2)
        (again,) = await BudItem.filter(id=one.id)
        one.name, again.name, two.name = "first", "second", "other"
        assert await BudItem.bulk_update([one, two, again], ["name"]) == 2
        rows = await BudItem.all().order_by("id").values_list("name", flat=True)
        assert rows == ["first", "other"]


async def test_a_row_that_is_gone_is_not_counted(url: str) -> None:
    async with opened(url), own_tables(BudItem):
        one = await BudItem.create(name="one", size=1)
        gone = await BudItem.create(name="gone", size=2)
        await BudItem.filter(id=gone.id).delete()
        one.size, gone.size = 10, 20
        assert await BudItem.bulk_update([one, gone, one], ["size"]) == 1
        assert await BudItem.all().values_list("size", flat=True) == [10]
