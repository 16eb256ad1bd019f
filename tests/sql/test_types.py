"""The logical column type table (``sql.types``): every logical type in every dialect, its
parameters checked, and the table in the module docstring equal to the one the code holds."""

from __future__ import annotations

import enum
import re

import pytest

from ferrule import sql
from ferrule.errors import SQLError
from ferrule.sql import types


def _params(name: str) -> dict[str, object]:
    return {
        "str": {"length": 20},
        "decimal": {"precision": 10, "scale": 2},
        "enum": {"values": ["red", "green"]},
    }.get(name, {})


def _docstring_table() -> dict[str, list[str]]:
    """The sqlite..mssql cells of the docstring table, by logical name."""
    rows = {}
    for line in (types.__doc__ or "").splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        key = cells[0].split("(")[0]
        if key in types.LOGICAL_TYPES and len(cells) == 5:
            rows[key] = cells[1:]
    return rows


def test_every_logical_type_has_a_column_type_in_every_dialect() -> None:
    assert types.LOGICAL_TYPES == (
        "int", "bigint", "smallint", "float", "decimal", "bool", "str", "text", "bytes",
        "datetime", "datetime_tz", "date", "time", "timedelta", "uuid", "uuid_hex",
        "json", "enum",
    )  # fmt: skip
    for name in types.LOGICAL_TYPES:
        for dialect in sql.DIALECT_NAMES:
            ct = sql.column_type(name, dialect, **_params(name))  # type: ignore[arg-type]
            assert ct.dialect == dialect and ct.logical.name == name
            assert ct.storage in types.STORAGES
            assert ct.sql and "{" not in ct.sql and "None" not in ct.sql


def test_docstring_table_is_the_table() -> None:
    """Each cell is the column type (parameters as letters), then the storage unless native."""
    table = _docstring_table()
    assert set(table) == set(types.LOGICAL_TYPES) - {"enum"}  # enum: one row for all dialects
    for name, cells in table.items():
        expected = []
        for dialect in sql.DIALECT_NAMES:
            template, storage = types._TABLE[name][1][dialect]
            cell = template.format(n="n", p="p", s="s")
            expected.append(cell if storage == "native" else f"{cell} {storage}")
        assert cells == expected, name


@pytest.mark.parametrize(
    ("name", "dialect", "params", "sql_type", "storage"),
    [
        ("decimal", "postgres", {"precision": 10, "scale": 2}, "NUMERIC(10,2)", "native"),
        ("decimal", "mysql", {"precision": 5}, "DECIMAL(5,0)", "native"),
        ("str", "mssql", {"length": 30}, "NVARCHAR(30)", "native"),
        ("datetime_tz", "mysql", {}, "DATETIME(6)", "utc"),
        ("timedelta", "sqlite", {}, "BIGINT", "micros"),
        ("timedelta", "postgres", {}, "INTERVAL", "native"),
        ("uuid", "mysql", {}, "CHAR(36)", "text"),
        ("json", "mssql", {}, "NVARCHAR(MAX)", "json_text"),
        ("enum", "postgres", {"values": ["a", "abc"]}, "VARCHAR(3)", "native"),
        ("enum", "mssql", {"values": ["\U0001f600"]}, "NVARCHAR(2)", "native"),  # UTF-16 units
        ("enum", "sqlite", {"values": [""]}, "VARCHAR(1)", "native"),
    ],
)
def test_column_type(
    name: str, dialect: str, params: dict[str, object], sql_type: str, storage: str
) -> None:
    ct = sql.column_type(name, dialect, **params)  # type: ignore[arg-type]
    assert (ct.sql, ct.storage) == (sql_type, storage)


def test_enum_values_from_an_enum_class() -> None:
    class Color(enum.Enum):
        RED = "red"
        GREEN = "green"

    assert sql.logical_type("enum", values=Color).values == ("red", "green")


def test_a_logical_type_object_is_accepted() -> None:
    money = sql.logical_type("decimal", precision=12, scale=4)
    assert sql.column_type(money, "sqlite").sql == "DECIMAL(12,4)"
    with pytest.raises(SQLError, match="not both"):
        sql.column_type(money, "sqlite", precision=3)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("varchar", {}, "unknown logical type"),
        ("str", {}, "needs a length"),
        ("str", {"length": 0}, "positive int length"),
        ("str", {"length": True}, "positive int length"),
        ("decimal", {}, "positive int precision"),
        ("decimal", {"precision": 4, "scale": 5}, "scale must be"),
        ("decimal", {"precision": 4, "scale": -1}, "scale must be"),
        ("int", {"length": 4}, "takes no length"),
        ("enum", {}, "collection of strings"),
        ("enum", {"values": "abc"}, "collection of strings"),
        ("enum", {"values": []}, "one or more string values"),
        ("enum", {"values": [1, 2]}, "one or more string values"),
    ],
)
def test_bad_logical_types_are_refused(name: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(SQLError, match=message):
        sql.logical_type(name, **params)  # type: ignore[arg-type]


def test_unknown_dialect() -> None:
    with pytest.raises(SQLError, match="unknown dialect"):
        sql.column_type("int", "oracle")
