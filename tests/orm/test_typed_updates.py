"""``update()`` with a bare ``F()``, a ``Value()`` or a ``Case()``: typed as arithmetic is.

The README promises ``Value`` and ``Case``/``When`` in ``update``, and a value a column
cannot hold exactly refused before any SQL. Before, ``update(n=Case(...))`` and
``update(n=Value(4))`` were a ValidationError (the expression itself checked as an int), and
a bare ``F()`` passed unchecked: ``update(n=F("ratio"))`` of 2.5 stored 2 on PostgreSQL, 3 on
MariaDB and 2.5 on SQLite, ``update(d1=F("d2"))`` of 1.25 stored 1.2 on SQLite and 1.3 on
the servers, ``update(n=F("code"))`` converted text on SQLite and MariaDB and was a
ProgrammingError on PostgreSQL, and an int into an ``IntEnum`` column broke its CHECK (on
SQLite reported as a DataError of another column). ``update(n=F("ratio") + 0)`` was already
the FieldError these now are too.
"""

from __future__ import annotations

import decimal
import enum

from ferrule import orm

from .conftest import opened, own_tables, refusal_mistakes


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Row(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = 0
    ratio: float = 0.0
    d2: decimal.Decimal = orm.Field(max_digits=6, decimal_places=2, default=decimal.Decimal(0))
    d1: decimal.Decimal = orm.Field(max_digits=6, decimal_places=1, default=decimal.Decimal(0))
    code: str = orm.Field(max_length=5, default="")
    level: Level = Level.LOW
    other: Level = Level.HIGH

    class Meta:
        table = "ormt_typed_update"


async def test_update_expressions_are_typed(url: str) -> None:
    async with opened(url), own_tables(Row):
        await Row.create(n=1, ratio=2.5, d2=decimal.Decimal("1.25"), code="12")
        await Row.create(n=7, ratio=0.5, d1=decimal.Decimal("3.5"), code="x")
        cases = {
            "float into int": (lambda: Row.all().update(n=orm.F("ratio")), "n holds ints"),
            "2 places into 1": (lambda: Row.all().update(d1=orm.F("d2")), "d1"),
            "text into int": (lambda: Row.all().update(n=orm.F("code")), "n holds ints"),
            "int into enum": (lambda: Row.all().update(level=orm.F("n")), "level"),
            "float Value into int": (lambda: Row.all().update(n=orm.Value(1.5)), "n holds ints"),
        }
        assert await refusal_mistakes(cases) == []
        assert await Row.order_by("id").values_list("n", "d1", "level") == [
            (1, decimal.Decimal("0.0"), Level.LOW),
            (7, decimal.Decimal("3.5"), Level.LOW),
        ]
        big = orm.Case(orm.When(n__gt=5, then=orm.Value(100)), default=orm.F("n"))
        assert await Row.all().update(n=big) == 2
        one = orm.Case(orm.When(n=1, then=orm.Value("one")), default=orm.F("code"))
        assert await Row.all().update(code=one) == 2
        assert await Row.filter(n=1).update(d2=orm.Value(decimal.Decimal("9.5"))) == 1
        assert await Row.all().update(ratio=orm.F("n"), d2=orm.F("d1"), level=orm.F("other")) == 2
        rows = await Row.order_by("id").values_list("n", "code", "ratio", "d2", "level")
        assert rows == [
            (1, "one", 1.0, decimal.Decimal("0.00"), Level.HIGH),
            (100, "x", 100.0, decimal.Decimal("3.50"), Level.HIGH),
        ]
