"""A parameter of a subclass of a type ferrule sends is sent as that base type, the value it
holds, on every database. SQLite refused a subclass of ``date``, ``datetime``, ``time``,
``Decimal`` or ``UUID`` with a raw "type 'DateSub' is not supported" (sqlite3 finds its adapters
by exact type) where the servers took it; MariaDB refused a ``bytes`` subclass with a raw
``TypeError`` (asyncmy's encoder takes exact bytes); PostgreSQL (asyncpg) and MariaDB sent an
``int`` subclass as what its ``__int__`` says, SQLite what it holds. The reference is the
value the base type's own methods read (``int.__int__``, ``str.__str__``...), as sqlite3 reads
an int subclass and pydantic validates one."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import pytest

from backends.conftest import native
from ferrule import orm

from .conftest import opened, own_tables


class DateSub(dt.date):
    pass


class DateTimeSub(dt.datetime):
    @property
    def year(self) -> int:  # lies: the value held is what is sent
        return 1999


class TimeSub(dt.time):
    pass


class DecimalSub(decimal.Decimal):
    pass


class UUIDSub(uuid.UUID):
    pass


class BytesSub(bytes):
    pass


class StrSub(str):
    def __str__(self) -> str:
        return "lie"


class IntSub(int):
    def __int__(self) -> int:
        return 99

    def __index__(self) -> int:
        return 99


class FloatSub(float):
    def __float__(self) -> float:
        return 7.0


class TimedeltaSub(dt.timedelta):
    pass


class Subs(orm.Model):
    id: int = orm.Field(primary_key=True)
    d: dt.date
    ts: dt.datetime
    tm: dt.time
    n = orm.DecimalField(max_digits=10, decimal_places=2)
    u: uuid.UUID
    b: bytes
    s: str = orm.CharField(max_length=20)
    f: float
    td: dt.timedelta | None = None

    class Meta:
        table = "ormt_subclass_params"


UTC = dt.timezone.utc

#: field -> (a subclass instance, the base-type value it holds)
VALUES: dict[str, tuple[Any, Any]] = {
    "d": (DateSub(2024, 1, 2), dt.date(2024, 1, 2)),
    "ts": (DateTimeSub(2024, 1, 2, 3, 4, 5, 6, UTC), dt.datetime(2024, 1, 2, 3, 4, 5, 6, UTC)),
    "tm": (TimeSub(1, 2, 3), dt.time(1, 2, 3)),
    "n": (DecimalSub("1.5"), decimal.Decimal("1.50")),
    "u": (UUIDSub(int=5), uuid.UUID(int=5)),
    "b": (BytesSub(b"ab"), b"ab"),
    "s": (StrSub("held"), "held"),
    "f": (FloatSub(2.5), 2.5),
    "td": (TimedeltaSub(days=1, microseconds=3), dt.timedelta(days=1, microseconds=3)),
}
GIVEN = {name: given for name, (given, _) in VALUES.items()}
EXPECTED = {"id": 1, **{name: held for name, (_, held) in VALUES.items()}}


def _same(got: dict[str, Any], expected: dict[str, Any] = EXPECTED) -> None:
    assert got == expected
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}


async def test_orm_create_filter_update_take_subclasses(url: str) -> None:
    async with opened(url), own_tables(Subs):
        await Subs.create(id=1, **GIVEN)
        _same((await Subs.all().values())[0])
        for name, given in GIVEN.items():
            assert await Subs.filter(**{name: given}).values_list("id", flat=True) == [1], name
            assert await Subs.filter(id=1).update(**{name: given}) == 1, name
        _same((await Subs.all().values())[0])


#: what raw SQL binds: the ORM stores a timedelta its own way (microseconds), not as given
RAW = {name: given for name, given in GIVEN.items() if name != "td"}
RAW_EXPECTED = {**EXPECTED, "td": None}


async def test_db_execute_and_fetch_take_subclasses(url: str, dialect: str) -> None:
    async with opened(url) as db, own_tables(Subs):
        names = ", ".join(RAW)
        marks = ", ".join("?" * (len(RAW) + 1))
        insert = native(dialect, f"INSERT INTO ormt_subclass_params (id, {names}) VALUES ({marks})")
        row = (IntSub(1), *RAW.values())
        await db.execute(insert, row)
        _same((await Subs.all().values())[0], RAW_EXPECTED)
        for name, given in RAW.items():
            query = native(dialect, f"SELECT id FROM ormt_subclass_params WHERE {name} = ?")
            assert [tuple(row) for row in await db.fetch_all(query, (given,))] == [(1,)], name
        await db.execute("DELETE FROM ormt_subclass_params")
        await db.execute_many(insert, [row])
        _same((await Subs.all().values())[0], RAW_EXPECTED)


@pytest.mark.parametrize("lying", [IntSub(5), FloatSub(5.0)], ids=["int", "float"])
async def test_db_sends_the_number_held_not_its_dunder(url: str, dialect: str, lying: Any) -> None:
    async with opened(url) as db:
        row = await db.fetch_one(native(dialect, "SELECT ? + 0"), (lying,))
        assert row is not None and row[0] == 5


class Counted(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int

    class Meta:
        table = "ormt_subclass_counted"


async def test_an_int_subclass_field_value_is_the_int_it_holds(url: str) -> None:
    """The pure twin validated an int subclass by ``int()``, which asks its ``__int__`` (99);
    the native core and pydantic take the value it holds (5): the two cores stored
    different rows."""
    async with opened(url), own_tables(Counted):
        made = await Counted.create(id=1, n=IntSub(5))
        assert (made.n, type(made.n)) == (5, int)
        assert await Counted.all().values_list("n", flat=True) == [5]
        assert await Counted.filter(n=IntSub(5)).count() == 1
