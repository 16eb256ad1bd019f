"""The query cache never hands two callers the same mutable value: a JSON list or dict read
through ``.cached()`` is the caller's own, as the cache's docstring promises ("every hit builds
fresh instances, so callers never share mutable objects"). Before, the rows kept held the
decoded JSON values themselves (SQLite's and asyncpg's decoders make them when the row is
read), so ``item.tags.append(...)`` on one result changed what every later hit returned, a
value no row holds.
"""

from __future__ import annotations

from typing import Any

from ferrule import orm

from .conftest import opened, own_tables


class Item(orm.Model):
    id: int = orm.Field(primary_key=True)
    tags: list[str] = orm.JSONField(default=list)
    meta: dict[str, Any] = orm.JSONField(default=dict)

    class Meta:
        table = "ormt_cache_sharing_item"


async def test_cached_json_values_are_each_callers_own(url: str) -> None:
    async with opened(url), own_tables(Item):
        await Item.create(tags=["a"], meta={"k": [1]})
        for _ in range(2):  # the miss that fills the entry, then a hit
            (item,) = await Item.all().cached(60)
            item.tags.append("changed")
            item.meta["k"].append(2)
            (row,) = await Item.values("tags", "meta").cached(60)
            row["tags"].append("changed")
        (again,) = await Item.all().cached(60)
        assert (again.tags, again.meta) == (["a"], {"k": [1]})
        assert await Item.values_list("tags", flat=True).cached(60) == [["a"]]
