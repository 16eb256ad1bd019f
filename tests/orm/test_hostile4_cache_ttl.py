"""A cache time to live given as a number subclass whose dunders disagree with its value:
``cached(ttl=...)`` and ``Meta.cache`` checked ``float(ttl)`` (its ``__float__``, which may
say 60 for a NaN) and then added the object itself to the clock (its ``__radd__``, which may
say infinity): an entry then lived for ever, its query answered from stale rows. A TTL is
now read as the number it holds, once, and kept as that plain float."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, SchemaError

from .conftest import opened
from .models import Tag


class SaysSixty(float):
    """A NaN or an infinity whose ``float()`` says 60."""

    def __float__(self) -> float:
        return 60.0


class Forever(float):
    """A short TTL whose sum with the clock is infinity."""

    def __radd__(self, other: object) -> float:
        return math.inf

    __add__ = __radd__


class IntSaysSixty(int):
    def __float__(self) -> float:
        return 60.0


@pytest.mark.parametrize(
    "ttl", [SaysSixty("nan"), SaysSixty("inf"), IntSaysSixty(-5), IntSaysSixty(0)], ids=repr
)
def test_a_ttl_is_the_number_it_holds(ttl: Any) -> None:
    with pytest.raises(FieldError, match="cached"):
        Tag.all().cached(ttl)
    with pytest.raises(SchemaError, match=r"Meta\.cache"):

        class Cached(orm.Model):
            id: int = orm.Field(primary_key=True)

            class Meta:
                table = "ormt_hostile4_cached"
                cache = ttl


def test_a_ttl_is_kept_as_a_plain_float() -> None:
    for given, held in ((Forever(0.05), 0.05), (IntSaysSixty(7), 7.0)):
        kept = Tag.all().cached(given)._cache
        assert type(kept) is float
        assert kept == held


async def test_an_entry_expires_after_the_ttl_it_holds(url: str) -> None:
    orm.cache.query_cache.clear()
    async with opened(url) as db:
        await Tag.create(label="a")
        query = Tag.all().order_by("label").cached(Forever(0.05))
        assert [t.label for t in await query] == ["a"]
        # written past the ORM (no invalidation): only the TTL ends the entry
        await db.execute("INSERT INTO ormt_tag (label) VALUES ('b')")
        await asyncio.sleep(0.2)
        assert [t.label for t in await query] == ["a", "b"]
    orm.cache.query_cache.clear()
