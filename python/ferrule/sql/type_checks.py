"""The range and length a column type holds, as a CHECK for the databases that do not enforce
their declared types (SQLite).

PostgreSQL and MariaDB refuse a value past its column (``INTEGER`` beyond 32 bits, a
``DECIMAL(8, 2)`` of 10**6, ``VARCHAR(10)`` text of 11 characters) with a data error; SQLite
stores anything, and an integer product past 64 bits becomes a double. ferrule's SQLite tables
carry one named CHECK per such column, so that a write the servers refuse is refused there too
(the backend reports it as ``DataError``, as the servers' own refusals are).

========================  ==========================================================
logical type              condition
========================  ==========================================================
smallint, int, bigint     ``col BETWEEN low AND high`` (16, 32, 64 bits; a double
                          past 64 bits is outside too)
decimal(p, s)             ``round(abs(col), s) < 10**(p - s)`` (as the servers round
                          to the scale before they compare)
str(n)                    ``length(col) <= n`` (characters, as the servers count)
========================  ==========================================================

NULL passes every CHECK, as it does the servers' types. MariaDB's ``str(n)`` longer than its
longest VARCHAR is a ``LONGTEXT`` with the CHECK ``CHAR_LENGTH(col) <= n``
(``long_text_check``), reported as a ``DataError`` as its VARCHAR's "too long" is.
"""

from __future__ import annotations

from ferrule.sql.types import MYSQL_VARCHAR_MOST, LogicalType

__all__ = ["TYPE_CHECK_PREFIX", "long_text_check", "type_check", "type_check_name"]

#: every such constraint's name starts with this, then the column's name
TYPE_CHECK_PREFIX = "ferrule_type_"

_INT_BITS = {"smallint": 16, "int": 32, "bigint": 64}


def type_check_name(column: str) -> str:
    return TYPE_CHECK_PREFIX + column


def type_check(quoted: str, logical: LogicalType) -> str | None:
    """The condition that keeps the column ``quoted`` (already quoted) within ``logical``,
    or ``None`` when the type has no range or length to keep."""
    bits = _INT_BITS.get(logical.name)
    if bits is not None:
        return f"{quoted} BETWEEN {-(2 ** (bits - 1))} AND {2 ** (bits - 1) - 1}"
    if logical.name == "decimal" and logical.precision is not None:
        scale = logical.scale or 0
        return f"round(abs({quoted}), {scale}) < {10 ** (logical.precision - scale)}"
    if logical.name == "str" and logical.length is not None:
        return f"length({quoted}) <= {logical.length}"
    return None


def long_text_check(quoted: str, logical: LogicalType, dialect: str) -> str | None:
    """The length CHECK of a MariaDB ``str(n)`` made a ``LONGTEXT`` (``sql.types``), else
    ``None``."""
    n = logical.length
    if dialect != "mysql" or logical.name != "str" or n is None or n <= MYSQL_VARCHAR_MOST:
        return None
    return f"CHAR_LENGTH({quoted}) <= {n}"
