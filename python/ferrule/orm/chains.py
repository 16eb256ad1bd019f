"""Long AND/OR chains, written so SQLite can parse them.

SQLite's parser makes ``a OR b OR c ...`` a tree as deep as the chain is long and refuses a
tree deeper than 1000 (``SQLITE_MAX_EXPR_DEPTH``: "Expression tree is too large"), so a
filter ORing 1001 ``Q`` objects ran on PostgreSQL and MariaDB and failed on SQLite. AND and
OR are associative (in SQL's three-valued logic too), so a long chain is written as
parenthesised groups of at most ``_GROUP`` terms, nested as often as needed: the same
answer, a tree of depth about ``_GROUP`` times the nesting (3 levels for a million terms).
Only on SQLite, and only past ``_GROUP`` terms: every other statement is unchanged.

XOR (Django's ``Q(a) ^ Q(b)``) is true when an odd number of its terms are, a NULL term
counting as false (Django's answer on SQLite and PostgreSQL; MariaDB's own XOR would give
NULL). Each term becomes a 0/1 flag and the flags are folded pairwise by ``<>``, in halves
(a tree as deep as the log of the count), so the terms are read on the same (joined) row,
as an OR's are."""

from __future__ import annotations

from typing import Any

from ferrule import sql

__all__ = ["chained"]

_GROUP = 100


def chained(connector: str, parts: list[Any], dialect: str) -> Any:
    """``sql.and_(*parts)`` (``connector`` "and") or ``sql.or_(*parts)``, grouped on SQLite;
    or their XOR (``connector`` "xor")."""
    if connector == "xor":
        return _odd(parts)
    combined = sql.and_(*parts) if connector == "and" else sql.or_(*parts)
    if dialect != "sqlite" or combined[0] != connector or len(combined[1]) <= _GROUP:
        return combined
    items = list(combined[1])  # flattened by and_/or_
    while len(items) > _GROUP:
        items = [
            sql.Expr((connector, tuple(items[i : i + _GROUP])))
            if len(items[i : i + _GROUP]) > 1
            else items[i]
            for i in range(0, len(items), _GROUP)
        ]
    return sql.Expr((connector, tuple(items)))


def _flag(condition: Any) -> Any:
    """1 where ``condition`` holds, else 0 (NULL too)."""
    return sql.case((condition, sql.raw("1")), else_=sql.raw("0"))


def _odd(parts: list[Any]) -> Any:
    """Whether an odd number of ``parts`` hold: ``flag(first half) <> flag(second half)``,
    each half folded so: a tree as deep as the log of the count (folded one after another,
    SQLite's parser refused 40-odd terms)."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return _flag(_odd(parts[:middle])) != _flag(_odd(parts[middle:]))
