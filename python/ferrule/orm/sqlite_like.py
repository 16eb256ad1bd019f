"""LIKE on SQLite with NULs: SQLite's own LIKE reads the pattern and the value only up to a NUL
character (``"a\\x00b" LIKE '%b'`` is false, ``x LIKE '%\\x00%'`` is ``x LIKE '%'``). A pattern
that holds a NUL, and a row whose text does, are matched by ``ferrule_like()`` instead (Python,
``backends.sqlite_functions``: one call per such row); every other row keeps SQLite's LIKE."""

from __future__ import annotations

from typing import Any

from ferrule import sql

__all__ = ["like"]


def like(column: Any, pattern: str) -> Any:
    """``column LIKE pattern ESCAPE '!'``, answered as if SQLite read past NULs."""
    if "\x00" in pattern:
        return sql.func.ferrule_like(sql.literal(pattern), column, sql.literal("!")) == 1
    has_nul = sql.func.instr(column, sql.func.char(0)) > 0
    return (
        sql.case(
            (has_nul, sql.func.ferrule_like(sql.literal(pattern), column, sql.literal("!"))),
            else_=column.like(pattern, escape="!"),
        )
        == 1
    )
