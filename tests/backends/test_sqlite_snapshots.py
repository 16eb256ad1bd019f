"""``sqlite_snapshots``: the text of the view that reads a query's column types, and the
column names given back (no database: the loops are in ``tests/orm/test_loop_writes.py``)."""

from __future__ import annotations

import pytest

import ferrule.backends.sqlite  # noqa: F401  (registers the converters read here)
from ferrule.backends.sqlite_snapshots import _kept_type, _names, applies, without_params


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT a FROM t WHERE a = ?", "SELECT a FROM t WHERE a =  NULL "),
        ("SELECT '?', \"a?\", [b?], `c?` FROM t", "SELECT '?', \"a?\", [b?], `c?` FROM t"),
        ("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' ||  NULL "),
        ("SELECT 1 -- ?\n, ?2 /* ? */", "SELECT 1 -- ?\n,  NULL  /* ? */"),
        ("SELECT ? LIMIT ?", "SELECT  NULL  LIMIT  NULL "),
        ("SELECT 'open ?", "SELECT 'open ?"),
    ],
)
def test_placeholders_become_null(sql: str, expected: str) -> None:
    assert without_params(sql) == expected


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", True),
        ("  with q as (select 1) select * from q", True),
        ("VALUES (1)", True),
        ("PRAGMA user_version", False),
        ("INSERT INTO t VALUES (1) RETURNING id", False),
        ("", False),
    ],
)
def test_what_is_copied(sql: str, expected: bool) -> None:
    assert applies(sql) is expected


def test_types_and_names() -> None:
    assert [_kept_type(t) for t in ("DATETIME", "decimal(10,2)", "INTEGER", "", "BOOLEAN")] == [
        "DATETIME BLOB",
        "DECIMAL BLOB",
        "",
        "",
        "BOOLEAN BLOB",
    ]
    assert _names(["id", "id:1", "a:1", "a", "a:2"]) == ["id", "id", "a:1", "a", "a"]
