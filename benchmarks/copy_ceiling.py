"""How fast can this PostgreSQL server take 50,000 rows by COPY at all? The ceiling under
``benchmarks/orm.py``'s "bulk insert, keys given" row.

    python benchmarks/copy_ceiling.py            # 5 rounds, best of each kept
    python benchmarks/copy_ceiling.py --rounds 9

Every contender loads the same 50,000 rows (``orm.py``'s rows, with their keys) into its own
empty table of ``orm.py``'s shape (one index, on ``name``), in turn, round after round:

- ``prebuilt COPY``: asyncpg's ``copy_to_table`` of the rows' binary COPY data, made before
  the clock starts (by ``COPY ... TO`` from a loaded table). The client only sends bytes: what
  is left is the server's own work (parsing, the heap, the index, the WAL) and the socket.
- ``asyncpg copy_records``: asyncpg's ``copy_records_to_table`` of the rows as tuples.
- ``ferrule.db copy_records``: ferrule's database layer, the same call.
- ``ferrule.orm bulk_create``: 50,000 model instances made and validated, then
  ``bulk_create`` (COPY: keys given, none wanted back), as ``orm.py`` times it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from _orm_peers import COLUMNS, ddl_statements

import ferrule
from ferrule import orm
from orm import PG_URL, PersonKeyed, person_rows

ROWS = 50_000


async def main(rounds: int) -> None:
    import asyncpg

    rows = [(i + 1, *row) for i, row in enumerate(person_rows(0, ROWS))]
    columns = ["id", *COLUMNS]
    admin = await asyncpg.connect(PG_URL)
    db = await ferrule.connect(PG_URL, min_size=1, max_size=1)
    orm.set_default(db)
    tables = {name: f"bench_copy_{i}" for i, name in enumerate(("prebuilt", "asyncpg", "db"))}
    tables["orm"] = PersonKeyed._meta.table

    async def empty(table: str) -> None:
        await admin.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in ddl_statements("postgres", table):
            await admin.execute(statement)

    await empty(tables["prebuilt"])
    await admin.copy_records_to_table(tables["prebuilt"], records=rows, columns=columns)
    buffer = io.BytesIO()
    await admin.copy_from_table(tables["prebuilt"], columns=columns, output=buffer, format="binary")
    data = buffer.getvalue()

    async def prebuilt() -> None:
        await admin.copy_to_table(
            tables["prebuilt"], source=io.BytesIO(data), columns=columns, format="binary"
        )

    async def raw() -> None:
        await admin.copy_records_to_table(tables["asyncpg"], records=rows, columns=columns)

    async def layer() -> None:
        await db.copy_records(tables["db"], columns, rows)

    async def models() -> None:
        objs = [PersonKeyed(id=i, name=n, email=e, age=a, score=s) for i, n, e, a, s in rows]
        await PersonKeyed.bulk_create(objs)

    contenders: dict[str, tuple[str, Callable[[], Awaitable[Any]]]] = {
        "prebuilt": ("prebuilt COPY (the server's ceiling)", prebuilt),
        "asyncpg": ("asyncpg copy_records", raw),
        "db": ("ferrule.db copy_records", layer),
        "orm": ("ferrule.orm bulk_create", models),
    }
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(rounds):
        for key, (_, work) in contenders.items():
            await empty(tables[key])
            await admin.execute("CHECKPOINT")  # no checkpoint of earlier work inside a timing
            started = time.perf_counter()
            await work()
            best[key] = min(best[key], time.perf_counter() - started)
            count = await admin.fetchval(f"SELECT count(*) FROM {tables[key]}")
            assert count == ROWS, (key, count)
    for table in tables.values():
        await admin.execute(f"DROP TABLE IF EXISTS {table}")
    await db.close()
    await admin.close()

    ceiling = ROWS / best["prebuilt"]
    print(f"### COPY of {ROWS:,} rows into an empty indexed table, best of {rounds} rounds\n")
    print("| contender | rows/s | ÷ prebuilt COPY |")
    print("|---|---:|---:|")
    for key, (label, _) in contenders.items():
        rate = ROWS / best[key]
        print(f"| {label} | {rate:,.0f} | {rate / ceiling:.2f}x |")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
