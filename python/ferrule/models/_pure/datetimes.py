"""datetime, date, time and timedelta validators: the native core's rules (pydantic's) over the
grammar in `temporal_parse`.

Python objects of the type pass; in lax mode text (``str``, ``bytes``), Unix timestamps and
numbers of seconds are parsed; JSON strings always are. A datetime field takes a date's text
(midnight, naive) and a date field takes a datetime at exactly midnight, in lax mode.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from ferrule.models._pure import temporal_parse as tp
from ferrule.models._pure.core import LAX, STRICT, State, Validator, builder, error

__all__ = ["DateValidator", "DatetimeValidator", "TimeValidator", "TimedeltaValidator"]

_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
YEAR_ZERO = "year 0 is out of range"

# What a non-temporal input offers the parsers: (kind, payload).
TEXT, INT, FLOAT, BIG_INT, BOOL, DAY, MOMENT, OTHER = range(8)


class _Unicode(Exception):
    """A str with lone surrogates: no text to parse."""


def _python_raw(value: Any, kind: str) -> tuple[int, Any]:
    """The native core's view of a Python input: its str/bytes, bool, integer (``__index__``,
    64 bits), float (``__float__``), or the date/datetime a fallback needs."""
    if isinstance(value, str):
        try:
            return TEXT, str.encode(value, "utf-8")
        except UnicodeEncodeError:
            raise _Unicode from None
    if isinstance(value, bytes):
        return TEXT, bytes.__getitem__(value, slice(None))
    if type(value) is bool:
        return BOOL, value
    if kind == "date" and isinstance(value, datetime):
        return MOMENT, value
    try:
        integer = operator.index(value)
    except Exception:
        integer = None
    if integer is not None and _I64_MIN <= integer <= _I64_MAX:
        return INT, integer
    try:
        if hasattr(type(value), "__float__"):
            return FLOAT, float(value)
        if integer is not None:
            return FLOAT, float(integer)
    except Exception:
        pass
    if kind == "datetime" and isinstance(value, date):
        return DAY, value
    return OTHER, None


def _json_raw(value: Any) -> tuple[int, Any]:
    if isinstance(value, str):
        return TEXT, value.encode("utf-8", "surrogatepass")
    if isinstance(value, bool):
        return OTHER, None
    if isinstance(value, int):
        return (INT, value) if _I64_MIN <= value <= _I64_MAX else (BIG_INT, None)
    if isinstance(value, float):
        return FLOAT, value
    return OTHER, None


def _tzinfo(offset: int | None) -> timezone | None:
    if offset is None:
        return None
    return timezone.utc if offset == 0 else timezone(timedelta(seconds=offset))


def _py_datetime(moment: tp.DateTime) -> datetime:
    (year, month, day), (hour, minute, second, micro, offset) = moment
    if year == 0:
        raise tp.TemporalError(YEAR_ZERO)
    return datetime(year, month, day, hour, minute, second, micro, _tzinfo(offset))


def _py_date(day: tp.Date) -> date:
    if day[0] == 0:
        raise tp.TemporalError(YEAR_ZERO)
    return date(*day)


def _py_time(t: tp.Time) -> time:
    hour, minute, second, micro, offset = t
    return time(hour, minute, second, micro, _tzinfo(offset))


def _py_delta(d: tp.Duration) -> timedelta:
    positive, days, seconds, micros = d
    sign = 1 if positive else -1
    try:
        return timedelta(sign * days, sign * seconds, sign * micros)
    except OverflowError as exc:
        raise tp.TemporalError(str(exc)) from None


class _Temporal(Validator):
    __slots__ = ("strict",)
    kind = ""
    type_code = ""
    parsing_code = ""
    own: type = object

    def __init__(self, schema: dict[str, Any]) -> None:
        self.strict = bool(schema.get("strict"))

    def instance(self, value: Any, state: State) -> bool:
        if type(value) is self.own:
            return True
        if isinstance(value, self.own):
            state.floor(STRICT)
            return True
        return False

    def validate(self, value: Any, state: State) -> Any:
        strict = state.strict_for(self.strict)
        if state.json:
            raw = _json_raw(value)
            if raw[0] == TEXT:
                state.floor(STRICT)
            elif strict:
                raise error(self.type_code, value)
            else:
                state.floor(LAX)
        else:
            if self.instance(value, state):
                return value
            if strict:
                raise error(self.type_code, value)
            state.floor(LAX)
            try:
                raw = _python_raw(value, self.kind)
            except _Unicode:
                raise error("string_unicode", value) from None
        try:
            return self.convert(raw, value, strict, state)
        except tp.TemporalError as exc:
            raise error(self.parsing_code, value, {"error": str(exc)}) from None

    def convert(self, raw: tuple[int, Any], value: Any, strict: bool, state: State) -> Any:
        raise NotImplementedError  # pragma: no cover - abstract


class DatetimeValidator(_Temporal):
    __slots__ = ()
    kind, type_code, parsing_code, own = "datetime", "datetime_type", "datetime_parsing", datetime

    def convert(self, raw: tuple[int, Any], value: Any, strict: bool, state: State) -> Any:
        kind, payload = raw
        if kind == TEXT:
            try:
                moment = tp.datetime_text(payload)
            except tp.TemporalError:
                if strict:
                    raise
                try:
                    day = tp.date_text(payload)
                except tp.TemporalError as exc:
                    raise error("datetime_from_date_parsing", value, {"error": str(exc)}) from None
                state.floor(LAX)
                moment = (day, (0, 0, 0, 0, None))
            return _py_datetime(moment)
        if kind == INT:
            return _py_datetime(tp.timestamp_int(payload))
        if kind == FLOAT:
            return _py_datetime(tp.timestamp_float(payload))
        if kind == DAY:
            return datetime(payload.year, payload.month, payload.day)
        raise error("datetime_type", value)


class DateValidator(_Temporal):
    __slots__ = ()
    kind, type_code, parsing_code, own = "date", "date_type", "date_parsing", date

    def instance(self, value: Any, state: State) -> bool:
        return not isinstance(value, datetime) and super().instance(value, state)

    def convert(self, raw: tuple[int, Any], value: Any, strict: bool, state: State) -> Any:
        kind, payload = raw
        if kind == TEXT:
            try:
                day = tp.date_text(payload)
            except tp.TemporalError:
                if strict:
                    raise
            else:
                return _py_date(day)
        moment: Any
        try:
            if kind == TEXT:
                moment = tp.datetime_text(payload)
            elif kind == INT:
                moment = tp.timestamp_int(payload)
            elif kind == FLOAT:
                moment = tp.timestamp_float(payload)
            elif kind == MOMENT:
                return _date_of_moment(payload)
            else:
                raise error("date_type", value)
        except tp.TemporalError as exc:
            raise error("date_from_datetime_parsing", value, {"error": str(exc)}) from None
        state.floor(LAX)
        found = tp.exact_date(moment)
        if found is None:
            raise error("date_from_datetime_inexact", value)
        return _py_date(found)


def _date_of_moment(moment: datetime) -> date:
    fields = (moment.hour, moment.minute, moment.second, moment.microsecond)
    if any(int(f) != 0 for f in fields):
        raise error("date_from_datetime_inexact", moment)
    return date(moment.year, moment.month, moment.day)


class TimeValidator(_Temporal):
    __slots__ = ()
    kind, type_code, parsing_code, own = "time", "time_type", "time_parsing", time

    def convert(self, raw: tuple[int, Any], value: Any, strict: bool, state: State) -> Any:
        kind, payload = raw
        if kind == TEXT:
            return _py_time(tp.time_text(payload))
        if kind == INT:
            return _py_time(tp.time_int(payload))
        if kind == FLOAT:
            return _py_time(tp.time_float(payload))
        if kind == BIG_INT:
            raise tp.TemporalError(tp.TIME_LARGE)
        raise error("time_type", value)


class TimedeltaValidator(_Temporal):
    __slots__ = ()
    kind, type_code, parsing_code, own = (
        "timedelta",
        "time_delta_type",
        "time_delta_parsing",
        timedelta,
    )

    def convert(self, raw: tuple[int, Any], value: Any, strict: bool, state: State) -> Any:
        kind, payload = raw
        if kind == TEXT:
            return _py_delta(tp.duration_text(payload))
        if kind in (INT, BOOL):
            return _py_delta(tp.duration_int(int(payload)))
        if kind == FLOAT:
            return _py_delta(tp.duration_float(payload))
        raise error("time_delta_type", value)


builder("datetime")(DatetimeValidator)
builder("date")(DateValidator)
builder("time")(TimeValidator)
builder("timedelta")(TimedeltaValidator)
