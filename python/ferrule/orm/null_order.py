"""One ORDER BY term with NULL as the smallest value on every database: SQLite and MariaDB sort
it so by themselves, PostgreSQL (NULL largest) is told ``NULLS FIRST``/``NULLS LAST``."""

from __future__ import annotations

from typing import Any

__all__ = ["term"]


def term(expr: Any, descending: bool, dialect: str, nullable: bool = True) -> Any:
    """``expr`` ascending or descending, NULL smallest (``nullable``: a NULL can appear)."""
    if dialect == "postgres" and nullable:
        return expr.desc("last") if descending else expr.asc("first")
    return expr.desc() if descending else expr.asc()
