"""A naive datetime for a time-zone aware field, or an aware one for a field declared
``tz=False``, is a ``ValidationError`` naming ``Model.field`` (pydantic's ``timezone_aware``/
``timezone_naive``), from every way a value is written or compared, on every database, and
nothing is written. It was a ``SchemaError``, the error of a model class ferrule cannot
enforce, which code catching bad input (``except ValidationError``) let through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables

UTC = dt.timezone.utc
NAIVE = dt.datetime(2024, 1, 2, 3, 4)
AWARE = dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC)


class Slot(orm.Model):
    id: int = orm.Field(primary_key=True)
    at: dt.datetime | None = None
    local: dt.datetime | None = orm.Field(default=None, tz=False)

    class Meta:
        table = "ormt_tz_slot"


def _cases() -> dict[str, tuple[Callable[[], Any], str, str]]:
    return {
        "create": (lambda: Slot.create(at=NAIVE), "at", "timezone_aware"),
        "create tz=False": (lambda: Slot.create(local=AWARE), "local", "timezone_naive"),
        "bulk_create": (lambda: Slot.bulk_create([Slot(local=AWARE)]), "local", "timezone_naive"),
        "filter": (lambda: Slot.filter(at__gt=NAIVE).count(), "at", "timezone_aware"),
        "filter tz=False": (lambda: Slot.filter(local=AWARE).count(), "local", "timezone_naive"),
        "update": (lambda: Slot.all().update(at=NAIVE), "at", "timezone_aware"),
    }


async def test_a_datetime_of_the_other_kind_is_a_validation_error(url: str) -> None:
    async with opened(url), own_tables(Slot):
        kept = await Slot.create(at=AWARE, local=NAIVE)
        for label, (make, field, kind) in _cases().items():
            with pytest.raises(ValidationError) as caught:
                await make()
            assert caught.value.title == f"Slot.{field}", label
            assert [e["type"] for e in caught.value.errors()] == [kind], label
        kept.local = AWARE
        with pytest.raises(ValidationError, match="tz=False"):
            await kept.save()
        assert await Slot.values_list("at", "local") == [(AWARE, NAIVE)]
