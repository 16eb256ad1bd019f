"""A boolean column holding another integer than 0 or 1 (2, -1: SQLite's ``bool`` and
MariaDB's ``tinyint(1)`` hold any, written by another program), read past the ORM's own
column reads: ``Model.raw()``, an ``F()`` of the field and its ``Min``/``Max``. The drivers
make any non-zero value True, which ``filter(flag=True)`` (``= 1``) does not find; the
ORM's loads and ``values()`` refuse it (``UnreadableValueError`` naming ``Model.field``,
tests/orm/test_foreign2_flags.py), and so must these reads, where they answered True."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError
from ferrule.orm import F, Max, Min

from .conftest import opened

#: Django's table for a model with a BooleanField (MariaDB's bool is tinyint(1))
TABLES = {
    "sqlite": 'CREATE TABLE "ormt_l5_flag" ("id" integer NOT NULL PRIMARY KEY, "on" bool NULL)',
    "mysql": "CREATE TABLE ormt_l5_flag (id integer NOT NULL PRIMARY KEY, `on` bool NULL)",
}


class L5Flag(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_l5_flag"


def _reads(dialect: str) -> dict[str, Callable[[], Awaitable[Any]]]:
    q, mark = ('"', "?") if dialect == "sqlite" else ("`", "%s")
    odd = L5Flag.filter(id=3)
    return {
        "raw *": lambda: L5Flag.raw("SELECT * FROM ormt_l5_flag WHERE id = 3"),
        "raw named": lambda: L5Flag.raw(
            f"SELECT id, {q}on{q} FROM ormt_l5_flag WHERE id = {mark}", [3]
        ),
        "annotate F": lambda: odd.annotate(x=F("on")).values_list("x", flat=True),
        "values F": lambda: odd.values(x=F("on")),
        "Max": lambda: odd.aggregate(m=Max("on")),
        "Min": lambda: odd.aggregate(m=Min("on")),
        "annotate Max": lambda: odd.values("id").annotate(m=Max("on")),
    }


@pytest.mark.parametrize("stored", ["2", "-1"])
async def test_odd_flag_is_unreadable_past_the_loads(url: str, dialect: str, stored: str) -> None:
    if dialect == "postgres":
        pytest.skip("PostgreSQL's boolean holds true and false")
    async with opened(url) as db:
        await db.execute("DROP TABLE IF EXISTS ormt_l5_flag", [])
        await db.execute(TABLES[dialect], [])
        await db.execute(f"INSERT INTO ormt_l5_flag VALUES (1, 1), (2, 0), (3, {stored})", [])
        try:
            answered = {}
            for path, read in _reads(dialect).items():
                try:
                    answered[path] = await read()
                except UnreadableValueError as exc:
                    assert "L5Flag.on" in str(exc), path
            assert answered == {}
            # what the refusal stands for: the filters take it for neither value
            assert await L5Flag.filter(on=True).values_list("id", flat=True) == [1]
            assert await L5Flag.filter(on=False).values_list("id", flat=True) == [2]
        finally:
            await db.execute("DROP TABLE ormt_l5_flag", [])


async def test_zero_and_one_read_alike_on_every_path(url: str, dialect: str) -> None:
    async with opened(url) as db:
        if dialect != "postgres":
            await db.execute("DROP TABLE IF EXISTS ormt_l5_flag", [])
            await db.execute(TABLES[dialect], [])
        else:
            await orm.drop_tables(L5Flag, if_exists=True)
            await orm.create_tables(L5Flag)
        try:
            await L5Flag.bulk_create([L5Flag(id=1, on=True), L5Flag(id=2, on=False), L5Flag(id=3)])
            q = '"' if dialect != "mysql" else "`"
            raw = await L5Flag.raw(f"SELECT id, {q}on{q} FROM ormt_l5_flag ORDER BY id")
            assert [(r.on, type(r.on)) for r in raw] == [
                (True, bool),
                (False, bool),
                (None, type(None)),
            ]
            ordered = L5Flag.order_by("id")
            assert await ordered.values_list(F("on"), flat=True) == [True, False, None]
            assert await L5Flag.all().aggregate(a=Max("on"), b=Min("on")) == {"a": True, "b": False}
            assert await L5Flag.filter(on=F("on")).count() == 2
        finally:
            await orm.drop_tables(L5Flag, if_exists=True)
