"""The regular expressions ``regex``/``iregex`` take: the syntax the three engines read as
Python's ``re.search`` does (SQLite's ``regexp()`` is Python's ``re``; MariaDB's is PCRE2;
PostgreSQL's its own ARE), so a pattern has one answer on every database or is a
``FieldError`` naming what in it the engines read differently:

* an escape of a letter, a digit or a character past ASCII (``\\b`` is a word boundary in
  Python and PCRE2 but a backspace in PostgreSQL; ``\\d``, ``\\w``, ``\\s`` take Unicode
  digits, letters and spaces there and ASCII ones in PostgreSQL; ``\\y``, ``\\m``, ``\\p{L}``,
  ``\\u00e9`` are one engine's only): an escaped punctuation character is kept;
* ``(?`` other than ``(?:``, ``(?=``, ``(?!`` (flags, look-behinds, named groups);
* a ``{`` that does not open a bound ``{m}``, ``{m,}``, ``{m,n}`` of at most 255
  (PostgreSQL's limit; ``a{,2}`` is ``a{0,2}`` in Python and literal text elsewhere, ``a{1``
  literal text in Python and an error in PostgreSQL): write ``\\{`` for the character;
* a quantifier right after another (``a*+`` is possessive in Python and PCRE2, an error in
  PostgreSQL), but for the ``?`` of a lazy one;
* ``[:``, ``[=``, ``[.`` inside brackets (POSIX classes in PostgreSQL and PCRE2, a nested set
  in Python).

``iregex`` folds case as Python's ``re.IGNORECASE`` does on every database (``caseless``):
its pattern is ASCII (each engine folds letters past it its own way: PostgreSQL matched
neither the two lower-case sigmas nor sharp s with its capital, MariaDB not ``i`` with a
dotted capital I), and the four letters past ASCII that Python's ``re`` folds onto ASCII
ones (the Kelvin sign, the long s, the dotted capital I and the dotless i) are replaced by
them in the value first (``ASCII_FOLDS``): no engine folds any other letter onto an ASCII
one.

``orm.regex_newlines`` then makes PostgreSQL read ``.`` and ``$`` as Python does."""

from __future__ import annotations

import re
import string
from typing import NoReturn

from ferrule.errors import FieldError

__all__ = ["ASCII_FOLDS", "caseless", "check"]

_PUNCTUATION = frozenset(string.punctuation)
_BOUND = re.compile(r"\{(\d+)(,(\d*))?\}")
_MOST = 255
#: the letters past ASCII that ``re.search(ascii_letter, letter, re.IGNORECASE)`` matches,
#: each with an ASCII letter of its class (every other code point was checked)
ASCII_FOLDS = (("\u212a", "k"), ("\u017f", "s"), ("\u0130", "i"), ("\u0131", "i"))


def caseless(pattern: str, where: str) -> None:
    """A ``FieldError`` naming ``where`` when an ``iregex`` pattern holds a character past
    ASCII, whose case each engine folds its own way."""
    pattern = str.__str__(pattern)
    for ch in pattern:
        if ord(ch) > 0x7F:
            raise FieldError(
                f"{where}={pattern!r}: {ch!r} is past ASCII, where SQLite (Python's re), "
                "PostgreSQL and MariaDB fold case differently (the two lower-case sigmas, i and a "
                "dotted capital I): "
                f"use regex with both cases in a bracket (such as [{ch.lower()}{ch.upper()}])"
            )


def check(pattern: str, where: str) -> None:
    """A ``FieldError`` naming ``where`` (``"Model: field__regex"``) when ``pattern`` reads
    differently on the three databases."""
    pattern = str.__str__(pattern)  # the text a str subclass holds, whatever it overrides
    i, n = 0, len(pattern)
    last = ""  # "quantifier", "lazy" (a quantifier's ``?``) or "" (anything else)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            _escape(pattern, i, where)
            i, last = i + 2, ""
        elif ch == "[":
            i, last = _bracket(pattern, i, where), ""
        elif ch == "(" and pattern.startswith("(?", i):
            if pattern[i + 2 : i + 3] not in (":", "=", "!"):
                _refuse(where, pattern, pattern[i : i + 3], "only (?:, (?= and (?! read alike")
            i, last = i + 3, ""
        elif ch in "*+?{":
            length = _bound(pattern, i, where) if ch == "{" else 1
            if last == "quantifier" and ch == "?":
                last = "lazy"
            elif last:
                _refuse(where, pattern, pattern[i - 1 : i + 1], "a quantifier after a quantifier")
            else:
                last = "quantifier"
            i += length
        else:
            i, last = i + 1, ""


def _escape(pattern: str, at: int, where: str) -> None:
    escaped = pattern[at + 1 : at + 2]
    if escaped and escaped not in _PUNCTUATION:
        _refuse(
            where,
            pattern,
            "\\" + escaped,
            "escapes of letters, digits and non-ASCII characters read differently (write the "
            "character itself, or a bracket such as [0-9])",
        )


def _bound(pattern: str, at: int, where: str) -> int:
    found = _BOUND.match(pattern, at)
    if found is None:
        _refuse(where, pattern, "{", "a '{' opens a bound {m}, {m,} or {m,n}: write \\{")
    low = int(found.group(1))
    high = low if found.group(2) is None else int(found.group(3) or low)
    if max(low, high) > _MOST or high < low:
        _refuse(where, pattern, found.group(0), f"a bound is from 0 to {_MOST}, low to high")
    return found.end() - at


def _bracket(pattern: str, at: int, where: str) -> int:
    """Past the ``]`` closing the bracket at ``at`` (a ``]`` first in it is a member)."""
    i, n = at + 1, len(pattern)
    if i < n and pattern[i] == "^":
        i += 1
    if i < n and pattern[i] == "]":
        i += 1
    while i < n and pattern[i] != "]":
        if pattern[i] == "\\":
            _escape(pattern, i, where)
            i += 2
            continue
        if pattern[i] == "[" and pattern[i + 1 : i + 2] in (":", "=", "."):
            _refuse(where, pattern, pattern[i : i + 2], "POSIX classes read differently")
        i += 1
    return i + 1


def _refuse(where: str, pattern: str, part: str, why: str) -> NoReturn:
    raise FieldError(
        f"{where}={pattern!r}: {part!r} is read differently by SQLite (Python's re), "
        f"PostgreSQL and MariaDB: {why}"
    )
