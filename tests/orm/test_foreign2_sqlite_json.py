"""A JSON field over a SQLite table Django made: its ``JSONField`` is a ``text`` column with a
``JSON_VALID`` check, holding ``json.dumps`` of the value. SQLite's driver decodes only a
column declared ``JSON``, so ferrule read the text itself (``'"x"'`` for the string ``x``)
and ``save()`` encoded that text again (``'"\\"x\\""'``): every round trip wrapped the value
once more. The field now decodes its text whatever the column is declared, and reads,
filters and writes the values Django reads and writes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import opened, own_tables

#: Django's SQLite table for a model with a JSONField (``data_types`` and its check)
DJANGO_TABLE = """CREATE TABLE "app_doc" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "data" text NULL CHECK ((JSON_VALID("data") OR "data" IS NULL))
)"""

#: values Django's JSONField holds, strings that are JSON text themselves among them
VALUES: list[Any] = ["x", "1", "null", '{"a": 1}', {"a": 1, "b": [1, "c"]}, [1, "b"], 7, 1.5, True]


class Doc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)

    class Meta:
        table = "app_doc"


async def _opened(path: Path, values: list[Any]) -> Any:
    """Django's table at ``path`` holding ``values`` as Django writes them, opened."""
    raw = sqlite3.connect(path)
    raw.execute(DJANGO_TABLE)
    for key, value in enumerate(values, 1):
        raw.execute("INSERT INTO app_doc VALUES (?, ?)", (key, json.dumps(value)))
    raw.commit()
    raw.close()
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    return db


def _django_reads(path: Path) -> list[Any]:
    """What Django reads back: ``json.loads`` of each stored text, in key order."""
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute("SELECT data FROM app_doc ORDER BY id").fetchall()
    finally:
        raw.close()
    return [json.loads(text) for (text,) in rows]


async def test_each_read_path_gives_the_value_django_reads(tmp_path: Path) -> None:
    db = await _opened(tmp_path / "d.db", VALUES)
    try:
        by_key = {doc.id: doc.data for doc in await Doc.all()}
        assert [by_key[k] for k in range(1, len(VALUES) + 1)] == VALUES
        assert [(await Doc.get(id=k)).data for k in range(1, len(VALUES) + 1)] == VALUES
        assert await Doc.order_by("id").values_list("data", flat=True) == VALUES
        assert [r["data"] for r in await Doc.order_by("id").values("data")] == VALUES
        annotated = await Doc.order_by("id").annotate(d=orm.F("data")).values_list("d", flat=True)
        assert annotated == VALUES
        assert [d.data async for d in Doc.order_by("id").iterator()] == VALUES
        async with orm.transaction():
            locked = await Doc.order_by("id").select_for_update()
        assert [d.data for d in locked] == VALUES
    finally:
        orm.set_default(None)
        await db.close()


async def test_save_writes_what_django_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    db = await _opened(path, VALUES)
    try:
        for doc in await Doc.all():
            await doc.save()
        await Doc.create(id=len(VALUES) + 1, data="y")
        await Doc.filter(id=1).update(data={"z": "x"})
        assert _django_reads(path) == [{"z": "x"}, *VALUES[1:], "y"]
    finally:
        orm.set_default(None)
        await db.close()


@pytest.mark.parametrize("value", [v for v in VALUES if not isinstance(v, (bool, float))])
async def test_a_filter_finds_the_value_django_wrote(tmp_path: Path, value: Any) -> None:
    db = await _opened(tmp_path / "d.db", VALUES)
    try:
        assert await Doc.filter(data=value).values_list("id", flat=True) == [
            VALUES.index(value) + 1
        ]
    finally:
        orm.set_default(None)
        await db.close()


async def test_keys_inside_read_and_filter(tmp_path: Path) -> None:
    db = await _opened(tmp_path / "d.db", VALUES)
    try:
        assert await Doc.filter(data__b__1="c").values_list("id", flat=True) == [5]
        assert await Doc.filter(id=5).values_list("data__b", flat=True) == [[1, "c"]]
    finally:
        orm.set_default(None)
        await db.close()


class Fj2Doc(orm.Model):
    """A JSON field in a table ferrule makes."""

    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)

    class Meta:
        table = "ormt_fj2_doc"


async def test_a_json_filter_of_a_cached_shape(url: str) -> None:
    """A filter on a JSON field sent the later values of its shape as their storage text
    (``7``), where the first was compared by its canonical form (``7e0`` on SQLite): once
    ``filter(data="x")`` had run, ``filter(data=7)`` found nothing."""
    async with opened(url), own_tables(Fj2Doc):
        for key, value in enumerate(VALUES, 1):
            await Fj2Doc.create(id=key, data=value)
        for key, value in enumerate(VALUES, 1):
            if isinstance(value, (bool, float)):  # 1.5 and True: not every database's equal
                continue
            found = await Fj2Doc.filter(data=value).values_list("id", flat=True)
            assert (value, found) == (value, [key])
            assert (value, [d.id for d in await Fj2Doc.filter(data=value)]) == (value, [key])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM {t} ORDER BY id",
        "SELECT id, +data AS data FROM {t} ORDER BY id",
        "SELECT id, data, data AS copy FROM {t} ORDER BY id",
    ],
)
async def test_raw_reads_django_and_ferrule_tables_alike(tmp_path: Path, query: str) -> None:
    """raw() SQL selects the column as it likes: SQLite decodes ferrule's ``JSON TEXT`` but
    not Django's ``text`` nor an expression of either, and each decoded string (``"1"``) was
    taken for text to decode (the number 1), each undecoded text for a string."""
    db = await _opened(tmp_path / "d.db", VALUES)
    try:
        await orm.create_tables(Fj2Doc)
        await Fj2Doc.bulk_create([Fj2Doc(id=k, data=v) for k, v in enumerate(VALUES, 1)])
        for model, table in ((Doc, "app_doc"), (Fj2Doc, "ormt_fj2_doc")):
            got = await model.raw(query.format(t=table))
            assert [d.data for d in got] == VALUES, table
        ferrule_copies = await Fj2Doc.raw(query.format(t="ormt_fj2_doc"))
        if "copy" in query:  # a column no field reads: as the driver decoded it
            assert [d.copy for d in ferrule_copies] == VALUES
    finally:
        orm.set_default(None)
        await db.close()
