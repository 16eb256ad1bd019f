"""Reading a SQLite table that ferrule did not make: Django's columns (``decimal``,
``datetime``, ``char(32)`` UUIDs), filled as Django and Python's ``sqlite3`` module write
them. A read gives the exact value of the field's type or an ``UnreadableValueError`` naming
``Model.field``; it was a ``str`` for a UUID field (the driver converts only a column
declared ``UUID``), a naive datetime for an aware field (and an aware one for ``tz=False``),
and a decimal with more places than its field silently rounded to them (while ``Sum`` of
the same column rounded it the other way)."""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import DataError, UnreadableValueError

#: Django's SQLite columns for these fields (its ``data_types`` table)
DJANGO_TABLE = """CREATE TABLE "shop_item" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "price" decimal NULL,
    "made" datetime NULL,
    "local" datetime NULL,
    "ref" char(32) NULL
)"""

REF = uuid.UUID("12345678-1234-5678-1234-567812345678")


class ShopItem(orm.Model):
    id: int = orm.Field(primary_key=True)
    price = orm.DecimalField(max_digits=10, decimal_places=2, null=True)
    made = orm.DateTimeField(null=True)
    local = orm.DateTimeField(tz=False, null=True)
    ref = orm.UUIDField(null=True)

    class Meta:
        table = "shop_item"


async def _open(path: Path, *rows: tuple[Any, ...]) -> Any:
    """The database at ``path`` with Django's table, ``rows`` written by ``sqlite3``'s own
    adapters (as Django and other programs write them), opened with ferrule."""
    raw = sqlite3.connect(path)
    raw.execute(DJANGO_TABLE)
    for row in rows:
        raw.execute(f"INSERT INTO shop_item VALUES ({', '.join('?' * len(row))})", row)
    raw.commit()
    raw.close()
    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    return db


async def _paths(field: str) -> AsyncIterator[tuple[str, Any]]:
    """The field's value as each read path gives it (or the error it raised)."""
    reads = {
        "get": lambda: ShopItem.get(id=1),
        "all": lambda: ShopItem.all(),
        "values": lambda: ShopItem.all().values(field),
        "values_list": lambda: ShopItem.all().values_list(field, flat=True),
    }
    for name, read in reads.items():
        try:
            got = await read()
        except Exception as error:
            yield name, error
            continue
        if isinstance(got, list):
            got = got[0]
        if isinstance(got, dict):
            got = got[field]
        yield name, getattr(got, field, got)


@pytest.mark.parametrize(
    ("stored", "read"),
    [(str(REF), REF), (REF.hex, None), (REF.hex.upper(), None)],
    ids=["dashed", "django_hex", "upper_hex"],
)
async def test_a_uuid_in_a_char_column_reads_as_a_uuid(
    tmp_path: Path, stored: str, read: uuid.UUID | None
) -> None:
    """Text of the field's form reads as a UUID; Django's 32 hex digits, which a filter or a
    save of this field would not match, are unreadable (``UUIDField(hex=True)`` reads them:
    tests/orm/test_foreign2_uuid_hex.py)."""
    db = await _open(tmp_path / "d.db", (1, None, None, None, stored))
    try:
        got = [(path, value) async for path, value in _paths("ref")]
        if read is None:
            for path, value in got:
                assert isinstance(value, UnreadableValueError), path
                assert "ShopItem.ref" in str(value), path
        else:
            assert got == [(path, REF) for path, _ in got]
            assert all(type(value) is uuid.UUID for _, value in got)
    finally:
        orm.set_default(None)
        await db.close()


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("9.50", decimal.Decimal("9.50")),  # Django binds str(Decimal): a REAL is stored
        (0.1, decimal.Decimal("0.10")),
        (decimal.Decimal("1234567.89"), decimal.Decimal("1234567.89")),
        (12, decimal.Decimal("12.00")),
        (0.125, None),  # more places than the field: no value of it is equal
        ("1.005", None),
    ],
)
async def test_a_decimal_reads_exactly_or_not_at_all(
    tmp_path: Path, stored: Any, read: decimal.Decimal | None
) -> None:
    key = (decimal.Decimal, sqlite3.PrepareProtocol)
    before = sqlite3.adapters.get(key)  # (Django's own, once its backend is imported)
    sqlite3.register_adapter(decimal.Decimal, str)  # Django's adapter
    db = await _open(tmp_path / "d.db", (1, stored, None, None, None))
    try:
        async for path, value in _paths("price"):
            if read is None:
                assert isinstance(value, UnreadableValueError), (path, value)
                assert "ShopItem.price" in str(value), path
            else:
                assert (type(value), value, str(value)) == (decimal.Decimal, read, str(read))
    finally:
        if before is None:  # the process's adapters as they were: later tests may need them
            sqlite3.adapters.pop(key, None)
        else:
            sqlite3.adapters[key] = before
        orm.set_default(None)
        await db.close()


@pytest.mark.parametrize(
    ("field", "stored", "other"),
    [
        # Django with USE_TZ writes naive UTC text: nothing in it says it is UTC
        ("made", "2024-01-02 03:04:05.123456", "naive"),
        ("made", dt.datetime(2024, 1, 2, 3, 4, 5), "naive"),  # sqlite3's default adapter
        ("local", "2024-01-02 03:04:05+00:00", "aware"),
        ("local", "2024-01-02T03:04:05+02:00", "aware"),
    ],
)
async def test_a_datetime_of_the_other_kind_is_unreadable(
    tmp_path: Path, field: str, stored: Any, other: str
) -> None:
    row = (1, None, stored, None, None) if field == "made" else (1, None, None, stored, None)
    db = await _open(tmp_path / "d.db", row)
    try:
        async for path, value in _paths(field):
            assert isinstance(value, UnreadableValueError), (path, value)
            assert f"ShopItem.{field}" in str(value), path
            assert f"it is {other}" in str(value), path
    finally:
        orm.set_default(None)
        await db.close()


async def test_datetimes_of_their_kind_read_and_save_as_they_are(tmp_path: Path) -> None:
    made = dt.datetime(2024, 1, 2, 1, 4, 5, 123456, tzinfo=dt.timezone.utc)
    local = dt.datetime(2024, 1, 2, 3, 4, 5, 1)
    # the text ferrule writes and compares (another form is refused on read:
    # tests/orm/test_foreign2_sqlite_moments.py)
    row = (1, None, "2024-01-02 01:04:05.123456+00:00", local, None)
    db = await _open(tmp_path / "d.db", row)
    try:
        item = await ShopItem.get(id=1)
        assert (item.made, item.local) == (made, local)
        await item.save()
        assert (await ShopItem.get(id=1)).made == made
        assert await ShopItem.filter(made=made, local=local).count() == 1
    finally:
        orm.set_default(None)
        await db.close()


@pytest.mark.parametrize("aggregate", [orm.Sum, orm.Avg, orm.Max])
async def test_an_aggregate_of_a_decimal_with_more_places(tmp_path: Path, aggregate: Any) -> None:
    """Sum and Avg added each value as whole units of the field's places, rounding 0.125 to
    0.13 without a word (and Max refused it: reading it would have rounded it)."""
    db = await _open(tmp_path / "d.db", (1, 0.125, None, None, None), (2, 0.1, None, None, None))
    try:
        with pytest.raises((DataError, UnreadableValueError), match=r"ShopItem\.price"):
            await ShopItem.aggregate(x=aggregate("price"))
        assert await ShopItem.filter(id=2).aggregate(x=aggregate("price")) == {
            "x": {"Sum": decimal.Decimal("0.10"), "Max": decimal.Decimal("0.10")}.get(
                aggregate.__name__, decimal.Decimal("0.100000")
            )
        }
    finally:
        orm.set_default(None)
        await db.close()
