"""Integer arithmetic past 64 bits in a filter or an order: PostgreSQL and MariaDB raise a
``DataError`` (int op int is a 64-bit int on every database, ``orm.arithmetic``), SQLite
turned the result into a double and answered (``filter(big__lt=F("big") + F("big"))`` matched,
``order_by(F("big") * 4)`` sorted by rounded doubles). SQLite now raises the DataError too,
wherever the arithmetic is computed; within 64 bits nothing changes."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import DataError

from .conftest import opened, own_tables

F = orm.F


class Num(orm.Model):
    id: int = orm.Field(primary_key=True)
    big = orm.BigIntField()

    class Meta:
        table = "ormt_oi_num"


async def test_an_overflow_in_a_filter_or_an_order_is_a_data_error(url: str) -> None:
    async with opened(url), own_tables(Num):
        await Num.create(big=2**62 + 5)
        small = await Num.create(big=3)
        for made in (
            lambda: Num.filter(big__lt=F("big") + F("big")).count(),
            lambda: Num.filter(big__gt=(F("big") * 4) - F("big")).count(),
            lambda: Num.exclude(big=F("big") - F("big") * 4).count(),
            lambda: Num.order_by(F("big") * 4).values_list("id", flat=True),
            lambda: Num.annotate(x=F("big") * 4).values_list("x", flat=True),
        ):
            with pytest.raises(DataError):
                await made()
        assert await Num.filter(big__lt=F("big") + 1).count() == 2
        got = Num.filter(pk=small.pk).annotate(x=F("big") * 4 - 1)
        assert await got.values_list("x", flat=True) == [11]
