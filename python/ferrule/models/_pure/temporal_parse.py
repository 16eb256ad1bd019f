"""The temporal grammar of the native core (the ``speedate`` crate, pydantic-core's parser), in
Python, with the same answers and the same error sentences.

Text is read as UTF-8 bytes, positions are byte positions. Arithmetic follows the crate: 32-bit
unsigned counters with overflow checks, IEEE doubles for fractions, Rust's saturating float to
integer casts and rounding half away from zero. Results are plain tuples, because speedate
accepts year 0, which Python's ``date`` cannot hold:

- date: ``(year, month, day)``
- time: ``(hour, minute, second, microsecond, offset_seconds | None)``
- datetime: ``(date, time)``
- duration: ``(positive, days, seconds, microseconds)``, normalised
"""

from __future__ import annotations

import datetime as _dt
import math
import re

__all__ = [
    "TemporalError",
    "date_text",
    "datetime_text",
    "duration_float",
    "duration_int",
    "duration_text",
    "exact_date",
    "time_float",
    "time_int",
    "time_text",
    "timestamp_float",
    "timestamp_int",
]

Date = tuple[int, int, int]
Time = tuple[int, int, int, int, "int | None"]
DateTime = tuple[Date, Time]
Duration = tuple[bool, int, int, int]

TOO_SHORT = "input is too short"
EXTRA = "unexpected extra characters at the end of the input"
DATETIME_SEP = "invalid datetime separator, expected `T`, `t`, `_` or space"
DATE_SEP = "invalid date separator, expected `-`"
NOT_EXACT = "Timestamp is not an exact date"
CHAR_YEAR = "invalid character in year"
CHAR_MONTH = "invalid character in month"
CHAR_DAY = "invalid character in day"
TIME_SEP = "invalid time separator, expected `:`"
CHAR_HOUR = "invalid character in hour"
CHAR_MINUTE = "invalid character in minute"
CHAR_SECOND = "invalid character in second"
TZ_SIGN = "invalid timezone sign"
TZ_HOUR = "invalid timezone hour"
TZ_MINUTE = "invalid timezone minute"
RANGE_TZ_MINUTE = "timezone minute value is outside expected range of 0-59"
RANGE_TZ = "timezone offset must be less than 24 hours"
RANGE_MONTH = "month value is outside expected range of 1-12"
RANGE_DAY = "day value is outside expected range"
RANGE_HOUR = "hour value is outside expected range of 0-23"
RANGE_MINUTE = "minute value is outside expected range of 0-59"
RANGE_SECOND = "second value is outside expected range of 0-59"
FRACTION_MISSING = "second fraction digits missing after `.`"
DURATION_NUMBER = "invalid digit in duration"
DURATION_T = "`t` character repeated in duration"
DURATION_FRACTION = "quantity fraction invalid in duration"
DURATION_TIME_UNIT = "quantity invalid in time part of duration"
DURATION_DATE_UNIT = "quantity invalid in date part of duration"
DURATION_DAYS = '"day" identifier in duration not correctly formatted'
DURATION_VALUE = "a numeric value in the duration is too large"
DURATION_HOURS = "durations may not exceed 999,999,999 hours"
DURATION_DAYS_MAX = "durations may not exceed 999,999,999 days"
DATE_SMALL = "dates before 0000 are not supported as unix timestamps"
DATE_LARGE = "dates after 9999 are not supported as unix timestamps"
TIME_LARGE = "numeric times may not exceed 86,399 seconds"
NAN = "NaN values not permitted"
NEGATIVE_TIME = "time in seconds should be positive"

_U32 = 2**32 - 1
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_MS_WATERSHED = 20_000_000_000  # above this (absolute) a timestamp is in milliseconds
_UNIX_0000 = -62_167_219_200  # 0000-01-01T00:00:00
_UNIX_9999 = 253_402_300_799  # 9999-12-31T23:59:59
_ORDINAL_0001 = 366  # days from 0000-01-01 (a leap year) to 0001-01-01
_FLOAT_TEXT = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


class TemporalError(Exception):
    """A text or number that is no such value; ``str()`` is the reason."""


# --- Rust's numeric conversions -----------------------------------------------------------------


def _u32(value: float) -> int:
    """``f64 as u32``: saturating, NaN is 0."""
    if value != value:
        return 0
    return 0 if value <= 0 else _U32 if value >= _U32 else int(value)


def _i64(value: float) -> int:
    """``f64 as i64``: saturating, NaN is 0."""
    if value != value:
        return 0
    if value <= _I64_MIN:
        return _I64_MIN
    return _I64_MAX if value >= _I64_MAX else int(value)


def _round(value: float) -> float:
    """``f64::round``: half away from zero."""
    if not math.isfinite(value):
        return value
    magnitude = abs(value)
    whole = math.floor(magnitude)
    rounded = float(whole + 1 if magnitude - whole >= 0.5 else whole)
    return -rounded if value < 0 else rounded


def _floor(value: float) -> float:
    return float(math.floor(value)) if math.isfinite(value) else value


def _trunc(value: float) -> float:
    return float(math.trunc(value)) if math.isfinite(value) else value


def _fract(value: float) -> float:
    return value - _trunc(value)


def _div(a: int, b: int) -> int:
    """Rust's integer division (towards zero)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a: int, b: int) -> int:
    return a - b * _div(a, b)


def _checked_u32(value: int) -> int:
    if value > _U32:
        raise TemporalError(DURATION_VALUE)
    return value


# --- numbers in text ------------------------------------------------------------------------------


def _int_text(b: bytes) -> tuple[int | None, str]:
    """An i64 in text, else None and why: ``"."`` (a digit run stopped at a dot), ``"overflow"``
    or ``"invalid"``."""
    if len(b) >= 2 and b[0] in b"+-":
        negative, digits = b[0] == 0x2D, b[1:]
    elif b:
        negative, digits = False, b
    else:
        return None, "invalid"
    value = 0
    for i, c in enumerate(digits):
        if not 0x30 <= c <= 0x39:
            return None, "." if c == 0x2E else "invalid"
        value = value * 10 + c - 0x30
        if i >= 19 and value > 2**64 - 1:
            return None, "overflow"
    if value > (2**63 if negative else _I64_MAX):
        return None, "overflow"
    return (-value if negative else value), ""


def _number_text(b: bytes) -> int | float | None:
    """An integer, else a float (when the text has a dot where an integer stopped), else None."""
    value, why = _int_text(b)
    if value is not None:
        return value
    dotted = why == "." or (why == "overflow" and b"." in b)
    return float(b) if dotted and _FLOAT_TEXT.match(b) else None


# --- dates ----------------------------------------------------------------------------------------


def _digit(b: bytes, i: int, err: str) -> int:
    if i < len(b) and 0x30 <= b[i] <= 0x39:
        return b[i] - 0x30
    raise TemporalError(err)


def _leap(year: int) -> bool:
    return year % 400 == 0 if year % 100 == 0 else year % 4 == 0


def _date_prefix(b: bytes) -> Date:
    if len(b) < 10:
        raise TemporalError(TOO_SHORT)
    year = 0
    for i in range(4):
        year = year * 10 + _digit(b, i, CHAR_YEAR)
    if b[4] != 0x2D:
        raise TemporalError(DATE_SEP)
    month = _digit(b, 5, CHAR_MONTH) * 10 + _digit(b, 6, CHAR_MONTH)
    if b[7] != 0x2D:
        raise TemporalError(DATE_SEP)
    day = _digit(b, 8, CHAR_DAY) * 10 + _digit(b, 9, CHAR_DAY)
    if month in (1, 3, 5, 7, 8, 10, 12):
        longest = 31
    elif month in (4, 6, 9, 11):
        longest = 30
    elif month == 2:
        longest = 29 if _leap(year) else 28
    else:
        raise TemporalError(RANGE_MONTH)
    if not 1 <= day <= longest:
        raise TemporalError(RANGE_DAY)
    return year, month, day


def _seconds_micros(stamp: int) -> tuple[int, int]:
    """A timestamp in seconds, or in milliseconds above the watershed."""
    if stamp == _I64_MIN:
        raise TemporalError(DATE_SMALL)
    if abs(stamp) <= _MS_WATERSHED:
        return stamp, 0
    return _ms_seconds_micros(stamp)


def _ms_seconds_micros(stamp: int) -> tuple[int, int]:
    seconds, micros = _div(stamp, 1000), _rem(stamp, 1000) * 1000
    if micros < 0:
        seconds, micros = seconds - 1, micros + 1_000_000
    return seconds, micros


def _calendar(stamp: int) -> tuple[Date, int]:
    """The UTC date of a timestamp in seconds, and the seconds into that day."""
    if stamp < _UNIX_0000:
        raise TemporalError(DATE_SMALL)
    if stamp > _UNIX_9999:
        raise TemporalError(DATE_LARGE)
    days = (stamp - _UNIX_0000) // 86_400
    if days < _ORDINAL_0001:  # in year 0, a leap year as 2000 is
        day = _dt.date(2000, 1, 1) + _dt.timedelta(days=days)
        found: Date = (0, day.month, day.day)
    else:
        day = _dt.date.fromordinal(days - _ORDINAL_0001 + 1)
        found = (day.year, day.month, day.day)
    return found, stamp % 86_400


def date_text(b: bytes) -> Date:
    """``YYYY-MM-DD``, else an integer timestamp falling on midnight UTC."""
    try:
        found = _date_prefix(b)
        if len(b) > 10:
            raise TemporalError(EXTRA)
        return found
    except TemporalError:
        stamp, _ = _int_text(b)
        if stamp is None:
            raise
    seconds, micros = _seconds_micros(stamp)
    found, rest = _calendar(seconds)
    if rest or micros:
        raise TemporalError(NOT_EXACT)
    return found


# --- times ----------------------------------------------------------------------------------------


def _clock(b: bytes, start: int) -> tuple[int, int, int, int, int]:
    """``HH:MM[:SS[.f+]]`` from ``start``; fractions beyond microseconds are cut. Returns the
    fields and the end."""
    if len(b) - start < 5:
        raise TemporalError(TOO_SHORT)
    hour = _digit(b, start, CHAR_HOUR) * 10 + _digit(b, start + 1, CHAR_HOUR)
    if b[start + 2] != 0x3A:
        raise TemporalError(TIME_SEP)
    minute = _digit(b, start + 3, CHAR_MINUTE) * 10 + _digit(b, start + 4, CHAR_MINUTE)
    if hour > 23:
        raise TemporalError(RANGE_HOUR)
    if minute > 59:
        raise TemporalError(RANGE_MINUTE)
    end = start + 5
    second = micro = 0
    if b[end : end + 1] == b":":
        second = _digit(b, start + 6, CHAR_SECOND) * 10 + _digit(b, start + 7, CHAR_SECOND)
        if second > 59:
            raise TemporalError(RANGE_SECOND)
        end = start + 8
        if b[end : end + 1] in (b".", b","):
            end += 1
            count = 0
            while end + count < len(b) and 0x30 <= b[end + count] <= 0x39:
                if count < 6:
                    micro = micro * 10 + b[end + count] - 0x30
                count += 1
            if count == 0:
                raise TemporalError(FRACTION_MISSING)
            if count < 6:
                micro *= 10 ** (6 - count)
            end += count
    return hour, minute, second, micro, end


def _time_from(b: bytes, start: int) -> Time:
    hour, minute, second, micro, pos = _clock(b, start)
    offset: int | None = None
    if pos < len(b):
        mark = b[pos]
        pos += 1
        if mark in b"Zz":
            offset = 0
        else:
            if mark == 0x2B:
                sign = 1
            elif mark == 0x2D:
                sign = -1
            elif mark == 0xE2:  # U+2212 MINUS SIGN, allowed by ISO 8601
                if b[pos : pos + 2] != b"\x88\x92":
                    raise TemporalError(TZ_SIGN)
                pos += 2
                sign = -1
            else:
                raise TemporalError(TZ_SIGN)
            h1, h2 = _digit(b, pos, TZ_HOUR), _digit(b, pos + 1, TZ_HOUR)
            after = b[pos + 2] if pos + 2 < len(b) else None
            if after == 0x3A:
                pos += 3
                m1 = _digit(b, pos, TZ_MINUTE)
            elif after is not None and 0x30 <= after <= 0x39:
                pos += 2
                m1 = after - 0x30
            else:
                raise TemporalError(TZ_MINUTE)
            m2 = _digit(b, pos + 1, TZ_MINUTE)
            minute_seconds = m1 * 600 + m2 * 60
            if minute_seconds >= 3600:
                raise TemporalError(RANGE_TZ_MINUTE)
            offset = sign * (h1 * 36000 + h2 * 3600 + minute_seconds)
            if abs(offset) >= 86_400:
                raise TemporalError(RANGE_TZ)
            pos += 2
    if len(b) > pos:
        raise TemporalError(EXTRA)
    return hour, minute, second, micro, offset


def time_text(b: bytes) -> Time:
    """``HH:MM[:SS[.f]]`` with an optional ``Z``/``±HH:MM``/``±HHMM`` offset."""
    return _time_from(b, 0)


def _time_of_day(seconds: int, micro: int) -> Time:
    if micro >= 1_000_000:
        seconds += micro // 1_000_000
        if seconds > _U32:
            raise TemporalError(TIME_LARGE)
        micro %= 1_000_000
    if seconds >= 86_400:
        raise TemporalError(TIME_LARGE)
    return seconds // 3600, seconds % 3600 // 60, seconds % 60, micro, 0


def time_int(seconds: int, micro: int = 0) -> Time:
    """Seconds since midnight, in UTC."""
    if seconds < 0:
        raise TemporalError(NEGATIVE_TIME)
    return _time_of_day(min(seconds, _U32), micro)


def time_float(seconds: float) -> Time:
    if seconds != seconds:
        raise TemporalError(NAN)
    micros = abs(_fract(seconds)) * 1_000_000.0
    return time_int(_i64(_floor(seconds)), _u32(_round(micros)))


# --- datetimes ------------------------------------------------------------------------------------


def _moment(seconds: int, micros: int) -> DateTime:
    day, rest = _calendar(seconds)
    return day, _time_of_day(rest, micros)


def timestamp_int(stamp: int) -> DateTime:
    """Unix seconds (milliseconds above 2e10), in UTC."""
    return _moment(*_seconds_micros(stamp))


def timestamp_float(stamp: float) -> DateTime:
    if stamp != stamp:
        raise TemporalError(NAN)
    return _timestamp_float(stamp)


def _timestamp_float(stamp: float) -> DateTime:
    millis = abs(stamp) > _MS_WATERSHED
    fraction = stamp - _floor(stamp)
    micros = _u32(_round(fraction * (1_000.0 if millis else 1_000_000.0)))
    whole = _i64(_floor(stamp))
    seconds, extra = _ms_seconds_micros(whole) if millis else (whole, 0)
    micros += extra
    if micros > _U32:
        raise TemporalError(TIME_LARGE)
    if micros >= 1_000_000:
        seconds += micros // 1_000_000
        if seconds > _I64_MAX:
            raise TemporalError(TIME_LARGE)
        micros %= 1_000_000
    return _moment(seconds, micros)


def datetime_text(b: bytes) -> DateTime:
    """RFC 3339 (``T``, ``t``, ``_`` or a space between), else a number as a timestamp."""
    try:
        day = _date_prefix(b)
        if b[10:11] not in (b"T", b"t", b" ", b"_"):
            raise TemporalError(DATETIME_SEP)
        return day, _time_from(b, 11)
    except TemporalError:
        number = _number_text(b)
        if number is None:
            raise
    if isinstance(number, int):
        return timestamp_int(number)
    return _timestamp_float(number)


def exact_date(moment: DateTime) -> Date | None:
    """The date of a datetime at exactly midnight (any offset)."""
    day, (hour, minute, second, micro, _) = moment
    return day if hour == minute == second == micro == 0 else None


# --- durations ------------------------------------------------------------------------------------


def _normalised(positive: bool, days: int, seconds: int, micros: int) -> Duration:
    if micros >= 1_000_000:
        seconds = _checked_u32(seconds + micros // 1_000_000)
        micros %= 1_000_000
    if seconds >= 86_400:
        days = _checked_u32(days + seconds // 86_400)
        seconds %= 86_400
    if days > 999_999_999:
        raise TemporalError(DURATION_DAYS_MAX)
    return positive, days, seconds, micros


def _duration_number(b: bytes, pos: int) -> tuple[int, int]:
    if not (pos < len(b) and 0x30 <= b[pos] <= 0x39):
        raise TemporalError(DURATION_NUMBER)
    value = 0
    while pos < len(b) and 0x30 <= b[pos] <= 0x39:
        value = _checked_u32(_checked_u32(value * 10) + b[pos] - 0x30)
        pos += 1
    return value, pos


def _iso_duration(b: bytes) -> tuple[int, int, int]:
    """After the ``P``: ``nY nM nW nD`` then ``T nH nM nS``, any unit with a fraction (the last)."""
    got_t = had_fraction = False
    pos = days = seconds = micros = 0
    while pos < len(b):
        if b[pos] == 0x54:  # T
            if got_t:
                raise TemporalError(DURATION_T)
            got_t = True
        else:
            value, pos = _duration_number(b, pos)
            fraction: float | None = None
            if b[pos : pos + 1] in (b".", b","):
                decimal, denominator = 0.0, 1.0
                pos += 1
                while pos < len(b) and 0x30 <= b[pos] <= 0x39:
                    decimal = decimal * 10.0 + (b[pos] - 0x30)
                    denominator *= 10.0
                    pos += 1
                fraction = decimal / denominator
            if had_fraction:
                raise TemporalError(DURATION_FRACTION)
            had_fraction = fraction is not None
            unit = b[pos : pos + 1]
            if got_t:
                mult = {b"H": 3600, b"M": 60, b"S": 1}.get(unit)
                if mult is None:
                    raise TemporalError(DURATION_TIME_UNIT)
                seconds = _checked_u32(seconds + _checked_u32(mult * value))
                if fraction is not None:
                    extra = fraction * mult
                    whole = _trunc(extra)
                    seconds = _checked_u32(seconds + _u32(whole))
                    micros = _checked_u32(micros + _u32(_round((extra - whole) * 1_000_000.0)))
            else:
                mult = {b"Y": 365, b"M": 30, b"W": 7, b"D": 1}.get(unit)
                if mult is None:
                    raise TemporalError(DURATION_DATE_UNIT)
                days = _checked_u32(days + _checked_u32(value * mult))
                if fraction is not None:
                    extra_days = fraction * mult
                    whole_days = _trunc(extra_days)
                    days = _checked_u32(days + _u32(whole_days))
                    extra = (extra_days - whole_days) * 86_400.0
                    whole = _trunc(extra)
                    seconds = _checked_u32(seconds + _u32(whole))
                    micros = (micros + _u32(_round((extra - whole) * 1_000_000.0))) & _U32
        pos += 1
    if pos < 2:
        raise TemporalError(TOO_SHORT)
    return days, seconds, micros


def _clock_duration(b: bytes) -> tuple[int, int, int]:
    """``H+:MM[:SS[.f]]`` (hours unbounded up to 2.4e9)."""
    if len(b) < 5:
        raise TemporalError(TOO_SHORT)
    colon = b.find(b":")
    if colon < 0:
        raise TemporalError(CHAR_HOUR)
    hour_part, rest = b[:colon], b[colon + 1 :]
    if len(hour_part) > 10:
        raise TemporalError(DURATION_HOURS)
    hour = 0
    for c in hour_part:
        if not 0x30 <= c <= 0x39:
            raise TemporalError(CHAR_HOUR)
        hour = hour * 10 + c - 0x30
    if hour > 24 * 10**8:
        raise TemporalError(DURATION_HOURS)
    text = b"00:" + rest[:12]
    _, minute, second, micro, end = _clock(text, 0)
    if len(text) > end:
        raise TemporalError(EXTRA)
    return hour // 24, minute * 60 + second + hour % 24 * 3600, micro


def _days_clock(b: bytes) -> tuple[int, int, int]:
    """``4d``, ``4 days``, ``4d,00:15:30``, ``4 days, 00:15:30``."""
    days, pos = _duration_number(b, 0)
    rest = b[pos:]
    if rest[:2] in (b" d", b" D"):
        rest = rest[2:]
    elif rest[:1] in (b"d", b"D"):
        rest = rest[1:]
    else:
        raise TemporalError(DURATION_DAYS)
    for word in (b"ays", b"ay", b"AYS", b"AY"):
        if rest.startswith(word):
            rest = rest[len(word) :]
            break
    else:
        if rest[:1] in (b"a", b"A"):
            raise TemporalError(DURATION_DAYS)
    for sep in (b", ", b",", b" "):
        if rest.startswith(sep):
            rest = rest[len(sep) :]
            break
    if not rest:
        return days, 0, 0
    extra_days, seconds, micros = _clock_duration(rest)
    if extra_days:
        raise TemporalError(DURATION_HOURS)
    return days, seconds, micros


def duration_text(b: bytes) -> Duration:
    """ISO 8601 (``P1W``, ``PT1.5H``, ``P0.5D``), ``[-]HH:MM:SS[.f]`` or ``4d,00:15:30``."""
    positive = True
    if b[:1] == b"-":
        positive, b = False, b[1:]
    elif b[:1] == b"+":
        b = b[1:]
    if not b:
        raise TemporalError(TOO_SHORT)
    if b[0] == 0x50:  # P
        parts = _iso_duration(b[1:])
    elif b"d" in b or b"D" in b or len(b) < 5:
        parts = _days_clock(b)
    else:
        parts = _clock_duration(b)
    return _normalised(positive, *parts)


def duration_int(seconds: int) -> Duration:
    magnitude = abs(seconds)
    return _normalised(seconds >= 0, min(magnitude // 86_400, _U32), magnitude % 86_400, 0)


def duration_float(seconds: float) -> Duration:
    if seconds != seconds:
        raise TemporalError(NAN)
    magnitude = abs(seconds)
    micros = _fract(magnitude) * 1_000_000.0
    days = _u32(magnitude / 86_400.0)
    rest = (_u64(magnitude)) % 86_400
    return _normalised(seconds >= 0.0, days, rest, _u32(_round(micros)))


def _u64(value: float) -> int:
    """``f64 as u64``: saturating, NaN is 0."""
    if value != value or value <= 0:
        return 0
    return 2**64 - 1 if value >= 2**64 - 1 else int(value)
