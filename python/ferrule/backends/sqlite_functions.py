"""The SQL functions ferrule's SQLite connections carry, so that pattern matching gives the rows
the servers give (``sql.nodes`` has the rules):

* LIKE is case-sensitive: ``PRAGMA case_sensitive_like = ON``. A SQLite built without that
  pragma (``SQLITE_OMIT_DEPRECATED``) gets ``like()`` in Python instead (``register_like``), with
  the same answers, at the cost of one Python call per row;
* ``regexp(pattern, value)``, what ``value REGEXP pattern`` calls, is Python's ``re.search``, and
  ``regexp(pattern, value, 'i')`` ignores case. NULL in, NULL out; a number is matched as its
  text; an invalid pattern, a blob or flags other than ``''``/``'i'`` are a ``ProgrammingError``.
  It is deterministic (SQLite accepts it in an index) and runs in Python, one call per row: the
  backend's progress handler cannot stop a single call, so a pathological pattern runs as long
  as ``re`` takes.

* ``ferrule_like(pattern, value, escape)`` is ``value LIKE pattern ESCAPE escape`` in Python,
  case-sensitive, reading past NUL characters (SQLite's own LIKE stops at the first): the ORM
  uses it for a pattern or a row that holds one (``orm.sqlite_like``).

* ``unicode_lower(value)`` lowers every letter one code point at a time, as PostgreSQL's and
  MariaDB's LOWER() do (SQLite's own folds ASCII only; Python's ``str.lower`` also turns a
  final ``Σ`` into ``ς`` and ``İ`` into two code points). The ORM's case-blind lookups use it
  on SQLite. Text in, text out; NULL, numbers and blobs come back as they were. It is a name
  of its own, not an override of ``lower()``: an index on ``lower(x)`` made elsewhere keeps
  meaning what it meant.

* ``json_canonical(value)`` is the canonical text of JSON text (``json_text.canonical``: keys
  sorted, numbers by their decimal value, ``true`` apart from ``1``), the same for two values
  exactly when they are equal as JSON values. The ORM compares a JSON field through it on
  SQLite, which would compare the stored text. NULL in, NULL out; text that is not JSON is an
  ``UnreadableValueError``. Deterministic; one Python call per row.

* ``decimal_mean(total, count, scale)`` is the mean of ``count`` decimals whose sum is
  ``total`` whole units of ``10**-scale`` (an exact integer), rounded half away from zero to
  ``scale + 4`` places, as a double: what ``Avg`` of a decimal field answers on every database
  (``orm.arithmetic.decimal_mean``). NULL or a count of 0 gives NULL.
* ``ferrule_shift()`` and ``ferrule_between()``: date and duration arithmetic on the stored
  text, exact to the microsecond (``sqlite_moments``).

* ``json_lookup(document, path, lookup, argument)`` answers a lookup inside a JSON value
  (``json_paths.answer``: ``data__owner__name__gt='x'``, ``has_key``, ``contains``) with
  exact numbers, 1 or 0 (never NULL: a NULL document has nothing at any path). The path and
  argument are JSON text the ORM binds; text that is not JSON, or an unknown lookup, is an
  ``UnreadableValueError``. Deterministic; one Python call per row.

* ``json_value_at(document, path)`` is the JSON text of the value at ``path`` (as above), NULL
  where there is none: what ``values("data__owner")`` reads. Numbers are read as Python reads
  them (the floats ferrule writes come back as the same floats).

``prepare_connection`` sets up any ``sqlite3`` connection this way (ferrule's backend does it on
connect; ``PRAGMA case_sensitive_like`` is session state its reset restores).
"""

from __future__ import annotations

import decimal
import functools
import re
from typing import Any

from ferrule import errors
from ferrule.backends import json_paths, sqlite_exact, sqlite_moments
from ferrule.backends.json_text import canonical, dumps

__all__ = [
    "MEAN_PLACES",
    "SQLFunctions",
    "decimal_mean",
    "prepare_connection",
    "register_like",
    "unicode_lower",
]

#: What sqlite3 reports for any exception a Python SQL function or aggregate raised (its own
#: is dropped; an OverflowError is reported as "string or blob too big").
_FUNCTION_FAILED = frozenset(
    {
        "user-defined function raised exception",
        "user-defined aggregate's 'step' method raised error",
        "user-defined aggregate's 'finalize' method raised error",
    }
)


class SQLFunctions:
    """The SQL functions ferrule registers on one connection. SQLite replaces the exception a
    function raises by a fixed message, so ``error`` keeps ours for ``take_error``."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: errors.DatabaseError | None = None

    def regexp(self, pattern: object, value: object, flags: object = "") -> bool | None:
        if pattern is None or value is None or flags is None:
            return None
        try:
            if flags not in ("", "i"):
                raise errors.ProgrammingError(f"regexp() flags are '' or 'i', got {flags!r}")
            regex = _compiled_regex(_as_text(pattern, "pattern"), flags == "i")
            return regex.search(_as_text(value, "value")) is not None
        except errors.ProgrammingError as exc:
            self.error = exc
            raise

    def json_canonical(self, value: object) -> str | None:
        if value is None:
            return None
        try:
            return canonical(value)
        except (ValueError, RecursionError) as exc:
            self.error = errors.UnreadableValueError(
                f"json_canonical(): {value!r:.80} is not JSON text ({exc})"
            )
            raise self.error from None

    def json_lookup(self, document: object, path: object, lookup: object, argument: object) -> int:
        try:
            if not isinstance(lookup, str):
                raise ValueError(f"the lookup is a {type(lookup).__name__}")
            loaded = json_paths.MISSING if document is None else json_paths.load(document)
            found = json_paths.answer(
                loaded, json_paths.load(path), lookup, json_paths.load(argument)
            )
        except (ValueError, TypeError, RecursionError) as exc:
            self.error = errors.UnreadableValueError(f"json_lookup(): {exc}")
            raise self.error from None
        return int(found)

    def json_value_at(self, document: object, path: object) -> str | None:
        if document is None:
            return None
        try:
            found = json_paths.value_at(json_paths.load_plain(document), json_paths.load(path))
        except (ValueError, TypeError, RecursionError) as exc:
            self.error = errors.UnreadableValueError(f"json_value_at(): {exc}")
            raise self.error from None
        return None if found is json_paths.MISSING else dumps(found)

    def shift(self, moment: object, micros: object, sign: object) -> str | None:
        try:
            return sqlite_moments.shift(moment, micros, sign)
        except errors.DatabaseError as exc:
            self.error = exc
            raise

    def between(self, a: object, b: object) -> int | None:
        try:
            return sqlite_moments.between(a, b)
        except errors.DatabaseError as exc:
            self.error = exc
            raise

    def refuse(self, message: object) -> None:
        """``ferrule_refuse(message)``: a ``DataError`` where a statement has no exact answer
        for a row (``orm.frames``: a RANGE offset past the ends of a 64-bit int)."""
        self.error = errors.DataError(str(message))
        raise self.error

    def take_error(self, exc: BaseException) -> errors.DatabaseError | None:
        """The error one of our functions raised, if ``exc`` is SQLite's report of it."""
        error, self.error = self.error, None
        return error if str(exc) in _FUNCTION_FAILED else None


def _as_text(value: object, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise errors.ProgrammingError(f"regexp() matches text: the {what} is a blob")


@functools.lru_cache(maxsize=256)
def _compiled_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        raise errors.ProgrammingError(f"invalid regular expression {pattern!r}: {exc}") from None


#: the code points whose str.lower() is not their one-code-point lower case
_CONTEXTUAL = frozenset("\u03a3\u0130")  # Σ (final ς in context), İ (i + combining dot)


def unicode_lower(value: Any) -> Any:
    """Each code point of a str lowered on its own (the module docstring); other values as
    they are."""
    if type(value) is not str:
        if not isinstance(value, str):
            return value
        value = str.__str__(value)
    if _CONTEXTUAL.isdisjoint(value):
        return value.lower()
    return "".join("i" if ch == "\u0130" else ch.lower() for ch in value)


def register_like(raw: Any) -> None:
    """A case-sensitive ``like()`` in Python, answering as SQLite's own with the pragma on (for
    a build without ``PRAGMA case_sensitive_like``)."""
    raw.create_function("like", 2, _like_unescaped, deterministic=True)
    raw.create_function("like", 3, _like_escaped, deterministic=True)


def _like_unescaped(pattern: object, value: object) -> bool | None:
    return _like(pattern, value, None)


def _like_escaped(pattern: object, value: object, escape: object) -> bool | None:
    if escape is None:
        return None
    escape = _like_text(escape)
    if len(escape) != 1:
        raise ValueError("ESCAPE expression must be a single character")
    return _like(pattern, value, escape)


def _like(pattern: object, value: object, escape: str | None) -> bool | None:
    if pattern is None or value is None:
        return None
    regex = _like_regex(_like_text(pattern), escape)
    return regex is not None and regex.fullmatch(_like_text(value)) is not None


def _like_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


@functools.lru_cache(maxsize=256)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str] | None:
    """The pattern as a regular expression; None when it ends with the escape (no match)."""
    parts = []
    chars = iter(pattern)
    for ch in chars:  # in SQLite's order: "%" before the escape, the escape before "_"
        if ch == "%":
            parts.append(".*")
        elif ch == escape:
            escaped = next(chars, None)
            if escaped is None:
                return None
            parts.append(re.escape(escaped))
        elif ch == "_":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.DOTALL)


#: places a mean of decimals keeps beyond their scale (MariaDB's ``div_precision_increment``)
MEAN_PLACES = 4


def decimal_mean(total: object, count: object, scale: object) -> float | None:
    """The mean (the module docstring), computed in integers: exact whatever the size."""
    if total is None or not count:
        return None
    if type(total) is not int or type(count) is not int or type(scale) is not int:
        raise errors.ProgrammingError("decimal_mean() takes an integer total, count and scale")
    units, rest = divmod(abs(total) * 10**MEAN_PLACES, count)
    if 2 * rest >= count:
        units += 1
    return float(decimal.Decimal(units if total >= 0 else -units).scaleb(-scale - MEAN_PLACES))


def prepare_connection(raw: Any) -> SQLFunctions:
    """Set up a ``sqlite3`` connection for ferrule's SQL: LIKE case-sensitive, ``regexp()``
    registered (the module docstring says how)."""
    raw.execute("PRAGMA case_sensitive_like = ON")
    if raw.execute("SELECT 'a' LIKE 'A'").fetchone()[0]:  # the pragma is not in this build
        register_like(raw)
    functions = SQLFunctions()
    raw.create_function("regexp", 2, functions.regexp, deterministic=True)
    raw.create_function("regexp", 3, functions.regexp, deterministic=True)
    raw.create_function("unicode_lower", 1, unicode_lower, deterministic=True)
    raw.create_function("ferrule_like", 3, _like_escaped, deterministic=True)  # NULs too
    raw.create_function("json_canonical", 1, functions.json_canonical, deterministic=True)
    sqlite_exact.register(raw, functions)  # the ferrule_<name> functions of orm.functions
    raw.create_function("decimal_mean", 3, decimal_mean, deterministic=True)
    raw.create_function("json_lookup", 4, functions.json_lookup, deterministic=True)
    raw.create_function("json_value_at", 2, functions.json_value_at, deterministic=True)
    raw.create_function("ferrule_shift", 3, functions.shift, deterministic=True)
    raw.create_function("ferrule_between", 2, functions.between, deterministic=True)
    raw.create_function("ferrule_refuse", 1, functions.refuse, deterministic=True)
    return functions
