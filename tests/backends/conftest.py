"""Database fixtures: the same tests run on SQLite, PostgreSQL and MariaDB.

``FERRULE_TEST_DB=sqlite|postgres|mysql`` (comma-separated) restricts the matrix; the default
runs all three. ``FERRULE_TEST_DBNAME`` names the database on the shared servers (default
``test``; ``make test`` gives each of its concurrent runs its own, made by ``.ci/services.sh``).
``async def`` tests run on a fresh event loop each (``asyncio.run``), so every test opens and
closes its own pools. Tables are named ``dbt_<random>`` and dropped afterwards: other modules
share these databases.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import sqlite3
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

DIALECTS = ("sqlite", "postgres", "mysql")
DBNAME = os.environ.get("FERRULE_TEST_DBNAME", "test")
SERVER_URLS = {
    "postgres": os.environ.get(
        "FERRULE_TEST_POSTGRES", f"postgresql://postgres@127.0.0.1:5432/{DBNAME}"
    ),
    "mysql": os.environ.get("FERRULE_TEST_MYSQL", f"mysql://root@127.0.0.1:3306/{DBNAME}"),
}


def selected_dialects() -> tuple[str, ...]:
    raw = os.environ.get("FERRULE_TEST_DB", "")
    chosen = tuple(d.strip() for d in raw.split(",") if d.strip()) or DIALECTS
    unknown = set(chosen) - set(DIALECTS)
    if unknown:
        raise pytest.UsageError(f"FERRULE_TEST_DB: unknown dialect(s) {sorted(unknown)}")
    return chosen


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in this directory with ``asyncio.run``."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}

    async def run() -> None:
        try:
            await pyfuncitem.obj(**kwargs)
        finally:
            await asyncio.sleep(0)  # let closed transports finish closing their sockets

    asyncio.run(run())
    # A connect cancelled mid-handshake (these tests cancel at every await point and kill
    # servers) can leave the driver's socket to the garbage collector; no ferrule object holds
    # it. Collect it here, at the end of the test that made it, with the drivers' "unclosed"
    # ResourceWarning expected, instead of in whichever later test the collector runs in (it
    # failed an unrelated SQLite test once). Every other warning still fails the run.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="unclosed", category=ResourceWarning)
        gc.collect()
    # What outlived the test (caches, compiled shapes, registered models) is out of the next
    # collections' way (tests/conftest.py): else each would walk all the suite has kept so far.
    gc.freeze()
    return True


@pytest.fixture(params=selected_dialects())
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def url(dialect: str, tmp_path: Path) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return SERVER_URLS[dialect]


def native(dialect: str, sql: str) -> str:
    """Write tests with ``?`` placeholders; get the backend's own style."""
    if dialect == "sqlite":
        return sql
    if dialect == "mysql":
        return sql.replace("?", "%s")
    parts = sql.split("?")
    return parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))


@pytest.fixture
def q(dialect: str) -> Callable[[str], str]:
    return lambda sql: native(dialect, sql)


def _drop(dialect: str, url: str, table: str) -> None:
    statement = f"DROP TABLE IF EXISTS {table}"
    if dialect == "sqlite":
        path = url.removeprefix("sqlite:///")
        if os.path.exists(path):
            with sqlite3.connect(path) as conn:
                conn.execute(statement)
            conn.close()
        return

    async def drop() -> None:
        import ferrule

        db = await ferrule.connect(url, min_size=1, max_size=1)
        try:
            await db.execute(statement)
        finally:
            await db.close()

    asyncio.run(drop())


@pytest.fixture
def table(dialect: str, url: str) -> Iterator[str]:
    """A unique table name, dropped after the test (the test creates it)."""
    name = f"dbt_{uuid.uuid4().hex[:10]}"
    yield name
    _drop(dialect, url, name)


def requires(db: Any, capability: str) -> None:
    """Skip, by name, when the backend lacks ``capability``."""
    if capability not in db.capabilities:
        pytest.skip(f"{db.dialect} lacks capability {capability!r}")


def requires_dialect(dialect: str, capability: str) -> None:
    """``requires`` before connecting: the capabilities every URL of ``dialect`` has."""
    from ferrule.backends.mysql import MySQLBackend
    from ferrule.backends.postgres import PostgresBackend
    from ferrule.backends.sqlite import SQLiteBackend

    backend = {"sqlite": SQLiteBackend, "postgres": PostgresBackend, "mysql": MySQLBackend}
    if capability not in backend[dialect].capabilities:
        pytest.skip(f"{dialect} lacks capability {capability!r}")


# Private servers for the restart and crash tests (session-scoped; see servers.py).
from .servers import PrivateServer, private_mysql, private_postgres  # noqa: E402, F401


@pytest.fixture(params=[d for d in ("postgres", "mysql") if d in selected_dialects()])
def server(request: pytest.FixtureRequest) -> PrivateServer:
    """A private server of each selected server dialect, safe to restart and crash."""
    fixture = "private_postgres" if request.param == "postgres" else "private_mysql"
    private: PrivateServer = request.getfixturevalue(fixture)
    return private
