"""The database layer: ``await ferrule.connect(url)`` over SQLite, PostgreSQL and MariaDB/MySQL.

``backends.base`` states the backend protocol and the column-type mapping, ``pool`` the pooling
and failure rules, ``database`` the public API, ``blocks`` what transaction and connection blocks
(and the tasks started inside them) do, ``url`` the URL grammar. Importing this package
is cheap (``import ferrule`` must stay fast for the CLI): ``asyncio`` and the drivers are
imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.backends import defaults
from ferrule.backends.url import DatabaseURL, parse_url

if TYPE_CHECKING:
    from ferrule.backends.base import Backend, Row, Rows
    from ferrule.backends.blocks import Session, Transaction
    from ferrule.backends.database import Database
    from ferrule.backends.hooks import QueryEvent

__all__ = [
    "Database",
    "DatabaseURL",
    "QueryEvent",
    "Row",
    "Rows",
    "Session",
    "Transaction",
    "connect",
    "make_backend",
    "parse_url",
]

_LAZY = {
    "Database": "ferrule.backends.database",
    "Session": "ferrule.backends.blocks",
    "Transaction": "ferrule.backends.blocks",
    "Row": "ferrule.backends.base",
    "Rows": "ferrule.backends.base",
    "QueryEvent": "ferrule.backends.hooks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


#: The driver each server dialect needs, and the extra that installs it.
_DRIVERS = {"postgres": ("asyncpg", "postgres"), "mysql": ("asyncmy", "mysql")}


def make_backend(url: DatabaseURL) -> Backend:
    """The backend for a parsed URL; the driver module is imported only when it is used."""
    if url.dialect == "sqlite":
        from ferrule.backends.sqlite import SQLiteBackend

        return SQLiteBackend(url)
    try:
        if url.dialect == "postgres":
            from ferrule.backends.postgres import PostgresBackend

            return PostgresBackend(url)
        from ferrule.backends.mysql import MySQLBackend

        return MySQLBackend(url)
    except ImportError as exc:
        error = _missing_driver(url.dialect, exc)
        if error is None:
            raise  # something else is broken: do not hide it behind advice
        raise error from exc


def _missing_driver(dialect: str, exc: ImportError) -> Exception | None:
    """A driver that is not installed is a configuration problem: name the extra to install."""
    driver, extra = _DRIVERS[dialect]
    if exc.name is None or exc.name.partition(".")[0] != driver:
        return None
    from ferrule.errors import ConfigurationError

    return ConfigurationError(
        f"{dialect} URLs need the {driver} driver, which is not installed:"
        f" pip install ferrule[{extra}]"
    )


async def connect(url: str | None = None, **options: Any) -> Database:
    """Open a pool to ``url`` (default ``sqlite://``, a private in-memory database).

    ``options`` are the pool and timeout settings of ``backends.url.Options`` (``min_size``,
    ``max_size``, ``acquire_timeout``, ``connect_timeout``, ``recycle``,
    ``health_check_interval``, ``circuit_failures``, ``circuit_reset``,
    ``slow_query_threshold``, ``statement_cache_size``, ``reset_session``); they override the
    URL query."""
    from ferrule.backends.database import Database

    parsed = parse_url(url, **options)
    db = Database(parsed, make_backend(parsed))
    await db._open()
    defaults.opened(db)
    return db
