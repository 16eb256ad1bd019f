"""MariaDB/MySQL through asyncmy (Cython; measured faster than aiomysql, see RESULTS_db.md).

Parameters use ``%s`` and are escaped on the client (there is no server-side statement cache to
report). Result conversion follows the table in ``backends.base``: ``TIME`` columns become
``datetime.time`` (drivers give ``timedelta``) and ``BOOLEAN`` — ``TINYINT(1)`` — becomes
``bool``; both are applied only to results that have such a column. ``iterate`` streams through
an unbuffered cursor (``SSCursor``). A connection whose last operation was interrupted mid-result
(a cancelled task, a broken stream) cannot be reused and is closed by the pool.

``%``: text with parameters is %-formatted by the driver (a literal ``%`` is written ``%%``; a
text that breaks the rule is an ``InterfaceError`` naming it, before anything is sent), text
without parameters is sent as written. Compiled queries follow the same rule
(``database.compile_query`` formats one without parameters).

A connection whose session state may have changed (``backends.base.changes_session``) is reset
on release with ``COM_RESET_CONNECTION`` (asyncmy has no method for it: the command packet goes
through its low-level command method). On MariaDB 10.11 that rolls back and drops user
variables, session variables, ``GET_LOCK`` locks, temporary tables and prepared statements, and
restores the handshake character set and the server's ``autocommit`` and ``sql_mode``; it keeps
the current database (``USE``). So ``COM_INIT_DB`` goes with it (pipelined: one round trip for
both; with no database in the URL, a connection that ran ``USE`` is closed instead) and
ferrule's other connect settings (``sql_mode``, ``init_command``, autocommit) are
applied again when the URL sets them or the server's default differs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any

import asyncmy
import asyncmy.converters
import asyncmy.cursors
import asyncmy.errors

from ferrule import errors
from ferrule.backends.base import Row, Rows, TransactionControl, record_class_of
from ferrule.backends.url import DatabaseURL

__all__ = ["MySQLBackend", "MySQLConnection", "translate"]

_ISOLATION_SQL = {
    "read_uncommitted": "READ UNCOMMITTED",
    "read_committed": "READ COMMITTED",
    "repeatable_read": "REPEATABLE READ",
    "serializable": "SERIALIZABLE",
}
_DISCONNECT_CODES = frozenset({0, 1053, 1927, 2003, 2006, 2013, 2055, 4031})
_DRIVER_ERRORS = (
    asyncmy.errors.Error,
    OSError,
    asyncio.IncompleteReadError,
    EOFError,
    UnicodeError,  # a str parameter with a lone surrogate, refused before anything is sent
)
_SERVER_STATUS_IN_TRANS = 1
_COM_INIT_DB = 0x02
_COM_RESET_CONNECTION = 0x1F  # asyncmy.constants.COMMAND.COM_END
_TYPE_TINY, _TYPE_TIME = 1, 11
_CONSTRAINT_RE = re.compile(r"for key '([^']+)'|CONSTRAINT `([^`]+)`")
_PERCENT_RE = re.compile(r"%(.?)", re.DOTALL)
#: what the driver's ``sql % params`` raises for a bad format string (before anything is sent)
_FORMAT_ERRORS = (ValueError, TypeError)


def _format_error(sql: str, rows: Sequence[Any]) -> errors.DatabaseError | None:
    """Why ``sql % params`` failed (for each of ``rows``) when the text is at fault; None when
    it is not (the driver's error then goes up unchanged)."""
    if any(isinstance(row, dict) for row in rows):
        return None
    marks = 0
    for match in _PERCENT_RE.finditer(sql):
        if match.group(1) == "s":
            marks += 1
        elif match.group(1) != "%":
            return errors.InterfaceError(
                f"SQL text with parameters is %-formatted: a literal % must be written %% "
                f"(%s marks a parameter); found {match.group(0)!r} at offset {match.start()}"
            )
    for row in rows:
        if len(row) != marks:
            return errors.InterfaceError(
                f"SQL text has {marks} %s placeholder(s) but {len(row)} parameter(s) were "
                "given (a literal % in text with parameters must be written %%)"
            )
    return None


def _time_from_timedelta(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        seconds = value.days * 86400 + value.seconds
        if 0 <= seconds < 86400:
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, value.microseconds)
    return value


def _bool(value: Any) -> Any:
    return value if value is None else bool(value)


def translate(exc: BaseException) -> errors.DatabaseError:
    message = str(exc)
    if isinstance(exc, UnicodeError):
        return errors.InterfaceError(f"a parameter cannot be encoded for the database: {message}")
    if isinstance(exc, asyncmy.errors.IntegrityError):
        match = _CONSTRAINT_RE.search(message)
        return errors.IntegrityError(message, (match.group(1) or match.group(2)) if match else None)
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    if isinstance(exc, OSError | asyncio.IncompleteReadError | EOFError):
        return errors.ConnectionError(message or type(exc).__name__)
    if code in _DISCONNECT_CODES and isinstance(
        exc, asyncmy.errors.OperationalError | asyncmy.errors.InterfaceError
    ):
        return errors.ConnectionError(message)
    if isinstance(exc, asyncmy.errors.OperationalError):
        return errors.OperationalError(message)
    if isinstance(exc, asyncmy.errors.InterfaceError):
        return errors.InterfaceError(message)
    return errors.DatabaseError(message)


def _converters(description: Sequence[Sequence[Any]]) -> list[Callable[[Any], Any] | None] | None:
    """Per-column fixes for a result, or ``None`` when it needs none (the common case)."""
    fixes: list[Callable[[Any], Any] | None] = []
    needed = False
    for column in description:
        kind = column[1]
        if kind == _TYPE_TIME:
            fixes.append(_time_from_timedelta)
            needed = True
        elif kind == _TYPE_TINY and column[3] == 1:
            fixes.append(_bool)
            needed = True
        else:
            fixes.append(None)
    return fixes if needed else None


def _convert(rows: Sequence[Sequence[Any]], fixes: list[Callable[[Any], Any] | None]) -> list[Any]:
    return [
        tuple(v if f is None else f(v) for f, v in zip(fixes, row, strict=True)) for row in rows
    ]


class MySQLConnection(TransactionControl):
    def __init__(self, raw: asyncmy.Connection, connect_kwargs: dict[str, Any]) -> None:
        self._raw = raw
        self._connect_kwargs = connect_kwargs
        self._cursor = raw.cursor()
        self._busy = False  # an operation is in flight; if it never finishes, do not reuse
        self.session_changed = False
        self.created_at = self.last_used = time.monotonic()

    @property
    def in_transaction(self) -> bool:
        return bool(getattr(self._raw, "server_status", 0) & _SERVER_STATUS_IN_TRANS)

    def is_closed(self) -> bool:
        raw = self._raw
        if not raw.connected:
            return True
        # The server closed the socket (restart, KILL, wait_timeout): seen without a round trip.
        return bool(getattr(raw, "_stream_broken", False))

    async def _execute(self, sql: str, params: Any) -> int:
        self._busy = True
        try:
            count: int = await self._cursor.execute(sql, params or None)
        except _DRIVER_ERRORS as exc:
            error = translate(exc)
            if not isinstance(error, errors.ConnectionError):
                self._busy = False  # the server's error packet was read in full: still usable
            raise error from exc
        except _FORMAT_ERRORS as exc:
            self._busy = False  # raised by the driver's `sql % params`: nothing was sent
            bad_format = _format_error(sql, [params])
            if bad_format is None:
                raise
            raise bad_format from exc
        return count

    async def execute(self, sql: str, params: Sequence[Any]) -> int:
        count = await self._execute(sql, params)
        self._busy = False
        return count

    async def fetch_all(self, sql: str, params: Sequence[Any]) -> Rows:
        await self._execute(sql, params)
        cursor = self._cursor
        rows = await cursor.fetchall()
        self._busy = False
        desc = cursor.description
        if not desc:
            return Rows(rows)
        cls = record_class_of(desc)
        fixes = _converters(desc)
        return Rows(map(cls, rows if fixes is None else _convert(rows, fixes)), cls._names)

    async def fetch_one(self, sql: str, params: Sequence[Any]) -> Row | None:
        await self._execute(sql, params)
        cursor = self._cursor
        row = await cursor.fetchone()
        self._busy = False
        if row is None:
            return None
        desc = cursor.description
        fixes = _converters(desc)
        return record_class_of(desc)(row if fixes is None else _convert((row,), fixes)[0])

    async def fetch_val(self, sql: str, params: Sequence[Any]) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def iterate(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncIterator[Row]:
        cursor = self._raw.cursor(asyncmy.cursors.SSCursor)
        self._busy = True
        try:
            await cursor.execute(sql, params or None)
            fixes = _converters(cursor.description or ())
            cls = record_class_of(cursor.description or ())
            while True:
                batch = await cursor.fetchmany(batch_size)
                if not batch:
                    break
                for row in batch if fixes is None else _convert(batch, fixes):
                    yield cls(row)
            await cursor.close()
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except _FORMAT_ERRORS as exc:
            error = _format_error(sql, [params])
            if error is None:
                raise
            self._busy = False
            raise error from exc
        self._busy = False

    async def execute_many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        seq = params if isinstance(params, list) else list(params)
        if self.in_transaction:
            self._busy = True
            try:
                await self._cursor.executemany(sql, seq)
            except _DRIVER_ERRORS as exc:
                raise translate(exc) from exc
            except _FORMAT_ERRORS as exc:
                self._busy = False
                error = _format_error(sql, seq)
                if error is None:
                    raise
                raise error from exc
            self._busy = False
            return
        await self._execute("BEGIN", None)
        try:
            await self._cursor.executemany(sql, seq)  # rewrites INSERT ... VALUES to multi-row
        except (*_DRIVER_ERRORS, *_FORMAT_ERRORS) as exc:
            await self._execute("ROLLBACK", None)
            self._busy = False
            error = translate(exc) if isinstance(exc, _DRIVER_ERRORS) else _format_error(sql, seq)
            if error is None:
                raise
            raise error from exc
        await self._execute("COMMIT", None)
        self._busy = False

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        names = ", ".join(_quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        rows = records if isinstance(records, list) else list(records)
        await self.execute_many(f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})", rows)
        return len(rows)

    async def _simple(self, sql: str) -> None:
        await self._execute(sql, None)
        self._busy = False

    async def begin(self, isolation: str | None, readonly: bool) -> None:
        if isolation is not None:
            await self._simple("SET TRANSACTION ISOLATION LEVEL " + _ISOLATION_SQL[isolation])
        await self._simple("START TRANSACTION READ ONLY" if readonly else "START TRANSACTION")

    async def ping(self) -> None:
        await self._simple("SELECT 1")
        await self._cursor.fetchall()

    async def reset(self) -> bool:
        if self._busy:
            # A statement was interrupted mid-result: the protocol state is unknown, so the
            # connection is closed. The server would go on running the statement (holding its
            # locks and the open transaction) until it next writes to the socket: stop it now.
            await self._kill_on_server()
            return False
        if self.is_closed():
            return False
        try:
            if self.session_changed:
                await self._reset_session()  # also rolls back
            elif self.in_transaction:
                await self._simple("ROLLBACK")
        except Exception:
            return False
        return True

    async def _reset_session(self) -> None:
        raw: Any = self._raw
        kwargs = self._connect_kwargs
        self._busy = True
        await raw._execute_command(_COM_RESET_CONNECTION, b"")
        if kwargs.get("db"):  # USE survives the reset: pipelined, one round trip for both
            await raw._execute_command(_COM_INIT_DB, kwargs["db"].encode(raw._encoding))
            await raw._read_ok_packet()
            raw._next_seq_id = 1  # each reply restarts the packet sequence
        await raw._read_ok_packet()
        if not kwargs.get("db"):  # no database to go back to, and none can be unselected
            async with raw.cursor() as cursor:
                await cursor.execute("SELECT DATABASE()")
                if (await cursor.fetchone())[0] is not None:
                    raise errors.InterfaceError("a USE cannot be undone: close the connection")
        if kwargs.get("sql_mode") is not None:  # exactly as asyncmy sends them at connect
            await raw.query(f"SET sql_mode={kwargs['sql_mode']}")
        if kwargs.get("init_command") is not None:
            await raw.query(kwargs["init_command"])
        await raw.autocommit(True)  # a round trip only if the server default is off
        self._busy = False
        self.session_changed = False

    async def _kill_on_server(self) -> None:
        thread_id = self._raw.thread_id()
        self._raw.close()
        try:
            killer = await asyncio.wait_for(asyncmy.connect(**self._connect_kwargs), 5)
        except Exception:
            return  # the server is unreachable: it will drop the session by itself
        try:
            async with killer.cursor() as cursor:
                await cursor.execute(f"KILL {int(thread_id)}")
        except Exception:
            pass  # already gone
        finally:
            killer.close()

    async def close(self) -> None:
        try:
            await self._raw.ensure_closed()
        except Exception:
            self._raw.close()

    def terminate(self) -> None:
        self._raw.close()

    def statement_cache_stats(self) -> dict[str, Any]:
        # Client-side parameter interpolation: the server caches no statements for us.
        return {"capacity": 0, "size": 0, "hits": None, "misses": None}


def _quote(name: str) -> str:
    """A quoted name for %-formatted text (a literal % doubled)."""
    return "`" + name.replace("`", "``").replace("%", "%%") + "`"


class MySQLBackend:
    dialect = "mysql"
    capabilities = frozenset(
        {
            "savepoints",
            "isolation_levels",
            "server_side_cursor",
            "concurrent_connections",
            "kill_connection",
            "server",
        }
    )

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        query = url.query
        host, port = url.hosts[0]
        kwargs: dict[str, Any] = {
            "user": url.user or "root",
            "password": url.password or "",
            "db": url.database,
            "charset": query.get("charset", "utf8mb4"),
            "autocommit": True,
            "connect_timeout": url.options.connect_timeout,
        }
        if host.startswith("/"):
            kwargs["unix_socket"] = host
        else:
            kwargs["host"], kwargs["port"] = host, port
        if "init_command" in query:
            kwargs["init_command"] = query["init_command"]
        if "sql_mode" in query:
            kwargs["sql_mode"] = query["sql_mode"]
        self._kwargs = kwargs

    async def connect(self) -> MySQLConnection:
        try:
            raw = await asyncmy.connect(**self._kwargs)
        except _DRIVER_ERRORS as exc:
            raise errors.ConnectionError(f"cannot connect to MySQL: {exc}") from exc
        return MySQLConnection(raw, self._kwargs)

    def is_disconnect(self, exc: BaseException) -> bool:
        return isinstance(exc, errors.ConnectionError)

    def stats(self) -> dict[str, Any]:
        return {}

    async def aclose(self) -> None:
        return None
