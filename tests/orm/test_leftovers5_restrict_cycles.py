"""Rows restricting each other in a cycle through a key that cannot be NULL
(``on_delete="restrict"``), deleted together: no row outside the delete names them, so
Django's collector and PostgreSQL (checking at the statement's end) delete them, and MariaDB
did once its keys were released (tests/orm/test_openitems3_self_reference.py). SQLite checks a
RESTRICT as each row goes, and a NOT NULL key could not be released to NULL: the delete was
an IntegrityError there. The key is now released to name no row with SQLite's checks
deferred for the release and the delete (then as they were)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class L5Ring(orm.Model):
    id: int = orm.Field(primary_key=True)
    other = orm.ForeignKeyField("L5Ring", related_name="others", on_delete="restrict")
    name = orm.CharField(max_length=10, default="")

    class Meta:
        table = "ormt_l5_ring"


class L5Left(orm.Model):
    """Deleted by the cascade of its right row, which restricts it back."""

    id: int = orm.Field(primary_key=True)
    right = orm.ForeignKeyField("L5Right", related_name="lefts", on_delete="cascade")

    class Meta:
        table = "ormt_l5_left"


class L5Right(orm.Model):
    id: int = orm.Field(primary_key=True)
    left = orm.ForeignKeyField("L5Left", related_name="rights", on_delete="restrict")

    class Meta:
        table = "ormt_l5_right"


async def _ring() -> None:
    # 1 -> 2 -> 1, 3 -> 2 (on the cycle's way), 4 -> 4 (alone, kept)
    await L5Ring.create(id=1, other_id=1)
    await L5Ring.create(id=2, other_id=1)
    await L5Ring.filter(id=1).update(other_id=2)
    await L5Ring.create(id=3, other_id=2)
    await L5Ring.create(id=4, other_id=4)


async def _ids() -> list[Any]:
    return list(await L5Ring.all().order_by("id").values_list("id", "other_id"))


@pytest.mark.parametrize("how", ["queryset", "in a transaction", "instance"])
async def test_a_not_null_restricting_cycle_deleted_whole_is_deleted(url: str, how: str) -> None:
    async with opened(url) as db, own_tables(L5Ring):
        await _ring()
        if how == "queryset":
            assert await L5Ring.filter(id__in=[1, 2, 3]).delete() == 3
        elif how == "in a transaction":
            async with orm.transaction():
                assert await L5Ring.filter(id__in=[3, 2, 1]).delete() == 3
                if db.dialect == "sqlite":  # the block's checks are as they were
                    assert await db.fetch_val("PRAGMA defer_foreign_keys", []) == 0
        else:
            await L5Ring.filter(id=3).delete()
            with pytest.raises(IntegrityError):  # 2 names 1 and stays: on every database
                await (await L5Ring.get(id=1)).delete()
            assert await _ids() == [(1, 2), (2, 1), (4, 4)]
            await L5Ring.filter(id__in=[2, 1]).delete()
        assert await _ids() == [(4, 4)]


async def test_the_refusals_stay(url: str) -> None:
    async with opened(url), own_tables(L5Ring):
        await _ring()
        with pytest.raises(IntegrityError, match=r"L5Ring\.other"):
            await L5Ring.filter(id__in=[1, 2]).delete()  # 3 names 2 and stays
        await L5Ring.create(id=5, other_id=4)
        with pytest.raises(IntegrityError, match=r"L5Ring\.other"):
            await L5Ring.filter(id=4).delete()  # 5 names it
        assert await _ids() == [(1, 2), (2, 1), (3, 2), (4, 4), (5, 4)]
        assert await L5Ring.all().delete() == 5


async def _left_right(db: Any) -> None:
    """Two rows of each model naming each other (NOT NULL both ways: made with the checks
    off or deferred, as another program would)."""
    async with orm.transaction():
        if db.dialect == "sqlite":
            await db.execute("PRAGMA defer_foreign_keys = ON", [])
        elif db.dialect == "mysql":
            await db.execute("SET foreign_key_checks = 0", [])
        else:
            await db.execute("SET LOCAL session_replication_role = replica", [])
        for key in (1, 2):
            await L5Right.create(id=key, left_id=key)
            await L5Left.create(id=key, right_id=key)
        if db.dialect == "mysql":
            await db.execute("SET foreign_key_checks = 1", [])


async def test_a_cascade_meeting_its_restricting_row_is_deleted(url: str) -> None:
    """Right 1's cascade removes left 1, which right 1 restricts: Django, PostgreSQL and
    SQLite delete both (the restricting row goes too); MariaDB refused it (1451: InnoDB met
    right 1's key before right 1 was gone), until the key was released first."""
    async with opened(url) as db, own_tables(L5Left, L5Right):
        await _left_right(db)
        await L5Right.filter(id=1).delete()
        assert await L5Right.all().values_list("id", flat=True) == [2]
        assert await L5Left.all().values_list("id", flat=True) == [2]
        with pytest.raises(IntegrityError, match=r"L5Right\.left"):
            await L5Left.filter(id=2).delete()  # right 2 names it and stays
        await (await L5Right.get(id=2)).delete()  # an instance's delete: the same
        assert (await L5Right.all().count(), await L5Left.all().count()) == (0, 0)
