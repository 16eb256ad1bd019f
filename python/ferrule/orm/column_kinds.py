"""What the ORM's compiler asks of a column's kind when it adds values up: which logical types
Sum and Avg take, which average as floats, and which columns are plain decimals or durations
(not encrypted, not an enum's)."""

from __future__ import annotations

from typing import Any, TypeGuard

from ferrule.orm.columns import Column

__all__ = ["BINARY_NUMBERS", "NUMERIC", "is_decimal", "is_duration", "is_flag", "sqlite_scale"]

#: the logical types Sum and Avg add up
NUMERIC = frozenset({"int", "bigint", "smallint", "float", "decimal"})
#: the logical types whose Avg is a float (computed in double precision everywhere)
BINARY_NUMBERS = frozenset({"int", "bigint", "smallint", "float"})


def is_duration(column: Any) -> bool:
    """A plain timedelta column (microseconds on SQLite and MariaDB, an interval on
    PostgreSQL: each adds them exactly)."""
    return column is not None and column.logical.name == "timedelta" and column.enum is None


def is_flag(column: Any) -> bool:
    """A plain bool column (not encrypted, not an enum's, not a password)."""
    return (
        column is not None
        and column.logical.name == "bool"
        and column.enum is None
        and column.encryption is None
        and column.password is None
    )


def is_decimal(column: Column | None) -> TypeGuard[Column]:
    """A plain decimal column (not encrypted, not an enum's)."""
    return (
        column is not None
        and column.logical.name == "decimal"
        and column.encryption is None
        and column.enum is None
    )


def sqlite_scale(dialect: str, column: Column | None) -> int | None:
    """The scale of a decimal column that SQLite holds as a double, else None."""
    if dialect != "sqlite" or not is_decimal(column):
        return None
    return column.logical.scale or 0
