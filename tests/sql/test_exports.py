"""The public surface of ``ferrule.sql`` is deliberate: sorted, complete and importable."""

from __future__ import annotations

import ferrule
from ferrule import sql


def isort_order(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_sql_is_a_ferrule_submodule() -> None:
    assert ferrule.sql is sql
    assert "sql" in ferrule.__all__


def test_all_is_unique_sorted_and_resolves() -> None:
    assert sql.__all__ == sorted(set(sql.__all__), key=isort_order)
    for name in sql.__all__:
        assert getattr(sql, name) is not None


def test_public_names() -> None:
    expected = {
        "select", "insert", "update", "delete", "text", "table", "column", "func", "case",
        "cast", "exists", "and_", "or_", "not_", "union", "union_all", "intersect",
        "intersect_all", "except_", "except_all", "raw", "literal", "null", "excluded",
        "like_escape",
        # DDL and the logical column types
        "create_table", "drop_table", "create_index", "drop_index", "alter_table", "column_def",
        "primary_key", "unique", "foreign_key", "check", "column_type", "logical_type",
        "ColumnType", "LogicalType", "ColumnDef", "DDLStatement", "LOGICAL_TYPES", "UNSET",
    }  # fmt: skip
    assert expected <= set(sql.__all__)
    assert not [name for name in sql.__all__ if name.startswith("_")]
