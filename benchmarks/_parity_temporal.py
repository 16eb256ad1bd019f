"""Temporal parity rows (issue 12): datetimes, dates, times and durations read from JSON text
(speedate's grammar in both libraries) and written to JSON (UTC as ``Z``), against pydantic."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pydantic
from _harness import Table, per_op

from ferrule import Model, TypeAdapter


class FEvent(Model):
    at: datetime
    local: datetime
    day: date
    start: time
    length: timedelta


class PEvent(pydantic.BaseModel):
    at: datetime
    local: datetime
    day: date
    start: time
    length: timedelta


EVENT = {
    "at": "2026-12-03T08:30:00.123456Z",
    "local": "2026-12-03 10:30:00+02:00",
    "day": "2026-12-03",
    "start": "08:30:00",
    "length": "PT1H30M",
}
EVENTS_JSON = json.dumps([EVENT] * 50).encode()
EVENT_JSON = json.dumps(EVENT).encode()


def rows(table: Table) -> None:
    case = "5 temporal fields from JSON -> instance"
    table.add(case, "ferrule", per_op(lambda: FEvent.model_validate_json(EVENT_JSON)))
    table.add(case, "pydantic", per_op(lambda: PEvent.model_validate_json(EVENT_JSON)))
    adapter_f = TypeAdapter(list[FEvent])
    adapter_p = pydantic.TypeAdapter(list[PEvent])
    case = "50 events from JSON (list[Event])"
    table.add(case, "ferrule", per_op(lambda: adapter_f.validate_json(EVENTS_JSON)))
    table.add(case, "pydantic", per_op(lambda: adapter_p.validate_json(EVENTS_JSON)))
    f = FEvent.model_validate_json(EVENT_JSON)
    p = PEvent.model_validate_json(EVENT_JSON)
    assert f.model_dump_json() == p.model_dump_json().replace(" ", "")
    case = "5 temporal fields -> JSON"
    table.add(case, "ferrule", per_op(lambda: f.model_dump_json()))
    table.add(case, "pydantic", per_op(lambda: p.model_dump_json()))


if __name__ == "__main__":
    table = Table("temporal parity")
    rows(table)
    print(table.render())
