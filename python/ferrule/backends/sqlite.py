"""SQLite: in-process, on the event-loop thread, off it only when a statement could block.

Ordinary statements run directly on the loop thread: the coroutine never suspends, so an awaited
query costs a few microseconds instead of the ~150 µs of a thread hop. Two things could stall the
loop, and both move to a worker thread:

* a write that waits on another connection's lock: the busy timeout is 0, so SQLite answers
  ``SQLITE_BUSY`` at once, and the statement is retried in a worker thread, on SQLite's own
  back-off (1 ms growing to 100 ms), until it gets the lock or ``busy_timeout`` runs out. The
  worker waits on an event rather than in SQLite's busy handler, so a cancelled call stops it at
  once: the caller never waits out the lock holder;
* a long scan: a progress handler interrupts any statement that has run on the loop thread for
  longer than ``LOOP_BUDGET`` seconds, and the statement is run again in a worker thread. Only
  statements that are safe to re-run are interrupted: reads, and writes outside an explicit
  transaction (a single statement rolls back as a whole). A long write inside a transaction
  finishes where it started.

``iterate`` fetches every batch in a worker thread (it exists for large results). File databases
use WAL journaling, so readers never wait for the writer. ``sqlite://`` and ``:memory:`` are one
private database on a single shared connection (a pool of one).

Column types follow the table in ``backends.base``: the declared type of a column picks the
converter (``BOOLEAN``, ``DECIMAL``, ``TIMESTAMP``/``DATETIME``, ``TIMESTAMPTZ``, ``DATE``,
``TIME``, ``UUID``, ``JSON``). ``sqlite3`` keeps adapters and converters in registries of its
extension module, and only ``PARSE_DECLTYPES`` gives access to a column's declared type, so the
conversions must live in such a registry; so that they reach no other ``sqlite3`` user in the
process, ferrule loads a private instance of the ``_sqlite3`` extension (PEP 489 multi-phase
initialisation gives each instance its own registries, exception classes included: the chained
driver exception is an ``sqlite3``-named class of that instance). On CPython 3.10 the extension
has a single instance per process, and the registrations are shared with every user.

Adapters and converters are in ``sqlite_types``. Statements on the loop thread are run by the
native runner (``sqlite_native``: ferrule's own prepared statements on the same connection,
answering exactly as the module would) where it is available; it hands back what it cannot
answer exactly, and statements moved to a worker thread run through the module.

Pattern matching behaves as on the servers (``sql.nodes`` has the rules): every connection is
set up by ``sqlite_functions.prepare_connection`` (case-sensitive LIKE, a ``regexp()``
function), and a failed call of one of those functions raises its own error, not SQLite's
fixed text.

Session state here is the connection's pragmas, its temporary schema and its attached
databases. After a statement that may change them (``backends.base.changes_session``: ``PRAGMA``,
``ATTACH``, ``CREATE TEMP``, ...), ``reset`` sets the pragmas back to the values read when the
connection was opened, drops every temporary table, view and trigger, and detaches every
attached database (``sqlite_session``). Persistent settings (``journal_mode``,
``user_version``) belong to the database file, not the session, and are left alone.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ferrule import errors
from ferrule.backends import sqlite_keys, sqlite_native, sqlite_snapshots
from ferrule.backends.base import (
    Row,
    Rows,
    TransactionControl,
    record_class_of,
    to_records,
)
from ferrule.backends.params import check_records
from ferrule.backends.sqlite_errors import is_busy, translate
from ferrule.backends.sqlite_functions import SQLFunctions, prepare_connection
from ferrule.backends.sqlite_module import sqlite3
from ferrule.backends.sqlite_session import quote, read_pragmas, reset_session
from ferrule.backends.sqlite_statements import deny_writes as _deny_writes
from ferrule.backends.sqlite_statements import readonly as _readonly
from ferrule.backends.sqlite_types import module_params, module_rows, register_types
from ferrule.backends.url import DatabaseURL

__all__ = ["LOOP_BUDGET", "SQLiteBackend", "SQLiteConnection"]

T = TypeVar("T")

#: Seconds a statement may run on the loop thread before it moves to a worker thread.
LOOP_BUDGET = 0.02
#: VM instructions between two checks of the budget.
_PROGRESS_STEPS = 20_000
_CHUNK = 512  # rows fetched on the loop between two looks at the clock
_HALF_BUDGET = LOOP_BUDGET / 2  # how long a result is read on the loop before a worker goes on
_MOVE = object()  # the native runner's statement must run in a worker thread
#: Seconds between two attempts to take a lock (SQLite's own busy-handler schedule).
_BUSY_DELAYS = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05)
_BUSY_MAX_DELAY = 0.1
_ISOLATION_BEGIN = "BEGIN IMMEDIATE"
#: What the sqlite3 module raises for a statement: its own errors, ValueError (a NUL in the SQL
#: text before Python 3.11, a lone surrogate), sqlite3.Warning (a lone surrogate in the SQL text
#: before 3.11) and OverflowError (an int beyond 64 bits).
_DRIVER_ERRORS = (sqlite3.Error, sqlite3.Warning, ValueError, OverflowError)
register_types(sqlite3)


#: ``PRAGMA cache_size`` unless the URL sets one: 64 MiB (SQLite's default is 2 MiB, which a
#: table of 100k short rows outgrows; then every query reads its pages from the OS again). The
#: cache fills only as pages are read.
PAGE_CACHE = -65536


class _Interrupted(Exception):
    """Our progress handler stopped a statement on the loop thread: run it in a worker."""


class SQLiteConnection(TransactionControl):
    """One ``sqlite3`` connection, used on the loop thread and, when needed, in a worker."""

    def __init__(
        self,
        raw: sqlite3.Connection,
        functions: SQLFunctions,
        executor: ThreadPoolExecutor,
        busy_timeout: float,
        cache_size: int,
        counters: list[int],
    ) -> None:
        self._raw = raw
        self._functions = functions
        self._executor = executor
        self._busy_timeout = busy_timeout
        self._wake = threading.Event()  # set when the awaiting task is cancelled
        self._cache_size = cache_size
        self._counters = counters  # [statements moved to a worker thread], shared by the backend
        self._on_loop = False
        self._abortable = False
        self._deadline = 0.0
        self._aborted = False
        self._stop = False
        self._pending: asyncio.Future[Any] | None = None
        self._reading: Any = None  # what the cancelled worker was reading from: closed by _drain
        self._closed = False
        self._query_only = False  # inside transaction(readonly=True)
        #: (plan, model, sqlite_native.marked_plan(model, plan)) of the last instances_now
        self._last_plan: tuple[Any, Any, Any] = (None, None, None)
        #: INSERT text -> the statement version its table was found keyed by the rowid at, or
        #: False when it is not (``sqlite_keys``)
        self._keys: dict[str, Any] = {}
        self.created_at = self.last_used = time.monotonic()
        self.session_changed = False
        self._pragmas = read_pragmas(raw)  # what reset() restores
        raw.set_progress_handler(self._progress, _PROGRESS_STEPS)
        self._native = sqlite_native.attach(sqlite3, raw, cache_size)

    # The progress handler runs inside sqlite3_step; returning True interrupts the statement.
    def _progress(self) -> bool:
        if self._stop:  # the awaiting task was cancelled: stop the worker's statement
            return True
        if self._on_loop and self._abortable and time.perf_counter() > self._deadline:
            self._aborted = True
            return True
        return False

    @property
    def in_transaction(self) -> bool:
        return self._raw.in_transaction

    def _error(self, exc: Exception, sql: str | None = None) -> errors.DatabaseError:
        """``translate``, but a failed call of one of our SQL functions gives its own error."""
        return self._functions.take_error(exc) or translate(exc, sql)

    def is_closed(self) -> bool:
        return self._closed

    def _on_loop_call(self, fn: Callable[[], T], abortable: bool, sql: str | None = None) -> T:
        """Run ``fn`` on the loop thread; raise ``_Interrupted`` if it must move to a worker."""
        self._on_loop = True
        self._abortable = abortable
        self._deadline = time.perf_counter() + LOOP_BUDGET
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if self._aborted:
                self._aborted = False
                raise _Interrupted from exc
            if is_busy(exc):
                raise _Interrupted from exc
            raise self._error(exc, sql) from exc
        except _DRIVER_ERRORS as exc:
            raise self._error(exc, sql) from exc
        finally:
            self._on_loop = False

    async def _in_worker(
        self, fn: Callable[[], T], reading: Any = None, sql: str | None = None
    ) -> T:
        """Run ``fn`` in a worker thread, retrying while another connection holds the lock."""
        busy_timeout, wake = self._busy_timeout, self._wake

        def work() -> T:
            deadline = time.monotonic() + busy_timeout
            delays = iter(_BUSY_DELAYS)
            while True:
                if self._stop:  # cancelled before (or while) waiting: run nothing more
                    raise sqlite3.OperationalError("interrupted")
                try:
                    return fn()
                except sqlite3.OperationalError as exc:
                    remaining = deadline - time.monotonic()
                    if not is_busy(exc) or remaining <= 0:
                        raise
                    if wake.wait(min(next(delays, _BUSY_MAX_DELAY), remaining)):
                        raise

        self._counters[0] += 1
        # in the caller's context (as asyncio.to_thread): what the converters read of it holds
        run = contextvars.copy_context().run
        future = asyncio.get_running_loop().run_in_executor(self._executor, run, work)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            # Stop the statement or the wait for a lock (also if the thread has not started
            # yet); every later use of the connection first waits for the thread (_drain).
            self._stop = True
            wake.set()
            self._raw.interrupt()
            self._pending = future
            self._reading = reading  # its statement may still be active: closed by _drain
            raise
        except _DRIVER_ERRORS as exc:
            raise self._error(exc, sql) from exc

    async def _drain(self) -> None:
        """Wait until a worker thread interrupted by a cancellation has let go (at once: it
        stops between two steps of the statement or two attempts to take a lock)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await asyncio.wait([pending])
            reading, self._reading = self._reading, None
            if reading is not None:  # the worker let go: nothing can be reading it now
                reading.close()
            self._stop = False
            self._wake.clear()
            if not pending.cancelled() and pending.exception() is None:
                made = pending.result()  # (the exception retrieved, so asyncio does not log it)
                if isinstance(made, sqlite3.Cursor):  # an execute() that ended as it was
                    made.close()  # cancelled: its statement would keep the interrupt alive

    async def _run(
        self,
        fn: Callable[[], T],
        abortable: bool = True,
        worker: Callable[[], T] | None = None,
        sql: str | None = None,
    ) -> T:
        """``fn`` on the loop thread; if it must move, ``worker`` (default ``fn``) in a thread."""
        if self._closed:
            raise errors.InterfaceError("the connection is closed")
        if self._pending is not None:
            await self._drain()
        try:
            return self._on_loop_call(fn, abortable, sql)
        except _Interrupted:
            return await self._in_worker(worker or fn, sql=sql)

    def _native_on_loop(self, call: Callable[..., Any], sql: str, *args: Any) -> Any:
        """``call(sql, *args)`` of the native runner on the loop thread, as ``_on_loop_call``
        runs the module's calls; ``_MOVE`` when the statement must run in a worker instead."""
        raw = self._raw
        self._on_loop = True
        self._abortable = not raw.in_transaction or _readonly(sql)
        self._deadline = time.perf_counter() + LOOP_BUDGET
        try:
            return call(sql, *args)
        except sqlite3.OperationalError as exc:
            if not (self._aborted or is_busy(exc)):
                raise self._error(exc, sql) from exc
            self._aborted = False
            return _MOVE
        except _DRIVER_ERRORS as exc:
            raise self._error(exc, sql) from exc
        finally:
            self._on_loop = False

    def _ready(self) -> bool:
        """Whether the native runner may take the next statement at once (the common case)."""
        return self._native is not None and not self._closed and self._pending is None

    async def execute(self, sql: str, params: Sequence[Any]) -> int:
        count: Any = NotImplemented
        raw = self._raw
        native = self._native
        if native is not None and not self._closed and self._pending is None:
            # `_native_on_loop(native.execute, sql, params)`, written out: one frame less
            self._on_loop = True
            self._abortable = not raw.in_transaction or _readonly(sql)
            self._deadline = time.perf_counter() + LOOP_BUDGET
            try:
                count = native.execute(sql, params)
            except sqlite3.OperationalError as exc:
                if not (self._aborted or is_busy(exc)):
                    raise self._error(exc, sql) from exc
                self._aborted = False
                count = _MOVE
            except _DRIVER_ERRORS as exc:
                raise self._error(exc, sql) from exc
            finally:
                self._on_loop = False
            if type(count) is int:
                return count

        def module() -> int:
            return raw.execute(sql, params).rowcount

        params = module_params(params)  # (the native runner hands a NaN back: it comes here)
        if count is _MOVE:
            return await self._in_worker(module, sql=sql)
        return await self._run(module, not raw.in_transaction or _readonly(sql), sql=sql)

    async def _fetch(self, sql: str, params: Sequence[Any]) -> tuple[list[Any], Any]:
        """All rows and the cursor's description. Rows are fetched on the loop thread in
        chunks until ``LOOP_BUDGET`` is half spent; a larger result continues from where it
        stopped, on the same cursor, in a worker thread (never computed twice). A single
        step that outlasts the budget (a big sort) is interrupted and run again in a worker,
        as every statement is."""
        raw = self._raw
        params = module_params(params)
        if self._closed:
            raise errors.InterfaceError("the connection is closed")
        if self._pending is not None:
            await self._drain()
        state: list[Any] = []

        def start() -> bool:
            cursor = raw.execute(sql, params)
            rows: list[Any] = []
            state[:] = [cursor, rows]
            stop = time.perf_counter() + LOOP_BUDGET / 2
            while True:
                chunk = _closed_on_error(cursor, cursor.fetchmany, _CHUNK)
                rows.extend(chunk)
                if len(chunk) < _CHUNK:
                    return True
                if time.perf_counter() > stop:
                    return False

        abortable = not raw.in_transaction or _readonly(sql)
        try:
            done = self._on_loop_call(start, abortable, sql)
        except _Interrupted:
            return await self._fetch_in_worker(sql, params)
        cursor, rows = state
        if not done:
            rest = functools.partial(_closed_on_error, cursor, cursor.fetchall)
            rows.extend(await self._in_worker(rest, cursor))
        return rows, cursor.description

    async def _fetch_in_worker(self, sql: str, params: Sequence[Any]) -> tuple[list[Any], Any]:
        raw = self._raw
        params = module_params(params)

        def again() -> tuple[list[Any], Any]:
            cursor = raw.execute(sql, params)
            return _closed_on_error(cursor, cursor.fetchall), cursor.description

        return await self._in_worker(again, sql=sql)

    async def _native_fetch(self, sql: str, params: Sequence[Any], plan: Any = None) -> Any:
        """The rows (tuples, or instances with ``plan``) read by the native runner, the rest
        in a worker once ``LOOP_BUDGET`` is half spent; ``NotImplemented`` if the module must
        run the statement (nothing ran); ``_MOVE`` if it must run in a worker."""
        got = self._native_on_loop(self._native.fetch, sql, params, _HALF_BUDGET, None, plan)
        return await self._rest(*got) if type(got) is tuple else got

    async def _rest(self, rows: list[Any], pending: Any) -> list[Any]:
        """``rows`` and the rest of a native read whose time on the loop ran out."""
        rows.extend(await self._in_worker(pending.fetch_rest, pending))
        return rows

    async def fetch_all(self, sql: str, params: Sequence[Any]) -> Rows:
        if self._ready():
            rows = await self._native_fetch(sql, params)
            if type(rows) is list:
                desc = self._native.last_description
            elif rows is _MOVE:
                rows, desc = await self._fetch_in_worker(sql, params)
            else:
                rows, desc = await self._fetch(sql, params)
        else:
            rows, desc = await self._fetch(sql, params)
        if not desc:
            return Rows(rows)
        cls = record_class_of(desc)
        return Rows(to_records(cls, rows), cls._names)

    async def fetch_tuples(self, sql: str, params: Sequence[Any]) -> list[Any]:
        got = self.tuples_now(sql, params)
        return got if type(got) is list else await got

    def tuples_now(self, sql: str, params: Sequence[Any]) -> Any:
        """``fetch_tuples`` without a coroutine where it can be: the list, when the native
        runner read every row at once on the loop thread (the common case); else an
        awaitable of it (the rest in a worker, or the statement run by the module)."""
        if self._native is not None and not self._closed and self._pending is None:  # _ready
            got = self._native_on_loop(self._native.fetch, sql, params, _HALF_BUDGET)
            if type(got) is list:
                return got
            if type(got) is tuple:
                return self._rest(*got)
            if got is _MOVE:
                return _rows_of(self._fetch_in_worker(sql, params))
        return _rows_of(self._fetch(sql, params))

    async def fetch_key(
        self, sql: str, params: Sequence[Any], returning: str, table: str, column: str
    ) -> list[Any]:
        """``[(key,)]`` of the row the INSERT ``sql`` made, as ``returning`` (the same insert
        with ``RETURNING`` the key) gives it, without its cost where it can (``sqlite_keys``)."""
        return await sqlite_keys.fetch_key(self, sql, params, returning, table, column)

    async def fetch_instances(
        self, sql: str, params: Sequence[Any], model: Any, plan: tuple[Any, ...]
    ) -> list[Any]:
        """Instances of ``model`` built by the native runner straight from the rows (``plan``
        as for ``_ferrule.model_rows``; no tuple in between). For ``SQLiteBackend``s that
        ``builds_instances``; a statement the runner hands back is read as tuples, then built
        by ``model_rows``. An error of a plan's converter is raised as it is, untranslated,
        as ``model_rows`` raises it (``sqlite_native.marked_plan``)."""
        got = self.instances_now(sql, params, model, plan)
        return got if type(got) is list else await got

    def instances_now(
        self, sql: str, params: Sequence[Any], model: Any, plan: tuple[Any, ...]
    ) -> Any:
        """``fetch_instances`` without a coroutine where it can be: the list, when the native
        runner read every row at once on the loop thread (the common case); else an
        awaitable of it (the rest in a worker, or the statement read as tuples)."""
        got: Any = None
        native = self._native
        if native is not None and not self._closed and self._pending is None:  # _ready
            last = self._last_plan  # the plan of the last call, marked: asked again and again
            if last[0] is plan and last[1] is model:
                marked = last[2]
            else:
                marked = sqlite_native.marked_plan(model, plan)
                self._last_plan = (plan, model, marked)
            # `_native_on_loop(native.fetch, ...)`, written out: one frame less
            raw = self._raw
            self._on_loop = True
            self._abortable = not raw.in_transaction or _readonly(sql)
            self._deadline = time.perf_counter() + LOOP_BUDGET
            try:
                got = native.fetch(sql, params, _HALF_BUDGET, None, marked)
            except sqlite_native.ConverterError as exc:
                got = exc
            except sqlite3.OperationalError as exc:
                if not (self._aborted or is_busy(exc)):
                    raise self._error(exc, sql) from exc
                self._aborted = False
                got = _MOVE
            except _DRIVER_ERRORS as exc:
                raise self._error(exc, sql) from exc
            finally:
                self._on_loop = False
            if type(got) is list:
                return got
            if type(got) is sqlite_native.ConverterError:
                raise got.error  # outside the handler: its own context and cause are kept
        return self._instances_later(sql, params, model, plan, got)

    async def _instances_later(
        self, sql: str, params: Sequence[Any], model: Any, plan: tuple[Any, ...], got: Any
    ) -> list[Any]:
        """The end of ``instances_now`` that must wait: ``got`` is what the runner gave (rows
        so far and the rest to read, ``_MOVE``, ``NotImplemented``) or None (not ready)."""
        if type(got) is tuple:
            try:
                got = await self._rest(*got)
            except sqlite_native.ConverterError as exc:
                got = exc
            if type(got) is sqlite_native.ConverterError:
                raise got.error  # outside the handler, as above
            rows_built: list[Any] = got
            return rows_built
        if got is _MOVE:
            got = (await self._fetch_in_worker(sql, params))[0]
        from ferrule._ferrule import model_rows

        rows = got if type(got) is list else await self.fetch_tuples(sql, params)
        instances: list[Any] = model_rows(model, rows, *plan)
        return instances

    async def fetch_one(self, sql: str, params: Sequence[Any]) -> Row | None:
        raw = self._raw
        if self._ready():
            native = self._native
            rows = self._native_on_loop(native.fetch, sql, params, None, 1)
            if type(rows) is list:
                return record_class_of(native.last_description)(rows[0]) if rows else None
            if rows is _MOVE:
                args = module_params(params)
                return await self._in_worker(lambda: _one(raw.execute(sql, args)), sql=sql)
        # Fast path inlined: no closure, no extra frame.
        params = module_params(params)
        if self._closed:
            raise errors.InterfaceError("the connection is closed")
        if self._pending is not None:
            await self._drain()
        self._on_loop = True
        self._abortable = not raw.in_transaction or _readonly(sql)
        self._deadline = time.perf_counter() + LOOP_BUDGET
        try:
            return _one(raw.execute(sql, params))
        except sqlite3.OperationalError as exc:
            if not (self._aborted or is_busy(exc)):
                raise self._error(exc, sql) from exc
            self._aborted = False
        except _DRIVER_ERRORS as exc:
            raise self._error(exc, sql) from exc
        finally:
            self._on_loop = False
        return await self._in_worker(lambda: _one(raw.execute(sql, params)), sql=sql)

    async def fetch_val(self, sql: str, params: Sequence[Any]) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def iterate(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncIterator[Row]:
        raw = self._raw
        params = module_params(params)
        cursor = await self._in_worker(lambda: raw.execute(sql, params), sql=sql)
        cls = record_class_of(cursor.description or ())
        try:
            while True:
                # a cancelled fetch leaves the cursor to _drain, which closes it once the
                # worker let go: an open statement keeps the interrupt alive for every later one
                batch = await self._in_worker(lambda: cursor.fetchmany(batch_size), cursor)
                for row in to_records(cls, batch):
                    yield row
                if len(batch) < batch_size:
                    break
        finally:
            # (a loop closed after the connection, by the event loop's finaliser: the cursor
            # went with the connection)
            if self._pending is None and not self._closed:
                cursor.close()

    async def execute_many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        raw, native = self._raw, self._native
        seq = params if type(params) in (list, tuple) else list(params)

        def module() -> None:
            raw.executemany(sql, module_rows(seq))

        def loop() -> None:
            if native.execute_many(sql, seq) is NotImplemented:
                module()

        many = module if native is None else loop
        if raw.in_transaction:
            await self._run(many, abortable=False, worker=module)
            return

        # One implicit transaction: all or nothing, and far faster than autocommit per row.
        def work(many: Callable[[], None]) -> None:
            # Re-run after SQLITE_BUSY: a busy COMMIT leaves the batch in its transaction.
            if not raw.in_transaction:
                raw.execute(_ISOLATION_BEGIN)
                try:
                    many()
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
            raw.execute("COMMIT")

        await self._run(lambda: work(many), abortable=False, worker=lambda: work(module))

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" * len(columns))
        rows = list(check_records(records, len(columns)))
        await self.execute_many(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        return len(rows)

    async def begin(self, isolation: str | None, readonly: bool) -> None:
        # SQLite is always serializable; any requested level is met. IMMEDIATE takes the write
        # lock up front so two writers never deadlock on a lock upgrade; readonly stays deferred,
        # and every write in it fails (_deny_writes, query_only) until COMMIT/ROLLBACK.
        raw = self._raw
        if readonly:
            await self._run(lambda: raw.execute("PRAGMA query_only = 1"), abortable=False)
            raw.set_authorizer(_deny_writes)
            self._query_only = True
            try:
                await self._run(lambda: raw.execute("BEGIN"), abortable=False)
            except BaseException:
                self._writable()
                raise
            return
        await self._run(lambda: raw.execute(_ISOLATION_BEGIN), abortable=False)

    async def commit(self) -> None:
        await super().commit()
        self._writable()

    async def rollback(self) -> None:
        try:
            await self._simple("ROLLBACK")
        finally:
            if self._pending is None:  # else reset() does it once the worker has let go
                self._writable()

    def _writable(self) -> None:
        """End a readonly transaction's query_only (a connection flag, not transactional)."""
        if self._query_only:
            self._raw.set_authorizer(None)
            self._raw.execute("PRAGMA query_only = 0")
            self._query_only = False

    async def _simple(self, sql: str) -> None:
        raw = self._raw
        await self._run(lambda: raw.execute(sql), abortable=False)

    async def ping(self) -> None:
        await self._run(lambda: self._raw.execute("SELECT 1"))

    async def reset(self) -> bool:
        await self._drain()  # the worker thread must let go of the connection first
        try:
            if self._raw.in_transaction:
                self._raw.execute("ROLLBACK")
            self._writable()
            if self.session_changed:
                reset_session(self._raw, self._pragmas)
                self.session_changed = False
        except sqlite3.Error:
            return False
        return True

    async def close(self) -> None:
        self.terminate()

    def terminate(self) -> None:
        if not self._closed:
            self._closed = True
            if self._native is not None:
                self._native.clear()  # finalized first, so the handle closes at once
            self._raw.close()

    def statement_cache_stats(self) -> dict[str, Any]:
        if self._native is not None:
            stats: dict[str, Any] = self._native.stats()
            return stats
        # The sqlite3 module keeps an LRU of prepared statements per connection; it exposes no
        # counters, only its capacity.
        return {"capacity": self._cache_size, "size": None, "hits": None, "misses": None}


async def _rows_of(read: Awaitable[tuple[list[Any], Any]]) -> list[Any]:
    """The rows of a read that gives them with the cursor's description."""
    return (await read)[0]


def _closed_on_error(cursor: sqlite3.Cursor, read: Callable[..., T], *args: Any) -> T:
    """``read(*args)`` of ``cursor``, the cursor closed if it raises: a converter's error (a
    value another program wrote that is not of its column's type) left the statement active
    for as long as the error's traceback lived, and every later write or ``DROP`` of the
    table on the connection failed with "database table is locked"."""
    try:
        return read(*args)
    except BaseException:
        cursor.close()
        raise


def _one(cursor: sqlite3.Cursor) -> Row | None:
    row = _closed_on_error(cursor, cursor.fetchone)
    return None if row is None else record_class_of(cursor.description)(row)


# --- backend -----------------------------------------------------------------------------------


def _close_opened(future: asyncio.Future[tuple[sqlite3.Connection, SQLFunctions]]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result()[0].close()


class SQLiteBackend:
    dialect = "sqlite"
    capabilities = frozenset(
        {
            "returning",
            "savepoints",
            "json_type",
            "uuid_type",
            "tz_datetime",
            "sqlite_file",
        }
    )

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        query = url.query
        self._memory = url.database == ":memory:" or query.get("mode") == "memory"
        self._busy_timeout = float(query.get("busy_timeout", "30"))
        self._journal = query.get("journal_mode", "wal" if not self._memory else "memory")
        self._synchronous = query.get("synchronous", "normal")
        self._foreign_keys = query.get("foreign_keys", "on")
        self._page_cache = query.get("cache_size", str(PAGE_CACHE))
        self._executor = ThreadPoolExecutor(
            max_workers=url.options.max_size, thread_name_prefix="ferrule-sqlite"
        )
        self._counters = [0]
        #: the native runner reads rows straight into ORM instances (``fetch_instances``)
        self.builds_instances = sqlite_native.usable(sqlite3)
        if not self._memory:
            self.capabilities = self.capabilities | {"concurrent_connections"}
        #: an open read keeps other connections from committing (``Database._held_copy``)
        self.readers_block_writers = not self._memory and self._journal.lower() != "wal"

    def _open(self, timeout: float = 0.0) -> tuple[sqlite3.Connection, SQLFunctions]:
        database = self.url.database or ":memory:"
        uri = False
        mode = self.url.query.get("mode")
        if mode is not None and not self._memory:
            database, uri = f"file:{database}?mode={mode}", True
        raw = sqlite3.connect(
            database,
            timeout=timeout,
            isolation_level=None,
            detect_types=sqlite3.PARSE_DECLTYPES,
            check_same_thread=False,
            cached_statements=self.url.options.statement_cache_size,
            uri=uri,
        )
        try:  # the values are checked against SQLite's spellings (url.SQLITE_PRAGMA_VALUES)
            if mode != "ro":
                kept = raw.execute(f"PRAGMA journal_mode = {self._journal}").fetchone()[0]
                if "journal_mode" in self.url.query and kept != self._journal.lower():
                    raise errors.ConfigurationError(
                        f"journal_mode={self._journal}: this database keeps its journal "
                        f"{kept!r} (an in-memory database's is memory or off)"
                    )
            raw.execute(f"PRAGMA synchronous = {self._synchronous}")
            raw.execute(f"PRAGMA foreign_keys = {self._foreign_keys}")
            raw.execute(f"PRAGMA cache_size = {self._page_cache}")
            raw.execute("PRAGMA busy_timeout = 0")
            functions = prepare_connection(raw)
        except (sqlite3.Error, errors.ConfigurationError):
            raw.close()
            raise
        return raw, functions

    async def connect(self) -> SQLiteConnection:
        try:
            raw, functions = self._open()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise errors.ConnectionError(f"cannot open {self.url.database}: {exc}") from exc
            # Switching to WAL needs a moment of exclusive access: wait in a worker thread.
            opening = asyncio.get_running_loop().run_in_executor(
                self._executor, self._open, self._busy_timeout
            )
            try:
                raw, functions = await asyncio.shield(opening)
            except asyncio.CancelledError:  # the connection may still open: close it then
                opening.add_done_callback(_close_opened)
                raise
        return SQLiteConnection(
            raw,
            functions,
            self._executor,
            self._busy_timeout,
            self.url.options.statement_cache_size,
            self._counters,
        )

    def is_disconnect(self, exc: BaseException) -> bool:
        return False

    @staticmethod
    def copied_rows(
        run: sqlite_snapshots.Run, sql: str, params: Sequence[Any], batch_size: int
    ) -> AsyncGenerator[Row, None] | None:
        """``iterate`` where the loop's body shares its connection (``sqlite_snapshots``)."""
        return (
            sqlite_snapshots.rows(run, sql, params, batch_size)
            if sqlite_snapshots.applies(sql)
            else None
        )

    def stats(self) -> dict[str, Any]:
        return {"offloaded": self._counters[0]}

    async def aclose(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
