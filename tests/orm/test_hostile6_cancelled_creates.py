"""Instances made by a call that returns them (``create()`` on its cached fast path,
``get_or_create``, ``update_or_create``, ``bulk_create`` of a generator), inside a block that a
cancellation then rolls back or cuts as it commits: each instance the caller got keeps a key
exactly when its row is there (the matrix of test_explore8_instance_keys, for the calls that
make their own instances)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm

from .conftest import opened
from .models import Author
from .test_explore8_instance_keys import _cancelled_at_each_point, _trap


async def _made(call: str, kept: list[Any]) -> None:
    """One call making a row, its instance kept in ``kept`` once the call returns it."""
    if call == "create":
        kept.append(await Author.create(name="cy"))
    elif call == "get_or_create":
        kept.append((await Author.get_or_create(name="cy", defaults={"rating": 2}))[0])
    elif call == "update_or_create":
        kept.append((await Author.update_or_create(name="cy", defaults={"rating": 2}))[0])
    else:
        kept.extend(await Author.bulk_create(Author(name=n) for n in ("cy", "di")))


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["alone", "block"])
@pytest.mark.parametrize(
    "call", ["create", "get_or_create", "update_or_create", "bulk_create_generator"]
)
async def test_a_made_instance_keeps_a_key_only_with_its_row(
    url: str, dialect: str, how: str, shape: str, call: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        await Author.create(name="warm")  # create()'s plan cached: its fast path from here
        await Author.all().delete()

        async def make() -> dict[str, Any]:
            await Author.all().delete()
            await Author.create(name="ann")
            return {"instances": []}

        async def work(made: dict[str, Any]) -> None:
            if shape == "alone":
                await _made(call, made["instances"])
                return
            async with orm.transaction():
                await Author.create(name="outer")
                await _made(call, made["instances"])

        outcomes, wrong = await _cancelled_at_each_point(how, trap, make, work)
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
        assert wrong == [], outcomes
