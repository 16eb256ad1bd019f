"""ORM fixtures: every test runs on SQLite, PostgreSQL and MariaDB (``FERRULE_TEST_DB``
restricts the matrix, as for ``tests/backends``). The ``ormt_*`` tables are made once per
server and emptied before each test; SQLite gets a fresh file per test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import ferrule
from backends import stepping

# the async test runner and the dialect/url fixtures of the database-layer suite
from backends.conftest import dialect, pytest_pyfunc_call, url  # noqa: F401
from ferrule import orm
from ferrule.errors import FieldError
from ferrule.orm.schema import ordered

from .models import ALL

_MADE: set[str] = set()


async def _empty(db: Any) -> None:
    for model in reversed(ordered(ALL)):
        await model.all().using(db).delete()


@contextlib.asynccontextmanager
async def opened(address: str, **options: Any) -> AsyncIterator[Any]:
    """A database with the test tables, empty, as the models' default."""
    db = await ferrule.connect(address, **options)
    try:
        orm.set_default(db)
        key = address if not address.startswith("sqlite") else None
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


@contextlib.asynccontextmanager
async def own_tables(*models: Any) -> AsyncIterator[None]:
    """The tables of a test's own models, made afresh on the default database and dropped
    after the test, however it ends."""
    await orm.drop_tables(*models, if_exists=True)
    await orm.create_tables(*models)
    try:
        yield
    finally:
        await orm.drop_tables(*models)


class CancelTrap:
    """Cancels the victim task as its N-th connection operation (one of ``operations``, a
    method name of the backend's connection class) starts, so it is in flight."""

    def __init__(self, operations: tuple[str, ...]) -> None:
        self.operations = operations
        self.victim: asyncio.Task[Any] | None = None
        self.target = 0
        self.calls = 0

    def install(self, monkeypatch: pytest.MonkeyPatch, conn_class: type) -> None:
        for name in self.operations:
            real = getattr(conn_class, name)

            async def trapped(conn: Any, *args: Any, _real: Any = real) -> Any:
                if self.victim is not None and asyncio.current_task() is self.victim:
                    self.calls += 1
                    if self.calls == self.target:
                        asyncio.get_running_loop().call_soon(self.victim.cancel)
                return await _real(conn, *args)

            monkeypatch.setattr(conn_class, name, trapped)


async def cut_at(work: Awaitable[Any], n: int, trap: CancelTrap | None) -> tuple[str, Any]:
    """``work`` run as a task cancelled at its n-th step: by the loop in its n-th state when
    ``trap`` is None (``stepping.cancel_at``), else by ``trap`` as its (n+1)-th connection
    operation starts (in flight). ``("ok", its result)``, or ``("cancelled", None)``."""
    task, steps = stepping.start(work)
    if trap is None:
        await stepping.cancel_at(task, steps, n)
    else:
        trap.victim, trap.target, trap.calls = task, n + 1, 0
    try:
        return "ok", await task
    except asyncio.CancelledError:
        return "cancelled", None
    finally:
        if trap is not None:
            trap.victim = None


async def refusal_mistakes(
    cases: dict[str, tuple[Callable[[], Any], str]], may_pass: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """What went wrong in a table of refusals: each case is made (and run, when it made a
    QuerySet or a coroutine, as ``aggregate()``) and must raise a ``FieldError`` holding its
    words; a case in ``may_pass`` may also be accepted. Empty when every case did as it
    should."""
    mistakes = []
    for label, (make, words) in cases.items():
        try:
            made = make()
            if hasattr(made, "_model") or asyncio.iscoroutine(made):
                await made
        except FieldError as error:
            if words not in str(error):
                mistakes.append((label, str(error)))
            continue
        except Exception as error:
            mistakes.append((label, repr(error)))
            continue
        if label not in may_pass:
            mistakes.append((label, "accepted"))
    return mistakes


@contextlib.contextmanager
def loop_with_tables(address: str, *models: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop of its own, with the database open and ``models``' tables made, for a
    hypothesis test: its examples run synchronously, each on this loop."""
    loop = asyncio.new_event_loop()
    stack = contextlib.AsyncExitStack()
    try:
        loop.run_until_complete(stack.enter_async_context(opened(address)))
        loop.run_until_complete(stack.enter_async_context(own_tables(*models)))
        yield loop
    finally:
        loop.run_until_complete(stack.aclose())
        loop.close()


def differential_settings(examples: int, **more: Any) -> Any:
    """The differential tests' hypothesis settings: reproducible (derandomised, no example
    database), no deadline or health checks (examples wait on servers), one bug at a time."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        **more,
    )
