"""Python values as SQL literals, for the places that cannot take a bound parameter (DDL: DEFAULT,
CHECK, partial-index WHERE).

Only these types are written, and each is written so it cannot end its literal early:

* ``None`` -> ``NULL``; ``bool`` -> ``TRUE``/``FALSE`` (``1``/``0`` on SQL Server)
* ``int``, finite ``float`` (``repr``, exact) and ``Decimal`` (plain notation, never exponent)
* ``str`` -> quoted, ``'`` doubled. A backslash is doubled on MySQL (an escape character there;
  under ``NO_BACKSLASH_ESCAPES`` the value would gain backslashes but the literal still cannot
  end early) and makes the literal an ``E'...'`` string on PostgreSQL (read the same whatever
  ``standard_conforming_strings`` says); SQL Server strings are ``N'...'`` and one with a
  backslash before a newline (a line continuation there) is refused. NUL and lone surrogates
  are refused everywhere: no server stores them.
* ``bytes`` -> ``X'..'`` (SQLite, MySQL), ``decode('..', 'hex')`` (PostgreSQL), ``0x..`` (SQL
  Server): hex digits only, whatever the bytes are
* ``date``, ``time``, ``datetime`` -> their ISO text, quoted (what the backends write for them);
  on MySQL an aware datetime is written as naive UTC (the ``utc`` storage of ``sql.types``); an
  aware ``time`` is refused (no logical type holds one)
* ``timedelta`` -> an ``INTERVAL`` literal on PostgreSQL, whole microseconds elsewhere (the
  ``micros`` storage); ``UUID`` -> its string; an ``Enum`` member -> its value

Anything else (dicts, lists, NaN, objects) raises ``SQLError``: a literal that might be wrong is
never guessed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import uuid
from typing import Any

from ferrule.errors import SQLError

__all__ = ["render_literal"]


def _string(value: str, dialect: str) -> str:
    if "\x00" in value:
        raise SQLError("a string literal cannot contain NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SQLError("a string literal cannot contain a lone surrogate") from None
    body = value.replace("'", "''")
    if "\\" in body:
        if dialect == "mysql":
            body = body.replace("\\", "\\\\")
        elif dialect == "postgres":  # an E'' string reads the same whatever the server settings
            return "E'" + body.replace("\\", "\\\\") + "'"
        elif dialect == "mssql" and ("\\\n" in body or "\\\r\n" in body):
            raise SQLError("SQL Server reads a backslash before a newline as a line continuation")
    return ("N'" if dialect == "mssql" else "'") + body + "'"


def _bytes(value: bytes, dialect: str) -> str:
    digits = value.hex()
    if dialect == "postgres":
        return f"decode('{digits}', 'hex')"
    if dialect == "mssql":
        return "0x" + digits
    return f"X'{digits}'"


def _number(value: int | float | decimal.Decimal) -> str:
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SQLError(f"{value!r} has no SQL literal")
        return repr(value)
    if not value.is_finite():
        raise SQLError(f"Decimal {value} has no SQL literal")
    return format(value, "f")


def _datetime(value: dt.datetime, dialect: str) -> str:
    if dialect == "mysql" and value.utcoffset() is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return _string(value.isoformat(" "), dialect)


def _timedelta(value: dt.timedelta, dialect: str) -> str:
    if dialect == "postgres":
        micros = value.seconds * 1_000_000 + value.microseconds
        return f"INTERVAL '{value.days} days {micros} microseconds'"
    return str((value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds)


def render_literal(value: Any, dialect: str) -> str:
    """``value`` as an SQL literal of ``dialect``; ``SQLError`` for a value without a safe one."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        if dialect == "mssql":
            return "1" if value else "0"
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, decimal.Decimal)):
        return _number(value)
    if isinstance(value, str):
        return _string(value, dialect)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes(bytes(value), dialect)
    if isinstance(value, dt.datetime):
        return _datetime(value, dialect)
    if isinstance(value, dt.date):
        return _string(value.isoformat(), dialect)
    if isinstance(value, dt.time):
        if value.utcoffset() is not None:
            raise SQLError("an aware time has no SQL literal (store an aware datetime instead)")
        return _string(value.isoformat(), dialect)
    if isinstance(value, dt.timedelta):
        return _timedelta(value, dialect)
    if isinstance(value, uuid.UUID):
        return _string(str(value), dialect)
    raise SQLError(
        f"{type(value).__name__} value {value!r} cannot be written as an SQL literal: use"
        " None, bool, int, float, Decimal, str, bytes, date, time, datetime, timedelta, UUID,"
        " an Enum member, or an SQL expression"
    )
