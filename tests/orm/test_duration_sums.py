"""``Sum`` of a ``timedelta`` field is the ``timedelta`` Python's ``sum`` gives, on every
database, as Django answers for a ``DurationField`` (over all rows, with ``filter=`` and
``distinct=True``, per group). It was refused as "not a number (SQLite and MariaDB would
answer 0, ...)", which they would not: they hold microseconds and add them exactly, and
PostgreSQL adds intervals.
"""

from __future__ import annotations

import datetime as dt

from ferrule import orm

from .conftest import opened, own_tables


class Lap(orm.Model):
    id: int = orm.Field(primary_key=True)
    team: str = orm.Field(max_length=5)
    time: dt.timedelta | None = None

    class Meta:
        table = "ormt_duration_lap"


TIMES = [
    ("a", dt.timedelta(seconds=61, microseconds=7)),
    ("a", dt.timedelta(days=2, microseconds=999_999)),
    ("b", dt.timedelta(seconds=61, microseconds=7)),
    ("b", dt.timedelta(microseconds=-3)),
    ("b", None),
    ("c", dt.timedelta(days=-1, seconds=5)),
]


def _sum(values: list[dt.timedelta | None]) -> dt.timedelta | None:
    present = [v for v in values if v is not None]
    return sum(present, dt.timedelta()) if present else None


async def test_sum_of_durations_is_pythons(url: str) -> None:
    async with opened(url), own_tables(Lap):
        for team, time in TIMES:
            await Lap.create(team=team, time=time)
        every = [t for _, t in TIMES]
        found = await Lap.aggregate(
            total=orm.Sum("time"),
            of_b=orm.Sum("time", filter=orm.Q(team="b")),
            once=orm.Sum("time", distinct=True),
        )
        assert found == {
            "total": _sum(every),
            "of_b": _sum([t for team, t in TIMES if team == "b"]),
            "once": _sum(list(set(every))),
        }
        assert all(type(v) is dt.timedelta for v in found.values())
        rows = await Lap.values("team").annotate(total=orm.Sum("time")).order_by("team")
        assert rows == [
            {"team": g, "total": _sum([t for team, t in TIMES if team == g])} for g in "abc"
        ]
        assert await Lap.filter(time__isnull=True).aggregate(s=orm.Sum("time")) == {"s": None}
