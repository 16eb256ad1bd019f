"""ORM fixtures: every test runs on SQLite, PostgreSQL and MariaDB (``FERRULE_TEST_DB``
restricts the matrix, as for ``tests/backends``). The ``ormt_*`` tables are made once per
server and emptied before each test; SQLite gets a fresh file per test."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import ferrule
from backends.conftest import SERVER_URLS, selected_dialects
from ferrule import orm
from ferrule.orm.schema import ordered

from .models import ALL

_MADE: set[str] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests with ``asyncio.run``."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}

    async def run() -> None:
        try:
            await pyfuncitem.obj(**kwargs)
        finally:
            orm.set_default(None)
            await asyncio.sleep(0)

    asyncio.run(run())
    return True


@pytest.fixture(params=selected_dialects())
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def url(dialect: str, tmp_path: Path) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / 'orm.db'}"
    return SERVER_URLS[dialect]


async def _empty(db: Any) -> None:
    for model in reversed(ordered(ALL)):
        await model.all().using(db).delete()


@contextlib.asynccontextmanager
async def opened(url: str, **options: Any) -> AsyncIterator[Any]:
    """A database with the test tables, empty, as the models' default."""
    db = await ferrule.connect(url, **options)
    try:
        orm.set_default(db)
        key = url if not url.startswith("sqlite") else None
        if key is None or key not in _MADE:
            await orm.drop_tables(*ALL, if_exists=True)
            await orm.create_tables(*ALL)
            if key is not None:
                _MADE.add(key)
        else:
            await _empty(db)
        yield db
    finally:
        orm.set_default(None)
        await db.close()
