"""Dates, times and datetimes in a SQLite table another program filled. SQLite keeps them as
text and a filter compares that text with the text ferrule binds (the form it writes:
``2024-01-02 03:04:05[.ffffff]``, an aware value in UTC with ``+00:00``, a date
``2024-01-02``, a time ``03:04:05[.ffffff]``; Django's forms). Text in another form
(``2024-01-02T03:04:05``, SQLAlchemy's ``.000000``, milliseconds, another offset, a date
with a time) was read as the right value while ``filter(made=...)`` and range filters gave
wrong answers. Such text is now an ``UnreadableValueError`` naming ``Model.field``, the text
and the form ferrule compares; text in that form reads, filters and saves as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import UnreadableValueError

#: Django's SQLite columns
TABLE = """CREATE TABLE "app_event" (
    "id" integer NOT NULL PRIMARY KEY,
    "made" datetime NULL,
    "day" date NULL,
    "at" time NULL,
    "zoned" datetime NULL
)"""


class Event(orm.Model):
    id: int = orm.Field(primary_key=True)
    made = orm.DateTimeField(tz=False, null=True)
    day = orm.DateField(null=True)
    at = orm.TimeField(null=True)
    zoned = orm.DateTimeField(null=True)

    class Meta:
        table = "app_event"


async def _opened(path: Path, rows: list[tuple[Any, ...]]) -> Any:
    raw = sqlite3.connect(path)
    raw.execute(TABLE)
    raw.executemany("INSERT INTO app_event VALUES (?, ?, ?, ?, ?)", rows)
    raw.commit()
    raw.close()
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    return db


def _stored(path: Path) -> list[tuple[Any, ...]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT * FROM app_event ORDER BY id").fetchall()
    finally:
        raw.close()


#: Django's text: what ferrule writes and compares
DJANGO_ROWS = [
    (1, "2024-01-02 03:04:05", "2024-01-02", "03:04:05", "2024-01-02 03:04:05+00:00"),
    (2, "2024-01-02 03:04:05.123456", "2024-01-03", "03:04:05.000001", None),
    (3, "2024-01-02 10:00:00", "2023-12-31", "23:59:59.999999", "2024-01-02 03:04:05.5+00:00"),
]


async def test_djangos_text_reads_filters_and_saves_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    rows = [r if r[4] is None or r[0] != 3 else (*r[:4], "2024-01-02 03:04:05.500000+00:00")
            for r in DJANGO_ROWS]  # fmt: skip
    db = await _opened(path, rows)
    try:
        events = await Event.order_by("id")
        made = [e.made for e in events]
        assert made == [dt.datetime.fromisoformat(r[1]) for r in rows]
        for bound in [*made, dt.datetime(2024, 1, 2, 3, 4, 5, 1)]:
            expected = [e.id for e in events if e.made > bound]
            assert await Event.filter(made__gt=bound).values_list("id", flat=True) == expected
            expected = [e.id for e in events if e.made <= bound]
            assert await Event.filter(made__lte=bound).values_list("id", flat=True) == expected
        assert await Event.filter(day__lt=dt.date(2024, 1, 3)).values_list("id", flat=True) == [
            1,
            3,
        ]
        assert await Event.filter(at__gte=dt.time(3, 4, 5)).values_list("id", flat=True) == [
            1,
            2,
            3,
        ]
        for event in events:
            await event.save()
        assert _stored(path) == rows
    finally:
        orm.set_default(None)
        await db.close()


@pytest.mark.parametrize(
    ("field", "stored", "canonical"),
    [
        ("made", "2024-01-02T03:04:05", "2024-01-02 03:04:05"),
        ("made", "2024-01-02 03:04:05.000000", "2024-01-02 03:04:05"),  # SQLAlchemy's
        ("made", "2024-01-02 03:04:05.123", "2024-01-02 03:04:05.123000"),
        ("day", "2024-01-02 00:00:00", "2024-01-02"),
        ("at", "03:04:05.000", "03:04:05"),
        ("at", "03:04", "03:04:00"),
        ("zoned", "2024-01-02 05:04:05+02:00", "2024-01-02 03:04:05+00:00"),
        ("zoned", "2024-01-02T03:04:05Z", "2024-01-02 03:04:05+00:00"),
    ],
)
async def test_text_of_another_form_is_unreadable(
    tmp_path: Path, field: str, stored: str, canonical: str
) -> None:
    row = dict.fromkeys(("made", "day", "at", "zoned"))
    row[field] = stored
    db = await _opened(tmp_path / "d.db", [(1, *row.values())])
    try:
        reads = {
            "get": lambda: Event.get(id=1),
            "all": lambda: Event.all(),
            "values_list": lambda: Event.all().values_list(field, flat=True),
            "only": lambda: Event.all().only(field),
        }
        for path, read in reads.items():
            with pytest.raises(UnreadableValueError) as caught:
                await read()
            message = str(caught.value)
            assert f"Event.{field}" in message, path
            assert repr(stored) in message and repr(canonical) in message, (path, message)
    finally:
        orm.set_default(None)
        await db.close()


async def test_an_aggregate_of_text_in_another_form_is_unreadable(tmp_path: Path) -> None:
    """MAX compares the text too: ``2024-01-02T05:00`` is greater than ``2024-01-02 10:00``
    (``T`` sorts after a space), and it was read as the latest datetime. (A comparison that
    reads no such text, MIN here, still compares text: only a read can refuse.)"""
    rows = [
        (1, "2024-01-02 10:00:00", None, None, None),
        (2, "2024-01-02T05:00:00", None, None, None),
    ]
    db = await _opened(tmp_path / "d.db", rows)
    try:
        with pytest.raises(UnreadableValueError, match=r"Event\.made"):
            await Event.aggregate(m=orm.Max("made"))
        assert await Event.filter(id=1).aggregate(m=orm.Max("made")) == {
            "m": dt.datetime(2024, 1, 2, 10)
        }
    finally:
        orm.set_default(None)
        await db.close()
