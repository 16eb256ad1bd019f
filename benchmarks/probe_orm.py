"""Instructions per ORM operation on SQLite, ferrule.orm against the raw ``sqlite3`` module
doing the same statement (benchmarks/orm.py's calls), under callgrind.

    python benchmarks/probe_orm.py                        # every workload, both libraries
    python benchmarks/probe_orm.py --only filter,get -n 500

Each library runs once under ``valgrind --tool=callgrind``, every workload in turn on its own
copy of one prepared database: a warm-up, then ``n`` operations between two calls of
``os.getppid`` (nothing else calls it), where callgrind dumps its counters
(``--dump-before=os_getppid*``); a dump's total over ``n`` is the cost of one operation.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

ROWS = 5_000
WARM = 50
WORKLOADS = ("filter", "get", "update", "insert", "filter_build", "filter_await")
TABLE = "bench_orm_ferrule"
COLS = "id, name, email, age, score"
SQL = {
    "insert": f"INSERT INTO {TABLE} (name, email, age, score) VALUES (?, ?, ?, ?) RETURNING id",
    "get": f"SELECT {COLS} FROM {TABLE} WHERE id = ?",
    "filter": f"SELECT {COLS} FROM {TABLE} WHERE age >= ? ORDER BY name LIMIT 10",
    "update": f"UPDATE {TABLE} SET name = ?, email = ?, age = ?, score = ? WHERE id = ?",
}
_mark = os.getppid  # callgrind dumps before its C function (nothing else calls it)


def _rows(start: int, count: int) -> list[tuple[str, str, int, float]]:
    return [
        (f"name{(i * 7919) % 100_003:06d}", f"user{i}@example.com", 18 + (i * 37) % 63, i * 0.5)
        for i in range(start, start + count)
    ]


def _ages(count: int) -> list[int]:
    return [18 + (i * 13) % 63 for i in range(count)]


async def prepare(path: str) -> None:
    import ferrule
    from ferrule import orm
    from orm import Person

    db = await ferrule.connect(f"sqlite:///{path}")
    orm.set_default(db)
    await orm.create_tables(Person)
    rows = _rows(0, ROWS)
    await Person.bulk_create([Person(name=n, email=e, age=a, score=s) for n, e, a, s in rows])
    await db.close()


async def ferrule_step(Person: Any, objs: list[Any], workload: str, n: int, offset: int) -> None:
    """``n`` operations of ``workload`` through ferrule.orm, as benchmarks/orm.py makes them
    (``objs``: the first rows' instances, for the updates; shared with probe_orm_pg.py)."""
    from ferrule import orm

    if workload == "filter":
        for age in _ages(n):
            found = await Person.filter(age__gte=age).order_by("name").limit(10)
        assert len(found) == 10
    elif workload == "filter_build":  # the QuerySet alone, not run
        for age in _ages(n):
            Person.filter(age__gte=age).order_by("name").limit(10)
    elif workload == "filter_await":  # one QuerySet run again and again
        qs = Person.filter(age__gte=30).order_by("name").limit(10)
        for _ in range(n):
            await qs
    elif workload == "get":
        get = Person.get
        for key in range(offset + 1, offset + n + 1):
            await get(id=key)
    elif workload == "insert":
        create = Person.create
        async with orm.transaction():
            for name, email, age, score in _rows(offset, n):
                person = await create(name=name, email=email, age=age, score=score)
        assert person.id is not None
    else:
        async with orm.transaction():
            for obj in objs[offset : offset + n]:
                obj.score = obj.score + 1.0
                await obj.save()


async def run_ferrule(path: str, workloads: list[str], count: int) -> None:
    import ferrule
    from ferrule import orm
    from orm import Person

    db = await ferrule.connect(f"sqlite:///{path}")
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


async def run_sqlite3(path: str, workloads: list[str], count: int) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA synchronous = normal")
    rows = raw.execute(f"SELECT {COLS} FROM {TABLE} WHERE id <= ? ORDER BY id", (ROWS,)).fetchall()

    def go(workload: str, n: int, offset: int) -> None:
        execute, sql = raw.execute, SQL.get(workload, "")
        if workload == "filter":
            for age in _ages(n):
                execute(sql, (age,)).fetchall()
        elif workload == "get":
            for key in range(offset + 1, offset + n + 1):
                execute(sql, (key,)).fetchone()
        elif workload == "insert":
            execute("BEGIN")
            for row in _rows(offset, n):
                execute(sql, row).fetchone()[0]
            execute("COMMIT")
        elif workload == "update":
            execute("BEGIN")
            for row in rows[offset : offset + n]:
                execute(sql, (row[1], row[2], row[3], row[4] + 1.0, row[0]))
            execute("COMMIT")

    async def each(workload: str) -> None:  # in a coroutine, as the benchmark's calls
        go(workload, WARM, 0)
        _mark()
        go(workload, count, WARM)
        _mark()

    for workload in workloads:
        await each(workload)
    raw.close()


def _total(out_file: str) -> int:
    with open(out_file) as f:
        for line in f:
            found = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if found:
                return int(found.group(1))
    raise RuntimeError(f"no totals in {out_file}")


def measure(base: str, lib: str, workloads: list[str], count: int, tmp: str) -> list[float]:
    """Instructions per operation of each workload."""
    path = os.path.join(tmp, f"{lib}.db")
    shutil.copy(base, path)
    command = [sys.executable, __file__, "--run", lib, ",".join(workloads), str(count), path]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # every module compiled
    shutil.copy(base, path)
    return per_operation(command, os.path.join(tmp, f"cg_{lib}.out"), len(workloads), count)


def per_operation(command: list[str], out: str, workloads: int, count: int) -> list[float]:
    """``command`` run under callgrind: the instructions of one operation of each of its
    ``workloads``, from the dumps at its ``_mark`` calls."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-before=os_getppid*",
         *command],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    dumps = sorted(glob.glob(out + ".*"), key=lambda name: int(name.rsplit(".", 1)[1]))
    # dump 1: start-up and the first warm-up; then (measured, next warm-up) pairs
    return [_total(dumps[1 + 2 * i]) / count for i in range(workloads)]


def report(workloads: list[str], found: dict[str, list[float]], raw: str) -> None:
    """A line a workload: each library's instructions an operation, and ferrule ÷ ``raw``."""
    for index, workload in enumerate(workloads):
        values = {lib: per[index] for lib, per in found.items()}
        shown = "  ".join(f"{lib} {value / 1000:.1f}k" for lib, value in values.items())
        ratio = ""
        if "ferrule" in values and raw in values:
            ratio = f"  ferrule/raw {values['ferrule'] / values[raw]:.3f}"
        print(f"{workload:12} {shown}{ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="filter,get,update,insert")
    parser.add_argument("--libs", default="ferrule,sqlite3")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--run", nargs=4, metavar=("LIB", "WORKLOADS", "N", "PATH"))
    args = parser.parse_args()
    if args.run:
        lib, workloads, count, path = args.run
        runner = run_ferrule if lib == "ferrule" else run_sqlite3
        asyncio.run(runner(path, workloads.split(","), int(count)))
        return
    workloads = args.only.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.db")
        asyncio.run(prepare(base))
        found = {lib: measure(base, lib, workloads, args.n, tmp) for lib in args.libs.split(",")}
    report(workloads, found, "sqlite3")


if __name__ == "__main__":
    main()
