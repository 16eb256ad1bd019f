"""A SQLite column whose affinity is not its field's type (hand-written DDL: ``qty text``
under an integer field, ``price numeric`` under a float field, ``code numeric`` under a text
field). SQLite keeps what the affinity makes of a value, and the loaders trust the column
types: ``'9'`` read into an integer field as the str ``'9'`` (and ``qty__gt=10`` held for it:
in SQLite any text is greater than any number), a text ``'007'`` became the integer 7 in a
text field, a ``numeric`` column's value a Decimal in a float field (the driver's NUMERIC
converter). The loading plans now check the type read (``orm.stored_as.StoredAs``: the native
row builder compares types and calls the check only for a value of another type): such a
value is an ``UnreadableValueError`` naming ``Model.field``, an integer under a float field
the float of its value."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import UnreadableValueError


class FaStock(orm.Model):
    id: int = orm.Field(primary_key=True)
    qty: int | None = orm.Field(default=None)
    price: float | None = orm.Field(default=None)
    code: str | None = orm.Field(default=None, max_length=10)

    class Meta:
        table = "fa_stock"


@pytest.mark.parametrize(
    ("column", "ddl", "stored"),
    [("qty", "text", "9"), ("price", "numeric", "1.5"), ("code", "numeric", "007")],
)
async def test_a_value_of_another_storage_class_is_unreadable(
    tmp_path: Path, column: str, ddl: str, stored: str
) -> None:
    path = tmp_path / "d.db"
    raw = sqlite3.connect(path)
    raw.execute(f"CREATE TABLE fa_stock (id integer PRIMARY KEY, {column} {ddl})")
    raw.execute(f"INSERT INTO fa_stock (id, {column}) VALUES (1, ?)", (stored,))
    raw.commit()
    raw.close()
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    try:
        with pytest.raises(UnreadableValueError, match=f"FaStock.{column}"):
            await FaStock.only("id", column).get(id=1)
    finally:
        orm.set_default(None)
        await db.close()


async def test_an_integer_under_a_float_field_reads_as_its_float(tmp_path: Path) -> None:
    """A float field over a column of integer affinity (``price integer``): SQLite keeps 3 as
    the INTEGER 3, and the field holds the float 3.0 (the same number), as it would have
    from a REAL column; NULL stays None, and an integer no double holds is refused."""
    path = tmp_path / "d.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE fa_stock (id integer PRIMARY KEY, price integer)")
    raw.executemany(
        "INSERT INTO fa_stock (id, price) VALUES (?, ?)", [(1, 3), (2, None), (3, 2**60 + 1)]
    )
    raw.commit()
    raw.close()
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    try:
        three = await FaStock.only("id", "price").get(id=1)
        assert type(three.price) is float and three.price == 3.0
        assert (await FaStock.only("id", "price").get(id=2)).price is None
        with pytest.raises(UnreadableValueError, match=r"FaStock\.price"):
            await FaStock.only("id", "price").get(id=3)
    finally:
        orm.set_default(None)
        await db.close()
