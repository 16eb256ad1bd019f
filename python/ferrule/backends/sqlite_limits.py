"""SQLite's parser limits, said with where they were met.

A statement SQLite cannot parse for its size, which PostgreSQL and MariaDB run, failed with
SQLite's bare words: "parser stack overflow" (parentheses nested past its parser's stack,
``YYSTACKDEPTH``: about 25 levels of nested expressions) or "Expression tree is too large
(maximum depth 1000)" (a chain of more than 1000 operators, ``a OR b OR c ...``, which
SQLite parses as a tree as deep as the chain is long: ``SQLITE_MAX_EXPR_DEPTH``). The error
stays an ``OperationalError``; its message says which limit, why, and where in the statement:
the place the parentheses nest deepest, or the longest chain of one operator."""

from __future__ import annotations

import re

__all__ = ["explained"]

_STACK = "parser stack overflow"
_TREE = "Expression tree is too large"
_OPERATOR = re.compile(r"\b(AND|OR)\b|\|\||[-+*/%]", re.IGNORECASE)
_QUOTES = "'\"`["


def explained(message: str, sql: str | None) -> str | None:
    """The message for SQLite's ``message`` about ``sql`` when it is one of its parser
    limits, else None."""
    if message == _STACK:
        depth, at = _deepest(sql or "")
        where = f": they nest {depth} deep at {_around(sql or '', at)}" if sql else ""
        return (
            "SQLite cannot parse this statement: its parentheses (nested expressions,"
            f" subqueries, calls) pass its parser's stack, about 25 levels{where}; PostgreSQL"
            f" and MariaDB take it: write the expression flatter ({message})"
        )
    if message.startswith(_TREE):
        where = ""
        if sql:
            count, operator, at = _longest_chain(sql)
            where = f": a chain of {count} {operator!r} at {_around(sql, at)}"
        return (
            "SQLite cannot parse this statement: an expression is more than 1000 levels deep"
            " (a chain of operators, as a OR b OR c ..., is as deep as it is long)"
            f"{where}; PostgreSQL and MariaDB take it: group the chain in parentheses, or use"
            f" IN (...) ({message})"
        )
    return None


def _groups(sql: str) -> list[tuple[int, int, str]]:
    """Each parenthesised group of ``sql`` (and the whole): ``(depth, start, its own text,
    quoted text and nested groups blanked)``."""
    stack: list[tuple[int, list[str]]] = [(0, [])]
    done: list[tuple[int, int, str]] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in _QUOTES:
            close = "]" if ch == "[" else ch
            end = sql.find(close, i + 1)
            end = n - 1 if end < 0 else end
            stack[-1][1].append(" " * (end - i + 1))
            i = end + 1
            continue
        if ch == "(":
            stack[-1][1].append(" ")
            stack.append((i, []))
        elif ch == ")" and len(stack) > 1:
            start, own = stack.pop()
            done.append((len(stack), start, "".join(own)))
            stack[-1][1].append(" ")
        else:
            stack[-1][1].append(ch)
        i += 1
    done.append((0, 0, "".join(stack[0][1])))
    return done


def _deepest(sql: str) -> tuple[int, int]:
    groups = _groups(sql)
    depth, start, _ = max(groups, key=lambda g: (g[0], -g[1]))
    return depth, start


def _longest_chain(sql: str) -> tuple[int, str, int]:
    best = (0, "", 0)
    for _, start, own in _groups(sql):
        counts: dict[str, int] = {}
        for match in _OPERATOR.finditer(own):
            word = match.group(0).upper()
            counts[word] = counts.get(word, 0) + 1
        for word, count in counts.items():
            if count > best[0]:
                best = (count, word, start)
    return best


def _around(sql: str, at: int) -> str:
    """Where ``at`` is in ``sql``: its offset and a little of the text from there."""
    shown = sql[at : at + 40]
    return f"offset {at} ({shown + ('...' if len(sql) > at + 40 else '')!r})"
