"""SQLite's errors as ferrule's: the ``sqlite3`` module reports most failures as
``OperationalError`` with SQLite's fixed message text, which tells apart what the servers
report by SQLSTATE class (a statement that does not compile, a lock, a value out of range,
a write in a read-only transaction)."""

from __future__ import annotations

import re

from ferrule import errors
from ferrule.backends.params import encoding_error
from ferrule.backends.sqlite_limits import explained
from ferrule.backends.sqlite_module import sqlite3
from ferrule.sql.type_checks import TYPE_CHECK_PREFIX

__all__ = ["is_busy", "translate"]

_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED (primary codes)
_SQLITE_AUTH = 23  # raised only by _deny_writes
_SQLITE_ERROR = 1
#: SQLite's messages for a statement that does not compile (PostgreSQL's SQLSTATE class 42).
_DOES_NOT_COMPILE = re.compile(
    r"no such (table|column|function|index|view|collation|module)"
    r"|near \".*\": syntax error|incomplete input|unrecognized token|.* syntax error"
    r"|(table|index|view|trigger) .* already exists|there is already another table"
    r"|ambiguous column name|duplicate column name|table .* has no column named"
    r"|table .* has \d+ columns but \d+ values were supplied|\d+ values for \d+ columns"
    r"|wrong number of arguments to function|misuse of (aggregate|window) function"
    r"|no tables specified|sub-select returns \d+ columns"
)


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    text = str(exc)
    return "locked" in text or "busy" in text


def translate(exc: Exception, sql: str | None = None) -> errors.DatabaseError:
    """The ferrule error for a ``sqlite3`` error. SQLite reports every statement that does not
    compile (syntax, unknown table or column, ...) as ``SQLITE_ERROR``, the code it also uses
    for some run-time failures: its message, fixed text in SQLite's sources, tells them apart.
    ``sql``, when known, is the statement: a parser limit says where it was met."""
    message = str(exc)
    if isinstance(exc, errors.UnreadableValueError):  # a column converter's (sqlite_types)
        return errors.UnreadableValueError(message, exc.column)
    if isinstance(exc, UnicodeError):  # a lone surrogate, in the SQL text or a parameter
        return encoding_error(exc)
    if isinstance(exc, sqlite3.Warning) and "SQL is of wrong type" in message:
        # Python 3.10's report of SQL text with no UTF-8 form: only a lone surrogate has none
        return errors.InterfaceError(
            "the SQL text contains a lone surrogate and cannot be sent to the database: text"
            " must be valid Unicode (no surrogates)"
        )
    if isinstance(exc, sqlite3.IntegrityError):
        # "UNIQUE constraint failed: t.a" names the columns; a named CHECK gives its name.
        detail = message.partition(": ")[2] or None
        if detail is not None and detail.startswith(TYPE_CHECK_PREFIX):
            column = detail.removeprefix(TYPE_CHECK_PREFIX)
            return errors.DataError(
                f"{message}: a value does not fit the type of column {column!r} (out of its"
                " range, or text longer than its length), as PostgreSQL and MariaDB refuse it"
            )
        return errors.IntegrityError(message, detail)
    if getattr(exc, "sqlite_errorcode", None) == _SQLITE_AUTH or message == "not authorized":
        return errors.TransactionError(f"a write inside transaction(readonly=True): {message}")
    if "null character" in message:  # sqlite3.ProgrammingError (ValueError before 3.11)
        return errors.InterfaceError(
            "the SQL text contains a NUL character, which SQLite cannot parse: pass the value"
            " as a parameter"
        )
    if message == "string or blob too big":  # SQLITE_TOOBIG; also a function's OverflowError
        return errors.DataError(message)
    if isinstance(exc, OverflowError):  # an int beyond 64 bits, refused by the sqlite3 module
        return errors.DataError(f"a parameter cannot be sent to SQLite: {message}")
    if isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError):
        if "closed" in message:
            return errors.InterfaceError(message)
        if message.startswith("Incorrect number of bindings"):
            return errors.ArgumentError(message)
        if message.startswith("Error binding parameter"):  # a type sqlite3 cannot bind
            return errors.InterfaceError(message)
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", _SQLITE_ERROR)  # Python 3.11+
        if code == _SQLITE_ERROR and _DOES_NOT_COMPILE.match(message):
            return errors.ProgrammingError(message)
        if message == "integer overflow":  # sum() or abs() past 64 bits
            return errors.DataError(message)
        return errors.OperationalError(explained(message, sql) or message)
    return errors.DatabaseError(message)


# --- connection --------------------------------------------------------------------------------
