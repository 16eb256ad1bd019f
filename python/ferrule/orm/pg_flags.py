"""PostgreSQL: a boolean field over a ``smallint`` column (a table another program made, read
as booleans by ``orm.stored_as``) beside a boolean. PostgreSQL has no ``smallint = boolean``
and assigns neither type to a column of the other, so ``filter(flag=F("b"))`` of a boolean
annotation, ``filter(b=F("flag"))``, ``filter(flag=F("real_bool"))``, ``When(flag=...)`` and
``update(flag=Case(...))`` raised its ProgrammingError. The ORM does not know which of the
two a column is, so on PostgreSQL:

- a boolean field or annotation compared with an expression is compared as the integers 1
  and 0 on both sides (``CAST(x AS integer)`` takes a boolean and a smallint alike): a
  stored 2 matches neither True nor False, as ``filter(flag=True)`` (``= 1``) and SQLite and
  MariaDB answer;
- an expression written to a boolean field goes through the column's own input function
  (``jsonb_populate_record`` of the table's row type, keyed by the column): its 1 or 0 is
  true/false in a boolean column and 1/0 in a smallint (a 2 read from a smallint is a
  ``DataError`` there, as reading it is an ``UnreadableValueError``)."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.backends.params import held
from ferrule.orm.annotation_types import Plain
from ferrule.orm.column_kinds import is_flag
from ferrule.orm.columns import Column
from ferrule.orm.expressions import Combinable

__all__ = ["COMPARED", "compared", "in_rows", "number", "written"]

#: the lookups whose two sides PostgreSQL compares with an operator of both types
COMPARED = frozenset({"exact", "gt", "gte", "lt", "lte", "in", "range"})


def _is_expression(value: Any) -> bool:
    return isinstance(value, Combinable) or hasattr(type(value), "_subquery")


def _is_bool(column: Any) -> bool:
    if isinstance(column, Plain):
        return column.kind == "bool"
    return isinstance(column, Column) and is_flag(column)


def compared(dialect: str, column: Any, lookup: str, value: Any) -> bool:
    """Whether a condition on a boolean ``column`` (a field, or a bool annotation's type)
    compares it with an expression on PostgreSQL, where either may be a smallint."""
    if dialect != "postgres" or lookup not in COMPARED or not _is_bool(column):
        return False
    if lookup == "in" and _is_expression(value):
        return True  # a subquery's rows (``in_rows``)
    if lookup in ("in", "range"):
        items = held(value)  # (a list or tuple; another value is field_lookup's to refuse)
        return items is not None and any(_is_expression(item) for item in items)
    return _is_expression(value)


def number(compiled: Any, value: Any) -> Any:
    """One side of such a comparison as an integer: an expression's SQL cast, a constant
    True or False as 1 or 0."""
    if _is_expression(value):
        return sql.cast(compiled, "integer")
    return int(compiled) if isinstance(compiled, bool) else compiled


def in_rows(number: Any, rows: Any) -> Any:
    """``number IN`` the one column of the subquery ``rows``, read as integers."""
    return sql.raw(
        "? IN (SELECT CAST(ferrule_in.v AS integer) FROM (?) AS ferrule_in(v))", number, rows
    )


def written(table: str, column: str, assigned: Any) -> Any:
    """An expression's SQL written to the boolean field's ``column`` of ``table``, in the
    column's own type, whether ``boolean`` or ``smallint``."""
    key = sql.cast(sql.literal(column), "text")
    record = sql.raw(
        "jsonb_populate_record(NULL::?, jsonb_build_object(?, ?))",
        sql.column(table),
        key,
        sql.cast(assigned, "integer"),
    )
    return sql.raw("(?).?", record, sql.column(column))
