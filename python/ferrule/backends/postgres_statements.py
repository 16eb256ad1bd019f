"""Running a prepared statement straight on asyncpg's protocol.

``Connection.fetch``, ``fetchrow`` and ``execute`` reach the protocol's ``bind_execute``
through four coroutines (``_execute``, ``__execute``, ``_do_execute``, ``_get_statement``)
and a statement-cache lookup on every call: about a tenth of the client's time for a
one-row query on a local server (``benchmarks/orm_paired.py``). ``Statements`` keeps the
text → prepared-statement map itself and calls ``bind_execute`` directly, with what those
layers add that matters here:

- a statement is taken from asyncpg (``_get_statement``: its cache, type introspection,
  closing what its cache let go) when this map has none, or when asyncpg has closed the one
  it has (evicted from its cache, expired, or dropped with the cache after a table change:
  asyncpg marks it ``closed``), or when asyncpg has statements waiting to be closed on the
  server (it closes them there);
- only named statements are kept (with ``statement_cache_size=0`` asyncpg prepares an
  unnamed one for each call, and so does this), and never more than asyncpg's cache holds;
- ``InvalidCachedStatementError`` (the server says a result type changed) drops the
  statement caches and runs the statement once more, outside a transaction only;
  ``OutdatedSchemaCacheError`` reloads the type cache and is raised, as asyncpg does.

A closed connection, or an asyncpg without these internals, takes the public methods, which
raise what they raise for it. Timeouts are the connection's ``command_timeout``, as there.
"""

from __future__ import annotations

from typing import Any

import asyncpg  # type: ignore[import-untyped]

from ferrule.backends.plain import int_past_text, plain_params

__all__ = ["Statements"]

_Stale = asyncpg.exceptions.InvalidCachedStatementError
_Outdated = asyncpg.exceptions.OutdatedSchemaCacheError
#: what asyncpg answers by dropping its caches (and, outside a transaction, running again)
RETRIED = (_Outdated, _Stale)


class Statements:
    """One connection's statements, run through its protocol (see the module docstring)."""

    __slots__ = ("_protocol", "_raw", "_size", "_states", "usable")

    def __init__(self, raw: Any, size: int) -> None:
        self._raw = raw
        protocol: Any = getattr(raw, "_protocol", None)
        self._protocol = protocol
        self._states: dict[str, Any] = {}
        self._size = size
        self.usable = (
            protocol is not None
            and hasattr(protocol, "bind_execute")
            and hasattr(protocol, "is_connected")
            and hasattr(raw, "_get_statement")
            and hasattr(raw, "_stmts_to_close")
        )

    def forget(self) -> None:
        """Drop the map (asyncpg's own cache was dropped: its statements are closed)."""
        self._states.clear()

    async def run(self, sql: str, args: Any, limit: int, status: bool) -> Any:
        """What ``bind_execute`` gives: the rows (at most ``limit``, 0 for all); with
        ``status``, ``(rows, command tag as bytes, completed)``."""
        raw = self._raw
        args = plain_params(args)  # asyncpg sends an int subclass as its __int__ says
        try:
            state = self._states.get(sql)
            if state is None or state.closed or raw._stmts_to_close:
                if not self.usable or raw.is_closed():
                    return await self._public(sql, args, limit, status)
                state = await self._take(sql)
            elif not self._protocol.is_connected():
                return await self._public(sql, args, limit, status)
            try:
                return await self._protocol.bind_execute(state, args, "", limit, status, None)
            except RETRIED as exc:
                return await self.again(exc, sql, args, limit, status)
        except ValueError as exc:  # (int_past_text says which)
            past = int_past_text(exc)
            if past is None:
                raise
            raise past from exc

    def started(self, sql: str, args: Any, limit: int = 0, status: bool = False) -> Any:
        """``run(sql, args, limit, status)`` without its coroutine, where ``sql``'s statement
        is kept and open on a live connection: ``bind_execute``'s own awaitable, whose
        ``RETRIED`` errors go to ``again`` and whose ``ValueError`` to ``int_past_text``.
        Else None: ``run`` decides."""
        args = plain_params(args)
        state = self._states.get(sql)
        if (
            state is None
            or state.closed
            or self._raw._stmts_to_close
            or not self._protocol.is_connected()
        ):
            return None
        return self._protocol.bind_execute(state, args, "", limit, status, None)

    async def again(self, exc: BaseException, sql: str, args: Any, limit: int, status: bool) -> Any:
        """After ``bind_execute`` raised ``exc`` (one of ``RETRIED``): asyncpg's rule, the
        caches dropped and the statement prepared and run once more (outside a transaction),
        or ``exc`` raised."""
        if not await self._recover(exc):
            raise exc
        state = await self._take(sql)
        try:
            return await self._protocol.bind_execute(state, args, "", limit, status, None)
        except RETRIED as exc_again:
            await self._recover(exc_again)
            raise

    async def _recover(self, exc: BaseException) -> bool:
        """What asyncpg does on these errors; whether the statement may be run once more."""
        raw = self._raw
        if isinstance(exc, _Outdated):  # the statement ran; the types it read are stale
            await raw.reload_schema_state()
            return False
        raw._drop_global_statement_cache()
        self._states.clear()
        return not self._protocol.is_in_transaction()

    async def _take(self, sql: str) -> Any:
        state = await self._raw._get_statement(sql, None)
        if state.name:  # a named statement asyncpg caches: keep it while it is open
            states = self._states
            if len(states) >= self._size:
                states.clear()  # the closed ones go with the rest; the open ones come back
            states[sql] = state
        return state

    async def _public(self, sql: str, args: Any, limit: int, status: bool) -> Any:
        """A closed connection (or an asyncpg without the internals): the public method,
        which raises what it raises for it."""
        raw = self._raw
        if status:
            return ([], (await raw.execute(sql, *args)).encode(), True)
        return await (raw.fetch(sql, *args) if limit != 1 else _as_list(raw.fetchrow(sql, *args)))


async def _as_list(row: Any) -> list[Any]:
    found = await row
    return [] if found is None else [found]
