"""The parameters of MariaDB/MySQL statements: the same Python types in as on the other
backends, written as asyncmy's literals by ferrule's encoders (``CONVERSIONS``, given to each
connection as asyncmy's ``conv``), and the types MariaDB cannot take refused."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from typing import Any

import asyncmy.converters

from ferrule import errors
from ferrule.backends import json_text
from ferrule.backends.params import RefusedValue, refuse_offset

__all__ = ["CONVERSIONS"]


def _escape_json(value: Any, mapping: Any = None) -> str:
    """A ``dict`` or ``list`` parameter is JSON, as on SQLite and PostgreSQL (asyncmy would send
    a dict's Python repr), written by ``json_text.dumps``; a hex literal reads the same whatever
    the connection charset or ``NO_BACKSLASH_ESCAPES``."""
    try:
        text = json_text.dumps(value)
    except (TypeError, errors.InterfaceError) as exc:
        raise RefusedValue(
            f"a {type(value).__name__} parameter is sent as JSON, and this one cannot be: {exc}"
        ) from exc
    return "_utf8mb4 X'" + text.encode().hex() + "'"


def _escape_time(value: dt.time, mapping: Any = None) -> str:
    refuse_offset(value, "MySQL TIME")
    text: str = asyncmy.converters.escape_time(value, mapping)
    return text


def _escape_datetime(value: dt.datetime, mapping: Any = None) -> str:
    """An aware datetime is its instant in UTC (DATETIME keeps no offset; asyncmy wrote its
    wall-clock time and dropped the offset), as the ORM and inlined literals store it."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        try:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise RefusedValue(
                f"{value.isoformat(' ')} is outside Python's years 1-9999 in UTC, which"
                " MySQL's DATETIME holds it in"
            ) from None
    text: str = asyncmy.converters.escape_datetime(value, mapping)
    return text


def _escape_float(value: float, mapping: Any = None) -> str:
    """A finite float as asyncmy writes it; NaN and the infinities refused (MariaDB's DOUBLE
    has none): asyncmy refused ``nan`` and ``inf`` but wrote ``-inf`` as ``-infe0``, which
    the server read as a column name."""
    if not math.isfinite(value):
        raise RefusedValue(
            f"{value!r} can not be used with MySQL, whose DOUBLE has no NaN nor infinity"
        )
    text: str = asyncmy.converters.escape_float(value, mapping)
    return text


def _refuse_set(value: Any, mapping: Any = None) -> str:
    raise RefusedValue(
        f"MySQL has no type for a {type(value).__name__} parameter: pass a list (stored as"
        " JSON) or one value per placeholder"
    )


def _escape_other(value: Any, mapping: Any = None) -> str:
    """asyncmy's fallback for a type it has no encoder for, which would send ``str(value)``
    (an ``Enum`` as ``'Color.RED'``). Subclasses of the known types go as their base type, a
    ``UUID`` as its text (MariaDB has no UUID type); anything else is refused, as PostgreSQL
    and SQLite refuse it."""
    conv = asyncmy.converters
    text: str
    if isinstance(value, str):
        text = conv.escape_str(value, mapping)
    elif isinstance(value, uuid.UUID):
        text = conv.escape_str(str(value), mapping)
    elif isinstance(value, int):  # what it holds, not what its __int__ says (``plain``)
        text = conv.escape_int(int.__int__(value), mapping)
    elif isinstance(value, float):
        text = _escape_float(float.__float__(value), mapping)
    elif isinstance(value, decimal.Decimal):
        text = conv.decimal2literal(value, mapping)
    elif isinstance(value, dt.datetime):
        text = _escape_datetime(value, mapping)
    elif isinstance(value, dt.date):
        text = conv.escape_date(value, mapping)
    elif isinstance(value, dt.time):
        text = _escape_time(value, mapping)
    elif isinstance(value, dt.timedelta):
        text = conv.escape_timedelta(value, mapping)
    elif isinstance(value, bytes):
        text = conv.escape_bytes(bytes(value), mapping)
    else:
        raise RefusedValue(
            f"a {type(value).__name__} parameter cannot be sent to MySQL: convert it to a"
            " str, number, bytes, date/time, Decimal, UUID, dict or list first"
        )
    return text


#: asyncmy's conversions with ferrule's encoders; passed to each connection (``conv``).
CONVERSIONS: dict[Any, Any] = {
    **asyncmy.converters.conversions,
    dict: _escape_json,
    list: _escape_json,
    set: _refuse_set,
    frozenset: _refuse_set,
    dt.time: _escape_time,
    dt.datetime: _escape_datetime,
    float: _escape_float,
    str: _escape_other,  # also asyncmy's fallback for every type not in this table
}
