"""A JSON field over a PostgreSQL column of the ``json`` type (SQLAlchemy's ``JSON``, tables
other programs made; ferrule and Django make ``jsonb``): it read as JSON, but a filter on
it failed, as ``json`` has no ``=`` (``ProgrammingError: operator does not exist: json =
unknown``). Filters compare it as ``jsonb`` now, as they compare ferrule's own column."""

from __future__ import annotations

import pytest

from ferrule import orm

from .conftest import opened


class FpjDoc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)

    class Meta:
        table = "ormt_fpj_doc"


async def test_a_json_column_filters_as_jsonb(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("PostgreSQL's json type")
    async with opened(url) as db:
        await db.execute("DROP TABLE IF EXISTS ormt_fpj_doc", [])
        await db.execute("CREATE TABLE ormt_fpj_doc (id integer PRIMARY KEY, data json)", [])
        try:
            await db.execute(
                """INSERT INTO ormt_fpj_doc VALUES (1, '{"b": 2, "a": 1}'), (2, '"x"'),"""
                " (3, '[1, 2.0]'), (4, NULL)",
                [],
            )
            assert await FpjDoc.filter(data={"a": 1, "b": 2}).values_list("id", flat=True) == [1]
            assert await FpjDoc.filter(data="x").values_list("id", flat=True) == [2]
            assert await FpjDoc.filter(data=[1, 2]).values_list("id", flat=True) == [3]
            found = await FpjDoc.filter(data__in=["x", [1, 2]]).order_by("id")
            assert [d.id for d in found] == [2, 3]
            kept = await FpjDoc.exclude(data="x").order_by("id").values_list("id", flat=True)
            assert kept == [1, 3, 4]  # Django's exclude keeps the NULL
            doc = await FpjDoc.get(id=1)
            await doc.save()
            assert (await FpjDoc.get(data={"a": 1, "b": 2})).data == {"a": 1, "b": 2}
        finally:
            await db.execute("DROP TABLE ormt_fpj_doc", [])
