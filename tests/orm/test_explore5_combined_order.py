"""``order_by()`` after ``union()``: Django orders a combination by ``pk`` and by a relation's
name (its key column) as by any selected column, and refuses a field the rows do not hold
("ORDER BY term does not match any column in the result set").

``union(...).order_by("pk")`` was "Item has no field 'pk'; did you mean 'p'?", a relation's name
"has no field 'cat' here", and ``values_list("name").order_by("a")`` "has no field 'a'; did you
mean 'a'?": the refusal must say that the field is not among the selected columns."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class Bin(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_x5_bin"


class Part(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10)
    a = orm.IntField()
    bin = orm.ForeignKeyField(Bin, related_name="parts", null=True)

    class Meta:
        table = "ormt_x5_part"


async def _both() -> orm.QuerySet[Part]:
    one = await Bin.create(label="one")
    two = await Bin.create(label="two")
    for name, a, where in [("p", 3, two), ("q", -1, one), ("r", 8, None), ("s", 0, one)]:
        await Part.create(name=name, a=a, bin=where)
    return Part.filter(a__gt=0).union(Part.filter(a__lte=0))


async def test_a_combination_orders_by_pk_and_by_a_relation(url: str) -> None:
    async with opened(url), own_tables(Bin, Part):
        both = await _both()
        assert [p.name for p in await both.order_by("-pk")] == ["s", "r", "q", "p"]
        got = await both.values_list("id", "name").order_by("pk")
        assert [n for _, n in got] == ["p", "q", "r", "s"]
        assert [p.name for p in await both.order_by("bin", "-name")] == ["r", "s", "q", "p"]


async def test_a_field_not_selected_is_refused_by_name(url: str) -> None:
    async with opened(url), own_tables(Bin, Part):
        both = await _both()
        for ordered in (
            both.order_by("-a").values_list("name", flat=True),
            both.values("name").order_by("a"),
        ):
            with pytest.raises(FieldError, match="'a' is not among the columns"):
                await ordered
        with pytest.raises(FieldError, match="did you mean 'name'"):
            await both.order_by("nme")


class Shelved(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=10)

    class Meta:
        table = "ormt_x5_shelved"
        ordering = ("-label",)


class Filed(orm.Model):
    id: int = orm.Field(primary_key=True)
    shelf = orm.ForeignKeyField(Shelved, related_name="filed")

    class Meta:
        table = "ormt_x5_filed"


async def test_a_relation_ordered_by_its_models_ordering_is_refused(url: str) -> None:
    """``order_by("shelf")`` orders by ``Shelved.Meta.ordering`` elsewhere; no selected
    column of the combination holds it, so ordering by the key would be another order."""
    async with opened(url), own_tables(Shelved, Filed):
        both = Filed.filter(id__lt=5).union(Filed.filter(id__gte=5))
        with pytest.raises(FieldError, match="order by 'shelf_id'"):
            await both.order_by("shelf")
        assert await both.order_by("shelf_id") == []
