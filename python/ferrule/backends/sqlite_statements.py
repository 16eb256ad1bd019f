"""What a SQLite statement does, as the connection (``backends.sqlite``) asks it: whether it
only reads (a read interrupted on the loop thread is run again in a worker; a write is not),
and the authorizer of a read-only transaction."""

from __future__ import annotations

import re

from ferrule.backends.base import remembered
from ferrule.backends.sqlite_module import sqlite3

__all__ = ["deny_writes", "readonly", "reads_only"]

# What transaction(readonly=True) refuses, at prepare time, with SQLITE_AUTH (which nothing else
# on ferrule's connections raises: so it becomes a TransactionError, as a write in a read-only
# transaction is on PostgreSQL and MySQL). PRAGMA query_only stays on as the backstop.
_WRITE_ACTIONS = frozenset(
    code
    for name, code in vars(sqlite3).items()
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
) | {
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_REINDEX,
    sqlite3.SQLITE_ANALYZE,
}


def deny_writes(action: int, *_: object) -> int:
    return sqlite3.SQLITE_DENY if action in _WRITE_ACTIONS else sqlite3.SQLITE_OK


def reads_only(sql: str) -> bool:
    """Whether a statement only reads (so interrupting and re-running it is harmless)."""
    text = sql.lstrip().upper()
    if text.startswith(("SELECT", "VALUES", "EXPLAIN")):
        return True
    if text.startswith("WITH"):
        return not re.search(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", text)
    return False


readonly = remembered(reads_only)
