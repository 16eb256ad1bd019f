"""A boolean field over a PostgreSQL ``smallint`` column (a table another program made,
tests/orm/test_leftovers5_pg_smallint_flag.py) compared with a boolean expression: an
annotation (``filter(flag=F("b"))``, ``filter(b=F("flag"))``), a ``Value``, ``Case`` or
``Exists``, another boolean field over a real ``boolean`` column, in ``When`` conditions and
exclude/Q forms, and such an expression written by ``update()``. PostgreSQL has no
``smallint = boolean`` (nor assigns one type to the other's column): each was a raw
ProgrammingError. The answers are SQLite's and MariaDB's over boolean columns, and
PostgreSQL's over a real boolean column: the same table is made on each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.orm import Case, Exists, F, OuterRef, Q, Subquery, Value, When

from .conftest import opened


class PgcFlag(orm.Model):
    id: int = orm.Field(primary_key=True)
    on = orm.BooleanField(null=True)
    real = orm.BooleanField(null=True)
    n: int = orm.Field()

    class Meta:
        table = "ormt_pgc_flag"


#: (id, on, real, n): on is the smallint on PostgreSQL (`small`), real a boolean everywhere
ROWS = [(1, 1, True, 5), (2, 0, True, 5), (3, None, None, 5), (4, 1, False, 0), (5, 0, False, 0)]


def _big() -> Any:
    return Case(When(n__gt=1, then=Value(True)), default=Value(False))


def _ids(qs: Any) -> Any:
    return qs.order_by("id").values_list("id", flat=True)


READS: dict[str, tuple[Callable[[], Any], list[Any]]] = {
    "filter flag=F(b)": (lambda: _ids(PgcFlag.annotate(b=_big()).filter(on=F("b"))), [1, 5]),
    "filter b=F(flag)": (lambda: _ids(PgcFlag.annotate(b=_big()).filter(b=F("on"))), [1, 5]),
    "exclude flag=F(b)": (
        lambda: _ids(PgcFlag.annotate(b=_big()).exclude(on=F("b"))),
        [2, 3, 4],
    ),
    "exclude b=F(flag)": (
        lambda: _ids(PgcFlag.annotate(b=_big()).exclude(b=F("on"))),
        [2, 3, 4],
    ),
    "Q | ": (lambda: _ids(PgcFlag.annotate(b=_big()).filter(Q(on=F("b")) | Q(id=2))), [1, 2, 5]),
    "~Q": (lambda: _ids(PgcFlag.annotate(b=_big()).filter(~Q(b=F("on")))), [2, 3, 4]),
    "flag=Value(True)": (lambda: _ids(PgcFlag.filter(on=Value(True))), [1, 4]),
    "flag=Case": (lambda: _ids(PgcFlag.filter(on=_big())), [1, 5]),
    "flag=F(boolean column)": (lambda: _ids(PgcFlag.filter(on=F("real"))), [1, 5]),
    "boolean column=F(flag)": (lambda: _ids(PgcFlag.filter(real=F("on"))), [1, 5]),
    "flag__in": (
        lambda: _ids(PgcFlag.annotate(b=_big()).filter(on__in=[F("b"), True])),
        [1, 4, 5],
    ),
    "flag__gt": (lambda: _ids(PgcFlag.filter(on__gt=F("real"))), [4]),
    "b__gt": (lambda: _ids(PgcFlag.annotate(b=_big()).filter(b__gt=F("on"))), [2]),
    "flag=Exists": (
        lambda: _ids(PgcFlag.filter(on=Exists(PgcFlag.filter(id=OuterRef("id"), n__gt=1)))),
        [1, 5],
    ),
    "flag=Subquery": (
        lambda: _ids(PgcFlag.filter(on=Subquery(PgcFlag.filter(id=1).values("real")[:1]))),
        [1, 4],
    ),
    "flag__in queryset": (
        lambda: _ids(PgcFlag.filter(on__in=PgcFlag.filter(id=1).values("real"))),
        [1, 4],
    ),
    "boolean__in queryset of flag": (
        lambda: _ids(PgcFlag.filter(real__in=PgcFlag.filter(id=2).values("on"))),
        [4, 5],
    ),
    "flag__in Subquery": (
        lambda: _ids(PgcFlag.filter(on__in=Subquery(PgcFlag.filter(n=0).values("real")))),
        [2, 5],
    ),
    "When(flag=F(b))": (
        lambda: (
            PgcFlag.annotate(b=_big())
            .annotate(c=Case(When(on=F("b"), then=Value(1)), default=Value(0)))
            .order_by("id")
            .values_list("c", flat=True)
        ),
        [1, 0, 0, 0, 1],
    ),
}


async def _table(db: Any, dialect: str) -> None:
    column = "smallint" if dialect == "postgres" else "boolean"
    q = "`" if dialect == "mysql" else '"'
    await db.execute("DROP TABLE IF EXISTS ormt_pgc_flag", [])
    await db.execute(
        f"CREATE TABLE ormt_pgc_flag (id integer PRIMARY KEY, {q}on{q} {column} NULL,"
        f" {q}real{q} boolean NULL, n integer NOT NULL)",
        [],
    )
    booleans = {True: "TRUE", False: "FALSE", None: "NULL"}
    rows = ", ".join(
        f"({i}, {'NULL' if on is None else on}, {booleans[real]}, {n})" for i, on, real, n in ROWS
    )
    await db.execute(f"INSERT INTO ormt_pgc_flag VALUES {rows}", [])


@pytest.mark.parametrize("name", list(READS))
async def test_flag_compared_with_a_boolean_expression(url: str, dialect: str, name: str) -> None:
    async with opened(url) as db:
        await _table(db, dialect)
        try:
            read, expected = READS[name]
            assert await read() == expected
        finally:
            await db.execute("DROP TABLE ormt_pgc_flag", [])


async def test_a_stored_two_matches_neither(url: str, dialect: str) -> None:
    """2 is neither True nor False: ``filter(flag=True)`` does not find it, nor a comparison
    with an expression (SQLite and MariaDB compare 2 with 1 and 0 alike)."""
    if dialect != "postgres":
        pytest.skip("a smallint column under a boolean field: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, dialect)
        try:
            await db.execute('UPDATE ormt_pgc_flag SET "on" = 2 WHERE id = 1', [])
            annotated = PgcFlag.annotate(b=_big())
            assert await _ids(annotated.filter(on=F("b"))) == [5]
            assert await _ids(annotated.exclude(on=F("b"))) == [1, 2, 3, 4]
            assert await _ids(PgcFlag.filter(on=True)) == [4]
        finally:
            await db.execute("DROP TABLE ormt_pgc_flag", [])


WRITES: dict[str, tuple[dict[str, Any], list[tuple[Any, ...]]]] = {
    "flag=F(boolean column)": (
        {"on": F("real")},
        [(1, 1, 1), (2, 1, 1), (3, None, None), (4, 0, 0), (5, 0, 0)],
    ),
    "boolean column=F(flag)": (
        {"real": F("on")},
        [(1, 1, 1), (2, 0, 0), (3, None, None), (4, 1, 1), (5, 0, 0)],
    ),
    "flag=Case": (
        {"on": _big()},
        [(1, 1, 1), (2, 1, 1), (3, 1, None), (4, 0, 0), (5, 0, 0)],
    ),
    "flag=Value": (
        {"on": Value(False)},
        [(1, 0, 1), (2, 0, 1), (3, 0, None), (4, 0, 0), (5, 0, 0)],
    ),
    "swap": (
        {"on": F("real"), "real": F("on")},
        [(1, 1, 1), (2, 1, 0), (3, None, None), (4, 0, 1), (5, 0, 0)],
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
async def test_update_flag_from_a_boolean_expression(url: str, dialect: str, name: str) -> None:
    if name == "swap" and dialect == "mysql":
        pytest.skip("MariaDB assigns left to right: a swap is refused (tests/orm/test_update*)")
    async with opened(url) as db:
        await _table(db, dialect)
        try:
            values, expected = WRITES[name]
            assert await PgcFlag.all().update(**values) == 5
            q = "`" if dialect == "mysql" else '"'
            rows = await db.fetch_all(
                f"SELECT id, {q}on{q}, {q}real{q} FROM ormt_pgc_flag ORDER BY id", []
            )
            got = [tuple(None if v is None else int(v) for v in row) for row in rows]
            assert got == expected
            loaded = await PgcFlag.order_by("id").values_list("on", "real")
            assert loaded == [
                tuple(None if v is None else bool(v) for v in row[1:]) for row in expected
            ]
        finally:
            await db.execute("DROP TABLE ormt_pgc_flag", [])


async def test_a_boolean_column_holds_what_it_did(url: str, dialect: str) -> None:
    """The same writes on a real boolean column on PostgreSQL still give booleans."""
    if dialect != "postgres":
        pytest.skip("the boolean column's own type: PostgreSQL's case")
    async with opened(url) as db:
        await _table(db, dialect)
        try:
            await PgcFlag.all().update(real=_big())
            rows = await db.fetch_all("SELECT real FROM ormt_pgc_flag ORDER BY id", [])
            assert [row[0] for row in rows] == [True, True, True, False, False]
        finally:
            await db.execute("DROP TABLE ormt_pgc_flag", [])
