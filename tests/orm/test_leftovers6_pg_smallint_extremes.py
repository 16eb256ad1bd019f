"""``Max``/``Min`` of a boolean field over a PostgreSQL ``smallint`` column (a table another
program made, tests/orm/test_leftovers5_pg_smallint_flag.py) was a raw ``ProgrammingError``
("function bool_or(smallint) does not exist"): PostgreSQL has no min or max of booleans, and
ferrule asked ``bool_and``/``bool_or``, which take booleans only. It now takes the extreme of
the integers of the values (a boolean column's too), made a boolean again: True and False,
as on a boolean column, and a stored number other than 0 or 1 a ``DataError`` (a filter for
True does not find it), never True."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError
from ferrule.orm import Case, Coalesce, F, Max, Min, Value, When

from .conftest import opened

TABLE = 'CREATE TABLE ormt_l6_small (id integer PRIMARY KEY, "on" smallint NULL)'


class L6Small(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)

    class Meta:
        table = "ormt_l6_small"


async def _table(db: Any, *rows: str) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_l6_small", [])
    await db.execute(TABLE, [])
    await db.execute(f"INSERT INTO ormt_l6_small VALUES {', '.join(rows)}", [])


async def test_min_and_max_of_a_smallint_flag(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 1)", "(2, 0)", "(3, NULL)", "(4, 0)")
        try:
            got = await L6Small.aggregate(a=Max("on"), b=Min("on"), c=Max(F("on")), d=Min("id"))
            assert [(v, type(v)) for v in got.values()] == [
                (True, bool),
                (False, bool),
                (True, bool),
                (1, int),
            ]
            grouped = L6Small.filter(id__gt=1).values("id").order_by("id")
            assert await grouped.annotate(m=Max("on")).values_list("m", flat=True) == [
                False,
                None,
                False,
            ]
            assert await L6Small.filter(id__in=[2, 3]).aggregate(
                m=Coalesce(Max("on"), Value(True))
            ) == {"m": False}
            top = L6Small.values("on").annotate(m=Max("on")).filter(m=True)
            assert await top.values_list("on", flat=True) == [True]
        finally:
            await db.execute("DROP TABLE ormt_l6_small", [])


async def test_another_number_is_no_true(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 1)", "(2, 2)")
        try:
            with pytest.raises(DataError, match="boolean"):
                await L6Small.aggregate(m=Max("on"))
            assert await L6Small.aggregate(m=Min("on")) == {"m": True}
        finally:
            await db.execute("DROP TABLE ormt_l6_small", [])


async def test_a_smallint_flag_beside_bool_constants(url: str, dialect: str) -> None:
    """``Coalesce(F("on"), Value(False))`` and a ``Case`` branch of the field beside a bool
    constant (one type since tests/orm/test_leftovers6_flag_expressions.py) were raw
    ``ProgrammingError``s over a smallint column ("COALESCE types smallint and boolean
    cannot be matched"): the column is read as a boolean there."""
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, "(1, 1)", "(2, 0)", "(3, NULL)")
        try:
            ordered = L6Small.order_by("id")
            got = await ordered.annotate(c=Coalesce(F("on"), Value(False))).values_list(
                "c", flat=True
            )
            assert [(v, type(v)) for v in got] == [(True, bool), (False, bool), (False, bool)]
            case = Case(When(id__lt=3, then=F("on")), default=Value(True))
            assert await ordered.annotate(c=case).values_list("c", flat=True) == [
                True,
                False,
                True,
            ]
            await db.execute('UPDATE ormt_l6_small SET "on" = 2 WHERE id = 1', [])
            with pytest.raises(DataError, match="boolean"):
                await ordered.annotate(c=Coalesce(F("on"), Value(False))).values_list("c")
        finally:
            await db.execute("DROP TABLE ormt_l6_small", [])
