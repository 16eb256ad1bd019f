"""``async with orm.transaction():`` and ``@orm.atomic``: a transaction on the models' default
database (or ``using=``), a savepoint when nested. Every ORM call made inside the block, by
the block's task or tasks it starts, runs in it (the database layer's block rules).

A block inside an async generator lasts until the generator is closed: a consumer that leaves
it early should close it (``contextlib.aclosing``). Until then the consumer's own calls run
in the generator's block; once the event loop's finaliser closes the generator (the block
rolls back), they raise ``TransactionError``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ferrule.backends import defaults
from ferrule.errors import NoDatabaseError, ORMError
from ferrule.orm.databases import checked_database

__all__ = ["atomic", "in_transaction", "transaction"]

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def _database(using: Any) -> Any:
    if using is not None:
        checked_database(using, "orm.transaction()")
        return using
    db = defaults.default_database()
    if db is None:
        raise NoDatabaseError(
            "orm.transaction(): no database is open; call `await ferrule.connect(url)` first"
        )
    return db


def transaction(*, using: Any = None, isolation: str | None = None, readonly: bool = False) -> Any:
    """The database's ``transaction()`` block (see ``Database.transaction``)."""
    return _database(using).transaction(isolation, readonly=readonly)


def in_transaction(using: Any = None) -> Any:
    """Tortoise's spelling of ``orm.transaction()``. Tortoise names a connection; here the
    database object itself is given (``using=db``)."""
    if using is not None:
        checked_database(using, "orm.in_transaction()")
    return transaction(using=using)


def atomic(function: F | None = None, *, using: Any = None) -> Any:
    """Run an async function inside ``orm.transaction()``: ``@orm.atomic`` or
    ``@orm.atomic(using=db)``."""

    if using is not None:
        checked_database(using, "@orm.atomic()")

    def wrap(inner: F) -> F:
        if not inspect.iscoroutinefunction(inner):
            # the wrapper would be a coroutine the caller never awaits: the function would
            # not run, inside a transaction or at all
            raise ORMError(
                f"@orm.atomic decorates an async def function (a coroutine function, not an"
                f" async generator); {inner!r} is not one (run its body inside"
                " `async with orm.transaction():` instead)"
            )

        @functools.wraps(inner)
        async def run(*args: Any, **kwargs: Any) -> Any:
            async with transaction(using=using):
                return await inner(*args, **kwargs)

        return run  # type: ignore[return-value]

    return wrap(function) if function is not None else wrap
