"""A key of 0 given for a database-numbered primary key: MariaDB's ``AUTO_INCREMENT`` takes an
inserted 0 as "number this row" (unless the session's ``sql_mode`` has
``NO_AUTO_VALUE_ON_ZERO``) and stored the next key instead, while the instance kept 0 and a
later ``save()`` wrote to another row. SQLite and PostgreSQL store 0. On MariaDB every insert
path now refuses such a key, naming the field (Django refuses it there too); the rows are read
back with the database's own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables


class ZeroKey(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=10)

    class Meta:
        table = "ormt_zero_key"


def _writes() -> dict[str, Any]:
    async def create() -> None:
        await ZeroKey.create(id=0, name="z")

    async def save() -> None:
        await ZeroKey(id=0, name="z").save()

    async def save_insert() -> None:
        await ZeroKey(id=0, name="z").save(force_insert=True)

    async def bulk() -> None:
        await ZeroKey.bulk_create([ZeroKey(id=5, name="a"), ZeroKey(id=0, name="z")])

    async def upsert() -> None:
        await ZeroKey.bulk_create([ZeroKey(id=0, name="z")], on_conflict=("update", ["name"]))

    async def get_or_create() -> None:
        await ZeroKey.get_or_create(id=0, defaults={"name": "z"})

    return {
        "create": create,
        "save": save,
        "save_insert": save_insert,
        "bulk": bulk,
        "upsert": upsert,
        "get_or_create": get_or_create,
    }


@pytest.mark.parametrize("write", sorted(_writes()))
async def test_a_zero_key_is_stored_as_zero_or_refused(url: str, dialect: str, write: str) -> None:
    async with opened(url) as db, own_tables(ZeroKey):
        if dialect == "mysql":
            with pytest.raises(DataError, match=r"ZeroKey\.id"):
                await _writes()[write]()
            assert await db.fetch_all("SELECT id FROM ormt_zero_key") == []
        else:
            await _writes()[write]()
            rows = await db.fetch_all("SELECT id, name FROM ormt_zero_key WHERE id = 0")
            assert [tuple(r) for r in rows] == [(0, "z")]


async def test_other_keys_are_stored_as_given(url: str) -> None:
    async with opened(url) as db, own_tables(ZeroKey):
        await ZeroKey.create(id=7, name="a")
        await ZeroKey.bulk_create([ZeroKey(id=-3, name="b")])
        made = await ZeroKey.create(name="c")
        rows = await db.fetch_all("SELECT id, name FROM ormt_zero_key ORDER BY name")
        assert [tuple(r) for r in rows] == [(7, "a"), (-3, "b"), (made.id, "c")]
