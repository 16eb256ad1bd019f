"""``regex`` on PostgreSQL answered as Python's ``re.search`` (SQLite's and MariaDB's answer):
PostgreSQL's ``.`` also matches a newline, and its ``$`` only the very end of the text, where
Python's matches before a final newline too. Outside bracket expressions, each ``.`` is written
``[^\\n]`` and each ``$`` ``(?=\\n?$)`` (a lookahead); escapes and brackets are kept as they are.
What the engines share is stated in ``sql.nodes``; this only makes newlines agree."""

from __future__ import annotations

__all__ = ["for_postgres"]

_DOT = "[^\n]"
_END = "(?=\n?$)"


def for_postgres(pattern: str) -> str:
    """``pattern`` with ``.`` and ``$`` outside brackets read as Python reads them."""
    pattern = str.__str__(pattern)  # the text a str subclass holds, whatever it overrides
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":  # an escape: the backslash and what it escapes, as they are
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            end = _bracket_end(pattern, i)
            out.append(pattern[i:end])
            i = end
        else:
            out.append(_DOT if ch == "." else _END if ch == "$" else ch)
            i += 1
    return "".join(out)


def _bracket_end(pattern: str, start: int) -> int:
    """Past the ``]`` that closes the bracket expression at ``start`` (a ``]`` first in it, or
    after ``^``, is a member); the end of the text when none does (the engine reports it)."""
    i, n = start + 1, len(pattern)
    if i < n and pattern[i] == "^":
        i += 1
    if i < n and pattern[i] == "]":
        i += 1
    while i < n and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return min(i + 1, n)
