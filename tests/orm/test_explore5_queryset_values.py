"""A QuerySet compared with a field is a subquery, as in Django:
``filter(pk=Other.filter(...).values("pk")[:1])`` (also ``exclude``, ``__gt``...). It was a
``ValidationError`` ("Input should be a valid integer, input=<QuerySet>"); it is now what
``Subquery(queryset)`` is, with its rules (one column, sliced to one row)."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class Lot(orm.Model):
    id: int = orm.Field(primary_key=True)
    size = orm.IntField()

    class Meta:
        table = "ormt_x5_lot"


async def test_a_sliced_queryset_is_a_subquery_value(url: str) -> None:
    async with opened(url), own_tables(Lot):
        await Lot.bulk_create([Lot(size=s) for s in (5, 9, 2, 9)])
        largest = Lot.order_by("-size", "id").values("id")[:1]
        top = await Lot.filter(pk=orm.Subquery(largest)).values_list("size", flat=True)
        assert await Lot.filter(pk=largest).values_list("size", flat=True) == top == [9]
        assert await Lot.exclude(id=largest).count() == 3
        smallest = Lot.order_by("size").values("size")[:1]
        assert await Lot.filter(size__gt=smallest).count() == 3
        with pytest.raises(FieldError, match=r"slice it to one row"):
            await Lot.filter(pk=Lot.values("id")).count()
