"""Every field type goes in and comes back equal on every backend, and the column types
come from the one logical type table of ``ferrule.sql.types``."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest

from ferrule.errors import FerruleError
from ferrule.sql.types import column_type

from .conftest import opened
from .models import Color, Everything, Level

UTC = dt.timezone.utc
PLUS2 = dt.timezone(dt.timedelta(hours=2))

VALUES = {
    "small": -32768,
    "big": 2**62,
    "ratio": 0.1,
    "price": decimal.Decimal("123456789.125"),
    "flag": True,
    "code": "héllo ✓",
    "note": "line\nbreak \u00e9" * 100,
    "blob": bytes(range(256)),
    "moment": dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=PLUS2),
    "naive": dt.datetime(1999, 12, 31, 8, 30, 0, 5),
    "day": dt.date(1815, 12, 10),
    "clock": dt.time(13, 14, 15, 161718),
    "span": dt.timedelta(days=400, seconds=5, microseconds=7),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "data": {"a": [1, 2.5, None, True, "x"], "b": {"c": "é"}},
    "color": Color.GREEN,
    "level": Level.HIGH,
}


async def test_every_type_round_trips(url: str) -> None:
    async with opened(url):
        made = await Everything.create(**VALUES)
        for loaded in (await Everything.get(id=made.id), (await Everything.all())[0]):
            for name, value in VALUES.items():
                got = getattr(loaded, name)
                assert got == value, name
                assert type(got) is type(value), name
        assert (await Everything.get(id=made.id)).moment.utcoffset() is not None
        rows = await Everything.values("color", "level", "key", "span")
        assert rows == [{name: VALUES[name] for name in ("color", "level", "key", "span")}]


async def test_nulls_and_defaults_round_trip(url: str) -> None:
    async with opened(url):
        made = await Everything.create()
        loaded = await Everything.get(id=made.id)
        for name in ("moment", "naive", "day", "clock", "span", "key", "data", "color", "level"):
            assert getattr(loaded, name) is None, name
        assert (loaded.small, loaded.flag, loaded.code, loaded.blob) == (0, False, "", b"")


async def test_filters_convert_values_like_writes(url: str) -> None:
    async with opened(url):
        await Everything.create(**VALUES)
        await Everything.create()
        for name in ("key", "color", "level", "span", "day", "price", "moment"):
            found = await Everything.filter(**{name: VALUES[name]}).count()
            assert found == 1, name
        assert await Everything.filter(moment__gt=VALUES["moment"] - dt.timedelta(1)).count() == 1


async def test_a_naive_datetime_for_an_aware_column_is_refused_not_guessed(url: str) -> None:
    async with opened(url):
        with pytest.raises(FerruleError, match="naive datetime"):
            await Everything.create(moment=dt.datetime(2020, 1, 1))
        with pytest.raises(FerruleError, match="tz=False"):
            await Everything.create(naive=dt.datetime(2020, 1, 1, tzinfo=UTC))
        assert await Everything.count() == 0


def test_column_types_come_from_the_logical_type_table() -> None:
    columns = Everything._meta.columns
    expected = {
        "id": "int", "small": "smallint", "big": "bigint", "ratio": "float",
        "price": "decimal", "flag": "bool", "code": "str", "note": "text", "blob": "bytes",
        "moment": "datetime_tz", "naive": "datetime", "day": "date", "clock": "time",
        "span": "timedelta", "key": "uuid", "data": "json", "color": "enum", "level": "int",
    }  # fmt: skip
    assert {name: column.logical.name for name, column in columns.items()} == expected
    assert column_type(columns["price"].logical, "postgres").sql == "NUMERIC(12,3)"
    assert column_type(columns["code"].logical, "mysql").sql == "VARCHAR(20)"
