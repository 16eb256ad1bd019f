"""A float column another program filled with NaN or an infinity (PostgreSQL keeps them;
SQLite's REAL makes the text ``'1e999'`` an infinity) read them into a float field, which
refuses them on every write (``allow_inf_nan=False``, its default): a value it could not
save. It is an ``UnreadableValueError`` naming ``Model.field``; a field that says
``allow_inf_nan=True`` reads them."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

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
                for read in (FfFloat.get(id=1), FfFloat.all().values_list("ratio", flat=True)):
                    with pytest.raises(UnreadableValueError, match=r"FfFloat\.ratio"):
                        await read
                got = (await FfAnyFloat.get(id=1)).ratio
                assert repr(got) == shown
        finally:
            await db.execute("DROP TABLE ormt_ff_float", [])
