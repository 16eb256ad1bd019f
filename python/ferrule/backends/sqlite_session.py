"""The session state of a SQLite connection: read when it opens, put back by ``reset``.

Session state is the connection's pragmas, its temporary schema and its attached databases
(``backends.sqlite`` says when it is reset). Persistent settings (``journal_mode``,
``user_version``) belong to the database file and are left alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["quote", "read_pragmas", "reset_session"]

#: Per-connection pragmas a statement can change, restored by ``reset`` (those whose reading
#: returns nothing in this SQLite build are skipped). ``case_sensitive_like`` cannot be read:
#: it is probed with ``LIKE``.
_SESSION_PRAGMAS = (
    "analysis_limit", "automatic_index", "busy_timeout", "cache_size", "cache_spill",
    "cell_size_check", "checkpoint_fullfsync", "defer_foreign_keys", "foreign_keys",
    "fullfsync", "ignore_check_constraints", "journal_size_limit", "legacy_alter_table",
    "locking_mode", "mmap_size", "query_only", "read_uncommitted", "recursive_triggers",
    "reverse_unordered_selects", "secure_delete", "synchronous", "temp_store", "threads",
    "trusted_schema", "wal_autocheckpoint", "writable_schema",
)  # fmt: skip


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_pragmas(raw: Any) -> dict[str, str]:
    """The session pragmas of ``raw`` (a ``sqlite3.Connection``), as ``PRAGMA x = value``
    takes them back."""
    values: dict[str, str] = {}
    for name in _SESSION_PRAGMAS:
        row = raw.execute(f"PRAGMA {name}").fetchone()
        if row is not None:
            value = row[0]
            values[name] = str(value) if isinstance(value, int) else quote(str(value))
    like = raw.execute("SELECT 'a' LIKE 'A'").fetchone()[0]
    values["case_sensitive_like"] = "OFF" if like else "ON"
    return values


def reset_session(raw: Any, pragmas: dict[str, str]) -> None:
    """Set the pragmas back, detach every attached database, drop every temporary table,
    view and trigger."""
    for name, value in pragmas.items():
        raw.execute(f"PRAGMA {name} = {value}")
    databases = [row[1] for row in raw.execute("PRAGMA database_list").fetchall()]
    for name in databases:
        if name not in ("main", "temp"):
            raw.execute(f"DETACH DATABASE {quote(name)}")
    if "temp" in databases:  # listed once used; reading it earlier would create it
        temp = raw.execute("SELECT type, name FROM temp.sqlite_master").fetchall()
        for kind in ("trigger", "view", "table"):  # a table's drop takes its indexes
            for found, name in temp:
                if found == kind:
                    raw.execute(f"DROP {kind} IF EXISTS temp.{quote(name)}")
