"""``Trunc``/``Extract``'s ``tzinfo=`` is UTC's only (ferrule takes an aware datetime's
parts in UTC). It was judged by ``tzinfo.utcoffset(None)`` alone: what is no ``tzinfo``
(``"UTC"``, a number) was an ``AttributeError``, a zone whose ``utcoffset()`` raised let its
error through, and a zone answering 0 for ``None`` but another offset for every real datetime
was taken, its parts then read in UTC in silence. ``orm.utc_zones`` asks the zone at instants
from year 1 to 9999."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError


class NoneSaysUTC(dt.tzinfo):
    """Zero offset when asked without a datetime, five hours for every datetime."""

    def utcoffset(self, moment: Any) -> dt.timedelta:
        return dt.timedelta(0) if moment is None else dt.timedelta(hours=5)

    def dst(self, moment: Any) -> dt.timedelta:
        return dt.timedelta(0)


class Failing(dt.tzinfo):
    def utcoffset(self, moment: Any) -> dt.timedelta:
        raise RuntimeError("no offset")


class LegacyUTC(dt.tzinfo):
    """The UTC class old code wrote itself (before datetime.timezone)."""

    def utcoffset(self, moment: Any) -> dt.timedelta:
        return dt.timedelta(0)

    def dst(self, moment: Any) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, moment: Any) -> str:
        return "UTC"


class LyingDelta(dt.timedelta):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = dt.timedelta.__hash__


class LyingOffset(dt.tzinfo):
    def utcoffset(self, moment: Any) -> dt.timedelta:
        return LyingDelta(hours=3)


FUNCTIONS = [
    lambda tz: orm.Trunc("created", "day", tzinfo=tz),
    lambda tz: orm.Extract("created", "year", tzinfo=tz),
    lambda tz: orm.ExtractYear("created", tzinfo=tz),
]


@pytest.mark.parametrize(
    "zone",
    [
        "UTC",
        0,
        NoneSaysUTC(),
        Failing(),
        LyingOffset(),
        zoneinfo.ZoneInfo("Europe/London"),
        zoneinfo.ZoneInfo("Africa/Abidjan"),  # GMT since 1912, not before
        dt.timezone(dt.timedelta(hours=1)),
    ],
    ids=repr,
)
@pytest.mark.parametrize("make", FUNCTIONS)
def test_what_is_not_utc_at_every_instant_is_refused(make: Any, zone: Any) -> None:
    with pytest.raises(FieldError, match="tzinfo="):
        make(zone)


@pytest.mark.parametrize(
    "zone",
    [
        None,
        dt.timezone.utc,
        dt.timezone(dt.timedelta(0), "Z"),
        zoneinfo.ZoneInfo("UTC"),
        zoneinfo.ZoneInfo("Etc/UTC"),
        LegacyUTC(),
    ],
    ids=repr,
)
@pytest.mark.parametrize("make", FUNCTIONS)
def test_utc_is_taken(make: Any, zone: Any) -> None:
    assert make(zone) is not None
