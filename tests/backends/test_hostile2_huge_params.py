"""An int past Python's int-to-text limit (4,300 digits) as a parameter, alone or inside a
JSON value: SQLite refused it with a ``DataError``; asyncpg, writing the refusal that names
the parameter, and asyncmy, writing the parameter into the text, raised Python's own
``ValueError`` instead. Every backend now raises ferrule's ``DataError`` or
``InterfaceError``, and the connection answers the next statement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ferrule
from ferrule import errors

HUGE = 10**100_000


@pytest.mark.parametrize(
    "value", [HUGE, -HUGE, [HUGE], {"a": [1, HUGE]}], ids=["int", "negative", "list", "dict"]
)
async def test_an_int_past_the_text_limit_is_a_typed_error(
    url: str, q: Callable[[str], str], value: Any
) -> None:
    db = await ferrule.connect(url)
    try:
        with pytest.raises((errors.DataError, errors.InterfaceError)):
            await db.fetch_val(q("SELECT ?"), [value])
        with pytest.raises((errors.DataError, errors.InterfaceError)):
            await db.execute(q("SELECT ?"), [value])
        assert await db.fetch_val("SELECT 7", []) == 7
    finally:
        await db.close()
