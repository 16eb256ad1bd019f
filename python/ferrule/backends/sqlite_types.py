"""How ferrule's SQLite connections store Python values and read them back.

``sqlite3`` keeps adapters (Python value → SQLite value) and converters (declared column type →
Python value) in registries of its extension module; ferrule registers its own in the private
instance ``backends.sqlite`` loads (see that module's docstring). An aware ``datetime`` is
stored as its instant in UTC (``+00:00``), so ``WHERE v = ?`` and ``ORDER BY v`` compare
instants whatever offset a value was given with. A ``Decimal`` is bound
exactly: as an integer when it is integral and fits 64 bits, as text otherwise — and refused
when a double (what a ``DECIMAL`` column's numeric affinity makes of text) cannot hold it.

A NaN float is refused (``refuse_nan``): SQLite would store NULL in its place. An adapter
cannot do it: one registered for ``float`` sends every parameter of every type through the
module's adapter lookup. So the module path checks its parameters before it runs (the native
runner hands a NaN back to it); infinities are stored as they are. It also sends a subclass of a
type it binds as that type (``plain``): sqlite3 finds adapters by exact type (``module_params``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import uuid
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from ferrule import errors
from ferrule.backends import json_text
from ferrule.backends.marks import MARKING, Decoded, OddFlag
from ferrule.backends.plain import plain_params

__all__ = [
    "module_params",
    "module_rows",
    "refuse_nan",
    "register_types",
]

_UTC = dt.timezone.utc


def _adapt_datetime(value: dt.datetime) -> str:
    """An aware datetime as its instant in UTC, so that equal instants are equal text and text
    order is time order, as the servers compare them; a naive one as it is."""
    if value.tzinfo is not None and value.utcoffset():
        try:
            value = value.astimezone(_UTC)
        except OverflowError:
            raise errors.InterfaceError(
                f"{value.isoformat(' ')} is outside Python's years 1-9999 in UTC, which SQLite"
                " stores it in: it could not be read back"
            ) from None
    return value.isoformat(" ")


#: what a value read from a column of a converted type raised where it was not of that type
_UNREADABLE = (ValueError, TypeError, ArithmeticError)


def _unreadable(declared: str, raw: bytes, exc: BaseException) -> errors.UnreadableValueError:
    """A value of a ``declared`` column that is not of its type (text written by another
    program or raw SQL): the converter's own error named nothing."""
    return errors.UnreadableValueError(
        f"a {declared} column holds {raw!r:.100}, which is not of its type ({exc})"
    )


def _convert_datetime(raw: bytes) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(raw.decode())
    except _UNREADABLE as exc:
        raise _unreadable("TIMESTAMP", raw, exc) from exc


def _convert_date(raw: bytes) -> dt.date:
    """A DATE column's text; a datetime's text at midnight (a datetime parameter, which SQLite
    stores as given) is its date, as pydantic reads it; one with a time of day is refused."""
    try:
        text = raw.decode()
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except _UNREADABLE as exc:
        raise _unreadable("DATE", raw, exc) from exc
    if moment.time() != dt.time():
        raise errors.UnreadableValueError(
            f"a DATE column holds {text!r}, which has a time of day: store its date, or use a"
            " TIMESTAMP column"
        )
    return moment.date()


def _convert_time(raw: bytes) -> dt.time:
    try:
        return dt.time.fromisoformat(raw.decode())
    except _UNREADABLE as exc:
        raise _unreadable("TIME", raw, exc) from exc


def _convert_decimal(raw: bytes) -> decimal.Decimal:
    try:
        number = decimal.Decimal(raw.decode())
    except _UNREADABLE as exc:
        raise _unreadable("DECIMAL", raw, exc) from exc
    if not number.is_finite():
        raise _unreadable("DECIMAL", raw, ValueError("not a finite number"))
    return number


def _convert_uuid(raw: bytes) -> uuid.UUID:
    try:
        return uuid.UUID(raw.decode())
    except _UNREADABLE as exc:
        raise _unreadable("UUID", raw, exc) from exc


def _convert_json(raw: bytes) -> Any:
    try:
        value = json_text.loads(raw)
    except _UNREADABLE as exc:  # a JSONError is a ValueError
        raise _unreadable("JSON", raw, exc) from exc
    return Decoded(value) if MARKING.get() else value


def _convert_bool(raw: bytes) -> bool | OddFlag:
    if raw in _FLAG_TEXT:
        found = _FLAG_TEXT[raw]
        if raw in _FLAG_NUMBERS or not MARKING.get():
            return found
        return OddFlag(found, raw.decode())
    try:  # a number stored by raw SQL: SQLite's meaning, non-zero is true
        number = float(raw)
    except ValueError:
        number = math.nan
    if math.isnan(number) or math.isinf(number):
        raise _unreadable("BOOLEAN", raw, ValueError("neither a number nor true or false"))
    truth = number != 0
    if raw not in _FLAG_TEXT and MARKING.get():  # raw(): neither 0 nor 1, as stored
        return OddFlag(truth, int(number) if number.is_integer() else number)
    return truth


#: how ferrule stores a flag
_FLAG_NUMBERS = frozenset({b"0", b"1"})
#: how a flag is stored (0 and 1) or spelled by hand
_FLAG_TEXT = {
    b"0": False,
    b"1": True,
    b"": False,
    b"false": False,
    b"False": False,
    b"true": True,
    b"True": True,
}


def _significant_digits(value: decimal.Decimal) -> int:
    """The significant digits of ``value``, counted exactly: ``normalize()`` rounds to the
    context's precision (28 by default), which made 9999999999999999999.9999999999 (29
    digits) 1E+19, one digit, and SQLite then stored the double 1e19."""
    digits = value.as_tuple().digits
    kept = len(digits)
    while kept > 1 and digits[kept - 1] == 0:
        kept -= 1
    return kept


def _adapt_decimal(value: decimal.Decimal) -> int | str:
    """Exact or refused: an integer, or text a double holds exactly (see the docstring)."""
    if value.is_finite():
        if value == value.to_integral_value() and -(2**63) <= value < 2**63:
            return int(value)
        digits = _significant_digits(value)
        if digits > 15:
            raise errors.InterfaceError(
                f"Decimal {value} has {digits} significant digits: SQLite stores it as a double,"
                " which holds 15, so it would come back rounded; bind it as str to store it"
                " as text in a TEXT column"
            )
    return str(value)


def refuse_nan(params: Iterable[Any]) -> None:
    """``InterfaceError`` if a parameter is a NaN float (or a NaN of a float subclass)."""
    for value in params:
        if isinstance(value, float) and value != value:
            raise errors.InterfaceError(
                "a NaN float cannot be sent to SQLite, which would store NULL in its place:"
                " pass None for a missing value"
            )


def module_params(params: Sequence[Any]) -> Sequence[Any]:
    """The parameters the module binds: each subclass instance as its base type (sqlite3 has
    no adapter for a ``date`` subclass), a NaN refused."""
    params = plain_params(params)
    refuse_nan(params)
    return params


def module_rows(rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """`module_params` for each parameter row of an ``executemany``."""
    return [module_params(row) for row in rows]


def register_types(module: ModuleType) -> None:
    """Register ferrule's adapters and converters in ``module`` (an ``_sqlite3`` instance)."""
    module.register_adapter(dt.datetime, _adapt_datetime)
    module.register_adapter(dt.date, dt.date.isoformat)
    module.register_adapter(dt.time, dt.time.isoformat)
    module.register_adapter(decimal.Decimal, _adapt_decimal)
    module.register_adapter(uuid.UUID, str)
    module.register_adapter(dict, json_text.dumps)  # JSON columns: objects and arrays
    module.register_adapter(list, json_text.dumps)
    for name in ("TIMESTAMP", "DATETIME", "TIMESTAMPTZ"):
        module.register_converter(name, _convert_datetime)
    module.register_converter("DATE", _convert_date)
    module.register_converter("TIME", _convert_time)
    module.register_converter("DECIMAL", _convert_decimal)
    module.register_converter("NUMERIC", _convert_decimal)
    module.register_converter("UUID", _convert_uuid)
    module.register_converter("JSON", _convert_json)
    module.register_converter("JSONB", _convert_json)
    for name in ("BOOLEAN", "BOOL"):
        module.register_converter(name, _convert_bool)
