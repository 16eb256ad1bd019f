"""The backend protocol: what ``Database`` and ``Pool`` need from one driver connection.

A backend module (``sqlite``, ``postgres``, ``mysql``) provides a ``Backend`` (opens connections,
knows its dialect and capabilities) and a ``Connection`` (runs one statement at a time in the
backend's native placeholder style, and raises only ``ferrule.errors`` exceptions, with the
driver's exception chained). Everything shared — pooling, transactions as context
managers, savepoint naming, hooks, query compilation — lives above this line, in ``pool.py``,
``blocks.py`` and ``database.py``.

Rows behave as ``asyncpg.Record`` does on every backend: ``row[0]``, ``row["name"]`` (the last
column of that name; ``KeyError`` if none), ``row.keys()``/``values()``/``items()``/``get()``,
``dict(row)``, ``len``, iteration, unpacking, ``==`` and ``<`` against the equal tuple, the same
hash, and ``"name" in row`` (membership tests column names, as on a ``Record``). PostgreSQL rows
are ``asyncpg.Record`` objects; SQLite and MariaDB rows are ``Record`` here, a ``tuple`` subclass
made once per column list, so they also pickle and have the ``tuple`` methods (a ``Record``
has neither). ``fetch_all`` returns ``Rows``, a list that also carries the column names.

Session state — settings (``SET``, ``set_config``, ``PRAGMA``), user variables, ``LISTEN``,
advisory and named locks, held cursors, ``PREPARE``d statements, temporary tables, attached
databases, ``USE`` — never reaches the next user of a connection. ``changes_session`` scans each
statement's text once (cached); a statement that may change session state marks its connection
(``session_changed``) and the pool resets it on release: PostgreSQL runs what asyncpg's
``Connection.reset`` runs plus ``DISCARD TEMP`` and ``DEALLOCATE`` of SQL-level prepared
statements, MariaDB/MySQL sends ``COM_RESET_CONNECTION`` and re-applies ferrule's settings,
SQLite restores its connection pragmas and drops temporary objects and attachments. Ordinary
reads and writes, in a block or not, never pay for a reset (on PostgreSQL a reset costs about as
much as the transaction it follows). A name that merely looks like state (a column ``temp``)
costs one needless reset, never a leak. The scan cannot see state changed only inside a called
function (``SELECT f()`` where ``f`` runs ``set_config`` or sets a MySQL user variable), nor the
per-session values every write updates (``currval``, ``LAST_INSERT_ID()``), which are only
meaningful on a held connection anyway: for the first, ``reset_session="always"`` (a
``connect`` option) resets on every release, as asyncpg's own pool does.

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

The DDL picks its column types from the logical type table in ``ferrule.sql.types``, which agrees
with this one; where a value must be converted to fit (UUID and JSON as text, an aware datetime as
UTC on MariaDB, a ``timedelta`` as microseconds on SQLite and MariaDB) its ``storage`` says how.

Where MariaDB has no distinguishing column type (``--``) the value comes back as ``str`` (UUID,
JSON) or as a naive ``datetime``; the capability flag names the gap so tests skip it by name.
SQLite gives ``DECIMAL`` columns numeric affinity: a value with a fraction is stored as a double,
so a ``Decimal`` with more than 15 significant digits (that a double cannot hold) is refused
with ``InterfaceError`` rather than rounded; integral ones that fit 64 bits are stored exactly.
MariaDB ``TIME`` values outside one day (durations) stay ``timedelta``. A ``dict`` or ``list``
parameter is sent as JSON on every backend. A ``time`` with a UTC offset keeps it where the
column can (SQLite ``TIME``, PostgreSQL ``timetz``) and is refused with ``InterfaceError`` where
it cannot (PostgreSQL ``time``, MariaDB ``TIME``), never silently dropped. Dates and datetimes
are stored as they are on every backend, Python's ends too (``date.max`` is 9999-12-31, never
PostgreSQL's ``infinity``); a stored value with no Python form (PostgreSQL's ``±infinity``, a
year beyond 9999) is ``UnreadableValueError`` naming the column.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, Protocol

from ferrule import errors

__all__ = [
    "ISOLATION_LEVELS",
    "Backend",
    "Connection",
    "Record",
    "Row",
    "Rows",
    "TransactionControl",
    "changes_session",
    "normalize_isolation",
    "record_class",
    "record_class_of",
    "remembered",
    "to_records",
]

#: A row: ``Record`` or ``asyncpg.Record``; both index by position and name, and compare like
#: tuples.
Row = Sequence[Any]

ISOLATION_LEVELS = ("read_uncommitted", "read_committed", "repeatable_read", "serializable")


def normalize_isolation(level: str | None) -> str | None:
    """``"READ COMMITTED"``, ``"read-committed"`` and ``"read_committed"`` are one level."""
    if level is None:
        return None
    if not isinstance(level, str):
        raise errors.ConfigurationError(
            f"an isolation level is a name ({', '.join(ISOLATION_LEVELS)}), "
            f"not {type(level).__name__}"
        )
    # the text it holds: a str subclass's own strip()/lower() may claim another level
    key = str.__str__(level).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in ISOLATION_LEVELS:
        raise errors.ConfigurationError(
            f"unknown isolation level {level!r}: expected one of {', '.join(ISOLATION_LEVELS)}"
        )
    return key


class Record(tuple[Any, ...]):
    """A row of SQLite or MariaDB: a tuple that also answers by column name, as
    ``asyncpg.Record`` does. One subclass per column list (``record_class``) holds the names, so
    a row costs what its tuple costs."""

    __slots__ = ()
    _names: ClassVar[tuple[str, ...]] = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if type(key) is str:
            return tuple.__getitem__(self, self._index[key])
        try:
            return tuple.__getitem__(self, key)
        except TypeError:  # as asyncpg.Record: a key that is neither a name nor an index
            raise KeyError(key) from None

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def keys(self) -> Iterator[str]:
        return iter(self._names)

    def values(self) -> Iterator[Any]:
        return tuple.__iter__(self)

    def items(self) -> Iterator[tuple[str, Any]]:
        return zip(self._names, self, strict=True)

    def get(self, name: str, default: Any = None) -> Any:
        index = self._index.get(name)
        return default if index is None else tuple.__getitem__(self, index)

    def __repr__(self) -> str:
        fields = "".join(
            f" {name}={value!r}" for name, value in zip(self._names, self, strict=True)
        )
        return f"<Record{fields}>"

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        return _record, (self._names, tuple(self))


_RECORD_CLASSES: dict[tuple[str, ...], type[Record]] = {}


def record_class(names: tuple[str, ...]) -> type[Record]:
    """The ``Record`` subclass of one column list (made once, kept for the next result)."""
    cls = _RECORD_CLASSES.get(names)
    if cls is None:
        if len(_RECORD_CLASSES) >= 4096:  # generated column lists: keep the cache bounded
            _RECORD_CLASSES.clear()
        index = {name: i for i, name in enumerate(names)}  # a repeated name: the last wins
        cls = type("Record", (Record,), {"__slots__": (), "_names": names, "_index": index})
        _RECORD_CLASSES[names] = cls
    return cls


_DESCRIPTION_CLASSES: dict[Any, type[Record]] = {}


def record_class_of(description: Sequence[Sequence[Any]]) -> type[Record]:
    """``record_class`` for a DB-API ``cursor.description`` (cached by the description)."""
    cls = _DESCRIPTION_CLASSES.get(description)
    if cls is None:
        cls = record_class(tuple(column[0] for column in description))
        if len(_DESCRIPTION_CLASSES) >= 4096:
            _DESCRIPTION_CLASSES.clear()
        _DESCRIPTION_CLASSES[description] = cls
    return cls


def _records_pure(cls: type[Record], rows: Sequence[Any]) -> list[Record]:
    if not isinstance(rows, list | tuple):
        raise TypeError(f"records() needs a list or tuple of rows, not {type(rows).__name__}")
    return list(map(cls, rows))


def _records_function() -> Callable[[type[Record], Sequence[Any]], list[Record]]:
    """The native row builder (one allocation a row, and rows of plain values left out of the
    garbage collector's lists: half of a 50k-row fetch on MariaDB went to those two), or the
    pure twin."""
    if errors.pure_python_requested():
        return _records_pure
    from ferrule import _ferrule

    native: Callable[[type[Record], Sequence[Any]], list[Record]] = _ferrule.records
    return native


#: ``to_records(cls, rows)``: ``[cls(row) for row in rows]``, for a list or tuple of rows.
to_records = _records_function()


def _record(names: tuple[str, ...], values: tuple[Any, ...]) -> Record:
    return record_class(names)(values)


# -- session state ---------------------------------------------------------------------------

#: First words of statements that cannot change session state by themselves.
_PLAIN_STATEMENTS = frozenset(
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "REPLACE", "MERGE", "TABLE",
        "EXPLAIN", "SHOW", "CREATE", "DROP", "ALTER", "TRUNCATE", "COMMENT",
        "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
    }
)  # fmt: skip
#: Anywhere in the text: temporary objects, setting functions, locks, variable assignment,
#: MySQL executable comments, extensions.
_STATE_ANYWHERE = re.compile(
    r"\bTEMP(?:ORARY)?\b|PG_TEMP|SET_CONFIG|ADVISORY|GET_LOCK|:=|\bINTO\s*@|/\*!|DBLINK"
    r"|LOAD_EXTENSION",
    re.IGNORECASE,
)
#: Every alternative of _STATE_ANYWHERE contains one of these (upper case): a text without
#: any of them cannot match, and a substring test is far cheaper than the pattern on a long
#: statement (a 30,000-parameter INSERT).
_STATE_TOKENS = ("TEMP", "SET_CONFIG", "ADVISORY", "GET_LOCK", ":=", "@", "/*!", "DBLINK", "LOAD_")


def _may_hold_state_words(sql: str) -> bool:
    """False only when ``_STATE_ANYWHERE`` cannot match (exact for ASCII text; other text
    always goes to the pattern, whose case folding reaches beyond ASCII)."""
    if not sql.isascii():
        return True
    upper = sql.upper()
    return any(token in upper for token in _STATE_TOKENS)


_FIRST_WORD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*([A-Za-z]*)", re.DOTALL)


#: texts whose answers ``remembered`` keeps (all are forgotten when it is full)
_REMEMBERED = 4096


def remembered(compute: Callable[[str], bool]) -> Callable[[str], bool]:
    """``compute`` with its answers for plain ``str`` texts remembered (the same texts come
    again and again); a ``str`` subclass is read afresh each time (its ``__eq__`` and
    ``__hash__`` may say it is another text)."""
    memo: dict[str, bool] = {}  # a dict: an lru_cache call cost ten times its lookup

    def answer(sql: str) -> bool:
        if type(sql) is not str:
            return compute(sql)
        found = memo.get(sql)
        if found is None:
            found = compute(sql)
            if len(memo) >= _REMEMBERED:
                memo.clear()
            memo[sql] = found
        return found

    answer.__doc__ = compute.__doc__
    return answer


def _changes_session(sql: str) -> bool:
    """Whether ``sql`` may change session state, so its connection must be reset on release.

    Errs towards ``True``: any statement of the text (split at every ``;``) whose first word is
    not a plain read, write, DDL or transaction statement (``SET``, ``PRAGMA``, ``LISTEN``,
    ``DECLARE``, ``PREPARE``, ``USE``, ``DO``, ``CALL``, ``ATTACH``, ...), or any mention of
    temporary objects, ``set_config``, advisory or named locks, ``:=``/``INTO @`` assignments.

    The answer for a plain ``str`` is remembered (the ORM sends the same texts again and
    again); a ``str`` subclass is read afresh each time."""
    if _may_hold_state_words(sql) and _STATE_ANYWHERE.search(sql):
        return True
    for statement in sql.split(";"):
        match = _FIRST_WORD.match(statement)
        word = match.group(1).upper() if match else ""
        if word not in _PLAIN_STATEMENTS and (word or statement.strip()):
            return True
    return False


changes_session = remembered(_changes_session)


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
    """One driver connection. Never used by two tasks at once (the pool and the turns of a
    block's tasks, ``blocks.Hold``, guarantee it)."""

    created_at: float  # time.monotonic() when opened
    last_used: float  # time.monotonic() when last released
    #: Set before a statement that may change session state (``changes_session``) runs;
    #: ``reset`` then resets the session too, and clears it.
    session_changed: bool

    @property
    def in_transaction(self) -> bool: ...

    def is_closed(self) -> bool: ...

    async def execute(self, sql: str, params: Sequence[Any]) -> int: ...

    async def fetch_all(self, sql: str, params: Sequence[Any]) -> Rows: ...

    async def fetch_tuples(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows as the driver gives them (tuples; ``asyncpg.Record`` on PostgreSQL),
        converted as ``fetch_all``'s, without column names: for loaders that read by
        position (the ORM)."""
        ...

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
        """Make the connection clean for the next user: wait for an interrupted statement's
        answer (it may change the state, e.g. a cancelled ``BEGIN``), roll back, and reset the
        session when ``session_changed``.

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
