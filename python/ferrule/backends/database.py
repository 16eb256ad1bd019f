"""``Database``: the public API over a pool of backend connections.

Every query method accepts either ``(sql, params)`` in the backend's native placeholder style
(``?`` SQLite, ``$1`` PostgreSQL, ``%s`` MySQL) or any object with a ``compile(dialect)`` method
returning ``(sql, params)`` — the queries of ``ferrule.sql``, including ``ferrule.sql.text``.
Raw ``params`` are a sequence, one value per placeholder; a ``str``, ``dict``, ``set`` or number
is refused with ``ArgumentError`` before anything is sent (see ``backends.params``).

Outside a transaction each call borrows a connection for one statement. Inside
``async with db.transaction():`` the calls of the same task run on the transaction's connection;
a nested ``transaction()`` becomes a savepoint. Other tasks never share it: a task spawned inside
the block gets its own connection.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
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
from ferrule.backends.hooks import Hook, QueryEvent, slow_log
from ferrule.backends.params import check_params, check_rows
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


class _Binding:
    """The connection a task's transaction (or ``db.connection()`` block) holds."""

    __slots__ = ("conn", "depth", "task")

    def __init__(self, conn: Connection, task: asyncio.Task[Any] | None) -> None:
        self.conn = conn
        self.task = task
        self.depth = 0


class Database:
    """A pool of connections to one database. Create with ``await ferrule.connect(url)``."""

    def __init__(self, url: DatabaseURL, backend: Backend) -> None:
        self.url = url
        self.dialect: str = backend.dialect
        self.capabilities: frozenset[str] = backend.capabilities
        self._backend = backend
        self._pool = Pool(backend, url.options)
        self._binding: contextvars.ContextVar[_Binding | None] = contextvars.ContextVar(
            f"ferrule_db_{id(self)}", default=None
        )
        self._before: list[Hook] = []
        self._after: list[Hook] = []
        self._slow = url.options.slow_query_threshold
        self._observed = self._slow > 0
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

    async def _observe(self, conn: Connection, op: str, sql: str, args: Any) -> Any:
        event = QueryEvent(self.dialect, op, sql, args)
        return await self._watch(event, lambda: getattr(conn, op)(sql, args))

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

    def _bound(self) -> Connection | None:
        binding = self._binding.get()
        if binding is not None and binding.task is asyncio.current_task():
            return binding.conn
        return None

    async def _run(self, op: str, query: Any, params: Any) -> Any:
        sql, args = compile_query(query, params, self.dialect)
        conn = self._bound()
        if conn is not None:
            if changes_session(sql):
                conn.session_changed = True
            if self._observed:
                return await self._observe(conn, op, sql, args)
            return await getattr(conn, op)(sql, args)
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        if changes_session(sql):  # SET, LISTEN, CREATE TEMP, ...: reset it on release
            conn.session_changed = True
        try:
            if self._observed:
                result = await self._observe(conn, op, sql, args)
            else:
                result = await getattr(conn, op)(sql, args)
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        # A raw BEGIN without COMMIT, or changed session state: never leak it to the next user.
        if conn.in_transaction or conn.session_changed:
            await pool.release_dirty(conn)
        else:
            pool.release(conn)
        return result

    async def execute(self, query: Any, params: Any = None) -> int:
        """Run a statement; return the number of affected rows (where the driver reports it)."""
        result: int = await self._run("execute", query, params)
        return result

    async def fetch_all(self, query: Any, params: Any = None) -> Rows:
        """All rows, as ``Rows`` (a list of tuple-like rows with ``.columns``)."""
        result: Rows = await self._run("fetch_all", query, params)
        return result

    async def fetch_one(self, query: Any, params: Any = None) -> Row | None:
        """The first row, or ``None``."""
        if type(query) is not str or self._observed:
            row: Row | None = await self._run("fetch_one", query, params)
            return row
        # The hot path (get by primary key), written out: no getattr, no compile step.
        args = check_params(params)
        conn = self._bound()
        if conn is not None:
            if changes_session(query):
                conn.session_changed = True
            return await conn.fetch_one(query, args)
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        if changes_session(query):
            conn.session_changed = True
        try:
            row = await conn.fetch_one(query, args)
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        if conn.in_transaction or conn.session_changed:
            await pool.release_dirty(conn)
        else:
            pool.release(conn)
        return row

    async def fetch_val(self, query: Any, params: Any = None) -> Any:
        """The first column of the first row, or ``None``."""
        return await self._run("fetch_val", query, params)

    async def execute_many(self, query: Any, params: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter tuple (atomically when not in a transaction)."""
        sql = (
            compile_query(query, None, self.dialect, many=True)[0]
            if type(query) is not str
            else query
        )
        await self._run("execute_many", sql, check_rows(params))

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        """Bulk-load rows: ``COPY`` on PostgreSQL, batched multi-row ``INSERT`` elsewhere."""
        conn = self._bound()
        if conn is not None:
            if self._observed:
                return await self._observe_copy(conn, table, columns, records)
            return await conn.copy_records(table, columns, records)
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        try:
            if self._observed:
                count = await self._observe_copy(conn, table, columns, records)
            else:
                count = await conn.copy_records(table, columns, records)
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        pool.release(conn)
        return count

    async def iterate(
        self, query: Any, params: Any = None, *, batch_size: int = 1000
    ) -> AsyncIterator[Row]:
        """Stream rows in batches of ``batch_size`` (server-side cursor where there is one).

        Memory stays bounded by the batch size. The connection is held until the loop ends:
        use ``contextlib.aclosing`` when breaking out early, and run other queries of the same
        task inside ``db.connection()`` if the pool is small."""
        sql, args = compile_query(query, params, self.dialect)
        conn = self._bound()
        if conn is not None:
            if changes_session(sql):
                conn.session_changed = True
            async for row in conn.iterate(sql, args, batch_size):
                yield row
            return
        event = QueryEvent(self.dialect, "iterate", sql, args) if self._observed else None
        if event is not None:
            for hook in self._before:
                hook(event)
        pool = self._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        if changes_session(sql):
            conn.session_changed = True
        started = time.perf_counter()
        try:
            async for row in conn.iterate(sql, args, batch_size):
                yield row
        except BaseException as exc:
            await pool.release_dirty(conn, exc)
            raise
        else:
            await pool.release_dirty(conn)
        finally:
            if event is not None:
                event.duration = time.perf_counter() - started
                for hook in self._after:
                    hook(event)

    # -- transactions and held connections -----------------------------------------------------

    def transaction(self, isolation: str | None = None, *, readonly: bool = False) -> Transaction:
        """``async with db.transaction(isolation="serializable") as tx:`` — see ``Transaction``."""
        return Transaction(self, normalize_isolation(isolation), readonly)

    def connection(self) -> Session:
        """``async with db.connection() as conn:`` holds one connection for a block of work."""
        return Session(self)


class Session:
    """One connection held for a block; the task's ``db.*`` calls inside it use it too."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn: Connection | None = None
        self._token: contextvars.Token[_Binding | None] | None = None
        self._owned = False

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise errors.InterfaceError("the block has not started or has already ended")
        return self._conn

    async def _take(self) -> Connection:
        db = self._db
        binding = db._binding.get()
        task = asyncio.current_task()
        if binding is not None and binding.task is task:
            self._conn = binding.conn
            return binding.conn
        pool = db._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        if "server" in db.capabilities:  # a called function can change session state unseen
            conn.session_changed = True
        self._conn, self._owned = conn, True
        self._token = db._binding.set(_Binding(conn, task))
        return conn

    async def _give_back(self, exc: BaseException | None) -> None:
        conn, self._conn = self._conn, None
        if self._token is not None:
            self._db._binding.reset(self._token)
            self._token = None
        if conn is not None and self._owned:
            self._owned = False
            if exc is None and not conn.in_transaction and not conn.session_changed:
                self._db._pool.release(conn)
            else:
                await self._db._pool.release_dirty(conn, exc)

    async def __aenter__(self) -> Session:
        await self._take()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._give_back(exc)

    async def _call(self, op: str, query: Any, params: Any) -> Any:
        db = self._db
        sql, args = compile_query(query, params, db.dialect)
        if changes_session(sql):
            self.connection.session_changed = True
        if db._observed:
            return await db._observe(self.connection, op, sql, args)
        return await getattr(self.connection, op)(sql, args)

    async def execute(self, query: Any, params: Any = None) -> int:
        result: int = await self._call("execute", query, params)
        return result

    async def fetch_all(self, query: Any, params: Any = None) -> Rows:
        result: Rows = await self._call("fetch_all", query, params)
        return result

    async def fetch_one(self, query: Any, params: Any = None) -> Row | None:
        row: Row | None = await self._call("fetch_one", query, params)
        return row

    async def fetch_val(self, query: Any, params: Any = None) -> Any:
        return await self._call("fetch_val", query, params)

    async def execute_many(self, query: Any, params: Iterable[Sequence[Any]]) -> None:
        await self._call("execute_many", query, check_rows(params))

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        if self._db._observed:
            return await self._db._observe_copy(self.connection, table, columns, records)
        return await self.connection.copy_records(table, columns, records)

    async def iterate(
        self, query: Any, params: Any = None, *, batch_size: int = 1000
    ) -> AsyncIterator[Row]:
        sql, args = compile_query(query, params, self._db.dialect)
        if changes_session(sql):
            self.connection.session_changed = True
        async for row in self.connection.iterate(sql, args, batch_size):
            yield row

    def transaction(self, isolation: str | None = None, *, readonly: bool = False) -> Transaction:
        return self._db.transaction(isolation, readonly=readonly)


class Transaction(Session):
    """A transaction, or a savepoint when one is already open in this task.

    Leaving the block normally commits (or releases the savepoint); leaving it with an exception
    — including a cancelled task — rolls back, so a failed transaction leaves the database as
    it was. ``isolation`` is one of ``read_uncommitted``, ``read_committed``,
    ``repeatable_read``, ``serializable`` (SQLite is always serializable)."""

    def __init__(self, db: Database, isolation: str | None, readonly: bool) -> None:
        super().__init__(db)
        self.isolation = isolation
        self.readonly = readonly
        self._savepoint: str | None = None
        self._binding_ref: _Binding | None = None

    async def __aenter__(self) -> Transaction:
        db = self._db
        conn = await self._take()
        try:
            binding = db._binding.get()
            assert binding is not None
            self._binding_ref = binding
            if conn.in_transaction:
                binding.depth += 1
                self._savepoint = f"ferrule_sp_{binding.depth}"
                await conn.savepoint(self._savepoint)
            else:
                await conn.begin(self.isolation, self.readonly)
        except BaseException as exc:
            if self._savepoint is not None and self._binding_ref is not None:
                self._binding_ref.depth -= 1
            await self._give_back(exc)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.connection
        try:
            if self._savepoint is not None:
                try:
                    if exc is None:
                        await conn.release_savepoint(self._savepoint)
                    else:
                        await conn.rollback_to_savepoint(self._savepoint)
                        await conn.release_savepoint(self._savepoint)
                finally:
                    if self._binding_ref is not None:
                        self._binding_ref.depth -= 1
            elif exc is None:
                try:
                    await conn.commit()
                except BaseException as commit_exc:
                    await self._give_back(commit_exc)
                    raise
            else:
                try:
                    await conn.rollback()
                except BaseException as rollback_exc:
                    await self._give_back(rollback_exc)
                    return  # the original exception propagates; the connection was dropped
        except BaseException as failure:
            if self._conn is not None:
                await self._give_back(failure)
            raise
        await self._give_back(None)
