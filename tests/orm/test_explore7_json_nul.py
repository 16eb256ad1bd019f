"""A U+0000 in a JSON value (a string or a key, at any depth): SQLite and MariaDB store it and
read it back; PostgreSQL's ``jsonb`` cannot hold one ("unsupported Unicode escape sequence",
"\\u0000 cannot be converted to text"), and its raw ``DataError`` named no field, where a
text field's NUL is refused naming it (``orm.refusals``). Writes and filters now name the
JSON field too, in the same words as for text."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables


class Doc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)

    class Meta:
        table = "ormt_x7_json_nul"


VALUES = ["a\x00b", {"k": ["x", {"deep": "\x00"}]}, {"key\x00": 1}]


def _writes(value: Any) -> dict[str, Any]:
    async def save() -> None:
        await Doc(id=5, data=value).save(force_insert=True)

    return {
        "create": lambda: Doc.create(id=2, data=value),
        "bulk_create": lambda: Doc.bulk_create([Doc(id=3, data=value)]),
        "update": lambda: Doc.filter(id=1).update(data=value),
        "save": save,
        "filter": lambda: Doc.filter(data=value).count(),
        "filter in": lambda: Doc.filter(data__in=[1, value]).count(),
    }


@pytest.mark.parametrize("value", VALUES, ids=repr)
async def test_a_nul_in_json_is_kept_or_refused_naming_the_field(
    url: str, dialect: str, value: Any
) -> None:
    async with opened(url), own_tables(Doc):
        await Doc.create(id=1, data={"plain": True})
        # the filters' shapes compiled before: a cached shape sends its values unseen
        for seen in ({"plain": True}, "text"):
            assert await Doc.filter(data=seen).count() == int(seen != "text")
            assert await Doc.filter(data__in=[1, seen]).count() == int(seen != "text")
        for label, write in _writes(value).items():
            if dialect != "postgres":
                await write()
                continue
            with pytest.raises(DataError) as refused:
                await write()
            assert "Doc.data: PostgreSQL" in str(refused.value), label
            assert "U+0000" in str(refused.value), label
        if dialect != "postgres":
            assert (await Doc.get(id=2)).data == value
            assert await Doc.filter(data=value).count() == 4  # created, bulk, update, save
