"""The database models use when a query names none: the first one opened (again after it is
closed), or the one ``set_default`` chose. Kept here, below the ORM, so that ``connect`` can
record it without importing the ORM."""

from __future__ import annotations

from typing import Any

__all__ = ["default_database", "opened", "set_default"]

_chosen: list[Any] = []  # [Database] or []: the explicit choice
_first: list[Any] = []  # [Database] or []: the first opened, while open


def opened(db: Any) -> None:
    """``connect`` calls this: the first open database becomes the default."""
    if not _first or _first[0]._closed:
        _first[:] = [db]


def set_default(db: Any) -> None:
    """Make ``db`` the default database of every model (``None`` goes back to the first
    one opened)."""
    _chosen[:] = [] if db is None else [db]


def default_database() -> Any:
    """The default database, or None when none is open (asked by every ORM call that names
    none: the two places are read in turn, without a loop)."""
    if _chosen:
        db = _chosen[0]
        if not db._closed:
            return db
    if _first:
        db = _first[0]
        if not db._closed:
            return db
    return None
