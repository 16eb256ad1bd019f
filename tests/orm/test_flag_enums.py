"""An ``enum.IntFlag`` field holds any combination of its flags, as Python's ``Perm.R |
Perm.W`` is a ``Perm``: the table's CHECK lets it through (an ``IntEnum``'s still holds the
column to its members). Before, the CHECK named only the single flags: a combination, or no
flag at all, passed validation and then was the database's IntegrityError on all three.
"""

from __future__ import annotations

import enum

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError, ValidationError

from .conftest import opened, own_tables


class Perm(enum.IntFlag):
    R = 1
    W = 2
    X = 4


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Grant(orm.Model):
    id: int = orm.Field(primary_key=True)
    perm: Perm = Perm.R
    level: Level = Level.LOW

    class Meta:
        table = "ormt_flag_grant"


async def test_flag_combinations_are_stored(url: str) -> None:
    async with opened(url), own_tables(Grant):
        for perm in (Perm.R | Perm.W, Perm(0), Perm.R | Perm.W | Perm.X, Perm.X):
            await Grant.create(perm=perm)
        found = await Grant.order_by("id").values_list("perm", flat=True)
        assert found == [Perm.R | Perm.W, Perm(0), Perm.R | Perm.W | Perm.X, Perm.X]
        assert all(type(p) is Perm for p in found)
        assert await Grant.filter(perm=Perm.R | Perm.W).count() == 1
        with pytest.raises(ValidationError):  # an IntEnum still holds only its members
            await Grant.all().update(level=3)


async def test_a_value_outside_an_int_enum_is_an_integrity_error(url: str) -> None:
    """Written past the ORM (raw SQL), a value the enum does not name breaks the column's CHECK:
    an IntegrityError on every database. SQLite reported it as the DataError of the column
    declared before it (its parser gave the unnamed CHECK the previous constraint's name)."""
    async with opened(url) as db, own_tables(Grant):
        await Grant.create()
        insert = "INSERT INTO ormt_flag_grant (perm, level) VALUES (1, 7)"
        with pytest.raises(IntegrityError) as caught:
            await db.execute(insert)
        assert "perm" not in str(caught.value)
        assert await Grant.count() == 1
