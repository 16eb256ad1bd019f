"""The key SQLite gave a row just inserted, read without ``RETURNING``.

``INSERT ... RETURNING id`` makes SQLite collect the returned row in a temporary table before
it hands it over: a one-row insert into an indexed table ran at about half the rate of the
same insert read back by ``sqlite3_last_insert_rowid`` (the module's ``cursor.lastrowid``).
That rowid is the row's key only when the key is the table's ``INTEGER PRIMARY KEY`` (an
alias of the rowid), which a table made elsewhere need not have (``INT PRIMARY KEY`` is not
one, nor any key of a ``WITHOUT ROWID`` table). So the table is looked at first, and again
after every insert whose compiled statement is not the one last looked at (SQLite compiles
a statement again before it runs against a changed schema, and the native runner says so);
where the key is not the rowid, ``RETURNING`` is used, and a row inserted meanwhile has its
key read by its rowid.

Only inside a transaction: there the table looked at is the table written (another
connection cannot change it until the transaction ends, or the insert fails), and reading
the schema cannot find the database busy. Nothing here awaits once the insert ran, so a
cancellation cannot come between the row and its key. Only the native runner reads the
rowid; elsewhere, and outside transactions, ``RETURNING`` runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ferrule import errors
from ferrule.backends.sqlite_module import sqlite3
from ferrule.backends.sqlite_session import quote

__all__ = ["fetch_key"]


async def fetch_key(
    conn: Any, sql: str, params: Sequence[Any], returning: str, table: str, column: str
) -> list[Any]:
    """``[(key,)]`` of the one row ``sql`` (an ``INSERT`` without ``RETURNING``) inserted
    into ``table``, whose key is ``column``: what ``returning`` (the same insert, ``RETURNING``
    the key) would give, no row when nothing was inserted."""
    native = conn._native
    known = conn._keys.get(sql)
    got = None
    if (
        known is not False
        and native is not None
        and not conn._closed
        and conn._pending is None
        and conn._raw.in_transaction
        and (known is not None or _first_look(conn, sql, table, column))
    ):
        got = conn._native_on_loop(native.insert, sql, params)
    if type(got) is not tuple:  # RETURNING: not here, or the module or a worker must run it
        rows: list[Any] = await conn.fetch_tuples(returning, params)  # (nothing ran yet)
        return rows
    count, rowid, version = got
    if count != 1:
        return []
    if version == known:
        return [(rowid,)]
    return _checked_key(conn, sql, table, column, rowid, version)


def _first_look(conn: Any, sql: str, table: str, column: str) -> bool:
    """Before the first insert of ``sql`` on this connection: whether its table is keyed by
    the rowid (when not, ``sql`` is remembered as not, and ``RETURNING`` runs)."""
    try:
        keyed = _rowid_is_key(conn._raw, table, column)
    except sqlite3.Error:  # the schema unreadable now: the insert says why, if it fails
        return False
    if not keyed:
        conn._keys[sql] = False
    return keyed


def _checked_key(
    conn: Any, sql: str, table: str, column: str, rowid: int, version: Any
) -> list[Any]:
    """The key of the row ``rowid`` just inserted by a statement compiled as ``version``,
    which was not looked at: the table as it is now says whether the rowid is the key."""
    raw = conn._raw
    try:
        if _rowid_is_key(raw, table, column):
            conn._keys[sql] = version
            return [(rowid,)]
        conn._keys[sql] = False
        rows = raw.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE rowid = ?", (rowid,)
        ).fetchall()
    except sqlite3.Error as exc:
        raise conn._error(exc) from exc
    if len(rows) != 1:
        raise errors.InterfaceError(
            f"{table}: the row just inserted cannot be found by its rowid to read its key"
        )
    return list(rows)


def _rowid_is_key(raw: Any, table: str, column: str) -> bool:
    """Whether ``column`` is ``table``'s ``INTEGER PRIMARY KEY``: the only key column, of
    that declared type, and no index made for the key (SQLite makes one for any other key,
    and for every key of a ``WITHOUT ROWID`` table, ``INTEGER PRIMARY KEY DESC`` included)."""
    if "." in table:  # a table of another schema: the general path
        return False
    columns = raw.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    keys = [row for row in columns if row[5]]
    if len(keys) != 1 or keys[0][1] != column or str(keys[0][2]).upper() != "INTEGER":
        return False
    indexes = raw.execute(f"PRAGMA index_list({quote(table)})").fetchall()
    return not any(row[3] == "pk" for row in indexes)
