"""A connection pool with bounded waiting, health checks, recycling and a circuit breaker.

* ``min_size`` connections are opened by ``Pool.open``; more are opened on demand up to
  ``max_size``. A task that finds none free waits at most ``acquire_timeout`` seconds, then gets
  ``PoolTimeoutError``: overload fails visibly instead of growing an unbounded queue.
* A connection idle for longer than ``health_check_interval`` is pinged before it is handed out,
  one older than ``recycle`` seconds is replaced, and one whose socket the server closed is
  dropped. After a disconnect error every idle connection is pinged before its next use, so a
  server restart costs no more than the statements that were running at that moment.
* ``CircuitBreaker``: after ``circuit_failures`` failed connection attempts in a row the circuit
  opens: acquiring a new connection fails at once with ``CircuitOpenError``, except for one
  probe at a time, let through after a back-off that starts at 50 ms and doubles up to
  ``circuit_reset`` seconds (0.5 by default). Recovery follows the server: the first probe
  after it accepts connections again succeeds and closes the circuit. An open-circuit failure
  yields to the event loop before it raises, so a task retrying in a loop cannot stall others.
* A connect is owned by the pool, not by the task that asked for it: if that task is cancelled
  the connect goes on, and the connection joins the pool (or is closed when the pool is full or
  closed); a connect that outlives ``connect_timeout`` is cancelled, and adopted the same way
  if the driver completes it anyway. Its socket is never left open, and a cancellation storm
  does not throw away connects half done.
* Releasing is synchronous when the connection is clean. A connection that is still in a
  transaction, or whose last operation was interrupted (an error, a cancelled task), is reset —
  the interrupted statement waited for, then rolled back — before anyone else gets it, or
  closed if that fails: no connection is handed out in a state nobody knows. So is one whose
  session state may have changed (``Connection.session_changed``, see ``backends.base``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
import weakref
from collections.abc import Awaitable
from typing import Any

from ferrule import errors
from ferrule.backends.base import Backend, Connection
from ferrule.backends.url import Options

__all__ = ["CircuitBreaker", "Pool"]


class CircuitBreaker:
    """Counts consecutive connection failures; open means "fail fast until ``retry_at``", then
    one probe at a time (half-open), on a back-off that doubles up to ``reset_after``."""

    FIRST_BACKOFF = 0.05

    def __init__(self, threshold: int, reset_after: float) -> None:
        self.threshold = threshold
        self.reset_after = reset_after
        self.failures = 0
        self.retry_at = 0.0
        self.trips = 0
        self.probing = False  # a half-open probe is in flight

    @property
    def state(self) -> str:
        if self.threshold <= 0 or self.failures < self.threshold:
            return "closed"
        if self.probing or time.monotonic() < self.retry_at:
            return "open"
        return "half_open"

    def allow(self) -> bool:
        """Whether a connection attempt may go ahead (when half-open, it is the probe)."""
        state = self.state
        if state == "open":
            return False
        if state == "half_open":
            self.probing = True
        return True

    def error(self) -> errors.CircuitOpenError:
        wait = max(self.retry_at - time.monotonic(), 0.0)
        probe = "a probe is in flight" if self.probing else f"next probe in {wait:.2f}s"
        return errors.CircuitOpenError(
            f"{self.failures} connection attempts failed in a row; failing fast ({probe})"
        )

    def record_failure(self) -> None:
        self.failures += 1
        self.probing = False
        if self.threshold > 0 and self.failures >= self.threshold:
            if self.failures == self.threshold:
                self.trips += 1
            doublings = min(self.failures - self.threshold, 30)
            backoff = min(self.reset_after, self.FIRST_BACKOFF * 2**doublings)
            self.retry_at = time.monotonic() + backoff

    def record_success(self) -> None:
        self.failures = 0
        self.probing = False

    def record_abandoned(self) -> None:
        """The attempt ended with no verdict (cancelled, bad configuration): let another probe."""
        self.probing = False


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark a side task's exception as seen (it is handled through its result, or moot)."""
    if not task.cancelled():
        task.exception()


class Pool:
    """Hands out ``Connection`` objects from one ``Backend``; see the module docstring."""

    def __init__(self, backend: Backend, options: Options) -> None:
        self._backend = backend
        self._options = options
        self._idle: collections.deque[Connection] = collections.deque()
        self._waiters: collections.deque[asyncio.Future[Connection | None]] = collections.deque()
        self._size = 0  # open connections plus those being opened
        self._in_use = 0
        #: tasks holding a pooled connection for an ``iterate`` loop, and how many (weakly:
        #: a loop never closed must not keep its task)
        self.streaming: weakref.WeakKeyDictionary[asyncio.Task[Any], int] = (
            weakref.WeakKeyDictionary()
        )
        self._closed = False
        self._suspect_before = 0.0  # idle connections last used before this are pinged
        self._max_idle = options.health_check_interval or float("inf")
        self._reset_always = options.reset_session == "always"
        self._recycle = options.recycle or float("inf")
        self.breaker = CircuitBreaker(options.circuit_failures, options.circuit_reset)
        self.opened = self.closed = self.timeouts = self.discarded = 0

    # -- opening and closing ---------------------------------------------------------------

    async def open(self) -> None:
        """Open ``min_size`` connections (which also checks the URL and credentials)."""
        conns = []
        try:
            for _ in range(self._options.min_size):
                self._size += 1
                try:
                    conns.append(await self._connect())
                except BaseException:
                    self._size -= 1
                    raise
        finally:
            now = time.monotonic()
            for conn in conns:
                conn.last_used = now
                self._idle.append(conn)

    async def _connect(self) -> Connection:
        breaker = self.breaker
        if not breaker.allow():
            # Fail fast, but let the loop run first: a task retrying in a loop must not stall it.
            # The error describes the circuit that refused, not the one a probe may leave behind.
            refusal = breaker.error()
            await asyncio.sleep(0)
            raise refusal
        # The connect runs in a task of its own, so that a connection completing after the
        # caller gave up (cancelled, timed out) is still owned: see _adopt.
        task = asyncio.get_running_loop().create_task(self._backend.connect())
        timeout = self._options.connect_timeout or None
        try:
            done, _ = await asyncio.wait((task,), timeout=timeout)
        except BaseException:  # cancelled: let the connect finish, for the pool
            breaker.record_abandoned()
            self._size += 1  # the slot passes to the connect (the caller gives its own back)
            task.add_done_callback(self._adopt_reserved)
            raise
        if not done:
            breaker.record_failure()
            self._orphan(task)
            raise errors.ConnectionError(f"connecting timed out after {timeout}s")
        if task.cancelled():  # the driver cancelled its own connect: a failed attempt
            breaker.record_failure()
            raise errors.ConnectionError("cannot connect: the driver cancelled the connect")
        try:
            conn = task.result()
        except errors.ConfigurationError:
            breaker.record_abandoned()
            raise
        except errors.FerruleError:
            breaker.record_failure()
            raise
        except Exception as exc:
            breaker.record_failure()
            raise errors.ConnectionError(f"cannot connect: {exc}") from exc
        breaker.record_success()
        self.opened += 1
        return conn

    def _orphan(self, task: asyncio.Task[Connection]) -> None:
        """A connect that took too long: stop it, or adopt it if it completes all the same."""
        task.cancel()
        task.add_done_callback(self._adopt)

    def _adopt(self, task: asyncio.Task[Connection]) -> None:
        """A connect nobody waits for has ended: the pool keeps the connection if it has room
        (handing it to a waiter first), and closes it otherwise."""
        if task.cancelled() or task.exception() is not None:  # exception() retrieves it
            return
        conn = task.result()
        self.breaker.record_success()
        if self._closed or self._size >= self._options.max_size:
            conn.terminate()
            return
        self._size += 1
        self.opened += 1
        self._in_use += 1
        self.release(conn)  # to a waiter, or idle

    def _adopt_reserved(self, task: asyncio.Task[Connection]) -> None:
        """The same, for a connect that kept its caller's slot in the pool."""
        self._size -= 1
        self._adopt(task)
        if self._size < self._options.max_size:
            self._wake_one()

    async def close(self) -> None:
        """Close idle connections now and in-use ones when they are released."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(errors.InterfaceError("the pool is closed"))
        while self._idle:
            conn = self._idle.popleft()
            self._size -= 1
            self.closed += 1
            try:
                await conn.close()
            except Exception:
                conn.terminate()

    # -- acquiring ---------------------------------------------------------------------------

    def acquire_nowait(self) -> Connection | None:
        """The fast path: a recently used idle connection, or ``None`` (then ``acquire``)."""
        idle = self._idle
        if idle:
            conn = idle.pop()
            now = time.monotonic()
            if (
                now - conn.last_used < self._max_idle
                and now - conn.created_at < self._recycle
                and conn.last_used > self._suspect_before
                and not conn.is_closed()
            ):
                self._in_use += 1
                if self._reset_always:
                    conn.session_changed = True
                return conn
            idle.append(conn)
        return None

    async def acquire(self) -> Connection:
        if self._closed:
            raise errors.InterfaceError("the pool is closed")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._options.acquire_timeout
        while True:
            while self._idle:
                conn = self._idle.pop()
                if await self._usable(conn):
                    self._in_use += 1
                    return self._handed_out(conn)
            if self._size < self._options.max_size:
                self._size += 1
                try:
                    conn = await self._connect()
                except BaseException:
                    self._size -= 1
                    self._wake_one()
                    raise
                self._in_use += 1
                return self._handed_out(conn)
            got = await self._wait(loop, deadline)
            if got is not None:
                return self._handed_out(got)  # handed over by release(), counted in use

    def _handed_out(self, conn: Connection) -> Connection:
        """``reset_session="always"``: every user's connection is reset when it comes back."""
        if self._reset_always:
            conn.session_changed = True
        return conn

    async def _wait(self, loop: asyncio.AbstractEventLoop, deadline: float) -> Connection | None:
        remaining = deadline - loop.time()
        if remaining <= 0:
            self.timeouts += 1
            raise self._timeout_error()
        waiter: asyncio.Future[Connection | None] = loop.create_future()
        self._waiters.append(waiter)
        # asyncio.wait, not wait_for: before Python 3.12 wait_for swallows a cancellation that
        # arrives as the connection is handed over, and the cancelled task runs on.
        try:
            done, _ = await asyncio.wait((waiter,), timeout=remaining)
        except asyncio.CancelledError:
            # A connection may have been handed over in the same loop iteration: give it back.
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                conn = waiter.result()
                if conn is not None:
                    self.release(conn)
                else:
                    self._wake_one()
            raise
        finally:
            if not waiter.done():
                waiter.cancel()  # release() and _wake_one() skip it from now on
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        if not done:
            self.timeouts += 1
            raise self._timeout_error()
        return waiter.result()

    def _timeout_error(self) -> errors.PoolTimeoutError:
        why = ""
        if self.streaming and asyncio.current_task() in self.streaming:
            why = (
                ": this task's own iterate() loop (QuerySet.iterator(), async for) holds a"
                " connection until it ends, and a statement run inside the loop needs another;"
                " run the loop inside `async with db.connection():` (its statements then take"
                " turns on the loop's connection), read the rows first (`for x in await qs:`),"
                " or finish the loop first"
            )
        return errors.PoolTimeoutError(
            f"no connection free within {self._options.acquire_timeout}s "
            f"(pool size {self._options.max_size}, {self.waiting} waiting){why}"
        )

    @property
    def resets_always(self) -> bool:
        """``reset_session="always"``: every connection is reset when it comes back."""
        return self._reset_always

    def stream_opened(self, task: asyncio.Task[Any] | None) -> None:
        """``task`` holds a pooled connection for an ``iterate`` loop (``_timeout_error``)."""
        if task is not None:
            self.streaming[task] = self.streaming.get(task, 0) + 1

    def stream_closed(self, task: asyncio.Task[Any] | None) -> None:
        if task is not None:
            left = self.streaming.get(task, 1) - 1
            if left:
                self.streaming[task] = left
            else:
                self.streaming.pop(task, None)

    async def _usable(self, conn: Connection) -> bool:
        now = time.monotonic()
        if conn.is_closed() or now - conn.created_at >= self._recycle:
            self._discard(conn)
            return False
        if now - conn.last_used >= self._max_idle or conn.last_used <= self._suspect_before:
            ping = asyncio.ensure_future(conn.ping())
            ping.add_done_callback(_retrieve)
            try:
                done, _ = await asyncio.wait((ping,), timeout=self._options.connect_timeout or None)
            except BaseException:  # cancelled mid-ping: its state is unknown, and it is ours
                ping.cancel()
                self._discard(conn)
                raise
            if not done or ping.exception() is not None:
                ping.cancel()
                self._discard(conn)
                return False
        return True

    # -- releasing ---------------------------------------------------------------------------

    def release(self, conn: Connection) -> None:
        """Give back a clean connection (not in a transaction, nothing interrupted)."""
        self._in_use -= 1
        if self._closed or conn.is_closed():
            self._discard(conn)
            return
        conn.last_used = time.monotonic()
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                self._in_use += 1
                waiter.set_result(conn)
                return
        self._idle.append(conn)

    def give_back(self, conn: Connection) -> Awaitable[None] | None:
        """Give back ``conn`` after its statement ended: ``None`` when it is back at once (the
        common case, no coroutine), else its reset, to await (a raw ``BEGIN`` left open or a
        changed session is never leaked to the next user)."""
        if conn.in_transaction or conn.session_changed:
            return self.release_dirty(conn)
        self.release(conn)
        return None

    async def release_dirty(self, conn: Connection, exc: BaseException | None = None) -> None:
        """Give back a connection that may be mid-transaction or interrupted: reset it first."""
        disconnected = exc is not None and self._backend.is_disconnect(exc)
        if disconnected:  # the server may have restarted: ping the others before reuse
            self._suspect_before = time.monotonic()
        clean = False
        try:
            # Even a lost connection is reset: it may stop work still running on the server.
            clean = await conn.reset() and not disconnected
        except Exception:
            clean = False
        finally:  # also when cancelled again meanwhile
            if clean:
                self.release(conn)
            else:
                self._in_use -= 1
                self._discard(conn)

    def _discard(self, conn: Connection) -> None:
        conn.terminate()
        self._size -= 1
        self.discarded += 1
        self.closed += 1
        self._wake_one()

    def _wake_one(self) -> None:
        """A slot opened up: let one waiter open a new connection."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    # -- statistics ---------------------------------------------------------------------------

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    def stats(self) -> dict[str, Any]:
        return {
            "size": self._size,
            "idle": len(self._idle),
            "in_use": self._in_use,
            "waiting": self.waiting,
            "min_size": self._options.min_size,
            "max_size": self._options.max_size,
            "opened": self.opened,
            "closed": self.closed,
            "discarded": self.discarded,
            "timeouts": self.timeouts,
            "circuit": self.breaker.state,
            "circuit_trips": self.breaker.trips,
        }

    def idle_connections(self) -> list[Connection]:
        return list(self._idle)
