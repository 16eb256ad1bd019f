"""UUIDs as Django stores them where the database has no UUID type: SQLite and MariaDB before
10.7 get a ``char(32)`` of the 32 hex digits (``uuid.hex``). ferrule read them as UUIDs but
filtered and saved by the 36-character text, so a filter found nothing and ``save()`` wrote
another text than the one Django reads and filters by. ``UUIDField(hex=True)`` stores,
filters and reads the 32 digits; a field reads only the form it writes, and text of the other
form is an ``UnreadableValueError`` naming the option."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened

#: the table Django makes for a model with a UUIDField (PostgreSQL: its uuid type)
TABLES = {
    "sqlite": 'CREATE TABLE "ormt_fu_item" ("id" integer NOT NULL PRIMARY KEY,'
    ' "ref" char(32) NULL)',
    "mysql": "CREATE TABLE ormt_fu_item (id integer NOT NULL PRIMARY KEY, ref char(32) NULL)",
    "postgres": "CREATE TABLE ormt_fu_item (id integer NOT NULL PRIMARY KEY, ref uuid NULL)",
}

#: a column that holds any of the forms
WIDE = "CREATE TABLE ormt_fu_item (id integer NOT NULL PRIMARY KEY, ref varchar(40) NULL)"

ONE = uuid.UUID("12345678-1234-5678-1234-567812345678")
TWO = uuid.UUID("abcdefab-cdef-abcd-efab-cdefabcdefab")


class FuHex(orm.Model):
    id: int = orm.Field(primary_key=True)
    ref = orm.UUIDField(hex=True, null=True)

    class Meta:
        table = "ormt_fu_item"


class FuDashed(orm.Model):
    id: int = orm.Field(primary_key=True)
    ref = orm.UUIDField(null=True)

    class Meta:
        table = "ormt_fu_item"


async def _django_table(db: Any, dialect: str, *rows: tuple[int, uuid.UUID]) -> None:
    """Django's table holding ``rows`` as Django writes them (``uuid.hex``, or the uuid)."""
    await db.execute("DROP TABLE IF EXISTS ormt_fu_item", [])
    await db.execute(TABLES[dialect], [])
    for key, value in rows:
        stored = str(value) if dialect == "postgres" else value.hex
        await db.execute(f"INSERT INTO ormt_fu_item VALUES ({key}, '{stored}')", [])


async def _stored(db: Any) -> list[Any]:
    """What Django reads back: the stored text (or uuid) by key."""
    rows = await db.fetch_all("SELECT ref FROM ormt_fu_item ORDER BY id", [])
    return [row[0] for row in rows]


async def test_a_hex_field_reads_filters_and_writes_djangos_form(url: str, dialect: str) -> None:
    async with opened(url) as db:
        await _django_table(db, dialect, (1, ONE), (2, TWO))
        try:
            assert [i.ref for i in await FuHex.order_by("id")] == [ONE, TWO]
            assert (await FuHex.get(ref=ONE)).id == 1
            assert await FuHex.filter(ref=TWO).values_list("id", flat=True) == [2]
            assert await FuHex.filter(ref__in=[ONE, TWO]).count() == 2
            assert await FuHex.filter(ref__gt=ONE).values_list("id", flat=True) == [2]
            item = await FuHex.get(id=1)
            await item.save()
            await FuHex.create(id=3, ref=TWO)
            await FuHex.filter(id=2).update(ref=ONE)
            stored = await _stored(db)
            if dialect == "postgres":
                assert stored == [ONE, ONE, TWO]
            else:
                assert stored == [ONE.hex, ONE.hex, TWO.hex]
            assert await FuHex.filter(ref=ONE).count() == 2
            await FuHex.bulk_create([FuHex(id=4, ref=TWO)])
            assert (await _stored(db))[3] == (TWO if dialect == "postgres" else TWO.hex)
            assert await FuHex.aggregate(m=orm.Max("ref"), n=orm.Min("ref")) == {"m": TWO, "n": ONE}
        finally:
            await db.execute("DROP TABLE ormt_fu_item", [])


@pytest.mark.parametrize(
    ("model", "stored", "words"),
    [
        (FuDashed, ONE.hex, "declare UUIDField(hex=True)"),
        (FuHex, str(ONE), "declare UUIDField()"),
        (FuDashed, str(TWO).upper(), "36 characters"),
        (FuHex, TWO.hex.upper(), "32 hex digits"),
        (FuDashed, "{" + str(ONE) + "}", "36 characters"),
    ],
)
async def test_text_of_another_form_is_unreadable(
    url: str, dialect: str, model: Any, stored: str, words: str
) -> None:
    if dialect == "postgres":
        pytest.skip("PostgreSQL's uuid type holds no text form")
    async with opened(url) as db:
        await db.execute("DROP TABLE IF EXISTS ormt_fu_item", [])
        await db.execute(WIDE, [])  # any form fits
        await db.execute(f"INSERT INTO ormt_fu_item VALUES (1, '{stored}')", [])
        try:
            reads = {
                "get": lambda: model.get(id=1),
                "all": lambda: model.all(),
                "values_list": lambda: model.all().values_list("ref", flat=True),
            }
            for path, read in reads.items():
                with pytest.raises(UnreadableValueError) as caught:
                    await read()
                assert f"{model.__name__}.ref" in str(caught.value), path
                assert words in str(caught.value), path
        finally:
            await db.execute("DROP TABLE ormt_fu_item", [])


async def test_create_tables_makes_djangos_column(url: str, dialect: str) -> None:
    async with opened(url) as db:
        await orm.drop_tables(FuHex, if_exists=True)
        await orm.create_tables(FuHex)
        try:
            await FuHex.create(id=1, ref=ONE)
            found = await db.fetch_all("SELECT ref FROM ormt_fu_item", [])
            assert found[0][0] == (ONE if dialect == "postgres" else ONE.hex)
            assert (await FuHex.get(ref=ONE)).ref == ONE
        finally:
            await orm.drop_tables(FuHex)


def test_the_option_takes_a_bool() -> None:
    from ferrule.errors import SchemaError

    with pytest.raises(SchemaError, match="hex"):
        orm.UUIDField(hex=1)
