"""Cancelling a task at each of its await points, however fast the machine and the servers are.

The cancellation matrices cancel a task after ``n`` turns of the event loop, for n = 0, 1, ...
until it finishes. While the task waits on a server, every turn of the loop finds it at the same
await with the same pending future: the cancellation it gets there is the same, so counting
turns repeated one case as many times as the round trip took turns (hundreds on a loaded
machine, each run a few more round trips). `cancel_at` counts what can differ instead: the
*states* the work goes through, a state being the number of steps taken so far by the task and
by every task it started (a step is one resumption of a coroutine) and whether the future the
task waits on has its result yet (done, its wake-up not yet run). The n-th run is cancelled in
the n-th state; the sequence of states is the same in every run, whatever the timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine, Generator
from typing import Any


class Steps:
    """The number of steps taken by the coroutines of `start`'s task and of its children."""

    def __init__(self) -> None:
        self.count = 0


class _Counted(Coroutine[Any, Any, Any]):
    """A coroutine that counts each time its task resumes it."""

    def __init__(self, coro: Coroutine[Any, Any, Any], steps: Steps) -> None:
        self._coro = coro
        self._steps = steps

    def send(self, value: Any) -> Any:
        self._steps.count += 1
        return self._coro.send(value)

    def throw(self, *args: Any) -> Any:
        self._steps.count += 1
        return self._coro.throw(*args)

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Generator[Any, None, Any]:
        return self._coro.__await__()


async def _awaiting(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def start(work: Awaitable[Any]) -> tuple[asyncio.Task[Any], Steps]:
    """A task running ``work`` (a coroutine or another awaitable, as `asyncio.ensure_future`
    takes), its steps and those of the tasks it starts counted."""
    coro = work if asyncio.iscoroutine(work) else _awaiting(work)
    loop = asyncio.get_running_loop()
    steps = Steps()
    previous = loop.get_task_factory()

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **options: Any) -> asyncio.Task[Any]:
        return asyncio.Task(_Counted(coro, steps), loop=loop, **options)

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    try:
        task = loop.create_task(coro)
    except BaseException:
        loop.set_task_factory(previous)
        raise
    # the children are started while the task runs; none after
    task.add_done_callback(
        lambda _: loop.get_task_factory() is factory and loop.set_task_factory(previous)
    )
    return task, steps


def _state(task: asyncio.Task[Any], steps: Steps) -> tuple[int, bool]:
    waiter = getattr(task, "_fut_waiter", None)  # what the task awaits (C and Python tasks)
    return steps.count, waiter is not None and waiter.done()


async def cancel_at(task: asyncio.Task[Any], steps: Steps, n: int) -> None:
    """Cancel ``task`` in the n-th state of its work (n = 0: before its first step), turning
    the loop until it gets there; nothing if the task finishes first."""
    seen, last = -1, None
    while not task.done():
        state = _state(task, steps)
        if state != last:
            seen, last = seen + 1, state
        if seen == n:
            task.cancel()
            return
        await asyncio.sleep(0)
