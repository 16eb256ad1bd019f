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
  and is left out instead of turning the answer unknown. A number goes in as a one-element
  array (`mariadb_equal`): its normalizer reads a number's exponent with ``strtol`` from
  text not terminated where the number ends, so a number that ended the text (a top-level
  ``1e+20``, or one picked out by ``JSON_EXTRACT``) took the digits after it in the server's
  buffer as part of its exponent, and the row was missed; a number followed by ``]`` is read
  right.

An ``F`` on the other side goes through the same function. On PostgreSQL the column is
compared as ``jsonb``, which a column of the ``json`` type (another program's) has no ``=`` for.
"""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.backends.json_text import canonical

__all__ = ["json_equal", "json_in", "mariadb_equal"]

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
        return sql.or_(*[mariadb_equal(expr, value) for value in kept])
    # as jsonb: a column of PostgreSQL's json type (SQLAlchemy's JSON; another program's
    # table) has no = at all, and jsonb's cast of a jsonb column is no cast (its index serves)
    as_jsonb = sql.cast(expr, "jsonb")
    return as_jsonb == values[0] if len(values) == 1 else as_jsonb.in_(values)


def mariadb_equal(left: Any, right: Any) -> Any:
    """MariaDB's ``JSON_EQUALS`` of the JSON text ``left`` (an expression) and ``right`` (an
    expression, or a JSON text bound as a parameter); two numbers are compared inside
    ``[...]`` so that neither ends the text its normalizer reads (see the module docstring).
    Only numbers are wrapped: an array would gain a level, and MariaDB's 31 levels are all a
    stored value may use. A number and another value are unequal whatever the normalizer
    makes of the number. NULL on either side is no match."""
    if isinstance(right, str):
        if right[:1] != "-" and not right[:1].isdigit():
            return sql.func.json_equals(left, right) == 1
        return sql.func.json_equals(_in_array(left), f"[{right}]") == 1
    numbers = sql.and_(_is_number(left), _is_number(right))
    wrapped = sql.func.json_equals(_in_array(left), _in_array(right))
    return sql.case((numbers, wrapped), else_=sql.func.json_equals(left, right)) == 1


def _in_array(side: Any) -> Any:
    return sql.func.concat("[", side, "]")


def _is_number(side: Any) -> Any:
    return sql.func.json_type(side).in_(["INTEGER", "DOUBLE"])


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
