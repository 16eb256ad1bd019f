"""``Model.raw()`` on SQLite over a model with a JSON field. The ORM's own queries select such
a column as an expression (``columns.read_column``), so the field always decodes its text;
raw SQL selects it as it likes, and SQLite's driver decodes a column declared ``JSON`` (a
ferrule table) but hands over the text of one declared otherwise (Django's ``text``): a
decoded string (``"1"``) and the text of a number (``1``) looked alike. The rows are read
with the driver's decoded values marked (``sqlite_types.marking_decoded``): a JSON field
takes a marked value as it is (``readers.json_reader``) and decodes text; any other column
gets the value the driver decoded, as an unmarked read gives it."""

from __future__ import annotations

from typing import Any

from ferrule.backends.base import Rows
from ferrule.backends.sqlite_types import Decoded, marking_decoded
from ferrule.orm.lookups import is_json

__all__ = ["fetch"]


async def fetch(db: Any, query: Any, params: Any, by_column: dict[str, Any]) -> Rows:
    """``db.fetch_all(query, params)``, a value decoded from a column declared ``JSON`` left
    marked where a JSON field reads it (``by_column``: the model's columns by name)."""
    with marking_decoded():
        rows = await db.fetch_all(query, params)
    names = tuple(getattr(rows, "columns", ()) or ())
    kept = frozenset(i for i, name in enumerate(names) if is_json(by_column.get(name)))
    out = [
        tuple(
            value.value if type(value) is Decoded and index not in kept else value
            for index, value in enumerate(row)
        )
        for row in rows
    ]
    return Rows(out, names)
