"""How ferrule's PostgreSQL connections send dates and timestamps and read them back: as the
values they are.

asyncpg's own codecs write Python's ``date.min``/``max`` and ``datetime.min``/``max`` as
PostgreSQL's ``-infinity``/``infinity`` and read the infinities back as those values: 9999-12-31
was stored as ``infinity`` (other clients, ``EXTRACT`` and ``isfinite`` saw infinity) and an
aware ``datetime.max`` came back naive. ferrule sets its own codecs for ``date``, ``timestamp``
and ``timestamptz`` on every connection, in asyncpg's ``tuple`` format: asyncpg reads and
writes the wire's integer (days, or microseconds, since 2000-01-01; binary, so COPY and arrays
use them too) and these functions map it to and from the Python value, with no infinity:

- sent: a date is its day, a naive datetime its wall-clock time, an aware one its instant. A
  naive datetime given for ``timestamptz`` is UTC, and a ``date`` its midnight in UTC: never
  the client machine's local time (asyncpg's choice, which made the stored instant depend on
  the ``TZ`` of whichever process wrote it), and what MariaDB's ``DATETIME`` and SQLite store
  for the same value. A datetime given for a ``date`` is its date when it has no time of day
  (pydantic's rule for ``date``); one with a time of day is refused (asyncpg cut it to its
  date). An aware datetime for ``timestamp``, or one whose UTC instant is outside Python's
  years 1-9999 (ferrule could not read it back), is refused. A refusal is ``InterfaceError``
  naming the parameter (``$2``); nothing is sent.
- read: a ``timestamptz`` is an aware datetime in UTC, as before. A stored ``±infinity``, a
  value outside Python's years 1-9999 (an ``interval`` past ``timedelta``'s 999,999,999
  days, which asyncpg's codec raised a bare ``OverflowError`` for), or an ``interval`` with
  months or years (asyncpg read a month as 30 days, so ``'1 mon'`` was written back as
  ``'30 days'``, which moves a date by another span), has no Python value: the
  decoder returns an ``Unreadable`` marker and notes it on the connection's list; the
  connection looks for the marker only when that list is not empty (one truthiness test per
  fetch) and raises
  ``UnreadableValueError`` naming the column. A decoder's own exception would end the fetch
  without saying which column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ferrule.backends.params import RefusedValue
from ferrule.errors import UnreadableValueError

__all__ = ["Unreadable", "codecs", "find_unreadable"]

UTC = dt.timezone.utc
_DAY_ZERO = dt.date(2000, 1, 1).toordinal()  # PostgreSQL's day 0
_EPOCH = dt.datetime(2000, 1, 1)
_EPOCH_UTC = dt.datetime(2000, 1, 1, tzinfo=UTC)
_MIDNIGHT = dt.time()
_INFINITE = {2**31 - 1: "infinity", -(2**31): "-infinity", 2**63 - 1: "infinity"}
_INFINITE[-(2**63)] = "-infinity"


#: what to do about an unreadable date or timestamp
_MOMENT_HINT = (
    "(a Python date or datetime is within the years 1-9999): select it in a form Python has "
    "(CASE WHEN isfinite(x) THEN x END, x::text)"
)
#: what to do about an unreadable interval
_INTERVAL_HINT = (
    "(a Python timedelta is within 999,999,999 days): select it in a form Python has "
    "(x::text, EXTRACT(EPOCH FROM x))"
)

#: what to do about an interval with months
_MONTHS_HINT = (
    "(a timedelta has no months: a month is 28 to 31 days, and asyncpg's 30 changed the value"
    " written back): select it in a form Python has (x::text, EXTRACT(EPOCH FROM x))"
)


class Unreadable:
    """A value read that has no Python form; never handed to the caller."""

    __slots__ = ("hint", "what")

    def __init__(self, what: str, hint: str = _MOMENT_HINT) -> None:
        self.what = what
        self.hint = hint

    def __repr__(self) -> str:
        return f"<unreadable: {self.what}>"


def _described(raw: int, kind: str) -> Unreadable:
    infinite = _INFINITE.get(raw)
    if infinite is not None:
        return Unreadable(f"the {kind} {infinite}")
    return Unreadable(f"a {kind} outside Python's years 1-9999")


# -- sent -------------------------------------------------------------------------------------


def _encode_date(value: Any) -> tuple[int]:
    if isinstance(value, dt.datetime) and value.time() != _MIDNIGHT:
        raise RefusedValue(
            f"{value.isoformat(' ')} has a time of day, which a date column cannot keep: pass"
            " its .date() to store the day, or use a timestamp column"
        )
    return (value.toordinal() - _DAY_ZERO,)  # what asyncpg takes: anything with toordinal()


def _as_datetime(value: Any, zone: dt.tzinfo | None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    raise TypeError(
        f"expected a datetime.date or datetime.datetime instance, got {type(value).__name__!r}"
    )


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _encode_interval(value: Any) -> tuple[int, int, int]:
    """A timedelta as (months, days, microseconds), as asyncpg's own codec sends it."""
    if not isinstance(value, dt.timedelta):
        raise TypeError(f"expected a datetime.timedelta, not {type(value).__name__}")
    return (0, value.days, value.seconds * 1_000_000 + value.microseconds)


def _encode_timestamp(value: Any) -> tuple[int]:
    return (_micros(_as_datetime(value, None) - _EPOCH),)  # aware: a TypeError, as asyncpg's


def _encode_timestamptz(value: Any) -> tuple[int]:
    if type(value) is not dt.datetime or value.tzinfo is None:
        value = _as_datetime(value, UTC)  # a date: its midnight in UTC
        if value.tzinfo is None:  # naive: UTC, never the client's local time
            value = value.replace(tzinfo=UTC)
    # beyond Python's range in UTC: an OverflowError
    return (_micros(value.astimezone(UTC) - _EPOCH_UTC),)


# -- read -------------------------------------------------------------------------------------


def codecs(found: list[Unreadable]) -> dict[str, tuple[Callable[..., Any], Callable[..., Any]]]:
    """The ``(encoder, decoder)`` of each type name, for one connection: its decoders note
    what they could not read in ``found``."""

    def unreadable(raw: int, kind: str) -> Unreadable:
        marker = _described(raw, kind)
        found.append(marker)
        return marker

    def decode_date(value: tuple[int], _day: Any = dt.date.fromordinal) -> Any:
        try:
            return _day(value[0] + _DAY_ZERO)
        except (ValueError, OverflowError):  # OverflowError: beyond a C int
            return unreadable(value[0], "date")

    def decode_timestamp(value: tuple[int], _delta: Any = dt.timedelta) -> Any:
        try:
            return _EPOCH + _delta(0, 0, value[0])
        except OverflowError:
            return unreadable(value[0], "timestamp")

    def decode_timestamptz(value: tuple[int], _delta: Any = dt.timedelta) -> Any:
        try:
            return _EPOCH_UTC + _delta(0, 0, value[0])
        except OverflowError:
            return unreadable(value[0], "timestamptz")

    def decode_interval(value: tuple[int, int, int], _delta: Any = dt.timedelta) -> Any:
        months, days, micros = value
        if months:  # asyncpg made a month 30 days (a year 365): '1 mon' came back '30 days'
            marker = Unreadable(f"an interval of {months} months", _MONTHS_HINT)
            found.append(marker)
            return marker
        try:
            return _delta(days=days, microseconds=micros)
        except OverflowError:
            marker = Unreadable("an interval past Python's timedelta", _INTERVAL_HINT)
            found.append(marker)
            return marker

    return {
        "interval": (_encode_interval, decode_interval),
        "date": (_encode_date, decode_date),
        "timestamp": (_encode_timestamp, decode_timestamp),
        "timestamptz": (_encode_timestamptz, decode_timestamptz),
    }


def _holds(value: Any) -> Unreadable | None:
    """The marker in ``value``, or in the array, composite or range it is."""
    if type(value) is Unreadable:
        return value
    if isinstance(value, list | tuple):  # an array, or a composite (a Record is not a tuple)
        items: Iterable[Any] = value
    elif hasattr(value, "lower") and hasattr(value, "upper"):  # an asyncpg Range
        items = (value.lower, value.upper)
    elif hasattr(value, "keys") and hasattr(value, "values"):  # an asyncpg Record
        items = value.values()
    else:
        return None
    for item in items:
        found = _holds(item)
        if found is not None:
            return found
    return None


def find_unreadable(
    rows: Iterable[Any], names: Sequence[str] | None = None
) -> UnreadableValueError | None:
    """The error for the first marker in ``rows``: asyncpg records, or tuples whose columns
    are ``names``."""
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            marker = _holds(value)
            if marker is not None:
                name = (names or list(row.keys()))[column]
                return UnreadableValueError(
                    f"column {name!r} of row {index}: {marker.what} has no Python value "
                    f"{marker.hint}",
                    name,
                )
    return None
