"""An integer field over a MariaDB ``tinyint(1)`` (hand-written DDL uses it for small
numbers: a rating, a level). asyncmy's description makes every ``tinyint(1)`` a boolean and
the backend reads it as ``bool(value)``, so ``5`` read as True (and ``save()`` wrote 1),
while ``filter(level=5)`` found the row. An integer field now reads the integer stored."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from ferrule import orm

from .conftest import opened

TABLE = "CREATE TABLE ormt_ft_level (id integer NOT NULL PRIMARY KEY, level tinyint(1) NULL)"


class Level(enum.IntEnum):
    LOW = 0
    MID = 1
    HIGH = 5


class FtLevel(orm.Model):
    id: int = orm.Field(primary_key=True)
    level: int | None = orm.Field(default=None)

    class Meta:
        table = "ormt_ft_level"


class FtLevelEnum(orm.Model):
    id: int = orm.Field(primary_key=True)
    level: Level | None = orm.Field(default=None)

    class Meta:
        table = "ormt_ft_level"


async def _table(db: Any) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_ft_level", [])
    await db.execute(TABLE, [])
    await db.execute("INSERT INTO ormt_ft_level VALUES (1, 5), (2, 1), (3, 0), (4, -3)", [])


async def test_an_int_field_reads_the_integer(url: str, dialect: str) -> None:
    if dialect != "mysql":
        pytest.skip("MariaDB's tinyint(1)")
    async with opened(url) as db:
        await _table(db)
        try:
            expected = [5, 1, 0, -3]
            got = [x.level for x in await FtLevel.order_by("id")]
            assert (got, [type(v) for v in got]) == (expected, [int] * 4)
            assert await FtLevel.order_by("id").values_list("level", flat=True) == expected
            assert (await FtLevel.get(level=5)).level == 5
            for item in await FtLevel.all():
                await item.save()
            rows = await db.fetch_tuples("SELECT level + 0 FROM ormt_ft_level ORDER BY id", [])
            assert [r[0] for r in rows] == expected
            await FtLevelEnum.filter(id=4).delete()
            members = [x.level for x in await FtLevelEnum.order_by("id")]
            assert members == [Level.HIGH, Level.MID, Level.LOW]
        finally:
            await db.execute("DROP TABLE ormt_ft_level", [])
