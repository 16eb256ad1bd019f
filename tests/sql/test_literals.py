"""The DDL literal renderer (``sql.literals``): fixed cases per dialect, refusals, and a
differential against the real servers: ``SELECT <literal>`` gives back exactly the value, for any
string (quotes, backslashes, ``%``, newlines, any Unicode) and any bytes."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ferrule.errors import SQLError
from ferrule.sql.literals import render_literal

from .support import Runner

UTC2 = dt.timezone(dt.timedelta(hours=2))


class Size(enum.Enum):
    SMALL = "s"


@pytest.mark.parametrize(
    ("value", "dialect", "expected"),
    [
        (None, "sqlite", "NULL"),
        (True, "postgres", "TRUE"),
        (False, "mssql", "0"),
        (-12, "mysql", "-12"),
        (0.1, "sqlite", "0.1"),
        (decimal.Decimal("1E+3"), "postgres", "1000"),
        (decimal.Decimal("-0.00100"), "mysql", "-0.00100"),
        ("it's", "sqlite", "'it''s'"),
        ("a\\'", "mysql", "'a\\\\'''"),
        ("a\\'", "postgres", "E'a\\\\'''"),
        ("a\\'", "sqlite", "'a\\'''"),
        ("ü", "mssql", "N'ü'"),
        (b"\x00'", "sqlite", "X'0027'"),
        (b"\x00'", "postgres", "decode('0027', 'hex')"),
        (b"", "mssql", "0x"),
        (dt.date(2024, 2, 29), "postgres", "'2024-02-29'"),
        (dt.datetime(2024, 1, 2, 3, 4, 5, 6), "sqlite", "'2024-01-02 03:04:05.000006'"),
        (dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC2), "postgres", "'2024-01-02 03:04:00+02:00'"),
        (dt.datetime(2024, 1, 2, 3, 4, tzinfo=UTC2), "mysql", "'2024-01-02 01:04:00'"),
        (dt.time(1, 2, 3), "mysql", "'01:02:03'"),
        (dt.timedelta(days=-1, microseconds=5), "sqlite", "-86399999995"),
        (dt.timedelta(days=2, seconds=1), "postgres", "INTERVAL '2 days 1000000 microseconds'"),
        (uuid.UUID(int=0), "mssql", "N'00000000-0000-0000-0000-000000000000'"),
        (Size.SMALL, "postgres", "'s'"),
    ],
)
def test_literal(value: Any, dialect: str, expected: str) -> None:
    assert render_literal(value, dialect) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": 1}, "cannot be written as an SQL literal"),
        ([1], "cannot be written as an SQL literal"),
        (object(), "cannot be written as an SQL literal"),
        (1j, "cannot be written as an SQL literal"),
        (float("nan"), "has no SQL literal"),
        (float("inf"), "has no SQL literal"),
        (decimal.Decimal("NaN"), "has no SQL literal"),
        ("a\x00b", "NUL"),
        ("\ud800", "lone surrogate"),
        (dt.time(1, tzinfo=dt.timezone.utc), "aware time"),
    ],
)
def test_values_without_a_safe_literal_are_refused(value: Any, message: str) -> None:
    for dialect in ("sqlite", "postgres", "mysql", "mssql"):
        with pytest.raises(SQLError, match=message):
            render_literal(value, dialect)


def test_mssql_line_continuation_is_refused() -> None:
    with pytest.raises(SQLError, match="line continuation"):
        render_literal("a\\\nb", "mssql")
    assert render_literal("a\\\nb", "sqlite") == "'a\\\nb'"


TRICKY = st.sampled_from(
    ["'", "''", "\\", "\\'", "%", "%s", "%%", "\n", "\r\n", '"', "`", "]", "é", "\U0001f600",
     "$1", "?", "--", "/*", ";"]
)  # fmt: skip
STRINGS = st.lists(
    st.one_of(
        TRICKY,
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=5
        ),
    ),
    max_size=6,
).map("".join)


def _select(runner: Runner, literal: str) -> Any:
    text = f"SELECT {literal}"
    if runner.dialect == "mysql":
        text = text.replace("%", "%%")  # the MySQL convention: pass the (empty) list on
    (row,) = runner.fetch(text, [])
    return row[0]


@pytest.mark.parametrize("db", ["sqlite_db", "postgres_db", "mysql_db"])
def test_strings_and_bytes_come_back_exactly(db: str, request: pytest.FixtureRequest) -> None:
    runner: Runner = request.getfixturevalue(db)

    @settings(max_examples=60, deadline=None, database=None)
    @given(text=STRINGS, data=st.binary(max_size=12))
    def check(text: str, data: bytes) -> None:
        assert _select(runner, render_literal(text, runner.dialect)) == text
        assert bytes(_select(runner, render_literal(data, runner.dialect))) == data

    check()


@pytest.mark.parametrize("db", ["sqlite_db", "postgres_db", "mysql_db"])
def test_numbers_come_back_exactly(db: str, request: pytest.FixtureRequest) -> None:
    runner: Runner = request.getfixturevalue(db)
    for value in (0, -(2**63), 2**63 - 1):
        assert _select(runner, render_literal(value, runner.dialect)) == value
    for number in (1.5, -2.25e-7, 1e300, 5e-324):  # read as numeric or double: the same float
        assert float(_select(runner, render_literal(number, runner.dialect))) == number
    exact = decimal.Decimal("-12345.678")
    assert decimal.Decimal(str(_select(runner, render_literal(exact, runner.dialect)))) == exact
