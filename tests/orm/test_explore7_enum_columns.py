"""An int enum's column holds every value the field takes: its members' values, and for a
flag every combination of its members. It was always a 32-bit ``INTEGER``, so an ``IntFlag``
with a bit past 31 (``1 << 31``, ``1 << 40``: permission masks) or an ``IntEnum`` member of
3_000_000_000 was created and then refused by every database at each write (SQLite's
CHECK, PostgreSQL's "value out of int32 range" naming no field, MariaDB's "Out of range").
The column is now ``BIGINT`` when the values need it, and an enum whose values no integer
column holds is a ``SchemaError``. A ``Literal`` of ints the same."""

from __future__ import annotations

import enum
from typing import Literal

import pytest

from ferrule import orm
from ferrule.errors import SchemaError

from .conftest import opened, own_tables


class Perm(enum.IntFlag):
    READ = 1
    ADMIN = 1 << 31
    OWNER = 1 << 40


class Code(enum.IntEnum):
    LOW = -1
    HIGH = 3_000_000_000


class Mask(enum.Flag):
    ONE = 1
    TOP = 1 << 62


class Wide(orm.Model):
    id: int = orm.Field(primary_key=True)
    perm = orm.EnumField(Perm, null=True)
    code = orm.EnumField(Code, null=True)
    mask = orm.EnumField(Mask, null=True)
    size: Literal[1, 5_000_000_000] | None = orm.Field(default=None)

    class Meta:
        table = "ormt_x7_wide_enum"


ROWS = [
    {"perm": Perm.READ | Perm.ADMIN | Perm.OWNER, "code": Code.HIGH, "mask": Mask.ONE | Mask.TOP},
    {"perm": Perm.ADMIN, "code": Code.LOW, "mask": Mask.TOP, "size": 5_000_000_000},
    {"perm": Perm(0), "code": Code.HIGH, "mask": Mask(0), "size": 1},
]


async def test_every_member_and_combination_is_stored(url: str) -> None:
    async with opened(url), own_tables(Wide):
        for key, row in enumerate(ROWS, 1):
            await Wide.create(id=key, **row)
        for key, row in enumerate(ROWS, 1):
            got = await Wide.get(id=key)
            assert {name: getattr(got, name) for name in row} == row
        assert await Wide.filter(perm=Perm.ADMIN).values_list("id", flat=True) == [2]
        assert await Wide.filter(code=Code.HIGH).order_by("id").values_list("id", flat=True) == [
            1,
            3,
        ]
        assert await Wide.filter(id=3).update(perm=Perm.OWNER) == 1
        assert (await Wide.get(id=3)).perm is Perm.OWNER


def test_an_enum_no_integer_column_holds_is_refused() -> None:
    class Huge(enum.IntEnum):
        BIG = 2**64

    with pytest.raises(SchemaError, match=r"Vast\.huge\b"):

        class Vast(orm.Model):
            id: int = orm.Field(primary_key=True)
            huge = orm.EnumField(Huge)

            class Meta:
                table = "ormt_x7_vast"

        Vast._meta.columns  # noqa: B018
