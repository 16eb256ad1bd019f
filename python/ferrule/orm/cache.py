"""The opt-in query cache: ``QuerySet.cached(ttl=...)`` or ``class Meta: cache = ttl``.

An LRU of result rows by (database, SQL, parameters), each entry living ``ttl`` seconds,
dropped whenever ferrule writes to a table the query reads. Rows are kept, not instances:
every hit builds fresh instances, so callers never share mutable objects. Writes made outside
ferrule (another process, raw SQL through ``db.execute``) are not seen: use it for data that
changes through the ORM."""

from __future__ import annotations

import datetime as dt
import decimal
import time
import uuid
from collections import OrderedDict
from typing import Any

__all__ = ["KEY_TYPES", "QueryCache", "invalidate", "query_cache"]

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


class QueryCache:
    def __init__(self, max_entries: int = 1024) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, frozenset[str], Any]] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0

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

    def put(self, key: tuple[Any, ...], tables: frozenset[str], ttl: float, value: Any) -> None:
        self._entries[key] = (time.monotonic() + ttl, tables, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def drop_table(self, table: str) -> None:
        for key in [k for k, v in self._entries.items() if table in v[1]]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


query_cache = QueryCache()


def invalidate(model: Any) -> None:
    """Forget cached results of ``model``'s table (called on every ORM write to it)."""
    if query_cache._entries:
        query_cache.drop_table(model._meta.table)
