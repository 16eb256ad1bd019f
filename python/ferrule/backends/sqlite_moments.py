"""Date and duration arithmetic on the text SQLite holds, as SQL functions of ferrule's SQLite
connections (``sqlite_functions.prepare_connection`` registers them), exact to the microsecond.

SQLite keeps a datetime as its ISO text (an aware one in UTC, ``+00:00``), a date as
``YYYY-MM-DD`` and a ``timedelta`` as whole microseconds (``sql.types``). Its own date
functions compute in milliseconds and answer in another format, so the ORM's arithmetic
(``orm.durations``) calls these instead, which are Python's own ``datetime`` arithmetic:

* ``ferrule_shift(moment, micros, sign)``: the date or datetime text ``moment`` moved by
  ``micros`` microseconds forward (``sign`` 1) or back (-1), as the same kind of text ferrule
  writes (a date moves by the duration's whole days rounded down, ``timedelta.days``, as
  Python's ``date + td`` and ``date - td`` do: ``date - 1 µs`` is the same date);
* ``ferrule_between(a, b)``: ``a - b`` in microseconds (two dates, two naive or two aware
  datetimes).

NULL in any argument gives NULL. Text that is no date or datetime is an
``UnreadableValueError`` of the statement, a result outside years 1-9999 a ``DataError``;
``SQLFunctions`` keeps them typed."""

from __future__ import annotations

import datetime as dt

from ferrule import errors

__all__ = ["between", "shift"]

_UTC = dt.timezone.utc
_MICRO = dt.timedelta(microseconds=1)


def _read(value: object, what: str) -> dt.date:
    if isinstance(value, bytes):
        value = value.decode()
    if not isinstance(value, str):
        raise errors.UnreadableValueError(f"{what}(): {value!r:.80} is no date or datetime text")
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise errors.UnreadableValueError(
            f"{what}(): {value!r:.80} is no date or datetime text"
        ) from None


def _written(value: dt.date) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is not None:
        value = value.astimezone(_UTC)
    return value.isoformat(" ")


def shift(moment: object, micros: object, sign: object) -> str | None:
    if moment is None or micros is None or sign is None:
        return None
    if type(micros) is not int or sign not in (1, -1):
        raise errors.UnreadableValueError(
            f"ferrule_shift(): {micros!r:.80} is no whole number of microseconds"
        )
    start = _read(moment, "ferrule_shift")
    try:
        delta = dt.timedelta(microseconds=micros)
        if not isinstance(start, dt.datetime):  # Python's date ± td: by td.days, rounded down
            delta = dt.timedelta(days=delta.days)
        return _written(start + delta if sign == 1 else start - delta)
    except OverflowError:
        raise errors.DataError(
            f"{start} moved by {micros} microseconds is outside years 1-9999"
        ) from None


def between(a: object, b: object) -> int | None:
    if a is None or b is None:
        return None
    first, second = _read(a, "ferrule_between"), _read(b, "ferrule_between")
    try:
        return (first - second) // _MICRO
    except TypeError:
        raise errors.UnreadableValueError(
            f"ferrule_between(): {a!r:.40} and {b!r:.40} are not of one kind"
        ) from None
