"""Values at the edges of their columns, written through every write path (``create``,
``save()``, ``bulk_create``, ``bulk_update``, ``update()``, ``update_or_create``) and read
back through each database's own driver (``native_rows``): what is stored is the value
given, or the write is a typed error naming the field and nothing is stored. Found by the
write differential test's edges, written out here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import DataError, InterfaceError, ValidationError

from .conftest import opened, own_tables
from .native_rows import NativeRows, as_decimal

UTC = dt.timezone.utc
EAST = dt.timezone(dt.timedelta(hours=5, minutes=30))
WEST = dt.timezone(dt.timedelta(hours=-9))


class WeRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    small = orm.SmallIntField(default=0)
    n = orm.IntField(default=0)
    big = orm.BigIntField(default=0)
    code = orm.CharField(max_length=5, default="")
    text = orm.TextField(default="")
    d = orm.DecimalField(max_digits=5, decimal_places=2, default=D("0"))
    at = orm.DateTimeField(null=True)
    naive = orm.DateTimeField(null=True, tz=False)

    class Meta:
        table = "ormt_we_row"


COLUMNS = ("small", "n", "big", "code", "text", "d", "at", "naive")

#: each field's edge values: each is written and must come back as given
EDGES: dict[str, list[Any]] = {
    "small": [-(2**15), 2**15 - 1],
    "n": [-(2**31), 2**31 - 1],
    "big": [-(2**63), 2**63 - 1],
    "code": ["😀😀😀😀😀", "e\u0301e\u0301e", "\U0010fffd" * 5, "a'\\\"%", " a  "],
    "text": ["x" * 70_000, "😀" * 5000, "\u2028\r\n\t"],
    "d": [D("999.99"), D("-999.99"), D("0.01"), D("-0.01"), D("1E+2")],
    "at": [
        dt.datetime(1, 1, 1, 0, 0, 0, 0, tzinfo=UTC),
        dt.datetime(1, 1, 1, 5, 30, tzinfo=EAST),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(9999, 12, 31, 14, 59, 59, 999999, tzinfo=WEST),
        dt.datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=EAST),
    ],
    "naive": [dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999)],
}

#: values no column holds: a ValidationError (or for the datetimes a DataError: a valid
#: datetime, but its instant in UTC, which every database keeps, is before year 1 or past 9999)
PAST: list[tuple[str, Any, type[Exception]]] = [
    ("small", 2**15, ValidationError),
    ("n", -(2**31) - 1, ValidationError),
    ("big", 2**63, ValidationError),
    ("code", "😀" * 6, ValidationError),
    ("d", D("1000"), ValidationError),
    ("d", D("0.001"), ValidationError),
    ("at", dt.datetime(1, 1, 1, 0, 0, tzinfo=EAST), DataError),
    ("at", dt.datetime(9999, 12, 31, 23, 0, tzinfo=WEST), DataError),
]


def _stored(url: str, dialect: str) -> dict[int, dict[str, Any]]:
    native = NativeRows(url, dialect)
    try:
        rows = native.rows(f"SELECT id, {', '.join(COLUMNS)} FROM ormt_we_row")
    finally:
        native.close()
    out = {}
    for key, *values in rows:
        row = dict(zip(COLUMNS, values, strict=True))
        row["d"] = as_decimal(row["d"])
        for name in ("at", "naive"):  # SQLite's text; an aware one as its instant in UTC
            if isinstance(row[name], str):
                row[name] = dt.datetime.fromisoformat(row[name])
        if isinstance(row["at"], dt.datetime) and row["at"].tzinfo is None:
            row["at"] = row["at"].replace(tzinfo=UTC)  # MariaDB's DATETIME: UTC, no offset
        out[key] = row
    return out


def _same(got: Any, want: Any) -> bool:
    return bool(got == want and type(got) is type(want))


async def test_edge_values_are_stored_as_given_by_every_path(url: str, dialect: str) -> None:
    async with opened(url), own_tables(WeRow):
        wanted: dict[int, dict[str, Any]] = {}
        key = 0
        for name, values in EDGES.items():
            for value in values:
                for path in ("create", "save", "bulk_create", "bulk_update", "update", "upsert"):
                    key += 1
                    wanted[key] = {name: value}
                    if path == "create":
                        await WeRow.create(id=key, **{name: value})
                    elif path == "save":
                        await WeRow(id=key, **{name: value}).save()
                    elif path == "bulk_create":
                        await WeRow.bulk_create([WeRow(id=key, **{name: value})])
                    elif path == "bulk_update":
                        row = await WeRow.create(id=key)
                        setattr(row, name, value)
                        assert await WeRow.bulk_update([row], [name]) == 1
                    elif path == "update":
                        await WeRow.create(id=key)
                        assert await WeRow.filter(id=key).update(**{name: value}) == 1
                    else:
                        await WeRow.create(id=key)
                        await WeRow.update_or_create(id=key, defaults={name: value})
        stored = _stored(url, dialect)
    defaults = {c: WeRow.model_fields[c].default for c in COLUMNS}
    assert sorted(stored) == sorted(wanted)
    for key, given in wanted.items():
        want = {**defaults, **given}
        for name in COLUMNS:
            got, value = stored[key][name], want[name]
            # an instant (any offset) and a decimal (any exponent) compare by value
            by_value = isinstance(value, D) or getattr(value, "tzinfo", None) is not None
            assert got == value if by_value else _same(got, value), (key, name, got, value)


@pytest.mark.parametrize(("name", "value", "error"), PAST, ids=[repr(p[:2])[:30] for p in PAST])
async def test_a_value_past_its_column_is_refused_naming_the_field(
    url: str, name: str, value: Any, error: type[Exception]
) -> None:
    """An aware datetime whose UTC instant is before year 1 or after 9999 was a bare
    OverflowError on SQLite and MariaDB (a DataError naming a query argument on
    PostgreSQL); a DataError naming the field everywhere now."""
    async with opened(url), own_tables(WeRow):
        await WeRow.create(id=1)
        attempts = [
            lambda: WeRow.create(id=2, **{name: value}),
            lambda: WeRow.filter(id=1).update(**{name: value}),
            lambda: WeRow.bulk_create([WeRow(id=2, **{name: value})]),
        ]
        for attempt in attempts:
            with pytest.raises(error, match=rf"WeRow[\s\S]*\b{name}\b"):
                await attempt()
        assert await WeRow.all().values_list("id", flat=True) == [1]


async def test_a_nul_in_text_is_stored_or_refused_naming_the_field(url: str, dialect: str) -> None:
    """SQLite and MariaDB store a U+0000 in text; PostgreSQL's text cannot hold one, and its
    DataError ("invalid byte sequence for encoding UTF8: 0x00") named no field: it names
    the field now, on every write path, and nothing is stored."""
    async with opened(url), own_tables(WeRow):
        await WeRow.create(id=1)
        row = await WeRow.get(id=1)
        row.text = "a\x00b"
        attempts = [
            lambda: WeRow.create(id=2, code="\x00"),
            lambda: WeRow(id=3, text="\x00\x00").save(),
            lambda: WeRow.filter(id=1).update(code="x\x00"),
            lambda: WeRow.bulk_create([WeRow(id=4), WeRow(id=5, text="\x00")]),
            lambda: WeRow.bulk_update([row], ["text"]),
            lambda: row.save(),
            lambda: WeRow.update_or_create(id=1, defaults={"code": "y\x00"}),
            lambda: WeRow.get_or_create(id=6, defaults={"text": "z\x00"}),
        ]
        if dialect == "postgres":
            for attempt in attempts:
                with pytest.raises(DataError, match=r"WeRow\.(code|text)\b[\s\S]*U\+0000"):
                    await attempt()
            assert await WeRow.all().values_list("id", "code", "text") == [(1, "", "")]
            return
        for attempt in attempts:
            await attempt()
        stored = _stored(url, dialect)
    assert {k: (r["code"], r["text"]) for k, r in stored.items()} == {
        1: ("y\x00", "a\x00b"),
        2: ("\x00", ""),
        3: ("", "\x00\x00"),
        4: ("", ""),
        5: ("", "\x00"),
        6: ("", "z\x00"),
    }


class WeWide(orm.Model):
    id: int = orm.Field(primary_key=True)
    w = orm.DecimalField(max_digits=18, decimal_places=6, default=D("0"))

    class Meta:
        table = "ormt_we_wide"


async def test_a_decimal_sqlite_cannot_hold_names_the_field(url: str, dialect: str) -> None:
    """A decimal of 18 digits: the servers' DECIMAL(18, 6) stores it exactly; SQLite keeps a
    double (15 digits) and refuses it with an InterfaceError, which named no field; it
    names the field now, on every write path, and nothing is stored."""
    wide = D("999999999999.999999")
    async with opened(url), own_tables(WeWide):
        await WeWide.create(id=1)
        row = await WeWide.get(id=1)
        row.w = wide
        attempts = [
            lambda: WeWide.create(id=2, w=wide),
            lambda: WeWide.filter(id=1).update(w=-wide),
            lambda: WeWide.bulk_create([WeWide(id=3, w=wide)]),
            lambda: WeWide.bulk_update([row], ["w"]),
            lambda: row.save(),
        ]
        if dialect == "sqlite":
            for attempt in attempts:
                with pytest.raises(InterfaceError, match=r"WeWide\.w\b[\s\S]*digits"):
                    await attempt()
            assert await WeWide.all().values_list("id", "w") == [(1, D("0"))]
            return
        for attempt in attempts:
            await attempt()
        native = NativeRows(url, dialect)
        try:
            stored = dict(native.rows("SELECT id, w FROM ormt_we_wide"))
        finally:
            native.close()
    assert stored == {1: wide, 2: wide, 3: wide}
