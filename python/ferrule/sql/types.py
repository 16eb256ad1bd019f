"""Logical column types -> each dialect's column type: the one table the DDL and the ORM read.

    sql.column_type("decimal", "postgres", precision=10, scale=2)
    # ColumnType(logical='decimal', dialect='postgres', sql='NUMERIC(10,2)', storage='native', ...)

A *logical* type is what a model field holds (``int``, ``decimal(p, s)``, ``datetime_tz``, ...);
its *column type* is how one dialect stores it. ``storage`` says what the backend hands over,
so the ORM knows which conversion, if any, to apply on the way in and out:

==========  ==========================================================================
native      the backend takes and returns the Python type itself (``backends.base`` table)
text        stored as its canonical string (``str(uuid)``); the ORM parses it back
hex         a UUID stored as its 32 hex digits (``uuid.hex``: Django's ``char(32)``)
json_text   stored as JSON text (``json.dumps``); the ORM decodes it
utc         an aware datetime stored as naive UTC; the ORM converts to UTC on write and
            attaches ``timezone.utc`` on read (the instant is kept, the original offset not)
micros      a ``timedelta`` stored as whole microseconds in a BIGINT (exact over its range)
==========  ==========================================================================

=============  ===============  ================  ===============  ====================
logical        sqlite           postgres          mysql            mssql
=============  ===============  ================  ===============  ====================
int            INTEGER          INTEGER           INT              INT
bigint         BIGINT           BIGINT            BIGINT           BIGINT
smallint       SMALLINT         SMALLINT          SMALLINT         SMALLINT
float          REAL             DOUBLE PRECISION  DOUBLE           FLOAT(53)
decimal(p,s)   DECIMAL(p,s)     NUMERIC(p,s)      DECIMAL(p,s)     DECIMAL(p,s)
bool           BOOLEAN          BOOLEAN           BOOLEAN          BIT
str(n)         VARCHAR(n)       VARCHAR(n)        VARCHAR(n)       NVARCHAR(n)
text           TEXT             TEXT              LONGTEXT         NVARCHAR(MAX)
bytes          BLOB             BYTEA             LONGBLOB         VARBINARY(MAX)
datetime       TIMESTAMP        TIMESTAMP         DATETIME(6)      DATETIME2(6)
datetime_tz    TIMESTAMPTZ      TIMESTAMPTZ       DATETIME(6) utc  DATETIMEOFFSET(6)
date           DATE             DATE              DATE             DATE
time           TIME             TIME              TIME(6)          TIME(6)
timedelta      BIGINT micros    INTERVAL          BIGINT micros    BIGINT micros
uuid           UUID             UUID              CHAR(36) text    UNIQUEIDENTIFIER
uuid_hex       CHAR(32) hex     UUID              CHAR(32) hex     UNIQUEIDENTIFIER
json           JSON TEXT        JSONB             JSON json_text   NVARCHAR(MAX) json_text
enum(values)   VARCHAR(n) + CHECK (column IN (values)) everywhere; n = the longest value
=============  ===============  ================  ===============  ====================

Why these, where a dialect has no such type: MySQL/MariaDB have no time-zone type (``DATETIME``
keeps no offset, ``TIMESTAMP`` ends in 2038), so an aware datetime is stored as UTC; no interval
type (``TIME`` stops at 838 hours), so a ``timedelta`` is a count of microseconds, as on SQLite and
SQL Server; MySQL 8 has no UUID type, so a UUID is its 36-character text (readable, sortable as
text, equal to ``str(uuid)``; ``uuid_hex``, ``UUIDField(hex=True)``, is the 32 hex digits
Django stores on SQLite and on MariaDB before 10.7, where a filter compares that text).
``text``/``bytes`` are ``LONG*`` on MySQL because ``TEXT``/``BLOB``
stop at 64 KiB, which a model field does not. MySQL tables are made ``DEFAULT CHARSET=utf8mb4
COLLATE=utf8mb4_nopad_bin`` so that text is equal, unique and ordered by code point, as on the
others (the default collations take "a", "A", "á" and "a " as one value). SQLite names
(``TIMESTAMPTZ``, ``UUID``, ``JSON``, ``BOOLEAN``, ``DECIMAL``, ``DATE``, ``TIME``) are the declared
types the SQLite backend's converters key on (the first word of the type). SQLite gives ``DECIMAL``
numeric affinity: values are exact up to 15 significant digits (see ``backends.base``). ``JSON
TEXT`` has text affinity, so JSON text is kept as it was written (a column declared ``JSON`` has
numeric affinity, which stores the text ``1.0`` as the integer 1 and ``10**30`` as a double).
An enum is a checked string everywhere (MySQL's native ``ENUM`` accepts ``''`` for a bad value
outside strict mode). A ``datetime_tz`` column on MySQL holds UTC, so its expression default is
``UTC_TIMESTAMP(6)``, not ``CURRENT_TIMESTAMP`` (session time). ``str(n)`` is ``n`` characters,
but ``n`` UTF-16 code units on SQL Server. SQLite enforces no declared type, so its columns
carry CHECKs of the integer ranges, decimal digits and text lengths (``sql.type_checks``).
A ``str(n)`` longer than MariaDB's longest utf8mb4 VARCHAR (16,383) is a ``LONGTEXT`` there
with such a CHECK of its length (the VARCHAR could not be made).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ferrule.errors import SQLError

__all__ = ["LOGICAL_TYPES", "STORAGES", "ColumnType", "LogicalType", "column_type", "logical_type"]

STORAGES = ("native", "text", "hex", "json_text", "utc", "micros")

# logical -> (Python type, {dialect: (sql template, storage)}); "{p}", "{s}", "{n}" are filled in.
_N = "native"
_TABLE: dict[str, tuple[type, dict[str, tuple[str, str]]]] = {
    "int": (int, {"sqlite": ("INTEGER", _N), "postgres": ("INTEGER", _N),
                  "mysql": ("INT", _N), "mssql": ("INT", _N)}),
    "bigint": (int, {"sqlite": ("BIGINT", _N), "postgres": ("BIGINT", _N),
                     "mysql": ("BIGINT", _N), "mssql": ("BIGINT", _N)}),
    "smallint": (int, {"sqlite": ("SMALLINT", _N), "postgres": ("SMALLINT", _N),
                       "mysql": ("SMALLINT", _N), "mssql": ("SMALLINT", _N)}),
    "float": (float, {"sqlite": ("REAL", _N), "postgres": ("DOUBLE PRECISION", _N),
                      "mysql": ("DOUBLE", _N), "mssql": ("FLOAT(53)", _N)}),
    "decimal": (decimal.Decimal, {"sqlite": ("DECIMAL({p},{s})", _N),
                                  "postgres": ("NUMERIC({p},{s})", _N),
                                  "mysql": ("DECIMAL({p},{s})", _N),
                                  "mssql": ("DECIMAL({p},{s})", _N)}),
    "bool": (bool, {"sqlite": ("BOOLEAN", _N), "postgres": ("BOOLEAN", _N),
                    "mysql": ("BOOLEAN", _N), "mssql": ("BIT", _N)}),
    "str": (str, {"sqlite": ("VARCHAR({n})", _N), "postgres": ("VARCHAR({n})", _N),
                  "mysql": ("VARCHAR({n})", _N), "mssql": ("NVARCHAR({n})", _N)}),
    "text": (str, {"sqlite": ("TEXT", _N), "postgres": ("TEXT", _N),
                   "mysql": ("LONGTEXT", _N), "mssql": ("NVARCHAR(MAX)", _N)}),
    "bytes": (bytes, {"sqlite": ("BLOB", _N), "postgres": ("BYTEA", _N),
                      "mysql": ("LONGBLOB", _N), "mssql": ("VARBINARY(MAX)", _N)}),
    "datetime": (dt.datetime, {"sqlite": ("TIMESTAMP", _N), "postgres": ("TIMESTAMP", _N),
                               "mysql": ("DATETIME(6)", _N), "mssql": ("DATETIME2(6)", _N)}),
    "datetime_tz": (dt.datetime, {"sqlite": ("TIMESTAMPTZ", _N),
                                  "postgres": ("TIMESTAMPTZ", _N),
                                  "mysql": ("DATETIME(6)", "utc"),
                                  "mssql": ("DATETIMEOFFSET(6)", _N)}),
    "date": (dt.date, {"sqlite": ("DATE", _N), "postgres": ("DATE", _N),
                       "mysql": ("DATE", _N), "mssql": ("DATE", _N)}),
    "time": (dt.time, {"sqlite": ("TIME", _N), "postgres": ("TIME", _N),
                       "mysql": ("TIME(6)", _N), "mssql": ("TIME(6)", _N)}),
    "timedelta": (dt.timedelta, {"sqlite": ("BIGINT", "micros"), "postgres": ("INTERVAL", _N),
                                 "mysql": ("BIGINT", "micros"), "mssql": ("BIGINT", "micros")}),
    "uuid": (uuid.UUID, {"sqlite": ("UUID", _N), "postgres": ("UUID", _N),
                         "mysql": ("CHAR(36)", "text"), "mssql": ("UNIQUEIDENTIFIER", _N)}),
    "uuid_hex": (uuid.UUID, {"sqlite": ("CHAR(32)", "hex"), "postgres": ("UUID", _N),
                             "mysql": ("CHAR(32)", "hex"), "mssql": ("UNIQUEIDENTIFIER", _N)}),
    "json": (object, {"sqlite": ("JSON TEXT", _N), "postgres": ("JSONB", _N),
                      "mysql": ("JSON", "json_text"), "mssql": ("NVARCHAR(MAX)", "json_text")}),
    "enum": (str, {"sqlite": ("VARCHAR({n})", _N), "postgres": ("VARCHAR({n})", _N),
                   "mysql": ("VARCHAR({n})", _N), "mssql": ("NVARCHAR({n})", _N)}),
}  # fmt: skip

#: The logical type names, in table order.
LOGICAL_TYPES = tuple(_TABLE)
#: the longest VARCHAR MariaDB/MySQL makes in utf8mb4 (4 bytes a character, 65,535 a row):
#: a longer ``str(n)`` is a ``LONGTEXT`` there, with a CHECK of its length
MYSQL_VARCHAR_MOST = 16383


@dataclass(frozen=True)
class LogicalType:
    """A logical column type with its parameters: ``str`` needs ``length``, ``decimal`` needs
    ``precision`` (``scale`` defaults to 0), ``enum`` needs ``values``; the others take none."""

    name: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnType:
    """One logical type as one dialect stores it."""

    logical: LogicalType
    dialect: str
    #: the column type, as written in CREATE TABLE
    sql: str
    #: how the backend holds the value: one of ``STORAGES`` (module docstring)
    storage: str
    #: the Python type a model field of this logical type holds (``object`` for json)
    python: type


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _positive(value: Any, what: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SQLError(f"{name} needs a positive int {what}, got {value!r}")
    return value


def _enum_values(values: Any) -> tuple[str, ...]:
    if isinstance(values, type) and issubclass(values, enum.Enum):
        values = [member.value for member in values]
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise SQLError(f"enum values must be a collection of strings, got {values!r}")
    out = tuple(values)
    if not out or not all(isinstance(v, str) for v in out):
        raise SQLError(f"enum needs one or more string values, got {out!r}")
    return out


def logical_type(
    name: str,
    *,
    length: int | None = None,
    precision: int | None = None,
    scale: int | None = None,
    values: Iterable[str] | type[enum.Enum] | None = None,
) -> LogicalType:
    """Check a logical type's name and parameters: ``logical_type("str", length=50)``."""
    if not isinstance(name, str) or name not in _TABLE:
        raise SQLError(f"unknown logical type {name!r}: expected one of {', '.join(_TABLE)}")
    given = {"length": length, "precision": precision, "scale": scale, "values": values}
    allowed = {"str": {"length"}, "decimal": {"precision", "scale"}, "enum": {"values"}}
    extra = sorted(k for k, v in given.items() if v is not None and k not in allowed.get(name, ()))
    if extra:
        raise SQLError(f"logical type {name!r} takes no {', '.join(extra)}")
    if name == "str":
        if length is None:
            raise SQLError("logical type 'str' needs a length (use 'text' for unbounded strings)")
        return LogicalType(name, length=_positive(length, "length", name))
    if name == "decimal":
        p = _positive(precision, "precision", name)
        s = 0 if scale is None else scale
        if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= p:
            raise SQLError(f"decimal scale must be an int from 0 to the precision, got {s!r}")
        return LogicalType(name, precision=p, scale=s)
    if name == "enum":
        return LogicalType(name, values=_enum_values(values))
    return LogicalType(name)


def column_type(
    logical: str | LogicalType,
    dialect: str,
    *,
    length: int | None = None,
    precision: int | None = None,
    scale: int | None = None,
    values: Iterable[str] | type[enum.Enum] | None = None,
) -> ColumnType:
    """The column type of a logical type in ``dialect``; parameters as for ``logical_type``."""
    if isinstance(logical, LogicalType):
        if any(v is not None for v in (length, precision, scale, values)):
            raise SQLError("give the parameters either in the LogicalType or here, not both")
        lt = logical
    else:
        lt = logical_type(logical, length=length, precision=precision, scale=scale, values=values)
    python, by_dialect = _TABLE[lt.name]
    try:
        template, storage = by_dialect[dialect]
    except KeyError:
        raise SQLError(
            f"unknown dialect {dialect!r}: expected sqlite, postgres, mysql or mssql"
        ) from None
    n = lt.length
    if lt.values:  # SQL Server counts NVARCHAR lengths in UTF-16 code units, the others in chars
        size = _utf16_len if dialect == "mssql" else len
        n = max(1, *(size(v) for v in lt.values))
    sql = template.format(n=n, p=lt.precision, s=lt.scale)
    if dialect == "mysql" and lt.name == "str" and (n or 0) > MYSQL_VARCHAR_MOST:
        sql = "LONGTEXT"  # its length kept by a CHECK (``sql.type_checks``)
    return ColumnType(lt, dialect, sql, storage, python)
