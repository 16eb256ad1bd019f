"""datetime, time, date and timedelta written as pydantic 2 writes them (issue 12): UTC as ``Z``,
other offsets as ``±HH:MM`` rounded to whole seconds, durations in ISO 8601; on both cores, for
``mode="json"``, JSON text and ``ferrule.json.dumps`` (native and pure), whatever a subclass's
``isoformat`` says."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import pytest
from cores import make_validator

import ferrule._ferrule as native_json
from ferrule.json import _pure_codec as pure_json
from ferrule.models import schema as s

UTC = timezone.utc


def tz(seconds: float) -> timezone:
    return timezone(timedelta(seconds=seconds))


class _Loud(datetime):
    def isoformat(self, *args: Any, **kwargs: Any) -> str:
        return "not this"


# (value, pydantic 2.14's JSON text without quotes)
CASES: list[Any] = [
    (datetime(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00Z"),
    (datetime(2024, 1, 1, tzinfo=tz(0)), "2024-01-01T00:00:00Z"),
    (datetime(2024, 1, 1, 12, 30, 1, 5, tzinfo=tz(-18000)), "2024-01-01T12:30:01.000005-05:00"),
    (datetime(2024, 1, 1, tzinfo=tz(19800)), "2024-01-01T00:00:00+05:30"),
    (datetime(2024, 1, 1, 12, 30, 1, 5), "2024-01-01T12:30:01.000005"),
    (datetime(2024, 1, 1, tzinfo=tz(30)), "2024-01-01T00:00:00+00:00"),
    (datetime(2024, 1, 1, tzinfo=tz(-30)), "2024-01-01T00:00:00-00:00"),
    (datetime(2024, 1, 1, tzinfo=tz(29.5)), "2024-01-01T00:00:00+00:00"),
    (datetime(2024, 1, 1, tzinfo=tz(-0.5)), "2024-01-01T00:00:00-00:00"),
    (datetime(2024, 1, 1, tzinfo=tz(0.4)), "2024-01-01T00:00:00Z"),
    (datetime(2024, 1, 1, tzinfo=tz(-61)), "2024-01-01T00:00:00-00:01"),
    (datetime(2024, 1, 1, tzinfo=tz(3600.6)), "2024-01-01T00:00:00+01:00"),
    (datetime(2024, 1, 1, tzinfo=tz(86399)), "2024-01-01T00:00:00+23:59"),
    (datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC")), "2024-01-01T00:00:00Z"),
    (datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/London")), "2024-01-01T00:00:00Z"),
    (datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo("Europe/London")), "2024-07-01T00:00:00+01:00"),
    (_Loud(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00Z"),
    (datetime(1, 1, 1), "0001-01-01T00:00:00"),
    (time(1, 2, 3), "01:02:03"),
    (time(1, 2, 3, tzinfo=UTC), "01:02:03Z"),
    (time(1, 2, 3, 4, tzinfo=tz(3600)), "01:02:03.000004+01:00"),
    (time(1, tzinfo=tz(-0.5)), "01:00:00-00:00"),
    (time(0, tzinfo=zoneinfo.ZoneInfo("UTC")), "00:00:00Z"),
    (time(0, tzinfo=zoneinfo.ZoneInfo("Europe/London")), "00:00:00"),
    (date(1, 1, 1), "0001-01-01"),
    (timedelta(days=1, hours=2), "P1DT2H"),
    (timedelta(-1), "-P1D"),
    (timedelta(microseconds=-1), "-PT0.000001S"),
    (timedelta(0), "PT0S"),
]


@pytest.mark.parametrize(("value", "text"), CASES)
def test_dumps_as_pydantic(core: Any, value: Any, text: str) -> None:
    validator = make_validator(core, s.any_schema())
    assert validator.to_python(value, mode="json") == text
    assert validator.to_python({"k": [value]}, mode="json") == {"k": [text]}
    assert validator.to_json(value) == f'"{text}"'.encode()
    assert validator.to_python(value) is value


@pytest.mark.parametrize(("value", "text"), CASES)
@pytest.mark.parametrize("codec", ["native", "pure"])
def test_json_module_dumps_as_pydantic(codec: str, value: Any, text: str) -> None:
    dumps = native_json.json_dumps_bytes if codec == "native" else pure_json.dumps_bytes
    assert dumps(value) == f'"{text}"'.encode()


@pytest.mark.parametrize("kind", ["datetime", "time"])
def test_a_validated_value_round_trips(core: Any, kind: str) -> None:
    """What the writer writes, the reader reads back to the same instant and offset."""
    validator = make_validator(core, {"type": kind, "strict": False})
    writer = make_validator(core, s.any_schema())
    for value, _ in CASES:
        if type(value).__name__ == kind:
            again = validator.validate_json(writer.to_json(value))
            assert again.utcoffset() == _whole_minutes(value.utcoffset())


def _whole_minutes(offset: timedelta | None) -> timedelta | None:
    """The offset the text keeps: rounded to seconds, then cut to minutes (towards zero)."""
    if offset is None:
        return None
    micros = offset // timedelta(microseconds=1)
    seconds = (abs(micros) + 500_000) // 1_000_000 // 60 * 60
    return timedelta(seconds=-seconds if micros < 0 else seconds)


class _Offset(tzinfo):
    """A tzinfo whose ``utcoffset`` answers what the test gives it."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def utcoffset(self, dt: Any) -> Any:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class _Delta(timedelta):
    pass


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (None, ("2024-01-01T00:00:00", "01:00:00")),
        (_Delta(hours=1, seconds=30), ("2024-01-01T00:00:00+01:00", "01:00:00+01:00")),
        (timedelta(hours=25), ValueError),
        ("+01:00", TypeError),
        (LookupError("its own error"), LookupError),
    ],
    ids=["none", "timedelta-subclass", "a-day-or-more", "not-a-timedelta", "raises"],
)
def test_a_tzinfo_answers_through_utcoffset(core: Any, answer: Any, outcome: Any) -> None:
    """Whatever a tzinfo's ``utcoffset`` answers, the writer does what ``isoformat`` does."""
    validator = make_validator(core, s.any_schema())
    values = (datetime(2024, 1, 1, tzinfo=_Offset(answer)), time(1, tzinfo=_Offset(answer)))
    for value, text in zip(values, outcome if isinstance(outcome, tuple) else values, strict=True):
        if isinstance(outcome, tuple):
            assert validator.to_json(value) == f'"{text}"'.encode()
        else:
            with pytest.raises(outcome):
                validator.to_json(value)
