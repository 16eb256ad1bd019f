"""``Database``: the public API over a pool of backend connections.

Every query method accepts either ``(sql, params)`` in the backend's native placeholder style
(``?`` SQLite, ``$1`` PostgreSQL, ``%s`` MySQL) or any object with a ``compile(dialect)`` method
returning ``(sql, params)`` — the queries of ``ferrule.sql``, including ``ferrule.sql.text``.
Raw ``params`` are a sequence, one value per placeholder; a ``str``, ``dict``, ``set`` or number
is refused with ``ArgumentError`` before anything is sent (see ``backends.params``).

Outside any block each call borrows a connection for one statement. Inside
``async with db.transaction():`` or ``db.connection()`` the calls of the block's task and of
every task started inside it run on the block's connection, in turns; a nested
``transaction()`` becomes a savepoint. ``blocks`` states the rules.

A call outside any block cancelled once its statement was handed to the driver may or may not
have committed: its cancellation says so (``in_flight``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Iterable,
    Sequence,
)
from types import TracebackType
from typing import Any

from ferrule import errors
from ferrule.backends.base import (
    Backend,
    Connection,
    Row,
    Rows,
    changes_session,
    normalize_isolation,
)
from ferrule.backends.blocks import Scope, Session, Transaction, settle_stream
from ferrule.backends.hooks import Hook, QueryEvent, slow_log
from ferrule.backends.in_flight import note_in_flight
from ferrule.backends.params import check_columns, check_params, check_rows
from ferrule.backends.pool import Pool
from ferrule.backends.url import DatabaseURL

__all__ = ["Database", "Session", "Transaction"]


def compile_query(query: Any, params: Any, dialect: str, many: bool = False) -> tuple[str, Any]:
    """``(sql, params)`` for a raw string, an ``(sql, params)`` pair or a compilable query.
    Raw parameters must be a sequence (``params.check_params``).

    MySQL text is %-formatted by the driver only when there are parameters, and raw text
    without them is sent as written. A compiled statement has every literal ``%`` doubled
    (``ferrule.sql`` writes a format string), so without parameters (and not for
    ``execute_many``, whose rows are the parameters) it is formatted here: ``sql % ()``."""
    if type(query) is str:
        return query, check_params(params)
    if isinstance(query, tuple) and len(query) == 2 and params is None:
        return query[0], check_params(query[1])
    compile_ = getattr(query, "compile", None)
    if compile_ is None:
        raise errors.ArgumentError(
            f"expected an SQL string or a query with .compile(dialect), not {type(query).__name__}"
        )
    if params is not None:
        raise errors.ArgumentError("a compiled query carries its own parameters; pass none")
    sql, args = compile_(dialect)
    if not args and not many and dialect == "mysql":
        sql = sql.replace("%%", "%")  # == sql % (): no placeholders, every literal % doubled
    return sql, args


class Database:
    """A pool of connections to one database. Create with ``await ferrule.connect(url)``."""

    def __init__(self, url: DatabaseURL, backend: Backend) -> None:
        self.url = url
        self.dialect: str = backend.dialect
        self.capabilities: frozenset[str] = backend.capabilities
        self._backend = backend
        self._pool = Pool(backend, url.options)
        # The innermost block of the current task (inherited by the tasks it starts).
        self._binding: contextvars.ContextVar[Scope | None] = contextvars.ContextVar(
            f"ferrule_db_{id(self)}", default=None
        )
        self._before: list[Hook] = []
        self._after: list[Hook] = []
        self._slow = url.options.slow_query_threshold
        self._observed = self._slow > 0
        #: the connections build ORM instances from their rows (``_instances``)
        self._builds: bool = getattr(backend, "builds_instances", False)
        self._gives_back: bool = getattr(backend, "instances_give_back", False)
        #: ``iterate`` as a copy read a batch at a time, where the backend has one (``_copied``)
        self._copies: Callable[..., AsyncGenerator[Row, None] | None] | None = getattr(
            backend, "copied_rows", None
        )
        self.slow_queries = 0
        self._closed = False

    async def _open(self) -> None:
        try:
            await self._pool.open()
        except BaseException:
            await self._pool.close()
            await self._backend.aclose()
            raise

    # -- lifecycle --------------------------------------------------------------------------

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._pool.close()
            await self._backend.aclose()
            # Aborted transports close their sockets on the next loop iteration: let them, so
            # that a program ending right after close() leaves no socket open.
            await asyncio.sleep(0)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"<Database {self.dialect} {self.url.database!r}>"

    # -- observability ------------------------------------------------------------------------

    def add_hook(self, before: Hook | None = None, after: Hook | None = None) -> None:
        """Call ``before(event)`` / ``after(event)`` around every statement (see ``hooks``)."""
        if before is not None:
            self._before.append(before)
        if after is not None:
            self._after.append(after)
        self._observed = True

    def remove_hook(self, before: Hook | None = None, after: Hook | None = None) -> None:
        if before is not None:
            self._before.remove(before)
        if after is not None:
            self._after.remove(after)
        self._observed = bool(self._before or self._after or self._slow > 0)

    def stats(self) -> dict[str, Any]:
        """Pool statistics, slow-query count and each idle connection's statement cache."""
        out = self._pool.stats()
        out["slow_queries"] = self.slow_queries
        out.update(self._backend.stats())
        out["statement_cache"] = [c.statement_cache_stats() for c in self._pool.idle_connections()]
        return out

    async def _observe(
        self, conn: Connection, op: str, sql: str, args: Any, extra: tuple[Any, ...] = ()
    ) -> Any:
        event = QueryEvent(self.dialect, op, sql, args)
        return await self._watch(event, lambda: getattr(conn, op)(sql, args, *extra))

    async def _observe_copy(
        self, conn: Connection, table: str, columns: Sequence[str], records: Any
    ) -> int:
        """``copy_records`` as hooks see it: ``sql`` names the target, ``params`` the records."""
        label = f"COPY {table} ({', '.join(columns)})"
        event = QueryEvent(self.dialect, "copy_records", label, records)
        count: int = await self._watch(event, lambda: conn.copy_records(table, columns, records))
        return count

    async def _watch(self, event: QueryEvent, call: Callable[[], Awaitable[Any]]) -> Any:
        """Run ``call()`` between the before and after hooks, timing it for the slow log."""
        for hook in self._before:
            hook(event)
        started = time.perf_counter()
        sql = event.sql
        try:
            return await call()
        except BaseException as exc:
            event.error = exc
            raise
        finally:
            event.duration = time.perf_counter() - started
            for hook in self._after:
                hook(event)
            if self._slow and event.duration >= self._slow:
                self.slow_queries += 1
                slow_log.warning("slow query (%.3fs, %s): %s", event.duration, self.dialect, sql)

    # -- running statements -------------------------------------------------------------------

    async def _text(self, op: str, sql: str, params: Any, *extra: Any) -> Any:
        """One statement of SQL text: ``conn.<op>(sql, params, *extra)`` on the connection of
        the calling task's block (when it is its turn) or on one borrowed from the pool. The
        entry of every statement method and of the ORM's cached statements, written out for
        the common case (a block's turn at once, a free pooled connection): one coroutine
        here, then the driver's."""
        args = params if type(params) is list or type(params) is tuple else check_params(params)
        scope = self._binding.get()
        if scope is not None:  # `_held`, written out
            hold = scope.hold
            if changes_session(sql):  # reset when the block gives the connection back
                hold.conn.session_changed = True
            locked = hold.enter_now(scope)
            if locked is None:
                locked = await hold.enter(scope)
            try:
                if locked is False:  # between the batches of this task's iterate loop
                    await settle_stream(hold.conn)
                if self._observed:
                    return await self._observe(hold.conn, op, sql, args, extra)
                return await getattr(hold.conn, op)(sql, args, *extra)
            except BaseException as exc:
                hold.interrupted(exc)
                raise
            finally:
                if locked:
                    hold.leave()
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        if changes_session(sql):  # SET, LISTEN, CREATE TEMP, ...: reset it on release
            conn.session_changed = True
        try:
            if self._observed:
                result = await self._observe(conn, op, sql, args, extra)
            else:
                result = await getattr(conn, op)(sql, args, *extra)
        except BaseException as exc:
            note_in_flight(exc)
            try:
                await pool.release_dirty(conn, exc)
            except BaseException as again:  # cancelled again meanwhile: in flight all the same
                note_in_flight(again)
                raise
            raise
        back = pool.give_back(conn)
        if back is not None:
            try:
                await back
            except BaseException as exc:  # ran, but its result is lost: as if in flight
                note_in_flight(exc)
                raise
        return result

    def _tuples(self, sql: str, args: list[Any]) -> Any:
        """The rows of ``sql`` as ``fetch_tuples`` reads them (``values()``' cached shapes),
        without a coroutine where the connection can, as ``_instances`` (SQLite's native
        runner, no hook watching): the list itself, or an awaitable of it."""
        if (
            not self._builds
            or self._gives_back  # (PostgreSQL: its reads are coroutines anyway)
            or self._observed
            or self._binding.get() is not None
        ):
            return self._text("fetch_tuples", sql, args)
        pool = self._pool
        conn: Any = pool.acquire_nowait()
        if conn is None:
            return self._text("fetch_tuples", sql, args)
        if changes_session(sql):  # as `_text`: reset it on release
            conn.session_changed = True
        try:
            got = conn.tuples_now(sql, args)
        except BaseException as exc:
            return self._settle(conn, None, exc)
        if type(got) is not list or conn.in_transaction or conn.session_changed:
            return self._settle(conn, got)  # as `_instances`
        pool.release(conn)  # (`_instances`' steps, written out: a frame costs 1.5% here)
        return got

    def _instances(self, sql: str, args: Any, model: Any, plan: Any) -> Any:
        """The instances of ``model`` the driver builds straight from the rows of ``sql``
        (``plan`` as for ``_ferrule.model_rows``), where it can: SQLite with the native
        runner, and no hook or slow-query log watching (they see ``fetch_tuples``). Else
        ``None``, and nothing ran: the caller reads ``fetch_tuples`` and builds them.

        The common case is answered without a coroutine: outside any block, with an idle
        pooled connection whose runner reads every row at once, the list itself comes back.
        Otherwise an awaitable of the list (a block's turn, a busy pool, the rest of a long
        read in a worker, an error to hand the connection back from)."""
        if not self._builds or self._observed:
            return None
        if self._binding.get() is not None:
            return self._text("fetch_instances", sql, args, model, plan)
        pool = self._pool
        conn: Any = pool.acquire_nowait()
        if conn is None:
            return self._text("fetch_instances", sql, args, model, plan)
        if changes_session(sql):  # as `_text`: reset it on release
            conn.session_changed = True
        if self._gives_back:  # the connection's coroutine gives it back: no `_settle`
            return conn.fetch_instances(sql, args, model, plan, pool)
        try:
            got = conn.instances_now(sql, args, model, plan)
        except BaseException as exc:
            return self._settle(conn, None, exc)
        if type(got) is not list or conn.in_transaction or conn.session_changed:
            return self._settle(conn, got)  # `Pool.give_back`, written out: no frame
        pool.release(conn)
        return got

    async def _settle(self, conn: Any, got: Any, error: BaseException | None = None) -> Any:
        """The end of an ``_instances`` that must wait: the rest of the read (``got``, an
        awaitable, or the list), then ``conn`` back to the pool (``Pool.give_back``);
        ``error``: what the read raised, raised again once the connection is back."""
        pool = self._pool
        try:
            if error is not None:
                raise error
            if type(got) is not list:
                got = await got
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        back = pool.give_back(conn)
        if back is not None:
            await back
        return got

    async def _run_in(self, scope: Scope, op: str, query: Any, params: Any) -> Any:
        """A statement on a block's connection (``Session`` methods, from any task)."""
        sql, args = compile_query(query, params, self.dialect)
        return await self._held(scope, op, sql, args)

    async def _held(self, scope: Scope, op: str, sql: str, args: Any) -> Any:
        """Run one statement of ``scope`` on its held connection, when it is its turn (a
        ``Session`` method's: its block is named, not the task's)."""
        hold = scope.hold
        if changes_session(sql):  # reset when the block gives the connection back
            hold.conn.session_changed = True
        locked = hold.enter_now(scope)
        if locked is None:
            locked = await hold.enter(scope)
        try:
            if locked is False:  # between the batches of this task's iterate loop
                await settle_stream(hold.conn)
            if self._observed:
                return await self._observe(hold.conn, op, sql, args)
            return await getattr(hold.conn, op)(sql, args)
        except BaseException as exc:
            hold.interrupted(exc)
            raise
        finally:
            if locked:
                hold.leave()

    async def _in_turn(self, scope: Scope, call: Callable[[Connection], Awaitable[Any]]) -> Any:
        """``call(conn)`` on the block's connection once it is ``scope``'s turn; an interrupted
        call marks the hold (see ``blocks.Hold.interrupted``)."""
        hold = scope.hold
        locked = hold.enter_now(scope)
        if locked is None:
            locked = await hold.enter(scope)
        try:
            if locked is False:  # between the batches of this task's iterate loop
                await settle_stream(hold.conn)
            return await call(hold.conn)
        except BaseException as exc:
            hold.interrupted(exc)
            raise
        finally:
            if locked:
                hold.leave()

    async def execute(self, query: Any, params: Any = None) -> int:
        """Run a statement; return the number of affected rows (where the driver reports it)."""
        if type(query) is not str:
            query, params = compile_query(query, params, self.dialect)
        count: int = await self._text("execute", query, params)
        return count

    async def fetch_all(self, query: Any, params: Any = None) -> Rows:
        """All rows, as ``Rows`` (a list of tuple-like rows with ``.columns``)."""
        if type(query) is not str:
            query, params = compile_query(query, params, self.dialect)
        rows: Rows = await self._text("fetch_all", query, params)
        return rows

    async def fetch_tuples(self, query: Any, params: Any = None) -> list[Any]:
        """All rows as the driver gives them, read by position: plain tuples (an
        ``asyncpg.Record`` on PostgreSQL), without the cost of name-aware rows. For loaders
        such as the ORM's; ``fetch_all`` is the general form."""
        if type(query) is not str:
            query, params = compile_query(query, params, self.dialect)
        rows: list[Any] = await self._text("fetch_tuples", query, params)
        return rows

    async def fetch_one(self, query: Any, params: Any = None) -> Row | None:
        """The first row, or ``None``."""
        if type(query) is not str:
            query, params = compile_query(query, params, self.dialect)
        row: Row | None = await self._text("fetch_one", query, params)
        return row

    async def fetch_val(self, query: Any, params: Any = None) -> Any:
        """The first column of the first row, or ``None``."""
        if type(query) is not str:
            query, params = compile_query(query, params, self.dialect)
        return await self._text("fetch_val", query, params)

    async def execute_many(self, query: Any, params: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter tuple (atomically when not in a transaction)."""
        sql = (
            compile_query(query, None, self.dialect, many=True)[0]
            if type(query) is not str
            else query
        )
        await self._text("execute_many", sql, check_rows(params))

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        """Bulk-load rows: ``COPY`` on PostgreSQL, batched multi-row ``INSERT`` elsewhere."""
        columns = check_columns(columns)
        scope = self._binding.get()
        if scope is not None:
            return await self._copy_in(scope, table, columns, records)
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        try:
            count = await self._copy(conn, table, columns, records)
        except BaseException as exc:
            note_in_flight(exc)
            try:
                await pool.release_dirty(conn, exc)
            except BaseException as again:  # as `_text`
                note_in_flight(again)
                raise
            raise
        back = pool.give_back(conn)  # dirty too after reset_session="always"
        if back is not None:
            await back
        return count

    async def _copy_in(
        self, scope: Scope, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        count: int = await self._in_turn(
            scope, lambda conn: self._copy(conn, table, columns, records)
        )
        return count

    def _copy(
        self, conn: Connection, table: str, columns: Sequence[str], records: Any
    ) -> Awaitable[int]:
        if self._observed:
            return self._observe_copy(conn, table, columns, records)
        return conn.copy_records(table, columns, records)

    async def _iterate_in(
        self, scope: Scope, query: Any, params: Any, batch_size: int
    ) -> AsyncIterator[Row]:
        """Stream on a block's connection: its turn lasts until the loop ends."""
        sql, args = compile_query(query, params, self.dialect)
        hold = scope.hold
        if self._copies is not None and not (hold.depth and hold.mode[1]):
            # (a readonly transaction's body writes nothing: its loop reads as it goes)
            copied = self._copies(lambda call: self._in_turn(scope, call), sql, args, batch_size)
            if copied is not None:
                async with contextlib.aclosing(copied):  # its table goes when the loop does
                    async for row in copied:
                        yield row
                return
        locked = await hold.enter(scope)
        if changes_session(sql):
            hold.conn.session_changed = True
        try:
            if locked is False:  # a loop inside a loop of this task
                await settle_stream(hold.conn)
            async for row in hold.conn.iterate(sql, args, batch_size):
                yield row
        except BaseException as exc:
            hold.interrupted(exc)
            raise
        finally:
            if locked:
                hold.leave()

    async def iterate(
        self, query: Any, params: Any = None, *, batch_size: int = 1000
    ) -> AsyncIterator[Row]:
        """Stream rows in batches of ``batch_size`` (server-side cursor where there is one).

        Memory stays bounded by the batch size. The connection is held until the loop ends:
        use ``contextlib.aclosing`` when breaking out early, and run other queries of the same
        task inside ``db.connection()`` if the pool is small. Inside a block the loop has the
        block's connection to itself until it ends (the loop's own task may run statements
        between batches; other tasks wait their turn)."""
        scope = self._binding.get()
        if scope is not None:
            async for row in self._iterate_in(scope, query, params, batch_size):
                yield row
            return
        sql, args = compile_query(query, params, self.dialect)
        event = QueryEvent(self.dialect, "iterate", sql, args) if self._observed else None
        if event is not None:
            for hook in self._before:
                hook(event)
        pool = self._pool
        copied = self._copied(sql, args, batch_size)
        if copied is not None:
            started = time.perf_counter()
            try:
                async with contextlib.aclosing(copied):
                    async for row in copied:
                        yield row
            finally:
                if event is not None:
                    event.duration = time.perf_counter() - started
                    for hook in self._after:
                        hook(event)
            return
        conn = pool.acquire_nowait() or await pool.acquire()
        if changes_session(sql):
            conn.session_changed = True
        started = time.perf_counter()
        task = asyncio.current_task()
        pool.stream_opened(task)
        try:
            source = self._held_copy(conn, sql, args, batch_size)
            async with contextlib.aclosing(source):  # (a copy's table goes before the reset)
                async for row in source:
                    yield row
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        else:
            await pool.release_dirty(conn)
        finally:
            pool.stream_closed(task)
            if event is not None:
                event.duration = time.perf_counter() - started
                for hook in self._after:
                    hook(event)

    def _copied(self, sql: str, args: Any, batch_size: int) -> AsyncGenerator[Row, None] | None:
        """Outside a block, on a pool of one connection: the backend's copy of the result,
        read a batch at a time, each batch on a connection taken for it (SQLite:
        ``sqlite_snapshots``); None where the loop holds a connection of its own."""
        if self._copies is None or not self._copied_streams():
            return None
        return self._copies(self._on_pooled, sql, args, batch_size)

    def _held_copy(
        self, conn: Connection, sql: str, args: Any, batch_size: int
    ) -> AsyncGenerator[Row, None]:
        """The rows of the loop on its own ``conn``: read as they come, or, where an open
        read keeps other connections from committing (SQLite without WAL: its SHARED lock;
        the body's saves on other connections waited ``busy_timeout``, then failed), a copy
        read a batch at a time on ``conn``, no statement open between batches."""
        if self._copies is not None and getattr(self._backend, "readers_block_writers", False):
            copied = self._copies(lambda call: call(conn), sql, args, batch_size)
            if copied is not None:
                return copied
        rows: AsyncGenerator[Row, None] = conn.iterate(sql, args, batch_size)  # type: ignore[assignment]
        return rows

    def _copied_streams(self) -> bool:
        """Whether a query's loop outside a block is read as a copy (``_copied``): on a pool
        of one connection, not reset after every use (that would drop the copy)."""
        return (
            self._copies is not None
            and self.url.options.max_size == 1
            and not self._pool.resets_always
        )

    async def _on_pooled(self, call: Callable[[Connection], Awaitable[Any]]) -> Any:
        """``call(conn)`` on a connection taken from the pool for it."""
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        try:
            result = await call(conn)
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        back = pool.give_back(conn)
        if back is not None:
            await back
        return result

    # -- transactions and held connections -----------------------------------------------------

    def transaction(self, isolation: str | None = None, *, readonly: bool = False) -> Transaction:
        """``async with db.transaction(isolation="serializable") as tx:`` — see ``Transaction``."""
        return Transaction(self, normalize_isolation(isolation), readonly)

    def in_transaction(self) -> bool:
        """Whether the current task runs inside one of this database's ``transaction()``
        blocks: a new block is then a savepoint, and a deadlock rolls back more than it."""
        scope = self._binding.get()
        while scope is not None:
            if scope.transaction:
                return True
            scope = scope.parent
        return False

    def rollback_callbacks(self) -> list[Callable[[], None]] | None:
        """The callbacks run if the work the calling task's innermost transaction block has
        done so far is rolled back (that block, or one around it once it is released; never
        after a commit), to append to; None outside any transaction block. The list itself,
        so that a caller may add to a callback it appended (one per many writes)."""
        scope = self._binding.get()
        if scope is None:
            return None
        if scope.transaction and scope.undo is not None:  # (every write of a block asks)
            return scope.undo
        around = scope.transaction_scope()
        return None if around is None else around.undo_list()

    def at_rollback(self, callback: Callable[[], None]) -> bool:
        """Call ``callback`` if the calling task's innermost transaction block's work so far is
        rolled back (``rollback_callbacks``); False, and nothing registered, outside one."""
        callbacks = self.rollback_callbacks()
        if callbacks is None:
            return False
        callbacks.append(callback)
        return True

    def at_transaction_end(self, callback: Callable[[], None]) -> bool:
        """Call ``callback()`` when the current task's outermost transaction on this database
        ends, committed or rolled back; False (and no call) when there is none (or it has
        ended: a task that outlived its block)."""
        hold = self._transaction_hold()
        if hold is None:
            return False
        if hold.on_end is None:
            hold.on_end = []
        hold.on_end.append(callback)
        return True

    def at_transaction_end_once(
        self, key: Hashable, make: Callable[[], Callable[[], None]]
    ) -> bool | None:
        """``at_transaction_end(make())`` unless a callback was registered under ``key`` for the
        same transaction already (work asked for on every write, wanted once at the end):
        True when registered now, False when there was one (``make`` is not called), None
        when the current task has no transaction on this database (or it has ended)."""
        scope = self._binding.get()  # `_transaction_hold`, written out
        while scope is not None and not scope.transaction:
            scope = scope.parent
        if scope is None:
            return None
        hold = scope.hold
        keys = hold.on_end_keys
        if keys is None:
            keys = hold.on_end_keys = set()
        elif key in keys:
            return False
        if not scope.end_to_come():  # a task that outlived its block: it has ended
            return None
        callback = make()
        keys.add(key)
        if hold.on_end is None:
            hold.on_end = []
        hold.on_end.append(callback)
        return True

    def _transaction_hold(self) -> Any:
        """The hold of the current task's innermost transaction block on this database, or
        None outside any (or when that transaction has ended)."""
        scope = self._binding.get()
        while scope is not None and not scope.transaction:
            scope = scope.parent
        return None if scope is None or not scope.end_to_come() else scope.hold

    def connection(self) -> Session:
        """``async with db.connection() as conn:`` holds one connection for a block of work."""
        return Session(self)
