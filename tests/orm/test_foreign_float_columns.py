"""A float column another program filled with NaN or an infinity (PostgreSQL keeps them;
SQLite's REAL makes the text ``'1e999'`` an infinity), under a float field that refuses them
on every write (``allow_inf_nan=False``, its default). A float is the column's type, so a load
reads it as it is: loads trust the column types and leave the fields' constraints to
``validate_on_load``, which refuses it naming the field. (A check on every float read cost
the 55k-row fetch a fifth on SQLite and a third on PostgreSQL.) A field that says
``allow_inf_nan=True`` reads them under ``validate_on_load`` too."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened


class FfFloat(orm.Model):
    id: int = orm.Field(primary_key=True)
    ratio = orm.FloatField(null=True)

    class Meta:
        table = "ormt_ff_float"


class FfAnyFloat(orm.Model):
    """The same column, read by a field that takes NaN and infinities."""

    id: int = orm.Field(primary_key=True)
    ratio: float | None = orm.Field(None, allow_inf_nan=True)

    class Meta:
        table = "ormt_ff_float"


#: a float column another program filled with what a float field refuses, by dialect
#: (MariaDB's DOUBLE holds no NaN nor infinity; SQLite's REAL makes the text '1e999' one)
NOT_FINITE = {
    "postgres": [("'NaN'", "nan"), ("'Infinity'", "inf"), ("'-Infinity'", "-inf")],
    "sqlite": [("'1e999'", "inf"), ("'-1e999'", "-inf")],
}


async def test_a_float_column_holding_nan_or_infinity(url: str, dialect: str) -> None:
    if dialect not in NOT_FINITE:
        pytest.skip(f"{dialect}'s float column holds no NaN nor infinity")
    async with opened(url) as db:
        await db.execute("DROP TABLE IF EXISTS ormt_ff_float", [])
        await db.execute("CREATE TABLE ormt_ff_float (id integer PRIMARY KEY, ratio real)", [])
        try:
            for literal, shown in NOT_FINITE[dialect]:
                await db.execute("DELETE FROM ormt_ff_float", [])
                await db.execute(f"INSERT INTO ormt_ff_float VALUES (1, {literal})", [])
                assert repr((await FfFloat.get(id=1)).ratio) == shown
                assert repr(await FfFloat.all().values_list("ratio", flat=True)) == f"[{shown}]"
                with pytest.raises(ValidationError, match="ratio"):
                    await FfFloat.all().validate_on_load()
                (got,) = await FfAnyFloat.all().validate_on_load()
                assert repr(got.ratio) == shown
        finally:
            await db.execute("DROP TABLE ormt_ff_float", [])
