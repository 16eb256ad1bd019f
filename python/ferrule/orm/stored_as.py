"""``StoredAs``: the load check of a SQLite column whose field has no converter (an integer,
float, text or bytes field). SQLite keeps a value in the storage class its column's affinity
gives it, and a table another program made may give a column another affinity than the
field's type (``qty text`` under an integer field, ``code numeric`` under a text field): the
value read is then of another Python type, which the instance would hold in silence.

On PostgreSQL, a boolean field over an integer column (``smallint``, a table another program
made) reads ints: 0 and 1 are the field's False and True (``filter(flag=True)`` finds 1, a save
writes 1 and 0), another number is unreadable, as on SQLite and MariaDB
(``readers.flag_reader``).

Loading plans (``orm.loading.plan_for``) carry one as the field's converter. The native row
builder (``src/rows/instances.rs``) knows the class: it compares the value's type with
``kind`` and calls the check only for a value of another type, so a table of the right types
costs a type comparison a value. The pure core and Python readers call it as any converter."""

from __future__ import annotations

import functools
from typing import Any

from ferrule import sql
from ferrule.errors import UnreadableValueError

__all__ = ["StoredAs", "held_flag", "postgres_flag"]

#: the largest int every float holds exactly (beyond it, an int may have no float of its value)
_EXACT_FLOAT_INTS = 2**53


class StoredAs:
    """The value as it is when of type ``kind``; for a float field an int as the float of its
    value; anything else an ``UnreadableValueError`` naming ``where`` (``Model.field``)."""

    __slots__ = ("kind", "where")

    def __init__(self, kind: type, where: str) -> None:
        self.kind = kind
        self.where = where

    def __call__(self, value: Any) -> Any:
        kind = self.kind
        if type(value) is kind:
            return value
        if kind is float and type(value) is int and abs(value) <= _EXACT_FLOAT_INTS:
            return float(value)  # SQLite's INTEGER under a float field: the same number
        if kind is bool and type(value) is int and (value == 0 or value == 1):
            return value == 1  # PostgreSQL's smallint under a boolean field: = 1 finds it
        if kind is bool:
            raise UnreadableValueError(
                f"{self.where}: the column holds {value!r:.100} ({type(value).__name__}) where"
                " the field reads a boolean (0 or 1): a filter for True or False does not find"
                " it (a table another program made); read it with an integer field"
            )
        raise UnreadableValueError(
            f"{self.where}: SQLite holds {value!r:.100} ({type(value).__name__}) where the field"
            f" reads {kind.__name__}: the column's declared type gives it another storage class"
            " (a table another program made); declare the column with the field's type, or"
            " read it with a field of the type it holds"
        )

    def __repr__(self) -> str:
        return f"StoredAs({self.kind.__name__}, {self.where!r})"


#: one check per field and type, not one per plan or query made
made = functools.lru_cache(maxsize=1024)(StoredAs)


def held_flag(column: Any, dialect: str) -> StoredAs | None:
    """The check of a boolean field's value read from PostgreSQL, where the column may be an
    integer (``values()`` and an ``F()`` of the field read it too), else None."""
    logical = getattr(column, "logical", None)  # values() of a JSON key reads no column
    if dialect != "postgres" or logical is None or logical.name != "bool":
        return None
    if column.converters(dialect)[1] is not None:
        return None
    return made(bool, f"{getattr(column.model, '__name__', '?')}.{column.name}")


def postgres_flag(expr: Any) -> Any:
    """A boolean field's SQL on PostgreSQL beside other booleans (``Coalesce``, a ``Case``'s
    branches, ``Min``/``Max``'s integer back): a boolean, whether the column is one or an
    integer (``smallint``); by way of its text, '0' or '1', so that another number is a
    ``DataError`` rather than True."""
    return sql.cast(sql.cast(sql.cast(expr, "integer"), "text"), "boolean")
