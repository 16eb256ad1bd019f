"""A field typed ``Literal[...]`` is a column, as an enum field is: its text values in a
``VARCHAR`` as long as the longest, its int values in an integer column (Django's
``CharField(choices=...)``/``IntegerField(choices=...)``). A value outside it is a
``ValidationError`` on construction, as a filter value and in ``update()``. Before, the model
could not be used at all: "no column type for a field of type 'literal'".
"""

from __future__ import annotations

from typing import Literal

import pytest

from ferrule import orm
from ferrule.errors import SchemaError, ValidationError

from .conftest import opened, own_tables


class Task(orm.Model):
    id: int = orm.Field(primary_key=True)
    state: Literal["draft", "live", "archived"] = "draft"
    level: Literal[1, 2, 3] = 1
    tag: Literal["a", "b"] | None = None

    class Meta:
        table = "ormt_literal_task"


async def test_literal_fields_are_columns(url: str) -> None:
    async with opened(url), own_tables(Task):
        first = await Task.create(state="live", level=3, tag="a")
        await Task.bulk_create([Task(), Task(state="archived", level=2)])
        assert await Task.get(id=first.id) == first
        rows = await Task.order_by("state", "level").values_list("state", "level", "tag")
        assert rows == [("archived", 2, None), ("draft", 1, None), ("live", 3, "a")]
        assert await Task.filter(level__gte=2).count() == 2
        assert await Task.filter(state__in=["draft", "live"]).count() == 2
        assert await Task.filter(tag__isnull=True).count() == 2
        assert await Task.aggregate(top=orm.Max("level")) == {"top": 3}
        with pytest.raises(ValidationError):
            await Task.filter(state="gone").count()
        with pytest.raises(ValidationError):
            await Task.all().update(level=4)
        with pytest.raises(ValidationError):
            Task(state="gone")
        assert await Task.filter(id=first.id).update(state="archived") == 1
        assert await Task.filter(state="archived").count() == 2


def test_a_literal_of_mixed_values_is_refused() -> None:
    with pytest.raises(SchemaError, match=r"Mixed\.kind"):

        class Mixed(orm.Model):
            id: int = orm.Field(primary_key=True)
            kind: Literal["a", 1] = "a"

        Mixed._meta.columns  # noqa: B018
