"""An integer field holds what its column holds, on every database: ``IntField`` (and a plain
``int`` annotation) 32 bits, ``SmallIntField`` 16, ``BigIntField`` 64. A value beyond is a
``ValidationError`` at construction, assignment and save, the same everywhere (SQLite stored
it, PostgreSQL refused it with InterfaceError, MariaDB with DatabaseError 1264); a filter
value beyond is the same ``ValidationError`` (no row of the column can hold it)."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables

INT32 = (-(2**31), 2**31 - 1)
INT16 = (-(2**15), 2**15 - 1)
INT64 = (-(2**63), 2**63 - 1)


class Mood(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Ranged(orm.Model):
    id: int = orm.Field(primary_key=True)
    num = orm.IntField(default=0)
    plain: int = 0
    declared: int = orm.Field(default=0)
    small = orm.SmallIntField(default=0)
    big = orm.BigIntField(default=0)
    maybe: int | None = None
    # a user bound tighter than the column's stays; one beyond 32 bits makes it a BIGINT
    # (tests/orm/test_int_bound_columns.py), whose range still bounds the other side
    bounded: int = orm.Field(default=0, ge=-5, le=2**40)
    beyond: int = orm.Field(default=0, le=2**40)
    mood: Mood = Mood.LOW
    flag: bool = False

    class Meta:
        table = "ormt_ranged"


class Wide(orm.Model):
    id = orm.BigIntField(pk=True)

    class Meta:
        table = "ormt_ranged_wide"


class Link(orm.Model):
    id: int = orm.Field(primary_key=True)
    ranged = orm.ForeignKeyField(Ranged, null=True)
    wide = orm.ForeignKeyField(Wide, null=True)

    class Meta:
        table = "ormt_ranged_link"


#: field -> (lowest, highest) it accepts
BOUNDS: dict[str, tuple[int, int]] = {
    "num": INT32,
    "plain": INT32,
    "declared": INT32,
    "small": INT16,
    "big": INT64,
    "maybe": INT32,
    "bounded": (-5, 2**40),
    "beyond": (INT64[0], 2**40),
}
FIELDS = list(BOUNDS)


def _refused(exc: pytest.ExceptionInfo[ValidationError], name: str, bound: int) -> None:
    (error,) = exc.value.errors()
    assert error["loc"] == (name,)
    assert error["type"] == ("greater_than_equal" if bound < 0 else "less_than_equal")
    key = "ge" if bound < 0 else "le"
    assert error["ctx"] == {key: bound}


@pytest.mark.parametrize("name", FIELDS)
def test_construction_and_assignment_refuse_a_value_beyond_the_column(name: str) -> None:
    low, high = BOUNDS[name]
    for bound, beyond in ((low, low - 1), (high, high + 1)):
        assert getattr(Ranged(**{name: bound}), name) == bound
        with pytest.raises(ValidationError) as info:
            Ranged(**{name: beyond})
        _refused(info, name, bound)
        made = Ranged()
        with pytest.raises(ValidationError) as info:
            setattr(made, name, beyond)
        _refused(info, name, bound)
        assert getattr(made, name) == getattr(Ranged(), name)  # unchanged


@pytest.mark.parametrize("name", FIELDS)
async def test_the_bounds_are_stored_and_one_beyond_is_refused(url: str, name: str) -> None:
    low, high = BOUNDS[name]
    async with opened(url), own_tables(Ranged):
        for bound in (low, high):
            made = await Ranged.create(**{name: bound})
            assert getattr(await Ranged.get(id=made.id), name) == bound
            assert await Ranged.filter(**{name: bound}).count() == 1
        for bound, beyond in ((low, low - 1), (high, high + 1)):
            with pytest.raises(ValidationError) as info:
                await Ranged.create(**{name: beyond})
            _refused(info, name, bound)
            with pytest.raises(ValidationError) as info:  # never validated: checked by save()
                await Ranged.model_construct(**{name: beyond}).save()
            _refused(info, name, bound)
        assert await Ranged.count() == 2


async def test_a_filter_value_beyond_the_column_is_refused(url: str) -> None:
    async with opened(url), own_tables(Ranged):
        await Ranged.create(num=5)
        for name, value in (("num", 2**40), ("small", -(2**15) - 1), ("big", 2**63)):
            for lookup in ("", "__gt", "__lt", "__in"):
                given: Any = [value] if lookup == "__in" else value
                with pytest.raises(ValidationError):
                    await Ranged.filter(**{name + lookup: given}).count()
            with pytest.raises(ValidationError):
                await Ranged.filter(num=5).update(**{name: value})
        # a value the column holds but a user bound refuses is a filter that matches nothing
        assert await Ranged.filter(bounded=-6).count() == 0
        assert await Ranged.filter(num=INT32[1]).count() == 0
        assert (await Ranged.get(num=5)).big == 0


async def test_keys_int_enums_and_bools_keep_working(url: str) -> None:
    async with opened(url), own_tables(Ranged, Wide, Link):
        made = await Ranged.create(mood=Mood.HIGH, flag=True)
        assert made.id is not None
        loaded = await Ranged.get(id=made.id)
        assert (loaded.mood, loaded.flag) == (Mood.HIGH, True)
        assert await Ranged.filter(mood=Mood.HIGH, flag=True).count() == 1
        wide = await Wide.create(id=2**40)  # a 64-bit key, given
        link = await Link.create(ranged_id=made.id, wide_id=wide.id)
        assert (await Link.get(id=link.id)).wide_id == 2**40
        with pytest.raises(ValidationError):  # the key of a 32-bit key
            Link(ranged_id=2**31)
        with pytest.raises(ValidationError):
            Ranged(id=2**31)
        with pytest.raises(ValidationError):
            Wide(id=2**63)


def test_the_json_schema_shows_the_bounds() -> None:
    properties = Ranged.model_json_schema()["properties"]
    assert (properties["num"]["minimum"], properties["num"]["maximum"]) == INT32
    assert (properties["small"]["minimum"], properties["small"]["maximum"]) == INT16
    assert (properties["bounded"]["minimum"], properties["bounded"]["maximum"]) == (-5, 2**40)
