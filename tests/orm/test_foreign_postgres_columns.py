"""Reading PostgreSQL columns that ferrule did not make: a ``timestamp`` (no zone) under an
aware field read a naive datetime, and a ``timestamptz`` under a ``tz=False`` field an aware
one, each a value its field then refused to save; a ``numeric`` holding ``NaN`` read
``Decimal('NaN')``, which a decimal field never holds. Each is an ``UnreadableValueError``
naming ``Model.field``; a column of the field's own kind reads as it is, exactly."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened

#: a table as another program made it (Django's numeric without scale among its columns)
TABLE = """CREATE TABLE ormt_fp_stamp (
    id integer PRIMARY KEY,
    naive timestamp NULL,
    zoned timestamp with time zone NULL,
    amount numeric NULL
)"""

UTC = dt.timezone.utc


class FpAware(orm.Model):
    """The columns read the wrong way round."""

    id: int = orm.Field(primary_key=True)
    naive = orm.DateTimeField(null=True)
    zoned = orm.DateTimeField(tz=False, null=True)
    amount = orm.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        table = "ormt_fp_stamp"


class FpRight(orm.Model):
    """The same columns, each read as its kind."""

    id: int = orm.Field(primary_key=True)
    naive = orm.DateTimeField(tz=False, null=True)
    zoned = orm.DateTimeField(null=True)
    amount = orm.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        table = "ormt_fp_stamp"


ROW = "(1, '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', 9.5)"


async def _with_table(db: Any, *rows: str) -> None:
    await db.execute("DROP TABLE IF EXISTS ormt_fp_stamp", [])
    await db.execute(TABLE, [])
    await db.execute(f"INSERT INTO ormt_fp_stamp VALUES {', '.join(rows)}", [])


@pytest.mark.parametrize(
    ("field", "row", "words"),
    [
        ("naive", "(1, '2024-01-02 03:04:05.123456', NULL, NULL)", "it is naive"),
        ("zoned", "(1, NULL, '2024-01-02 03:04:05+02', NULL)", "it is aware"),
        ("amount", "(1, NULL, NULL, 'NaN')", "NaN"),
    ],
)
async def test_a_value_its_field_does_not_hold(
    url: str, dialect: str, field: str, row: str, words: str
) -> None:
    if dialect != "postgres":
        pytest.skip("PostgreSQL's timestamp, timestamptz and numeric NaN")
    async with opened(url) as db:
        await _with_table(db, row)
        try:
            reads: dict[str, Any] = {
                "get": lambda: FpAware.get(id=1),
                "values": lambda: FpAware.all().values(field),
                "values_list": lambda: FpAware.all().values_list(field, flat=True),
            }
            for path, read in reads.items():
                with pytest.raises(UnreadableValueError) as caught:
                    await read()
                assert f"FpAware.{field}" in str(caught.value), path
                assert words in str(caught.value), path
        finally:
            await db.execute("DROP TABLE ormt_fp_stamp", [])


async def test_values_of_their_kind_read_save_and_filter(url: str, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("PostgreSQL's timestamp, timestamptz and numeric")
    async with opened(url) as db:
        await _with_table(db, ROW)
        try:
            naive = dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
            zoned = dt.datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)
            item = await FpRight.get(id=1)
            assert (item.naive, item.zoned, item.amount) == (naive, zoned, decimal.Decimal("9.5"))
            await item.save()
            assert await FpRight.filter(naive=naive, zoned=zoned).count() == 1
            stored = await db.fetch_val("SELECT amount::text FROM ormt_fp_stamp", [])
            assert stored == "9.5"
        finally:
            await db.execute("DROP TABLE ormt_fp_stamp", [])
