"""``exact`` and ``in`` on a JSON field: equal as JSON values, the same on every database.

PostgreSQL's ``jsonb`` compares by value: object keys in any order, numbers by their decimal
value (``1 == 1.0``), ``true`` apart from ``1``. SQLite and MariaDB would compare the stored
text, where ``{"a": 1, "b": 2}`` is not ``{"b": 2, "a": 1}``, so there the comparison goes
through each database's own canonical form:

* SQLite: ``json_canonical(column) = ?``, the parameter made canonical here, by the function
  ferrule's SQLite connections carry (``backends.json_text``);
* MariaDB: ``JSON_EQUALS(column, ?) = 1``, which normalizes both sides (keys sorted, numbers
  by their decimal digits). The ``= 1`` is needed: MariaDB 10.11 takes ``JSON_EQUALS(NULL, x)``
  as true where it stands alone as a condition, though its value is NULL. Its JSON functions
  read 31 nested levels and answer NULL beyond; a MariaDB JSON column cannot hold a deeper
  value (its ``JSON_VALID`` check refuses it), so a deeper value asked for is equal to no row,
  and is left out instead of turning the answer unknown.

An ``F`` on the other side goes through the same function.
"""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.backends.json_text import canonical

__all__ = ["json_equal", "json_in"]

#: nested levels MariaDB's JSON functions read (32 is "the limit of 32 reached", error 4040)
_MARIADB_DEPTH = 31


def json_equal(dialect: str, expr: Any, value: Any, python_value: Any) -> Any:
    """The condition ``expr`` equals ``value`` (bound as the backend takes it; ``python_value``
    is what it was before conversion)."""
    return json_in(dialect, expr, [value], [python_value])


def json_in(dialect: str, expr: Any, values: list[Any], python_values: list[Any]) -> Any:
    """The condition ``expr`` equals one of ``values`` (see `json_equal`)."""
    if dialect == "sqlite":
        key = sql.func.json_canonical(expr)
        sides = [_sqlite_side(v) for v in values]
        return key == sides[0] if len(sides) == 1 else key.in_(sides)
    if dialect == "mysql":
        kept = [
            value
            for value, before in zip(values, python_values, strict=True)
            if isinstance(value, sql.Expr) or _depth(before) <= _MARIADB_DEPTH
        ]
        if not kept:
            return sql.raw("1 = 0")
        return sql.or_(*[sql.func.json_equals(expr, value) == 1 for value in kept])
    return expr == values[0] if len(values) == 1 else expr.in_(values)


def _sqlite_side(value: Any) -> Any:
    if isinstance(value, sql.Expr):
        return sql.func.json_canonical(value)
    return canonical(value)


def _depth(value: Any) -> int:
    """Nested levels of arrays and objects in ``value`` (a scalar is 0)."""
    deepest = 0
    level: list[Any] = [value]
    while level:
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(item.values())
            elif isinstance(item, list):
                below.extend(item)
        if not below and not any(isinstance(i, (dict, list)) for i in level):
            break
        deepest += 1
        level = below
    return deepest
