"""``Model.raw()``'s rows, read with the driver's decoded values marked (`backends.marks`)
where the SQL may have selected a column the ORM's own queries read as an expression
(``columns.read_column``), because the driver decodes that column by its declared type:

* SQLite's JSON: the driver decodes a column declared ``JSON`` (a ferrule table) and hands
  over the text of one declared otherwise (Django's ``text``), so a decoded string (``"1"``)
  and the text of a number (``1``) looked alike. A JSON field takes a `Decoded` value as it is
  (``readers.json_reader``) and decodes text.
* SQLite's and MariaDB's booleans: the drivers make any non-zero value True, where
  ``filter(flag=True)`` (``= 1``) does not find a stored 2 or -1. A boolean field gets what is
  stored (`OddFlag.stored`), which ``readers.flag_reader`` refuses naming ``Model.field``.

Any other column gets the value an unmarked read gives it."""

from __future__ import annotations

from typing import Any

from ferrule.backends.base import Rows
from ferrule.backends.marks import Decoded, OddFlag, marking
from ferrule.orm.lookups import is_json

__all__ = ["fetch", "marked"]


def marked(dialect: str, by_column: dict[str, Any]) -> bool:
    """Whether raw() over these columns (a model's, by name) reads marked values."""
    if dialect == "sqlite":
        return any(is_json(c) or c.logical.name == "bool" for c in by_column.values())
    return dialect == "mysql" and any(c.logical.name == "bool" for c in by_column.values())


async def fetch(db: Any, query: Any, params: Any, by_column: dict[str, Any]) -> Rows:
    """``db.fetch_all(query, params)``, a marked value left as a JSON field reads it, or as
    what is stored where a boolean field reads it (``by_column``: the model's columns)."""
    with marking():
        rows = await db.fetch_all(query, params)
    names = tuple(getattr(rows, "columns", ()) or ())
    json = frozenset(i for i, name in enumerate(names) if is_json(by_column.get(name)))
    flags = frozenset(i for i, name in enumerate(names) if _is_flag(by_column.get(name)))
    out = [tuple(_read(value, i, json, flags) for i, value in enumerate(row)) for row in rows]
    return Rows(out, names)


def _is_flag(column: Any) -> bool:
    return column is not None and column.logical.name == "bool" and column.enum is None


def _read(value: Any, index: int, json: frozenset[int], flags: frozenset[int]) -> Any:
    kind = type(value)
    if kind is Decoded:
        return value if index in json else value.value
    if kind is OddFlag:
        return value.stored if index in flags else value.value
    return value
