"""The backend protocol: what ``Database`` and ``Pool`` need from one driver connection.

A backend module (``sqlite``, ``postgres``, ``mysql``) provides a ``Backend`` (opens connections,
knows its dialect and capabilities) and a ``Connection`` (runs one statement at a time in the
backend's native placeholder style, and raises only ``ferrule.errors`` exceptions, with the
driver's exception chained). Everything shared — pooling, transactions as context
managers, savepoint naming, hooks, query compilation — lives above this line, in ``pool.py`` and
``database.py``.

Rows are tuple-like: ``tuple`` on SQLite and MySQL, ``asyncpg.Record`` on PostgreSQL (indexable,
iterable, ``==`` to the equal tuple, and ``row["name"]``). ``fetch_all`` returns ``Rows``, a list
that also carries the column names.

Column types map to the same Python types on every backend:

    ==============  ========================  =====================  =======================
    Python          SQLite declared type      PostgreSQL             MariaDB/MySQL
    ==============  ========================  =====================  =======================
    int             INTEGER / BIGINT          integer / bigint       INT / BIGINT
    float           REAL / DOUBLE             double precision       DOUBLE
    Decimal         DECIMAL(p, s) / NUMERIC   numeric(p, s)          DECIMAL(p, s)
    str             TEXT / VARCHAR            text / varchar         VARCHAR / TEXT
    bytes           BLOB                      bytea                  BLOB / VARBINARY
    bool            BOOLEAN                   boolean                BOOLEAN (TINYINT(1))
    datetime        TIMESTAMP / DATETIME      timestamp              DATETIME(6)
    datetime (tz)   TIMESTAMPTZ               timestamptz            -- capability tz_datetime
    date            DATE                      date                   DATE
    time            TIME                      time                   TIME(6)
    UUID            UUID                      uuid                   -- capability uuid_type
    JSON value      JSON                      json / jsonb           -- capability json_type
    ==============  ========================  =====================  =======================

Where MariaDB has no distinguishing column type (``--``) the value comes back as ``str`` (UUID,
JSON) or as a naive ``datetime``; the capability flag names the gap so tests skip it by name.
SQLite gives ``DECIMAL`` columns numeric affinity: a value with a fraction is stored as a double,
so it comes back as the ``Decimal`` of that double's shortest repr (exact up to 15 digits).
MariaDB ``TIME`` values outside one day (durations) stay ``timedelta``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any, Protocol

from ferrule import errors

__all__ = [
    "ISOLATION_LEVELS",
    "Backend",
    "Connection",
    "Row",
    "Rows",
    "TransactionControl",
    "normalize_isolation",
]

#: A row: ``tuple`` or ``asyncpg.Record``; both index, iterate and compare like tuples.
Row = Sequence[Any]

ISOLATION_LEVELS = ("read_uncommitted", "read_committed", "repeatable_read", "serializable")


def normalize_isolation(level: str | None) -> str | None:
    """``"READ COMMITTED"``, ``"read-committed"`` and ``"read_committed"`` are one level."""
    if level is None:
        return None
    key = level.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in ISOLATION_LEVELS:
        raise errors.ConfigurationError(
            f"unknown isolation level {level!r}: expected one of {', '.join(ISOLATION_LEVELS)}"
        )
    return key


class Rows(list[Any]):
    """The rows of one result, plus ``columns`` (the column names, in order)."""

    __slots__ = ("columns",)

    def __init__(self, rows: Iterable[Any] = (), columns: Sequence[str] = ()) -> None:
        super().__init__(rows)
        self.columns: tuple[str, ...] = tuple(columns)

    def mappings(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` dicts (slower than tuples; for convenience)."""
        names = self.columns
        return [dict(zip(names, row, strict=True)) for row in self]


class TransactionControl:
    """COMMIT, ROLLBACK and savepoints as plain statements, run through each backend's
    ``_simple`` (which also translates driver errors).

    A connection lost after COMMIT was sent leaves the outcome unknown: the server may have
    committed before it went away. That is ``CommitUnknownError``, never a plain
    ``ConnectionError``, which says the transaction did not commit."""

    async def _simple(self, sql: str) -> None:
        raise NotImplementedError

    def is_closed(self) -> bool:
        raise NotImplementedError

    async def commit(self) -> None:
        if self.is_closed():  # known before sending: the server rolled the transaction back
            raise errors.ConnectionError("the connection was lost before COMMIT: not committed")
        try:
            await self._simple("COMMIT")
        except errors.ConnectionError as exc:
            raise errors.CommitUnknownError(
                f"the connection was lost after COMMIT was sent; the transaction may or may "
                f"not have committed ({exc})"
            ) from exc

    async def rollback(self) -> None:
        await self._simple("ROLLBACK")

    async def savepoint(self, name: str) -> None:
        await self._simple(f"SAVEPOINT {name}")

    async def release_savepoint(self, name: str) -> None:
        await self._simple(f"RELEASE SAVEPOINT {name}")

    async def rollback_to_savepoint(self, name: str) -> None:
        await self._simple(f"ROLLBACK TO SAVEPOINT {name}")


class Connection(Protocol):
    """One driver connection. Never shared by two tasks at once (the pool guarantees it)."""

    created_at: float  # time.monotonic() when opened
    last_used: float  # time.monotonic() when last released

    @property
    def in_transaction(self) -> bool: ...

    def is_closed(self) -> bool: ...

    async def execute(self, sql: str, params: Sequence[Any]) -> int: ...

    async def fetch_all(self, sql: str, params: Sequence[Any]) -> Rows: ...

    async def fetch_one(self, sql: str, params: Sequence[Any]) -> Row | None: ...

    async def fetch_val(self, sql: str, params: Sequence[Any]) -> Any: ...

    def iterate(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncIterator[Row]: ...

    async def execute_many(self, sql: str, params: Iterable[Sequence[Any]]) -> None: ...

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int: ...

    async def begin(self, isolation: str | None, readonly: bool) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def savepoint(self, name: str) -> None: ...

    async def release_savepoint(self, name: str) -> None: ...

    async def rollback_to_savepoint(self, name: str) -> None: ...

    async def ping(self) -> None:
        """Raise ``ConnectionError`` if the server no longer answers."""

    async def reset(self) -> bool:
        """Make the connection clean for the next user (finish interrupted work, roll back).

        Returns ``False`` when that is impossible and the connection must be closed instead."""

    async def close(self) -> None: ...

    def terminate(self) -> None:
        """Close at once without talking to the server (used when it is gone)."""

    def statement_cache_stats(self) -> dict[str, Any]: ...


class Backend(Protocol):
    """Opens connections for one URL and knows what its dialect can do."""

    dialect: str
    #: Named capabilities, e.g. ``{"returning", "json_type", "copy"}``; tests skip by name.
    capabilities: frozenset[str]

    async def connect(self) -> Connection: ...

    def is_disconnect(self, exc: BaseException) -> bool:
        """Whether ``exc`` means the connection is unusable and must be dropped."""

    def stats(self) -> dict[str, Any]:
        """Backend counters, e.g. SQLite's ``offloaded`` (statements moved to a worker)."""

    async def aclose(self) -> None:
        """Release backend-wide resources (worker threads) once the pool is closed."""
