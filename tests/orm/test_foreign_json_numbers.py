"""A JSON number no float holds, in a JSON column another program filled (``1e400``: valid
JSON, which MariaDB's ``json_valid`` and SQLite's ``json()`` accept). PostgreSQL's ``jsonb``
keeps it as the exact number it is, the integer 10**400; MariaDB and SQLite keep the text,
which ``json.loads`` read as ``inf``: a value that was not stored, and one ferrule then
refused to save. It is an ``UnreadableValueError`` there."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened

#: the JSON columns Django (MariaDB, PostgreSQL) and SQLAlchemy (SQLite) make
TABLES = {
    "sqlite": "CREATE TABLE ormt_fj_doc (id integer PRIMARY KEY, data json NULL)",
    "postgres": "CREATE TABLE ormt_fj_doc (id integer PRIMARY KEY, data jsonb NULL)",
    "mysql": "CREATE TABLE ormt_fj_doc (id integer PRIMARY KEY,"
    " data longtext NULL CHECK (json_valid(data)))",
}


class FjDoc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)

    class Meta:
        table = "ormt_fj_doc"


@pytest.mark.parametrize("text", ["1e400", '{"a": [-1E+400]}'])
async def test_a_number_past_a_float(url: str, dialect: str, text: str) -> None:
    async with opened(url) as db:
        await db.execute("DROP TABLE IF EXISTS ormt_fj_doc", [])
        await db.execute(TABLES[dialect], [])
        try:
            await db.execute(f"INSERT INTO ormt_fj_doc VALUES (1, '{text}')", [])
            reads: dict[str, Any] = {
                "get": lambda: FjDoc.get(id=1),
                "values_list": lambda: FjDoc.all().values_list("data", flat=True),
            }
            for path, read in reads.items():
                if dialect == "postgres":  # jsonb's own number: exact
                    got = await read()
                    value = got[0] if isinstance(got, list) else got.data
                    assert value in (10**400, {"a": [-(10**400)]}), path
                    continue
                with pytest.raises(UnreadableValueError) as caught:
                    await read()
                assert "FjDoc.data" in str(caught.value), path
        finally:
            await db.execute("DROP TABLE ormt_fj_doc", [])
