"""A JSON field's value computed by an expression (``Coalesce``, ``Case``, a
``Subquery``) is the JSON value, as ``F()`` and the field itself give it, on every database:
SQLite answered the stored JSON text (``'{"a":[1,2.5]}'``, a ``str``), since its driver
decodes only a bare column of a declared JSON type; PostgreSQL and MariaDB answered the dict.
A typed JSON field's expression is its typed value too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import orm

from .conftest import opened, own_tables


class Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)
    days: list[dt.date] | None = orm.Field(default=None)

    class Meta:
        table = "ormt_x7_json_note"


class Pin(orm.Model):
    id: int = orm.Field(primary_key=True)
    note = orm.ForeignKeyField(Note, related_name="pins")

    class Meta:
        table = "ormt_x7_json_pin"


VALUES: list[Any] = [{"a": [1, 2.5, None]}, [1, "x"], "text", "1", 7, 2.5, True]


def _expressions(name: str) -> dict[str, Any]:
    return {
        "F": orm.F(name),
        "Coalesce": orm.Coalesce(orm.F(name), orm.F(name)),
        "Case": orm.Case(orm.When(id__gte=1, then=orm.F(name)), default=orm.F(name)),
    }


@pytest.mark.parametrize("value", VALUES, ids=repr)
async def test_an_expression_of_a_json_field_is_its_value(url: str, value: Any) -> None:
    days = [dt.date(2024, 2, 29)]
    async with opened(url), own_tables(Note, Pin):
        await Note.create(id=1, data=value, days=days)
        await Pin.create(id=1, note_id=1)
        got = {}
        for name, want in (("data", value), ("days", days)):
            for label, expr in _expressions(name).items():
                found = await Note.annotate(x=expr).values_list("x", flat=True)
                got[(name, label)] = (found[0], want)
            newest = Note.filter(id=orm.OuterRef("note_id")).values(name)[:1]
            found = await Pin.annotate(x=orm.Subquery(newest)).values_list("x", flat=True)
            got[(name, "Subquery")] = (found[0], want)
            inner = Note.annotate(c=orm.Coalesce(orm.F(name), orm.F(name)))
            computed = inner.filter(id=orm.OuterRef("note_id")).values("c")[:1]
            found = await Pin.annotate(x=orm.Subquery(computed)).values_list("x", flat=True)
            got[(name, "Subquery of Coalesce")] = (found[0], want)
        wrong = {k: v for k, v in got.items() if v[0] != v[1] or type(v[0]) is not type(v[1])}
        assert wrong == {}
