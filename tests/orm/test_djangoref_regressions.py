"""Regressions the Django differential test (``test_djangoref_differential``) found, one plain
test per bug, each against Django's documented answer."""

from __future__ import annotations

from typing import Any

from ferrule import orm

from .conftest import opened, own_tables


class DrPerson(orm.Model):
    id: int = orm.Field(primary_key=True)
    nick = orm.CharField(max_length=20, null=True)

    class Meta:
        table = "ormt_drperson"


async def _ids(qs: Any) -> list[int]:
    return list(await qs.order_by("id").values_list("id", flat=True))


async def test_iexact_none_is_isnull(url: str) -> None:
    """``nick__iexact=None`` is ``nick IS NULL``, as ``nick=None`` is (Django's documented
    ``Blog.objects.get(name__iexact=None)``); it was a FieldError asking for a string."""
    async with opened(url), own_tables(DrPerson):
        await DrPerson.bulk_create(
            [DrPerson(id=1, nick="Ann"), DrPerson(id=2, nick=None), DrPerson(id=3, nick="")]
        )
        assert await _ids(DrPerson.filter(nick__iexact=None)) == [2]
        assert await _ids(DrPerson.exclude(nick__iexact=None)) == [1, 3]
        assert await _ids(DrPerson.filter(~orm.Q(nick__iexact=None))) == [1, 3]
        assert await _ids(DrPerson.filter(nick__iexact="ANN")) == [1]
