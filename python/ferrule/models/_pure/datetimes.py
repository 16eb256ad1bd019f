"""datetime, date, time and timedelta validators, with the ISO text parsers they share.

Parsers raise `_ParseError` whose text becomes ``ctx["error"]`` of the ``*_parsing`` error.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from ferrule.models._pure.core import State, Validator, builder, error

__all__ = ["parse_date", "parse_datetime", "parse_time", "parse_timedelta"]

_DIGITS = frozenset("0123456789")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS_THRESHOLD = 2e10  # timestamps above this (in absolute value) are milliseconds
_MAX_DAYS = 999_999_999


class _ParseError(Exception):
    pass


def _number(text: str, start: int, what: str) -> int:
    part = text[start : start + 2 if what != "year" else start + 4]
    if not all(char in _DIGITS for char in part):
        raise _ParseError(f"invalid character in {what}")
    return int(part)


def _date_part(text: str) -> date:
    if len(text) < 10:
        raise _ParseError("input is too short")
    year = _number(text, 0, "year")
    if text[4] != "-":
        raise _ParseError("invalid date separator, expected `-`")
    month = _number(text, 5, "month")
    if text[7] != "-":
        raise _ParseError("invalid date separator, expected `-`")
    day = _number(text, 8, "day")
    if not 1 <= month <= 12:
        raise _ParseError("month value is outside expected range of 1-12")
    if year == 0:
        raise _ParseError("year value is outside expected range")
    try:
        return date(year, month, day)
    except ValueError:
        raise _ParseError("day value is outside expected range") from None


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` exactly."""
    result = _date_part(text)
    if len(text) > 10:
        raise _ParseError("unexpected extra characters at the end of the input")
    return result


def _time_part(text: str, start: int) -> tuple[time, int]:
    """Parse ``HH:MM[:SS[.f]]`` and an optional zone from ``text[start:]``; returns (time, end)."""
    if len(text) - start < 5:
        raise _ParseError("input is too short")
    hour = _number(text, start, "hour")
    if text[start + 2] != ":":
        raise _ParseError("invalid time separator, expected `:`")
    minute = _number(text, start + 3, "minute")
    if hour > 23:
        raise _ParseError("hour value is outside expected range of 0-23")
    if minute > 59:
        raise _ParseError("minute value is outside expected range of 0-59")
    second = microsecond = 0
    index = start + 5
    if index < len(text) and text[index] == ":":
        if len(text) - index < 3:
            raise _ParseError("input is too short")
        second = _number(text, index + 1, "second")
        if second > 59:
            raise _ParseError("second value is outside expected range of 0-59")
        index += 3
        if index < len(text) and text[index] == ".":
            end = index + 1
            while end < len(text) and text[end] in _DIGITS:
                end += 1
            fraction = text[index + 1 : end]
            if not fraction:
                raise _ParseError("second fraction digits missing after `.`")
            if len(fraction) > 6:
                raise _ParseError("second fraction value is more than 6 digits long")
            microsecond = int(fraction.ljust(6, "0"))
            index = end
    zone, index = _zone(text, index)
    if index != len(text):
        raise _ParseError("unexpected extra characters at the end of the input")
    return time(hour, minute, second, microsecond, tzinfo=zone), index


def _zone(text: str, index: int) -> tuple[timezone | None, int]:
    if index >= len(text):
        return None, index
    sign = text[index]
    if sign in "Zz":
        return timezone.utc, index + 1
    if sign not in "+-":
        raise _ParseError("unexpected extra characters at the end of the input")
    rest = text[index + 1 :]
    if len(rest) >= 5 and rest[2] == ":":
        hours_text, minutes_text, used = rest[:2], rest[3:5], 5
    elif len(rest) >= 4:
        hours_text, minutes_text, used = rest[:2], rest[2:4], 4
    else:
        raise _ParseError("input is too short")
    if not all(char in _DIGITS for char in hours_text + minutes_text):
        raise _ParseError("invalid timezone offset")
    hours, minutes = int(hours_text), int(minutes_text)
    if hours > 23:
        raise _ParseError("timezone offset must be less than 24 hours")
    if minutes > 59:
        raise _ParseError("timezone offset minutes must be less than 60")
    offset = timedelta(hours=hours, minutes=minutes)
    if not offset:
        return timezone.utc, index + 1 + used
    return timezone(-offset if sign == "-" else offset), index + 1 + used


def parse_time(text: str) -> time:
    """``HH:MM[:SS[.f{1,6}]]`` with an optional ``Z``/``±HH:MM``/``±HHMM`` zone."""
    return _time_part(text, 0)[0]


def parse_datetime(text: str) -> datetime:
    """``YYYY-MM-DD`` (midnight) or ``YYYY-MM-DD[T t ]HH:MM[:SS[.f]][zone]``."""
    day = _date_part(text)
    if len(text) == 10:
        return datetime(day.year, day.month, day.day)
    if text[10] not in "Tt ":
        raise _ParseError("invalid datetime separator, expected `T`, `t` or space")
    clock = _time_part(text, 11)[0]
    return datetime.combine(day, clock)


def _from_timestamp(value: int | float) -> datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise _ParseError("timestamp must be a finite number")
    try:
        if abs(value) > _MS_THRESHOLD:
            if isinstance(value, int):
                return _EPOCH + timedelta(milliseconds=value)
            return _EPOCH + timedelta(seconds=value / 1000)
        return _EPOCH + timedelta(seconds=value)
    except (OverflowError, ValueError):
        raise _ParseError("timestamp is out of range") from None


_CLOCK = re.compile(r"([+-])?(?:([0-9]{1,9}):)?([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?", re.ASCII)
_ISO = re.compile(
    r"(-)?P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)(?:\.([0-9]{1,6}))?S)?)?",
    re.ASCII,
)


def parse_timedelta(text: str) -> timedelta:
    """ISO 8601 ``[-]P[nD][T[nH][nM][n[.f]S]]`` or ``[-][HH:]MM:SS[.f]``."""
    iso = _ISO.fullmatch(text)
    if iso is not None:
        negative, days, hours, minutes, seconds, fraction = iso.groups()
        time_part = text.partition("T")[2] if "T" in text else None
        if (days is None and time_part is None) or time_part == "":
            raise _ParseError("input is too short")
    else:
        clock = _CLOCK.fullmatch(text)
        if clock is None:
            raise _ParseError("invalid duration format")
        sign, hours, minutes, seconds, fraction = clock.groups()
        negative, days = sign == "-", None
        if int(minutes) > 59 or int(seconds) > 59:
            raise _ParseError("minute and second values must be less than 60")
    parts = [part or "0" for part in (days, hours, minutes, seconds)]
    if any(len(part) > 15 for part in parts):
        raise _ParseError("durations may not exceed 999,999,999 days")
    try:
        result = timedelta(
            days=int(parts[0]),
            hours=int(parts[1]),
            minutes=int(parts[2]),
            seconds=int(parts[3]),
            microseconds=int((fraction or "0").ljust(6, "0")),
        )
    except OverflowError:
        raise _ParseError("durations may not exceed 999,999,999 days") from None
    return -result if negative else result


# --- validators ----------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class DatetimeValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        if isinstance(value, datetime):
            return value
        strict = self.strict or state.strict
        try:
            if isinstance(value, str) and (not strict or state.json):
                return parse_datetime(value)
            if _is_number(value) and not strict:
                return _from_timestamp(value)
        except _ParseError as exc:
            raise error("datetime_parsing", value, {"error": str(exc)}) from None
        raise error("datetime_type", value)


class DateValidator(Validator):
    __slots__ = ("strict",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def validate(self, value: Any, state: State) -> Any:
        strict = self.strict or state.strict
        if isinstance(value, datetime):
            if strict:
                raise error("date_type", value)
            return _exact_date(value, value)
        if isinstance(value, date):
            return value
        try:
            if isinstance(value, str) and (not strict or state.json):
                return parse_date(value)
            if _is_number(value) and not strict:
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
        if isinstance(value, time):
            return value
        if isinstance(value, str) and (not (self.strict or state.strict) or state.json):
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
        if isinstance(value, timedelta):
            return value
        strict = self.strict or state.strict
        if isinstance(value, str) and (not strict or state.json):
            try:
                return parse_timedelta(value)
            except _ParseError as exc:
                raise error("time_delta_parsing", value, {"error": str(exc)}) from None
        if _is_number(value) and not strict:
            try:
                return timedelta(seconds=value)
            except (OverflowError, ValueError):
                reason = {"error": "durations may not exceed 999,999,999 days"}
                if isinstance(value, float) and math.isnan(value):
                    reason = {"error": "duration must be a finite number"}
                raise error("time_delta_parsing", value, reason) from None
        raise error("time_delta_type", value)


builder("datetime")(DatetimeValidator)
builder("date")(DateValidator)
builder("time")(TimeValidator)
builder("timedelta")(TimedeltaValidator)
