"""datetime, date, time and timedelta inputs answer as pydantic 2 answers (issue 12): the tables
of `temporal_cases` on both cores, through ``validate_python``, ``validate_json`` and the
streaming reader, lax and strict; then Python-only inputs, error messages and exactness."""

from __future__ import annotations

import enum
import json
import math
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import pytest
from cores import field, make_model, make_validator, same
from temporal_cases import DATE, DATETIME, NA, SAME, TIME, TIMEDELTA, E

from ferrule.errors import ValidationError
from ferrule.models.schema import union_schema

UTC = timezone.utc
TABLES = {"datetime": DATETIME, "date": DATE, "time": TIME, "timedelta": TIMEDELTA}
OWN = {"datetime": datetime, "date": date, "time": time, "timedelta": timedelta}


@cache
def _validator(core: Any, kind: str, strict: bool, path: str) -> Any:
    schema = {"type": kind, "strict": strict}
    if path == "stream":
        holder = make_model("Holder", [field("v", schema)])
        return make_validator(core, holder.__ferrule_schema__)  # type: ignore[attr-defined]
    return make_validator(core, schema)


def run(core: Any, kind: str, path: str, value: Any, strict: bool = False) -> Any:
    """The value, or `E` with the first error's type and ``ctx["error"]``."""
    validator = _validator(core, kind, strict, path)
    try:
        if path == "python":
            return validator.validate_python(value)
        text = json.dumps(value, ensure_ascii=False)
        if path == "json":
            return validator.validate_json(text)
        results, failures = validator.validate_json_many('{"v": ' + text + "}", collect=True)
        if failures:
            raise failures[0][1]
        return results[0].v
    except ValidationError as exc:
        errors = exc.errors()
        assert len(errors) == 1, errors
        ctx = errors[0].get("ctx") or {}
        return E(errors[0]["type"], ctx.get("error"))


def expect(got: Any, expected: Any) -> None:
    if isinstance(expected, E):
        assert got == expected
    else:
        assert not isinstance(got, E), got
        assert same(got, expected), f"{got!r} != {expected!r}"


def _cases(which: str) -> list[Any]:
    out = []
    for kind, rows in TABLES.items():
        for i, (value, python, lax_json, strict_json) in enumerate(rows):
            if which == "python":
                expected = python
            else:
                if lax_json is NA:
                    continue
                lax = python if lax_json is SAME else lax_json
                expected = lax if which == "json" or strict_json is SAME else strict_json
            out.append(pytest.param(kind, value, expected, id=f"{kind}-{i}"))
    return out


@pytest.mark.parametrize(("kind", "value", "expected"), _cases("python"))
def test_python_lax(core: Any, kind: str, value: Any, expected: Any) -> None:
    expect(run(core, kind, "python", value), expected)


@pytest.mark.parametrize("path", ["json", "stream"])
@pytest.mark.parametrize(("kind", "value", "expected"), _cases("json"))
def test_json_lax(core: Any, path: str, kind: str, value: Any, expected: Any) -> None:
    expect(run(core, kind, path, value), expected)


@pytest.mark.parametrize("path", ["json", "stream"])
@pytest.mark.parametrize(("kind", "value", "expected"), _cases("json_strict"))
def test_json_strict(core: Any, path: str, kind: str, value: Any, expected: Any) -> None:
    expect(run(core, kind, path, value, strict=True), expected)


@pytest.mark.parametrize(("kind", "value", "expected"), _cases("python"))
def test_python_strict_takes_only_the_type(core: Any, kind: str, value: Any, expected: Any) -> None:
    own = isinstance(value, OWN[kind]) and not (kind == "date" and isinstance(value, datetime))
    got = run(core, kind, "python", value, strict=True)
    if own:
        assert got is value
    else:
        assert got == E(f"{kind.replace('timedelta', 'time_delta')}_type")


# --- Python objects that are not literals ----------------------------------------------------


class _Index:
    def __index__(self) -> int:
        raise RuntimeError("no index")


class _Float:
    def __float__(self) -> float:
        return 1.5


class _BadFloat:
    def __float__(self) -> float:
        raise RuntimeError("no float")


class _HugeIndex:
    def __index__(self) -> int:
        return 10**30


class _Seconds(enum.IntEnum):
    DAY = 86400


class _Str(str):
    def encode(self, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[override]
        raise RuntimeError("not read through encode")


class _Bytes(bytes):
    def __bytes__(self) -> bytes:
        raise RuntimeError("not read through __bytes__")


class _Date(date):
    pass


class _Datetime(datetime):
    pass


class _Time(time):
    pass


class _Delta(timedelta):
    pass


class _Int(int):
    pass


AFTER_9999 = "dates after 9999 are not supported as unix timestamps"
TIME_MAX = "numeric times may not exceed 86,399 seconds"
NAN_REASON = "NaN values not permitted"
STAMP_1_5 = datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)

# (kind, input, pydantic's lax answer); a subclass instance comes back as itself
OBJECTS: list[Any] = [
    ("datetime", _Index(), E("datetime_type")),
    ("datetime", _Float(), STAMP_1_5),
    ("datetime", _BadFloat(), E("datetime_type")),
    ("datetime", _HugeIndex(), E("datetime_parsing", AFTER_9999)),
    ("datetime", _Seconds.DAY, datetime(1970, 1, 2, tzinfo=UTC)),
    ("datetime", _Str("2024-01-01T00:00"), datetime(2024, 1, 1)),
    ("datetime", _Bytes(b"2024-01-01T00:00"), datetime(2024, 1, 1)),
    ("datetime", _Date(2024, 1, 1), datetime(2024, 1, 1)),
    ("datetime", date(2024, 2, 29), datetime(2024, 2, 29)),
    ("datetime", _Int(5), datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC)),
    ("datetime", bytearray(b"2024-01-01"), E("datetime_type")),
    ("datetime", memoryview(b"2024-01-01"), E("datetime_type")),
    ("datetime", Fraction(3, 2), STAMP_1_5),
    ("datetime", Decimal("NaN"), E("datetime_parsing", NAN_REASON)),
    ("datetime", Decimal("1e400"), E("datetime_parsing", AFTER_9999)),
    ("datetime", time(1), E("datetime_type")),
    ("datetime", timedelta(1), E("datetime_type")),
    ("datetime", 10**400, E("datetime_type")),
    ("date", _Index(), E("date_type")),
    ("date", _Float(), E("date_from_datetime_inexact")),
    ("date", _BadFloat(), E("date_type")),
    ("date", _HugeIndex(), E("date_from_datetime_parsing", AFTER_9999)),
    ("date", _Seconds.DAY, date(1970, 1, 2)),
    ("date", _Str("2024-01-01"), date(2024, 1, 1)),
    ("date", _Bytes(b"2024-01-01"), date(2024, 1, 1)),
    ("date", _Datetime(2024, 1, 1), date(2024, 1, 1)),
    ("date", datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=5))), date(2024, 1, 1)),
    ("date", datetime(2024, 1, 1, 0, 0, 0, 1), E("date_from_datetime_inexact")),
    ("date", _Int(86400), date(1970, 1, 2)),
    ("date", bytearray(b"2024-01-01"), E("date_type")),
    ("date", Fraction(3, 2), E("date_from_datetime_inexact")),
    ("date", Decimal("NaN"), E("date_from_datetime_parsing", NAN_REASON)),
    ("date", True, E("date_type")),
    ("date", time(1), E("date_type")),
    ("time", _Index(), E("time_type")),
    ("time", _Float(), time(0, 0, 1, 500000, tzinfo=UTC)),
    ("time", _HugeIndex(), E("time_parsing", TIME_MAX)),
    ("time", _Seconds.DAY, E("time_parsing", TIME_MAX)),
    ("time", _Int(5), time(0, 0, 5, tzinfo=UTC)),
    ("time", _Bytes(b"10:20"), time(10, 20)),
    ("time", datetime(2024, 1, 1), E("time_type")),
    ("time", date(2024, 1, 1), E("time_type")),
    ("time", Decimal("1e400"), E("time_parsing", TIME_MAX)),
    ("timedelta", _Index(), E("time_delta_type")),
    ("timedelta", _Float(), timedelta(seconds=1, microseconds=500000)),
    (
        "timedelta",
        _HugeIndex(),
        E("time_delta_parsing", "durations may not exceed 999,999,999 days"),
    ),
    ("timedelta", _Seconds.DAY, timedelta(days=1)),
    ("timedelta", _Str("PT1H"), timedelta(hours=1)),
    ("timedelta", _Bytes(b"P1D"), timedelta(days=1)),
    ("timedelta", Fraction(3, 2), timedelta(seconds=1, microseconds=500000)),
    ("timedelta", True, timedelta(seconds=1)),
    ("timedelta", bytearray(b"P1D"), E("time_delta_type")),
    ("timedelta", datetime(2024, 1, 1), E("time_delta_type")),
]

SUBCLASSES = [
    ("datetime", _Datetime(2024, 1, 1)),
    ("date", _Date(2024, 1, 1)),
    ("time", _Time(1)),
    ("timedelta", _Delta(1)),
]


@pytest.mark.parametrize(
    ("kind", "value", "expected"), OBJECTS, ids=[f"{k}-{type(v).__name__}" for k, v, _ in OBJECTS]
)
def test_python_objects(core: Any, kind: str, value: Any, expected: Any) -> None:
    expect(run(core, kind, "python", value), expected)


@pytest.mark.parametrize(("kind", "value"), SUBCLASSES, ids=[k for k, _ in SUBCLASSES])
@pytest.mark.parametrize("strict", [False, True])
def test_subclasses_pass_as_themselves(core: Any, kind: str, value: Any, strict: bool) -> None:
    assert run(core, kind, "python", value, strict=strict) is value


@pytest.mark.parametrize("kind", list(TABLES))
def test_lone_surrogates_are_no_text(core: Any, kind: str) -> None:
    assert run(core, kind, "python", "2024-01-01\ud800") == E("string_unicode")


# --- messages and exactness ------------------------------------------------------------------

MESSAGES = [
    ("datetime", "foo", "Input should be a valid datetime or date, input is too short"),
    ("datetime", math.nan, "Input should be a valid datetime, NaN values not permitted"),
    ("datetime", None, "Input should be a valid datetime"),
    ("date", "foo", "Input should be a valid date or datetime, input is too short"),
    (
        "date",
        "0000-01-01",
        "Input should be a valid date in the format YYYY-MM-DD, year 0 is out of range",
    ),
    (
        "date",
        "2024-01-01T10:00",
        "Datetimes provided to dates should have zero time - e.g. be exact dates",
    ),
    (
        "time",
        "24:00",
        "Input should be in a valid time format, hour value is outside expected range of 0-23",
    ),
    ("time", None, "Input should be a valid time"),
    ("timedelta", "P", "Input should be a valid timedelta, input is too short"),
    ("timedelta", None, "Input should be a valid timedelta"),
]


@pytest.mark.parametrize(("kind", "value", "message"), MESSAGES)
def test_messages(core: Any, kind: str, value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        _validator(core, kind, False, "python").validate_python(value)
    assert info.value.errors()[0]["msg"] == message


UNIONS = [
    (["int", "datetime"], '"1700000000"', datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    (["int", "datetime"], '"2024-01-01"', datetime(2024, 1, 1)),
    (["int", "datetime"], "1700000000", 1700000000),
    (["date", "datetime"], '"2024-01-01"', date(2024, 1, 1)),
    (["datetime", "date"], '"2024-01-01"', date(2024, 1, 1)),
    (["datetime", "date"], '"2024-01-01T00:00"', datetime(2024, 1, 1)),
]


@pytest.mark.parametrize(("kinds", "text", "expected"), UNIONS)
def test_json_text_is_a_strict_match_in_a_union(
    core: Any, kinds: list[str], text: str, expected: Any
) -> None:
    """A JSON string is JSON's form of a datetime (a strict match, beating a lax int from text);
    a date's text for a datetime is a lax conversion, so a date choice wins it."""
    schema = union_schema([{"type": kind, "strict": False} for kind in kinds])
    expect(make_validator(core, schema).validate_json(text), expected)
