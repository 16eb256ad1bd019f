"""Conformance tables for datetime, date, time and timedelta (docs/validation.md, "Scalars")."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from cores import Err, check, make_validator

from ferrule.errors import ValidationError
from ferrule.models import schema as s

E = Err
R: tuple[Any, ...] = ()
UTC = timezone.utc
PLUS2 = timezone(timedelta(hours=2))
MINUS0530 = timezone(-timedelta(hours=5, minutes=30))

BOTH: list[Any] = [
    # datetime
    (s.datetime_schema(), "2024-02-29", datetime(2024, 2, 29)),
    (s.datetime_schema(), "2024-02-29T13:45", datetime(2024, 2, 29, 13, 45)),
    (s.datetime_schema(), "2024-02-29t13:45:10", datetime(2024, 2, 29, 13, 45, 10)),
    (s.datetime_schema(), "2024-02-29 13:45:10.5", datetime(2024, 2, 29, 13, 45, 10, 500000)),
    (
        s.datetime_schema(),
        "2024-02-29T13:45:10.123456Z",
        datetime(2024, 2, 29, 13, 45, 10, 123456, UTC),
    ),
    (s.datetime_schema(), "2024-02-29T13:45:10z", datetime(2024, 2, 29, 13, 45, 10, tzinfo=UTC)),
    (s.datetime_schema(), "2024-02-29T13:45+02:00", datetime(2024, 2, 29, 13, 45, tzinfo=PLUS2)),
    (
        s.datetime_schema(),
        "2024-02-29T13:45:00-0530",
        datetime(2024, 2, 29, 13, 45, tzinfo=MINUS0530),
    ),
    (s.datetime_schema(), "2024-02-29T13:45:00+00:00", datetime(2024, 2, 29, 13, 45, tzinfo=UTC)),
    (s.datetime_schema(), 0, datetime(1970, 1, 1, tzinfo=UTC)),
    (s.datetime_schema(), 1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    (s.datetime_schema(), 1_700_000_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    (s.datetime_schema(), 1.5, datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)),
    (s.datetime_schema(), -86400, datetime(1969, 12, 31, tzinfo=UTC)),
    (s.datetime_schema(), "2024-02-30", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2023-02-29T00:00", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-13-01", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-1-01", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "24-01-01", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024/01/01", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01X10:00", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T25:00", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:60", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00:61", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00:00.1234567", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00:00.", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00+24:00", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00+2", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "2024-01-01T10:00 ", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "now", E((R, "datetime_parsing"))),
    (s.datetime_schema(), "", E((R, "datetime_parsing"))),
    (s.datetime_schema(), 1e300, E((R, "datetime_parsing"))),
    (s.datetime_schema(), None, E((R, "datetime_type"))),
    (s.datetime_schema(), True, E((R, "datetime_type"))),
    (s.datetime_schema(), [2024], E((R, "datetime_type"))),
    (s.datetime_schema(strict=True), 0, E((R, "datetime_type"))),
    # date
    (s.date_schema(), "2024-02-29", date(2024, 2, 29)),
    (s.date_schema(), "2024-02-30", E((R, "date_parsing"))),
    (s.date_schema(), "2024-02-29T00:00", E((R, "date_parsing"))),
    (s.date_schema(), "20240229", E((R, "date_parsing"))),
    (s.date_schema(), "0000-01-01", E((R, "date_parsing"))),
    (s.date_schema(), 0, date(1970, 1, 1)),
    (s.date_schema(), 86400 * 365, date(1971, 1, 1)),
    (s.date_schema(), 86400 * 365 * 1000, date(1971, 1, 1)),
    (s.date_schema(), 86401, E((R, "date_from_datetime_inexact"))),
    (s.date_schema(), None, E((R, "date_type"))),
    (s.date_schema(), False, E((R, "date_type"))),
    (s.date_schema(strict=True), 0, E((R, "date_type"))),
    # time
    (s.time_schema(), "13:45", time(13, 45)),
    (s.time_schema(), "13:45:10", time(13, 45, 10)),
    (s.time_schema(), "13:45:10.25", time(13, 45, 10, 250000)),
    (s.time_schema(), "13:45:10Z", time(13, 45, 10, tzinfo=UTC)),
    (s.time_schema(), "13:45+02:00", time(13, 45, tzinfo=PLUS2)),
    (s.time_schema(), "13:45-0530", time(13, 45, tzinfo=MINUS0530)),
    (s.time_schema(), "24:00", E((R, "time_parsing"))),
    (s.time_schema(), "1:45", E((R, "time_parsing"))),
    (s.time_schema(), "13-45", E((R, "time_parsing"))),
    (s.time_schema(), "13:45:1", E((R, "time_parsing"))),
    (s.time_schema(), "13:45x", E((R, "time_parsing"))),
    (s.time_schema(), 3600, E((R, "time_type"))),
    (s.time_schema(), None, E((R, "time_type"))),
    # timedelta
    (s.timedelta_schema(), "P1D", timedelta(days=1)),
    (s.timedelta_schema(), "P1DT2H3M4.5S", timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
    (s.timedelta_schema(), "PT36H", timedelta(hours=36)),
    (s.timedelta_schema(), "PT0.000001S", timedelta(microseconds=1)),
    (s.timedelta_schema(), "-PT1S", timedelta(seconds=-1)),
    (s.timedelta_schema(), "PT5M", timedelta(minutes=5)),
    (s.timedelta_schema(), "01:02:03", timedelta(hours=1, minutes=2, seconds=3)),
    (s.timedelta_schema(), "02:03.5", timedelta(minutes=2, seconds=3.5)),
    (s.timedelta_schema(), "-01:00:00", timedelta(hours=-1)),
    (s.timedelta_schema(), "P", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "PT", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "P1DT", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "P1Y", timedelta(days=365)),
    (s.timedelta_schema(), "P2Y3DT4S", timedelta(days=733, seconds=4)),
    (s.timedelta_schema(), "P1D1Y", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "PT1S2M", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "PT1.5H", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "00:60:00", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "1 day", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), "P9999999999D", E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), 90, timedelta(seconds=90)),
    (s.timedelta_schema(), -1.5, timedelta(seconds=-1.5)),
    (s.timedelta_schema(), 1e300, E((R, "time_delta_parsing"))),
    (s.timedelta_schema(), None, E((R, "time_delta_type"))),
    (s.timedelta_schema(), True, E((R, "time_delta_type"))),
    (s.timedelta_schema(strict=True), 90, E((R, "time_delta_type"))),
]

PYTHON: list[Any] = [
    (s.datetime_schema(), datetime(2024, 1, 1, 10), datetime(2024, 1, 1, 10)),
    (s.datetime_schema(), date(2024, 1, 1), E((R, "datetime_type"))),
    (s.datetime_schema(), math.nan, E((R, "datetime_parsing"))),
    (s.datetime_schema(), b"2024-01-01", E((R, "datetime_type"))),
    (s.datetime_schema(strict=True), datetime(2024, 1, 1), datetime(2024, 1, 1)),
    (s.datetime_schema(strict=True), "2024-01-01", E((R, "datetime_type"))),
    (s.date_schema(), date(2024, 1, 1), date(2024, 1, 1)),
    (s.date_schema(), datetime(2024, 1, 1), date(2024, 1, 1)),
    (s.date_schema(), datetime(2024, 1, 1, tzinfo=UTC), date(2024, 1, 1)),
    (s.date_schema(), datetime(2024, 1, 1, 0, 0, 1), E((R, "date_from_datetime_inexact"))),
    (s.date_schema(strict=True), date(2024, 1, 1), date(2024, 1, 1)),
    (s.date_schema(strict=True), datetime(2024, 1, 1), E((R, "date_type"))),
    (s.date_schema(strict=True), "2024-01-01", E((R, "date_type"))),
    (s.time_schema(), time(1, 2), time(1, 2)),
    (s.time_schema(), datetime(2024, 1, 1), E((R, "time_type"))),
    (s.time_schema(strict=True), "01:02", E((R, "time_type"))),
    (s.timedelta_schema(), timedelta(days=2), timedelta(days=2)),
    (s.timedelta_schema(), math.nan, E((R, "time_delta_parsing"))),
    (s.timedelta_schema(strict=True), "P1D", E((R, "time_delta_type"))),
]

JSON: list[Any] = [
    (
        s.datetime_schema(strict=True),
        '"2024-01-01T10:00:00Z"',
        datetime(2024, 1, 1, 10, tzinfo=UTC),
    ),
    (s.datetime_schema(strict=True), "0", E((R, "datetime_type"))),
    (s.date_schema(strict=True), '"2024-01-01"', date(2024, 1, 1)),
    (s.time_schema(strict=True), '"10:00"', time(10)),
    (s.timedelta_schema(strict=True), '"PT1S"', timedelta(seconds=1)),
    (s.timedelta_schema(strict=True), "1", E((R, "time_delta_type"))),
]


def _id(case: Any) -> str:
    return str(case[0]["type"])


@pytest.mark.parametrize("path", ["python", "json"])
@pytest.mark.parametrize(("schema", "value", "expected"), BOTH, ids=[_id(c) for c in BOTH])
def test_both_paths(core: Any, path: str, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    if path == "python":
        check(lambda: validator.validate_python(value), expected)
    else:
        check(lambda: validator.validate_json(json.dumps(value)), expected)


@pytest.mark.parametrize(("schema", "value", "expected"), PYTHON, ids=[_id(c) for c in PYTHON])
def test_python_path(core: Any, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_python(value), expected)


@pytest.mark.parametrize(("schema", "text", "expected"), JSON, ids=[_id(c) for c in JSON])
def test_json_path(core: Any, schema: Any, text: str, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_json(text), expected)


# The parsing reasons (``ctx["error"]``) both cores must word identically.
DATE_ERRORS = [
    ("", "input is too short"),
    ("2020-01-1", "input is too short"),
    ("2020", "input is too short"),
    ("20x0-01-01", "invalid character in year"),
    ("-020-01-01", "invalid character in year"),
    ("2020/01/01", "invalid date separator"),
    ("2020-01/01", "invalid date separator"),
    ("2020-0a-01", "invalid character in month"),
    ("2020-01-0a", "invalid character in day"),
    ("0000-01-01", "year value is outside expected range"),
    ("2020-00-01", "month value is outside expected range"),
    ("2020-13-01", "month value is outside expected range"),
    ("2020-01-00", "day value is outside expected range"),
    ("2020-01-32", "day value is outside expected range"),
    ("2021-02-29", "day value is outside expected range"),
    ("1900-02-29", "day value is outside expected range"),
    ("2020-04-31", "day value is outside expected range"),
    ("2020-01-01T", "unexpected extra characters at the end of the input"),
    ("2020-01-01 ", "unexpected extra characters at the end of the input"),
    (" 2020-01-01", "invalid character in year"),
    ("\uff12020-01-01", "invalid character in year"),
    ("\uff12020-01-0", "invalid character in year"),
    ("2020-01-0\uff11", "invalid character in day"),
    ("20200101", "input is too short"),
    ("+2020-01-01", "invalid character in year"),
]
TIME_ERRORS = [
    ("", "input is too short"),
    ("12:3", "input is too short"),
    ("1a:30", "invalid character in hour"),
    ("12-30", "invalid time separator"),
    ("12.30", "invalid time separator"),
    ("12:3a", "invalid character in minute"),
    ("24:00", "hour value is outside expected range"),
    ("12:60", "minute value is outside expected range"),
    ("12:30:60", "second value is outside expected range"),
    ("12:30:", "input is too short"),
    ("12:30:4", "input is too short"),
    ("12:30:4x", "invalid character in second"),
    ("12:30:45.", "input is too short"),
    ("12:30:45.Z", "invalid character in second fraction"),
    ("12:30:45.1234567", "second fraction value is more than 6 digits long"),
    ("12:30.5", "unexpected extra characters at the end of the input"),
    ("12:30:45 ", "unexpected extra characters at the end of the input"),
    ("12:30:45ZZ", "unexpected extra characters at the end of the input"),
    ("12:30:45+05:30x", "unexpected extra characters at the end of the input"),
    ("12:30:45+05:3", "invalid timezone offset"),
    ("12:30:45+05", "invalid timezone offset"),
    ("12:30:45+5:30", "invalid timezone offset"),
    ("12:30:45+", "invalid timezone offset"),
    ("12:30:45+24:00", "invalid timezone offset"),
    ("12:30:45+05:60", "invalid timezone offset"),
    ("12:30:45\u221205:00", "unexpected extra characters at the end of the input"),
    ("12:30:45.\uff11", "invalid character in second fraction"),
    ("T12:30", "invalid character in hour"),
]
DATETIME_ERRORS = [
    ("2020-01-01T12", "input is too short"),
    ("2020-01-01_12:30", "invalid datetime separator"),
    ("2020-01-01  12:30", "invalid character in hour"),
    ("2020-01-01\u00e912:30", "invalid datetime separator"),
    ("2020-02-30T12:30", "day value is outside expected range"),
    ("2020-01-01T25:00", "hour value is outside expected range"),
    ("2020-01-01T12:30:45+25:00", "invalid timezone offset"),
    ("2020-01-01T12:30:45Zx", "unexpected extra characters at the end of the input"),
]
DURATION_ERRORS = [
    *[
        (text, "invalid duration")
        for text in [
            "P",
            "-P",
            "PT",
            "P1DT",
            "P1",
            "P1H",
            "P1M",
            "P1W",
            "P1YT",
            "P1Y1Y",
            "PD",
            "PTH",
            "PT1",
            "PT1D",
            "PT1M1H",
            "PT1S1M",
            "PT1S1S",
            "PT1H1H",
            "PT1.5H",
            "P1.5D",
            "PT1.S",
            "PT.5S",
            "PT1.1234567S",
            "PT1.5",
            "PT1Sx",
            "p1d",
            "P1d",
            "Pt1S",
            "+P1D",
            "--P1D",
            "P-1D",
            "PT-1S",
            "P1DT1HT1M",
            "12",
            "12:",
            ":12",
            "12:3",
            "12:345",
            "1:2:3",
            "1:02:3",
            "1:00:00:00",
            "12:00.",
            "12:00.1234567",
            "12:00x",
            "12:00Z",
            "-12:00:00-",
            "+12:00",
        ]
    ],
    ("", "input is too short"),
    ("-", "input is too short"),
    ("P1D ", "invalid duration"),
    (" P1D", "invalid duration"),
    ("12:00 ", "invalid duration"),
    ("P99999999999999999999D", "duration value is too large"),
    ("PT99999999999999999999S", "duration value is too large"),
    ("PT9999999999999999H", "duration value is too large"),
    ("99999999999999999999999:00", "duration value is too large"),
    ("307445734561825861:00", "duration value is too large"),
    ("12:60", "second value is outside expected range"),
    ("1:60:00", "minute value is outside expected range"),
    ("1:99999999999999999999999:00", "minute value is outside expected range"),
]
PARSING_ERRORS: list[Any] = [
    *[(s.date_schema(), text, "date_parsing", reason) for text, reason in DATE_ERRORS],
    *[(s.time_schema(), text, "time_parsing", reason) for text, reason in TIME_ERRORS],
    *[(s.datetime_schema(), text, "datetime_parsing", reason) for text, reason in DATETIME_ERRORS],
    *[(s.datetime_schema(), text, "datetime_parsing", reason) for text, reason in DATE_ERRORS[:17]],
    *[
        (s.timedelta_schema(), text, "time_delta_parsing", reason)
        for text, reason in DURATION_ERRORS
    ],
    (s.datetime_schema(), 10**400, "datetime_parsing", "number is too large"),
    (s.date_schema(), math.inf, "date_parsing", "number must be finite"),
    (s.timedelta_schema(), -math.inf, "time_delta_parsing", "number must be finite"),
]


@pytest.mark.parametrize(("schema", "value", "kind", "reason"), PARSING_ERRORS)
def test_parsing_reasons(core: Any, schema: Any, value: Any, kind: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(value)
    [error] = info.value.errors()
    assert (error["type"], error["ctx"]) == (kind, {"error": reason})


VALID_TEXT: list[Any] = [
    (s.timedelta_schema(), "90:00", timedelta(minutes=90)),
    (s.timedelta_schema(), "100:59:59.999999", timedelta(hours=100, minutes=59, seconds=59.999999)),
    (s.timedelta_schema(), "-0:00:01", timedelta(seconds=-1)),
    (s.timedelta_schema(), "P0D", timedelta(0)),
    (s.timedelta_schema(), "PT1H1S", timedelta(hours=1, seconds=1)),
    (
        s.time_schema(),
        "12:30:45+0530",
        time(12, 30, 45, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ),
    (s.time_schema(), "12:30:45-00:00", time(12, 30, 45, tzinfo=UTC)),
    (s.datetime_schema(), "9999-12-31T23:59:59.999999", datetime(9999, 12, 31, 23, 59, 59, 999999)),
    (s.date_schema(), "0001-01-01", date(1, 1, 1)),
]


@pytest.mark.parametrize(("schema", "value", "expected"), VALID_TEXT)
def test_valid_text(core: Any, schema: Any, value: Any, expected: Any) -> None:
    check(lambda: make_validator(core, schema).validate_python(value), expected)


# The full message for a few cases: the ctx text goes after the template's comma.
PARSING_MESSAGES: list[Any] = [
    (s.datetime_schema(), "2024", "Input should be a valid datetime, input is too short"),
    (
        s.date_schema(),
        "2024-02-30",
        "Input should be a valid date, day value is outside expected range",
    ),
    (
        s.time_schema(),
        "25:00",
        "Input should be a valid time, hour value is outside expected range",
    ),
    (s.timedelta_schema(), "P1M", "Input should be a valid timedelta, invalid duration"),
]


@pytest.mark.parametrize(("schema", "value", "message"), PARSING_MESSAGES)
def test_parsing_messages(core: Any, schema: Any, value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(value)
    [error] = info.value.errors()
    assert error["msg"] == message
