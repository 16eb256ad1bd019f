"""The from-db converters of the columns whose stored value may have no form the field holds:
a flag bit no member has, an enum member removed since the row was written, UUID text that
is no UUID, a SQLite DECIMAL or duration column holding text. Such a value, written by
another program, by raw SQL or before the model changed, is an `UnreadableValueError` naming
``Model.field`` and the value (the bare ``ValueError``, ``TypeError`` or
``decimal.InvalidOperation`` of the conversion named neither).

Each reader is made once per column and dialect (``Column.converters``) and runs per value,
so its common case is one call: the ``try`` costs nothing until a value fails."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import uuid
from collections.abc import Callable
from typing import Any

from ferrule.errors import UnreadableValueError

__all__ = [
    "EXACT",
    "decimal_reader",
    "enum_reader",
    "finite_decimal",
    "json_reader",
    "micros_reader",
    "moment_reader",
    "uuid_reader",
]

#: the context a decimal read is set to its scale in: no digit limit, so a value of a column
#: wider than 28 digits stays exact (the default context raised InvalidOperation past 28),
#: and rounding half to even whatever the caller's own context says
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    rounding=decimal.ROUND_HALF_EVEN,
)


def _unreadable(where: str, value: Any, what: str, exc: BaseException) -> UnreadableValueError:
    return UnreadableValueError(
        f"{where}: the database holds {value!r:.100}, which is no {what} ({exc})"
    )


def enum_reader(members: type[enum.Enum], where: str) -> Callable[[Any], Any]:
    """The member whose value is stored (a flag: the members whose bits are set)."""
    by_value = members._value2member_map_

    def read(value: Any) -> Any:
        try:
            found = by_value.get(value)
        except TypeError:  # an unhashable value: the enum's own lookup says what it is
            found = None
        if found is not None:
            return found
        try:
            return members(value)
        except (ValueError, TypeError) as exc:
            raise _unreadable(where, value, f"value of {members.__name__}", exc) from exc

    return read


def uuid_reader(where: str, hex_digits: bool = False) -> Callable[[Any], uuid.UUID]:
    """A UUID stored as its text: MariaDB's CHAR(36), and on SQLite any column not declared
    ``UUID``, which the driver hands over as text; with ``hex_digits``, its 32 hex digits
    (``UUIDField(hex=True)``: Django's ``char(32)``). Filters and saves use that one form, so
    text in another (the other length, capitals, braces) is unreadable: read as a UUID, a
    filter for it found nothing and a save wrote another text."""
    form = "32 hex digits (uuid.hex)" if hex_digits else "36 characters (str(uuid))"
    option = "UUIDField()" if hex_digits else "UUIDField(hex=True)"

    def read(value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        try:
            found = uuid.UUID(str(value))
        except ValueError as exc:
            raise _unreadable(where, value, "UUID", exc) from exc
        if value != (found.hex if hex_digits else str(found)):
            other = value in (found.hex, str(found))
            error = ValueError(
                f"the field reads and filters by its {form}"
                + (f": the column holds the other form, declare {option}" if other else "")
            )
            raise _unreadable(where, value, "UUID in the field's form", error)
        return found

    return read


def decimal_reader(scale: int, where: str) -> Callable[[Any], decimal.Decimal]:
    """A decimal column's value with the column's number of places, exact (in `EXACT`: an
    integer of 19 digits at 10 places has 29); SQLite answers a double, an int or text. A
    value with more places than the column (SQLite keeps what it was given: ``0.125`` in a
    column of 2 places, written by another program) is unreadable: quantizing it rounded it
    to a value that is not stored (and ``Sum`` of the column rounded it the other way)."""
    unit = decimal.Decimal(1).scaleb(-scale)
    quantize = decimal.Decimal.quantize

    def read(value: Any) -> decimal.Decimal:
        if isinstance(value, float):
            value = repr(value)  # the decimal that was stored, not the binary expansion
        try:
            number = value if isinstance(value, decimal.Decimal) else decimal.Decimal(value)
            if not number.is_finite():
                raise decimal.InvalidOperation("not a finite number")
        except (decimal.InvalidOperation, TypeError, ValueError) as exc:
            raise _unreadable(where, value, "decimal number", exc) from exc
        exact = quantize(number, unit, context=EXACT)
        if exact != number:
            error = ValueError(f"it has more than the column's {scale} decimal places")
            raise _unreadable(where, value, f"decimal of {scale} places", error)
        return exact

    return read


def finite_decimal(where: str) -> Callable[[Any], decimal.Decimal]:
    """A PostgreSQL ``numeric``: its ``NaN`` and infinities (written by another program: a
    decimal field refuses them) are unreadable, not a ``Decimal('NaN')`` in the field."""

    def read(value: Any) -> decimal.Decimal:
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            error = ValueError("a decimal field holds finite numbers")
            raise _unreadable(where, value, "finite decimal number", error)
        return value  # type: ignore[no-any-return]

    return read


def micros_reader(where: str) -> Callable[[Any], dt.timedelta]:
    """A duration stored as a count of microseconds (SQLite's and MariaDB's BIGINT)."""

    def read(value: Any) -> dt.timedelta:
        if isinstance(value, dt.timedelta):
            return value
        if type(value) is not int:
            error = TypeError(f"a count of microseconds is an int, not {type(value).__name__}")
            raise _unreadable(where, value, "duration", error)
        return dt.timedelta(microseconds=value)

    return read


def moment_reader(aware: bool, where: str) -> Callable[[Any], Any]:
    """A datetime of the field's kind (``aware``: with an offset), as the driver read it:
    SQLite's text, PostgreSQL's ``timestamp`` or ``timestamptz``; one of the other kind is
    unreadable. A naive value says nothing of its zone (Django with ``USE_TZ`` writes naive
    UTC on SQLite, other programs local time), and ferrule writes an aware field's values
    with their offset: a naive value read into an aware field was one the field then refused
    to save. Declare such a column ``tz=False`` (or, for aware values, time-zone aware)."""
    kind, other = ("aware", "naive") if aware else ("naive", "aware")
    advice = "declare the field tz=False" if aware else "declare the field time-zone aware"

    def read(value: Any) -> Any:
        if isinstance(value, dt.datetime) and (value.tzinfo is None) is aware:
            error = ValueError(f"it is {other}: {advice}")
            raise _unreadable(where, value, f"{kind} datetime", error)
        return value

    return read


def json_reader(where: str) -> Callable[[Any], Any]:
    """A JSON value stored as text (MariaDB's JSON, a ``LONGTEXT``; SQLite's column of any
    declared type): text that is no JSON, or a number no float holds (``1e400``, ``NaN``),
    is unreadable. A column SQLite gives numeric affinity (declared ``json``, as SQLAlchemy
    does) keeps a JSON number as a number: ``1e400`` became an infinite double there."""
    from ferrule.backends import json_text
    from ferrule.backends.sqlite_types import Decoded

    def read(value: Any) -> Any:
        if not isinstance(value, (str, bytes)):
            if type(value) is Decoded:  # decoded by the driver (orm.raw_json)
                return value.value
            if type(value) is float and not math.isfinite(value):
                error = ValueError("SQLite made the number stored an infinite double")
                raise _unreadable(where, value, "JSON value Python holds", error)
            return value
        try:
            return json_text.loads(value)
        except ValueError as exc:
            raise _unreadable(where, value, "JSON value Python holds", exc) from exc

    return read
