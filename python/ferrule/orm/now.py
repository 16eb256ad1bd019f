"""Django's ``Now()``: the current instant, an aware datetime in UTC.

Django asks each database's clock (``STATEMENT_TIMESTAMP()``, ``CURRENT_TIMESTAMP(6)``,
SQLite's ``'now'`` text), whose precision and time zone differ from one to the next; each
answers one instant for a whole statement. ferrule reads the application's clock once each
time the statement is made into SQL and binds the reading as a value wherever a ``Now()``
stands in it (its subqueries and a union's parts too: ``annotate(a=Now(), b=Now())`` gives
``a == b``), so ``filter(expires__lt=Now())``, ``update(seen=Now())`` and
``annotate(at=Now())`` compare and store the same microsecond-exact UTC instant on every
database (as ``auto_now`` does)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from typing import Any

from ferrule.orm.expressions import Value

__all__ = ["CLOCK", "Now", "one_clock", "read"]


def _reading() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


#: the clock of a statement made of several queries (a union's parts, a NOT's key subquery):
#: the scopes made while it is set take it (``Scope.clock``) and so read one instant
CLOCK: contextvars.ContextVar[list[Any]] = contextvars.ContextVar("ferrule_clock")


@contextlib.contextmanager
def one_clock(clock: list[Any] | None = None) -> Iterator[None]:
    """The queries compiled inside share ``clock`` (default: the one set already, else a
    new one): their ``Now()`` is one instant."""
    token = CLOCK.set(CLOCK.get([]) if clock is None else clock)
    try:
        yield
    finally:
        CLOCK.reset(token)


def read(scope: Any) -> dt.datetime:
    """The instant every ``Now()`` of the statement ``scope`` compiles binds: the clock read
    at the first of them (``Scope.clock``)."""
    clock = scope.clock
    if not clock:
        clock.append(_reading())
    return clock[0]  # type: ignore[no-any-return]


class Now(Value):
    """The current instant in UTC, read when the query is compiled (the module docstring)."""

    __slots__ = ()

    def __init__(self) -> None:
        pass

    @property
    def value(self) -> dt.datetime:  # type: ignore[override]
        return _reading()

    def __repr__(self) -> str:
        return "Now()"
