"""Rows restricting each other in a cycle through a NOT NULL key to a text or UUID primary
key, deleted together (tests/orm/test_leftovers5_restrict_cycles.py has the integer keys): no row
outside the delete names them, so Django and PostgreSQL delete them. SQLite checks a
RESTRICT as each row goes, and the release that lets it delete them wanted an integer to
name no row: with a text or UUID key the delete was the database's IntegrityError (MariaDB's
too). Such a key is now released to a text, or a UUID, none of the deleted rows has."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class L6Word(orm.Model):
    code = orm.CharField(max_length=8, primary_key=True)
    other = orm.ForeignKeyField("L6Word", related_name="others", on_delete="restrict")

    class Meta:
        table = "ormt_l6_word"


class L6Tagged(orm.Model):
    id = orm.UUIDField(primary_key=True)
    other = orm.ForeignKeyField("self", related_name="others", on_delete="restrict")

    class Meta:
        table = "ormt_l6_tagged"


async def _ring(first: str) -> None:
    # first -> b -> first, c -> b (on the cycle's way), d -> d (alone, kept)
    await L6Word.create(code=first, other_id=first)
    await L6Word.create(code="b", other_id=first)
    await L6Word.filter(code=first).update(other_id="b")
    await L6Word.create(code="c", other_id="b")
    await L6Word.create(code="d", other_id="d")


async def _rows() -> list[Any]:
    return list(await L6Word.all().order_by("code").values_list("code", "other_id"))


@pytest.mark.parametrize("first", ["a", ""])
@pytest.mark.parametrize("how", ["queryset", "in a transaction"])
async def test_a_text_keyed_restricting_cycle_deleted_whole(url: str, how: str, first: str) -> None:
    async with opened(url), own_tables(L6Word):
        await _ring(first)
        doomed = L6Word.filter(code__in=[first, "b", "c"])
        if how == "queryset":
            assert await doomed.delete() == 3
        else:
            async with orm.transaction():
                assert await doomed.delete() == 3
        assert await _rows() == [("d", "d")]


async def test_a_text_keyed_cycle_named_from_outside_stays(url: str) -> None:
    async with opened(url), own_tables(L6Word):
        await _ring("a")
        with pytest.raises(IntegrityError, match=r"L6Word\.other"):
            await L6Word.filter(code__in=["a", "b"]).delete()  # c names b and stays
        assert await _rows() == [("a", "b"), ("b", "a"), ("c", "b"), ("d", "d")]
        assert await L6Word.all().delete() == 4


async def test_a_uuid_keyed_restricting_cycle_deleted_whole(url: str) -> None:
    async with opened(url), own_tables(L6Tagged):
        low, a, b, kept = (uuid.UUID(int=n) for n in (0, 1, 2, 9))
        await L6Tagged.create(id=low, other_id=low)
        await L6Tagged.create(id=a, other_id=low)
        await L6Tagged.create(id=b, other_id=a)
        await L6Tagged.filter(id=low).update(other_id=b)
        await L6Tagged.create(id=kept, other_id=kept)
        assert await L6Tagged.filter(id__in=[low, a, b]).delete() == 3
        assert await L6Tagged.all().values_list("id", "other_id") == [(kept, kept)]
