"""A PostgreSQL table another program made with a ``smallint`` where the model declares a
``BooleanField`` (Django's BooleanField is ``boolean``; hand-written and ported schemas use
``smallint``). asyncpg hands the column over as ints, so an instance's boolean field held 1 or
0 (an int the field never holds), ``values()`` answered 1 and 0, and a stored 2 (which
``filter(flag=True)``, ``= 1``, does not find) read as 2. Now 0 and 1 read as False and True
everywhere, and another number is an ``UnreadableValueError`` naming ``Model.field``, as on
SQLite and MariaDB (tests/orm/test_foreign2_flags.py); filters and saves already wrote 1/0."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError
from ferrule.orm import F

from .conftest import opened

TABLE = 'CREATE TABLE ormt_l5_small (id integer PRIMARY KEY, "on" smallint NULL)'


class L5Small(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_l5_small"


async def _table(db: Any, *rows: str) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_l5_small", [])
    await db.execute(TABLE, [])
    await db.execute(f"INSERT INTO ormt_l5_small VALUES {', '.join(rows)}", [])


async def test_zero_and_one_read_filter_and_save_as_booleans(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 1)", "(2, 0)", "(3, NULL)")
        try:
            ordered = L5Small.order_by("id")
            loaded = [(item.on, type(item.on)) for item in await ordered]
            assert loaded == [(True, bool), (False, bool), (None, type(None))]
            for read in (
                ordered.values_list("on", flat=True),
                ordered.values_list(F("on"), flat=True),
                ordered.annotate(x=F("on")).values_list("x", flat=True),
            ):
                got = await read
                assert [(v, type(v)) for v in got][:2] == [(True, bool), (False, bool)]
                assert got[2] is None
            assert await ordered.values("id", "on") == [
                {"id": 1, "on": True},
                {"id": 2, "on": False},
                {"id": 3, "on": None},
            ]
            assert [
                (r.on, type(r.on))
                for r in await L5Small.raw("SELECT * FROM ormt_l5_small WHERE id = 1")
            ] == [(True, bool)]
            assert await L5Small.filter(on=True).values_list("id", flat=True) == [1]
            assert await L5Small.filter(on=False).values_list("id", flat=True) == [2]
            item = await L5Small.get(id=1)
            item.on = False
            await item.save()
            await L5Small.create(id=4, on=True)
            rows = await db.fetch_all('SELECT id, "on" FROM ormt_l5_small ORDER BY id', [])
            assert [tuple(r) for r in rows] == [(1, 0), (2, 0), (3, None), (4, 1)]
        finally:
            await db.execute("DROP TABLE ormt_l5_small", [])


@pytest.mark.parametrize("stored", ["2", "-1"])
async def test_another_number_is_unreadable(url: str, dialect: str, stored: str) -> None:
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 1)", f"(2, {stored})")
        try:
            odd = L5Small.filter(id=2)
            reads: dict[str, Callable[[], Awaitable[Any]]] = {
                "get": lambda: L5Small.get(id=2),
                "all": lambda: L5Small.all(),
                "values_list": lambda: odd.values_list("on", flat=True),
                "values": lambda: odd.values("on"),
                "values F": lambda: odd.values(x=F("on")),
                "only": lambda: odd.only("on"),
            }
            answered = {}
            for path, read in reads.items():
                try:
                    answered[path] = await read()
                except UnreadableValueError as exc:
                    assert "L5Small.on" in str(exc), path
            assert answered == {}
            assert await L5Small.filter(on=True).values_list("id", flat=True) == [1]
            assert await L5Small.filter(on=False).count() == 0
        finally:
            await db.execute("DROP TABLE ormt_l5_small", [])


async def test_raw_of_another_number_is_refused(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 2)")
        try:
            with pytest.raises(UnreadableValueError, match=r"L5Small\.on"):
                await L5Small.raw("SELECT * FROM ormt_l5_small")
        finally:
            await db.execute("DROP TABLE ormt_l5_small", [])
