"""The connection that stops MariaDB/MySQL sessions for ``backends.mysql``: ``KILL QUERY`` for
a cancelled statement, ``KILL`` for a connection given up mid-reply.

A session is named by its number (``CONNECTION_ID()``), and numbers start again when the
server restarts: a number taken before a restart may name another session after it (a new
connection of this pool, or anyone's). So before a kill the server's process list is asked
who the session's client is: a session whose client is at the victim's own address but
another port is not the victim's, and is left alone. When the server sees the victim at an
address that is not the victim's own (a proxy, NAT, a container's port mapping) nothing can be
told apart, and the number is trusted, as it is for a Unix socket."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncmy
import asyncmy.errors

__all__ = ["KillControl", "client_address"]

_ER_NO_SUCH_THREAD = 1094
#: the client (host:port) of a session, by number
_CLIENT_OF = "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = %s"


def client_address(raw: Any) -> tuple[str, int] | None:
    """The local (address, port) of ``raw``'s TCP socket (None for a Unix socket)."""
    name = raw._transport.get_extra_info("sockname") if raw._transport is not None else None
    return (str(name[0]), int(name[1])) if isinstance(name, tuple) else None


def _another_client(host: str, client: tuple[str, int]) -> bool:
    """Whether the process list's ``host`` (``address:port``) is provably not ``client``: the
    same address (``localhost`` for a loopback one) with another port."""
    address, _, port = host.rpartition(":")
    address = address.strip("[]")
    ours = client[0]
    same_address = address == ours or (
        address == "localhost" and (ours.startswith("127.") or ours == "::1")
    )
    return same_address and port != str(client[1])


class KillControl:
    """One connection per backend that sends ``KILL`` for the pool's connections.

    Opened on first need and kept, so stopping a cancelled statement costs a round trip, not a
    connect. Serialised by a lock; reopened if the server dropped it."""

    def __init__(self, connect_kwargs: dict[str, Any]) -> None:
        self.connect_kwargs = connect_kwargs
        self._raw: Any = None  # an asyncmy.Connection (its protocol internals are not in the stubs)
        self._lock: asyncio.Lock | None = None
        self.connects = self.interrupted = self.recovered = 0

    async def kill(
        self, thread_id: int, query_only: bool, client: tuple[str, int] | None = None
    ) -> bool:
        """``KILL [QUERY] thread_id``; ``False`` when the server cannot be reached. Given the
        victim's ``client`` address, a session of another client is left alone (the victim's
        is gone: ``True``)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        statement = f"KILL {'QUERY ' if query_only else ''}{int(thread_id)}"
        async with self._lock:
            for _ in range(2):  # a kept connection may have been dropped: reopen once
                try:
                    raw = self._raw
                    if raw is None or not raw.connected or raw._stream_broken:
                        self.close()
                        raw = self._raw = await asyncmy.connect(**self.connect_kwargs)
                        self.connects += 1
                    async with raw.cursor() as cursor:
                        if client is not None:
                            await cursor.execute(_CLIENT_OF, (int(thread_id),))
                            row = await cursor.fetchone()
                            if row is None or _another_client(str(row[0]), client):
                                return True  # not the victim's session: it is gone
                        await cursor.execute(statement)
                    return True
                except asyncmy.errors.Error as exc:
                    if exc.args and exc.args[0] == _ER_NO_SUCH_THREAD:
                        return True  # already gone
                    self.close()
                except (OSError, asyncio.IncompleteReadError, EOFError):
                    self.close()
        return False

    def close(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.close()
