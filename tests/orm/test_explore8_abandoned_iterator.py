"""An ``iterator()`` loop left by an exception without ``aclosing`` (as a Django user writes
it) is closed by the event loop's finaliser, possibly after the database was closed: it
must end quietly then, not as a driver error that no task retrieves ("Task exception was
never retrieved: sqlite3.ProgrammingError: Cannot operate on a closed database")."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import own_tables


class Item(orm.Model):
    id: int = orm.Field(primary_key=True)
    label: str = orm.Field(max_length=20)

    class Meta:
        table = "ormt_e8_item"


class _Stop(Exception):
    pass


async def test_an_abandoned_iterator_closed_after_the_database_ends_quietly(url: str) -> None:
    loop = asyncio.get_running_loop()
    unretrieved: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: unretrieved.append(context))
    db = await ferrule.connect(url, min_size=1, max_size=2)
    orm.set_default(db)
    try:
        async with own_tables(Item):
            await Item.bulk_create([Item(label=f"t{i}") for i in range(5)])
            try:
                async for _ in Item.all().iterator(chunk_size=1):
                    raise _Stop  # the loop's generator is left open, held by the traceback
            except _Stop as stop:
                kept = stop  # (as a caller that logs it later would)
    finally:
        orm.set_default(None)
        await db.close()
    del kept
    gc.collect()
    for _ in range(5):  # the finaliser's aclose() task runs
        await asyncio.sleep(0)
    assert [c.get("exception") for c in unretrieved] == []


async def test_a_write_inside_an_iterator_loop_on_a_full_pool_says_why(
    url: str, dialect: str
) -> None:
    """``async for a in qs.iterator(): await a.save()``: on a server the loop holds a
    connection until it ends, and the save needs another. On a pool with none left the save
    waits for the loop's own connection: the ``PoolTimeoutError`` says so, and how to run it
    (the way it gives, ``db.connection()``, then works on the same pool). SQLite's loop holds
    none between chunks: there the loop runs."""
    db = await ferrule.connect(url, min_size=1, max_size=1, acquire_timeout=0.2)
    orm.set_default(db)
    try:
        async with own_tables(Item):
            await Item.bulk_create([Item(label=f"t{i}") for i in range(3)])
            if dialect == "sqlite":
                async for item in Item.all().iterator(chunk_size=1):
                    item.label += "!"
                    await item.save()
                assert sorted(await Item.values_list("label", flat=True)) == ["t0!", "t1!", "t2!"]
                await Item.all().update(label=orm.Substr("label", 1, 2))
            else:
                with pytest.raises(ferrule.errors.PoolTimeoutError) as raised:
                    async for item in Item.all().iterator(chunk_size=1):
                        item.label += "!"
                        await item.save()
                text = str(raised.value)
                assert "iterate" in text and "db.connection()" in text, text
            async with db.connection():
                async for item in Item.all().iterator(chunk_size=1):
                    item.label += "?"
                    await item.save()
            assert sorted(await Item.values_list("label", flat=True)) == ["t0?", "t1?", "t2?"]
    finally:
        orm.set_default(None)
        await db.close()
