"""A boolean column holding another integer than 0 and 1 (SQLite's ``bool`` and MariaDB's
``tinyint(1)`` hold any; raw SQL and other programs write ``2`` or ``-1``). The drivers'
truth made it True, while ``filter(flag=True)`` compares with 1 and does not find that row,
and Django reads it as the int it is: a read the filters contradict. ferrule reads 0 and 1
and refuses any other value (``UnreadableValueError`` naming ``Model.field``); PostgreSQL's
``boolean`` holds no other value."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened

#: Django's table for a model with a BooleanField (MariaDB's bool is tinyint(1))
TABLES = {
    "sqlite": 'CREATE TABLE "ormt_ff_flag" ("id" integer NOT NULL PRIMARY KEY, "on" bool NULL)',
    "mysql": "CREATE TABLE ormt_ff_flag (id integer NOT NULL PRIMARY KEY, `on` bool NULL)",
}


class FfFlag(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_ff_flag"


async def _table(db: Any, dialect: str, *stored: str) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_ff_flag", [])
    await db.execute(TABLES[dialect], [])
    rows = ", ".join(f"({key}, {value})" for key, value in enumerate(stored, 1))
    await db.execute(f"INSERT INTO ormt_ff_flag VALUES {rows}", [])


@pytest.mark.parametrize("stored", ["2", "-1", "'true'", "0.5"])
async def test_another_integer_is_unreadable(url: str, dialect: str, stored: str) -> None:
    if dialect == "postgres":
        pytest.skip("PostgreSQL's boolean holds true and false")
    if dialect == "mysql" and stored in ("'true'", "0.5"):
        pytest.skip("MariaDB's tinyint takes no text (0.5 is rounded to 1 as it is stored)")
    async with opened(url) as db:
        await _table(db, dialect, "1", "0", stored)
        try:
            reads = {
                "get": lambda: FfFlag.get(id=3),
                "all": lambda: FfFlag.all(),
                "values_list": lambda: FfFlag.filter(id=3).values_list("on", flat=True),
                "values": lambda: FfFlag.filter(id=3).values("on"),
                "only": lambda: FfFlag.filter(id=3).only("on"),
            }
            for path, read in reads.items():
                with pytest.raises(UnreadableValueError) as caught:
                    await read()
                assert "FfFlag.on" in str(caught.value), path
            # what the refusal stands for: the filters do not take it for either value
            assert await FfFlag.filter(on=True).values_list("id", flat=True) == [1]
            assert await FfFlag.filter(on=False).values_list("id", flat=True) == [2]
        finally:
            await db.execute("DROP TABLE ormt_ff_flag", [])


async def test_zero_and_one_read_filter_and_save(url: str, dialect: str) -> None:
    if dialect == "postgres":
        pytest.skip("PostgreSQL's boolean holds true and false")
    async with opened(url) as db:
        await _table(db, dialect, "1", "0", "NULL")
        try:
            assert [f.on for f in await FfFlag.order_by("id")] == [True, False, None]
            assert await FfFlag.order_by("id").values_list("on", flat=True) == [True, False, None]
            assert [type(v) for v in await FfFlag.order_by("id").values_list("on", flat=True)][
                :2
            ] == [bool, bool]
            item = await FfFlag.get(on=True)
            item.on = False
            await item.save()
            assert await FfFlag.filter(on=False).count() == 2
            rows = await db.fetch_tuples("SELECT id FROM ormt_ff_flag WHERE `on` = 0", [])
            assert sorted(r[0] for r in rows) == [1, 2]
        finally:
            await db.execute("DROP TABLE ormt_ff_flag", [])
