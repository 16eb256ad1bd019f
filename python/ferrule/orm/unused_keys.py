"""A value of a NOT NULL key column that names none of the rows a delete removes: what
``cascades._release`` writes into the restricting keys of rows that restrict each other in a
cycle (SQLite and MariaDB check a RESTRICT row by row, and a cycle's first row would be
refused), so that their ``DELETE`` meets no key naming them.

The value must differ from every key as the database holds it, not only in Python: a step
of the key's own unit (an integer, a day, the last decimal place of the column) from the
lowest key is a different value as stored (SQLite keeps dates as text and decimals as
numbers, MariaDB decimals at their column's places), where a microsecond or a place past
the column's would be stored as an existing key. Dates, datetimes and decimals had none
(only integers, text and UUIDs did): the delete was the database's IntegrityError on
SQLite and MariaDB, which PostgreSQL and Django delete."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import uuid
from typing import Any

from ferrule.errors import FerruleError
from ferrule.orm.fields import Relation

__all__ = ["unused"]


def unused(relation: Relation, keys: list[Any]) -> Any:
    """A value of ``relation``'s key column none of ``keys`` (its target's primary keys) is,
    of the column's type; None when there is none to be found."""
    kinds = {type(k) for k in keys}
    if kinds == {str}:  # the empty text or a one-character text (code points compare alike)
        taken = set(keys)
        longer = ("~" * n for n in itertools.count(2))  # (past 55,000 one-character keys)
        texts = itertools.chain([""], map(chr, range(0x21, 0xD800)), longer)
        return next(t for t in texts if t not in taken)
    if kinds == {uuid.UUID}:  # the lowest UUID none of them is
        taken = set(keys)
        return next(u for u in map(_uuid_of, itertools.count()) if u not in taken)
    target = relation.target
    column = target._meta.pk
    if kinds == {int}:
        bounds = column.int_range(target.__name__)
        if bounds is None:
            return None
        low, high = min(keys) - 1, max(keys) + 1
        return low if low >= bounds[0] else high if high <= bounds[1] else None
    step = _step(column, kinds)
    if step is None:
        return None
    return _stepped(column, target.__name__, keys, step)


def _uuid_of(number: int) -> uuid.UUID:
    return uuid.UUID(int=number)


def _step(column: Any, kinds: set[type]) -> Any:
    """The unit of a date, datetime or decimal key column whose keys are all of that type:
    a day (a datetime's too: a stored time of lower precision keeps it apart), the
    column's last decimal place; else None."""
    name = column.logical.name
    if kinds == {dt.date} and name == "date":
        return dt.timedelta(days=1)
    if kinds == {dt.datetime} and name in ("datetime", "datetime_tz"):
        return dt.timedelta(days=1)
    if kinds == {decimal.Decimal} and name == "decimal":
        return decimal.Decimal(1).scaleb(-(column.logical.scale or 0))
    return None


def _stepped(column: Any, model: str, keys: list[Any], step: Any) -> Any:
    """The first of lowest + step, lowest + 2 steps, ... (between the keys, a value the
    column holds) that none of ``keys`` is, else lowest - step, highest + step; one the
    column takes (its range, its digits), else None."""
    taken = set(keys)
    low, high = min(keys), max(keys)
    for base, times in [*((low, n) for n in range(1, len(keys) + 1)), (low, -1), (high, 1)]:
        try:
            value = base + step * times
        except OverflowError:  # past date.max or before date.min
            continue
        if value in taken:
            continue
        try:
            column.check_written(value, model)
        except FerruleError:
            continue
        return value
    return None
