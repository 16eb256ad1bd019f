"""``Model.filter()``/``Model.all()`` copy a blank QuerySet kept per model (``queryset.fresh``)
instead of building one: each model's QuerySets must still carry that model's own options
(``Meta.validate_on_load``, ``Meta.cache``), however the calls of models with the same fields
interleave, and a QuerySet chained from one must leave the next one blank."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables


class Plain(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20, min_length=3)

    class Meta:
        table = "ormt_fresh_plain"


class Checked(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20, min_length=3)

    class Meta:
        table = "ormt_fresh_checked"
        validate_on_load = True
        cache = 60


async def test_each_model_keeps_its_own_options_and_a_blank_start(url: str) -> None:
    async with opened(url) as db, own_tables(Plain, Checked):
        for model in (Plain, Checked):
            table = model._meta.table
            await db.execute(f"INSERT INTO {table} (id, name) VALUES (1, 'no')")
            await db.execute(f"INSERT INTO {table} (id, name) VALUES (2, 'okay')")
        orm.query_cache.clear()
        for _ in range(3):  # later rounds copy the blank QuerySets made in the first
            ordered: Any = Plain.filter(id__gte=1).order_by("id")
            assert [p.name for p in await ordered] == ["no", "okay"]  # not checked
            assert [p.name for p in await Plain.all().order_by("id")] == ["no", "okay"]
            assert [p.id for p in await Plain.filter(name="okay")] == [2]  # no earlier filter
            with pytest.raises(ValidationError):
                await Checked.filter(id__gte=1).order_by("id")  # validate_on_load
            with pytest.raises(ValidationError):
                await Checked.all()
            assert [c.id for c in await Checked.filter(name="okay")] == [2]
        hits = orm.query_cache.hits
        assert [c.id for c in await Checked.filter(name="okay")] == [2]
        assert orm.query_cache.hits == hits + 1  # Meta.cache: served from the cache
        assert [p.id for p in await Plain.filter(name="okay")] == [2]
        assert orm.query_cache.hits == hits + 1  # Plain has no cache
        orm.query_cache.clear()
