"""Blocks that hold one connection: ``db.connection()`` (``Session``) and ``db.transaction()``.

One rule on every backend. While a block is open, the database calls of the tasks started
inside it — ``asyncio.gather``, ``asyncio.wait_for``, ``asyncio.create_task``: they inherit the
block's context — run on the block's connection, inside its transaction. They take turns: a lock
per held connection lets one statement at a time onto it (an ``iterate`` loop keeps it until the
loop ends; its own task may still run statements between batches). A nested ``db.transaction()``
is a savepoint, also when a child task opens it; it has the connection to itself until it ends,
so savepoints opened by sibling tasks run one after the other, never interleaved. After a block
has ended, the calls of the tasks started inside it raise — ``TransactionError`` for a
transaction, ``InterfaceError`` for a ``db.connection()`` block — and run nothing: nothing a block
or its tasks issued survives its rollback. A task meant to outlive the block must be started
outside it (or with a fresh context: ``asyncio.create_task(coro, context=contextvars.Context())``).
A ``db.connection()`` block follows the same rule: its tasks see its session (``SET``, temporary
tables), one statement at a time.

Turns have two consequences worth knowing. Leaving a block waits for the statements its tasks
have in flight (they run inside it), never for tasks that are merely alive. And a transaction
(or an ``iterate`` loop) keeps the connection until it ends: a task must not wait, inside its
own nested transaction, for another task whose calls belong to the enclosing block — they are
queued behind it.

What is known about a held connection is kept here, not guessed from the driver: the depth of
open ``db.transaction()`` blocks (a fresh connection's first block is always ``BEGIN``, never a
savepoint), and whether an operation on it was interrupted (a cancelled task). A statement
interrupted inside a transaction may or may not have run, and the connection may still be busy
with it, so it dooms the whole transaction: later statements raise ``TransactionError``, and
the block does not commit; the backend's ``reset`` settles the connection (waits for the
interrupted statement, rolls back) or closes it. A savepoint whose cleanup failed dooms the
enclosing level only (rolling that back lifts it). A statement the database refused dooms the
innermost block, as PostgreSQL does on every database (``refused``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ferrule import errors
from ferrule.backends.base import Connection, Row, Rows
from ferrule.backends.in_flight import note_in_flight
from ferrule.backends.params import check_rows

if TYPE_CHECKING:
    from ferrule.backends.database import Database

__all__ = ["Session", "Transaction"]  # Hold, Scope, uninterrupted: for database.py only

T = TypeVar("T")
#: a task waiting for its turn: (handed the connection?, its block, a block's end?, the task)
_Waiter = tuple["asyncio.Future[bool]", "Scope", bool, "asyncio.Task[Any] | None"]


class Scope:
    """One open block on a held connection; the context variable of its tasks points to it.

    ``anchor`` is the block whose turn the scope's statements take: itself for a transaction
    (and for the block that acquired the connection), the enclosing one for a nested
    ``db.connection()`` block, which changes nothing on the connection."""

    __slots__ = ("abandoned", "anchor", "ended", "hold", "level", "parent", "transaction", "undo")

    def __init__(self, hold: Hold, parent: Scope | None, transaction: bool, level: int) -> None:
        self.hold = hold
        self.parent = parent
        self.transaction = transaction
        self.level = level  # 1 = BEGIN, 2.. = savepoints, 0 = no transaction of its own
        self.anchor: Scope = self if transaction or parent is None else parent.anchor
        self.ended = False
        self.abandoned = False  # ended by a finaliser, in another context (`Session._end`)
        #: called if this block's work is rolled back (``Database.at_rollback``); a released
        #: savepoint hands them to the transaction around it, a commit drops them
        self.undo: list[Callable[[], None]] | None = None

    def transaction_scope(self) -> Scope | None:
        """The innermost transaction block this scope is in (itself when it is one)."""
        s: Scope | None = self
        while s is not None and not s.transaction:
            s = s.parent
        return s

    def end_to_come(self) -> bool:
        """Whether the outermost transaction this (transaction) scope is in has its end yet to
        run, open or ending: its ``Hold.on_end`` callbacks will run. False for a task that
        outlived it (they ran already: one registered now never would)."""
        root: Scope = self
        while root.level > 1 or not root.transaction:
            if root.parent is None:
                break
            root = root.parent
        s = self.hold.top
        while s is not None:
            if s is root:
                return True
            s = s.parent
        return False

    def settle_undo(self, committed: bool | None) -> None:
        """This block has ended, ``committed`` as its Transaction says: its ``undo`` callbacks
        run (rolled back), go to the enclosing transaction (a savepoint released: that one may
        still roll back), or are dropped (committed). When the outcome is unknown (the reply to
        COMMIT lost) a callback with an ``unknown`` method is told so (the ORM puts what the
        block deleted in doubt); the others are dropped."""
        undo, self.undo = self.undo, None
        if not undo:
            return
        if committed is False:
            for callback in reversed(undo):
                callback()
        elif committed is None:
            for callback in reversed(undo):
                unknown = getattr(callback, "unknown", None)
                if unknown is not None:
                    unknown()
        elif committed and self.parent is not None:
            around = self.parent.transaction_scope()
            if around is not None:
                around.undo_list().extend(undo)

    def undo_list(self) -> list[Callable[[], None]]:
        """``undo``, made when first asked for."""
        if self.undo is None:
            self.undo = []
        return self.undo

    def dead(self) -> bool:
        """Whether this block or one around it has ended."""
        s: Scope | None = self
        while s is not None:
            if s.ended:
                return True
            s = s.parent
        return False

    def ended_error(self) -> errors.DatabaseError:
        if self.abandoned:
            return errors.TransactionError(
                "this task's context is still inside a block that was entered in an async"
                " generator its consumer left open; the generator has since been closed (by"
                " the event loop's finaliser), which ended the block"
                + (", rolled back" if self.transaction else "")
                + ": close such a generator when leaving it early (contextlib.aclosing)"
            )
        if self.transaction:
            return errors.TransactionError(
                "the transaction block this task was started in has ended: its database calls "
                "no longer run (await the task inside the block, or start it outside)"
            )
        return errors.InterfaceError(
            "the db.connection() block this task was started in has ended: its database calls "
            "no longer run (await the task inside the block, or start it outside)"
        )


def refused(exc: BaseException) -> bool:
    """Whether ``exc`` is the database's refusal of a statement it was sent (not a value
    refused before sending, an ``InterfaceError``, nor a row read that could not be
    converted). PostgreSQL then refuses every later statement of the transaction until the
    innermost savepoint is rolled back ("current transaction is aborted"); SQLite and
    MariaDB went on, and a block that caught the error committed what followed. The same
    rule holds on every database: the innermost block is doomed (``Hold.doom``), its later
    statements raise ``TransactionError``, and leaving it rolls it back; a nested block
    around a statement that may fail keeps the enclosing one usable."""
    return isinstance(exc, errors.DatabaseError) and not isinstance(
        exc, errors.InterfaceError | errors.UnreadableValueError | errors.TransactionError
    )


async def settle_stream(conn: Any) -> None:
    """Before a statement the task of an open ``iterate`` loop runs on the loop's connection
    (between two batches): the connection reads the rest of the loop's result where the
    stream would not survive the statement (``settle_stream`` of the PostgreSQL and MariaDB
    connections; the others have none)."""
    settle = getattr(conn, "settle_stream", None)
    if settle is not None:
        await settle()


class Hold:
    """A connection held by a block, shared in turns by the tasks started inside it."""

    __slots__ = (
        "broken",
        "busy",
        "conn",
        "depth",
        "dirty",
        "doomed_at",
        "mode",
        "on_end",
        "on_end_keys",
        "owner",
        "top",
        "unsettled",
        "waiters",
    )

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.busy = False  # a statement (an iterate loop, a block's end) has the connection
        self.owner: asyncio.Task[Any] | None = None  # the task whose turn it is
        self.waiters: collections.deque[_Waiter] | None = None  # FIFO, made on first wait
        self.top: Scope | None = None  # the innermost open transaction block (or the root)
        self.depth = 0  # open db.transaction() levels on the connection
        self.doomed_at = 0  # > 0: work at this depth and deeper may or may not have run
        self.dirty = False  # something failed or was interrupted: reset before reuse
        #: (isolation, readonly) of the outermost transaction open on the connection
        self.mode: tuple[str | None, bool] = (None, False)
        self.broken = False  # the connection's state is not known: nothing more runs on it
        self.unsettled = False  # an operation was interrupted: only the backend's reset may talk
        #: called once the outermost transaction on the connection has ended, however it ended
        self.on_end: list[Callable[[], None]] | None = None
        #: the keys of ``on_end``'s callbacks registered once (``at_transaction_end_once``)
        self.on_end_keys: set[Any] | None = None

    def enter_now(self, scope: Scope) -> bool | None:
        """`enter` when no wait is needed (the usual case: nobody else is queued): whether this
        call took the turn, or None when the caller must ``await enter(scope)``.

        A turn taken here lasts one statement, whose task is awaiting it meanwhile: nobody
        asks whose turn it is (``owner`` is only read to let an ``iterate`` loop's task run
        statements between batches), so the current task is looked up only when it may be
        that loop's."""
        s: Scope | None = scope  # `check`, its common case written out
        while s is not None:
            if s.ended:
                raise s.ended_error()
            s = s.parent
        if self.broken or (self.depth and (self.doomed_at or not self.conn.in_transaction)):
            self.check(scope)  # raises the error that says why
        if not self.busy:
            if not self.waiters and self.top is scope.anchor:
                self.busy = True
                return True
            return None
        if self.owner is not None and self.owner is asyncio.current_task():
            return False
        return None

    async def enter(
        self, scope: Scope, exiting: bool = False, task: asyncio.Task[Any] | None = None
    ) -> bool:
        """Wait for ``scope``'s turn; return whether this call took it (then ``leave``).

        The task whose turn it is (an ``iterate`` loop's) goes on without waiting. A block's end
        (``exiting``) waits for its turn even after the block was marked ended."""
        task = task or asyncio.current_task()
        if not exiting:
            self.check(scope)
        if self.owner is task:
            return False
        if not self.busy:
            if self.waiters:
                self._grant()  # a queued task whose turn it is goes first
            if not self.busy and self.top is scope.anchor:
                self.busy, self.owner = True, task
                return True
        loop = asyncio.get_running_loop()
        while True:
            waiter: _Waiter = (loop.create_future(), scope, exiting, task)
            if self.waiters is None:
                self.waiters = collections.deque()
            self.waiters.append(waiter)
            try:
                granted = await waiter[0]
            except BaseException:
                future = waiter[0]
                if future.done() and not future.cancelled() and future.result():
                    self.leave()  # handed over as we were cancelled: pass it on
                else:
                    with contextlib.suppress(ValueError):
                        self.waiters.remove(waiter)
                raise
            if not exiting:
                try:
                    self.check(scope)  # the block may have ended while we waited
                except BaseException:
                    if granted:
                        self.leave()
                    raise
            if granted:
                return True

    def leave(self) -> None:
        self.busy, self.owner = False, None
        if self.waiters:
            self._grant()

    def _grant(self) -> None:
        """Hand the connection to the first waiter whose turn it is; wake, on the way, those
        whose block has ended (they raise)."""
        waiters = self.waiters
        assert waiters is not None
        for waiter in list(waiters):
            future, scope, exiting, task = waiter
            if future.done():
                waiters.remove(waiter)
            elif not exiting and scope.dead():
                waiters.remove(waiter)
                future.set_result(False)
            elif not self.busy and self.top is scope.anchor:
                waiters.remove(waiter)
                self.busy, self.owner = True, task
                future.set_result(True)
                return

    def check(self, scope: Scope) -> None:
        """Raise unless a statement of ``scope`` may run now."""
        s: Scope | None = scope
        while s is not None:
            if s.ended:
                raise s.ended_error()
            s = s.parent
        if self.broken:
            raise errors.InterfaceError(
                "an interrupted BEGIN left this connection in an unknown state: leave the block"
            )
        if self.depth:
            if not self.conn.in_transaction:
                raise errors.TransactionError(
                    "the database ended this transaction (an earlier error, such as a deadlock, "
                    "rolled it back): statements would run outside it"
                )
            if self.doomed_at:
                raise errors.TransactionError(
                    "a statement of this transaction failed or was interrupted (a cancelled "
                    "task), or a savepoint could not be rolled back: the transaction (or the "
                    "savepoint) can only roll back; put a statement that may fail in a nested "
                    "db.transaction() block"
                )

    def interrupted(self, exc: BaseException) -> None:
        """A statement failed (``exc``); if it was interrupted, its transaction is doomed; if
        the database refused it inside a block, that block is (``refused``)."""
        self.dirty = True
        if not isinstance(exc, Exception | GeneratorExit):
            self.unsettled = True
            if self.depth:
                self.doom(1)
            else:  # a db.connection() block's statement commits alone: it may have
                note_in_flight(exc)
        elif self.depth and refused(exc):
            self.doom(self.depth)
        elif not self.depth:  # a lost connection under a statement committing alone
            note_in_flight(exc)

    def doom(self, level: int) -> None:
        self.dirty = True
        self.doomed_at = level if not self.doomed_at else min(self.doomed_at, level)

    def pop(self, scope: Scope) -> None:
        """``scope`` (holding the lock) ended: the enclosing block has the turn again."""
        self.top = scope.parent.anchor if scope.parent is not None else None
        if scope.level:
            self.depth = scope.level - 1


async def uninterrupted(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to its end even when the caller is cancelled meanwhile, then re-raise the
    cancellation: the end of a block (its tasks' statements in flight, COMMIT, ROLLBACK) is never
    cut in half, so its outcome is always known.

    The first step runs inline: most ends (SQLite, an uncontended lock) never suspend, and then
    cost no task. Only a coroutine that suspends goes on in a task of its own, shielded."""
    try:
        yielded = coro.send(None)
    except StopIteration as stop:
        result: T = stop.value
        return result
    inner: asyncio.Future[T] = asyncio.ensure_future(_Resume(coro, yielded))
    cancelled = False
    while not inner.done():
        try:
            await asyncio.shield(inner)
        except asyncio.CancelledError:
            cancelled = cancelled or not inner.done()
        except BaseException:
            pass  # inner's own failure: raised below
    if cancelled or inner.cancelled():
        failure = None if inner.cancelled() else inner.exception()
        raise asyncio.CancelledError() from failure
    return inner.result()


class _Resume:
    """Goes on driving a coroutine whose first step ran elsewhere (see ``uninterrupted``)."""

    __slots__ = ("coro", "yielded")

    def __init__(self, coro: Coroutine[Any, Any, Any], yielded: Any) -> None:
        self.coro = coro
        self.yielded = yielded

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, yielded = self.coro, self.yielded
        while True:
            try:
                sent = yield yielded
            except BaseException as exc:
                try:
                    yielded = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    yielded = coro.send(sent)
                except StopIteration as stop:
                    return stop.value


class Session:
    """One connection held for a block; the ``db.*`` calls of its tasks use it (see above)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._scope: Scope | None = None
        self._token: contextvars.Token[Scope | None] | None = None
        self._owned = False  # this block acquired the connection from the pool

    @property
    def connection(self) -> Connection:
        """The driver connection (bypasses the turns: only for the block's own task)."""
        scope = self._scope
        if scope is None:
            raise errors.InterfaceError("the block has not started")
        if scope.ended:
            raise scope.ended_error()
        return scope.hold.conn

    async def _acquire(self) -> Hold:
        db = self._db
        pool = db._pool
        conn = pool.acquire_nowait() or await pool.acquire()
        return Hold(conn)

    async def __aenter__(self) -> Session:
        db = self._db
        parent = db._binding.get()
        if parent is None:
            hold = await self._acquire()
            scope = Scope(hold, None, False, 0)
            hold.top = scope
            self._owned = True
        else:
            parent.hold.check(parent)
            scope = Scope(parent.hold, parent, False, 0)
        self._scope = scope
        self._token = db._binding.set(scope)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        scope = self._end()
        if self._owned:
            await self._closing(self._give_back(scope, asyncio.current_task()), scope, exc)

    async def _closing(
        self, ending: Coroutine[Any, Any, None], scope: Scope, exc: BaseException | None
    ) -> None:
        """Run the block's ``ending`` uncut, then (the block that acquired the connection) give
        the connection back from this task: the hand-over to a waiting task happens here."""
        try:
            await uninterrupted(ending)
        except BaseException as failure:
            if self._owned:
                await self._release(scope.hold, failure)
            raise
        if self._owned:
            await self._release(scope.hold, exc)

    def _end(self) -> Scope:
        scope = self._scope
        assert scope is not None, "the block was not entered"
        scope.ended = True  # from now on the calls of its tasks raise
        if self._token is not None:
            try:
                self._db._binding.reset(self._token)
            except ValueError:
                # ended from another context than it was entered in: an async generator
                # left open by its consumer, closed by the event loop's finaliser. The block
                # ends all the same (else its connection stays in its transaction for good);
                # the consumer's context still names it, and its calls raise (`ended_error`)
                scope.abandoned = True
            self._token = None
        return scope

    async def _give_back(self, scope: Scope, task: asyncio.Task[Any] | None) -> None:
        """Wait until the block's tasks are off the connection (their statements in flight)."""
        hold = scope.hold
        locked = await hold.enter(scope, exiting=True, task=task)
        hold.pop(scope)
        if locked:
            hold.leave()

    async def _release(self, hold: Hold, exc: BaseException | None) -> None:
        """Back to the pool: at once when its state is known to be clean, else through reset."""
        conn = hold.conn
        if exc is None and not (
            hold.dirty or hold.broken or conn.in_transaction or conn.session_changed
        ):
            self._db._pool.release(hold.conn)
        else:
            await self._db._pool.release_dirty(hold.conn, exc)

    # -- statements on the block's connection, from any task -----------------------------------

    def _live(self) -> Scope:
        """The block the call runs in: this one, or the calling task's innermost block when
        that is inside this one (``conn.execute`` inside ``async with conn.transaction()``)."""
        scope = self._scope
        if scope is None:
            raise errors.InterfaceError("the block has not started")
        current = self._db._binding.get()
        inner = current
        while inner is not None and inner is not scope:
            inner = inner.parent
        return scope if inner is None or current is None else current

    async def execute(self, query: Any, params: Any = None) -> int:
        result: int = await self._db._run_in(self._live(), "execute", query, params)
        return result

    async def fetch_all(self, query: Any, params: Any = None) -> Rows:
        result: Rows = await self._db._run_in(self._live(), "fetch_all", query, params)
        return result

    async def fetch_one(self, query: Any, params: Any = None) -> Row | None:
        row: Row | None = await self._db._run_in(self._live(), "fetch_one", query, params)
        return row

    async def fetch_val(self, query: Any, params: Any = None) -> Any:
        return await self._db._run_in(self._live(), "fetch_val", query, params)

    async def execute_many(self, query: Any, params: Iterable[Sequence[Any]]) -> None:
        await self._db._run_in(self._live(), "execute_many", query, check_rows(params))

    async def copy_records(
        self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]
    ) -> int:
        count: int = await self._db._copy_in(self._live(), table, columns, records)
        return count

    async def iterate(
        self, query: Any, params: Any = None, *, batch_size: int = 1000
    ) -> AsyncIterator[Row]:
        async for row in self._db._iterate_in(self._live(), query, params, batch_size):
            yield row

    def transaction(self, isolation: str | None = None, *, readonly: bool = False) -> Transaction:
        return self._db.transaction(isolation, readonly=readonly)


class Transaction(Session):
    """A transaction, or a savepoint inside an open one (also one a parent task opened).

    Leaving the block normally commits (or releases the savepoint); leaving it with an exception
    — including a cancelled task — rolls back. ``isolation`` is one of ``read_uncommitted``,
    ``read_committed``, ``repeatable_read``, ``serializable`` (SQLite is always serializable);
    ``readonly=True`` makes every write inside raise ``TransactionError``.

    The outcome is never a guess. A block that returns normally was committed. A cancellation
    that arrives while COMMIT is on its way does not cut it off: the COMMIT finishes, then the
    cancellation propagates, and ``committed`` says whether it went through. If the connection
    is lost after COMMIT was sent, only the server knows: ``CommitUnknownError``. Any other error
    from the block means nothing of it was committed. ``committed`` is ``True`` after a commit
    (for a savepoint: after its work joined the enclosing transaction), ``None`` after
    ``CommitUnknownError``, else ``False``."""

    def __init__(self, db: Database, isolation: str | None, readonly: bool) -> None:
        super().__init__(db)
        self.isolation = isolation
        self.readonly = readonly
        self.committed: bool | None = False

    async def __aenter__(self) -> Transaction:
        db = self._db
        parent = db._binding.get()
        if parent is None:
            hold = await self._acquire()
            conn = hold.conn
            try:
                if conn.in_transaction:  # the pool's promise is broken: never a savepoint here
                    raise errors.TransactionError("a pooled connection was inside a transaction")
                await conn.begin(self.isolation, self.readonly)
            except BaseException as exc:
                await db._pool.release_dirty(conn, exc)  # settles an interrupted BEGIN
                raise
            hold.mode = (self.isolation, self.readonly)
            scope = Scope(hold, None, True, 1)
            hold.top, hold.depth = scope, 1
            self._owned = True
        else:
            scope = await self._open_in(parent)
        self._scope = scope
        self._token = db._binding.set(scope)
        return self

    def _check_savepoint(self, mode: tuple[str | None, bool]) -> None:
        """A nested block is a savepoint, which takes its transaction's isolation and
        access mode: asking for others there would be ignored, so it is refused."""
        isolation, readonly = mode
        if self.readonly and not readonly:
            raise errors.TransactionError(
                "transaction(readonly=True) inside a read-write transaction: a savepoint cannot"
                " be read-only (its writes would run); open the read-only transaction outermost"
            )
        if self.isolation is not None and self.isolation != isolation:
            raise errors.TransactionError(
                f"transaction(isolation={self.isolation!r}) inside a transaction of isolation"
                f" {isolation or 'the server default'}: a savepoint keeps its transaction's"
                " isolation; give it to the outermost block"
            )

    async def _open_in(self, parent: Scope) -> Scope:
        """BEGIN or SAVEPOINT on a connection a block already holds, when it is our turn."""
        hold = parent.hold
        conn = hold.conn
        locked = await hold.enter(parent)
        try:
            if locked is False:  # the task of an iterate loop on this connection
                await settle_stream(conn)
            level = hold.depth + 1
            if level == 1:
                if conn.in_transaction:
                    raise errors.TransactionError(
                        "the connection is inside a transaction db.transaction() did not open "
                        "(a raw BEGIN?): commit or roll it back first"
                    )
                await conn.begin(self.isolation, self.readonly)
                hold.mode = (self.isolation, self.readonly)
            else:
                self._check_savepoint(hold.mode)
                await conn.savepoint(f"ferrule_sp_{level}")
        except BaseException as exc:
            if not isinstance(exc, Exception):  # interrupted: did it happen or not?
                hold.unsettled = hold.dirty = True
                if level == 1:
                    hold.broken = True
                else:
                    hold.doom(1)
            if locked:
                hold.leave()
            raise
        scope = Scope(hold, parent, True, level)
        hold.top, hold.depth = scope, level
        if locked:
            hold.leave()
        return scope

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        scope = self._end()
        await self._closing(self._finish(scope, exc, asyncio.current_task()), scope, exc)

    async def _finish(
        self, scope: Scope, exc: BaseException | None, task: asyncio.Task[Any] | None
    ) -> None:
        hold = scope.hold
        locked = await hold.enter(scope, exiting=True, task=task)
        try:
            if scope.level == 1:
                await self._end_transaction(hold, exc)
            else:
                await self._end_savepoint(hold, scope.level, exc)
        finally:
            hold.pop(scope)
            if locked:
                hold.leave()
            scope.settle_undo(self.committed)
            if scope.level == 1 and hold.on_end is not None:
                callbacks, hold.on_end, hold.on_end_keys = hold.on_end, None, None
                for callback in callbacks:
                    callback()

    async def _end_transaction(self, hold: Hold, exc: BaseException | None) -> None:
        conn = hold.conn
        if exc is None and not hold.doomed_at and not hold.broken:
            if conn.is_closed():
                self.committed = False
                hold.dirty = True
                raise errors.TransactionError(
                    "the connection was lost before COMMIT: the database rolled back"
                )
            if not conn.in_transaction:
                self.committed = False
                raise errors.TransactionError(
                    "the database ended the transaction before COMMIT (an error inside rolled "
                    "it back): nothing was committed"
                )
            try:
                await conn.commit()
            except errors.CommitUnknownError:
                hold.dirty = True
                self.committed = None
                raise
            except errors.ConnectionError as error:
                hold.dirty = True
                self.committed = None
                raise errors.CommitUnknownError(
                    f"the connection was lost after COMMIT was sent ({error}): the transaction "
                    "may or may not have been committed"
                ) from error
            except BaseException:
                self.committed = False
                hold.dirty = True
                raise
            self.committed = True
            return
        self.committed = False
        if hold.unsettled:  # the connection may still be busy: only reset can settle it
            if not self._owned:  # (an owned one goes back to the pool, which resets it)
                hold.broken = not await conn.reset()
                hold.unsettled = hold.broken
            hold.doomed_at = 0
            if exc is None:
                raise errors.TransactionError(
                    "a statement of this transaction was interrupted (a cancelled task): rolled "
                    "back, nothing was committed"
                )
            return
        try:
            await conn.rollback()
        except BaseException as error:
            hold.dirty = True
            if exc is None:
                raise errors.TransactionError(
                    "an interrupted statement doomed the transaction, and ROLLBACK failed"
                ) from error
            return  # the block's own exception propagates; the pool resets the connection
        hold.doomed_at = 0
        if exc is None:
            raise errors.TransactionError(
                "a statement of this transaction failed (the database refused it) or was "
                "interrupted (a cancelled task): rolled back, nothing was committed"
            )

    async def _end_savepoint(self, hold: Hold, level: int, exc: BaseException | None) -> None:
        conn = hold.conn
        name = f"ferrule_sp_{level}"
        if exc is None and not hold.doomed_at:
            try:
                await conn.release_savepoint(name)
            except BaseException:
                await self._undo(hold, level, name)
                self.committed = False
                raise
            self.committed = True
            return
        self.committed = False
        await self._undo(hold, level, name)
        if exc is None:
            raise errors.TransactionError(
                "the transaction is doomed (a statement the database refused, an interrupted "
                "one, or a failed savepoint cleanup): this savepoint's work was not kept"
            )

    async def _undo(self, hold: Hold, level: int, name: str) -> None:
        """ROLLBACK TO the savepoint; if that fails, the enclosing transaction is doomed."""
        conn = hold.conn
        if hold.unsettled:
            hold.doom(1)
            return
        try:
            await conn.rollback_to_savepoint(name)
            await conn.release_savepoint(name)
        except BaseException:
            hold.doom(level - 1)
            return
        if hold.doomed_at >= level:
            hold.doomed_at = 0
