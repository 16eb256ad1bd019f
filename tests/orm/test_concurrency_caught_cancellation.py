"""ORM writes cancelled at each of their await points inside a caller's block that catches the
cancellation and goes on (``asyncio.timeout()`` around one call, the others kept): the writes
``test_explore8_caught_cancellation`` leaves out (``update_or_create``, ``bulk_update``,
many-to-many ``add``/``remove``/``set``/``clear``, cascading deletes heard by receivers, saves
whose receiver writes, nested savepoints).

Afterwards the block either committed its own rows and the cancelled write whole or not at all
(never a part of it), or raised ``TransactionError`` (a statement was cut off: the block is
doomed) and kept nothing; the pool has its connection back, and the next call works."""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import pytest

from backends import stepping
from ferrule import errors, orm

from .conftest import opened
from .models import Everything
from .test_explore8_cancelled_writes import WRITES as MORE_WRITES
from .test_explore8_cancelled_writes import _Heard
from .write_cases import WRITES, Receivers, given, reset, state

CASES = {
    "update_or_create_new": WRITES["update_or_create_new"],
    "update_or_create_found": WRITES["update_or_create_found"],
    "bulk_update": WRITES["bulk_update"],
    "m2m_add": WRITES["m2m_add"],
    "m2m_set": WRITES["m2m_set"],
    "m2m_clear": WRITES["m2m_clear"],
    "m2m_remove": MORE_WRITES["m2m_remove"],
    "cascading_delete": WRITES["cascading_delete"],
    "delete_heard": MORE_WRITES["delete_heard"],
    "save_changed": WRITES["save_changed"],
    "create": WRITES["create"],
    "nested_savepoints": MORE_WRITES["nested_savepoints"],
}
#: receivers that go with a case (their own reads and writes run in the write's block)
HEARD = {"delete_heard": _Heard, "save_changed": Receivers, "create": Receivers}


async def _marks() -> list[str]:
    return sorted(await Everything.values_list("code", flat=True))


@pytest.mark.parametrize("write", list(CASES))
async def test_a_write_cancelled_inside_a_block_that_goes_on_is_whole_or_refused(
    url: str, write: str
) -> None:
    async with opened(url, min_size=1, max_size=1) as db:
        heard = HEARD.get(write)
        with heard() if heard is not None else _Nothing():
            await reset()
            before = await state()
            await CASES[write](await given())
            after = await state()
            assert after != before
            outcomes: collections.Counter[str] = collections.Counter()
            finished = 0
            for n in range(400):
                await reset()
                await Everything.all().delete()
                g = await given()
                cut: list[bool] = []

                async def block(g: Any, n: int, cut: list[bool]) -> None:
                    async with orm.transaction():
                        await Everything.create(code="before")
                        inner, steps = stepping.start(CASES[write](g))
                        await stepping.cancel_at(inner, steps, n)
                        try:
                            await inner
                        except asyncio.CancelledError:
                            cut.append(True)
                        await Everything.create(code="after")

                try:
                    await block(g, n, cut)
                    outcome = "committed, cut" if cut else "committed"
                except errors.TransactionError:
                    outcome = "refused"
                outcomes[outcome] += 1
                assert db.stats()["in_use"] == 0
                now, marks = await state(), await _marks()
                if outcome == "refused":
                    assert (now, marks) == (before, []), (n, outcome)
                else:
                    assert marks == ["after", "before"], n
                    assert now in (before, after), f"a part of {write}, cut in state {n}"
                    if not cut:
                        assert now == after, n
                finished = finished + 1 if not cut else 0
                if finished == 2:
                    break
    assert outcomes["committed"] > 0 and outcomes["committed, cut"] > 0, outcomes


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
