"""A SQLite column whose affinity is not its field's type is refused when it is loaded
(``orm.stored_as.StoredAs``, ``test_foreign2_sqlite_affinity``), but the instances
``select_related()`` builds from the joined columns took each column's converter alone: a
shelf read through its book held ``qty='9'`` (a str in an integer field) and ``price``
a ``Decimal`` in a float field, where ``Shelf.all()`` refuses them. The joined plan is now
the loading plan's (``loading.reader``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import UnreadableValueError


class H5Shelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    qty: int | None = orm.Field(default=None)
    price: float | None = orm.Field(default=None)
    code: str | None = orm.Field(default=None, max_length=10)

    class Meta:
        table = "h5_shelf"


class H5Book(orm.Model):
    id: int = orm.Field(primary_key=True)
    shelf = orm.ForeignKeyField(H5Shelf, null=True, on_delete="set null")

    class Meta:
        table = "h5_book"


def _made(path: Path, column: str, ddl: str, stored: object) -> None:
    """The shelf table with ``column`` declared ``ddl`` (the others of their field's type)."""
    declared = {"qty": "integer", "price": "real", "code": "text", column: ddl}
    columns = ", ".join(f"{name} {kind}" for name, kind in declared.items())
    raw = sqlite3.connect(path)
    raw.execute(f"CREATE TABLE h5_shelf (id integer PRIMARY KEY, {columns})")
    raw.execute("CREATE TABLE h5_book (id integer PRIMARY KEY, shelf_id integer)")
    raw.execute(f"INSERT INTO h5_shelf (id, {column}) VALUES (1, ?)", (stored,))
    raw.execute("INSERT INTO h5_book (id, shelf_id) VALUES (1, 1), (2, NULL)")
    raw.commit()
    raw.close()


@pytest.mark.parametrize(
    ("column", "ddl", "stored"),
    [("qty", "text", "9"), ("price", "numeric", "1.5"), ("code", "numeric", "007")],
)
async def test_a_joined_value_of_another_storage_class_is_unreadable(
    tmp_path: Path, column: str, ddl: str, stored: str
) -> None:
    path = tmp_path / "d.db"
    _made(path, column, ddl, stored)
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    try:
        with pytest.raises(UnreadableValueError, match=f"H5Shelf.{column}"):
            await H5Shelf.only("id", column).get(id=1)
        joined = H5Book.select_related("shelf")
        with pytest.raises(UnreadableValueError, match=f"H5Shelf.{column}"):
            await joined.get(id=1)
        with pytest.raises(UnreadableValueError, match=f"H5Shelf.{column}"):
            await H5Book.prefetch_related("shelf").get(id=1)
    finally:
        orm.set_default(None)
        await db.close()


async def test_a_joined_integer_under_a_float_field_reads_as_its_float(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    _made(path, "price", "integer", 3)
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    try:
        joined = H5Book.select_related("shelf")
        book = await joined.get(id=1)
        assert book.shelf is not None
        assert type(book.shelf.price) is float and book.shelf.price == 3.0
        alone = await joined.get(id=2)
        assert alone.shelf is None
    finally:
        orm.set_default(None)
        await db.close()
