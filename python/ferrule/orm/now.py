"""Django's ``Now()``: the current instant, an aware datetime in UTC.

Django asks each database's clock (``STATEMENT_TIMESTAMP()``, ``CURRENT_TIMESTAMP(6)``,
SQLite's ``'now'`` text), whose precision and time zone differ from one to the next. ferrule
reads the application's clock once each time the query is made into SQL and binds the reading
as a value, so ``filter(expires__lt=Now())``, ``update(seen=Now())`` and
``annotate(at=Now())`` compare and store the same microsecond-exact UTC instant on every
database (as ``auto_now`` does)."""

from __future__ import annotations

import datetime as dt

from ferrule.orm.expressions import Value

__all__ = ["Now"]


def _reading() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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
