"""MariaDB/MySQL through asyncmy (Cython; measured faster than aiomysql, see RESULTS_db.md).

Parameters use ``%s`` and are escaped on the client (there is no server-side statement cache to
report). A ``dict``/``list`` parameter is sent as JSON, as on the other backends; a ``time``
with a UTC offset is refused (``TIME`` cannot keep it), as is a ``set``; an aware ``datetime`` is
sent as its UTC time (``DATETIME`` keeps no offset), a naive one as it is. Server warnings are not
logged to stderr (see ``_Cursor``). Result conversion follows the table in ``backends.base``:
``TIME`` columns become ``datetime.time`` (drivers give ``timedelta``) and ``BOOLEAN`` —
``TINYINT(1)`` — becomes ``bool``; both are applied only to results that have such a column.
``iterate`` streams through an unbuffered cursor (``SSCursor``); a statement the loop's
task runs on the same connection between batches first reads the rest of the result
(``settle_stream``), which the protocol would otherwise drop. What happens to a
cancelled statement's connection is said below.

Inside a transaction, a statement MariaDB runs only after committing it (DDL other than of
temporary tables, ``TRUNCATE``, ``LOCK TABLES``, grants, table maintenance) is a
``TransactionError`` before it is sent: run, it would commit the block's earlier work and
leave the rest outside any transaction, where PostgreSQL and SQLite roll it all back.

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
ferrule's other connect settings (``sql_mode``, ``init_command``, autocommit, and
``max_sort_length`` of 16 KiB, so that ORDER BY compares texts by their first 16,384 bytes,
not 1,024) are applied again when the URL sets them or the server's default differs.

A cancelled statement keeps its connection when nothing of the server's reply had been read
yet (the usual case: the task was waiting for a slow query or a lock): the statement is stopped
with ``KILL QUERY`` and its reply read and discarded before the connection runs anything else,
so no later query can receive it. ``KILL`` statements go through one control connection per
backend (``mysql_kill``: opened on first need and kept; it kills a session only while its
number still names the victim's, as numbers start again when the server restarts). A
connection interrupted in the middle of a reply (its protocol state unknown) is closed, and
its session killed the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, cast

import asyncmy
import asyncmy.converters
import asyncmy.cursors
import asyncmy.errors

from ferrule import errors
from ferrule.backends.base import Row, Rows, TransactionControl, record_class_of, to_records
from ferrule.backends.in_flight import unsent
from ferrule.backends.marks import MARKING, OddFlag
from ferrule.backends.mysql_kill import KillControl, client_address
from ferrule.backends.mysql_params import CONVERSIONS
from ferrule.backends.params import RefusedValue, check_records, encoding_error
from ferrule.backends.plain import int_past_text, plain_params
from ferrule.backends.url import DatabaseURL
from ferrule.sql.type_checks import TYPE_CHECK_PREFIX

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
    RefusedValue,  # a parameter our encoders refuse (below), before anything is sent
)
# Error numbers whose class the server's code decides (asyncmy's own mapping puts a CHECK
# violation and an unknown column under OperationalError). IntegrityError: CHECK (4025 MariaDB,
# 3819 MySQL), NOT NULL (1048), duplicate key (1062, 1586), foreign keys (1216, 1217, 1451,
# 1452). ProgrammingError, PostgreSQL's SQLSTATE class 42: table exists (1050), unknown table
# (1051, 1109, 1146), unknown/ambiguous/duplicate column (1052, 1054, 1060, 1110), duplicate
# key name (1061), syntax (1064, 1149), empty statement (1065), not unique alias (1066),
# cannot drop (1091), grouping (1055, 1056, 1111), value count (1136), command denied (1142,
# 1143), no such function (1305, 1630), an invalid regular expression (1139).
_INTEGRITY_CODES = frozenset({1048, 1062, 1216, 1217, 1451, 1452, 1586, 3819, 4025})
_PROGRAMMING_CODES = frozenset(
    {1050, 1051, 1052, 1054, 1055, 1056, 1060, 1061, 1064, 1065, 1066, 1091, 1109, 1110, 1111}
    | {1136, 1139, 1142, 1143, 1146, 1149, 1305, 1630}
)
# DataError, PostgreSQL's SQLSTATE class 22: out of range (1264, 1690), too long (1406),
# truncated or wrong value (1265, 1292, 1366, 1367, 1411), division by zero (1365), datetime
# function overflow (1441).
_DATA_CODES = frozenset({1264, 1265, 1292, 1365, 1366, 1367, 1406, 1411, 1441, 1690})
#: ER_NET_PACKET_TOO_LARGE: a statement past the server's max_allowed_packet, after which
#: the server closes the connection
_PACKET_TOO_LARGE = 1153
_SERVER_STATUS_IN_TRANS = 1
_READ_ONLY_TRANSACTION = 1792  # ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
_DEADLOCK = 1213  # ER_LOCK_DEADLOCK: the transaction was rolled back
_COM_INIT_DB = 0x02
_COM_RESET_CONNECTION = 0x1F  # asyncmy.constants.COMMAND.COM_END
_ER_QUERY_INTERRUPTED = 1317
_TYPE_TINY, _TYPE_TIME = 1, 11
_CLIENT_FOUND_ROWS = 2  # asyncmy.constants.CLIENT.FOUND_ROWS
_KILL_PATIENCE = 5.0  # seconds an interrupted statement may take to stop before its connection goes
_CONSTRAINT_RE = re.compile(r"for key '([^']+)'|CONSTRAINT `([^`]+)`")
_PERCENT_RE = re.compile(r"%(.?)", re.DOTALL)
#: what MariaDB reads past before a statement's first word: blanks and comments (not an
#: executable ``/*! ... */`` one, which is code)
_LEADING = r"(?:\s+|--(?:[ \t][^\n]*)?(?:\n|$)|#[^\n]*(?:\n|$)|/\*(?!!)[\s\S]*?\*/)*"
#: statements MariaDB runs only after committing the open transaction (and commits after):
#: the definitions of tables, indexes, views and routines (not of temporary tables), table
#: maintenance, locks and grants (MariaDB's "SQL statements that cause an implicit commit")
_IMPLICIT_COMMIT_RE = re.compile(
    _LEADING + r"(?:ALTER|CREATE(?!\s+(?:OR\s+REPLACE\s+)?TEMPORARY\b)|DROP(?!\s+TEMPORARY\b)"
    r"|RENAME|TRUNCATE|GRANT"
    r"|REVOKE|LOCK\s+TABLES?|ANALYZE|OPTIMIZE|REPAIR|CHECK\s+TABLE|FLUSH)\b",
    re.IGNORECASE,
)
#: what the driver's ``sql % params`` raises for a bad format string (before anything is sent)
_FORMAT_ERRORS = (ValueError, TypeError)
_log = logging.getLogger("ferrule.db.mysql")
#: MariaDB sorts by the first max_sort_length bytes of a value (1,024 by default), so long
#: texts sharing a prefix came out of ORDER BY in no order: sessions sort by 16 KiB (set at
#: connect and after a session reset). Larger keys run out of the default 2 MiB sort buffer
#: (error 1038) when a sort names several long texts (64 KiB: at three)
_WHOLE_SORT = "SET SESSION max_sort_length = 16384"


def _format_error(sql: str, rows: Sequence[Any], exc: BaseException) -> errors.DatabaseError | None:
    """Why ``sql % params`` failed (for each of ``rows``) when the text or an int past
    Python's text limit is at fault; None when not (the driver's error then goes up)."""
    past = int_past_text(exc)
    if past is not None:
        return past
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
        if len(row) != marks:  # as on SQLite and PostgreSQL: also a TypeError
            return errors.ArgumentError(
                f"SQL text has {marks} %s placeholder(s) but {len(row)} parameter(s) were "
                "given (a literal % in text with parameters must be written %%)"
            )
    return None


_DATETIME_OVERFLOW = 1441  # ER_DATETIME_FUNCTION_OVERFLOW


class _Cursor(asyncmy.cursors.Cursor):
    """asyncmy's cursor, but for server warnings: asyncmy fetches them (an extra ``SHOW
    WARNINGS`` round trip) and logs each at WARNING, so that a routine ``DROP TABLE IF EXISTS``
    prints to stderr. Here they are fetched for a statement that returned rows (``_checked``),
    or when ``ferrule.db.mysql`` logs DEBUG."""

    async def _show_warnings(self, conn: Any) -> None:
        result = getattr(self, "_result", None)
        if result is not None and result.has_next:
            return
        debug = _log.isEnabledFor(logging.DEBUG)
        if debug or (result is not None and result.description is not None):
            await _checked(conn, debug)


async def _checked(conn: Any, debug: bool) -> None:
    """Read the last statement's warnings, and raise 1441 as the error it is elsewhere: a date
    function past its range answers NULL in a query (and is refused when stored, in strict
    mode), where PostgreSQL and SQLite raise. Nothing was changed by a statement that only
    read."""
    for warning in await conn.show_warnings() or ():
        if debug:
            _log.debug("server warning %s: %s", warning[1], warning[-1])
        if warning[1] == _DATETIME_OVERFLOW:
            raise asyncmy.errors.DataError(
                warning[1], f"{warning[-1]} (MariaDB answered NULL; a date past its range)"
            )


# --- results -----------------------------------------------------------------------------------


def _time_from_timedelta(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        seconds = value.days * 86400 + value.seconds
        if 0 <= seconds < 86400:
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, value.microseconds)
    return value


def _bool(value: Any) -> Any:
    if value is None or value == 0 or value == 1 or not MARKING.get():
        return value if value is None else bool(value)
    return OddFlag(bool(value), value)  # raw(): neither 0 nor 1, as stored (`backends.marks`)


def translate(exc: BaseException) -> errors.DatabaseError:
    message = str(exc)
    if isinstance(exc, UnicodeError):
        return encoding_error(exc)
    if isinstance(exc, RefusedValue):
        return errors.InterfaceError(message)
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    if code is None and isinstance(exc, asyncmy.errors.ProgrammingError):
        return errors.InterfaceError(message)  # raised by asyncmy itself: a value it cannot send
    if code in _INTEGRITY_CODES or isinstance(exc, asyncmy.errors.IntegrityError):
        match = _CONSTRAINT_RE.search(message)
        name = (match.group(1) or match.group(2)) if match else None
        if code == 4025 and name is not None and name.startswith(TYPE_CHECK_PREFIX):
            return errors.DataError(  # a long CharField's LONGTEXT (sql.types): too long
                f"{message}: text longer than column {name.removeprefix(TYPE_CHECK_PREFIX)!r} "
                "holds, as a VARCHAR refuses it"
            )
        return errors.IntegrityError(message, name)
    if code in _PROGRAMMING_CODES:
        return errors.ProgrammingError(message)
    if code in _DATA_CODES:
        return errors.DataError(message)
    if code == _PACKET_TOO_LARGE:
        return errors.DataError(f"{message}: {_TOO_LARGE}")
    if isinstance(exc, OSError | asyncio.IncompleteReadError | EOFError):
        return errors.ConnectionError(message or type(exc).__name__)
    if code in _DISCONNECT_CODES and isinstance(
        exc, asyncmy.errors.OperationalError | asyncmy.errors.InterfaceError
    ):
        return errors.ConnectionError(message)
    if code == _READ_ONLY_TRANSACTION:  # a write in transaction(readonly=True): as PostgreSQL
        return errors.TransactionError(message)
    if code == _DEADLOCK:  # the server rolled the whole transaction back
        return errors.TransactionRollbackError(message)
    if isinstance(exc, asyncmy.errors.OperationalError):
        return errors.OperationalError(message)
    if isinstance(exc, asyncmy.errors.InterfaceError):
        return errors.InterfaceError(message)
    return errors.DatabaseError(message)


_TOO_LARGE = (
    "the statement, with its values, is larger than the server's max_allowed_packet (16 MiB"
    " by default), so nothing was written; the server closed the connection, which is not"
    " used again"
)
#: the largest protocol packet: a statement past it is sent as several
_PACKET_MAX = 2**24 - 1


def _oversized(exc: BaseException, sql: str, params: Any) -> errors.DataError | None:
    """The error for a statement sent as several packets that the driver lost its place
    after (``Packet sequence number wrong``): the server refused it as past its
    max_allowed_packet (error 1153) after the first, and the driver read its answer out of
    sequence. Its size is counted from the text and the text and bytes values (an escaped
    value is longer still)."""
    if not (isinstance(exc, asyncmy.errors.InternalError) and "sequence number" in str(exc)):
        return None
    size = len(sql) + sum(len(p) for p in params or () if isinstance(p, str | bytes))
    if size < _PACKET_MAX:
        return None
    return errors.DataError(f"{exc} after a statement of {size >> 20} MiB or more: {_TOO_LARGE}")


def _closes(exc: BaseException) -> bool:
    """Whether the server closes the connection after ``exc`` though its error packet was
    read (a statement past max_allowed_packet), or the driver lost its place in the protocol
    (a packet out of sequence): the connection must not be used again."""
    if isinstance(exc, asyncmy.errors.InternalError) and "sequence number" in str(exc):
        return True
    return bool(exc.args) and exc.args[0] == _PACKET_TOO_LARGE


Fixes = list[Callable[[Any], Any] | None]
#: description -> (its record class, its fixes): the same few results come again and again
_DESCRIBED: dict[Any, tuple[type[Any], Fixes | None]] = {}


def _described(description: Sequence[Sequence[Any]]) -> tuple[type[Any], Fixes | None]:
    """The record class and the per-column fixes of a result (``record_class_of`` and
    ``_converters``), remembered for its description."""
    found = _DESCRIBED.get(description)
    if found is None:
        found = (record_class_of(description), _converters(description))
        if len(_DESCRIBED) >= 4096:
            _DESCRIBED.clear()
        _DESCRIBED[description] = found
    return found


def _converters(description: Sequence[Sequence[Any]]) -> Fixes | None:
    """Per-column fixes for a result, or ``None`` when it needs none (the common case)."""
    fixes: Fixes = []
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


def _implicit_commit(sql: str) -> errors.TransactionError:
    """The refusal of a statement that would commit the open transaction: run, it would
    commit the work before it and leave the rest of the block outside any transaction."""
    start = re.match(_LEADING, sql)
    word = " ".join(sql[start.end() if start else 0 :].split()[:2]).upper()
    return errors.TransactionError(
        f"MariaDB commits the open transaction before and after {word}: run inside this"
        " transaction it would commit the work done so far and leave the rest outside any"
        " transaction; run it before or after the transaction block"
    )


class _Stream:
    """An open unbuffered result of ``iterate``; ``rest`` holds its unread rows once another
    statement had to read them (None until then)."""

    __slots__ = ("cursor", "rest")

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.rest: list[Any] | None = None


class MySQLConnection(TransactionControl):
    def __init__(self, raw: asyncmy.Connection, control: KillControl) -> None:
        self._raw = raw
        self._connect_kwargs = control.connect_kwargs
        # The same object, for the protocol internals that asyncmy's stubs omit.
        self._wire: Any = cast(Any, raw)
        self._control = control
        self._cursor = raw.cursor(_Cursor)
        self._busy = False  # an operation is in flight; if it never finishes, do not reuse
        self._interrupted = False  # cancelled before any reply byte was read: recoverable
        #: the unbuffered result an ``iterate`` loop is reading, while it is open
        self._stream: _Stream | None = None
        #: this end's TCP address: who the server's process list says the client is
        self._client = client_address(self._wire)
        self.session_changed = False
        self.created_at = self.last_used = time.monotonic()
        # asyncmy closes a connection whose read was cancelled; we keep it when nothing of the
        # reply was consumed (sequence id still 1 after the command went out) and recover it.
        self._wire._close_on_cancel = self._on_cancel

    def _on_cancel(self) -> None:
        raw = self._wire
        if raw._next_seq_id == 1 and raw.connected:
            self._interrupted = True
            self._control.interrupted += 1
            return
        type(raw)._close_on_cancel(raw)

    async def _recover(self) -> bool:
        """Stop the interrupted statement and read its reply, so the next one gets its own."""
        raw = self._wire
        self._interrupted = False
        if not await self._control.kill(raw.thread_id(), True, self._client):
            raw.close()
            return False
        # A KILL that reached the server before the statement started stopped nothing: while
        # no reply comes, send it again (on a growing back-off), and give the connection up
        # after _KILL_PATIENCE seconds.
        reply = asyncio.ensure_future(raw._read_query_result())
        loop = asyncio.get_running_loop()
        give_up = loop.time() + _KILL_PATIENCE
        delay = 0.05
        try:
            while not (await asyncio.wait((reply,), timeout=delay))[0]:
                killed = await self._control.kill(raw.thread_id(), True, self._client)
                if not killed or loop.time() > give_up:
                    reply.cancel()
                    raw.close()
                    return False
                delay = min(delay * 2, 0.5)
        except BaseException:
            reply.cancel()
            raw.close()
            raise
        try:
            reply.result()
        except asyncmy.errors.Error as exc:
            code = exc.args[0] if exc.args else None
            if code != _ER_QUERY_INTERRUPTED and isinstance(translate(exc), errors.ConnectionError):
                raw.close()
                return False
        except (OSError, asyncio.IncompleteReadError, EOFError):
            raw.close()
            return False
        except BaseException:
            raw.close()
            raise
        self._busy = False
        self._control.recovered += 1
        return True

    @property
    def in_transaction(self) -> bool:
        return bool(getattr(self._raw, "server_status", 0) & _SERVER_STATUS_IN_TRANS)

    def is_closed(self) -> bool:
        raw = self._raw
        if not raw.connected:
            return True
        # The server closed the socket (restart, KILL, wait_timeout): seen without a round trip.
        return bool(getattr(raw, "_stream_broken", False))

    async def _ready(self) -> None:
        """Before the next statement: finish an interrupted one (its reply is not ours)."""
        if not await self._recover():
            raise unsent(  # (before this statement went out)
                errors.ConnectionError("the connection was lost stopping an interrupted statement")
            )

    async def settle_stream(self) -> None:
        """``_drain``, for a statement the database layer is about to run (``blocks``)."""
        if self._stream is not None:
            await self._drain()

    async def _drain(self) -> None:
        """Read the rest of an open ``iterate`` result before another statement: the protocol
        has one result in flight per connection, and asyncmy would drop the unread rows (the
        loop would end early, silently). Its loop then goes on with the rows read here: a
        statement run inside the loop costs that loop its bounded memory, not rows."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.rest = list(await stream.cursor.fetchall())

    async def _execute(self, sql: str, params: Any) -> int:
        if self._interrupted:
            await self._ready()
        if self._stream is not None:
            await self._drain()
        closed = self.is_closed()  # (seen without a round trip: asyncmy will send nothing)
        self._busy = True
        try:
            count: int = await self._cursor.execute(sql, plain_params(params) if params else None)
        except _DRIVER_ERRORS as exc:
            error = _oversized(exc, sql, params) or translate(exc)
            if not isinstance(error, errors.ConnectionError) and not _closes(exc):
                self._busy = False  # the server's error packet was read in full: still usable
            elif closed and isinstance(error, errors.ConnectionError):
                unsent(error)  # not in doubt: nothing of it went out
            raise error from exc
        except _FORMAT_ERRORS as exc:
            self._busy = False  # raised by the driver's `sql % params`: nothing was sent
            bad_format = _format_error(sql, [params], exc)
            if bad_format is None:
                raise
            raise bad_format from exc
        return count

    async def execute(self, sql: str, params: Sequence[Any]) -> int:
        if self.in_transaction and _IMPLICIT_COMMIT_RE.match(sql) is not None:
            raise _implicit_commit(sql)
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
        cls, fixes = _described(desc)
        return Rows(to_records(cls, rows if fixes is None else _convert(rows, fixes)), cls._names)

    async def fetch_tuples(self, sql: str, params: Sequence[Any]) -> list[Any]:
        await self._execute(sql, params)
        cursor = self._cursor
        rows = await cursor.fetchall()
        self._busy = False
        desc = cursor.description
        fixes = _described(desc)[1] if desc else None
        return list(rows if fixes is None else _convert(rows, fixes))

    async def fetch_one(self, sql: str, params: Sequence[Any]) -> Row | None:
        await self._execute(sql, params)
        cursor = self._cursor
        row = await cursor.fetchone()
        self._busy = False
        if row is None:
            return None
        cls, fixes = _described(cursor.description)
        record: Row = cls(row if fixes is None else _convert((row,), fixes)[0])
        return record

    async def fetch_val(self, sql: str, params: Sequence[Any]) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def iterate(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncIterator[Row]:
        if self._interrupted:
            await self._ready()
        if self._stream is not None:
            await self._drain()
        cursor = self._raw.cursor(asyncmy.cursors.SSCursor)
        self._busy = True
        stream = _Stream(cursor)
        try:
            await cursor.execute(sql, plain_params(params) if params else None)
            fixes = _converters(cursor.description or ())
            cls = record_class_of(cursor.description or ())
            self._stream = stream
            while True:
                if stream.rest is None:
                    batch = await cursor.fetchmany(batch_size)
                else:  # a statement between batches read the rest (``_drain``)
                    batch, stream.rest = stream.rest, []
                if not batch:
                    break
                for row in to_records(cls, batch if fixes is None else _convert(batch, fixes)):
                    yield row
            ended = getattr(cursor, "_result", None)  # an unbuffered cursor reads no warnings
            if ended is not None and ended.warning_count:
                await _checked(self._raw, _log.isEnabledFor(logging.DEBUG))
            await cursor.close()
        except _DRIVER_ERRORS as exc:
            raise translate(exc) from exc
        except _FORMAT_ERRORS as exc:
            error = _format_error(sql, [params], exc)
            if error is None:
                raise
            self._busy = False
            raise error from exc
        finally:
            if self._stream is stream:  # also a loop left early: its rows are not ours to read
                self._stream = None
        self._busy = False

    async def execute_many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        seq = [plain_params(row) for row in params]  # asyncmy's bytes encoder takes exact bytes
        if self._interrupted:
            await self._ready()
        if self._stream is not None:
            await self._drain()
        if self.in_transaction:
            self._busy = True
            try:
                await self._cursor.executemany(sql, seq)
            except _DRIVER_ERRORS as exc:
                raise translate(exc) from exc
            except _FORMAT_ERRORS as exc:
                self._busy = False
                error = _format_error(sql, seq, exc)
                if error is None:
                    raise
                raise error from exc
            self._busy = False
            return
        await self._execute("BEGIN", None)
        try:
            await self._cursor.executemany(sql, seq)  # rewrites INSERT ... VALUES to multi-row
        except (*_DRIVER_ERRORS, *_FORMAT_ERRORS) as exc:
            if _closes(exc):  # nothing to roll back on a closed connection: not used again
                raise translate(exc) from exc
            await self._execute("ROLLBACK", None)
            self._busy = False
            error = (
                translate(exc) if isinstance(exc, _DRIVER_ERRORS) else _format_error(sql, seq, exc)
            )
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
        rows = list(check_records(records, len(columns)))
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
        if self._interrupted:
            if not await self._recover():
                return False
            try:
                if self.session_changed:
                    await self._reset_session()  # also rolls back
                else:  # the status flags predate the interruption
                    await self._simple("ROLLBACK")
            except errors.DatabaseError:
                return False
            return True
        if self._busy:
            # Interrupted mid-reply: the protocol state is unknown, so the connection is closed.
            # The server would go on running the statement (holding its locks and the open
            # transaction) until it next writes to the socket: stop it now, unless the server
            # itself closed the connection (a restart, a KILL).
            raw = self._wire
            proto = raw._proto
            dropped_by_server = proto is not None and (proto.eof or proto.exc is not None)
            thread_id = raw.thread_id()
            raw.close()
            if not dropped_by_server:
                await self._control.kill(thread_id, False, self._client)
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
        await raw.query(_WHOLE_SORT)
        await raw.autocommit(True)  # a round trip only if the server default is off
        self._busy = False
        self.session_changed = False

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
            "conv": CONVERSIONS,
            "connect_timeout": url.options.connect_timeout,
            # execute() counts the rows a statement matched, as on the other backends
            # (without it, an UPDATE counts only the rows whose values changed)
            "client_flag": _CLIENT_FOUND_ROWS,
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
        self._control = KillControl(kwargs)  # KILL [QUERY] for this backend's connections

    async def connect(self) -> MySQLConnection:
        try:
            raw: Any = await asyncmy.connect(**self._kwargs)
        except _DRIVER_ERRORS as exc:
            raise errors.ConnectionError(f"cannot connect to MySQL: {exc}") from exc
        try:
            await raw.query(_WHOLE_SORT)
        except _DRIVER_ERRORS as exc:
            raw.close()
            raise errors.ConnectionError(f"cannot set up the MySQL session: {exc}") from exc
        return MySQLConnection(raw, self._control)

    def is_disconnect(self, exc: BaseException) -> bool:
        return isinstance(exc, errors.ConnectionError)

    def stats(self) -> dict[str, Any]:
        control = self._control
        return {
            "interrupted": control.interrupted,
            "recovered": control.recovered,
            "control_connects": control.connects,
        }

    async def aclose(self) -> None:
        self._control.close()
