"""Instructions per ORM operation on PostgreSQL, ferrule.orm against asyncpg running the same
statement (benchmarks/orm.py's calls), under callgrind; probe_orm.py's method on SQLite.

    python benchmarks/probe_orm_pg.py                     # every workload, both libraries
    python benchmarks/probe_orm_pg.py --only filter -n 300

Only the client's instructions are counted (the server is another process), which is what the
ORM adds to a round trip. Each library gets its own table, filled alike before each run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from probe_orm import ROWS, WARM, _ages, _mark, _rows, ferrule_step, per_operation, report

URL = os.environ.get("FERRULE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
TABLE = "bench_orm_ferrule"
COLS = "id, name, email, age, score"
SQL = {
    "insert": f"INSERT INTO {TABLE} (name, email, age, score) VALUES ($1, $2, $3, $4) RETURNING id",
    "get": f"SELECT {COLS} FROM {TABLE} WHERE id = $1",
    "filter": f"SELECT {COLS} FROM {TABLE} WHERE age >= $1 ORDER BY name LIMIT 10",
    "update": f"UPDATE {TABLE} SET name = $1, email = $2, age = $3, score = $4 WHERE id = $5",
}


async def prepare() -> None:
    import ferrule
    from ferrule import orm
    from orm import Person

    db = await ferrule.connect(URL, min_size=1, max_size=1)
    orm.set_default(db)
    await orm.drop_tables(Person, if_exists=True)
    await orm.create_tables(Person)
    rows = _rows(0, ROWS)
    await Person.bulk_create([Person(name=n, email=e, age=a, score=s) for n, e, a, s in rows])
    await db.close()


async def run_ferrule(workloads: list[str], count: int) -> None:
    import ferrule
    from ferrule import orm
    from orm import Person

    db = await ferrule.connect(URL, min_size=1, max_size=1)
    orm.set_default(db)
    objs = await Person.filter(id__lte=ROWS).order_by("id")

    async def go(workload: str, n: int, offset: int) -> None:
        await ferrule_step(Person, objs, workload, n, offset)

    for workload in workloads:
        await go(workload, WARM, 0)
        _mark()
        await go(workload, count, WARM)
        _mark()
    await db.close()


async def run_asyncpg(workloads: list[str], count: int) -> None:
    import asyncpg

    raw = await asyncpg.connect(URL)
    rows = await raw.fetch(f"SELECT {COLS} FROM {TABLE} WHERE id <= $1 ORDER BY id", ROWS)

    async def go(workload: str, n: int, offset: int) -> None:
        sql = SQL.get(workload, "")
        if workload in ("filter", "filter_await"):
            for age in _ages(n):
                await raw.fetch(SQL["filter"], 30 if workload == "filter_await" else age)
        elif workload == "filter_build":  # nothing to build
            pass
        elif workload == "get":
            for key in range(offset + 1, offset + n + 1):
                await raw.fetchrow(sql, key)
        elif workload == "insert":
            async with raw.transaction():
                for row in _rows(ROWS + offset, n):
                    await raw.fetchval(sql, *row)
        else:
            async with raw.transaction():
                for row in rows[offset : offset + n]:
                    await raw.execute(sql, row[1], row[2], row[3], row[4] + 1.0, row[0])

    for workload in workloads:
        await go(workload, WARM, 0)
        _mark()
        await go(workload, count, WARM)
        _mark()
    await raw.close()


def measure(lib: str, workloads: list[str], count: int, tmp: str) -> list[float]:
    """Instructions per operation of each workload (a fresh table for each run)."""
    command = [sys.executable, __file__, "--run", lib, ",".join(workloads), str(count)]
    asyncio.run(prepare())
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # every module compiled
    asyncio.run(prepare())
    return per_operation(command, os.path.join(tmp, f"cg_{lib}.out"), len(workloads), count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="filter,get,update,insert")
    parser.add_argument("--libs", default="ferrule,asyncpg")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--run", nargs=3, metavar=("LIB", "WORKLOADS", "N"))
    args = parser.parse_args()
    if args.run:
        lib, workloads, count = args.run
        runner = run_ferrule if lib == "ferrule" else run_asyncpg
        asyncio.run(runner(workloads.split(","), int(count)))
        return
    workloads = args.only.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        found = {lib: measure(lib, workloads, args.n, tmp) for lib in args.libs.split(",")}
    report(workloads, found, "asyncpg")


if __name__ == "__main__":
    main()
