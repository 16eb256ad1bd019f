"""MariaDB's upsert, made to answer only for its own key.

``INSERT ... ON DUPLICATE KEY UPDATE`` has no conflict target: it answers a clash of *any*
unique key, so ``bulk_create(rows, on_conflict=("update", ["n"]))`` about ``code`` updated the
row holding a given primary key (another row's), where PostgreSQL's and SQLite's
``ON CONFLICT (code)`` raise an ``IntegrityError``. Each value set is guarded: it is written
only when the row met has the new row's value in every target column (``<=>``, NULL-safe);
otherwise the row met is another, and the statement is made to fail (a scalar subquery of two
rows, evaluated only then: MariaDB error 1242), which ``key_clash`` turns into an
``IntegrityError``: nothing of the statement is written. A row that clashes on the target
with one row and on another key with a second row is refused too (MariaDB does not say which
it met), where PostgreSQL and SQLite update the row of the target."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.errors import IntegrityError, OperationalError

__all__ = ["guarded_sets", "key_clash"]

_FAIL = "(SELECT 1 UNION ALL SELECT 2)"  # only evaluated when reached (a CASE branch)
_FAILED = "Subquery returns more than 1 row"


def guarded_sets(targets: list[str], sets: dict[str, Any]) -> dict[str, Any]:
    """``sets`` (column -> value) written only where the row met holds the new row's key."""
    same = sql.and_(*(sql.raw("? <=> ?", sql.column(t), sql.excluded(t)) for t in targets))
    return {column: sql.case((same, value), else_=sql.raw(_FAIL)) for column, value in sets.items()}


def key_clash(exc: OperationalError, model: str, targets: list[str]) -> IntegrityError | None:
    """The guard's failure (``exc``) as the IntegrityError PostgreSQL and SQLite raise; None
    for any other error."""
    if _FAILED not in str(exc):
        return None
    return IntegrityError(
        f"{model}: a row clashes with an existing row on a unique key other than the upsert's"
        f" ({', '.join(targets)}): nothing was written"
    )
