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
    "flag_reader",
    "json_reader",
    "micros_reader",
    "moment_reader",
    "text_moment_reader",
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


#: the flags a boolean column holds: True and False, 1.0 and 0.0 are 1 and 0 as dict keys
#: (SQLite and MariaDB hand over numbers, text and bytes: all hashable)
_FLAGS = {0: False, 1: True}


def flag_reader(where: str) -> Callable[[Any], bool]:
    """A boolean of SQLite or MariaDB, read as its integer (``columns.read_column``): 0 or 1.
    Another value (``2``, ``-1``, SQLite's text ``'true'``, written by another program) is
    unreadable: the drivers' truth made it True, which ``filter(flag=True)`` (``= 1``) does not
    find, and Django reads it as the int it is. A value the driver already made a bool (an
    ``F()`` of the column) is taken as it is."""

    def read(value: Any) -> bool:
        found = _FLAGS.get(value)  # a number equal to 0 or 1, as `= 1` compares it
        if found is None:
            error = ValueError("a filter for True or False compares 1 or 0 and does not find it")
            raise _unreadable(where, value, "flag (0 or 1)", error)
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


def _written(value: Any) -> str:
    """The text ferrule writes for ``value`` on SQLite (``backends.sqlite_types``)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset():
            value = value.astimezone(dt.timezone.utc)
        text: str = value.isoformat(" ")
        return text
    text = value.isoformat()
    return text


def _in_form(logical: str) -> Callable[[str, Any], bool]:
    """Whether a date's or time's text (which parsed as ``found``) is what ferrule writes for
    it (``_written``), told by its layout: the parse vouches for the digits, and a fraction
    is written only when there are microseconds (a datetime's test is in `_stamp_reader`)."""
    if logical == "date":  # [7]: not the week date YYYY-Www-D
        return lambda text, found: len(text) == 10 and text[7] == "-" and text[4] == "-"

    def time_form(text: str, found: Any) -> bool:
        size = len(text)
        return (
            (size == 8 or (size == 15 and text[8] == "." and found.microsecond != 0))
            and text[2] == ":"
            and text[5] == ":"
            and found.tzinfo is None
        )

    return time_form


def _stamp_reader(aware: bool, where: str) -> Callable[[Any], Any]:
    """`text_moment_reader` of a datetime, its layout test written out (the read path of
    every SQLite datetime: an ``isoformat`` to compare with costs more than the parse). The
    parse vouches for the digits; ``[7]`` tells ``YYYY-MM-DD`` from the week date
    ``YYYY-Www-D``, ``[13]`` and ``[16]`` the extended time from the basic ``HHMMSS``, and a
    fraction is written only when there are microseconds."""
    parse = dt.datetime.fromisoformat
    kind_of = moment_reader(aware, where)

    def read(value: Any) -> Any:
        if type(value) is not str:
            return _not_text(value, where, "datetime", kind_of)
        try:
            found = parse(value)
        except ValueError as exc:
            raise _unreadable(where, value, "datetime", exc) from exc
        size = len(value)
        if aware:
            fits = value[-6:] == "+00:00"
            size -= 6
        else:
            fits = found.tzinfo is None
        if (
            fits
            and (size == 19 or (size == 26 and value[19] == "." and found.microsecond != 0))
            and value[10] == " "
            and value[7] == "-"
            and value[13] == ":"
            and value[16] == ":"
        ):
            return found
        kind_of(found)  # the other kind: its own message
        raise _out_of_form(where, value, found, "datetime")

    return read


def _not_text(value: Any, where: str, what: str, kind_of: Callable[[Any], Any] | None) -> Any:
    """A value SQLite's driver converted already (an ``F()`` of the column): of the field's
    kind, or unreadable; anything else than text is unreadable."""
    if isinstance(value, (dt.date, dt.time)):
        return value if kind_of is None else kind_of(value)
    wrong = TypeError(f"SQLite holds a {type(value).__name__}, not text")
    raise _unreadable(where, value, what, wrong)


def _out_of_form(where: str, value: str, found: Any, what: str) -> UnreadableValueError:
    error = ValueError(
        f"filters compare the text with {_written(found)!r}, the form ferrule writes; "
        "rewrite the column in that form"
    )
    return _unreadable(where, value, f"{what} in the form filters compare", error)


def _date_of(text: str) -> dt.date:
    """A date's text, or the date of a datetime's (which is not the form filters compare)."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text).date()


def text_moment_reader(logical: str, where: str) -> Callable[[Any], Any]:
    """A SQLite date, time or datetime (``logical``), read as the text it is stored as
    (``columns.read_column``). Filters compare that text with the text ferrule binds, the form
    it writes (``2024-01-02 03:04:05[.ffffff]``, an aware value in UTC with ``+00:00``,
    ``2024-01-02``, ``03:04:05[.ffffff]``: Django's too), so text in another form
    (``2024-01-02T03:04:05``, ``.000000``, milliseconds, another offset, a date with a time
    of day) is unreadable, naming the form: read as its value, a filter for that value did
    not find it and range filters compared it wrongly. A datetime of the other kind than the
    field's is unreadable as `moment_reader` says. A value the driver already converted (an
    ``F()`` of the column) is checked for its kind alone."""
    if logical in ("datetime", "datetime_tz"):
        return _stamp_reader(logical == "datetime_tz", where)
    what = logical
    parse = _date_of if logical == "date" else dt.time.fromisoformat
    in_form = _in_form(logical)

    def read(value: Any) -> Any:
        if type(value) is not str:
            return _not_text(value, where, what, None)
        try:
            found = parse(value)
        except ValueError as exc:
            raise _unreadable(where, value, what, exc) from exc
        if in_form(value, found):
            return found
        raise _out_of_form(where, value, found, what)

    return read


def json_reader(where: str) -> Callable[[Any], Any]:
    """A JSON value stored as text (MariaDB's JSON, a ``LONGTEXT``; SQLite's column of any
    declared type): text that is no JSON, or a number no float holds (``1e400``, ``NaN``),
    is unreadable. A column SQLite gives numeric affinity (declared ``json``, as SQLAlchemy
    does) keeps a JSON number as a number: ``1e400`` became an infinite double there."""
    from ferrule.backends import json_text
    from ferrule.backends.marks import Decoded

    def read(value: Any) -> Any:
        if not isinstance(value, (str, bytes)):
            if type(value) is Decoded:  # decoded by the driver (orm.raw_reads)
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
