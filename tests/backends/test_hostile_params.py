"""Parameters, rows, records and column lists that lie about their length (or whose length
raises or is negative), given to the statement methods on every backend. The reference is
what the object holds: a list or tuple subclass is its stored items (its dunders are not
asked); any other sequence is what iterating it gives, and a ``len()`` that disagrees is an
``ArgumentError``. Before, ``tuple()``/``list()`` sized their result by ``__len__``: 2**62
was a ``MemoryError``, a raising one escaped, a negative one was a ``ValueError``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ferrule
from ferrule import errors

from .lying import HugeList, HugeTuple, LenRaises, NegativeLen

Q = Callable[[str], str]


class Counted:
    """A sequence that is not a list or tuple: its iteration is what it holds."""

    def __init__(self, items: list[Any], said: int) -> None:
        self.items, self.said = items, said

    def __len__(self) -> int:
        return self.said

    def __getitem__(self, index: int) -> Any:
        return self.items[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


LYING = [HugeList, HugeTuple, LenRaises, NegativeLen]


async def test_lying_lengths_are_read_as_what_they_hold(url: str, table: str, q: Q) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (a INTEGER, b INTEGER)")
        insert = q(f"INSERT INTO {table} (a, b) VALUES (?, ?)")
        for n, kind in enumerate(LYING):
            await db.execute(insert, kind([n, 1]))
            await db.execute_many(insert, [kind([n, 2])])
            await db.execute_many(insert, kind([[n, 3]]))
            await db.copy_records(table, kind(["a", "b"]), kind([kind([n, 4])]))
            added = await db.fetch_val(
                q("SELECT CAST(? AS INTEGER) + CAST(? AS INTEGER)"), kind([n, 10])
            )
            assert added == n + 10
        rows = await db.fetch_all(f"SELECT a, b FROM {table} ORDER BY a, b")
        assert [tuple(r) for r in rows] == [(n, b) for n in range(len(LYING)) for b in (1, 2, 3, 4)]


async def test_a_sequence_whose_len_disagrees_is_an_argument_error(
    url: str, table: str, q: Q
) -> None:
    async with await ferrule.connect(url, max_size=1) as db:
        await db.execute(f"CREATE TABLE {table} (a INTEGER, b INTEGER)")
        insert = q(f"INSERT INTO {table} (a, b) VALUES (?, ?)")
        await db.execute(insert, Counted([1, 2], 2))  # honest: fine
        for said in (1, 3, 2**62):
            with pytest.raises(errors.ArgumentError, match="says it holds"):
                await db.execute(insert, Counted([1, 2], said))
            with pytest.raises(errors.ArgumentError, match="says it holds"):
                await db.execute_many(insert, [Counted([1, 2], said)])
            with pytest.raises(errors.ArgumentError, match="says it holds"):
                await db.copy_records(table, ["a", "b"], [Counted([1, 2], said)])
        with pytest.raises(errors.ArgumentError, match="columns"):
            await db.copy_records(table, Counted(["a", "b"], 7), [(1, 2)])
        with pytest.raises(errors.ArgumentError, match="columns"):
            await db.copy_records(table, "ab", [(1, 2)])
        assert await db.fetch_val(f"SELECT COUNT(*) FROM {table}") == 1
