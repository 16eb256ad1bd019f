"""The opt-in query cache: ``QuerySet.cached(ttl=...)`` or ``class Meta: cache = ttl``.

An LRU of result rows by (database, SQL, parameters), each entry living ``ttl`` seconds,
dropped whenever ferrule writes to a table the query reads. Rows are kept, not instances:
every hit builds fresh instances, so callers never share mutable objects. Writes made outside
ferrule (another process, raw SQL through ``db.execute``) are not seen: use it for data that
changes through the ORM.

Only committed data is kept. Inside a transaction the cache is passed by (the transaction may
see its own uncommitted writes, or an older snapshot); a table written by an open transaction
takes no new entries until that transaction ends, when its entries are dropped again (other
tasks read the state before the commit meanwhile)."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import math
import time
import uuid
from collections import OrderedDict
from typing import Any

__all__ = [
    "KEY_TYPES",
    "QueryCache",
    "holds_mutable",
    "invalidate",
    "is_ttl",
    "query_cache",
    "tables_read",
    "ttl_seconds",
    "unshared",
]

#: the parameter types a key may hold, each tagged with its type (1, 1.0 and True are equal
#: keys otherwise): equal values of one of these give equal answers. A query with any other
#: parameter runs uncached, since that value's own __eq__/__hash__ would decide a hit.
KEY_TYPES = frozenset(
    {
        type(None),
        bool,
        int,
        float,
        str,
        bytes,
        decimal.Decimal,
        dt.date,
        dt.datetime,
        dt.time,
        dt.timedelta,
        uuid.UUID,
    }
)


def tables_read(node: tuple[Any, ...]) -> frozenset[str]:
    """Every table a statement's node tree names: its FROM and joins, and those of its
    subqueries (``filter(author__in=Author.filter(...))``), link tables included."""
    found = set()
    stack: list[Any] = [node]
    while stack:  # a loop, not recursion: the depth of a tree is not ours to trust
        item = tuple.__iter__(stack.pop())  # the tuple itself, whatever a subclass says
        parts = list(item)
        if (
            len(parts) == 4
            and type(parts[0]) is str
            and parts[0] == "table"
            and type(parts[1]) is str
        ):
            found.add(parts[1])
            continue
        stack.extend(x for x in parts if isinstance(x, tuple))
    return frozenset(found)


_MUTABLE = (list, dict)


def holds_mutable(rows: Any) -> bool:
    """Whether a cell of ``rows`` is a mutable value (a JSON list or dict the driver decoded),
    which each caller must get a copy of (`unshared`)."""
    return any(type(cell) in _MUTABLE for row in rows for cell in row)


def unshared(rows: Any) -> list[Any]:
    """``rows`` with each list or dict cell deep-copied: the caller's own, never the entry's."""
    return [
        tuple(copy.deepcopy(cell) if type(cell) in _MUTABLE else cell for cell in row)
        for row in rows
    ]


class QueryCache:
    def __init__(self, max_entries: int = 1024) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, frozenset[str], Any]] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0
        #: table -> how many open transactions wrote it (no entries for it meanwhile)
        self._writing: dict[str, int] = {}
        #: table -> how many times it was written (and its entries dropped): a read that
        #: began before a write and ends after it keeps no entry (``version``, ``put``)
        self._versions: dict[str, int] = {}

    def version(self, tables: frozenset[str]) -> int:
        """A number that grows whenever one of ``tables`` is written."""
        versions = self._versions
        return sum(versions.get(table, 0) for table in tables)

    def get(self, key: tuple[Any, ...]) -> Any:
        found = self._entries.get(key)
        if found is None or found[0] < time.monotonic():
            if found is not None:
                del self._entries[key]
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[2]

    def put(
        self,
        key: tuple[Any, ...],
        tables: frozenset[str],
        ttl: float,
        value: Any,
        version: int | None = None,
    ) -> None:
        """Keep ``value``, read from ``tables`` when their ``version`` was this (unless a
        write came between: the read may have seen the rows before it)."""
        if self._writing and not self._writing.keys().isdisjoint(tables):
            return  # read while a transaction that wrote one of them is open
        if version is not None and version != self.version(tables):
            return  # written while the read was on its way
        self._entries[key] = (time.monotonic() + ttl, tables, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def drop_table(self, table: str) -> None:
        """Forget ``table``'s entries, and count a write of it (``version``)."""
        versions = self._versions
        versions[table] = versions.get(table, 0) + 1
        if self._entries:
            for key in [k for k, v in self._entries.items() if table in v[1]]:
                del self._entries[key]

    def clear(self) -> None:
        """Drop every entry (open transactions still keep their tables uncached)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


query_cache = QueryCache()


def is_ttl(value: Any) -> bool:
    """Whether ``value`` is a time to live (``ttl_seconds``)."""
    return ttl_seconds(value) is not None


def ttl_seconds(value: Any) -> float | None:
    """``value`` as a time to live, a plain float: a positive, finite number of seconds
    (``nan`` compared false with 0 and was kept for ever), read as the number it holds (a
    subclass's ``__float__`` may say 60 of a NaN, its ``__radd__`` add infinity to the clock);
    None where it is none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        seconds = float.__float__(value) if isinstance(value, float) else float(int.__int__(value))
    except OverflowError:  # an int past the doubles: the clock + it would raise later
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def invalidate(model: Any, db: Any) -> None:
    """Forget cached results of ``model``'s table (called on every ORM write to it through
    ``db``); inside a transaction, keep it uncached until the transaction ends (once per
    table and transaction, however many writes it makes)."""
    table = model._meta.table
    scope = db._binding.get()
    key = (invalidate, table)
    if scope is not None and scope.transaction:  # `at_transaction_end_once`'s first step
        keys = scope.hold.on_end_keys
        if keys is not None and key in keys:
            # A write of this transaction came before: it dropped the table's entries, and
            # none are kept while the transaction is open (`_writing`, `put`); its end drops
            # them again and counts a write (`_uncached_until_end`).
            return
    query_cache.drop_table(table)
    if scope is not None:  # (outside any block: no transaction)
        db.at_transaction_end_once(key, lambda: _uncached_until_end(table))


def _uncached_until_end(table: str) -> Any:
    """Count ``table`` as written by one more open transaction; the callback that, at its end,
    counts it off and drops the entries read meanwhile."""
    writing = query_cache._writing
    writing[table] = writing.get(table, 0) + 1

    def ended() -> None:
        left = writing[table] - 1
        if left:
            writing[table] = left
        else:
            del writing[table]
        query_cache.drop_table(table)

    return ended
