"""datetime, date, time and timedelta validators, with the ISO text parsers they share.

Parsers raise `_ParseError` whose text becomes ``ctx["error"]`` of the ``*_parsing`` error.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from ferrule.models._pure.core import LAX, STRICT, State, Validator, builder, error

__all__ = ["parse_date", "parse_datetime", "parse_time", "parse_timedelta"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DATE_LEN = 10  # YYYY-MM-DD: the only datetime text this short (every other form has a time)
_MS_THRESHOLD = 2e10  # timestamps above this (in absolute value) are milliseconds
_U64 = 2**64 - 1  # durations are summed in unsigned 64-bit seconds, as the native core does

TOO_SHORT = "input is too short"
EXTRA = "unexpected extra characters at the end of the input"
INVALID_DURATION = "invalid duration"
DURATION_TOO_LARGE = "duration value is too large"


class _ParseError(Exception):
    pass


# The parsers read UTF-8 bytes, so positions and lengths are the native core's byte positions.


def _digit(b: bytes, i: int, err: str) -> int:
    if i >= len(b):
        raise _ParseError(TOO_SHORT)
    if 0x30 <= b[i] <= 0x39:
        return b[i] - 0x30
    raise _ParseError(err)


def _two_digits(b: bytes, i: int, err: str) -> int:
    return _digit(b, i, err) * 10 + _digit(b, i + 1, err)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _date_bytes(b: bytes) -> date:
    if len(b) < 10:
        raise _ParseError(TOO_SHORT)
    year = _two_digits(b, 0, "invalid character in year") * 100
    year += _two_digits(b, 2, "invalid character in year")
    if b[4] != 0x2D:
        raise _ParseError("invalid date separator")
    month = _two_digits(b, 5, "invalid character in month")
    if b[7] != 0x2D:
        raise _ParseError("invalid date separator")
    day = _two_digits(b, 8, "invalid character in day")
    if year == 0:
        raise _ParseError("year value is outside expected range")
    if not 1 <= month <= 12:
        raise _ParseError("month value is outside expected range")
    if day == 0 or day > _days_in_month(year, month):
        raise _ParseError("day value is outside expected range")
    return date(year, month, day)


def _fraction(b: bytes, start: int) -> tuple[int, int]:
    """1-6 digits after a ``.``, right-padded to microseconds; returns (value, end)."""
    pos = start
    while pos < len(b) and 0x30 <= b[pos] <= 0x39:
        if pos - start == 6:
            raise _ParseError("second fraction value is more than 6 digits long")
        pos += 1
    if pos == start:
        raise _ParseError(TOO_SHORT if pos >= len(b) else "invalid character in second fraction")
    return int(b[start:pos].ljust(6, b"0")), pos


def _offset(b: bytes, start: int) -> tuple[int, int]:
    """``HH:MM`` or ``HHMM`` after the sign, in seconds; returns (seconds, end)."""

    def digit(i: int) -> int:
        if i < len(b) and 0x30 <= b[i] <= 0x39:
            return b[i] - 0x30
        raise _ParseError("invalid timezone offset")

    hours = digit(start) * 10 + digit(start + 1)
    pos = start + 2
    if pos < len(b) and b[pos] == 0x3A:
        pos += 1
    minutes = digit(pos) * 10 + digit(pos + 1)
    if hours > 23 or minutes > 59:
        raise _ParseError("invalid timezone offset")
    return hours * 3600 + minutes * 60, pos + 2


def _time_bytes(b: bytes, start: int) -> time:
    if len(b) < start + 5:
        raise _ParseError(TOO_SHORT)
    hour = _two_digits(b, start, "invalid character in hour")
    if b[start + 2] != 0x3A:
        raise _ParseError("invalid time separator")
    minute = _two_digits(b, start + 3, "invalid character in minute")
    if hour > 23:
        raise _ParseError("hour value is outside expected range")
    if minute > 59:
        raise _ParseError("minute value is outside expected range")
    pos = start + 5
    second = microsecond = 0
    if pos < len(b) and b[pos] == 0x3A:
        second = _two_digits(b, pos + 1, "invalid character in second")
        if second > 59:
            raise _ParseError("second value is outside expected range")
        pos += 3
        if pos < len(b) and b[pos] == 0x2E:
            microsecond, pos = _fraction(b, pos + 1)
    zone: timezone | None = None
    if pos < len(b):
        sign = b[pos]
        if sign in b"Zz":
            zone, pos = timezone.utc, pos + 1
        elif sign in b"+-":
            seconds, pos = _offset(b, pos + 1)
            if seconds == 0:
                zone = timezone.utc
            else:
                zone = timezone(timedelta(seconds=-seconds if sign == 0x2D else seconds))
        else:
            raise _ParseError(EXTRA)
    if pos != len(b):
        raise _ParseError(EXTRA)
    return time(hour, minute, second, microsecond, tzinfo=zone)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        raise _ParseError("invalid character") from None


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` exactly."""
    b = _utf8(text)
    result = _date_bytes(b)
    if len(b) > 10:
        raise _ParseError(EXTRA)
    return result


def parse_time(text: str) -> time:
    """``HH:MM[:SS[.f{1,6}]]`` with an optional ``Z``/``±HH:MM``/``±HHMM`` zone."""
    return _time_bytes(_utf8(text), 0)


def parse_datetime(text: str) -> datetime:
    """``YYYY-MM-DD`` (midnight) or ``YYYY-MM-DD[T t ]HH:MM[:SS[.f]][zone]``."""
    b = _utf8(text)
    day = _date_bytes(b)
    if len(b) == 10:
        return datetime(day.year, day.month, day.day)
    if b[10] not in b"Tt ":
        raise _ParseError("invalid datetime separator")
    return datetime.combine(day, _time_bytes(b, 11))


def _digit_run(b: bytes, start: int) -> tuple[int | None, int]:
    """The value of the ASCII digits from ``start`` (None beyond u64) and where they end."""
    pos = start
    while pos < len(b) and 0x30 <= b[pos] <= 0x39:
        pos += 1
    if pos - start > 20:
        return None, pos
    value = int(b[start:pos] or b"0")
    return (value if value <= _U64 else None), pos


def _scaled(total: int, value: int | None, unit: int) -> int:
    if value is None or value * unit + total > _U64:
        raise _ParseError(DURATION_TOO_LARGE)
    return value * unit + total


def _iso_duration(b: bytes) -> tuple[int, int, int]:
    """After the ``P``: returns (days, seconds, microseconds)."""
    days = seconds = micro = 0
    pos = 0
    found = False
    if b[:1].isdigit():  # 365-day years, as durations are written
        value, end = _digit_run(b, 0)
        if b[end : end + 1] == b"Y":
            days, pos, found = _scaled(0, value, 365), end + 1, True
    if b[pos : pos + 1].isdigit():
        value, end = _digit_run(b, pos)
        if b[end : end + 1] != b"D":
            raise _ParseError(INVALID_DURATION)
        days, pos, found = _scaled(days, value, 1), end + 1, True
    if pos >= len(b):
        if found:
            return days, seconds, micro
        raise _ParseError(INVALID_DURATION)
    if b[pos] != 0x54:  # T
        raise _ParseError(INVALID_DURATION)
    pos += 1
    stage = 0  # 1 after H, 2 after M, 3 after S
    while pos < len(b):
        if stage == 3:
            raise _ParseError(INVALID_DURATION)
        value, end = _digit_run(b, pos)
        if end == pos:
            raise _ParseError(INVALID_DURATION)
        unit = b[end : end + 1]
        if unit == b"H" and stage < 1:
            seconds, stage = _scaled(seconds, value, 3600), 1
        elif unit == b"M" and stage < 2:
            seconds, stage = _scaled(seconds, value, 60), 2
        elif unit == b"S":
            seconds, stage = _scaled(seconds, value, 1), 3
        elif unit == b".":
            try:
                micro, end = _fraction(b, end + 1)
            except _ParseError:
                raise _ParseError(INVALID_DURATION) from None
            if b[end : end + 1] != b"S":
                raise _ParseError(INVALID_DURATION)
            seconds, stage = _scaled(seconds, value, 1), 3
        else:
            raise _ParseError(INVALID_DURATION)
        pos = end + 1
    if stage == 0:
        raise _ParseError(INVALID_DURATION)
    return days, seconds, micro


def _clock_duration(b: bytes) -> tuple[int, int, int]:
    """``[H+:]M+:SS[.f]``: returns (0, seconds, microseconds)."""
    first, end1 = _digit_run(b, 0)
    if end1 == 0 or b[end1 : end1 + 1] != b":":
        raise _ParseError(INVALID_DURATION)
    second_run, end2 = _digit_run(b, end1 + 1)
    if end2 == end1 + 1:
        raise _ParseError(INVALID_DURATION)
    if b[end2 : end2 + 1] == b":":
        third, end3 = _digit_run(b, end2 + 1)
        hours, minutes, secs, secs_start, secs_end = first, second_run, third, end2 + 1, end3
    else:
        hours, minutes, secs, secs_start, secs_end = 0, first, second_run, end1 + 1, end2
    if secs_end - secs_start != 2:
        raise _ParseError(INVALID_DURATION)
    had_hours = secs_start != end1 + 1
    if had_hours and (minutes is None or minutes > 59):
        raise _ParseError("minute value is outside expected range")
    if secs is None or secs > 59:
        raise _ParseError("second value is outside expected range")
    pos = secs_end
    micro = 0
    if b[pos : pos + 1] == b".":
        try:
            micro, pos = _fraction(b, pos + 1)
        except _ParseError:
            raise _ParseError(INVALID_DURATION) from None
    if pos != len(b):
        raise _ParseError(INVALID_DURATION)
    seconds = _scaled(_scaled(_scaled(0, hours, 3600), minutes, 60), secs, 1)
    return 0, seconds, micro


def parse_timedelta(text: str) -> timedelta:
    """ISO 8601 ``[-]P[nD][T[nH][nM][n[.f]S]]`` or ``[-][H+:]M+:SS[.f]``."""
    b = _utf8(text)
    if not b:
        raise _ParseError(TOO_SHORT)
    negative = b[0] == 0x2D
    rest = b[1:] if negative else b
    if not rest:
        raise _ParseError(TOO_SHORT)
    if rest[0] == 0x50:  # P
        days, seconds, micro = _iso_duration(rest[1:])
    else:
        days, seconds, micro = _clock_duration(rest)
    try:
        result = timedelta(days, seconds, micro)
    except OverflowError as exc:
        raise _ParseError(str(exc)) from None
    return -result if negative else result


def _seconds_of(value: int | float) -> float:
    """The native core's f64 view of a number: too large or not finite is a parsing error."""
    try:
        seconds = float(value)
    except OverflowError:
        raise _ParseError("number is too large") from None
    if not math.isfinite(seconds):
        raise _ParseError("number must be finite")
    return seconds


def _from_timestamp(value: int | float) -> datetime:
    seconds = _seconds_of(value)
    stamp = value / 1000 if abs(seconds) > _MS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(stamp, timezone.utc)
    except (OverflowError, ValueError, OSError) as exc:
        raise _ParseError(str(exc)) from None


# --- validators ----------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _instance(value: Any, cls: type, state: State) -> bool:
    """``value`` is a ``cls`` (a subclass is not an exact match)."""
    if type(value) is cls:
        return True
    if isinstance(value, cls):
        state.floor(STRICT)
        return True
    return False


def _text_match(state: State, date_only: bool = False) -> None:
    """How a string matched: JSON text stands for the type (strict), Python text is converted;
    a date given for a datetime (midnight) is a conversion either way."""
    state.floor(STRICT if state.json and not date_only else LAX)


class DatetimeValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if _instance(value, datetime, state):
            return value
        strict = state.strict_for(self.strict)
        try:
            if isinstance(value, str) and (not strict or state.json):
                _text_match(state, date_only=len(value) == _DATE_LEN)
                return parse_datetime(value)
            if _is_number(value) and not strict:
                state.floor(LAX)
                return _from_timestamp(value)
        except _ParseError as exc:
            raise error("datetime_parsing", value, {"error": str(exc)}) from None
        raise error("datetime_type", value)


class DateValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        strict = state.strict_for(self.strict)
        if isinstance(value, datetime):
            if strict:
                raise error("date_type", value)
            state.floor(LAX)
            return _exact_date(value, value)
        if _instance(value, date, state):
            return value
        try:
            if isinstance(value, str) and (not strict or state.json):
                _text_match(state)
                return parse_date(value)
            if _is_number(value) and not strict:
                state.floor(LAX)
                return _exact_date(_from_timestamp(value), value)
        except _ParseError as exc:
            raise error("date_parsing", value, {"error": str(exc)}) from None
        raise error("date_type", value)


def _exact_date(moment: datetime, value: Any) -> date:
    if moment.timetz().replace(tzinfo=None) != time(0):
        raise error("date_from_datetime_inexact", value)
    return moment.date()


class TimeValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if _instance(value, time, state):
            return value
        if isinstance(value, str) and (not state.strict_for(self.strict) or state.json):
            _text_match(state)
            try:
                return parse_time(value)
            except _ParseError as exc:
                raise error("time_parsing", value, {"error": str(exc)}) from None
        raise error("time_type", value)


class TimedeltaValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if _instance(value, timedelta, state):
            return value
        strict = state.strict_for(self.strict)
        if isinstance(value, str) and (not strict or state.json):
            _text_match(state)
            try:
                return parse_timedelta(value)
            except _ParseError as exc:
                raise error("time_delta_parsing", value, {"error": str(exc)}) from None
        if _is_number(value) and not strict:
            state.floor(LAX)
            try:
                _seconds_of(value)
                return timedelta(seconds=value)
            except _ParseError as exc:
                raise error("time_delta_parsing", value, {"error": str(exc)}) from None
            except (OverflowError, ValueError) as exc:
                raise error("time_delta_parsing", value, {"error": str(exc)}) from None
        raise error("time_delta_type", value)


builder("datetime")(DatetimeValidator)
builder("date")(DateValidator)
builder("time")(TimeValidator)
builder("timedelta")(TimedeltaValidator)
