"""PostgreSQL: a key given to a generated key column moves the column's sequence past it.

MariaDB's ``AUTO_INCREMENT`` and SQLite's ``AUTOINCREMENT`` go on after the largest key a
row was given (``create(id=10)``, then ``create()`` is 11); a PostgreSQL identity (or
``serial``) column's sequence knows nothing of given keys, so ``create(id=1)`` then
``create()`` took 1 again there alone, an ``IntegrityError``. After an insert that gave
keys, ferrule sets the sequence to the largest of them when that is past its last value
(never back), so the next generated key follows it as on the other two.

``setval`` is not transactional: a rolled-back insert leaves the sequence moved on (a gap,
as a rolled-back ``nextval`` does). Where the user may not change the sequence (no
``UPDATE`` right), it is left as it is. Two sessions giving keys past the sequence at the
same instant may each compare before either sets it, and the smaller may win."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["follow_given_keys"]

#: the sequence of key column $2 of table $1 (quoted, as ``INSERT`` names it) set to $3
#: when that is past what it gave (or, never used, below where it starts)
_FOLLOW = """\
SELECT setval(seq, $3::bigint)
FROM (SELECT pg_get_serial_sequence($1::text, $2::text)::regclass AS seq OFFSET 0) k
WHERE seq IS NOT NULL AND has_sequence_privilege(seq, 'UPDATE')
  AND $3::bigint > COALESCE(
    pg_sequence_last_value(seq), (SELECT seqstart - 1 FROM pg_sequence WHERE seqrelid = seq))"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table(table: str) -> str:
    schema, _, name = table.rpartition(".")
    return f"{_quoted(schema)}.{_quoted(name)}" if schema else _quoted(name)


async def follow_given_keys(db: Any, model: Any, keys: Iterable[Any]) -> None:
    """After ``model`` rows were inserted with ``keys`` given for its generated key: on
    PostgreSQL, its sequence moved to the largest, if past it (the module docstring)."""
    pk = model._meta.pk
    if db.dialect != "postgres" or not pk.identity:
        return
    top = _largest(keys)
    if top is not None:
        await db.fetch_val(_FOLLOW, [_table(model._meta.table), pk.column, top])


def _largest(keys: Iterable[Any]) -> int | None:
    """The largest int among ``keys`` (None and bools are not keys given), or None. The
    common case first: all of them plain ints (a bulk insert's 50,000 keys: one ``max``)."""
    keys = list(keys)
    if None not in keys:
        try:
            top = max(keys, default=None)
        except TypeError:  # kinds that do not compare with an int
            top = None
        if type(top) is int:
            return top
    given = [k for k in keys if isinstance(k, int) and not isinstance(k, bool)]
    return max(given) if given else None
