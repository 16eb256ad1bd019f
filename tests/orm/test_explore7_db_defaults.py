"""A datetime ``db_default`` is held as ferrule holds the field's own values, on every
database.

* An aware default of an aware field in another offset (``+02:00``) was written into the
  column's DEFAULT as it was: SQLite kept the text with its offset, where every value ferrule
  writes is UTC text, so ``filter(at=<the same instant>)`` and ranges, compared as text,
  missed the row. It is now the instant in UTC.
* A naive default of an aware field read back naive on SQLite and as UTC on the servers; an
  aware default of a ``tz=False`` field read back aware on SQLite, at its own wall time on
  PostgreSQL and at UTC's on MariaDB. Both are refused when the model is defined, as
  ``create()`` refuses such values (``SchemaError`` naming the field)."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import SchemaError

from .conftest import opened, own_tables

PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
NOON_PLUS_TWO = dt.datetime(2020, 1, 1, 12, 0, 0, 5, tzinfo=PLUS_TWO)
INSTANT = NOON_PLUS_TWO.astimezone(dt.timezone.utc)


class Stamped(orm.Model):
    id: int = orm.Field(primary_key=True)
    at = orm.DateTimeField(db_default=NOON_PLUS_TWO)

    class Meta:
        table = "ormt_x7_stamped"


async def test_an_aware_default_in_another_offset_is_the_same_instant(url: str) -> None:
    async with opened(url), own_tables(Stamped):
        made = await Stamped.create(id=1)  # the column's DEFAULT
        await Stamped.create(id=2, at=INSTANT)  # the same instant, written by ferrule
        await Stamped.create(id=3, at=INSTANT + dt.timedelta(hours=1))
        assert made.at == INSTANT
        assert (await Stamped.get(id=1)).at == INSTANT
        assert await Stamped.filter(at=INSTANT).order_by("id").values_list("id", flat=True) == [
            1,
            2,
        ]
        later = INSTANT + dt.timedelta(minutes=30)
        assert await Stamped.filter(at__lt=later).order_by("id").values_list("id", flat=True) == [
            1,
            2,
        ]
        assert await Stamped.order_by("-at", "id").values_list("id", flat=True) == [3, 1, 2]


@pytest.mark.parametrize(
    ("tz", "default", "words"),
    [
        (True, dt.datetime(2020, 1, 1, 12), "naive"),
        (False, NOON_PLUS_TWO, "aware"),
        (True, dt.datetime(1, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))), "1-9999"),
    ],
)
def test_a_default_of_the_other_kind_is_refused(tz: bool, default: dt.datetime, words: str) -> None:
    with pytest.raises(SchemaError, match=rf"Mixed\.at\b.*{words}"):

        class Mixed(orm.Model):
            id: int = orm.Field(primary_key=True)
            at = orm.DateTimeField(tz=tz, db_default=default)

            class Meta:
                table = "ormt_x7_mixed"
