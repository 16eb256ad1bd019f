"""Bulk insert benchmark: ``Model.bulk_create`` against the raw driver, in the same run.

    python benchmarks/bulk.py --db sqlite      # or postgres, mysql (repeatable)
    python benchmarks/bulk.py --rows 50000 --rounds 7

The ``bulk`` workloads of benchmarks/orm.py on their own, alternating contenders, best round
kept: 50k rows of (name, email, age, score); "keys back" lets the database number the rows and
sets the keys on the instances, "keys given" sends them (COPY on PostgreSQL). The ORM's time
includes building the instances, as in orm.py; "build" is that part alone. The raw drivers:
sqlite3 (synchronous) with 5,000-row ``INSERT ... VALUES ... RETURNING`` batches and
``executemany``; asyncpg with ``INSERT ... SELECT FROM unnest(...) RETURNING`` and
``copy_records_to_table``; asyncmy with multi-row ``INSERT ... RETURNING`` and ``executemany``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

import ferrule
from ferrule import orm

PG_URL = os.environ.get("FERRULE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
MY_URL = os.environ.get("FERRULE_BENCH_MYSQL", "mysql://root@127.0.0.1:3306/test")
BATCH = 5_000  # rows per statement for the raw drivers' multi-row VALUES


class Person(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=50, index=True)
    email: str = orm.Field(max_length=100)
    age: int
    score: float

    class Meta:
        table = "bench_bulk_orm"


def person_rows(count: int) -> list[tuple[str, str, int, float]]:
    return [
        (f"name{(i * 7919) % 100_003:06d}", f"user{i}@example.com", 18 + (i * 37) % 63, i * 0.5)
        for i in range(count)
    ]


RAW = "bench_bulk_raw"
LAYER = "bench_bulk_db"
COLS = "name, email, age, score"


def _values(dialect: str, rows: list[Any], first: int = 1) -> str:
    if dialect == "postgres":
        return ", ".join(
            "(" + ", ".join(f"${4 * k + j + first}" for j in range(4)) + ")"
            for k in range(len(rows))
        )
    mark = "?" if dialect == "sqlite" else "%s"
    return ", ".join([f"({mark}, {mark}, {mark}, {mark})"] * len(rows))


class Bench:
    def __init__(self, dialect: str, rows: int) -> None:
        self.dialect = dialect
        self.rows = person_rows(rows)
        self.keyed = [(i + 1, *row) for i, row in enumerate(self.rows)]
        self.directory = tempfile.mkdtemp(prefix="ferrule-bulk-bench-")

    def url(self) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{os.path.join(self.directory, 'ferrule.db')}"
        return PG_URL if self.dialect == "postgres" else MY_URL

    async def open(self) -> None:
        options = {"min_size": 1, "max_size": 1} if self.dialect != "sqlite" else {}
        self.db = await ferrule.connect(self.url(), **options)
        orm.set_default(self.db)
        await orm.drop_tables(Person, if_exists=True)
        await orm.create_tables(Person)
        ddl = [s for s, _ in self._ddl(LAYER)]
        for statement in ddl:
            await self.db.execute(statement)
        if self.dialect == "sqlite":
            self.raw = sqlite3.connect(os.path.join(self.directory, "raw.db"), isolation_level=None)
            self.raw.execute("PRAGMA journal_mode = wal")
            self.raw.execute("PRAGMA synchronous = normal")
            for statement, _ in self._ddl(RAW):
                self.raw.execute(statement)
        elif self.dialect == "postgres":
            import asyncpg

            self.raw = await asyncpg.connect(PG_URL)
            for statement, _ in self._ddl(RAW):
                await self.raw.execute(statement)
        else:
            import asyncmy

            self.raw = await asyncmy.connect(
                host="127.0.0.1",
                port=3306,
                user="root",
                database=MY_URL.rpartition("/")[2],
                autocommit=True,
            )
            async with self.raw.cursor() as cursor:
                for statement, _ in self._ddl(RAW):
                    await cursor.execute(statement)

    def _ddl(self, table: str) -> list[tuple[str, None]]:
        made = [
            text
            for statement in orm.schema.create_table_statements(Person)
            for text, _ in statement.statements(self.dialect)
        ]
        quoted = '"bench_bulk_orm"' if self.dialect != "mysql" else "`bench_bulk_orm`"
        out = [(f"DROP TABLE IF EXISTS {table}", None)]
        out += [(s.replace(quoted, table).replace("bench_bulk_orm", table), None) for s in made]
        return out

    async def close(self) -> None:
        await orm.drop_tables(Person, if_exists=True)
        await self.db.execute(f"DROP TABLE IF EXISTS {LAYER}")
        await self.db.close()
        if self.dialect == "sqlite":
            self.raw.close()
        elif self.dialect == "postgres":
            await self.raw.execute(f"DROP TABLE {RAW}")
            await self.raw.close()
        else:
            async with self.raw.cursor() as cursor:
                await cursor.execute(f"DROP TABLE {RAW}")
            self.raw.close()

    async def empty(self) -> None:
        """Every table emptied the same way, its keys starting at 1 again."""
        empty = "DELETE FROM {}" if self.dialect == "sqlite" else "TRUNCATE TABLE {}"
        if self.dialect == "postgres":
            empty += " RESTART IDENTITY"
        for table in (Person._meta.table, LAYER):
            await self.db.execute(empty.format(table))
        if self.dialect == "sqlite":
            self.raw.execute(empty.format(RAW))
            self.raw.execute("DELETE FROM sqlite_sequence")
            await self.db.execute("DELETE FROM sqlite_sequence")
        elif self.dialect == "postgres":
            await self.raw.execute(empty.format(RAW))
        else:
            async with self.raw.cursor() as cursor:
                await cursor.execute(empty.format(RAW))

    # --- the ORM ---

    async def orm_keys_back(self) -> None:
        objs = [Person(name=n, email=e, age=a, score=s) for n, e, a, s in self.rows]
        await Person.bulk_create(objs)
        assert objs[-1].id is not None

    async def orm_keys_given(self) -> None:
        objs = [Person(id=i, name=n, email=e, age=a, score=s) for i, n, e, a, s in self.keyed]
        await Person.bulk_create(objs)

    async def orm_build(self) -> None:
        [Person(id=i, name=n, email=e, age=a, score=s) for i, n, e, a, s in self.keyed]

    # --- ferrule.db: the statements a raw driver user would write ---

    async def layer_keys_back(self) -> None:
        head = f"INSERT INTO {LAYER} ({COLS}) "
        async with self.db.transaction():
            if self.dialect == "postgres":
                await self.db.fetch_all(
                    head + "SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[],"
                    " $4::float8[]) RETURNING id",
                    list(map(list, zip(*self.rows, strict=True))),
                )
                return
            for start in range(0, len(self.rows), BATCH):
                batch = self.rows[start : start + BATCH]
                sql = f"{head}VALUES {_values(self.dialect, batch)} RETURNING id"
                await self.db.fetch_all(sql, [v for row in batch for v in row])

    async def layer_keys_given(self) -> None:
        if self.dialect == "postgres":
            await self.db.copy_records(LAYER, ["id", *COLS.split(", ")], self.keyed)
            return
        mark = "?" if self.dialect == "sqlite" else "%s"
        sql = f"INSERT INTO {LAYER} (id, {COLS}) VALUES ({', '.join([mark] * 5)})"
        async with self.db.transaction():
            await self.db.execute_many(sql, self.keyed)

    # --- the raw driver ---

    async def raw_keys_back(self) -> None:
        head = f"INSERT INTO {RAW} ({COLS}) "
        if self.dialect == "postgres":
            async with self.raw.transaction():
                await self.raw.fetch(
                    head + "SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[],"
                    " $4::float8[]) RETURNING id",
                    *map(list, zip(*self.rows, strict=True)),
                )
            return
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN")
            for start in range(0, len(self.rows), BATCH):
                batch = self.rows[start : start + BATCH]
                sql = f"{head}VALUES {_values('sqlite', batch)} RETURNING id"
                self.raw.execute(sql, [v for row in batch for v in row]).fetchall()
            self.raw.execute("COMMIT")
            return
        async with self.raw.cursor() as cursor:
            await cursor.execute("BEGIN")
            for start in range(0, len(self.rows), BATCH):
                batch = self.rows[start : start + BATCH]
                sql = f"{head}VALUES {_values('mysql', batch)} RETURNING id"
                await cursor.execute(sql, [v for row in batch for v in row])
                await cursor.fetchall()
            await cursor.execute("COMMIT")

    async def raw_keys_given(self) -> None:
        if self.dialect == "postgres":
            await self.raw.copy_records_to_table(
                RAW, records=self.keyed, columns=["id", *COLS.split(", ")]
            )
            return
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN")
            self.raw.executemany(
                f"INSERT INTO {RAW} (id, {COLS}) VALUES (?, ?, ?, ?, ?)", self.keyed
            )
            self.raw.execute("COMMIT")
            return
        async with self.raw.cursor() as cursor:
            await cursor.execute("BEGIN")
            await cursor.executemany(
                f"INSERT INTO {RAW} (id, {COLS}) VALUES (%s, %s, %s, %s, %s)", self.keyed
            )
            await cursor.execute("COMMIT")


async def run(dialect: str, rows: int, rounds: int) -> None:
    bench = Bench(dialect, rows)
    await bench.open()
    cases: dict[str, dict[str, Callable[[], Awaitable[None]]]] = {
        "keys back": {
            "ferrule": bench.orm_keys_back,
            "ferrule.db": bench.layer_keys_back,
            "raw": bench.raw_keys_back,
        },
        "keys given": {
            "ferrule": bench.orm_keys_given,
            "ferrule.db": bench.layer_keys_given,
            "raw": bench.raw_keys_given,
            "build only": bench.orm_build,
        },
    }
    best: dict[tuple[str, str], float] = {}
    try:
        for _ in range(rounds):
            for case, contenders in cases.items():
                for name, work in contenders.items():
                    await bench.empty()
                    gc.collect()
                    started = time.perf_counter()
                    await work()
                    took = time.perf_counter() - started
                    best[case, name] = min(best.get((case, name), float("inf")), took)
    finally:
        await bench.close()
    raw = {"sqlite": "sqlite3", "postgres": "asyncpg", "mysql": "asyncmy"}[dialect]
    print(f"### {dialect}: {rows:,} rows, best of {rounds}")
    print("| workload | contender | rows/s | ferrule ÷ |")
    print("|---|---|---:|---:|")
    for case, contenders in cases.items():
        mine = rows / best[case, "ferrule"]
        for name in contenders:
            rate = rows / best[case, name]
            shown = raw if name == "raw" else name
            print(f"| {case} | {shown} | {rate:,.0f} | {mine / rate:.2f}x |")
    build = best["keys given", "build only"]
    for case in cases:
        alone = best[case, "ferrule"] - build
        print(f"ferrule {case}, bulk_create alone (minus the build): {rows / alone:,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "mysql"], action="append")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for dialect in args.db or ["sqlite", "postgres", "mysql"]:
        asyncio.run(run(dialect, args.rows, args.rounds))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)


if __name__ == "__main__":
    main()
