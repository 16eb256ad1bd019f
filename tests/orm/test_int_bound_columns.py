"""An integer field's own bounds choose its column: ``orm.Field(ge=0, le=2**40)`` declares
values a 32-bit ``INTEGER`` cannot hold, so its column is a ``BIGINT`` (it was an
``INTEGER`` whose range then cut the user's bound: 2**40 was a ``ValidationError``). The
column is never narrower than ``INTEGER`` (a bounded field keeps the column it always had),
and an explicit ``IntField``/``SmallIntField`` keeps its type. A bound beyond 64 bits is a
``SchemaError`` naming the field: no integer column holds it exactly.

The column types are read from each database's own catalog (``information_schema.columns``,
``PRAGMA table_info``), through its own driver."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from ferrule import Field, orm
from ferrule.errors import SchemaError, ValidationError

from .conftest import opened, own_tables
from .native_rows import NativeRows

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


class Bound(orm.Model):
    id: int = orm.Field(primary_key=True)
    wide: int = orm.Field(default=0, ge=0, le=2**40)
    low: int = orm.Field(default=0, ge=-(2**31) - 1, le=0)
    open_high: int = orm.Field(default=1, gt=0, lt=2**31 + 1)  # up to 2**31
    edge: int = orm.Field(default=0, ge=-(2**31), le=2**31 - 1)
    open_edge: int = orm.Field(default=0, gt=-(2**31) - 1, lt=2**31)  # INTEGER's range
    narrow: int = orm.Field(default=0, ge=0, le=100)
    plain: int = 0
    maybe: int | None = orm.Field(default=None, le=2**40)
    annotated: Annotated[int, Field(ge=-(2**40))] = 0
    widest: int = orm.Field(default=0, ge=INT64[0], le=INT64[1])
    small = orm.SmallIntField(default=0)

    class Meta:
        table = "ormt_bound_cols"


class BigKeyed(orm.Model):
    id: int = orm.Field(primary_key=True, ge=1, le=2**40)

    class Meta:
        table = "ormt_bound_keyed"


class BigKeyLink(orm.Model):
    id: int = orm.Field(primary_key=True)
    to = orm.ForeignKeyField(BigKeyed, null=True, related_name="links")

    class Meta:
        table = "ormt_bound_link"


#: column -> the integer type each catalog must show (PostgreSQL's data_type names)
EXPECTED = {
    "wide": "bigint",
    "low": "bigint",
    "open_high": "bigint",
    "edge": "integer",
    "open_edge": "integer",
    "narrow": "integer",
    "plain": "integer",
    "maybe": "bigint",
    "annotated": "bigint",
    "widest": "bigint",
    "small": "smallint",
}
KEYED = {("ormt_bound_keyed", "id"): "bigint", ("ormt_bound_link", "to_id"): "bigint"}
#: each database's catalog name of the three integer types
NAMES = {
    "postgres": {"integer": "integer", "bigint": "bigint", "smallint": "smallint"},
    "mysql": {"integer": "int", "bigint": "bigint", "smallint": "smallint"},
    "sqlite": {"integer": "integer", "bigint": "bigint", "smallint": "smallint"},
}


def _catalog(native: NativeRows, dialect: str, table: str) -> dict[str, str]:
    """column -> its type, as the database's catalog tells it (lower case)."""
    if dialect == "sqlite":
        return {r[1]: str(r[2]).lower() for r in native.rows(f"PRAGMA table_info({table})")}
    where = "table_schema = database()" if dialect == "mysql" else "table_schema = 'public'"
    rows = native.rows(
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_name = '{table}' AND {where}"
    )
    return {str(name): str(kind).lower() for name, kind in rows}


async def test_the_column_types_follow_the_declared_bounds(url: str, dialect: str) -> None:
    async with opened(url), own_tables(Bound, BigKeyed, BigKeyLink):
        native = NativeRows(url, dialect)
        try:
            found = _catalog(native, dialect, "ormt_bound_cols")
            expected = {c: NAMES[dialect][t] for c, t in EXPECTED.items()}
            assert {c: found[c] for c in expected} == expected
            for (table, column), kind in KEYED.items():
                if dialect == "sqlite" and column == "id":
                    kind = "integer"  # an INTEGER PRIMARY KEY is SQLite's 64-bit rowid
                assert _catalog(native, dialect, table)[column] == NAMES[dialect][kind]
        finally:
            native.close()


async def test_values_beyond_32_bits_go_round_trip(url: str) -> None:
    async with opened(url), own_tables(Bound, BigKeyed, BigKeyLink):
        made = await Bound.create(
            wide=2**40, low=-(2**31) - 1, open_high=2**31, maybe=2**40, annotated=-(2**40)
        )
        got = await Bound.get(id=made.id)
        assert (got.wide, got.low, got.open_high, got.maybe, got.annotated) == (
            2**40,
            -(2**31) - 1,
            2**31,
            2**40,
            -(2**40),
        )
        assert await Bound.filter(wide=2**40, low__lt=-(2**31)).count() == 1
        assert await Bound.filter(id=made.id).update(wide=2**40 - 1, widest=INT64[1]) == 1
        assert (await Bound.get(id=made.id)).widest == INT64[1]
        keyed = await BigKeyed.create(id=2**40)
        link = await BigKeyLink.create(to_id=keyed.id)
        assert (await BigKeyLink.get(id=link.id)).to_id == 2**40
        assert await keyed.links.all().count() == 1


def test_the_users_bounds_stay_and_the_column_still_bounds() -> None:
    assert Bound(wide=2**40).wide == 2**40
    with pytest.raises(ValidationError):
        Bound(wide=2**40 + 1)
    with pytest.raises(ValidationError):
        Bound(low=1)
    assert Bound(open_high=2**31).open_high == 2**31
    with pytest.raises(ValidationError):
        Bound(open_high=2**31 + 1)
    with pytest.raises(ValidationError):  # no bound of its own: INTEGER's
        Bound(plain=2**31)
    with pytest.raises(ValidationError):
        Bound(narrow=101)
    properties = Bound.model_json_schema()["properties"]
    assert (properties["wide"]["minimum"], properties["wide"]["maximum"]) == (0, 2**40)
    assert properties["annotated"]["minimum"] == -(2**40)


@pytest.mark.parametrize(
    "bounds",
    [{"le": 2**64}, {"ge": -(2**63) - 1}, {"gt": -(2**64)}, {"lt": 2**63 + 1, "ge": 0}],
)
def test_a_bound_beyond_64_bits_is_a_schema_error_naming_the_field(bounds: dict[str, Any]) -> None:
    with pytest.raises(SchemaError, match=r"Huge\.count\b"):

        class Huge(orm.Model):
            id: int = orm.Field(primary_key=True)
            count: int = orm.Field(default=0, **bounds)

            class Meta:
                table = "ormt_bound_huge"


@pytest.mark.parametrize(
    ("declared", "bounds"),
    [
        ("IntField", {"le": 2**40}),
        ("IntField", {"ge": -(2**31) - 1}),
        ("SmallIntField", {"ge": -100_000}),
        ("SmallIntField", {"lt": 2**15 + 2}),
        ("BigIntField", {"le": 2**64}),
    ],
)
def test_a_declared_integer_column_narrower_than_its_bounds_is_a_schema_error(
    declared: str, bounds: dict[str, int]
) -> None:
    """The user's bound and the column type they chose contradict each other: which one is
    meant is not ferrule's to guess (it used to cut the bound to the column's range)."""
    with pytest.raises(SchemaError, match=rf"Narrow\.n: .*{declared}"):

        class Narrow(orm.Model):
            id: int = orm.Field(primary_key=True)
            n = getattr(orm, declared)(**bounds)

            class Meta:
                table = "ormt_narrow"


def test_declared_integer_columns_within_their_bounds_are_kept() -> None:
    class Within(orm.Model):
        id: int = orm.Field(primary_key=True)
        a = orm.SmallIntField(ge=-(2**15), le=2**15 - 1)
        b = orm.IntField(gt=-(2**31) - 1, lt=2**31)
        c = orm.BigIntField(ge=0)

        class Meta:
            table = "ormt_within"

    assert Within(a=1, b=2, c=3).c == 3
