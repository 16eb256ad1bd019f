"""ORM benchmark: ferrule.orm against Tortoise ORM, SQLAlchemy 2 (async ORM), Peewee, Piccolo and
oxyde, and the raw drivers, in the same run, on SQLite and PostgreSQL.

    python benchmarks/orm.py                   # both databases (PostgreSQL must be up)
    python benchmarks/orm.py --db sqlite       # or --db postgres
    python benchmarks/orm.py --quick           # a tenth of the counts, one round: a smoke run

Workloads (the ORM performance issue): 5k single inserts in one transaction, each returning its
key; a 50k bulk insert; the 55k rows fetched as instances; 2k gets by primary key; 2k filtered
queries ``age >= x ORDER BY name LIMIT 10``; 5k single updates through each ORM's save(), in one
transaction; COUNT(*). Every library gets its own table of the same shape, made by the same DDL
(ferrule's own ``orm.create_tables``; the script checks the others' text is the same), with one
index, on ``name`` (what that ORDER BY ... LIMIT uses; an index on (age, name) could not give the
order). SQLite: a file per library, WAL, ``synchronous = normal`` and ferrule's page cache
(``cache_size = -65536``, 64 MiB; SQLite's own default is 2 MiB) where the library lets them be
set. PostgreSQL: one connection (or a pool of one where the library has a size) per library;
``VACUUM ANALYZE`` after the loads, untimed, so that autovacuum strikes no one's timings.

Each round runs every contender through every workload, contenders one after another on a fresh
(emptied) table, reconnected; each keeps its best round. Each database runs in its own process.
"ferrule ÷" in the tables is ferrule's throughput divided by the contender's (above 1.00x:
ferrule is faster). Raw contenders return rows, not instances: ``ferrule.db`` is the database
layer ferrule.orm runs on (the ORM's statements as raw SQL), ``sqlite3`` the synchronous standard
library driver, ``asyncpg`` the driver itself. Memory: tracemalloc over the fetch of every row
(retained vs peak), and for ferrule also the resident set of a fresh process (Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

import _orm_peers as peers
from _orm_peers import BATCH, COLUMNS, PAGE_CACHE, Contender, Setup, ddl_statements
from _orm_targets import summary

import ferrule
from ferrule import orm
from ferrule.orm.schema import create_table_statements

PG_URL = os.environ.get("FERRULE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Sizes:
    insert: int = 5_000
    bulk: int = 50_000
    get: int = 2_000
    filter: int = 2_000
    update: int = 5_000
    count: int = 200
    rounds: int = 3

    @property
    def total(self) -> int:
        return self.insert + self.bulk


FULL = Sizes()
QUICK = Sizes(insert=500, bulk=5_000, get=200, filter=200, update=500, count=20, rounds=1)

# (key, label, unit); "bulk_ids" is run by ferrule and the raw drivers only
CASES = [
    ("insert", "insert 5k one by one (tx, key back)", "rows/s"),
    ("bulk", "bulk insert 50k", "rows/s"),
    ("bulk_ids", "bulk insert 50k, keys given (none back)", "rows/s"),
    ("fetch", "fetch 55k as instances", "rows/s"),
    ("get", "get by pk", "queries/s"),
    ("filter", "age >= x ORDER BY name LIMIT 10", "queries/s"),
    ("update", "update 5k via save() (tx)", "rows/s"),
    ("count", "count()", "queries/s"),
]


def person_rows(start: int, count: int) -> list[tuple[str, str, int, float]]:
    """Deterministic rows: names out of insertion order, ages 18..80."""
    return [
        (f"name{(i * 7919) % 100_003:06d}", f"user{i}@example.com", 18 + (i * 37) % 63, i * 0.5)
        for i in range(start, start + count)
    ]


# --- ferrule.orm ---------------------------------------------------------------------------------


class Person(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=50, index=True)
    email: str = orm.Field(max_length=100)
    age: int
    score: float

    class Meta:
        table = "bench_orm_ferrule"


class PersonKeyed(orm.Model):
    """The same table shape, for the bulk insert with keys given (COPY on PostgreSQL)."""

    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=50, index=True)
    email: str = orm.Field(max_length=100)
    age: int
    score: float

    class Meta:
        table = "bench_orm_ferrule_ids"


class FerruleORM(Contender):
    name = "ferrule"
    table = Person._meta.table
    has_bulk_ids = True

    async def connect(self) -> None:
        options = {"min_size": 1, "max_size": 1} if self.dialect == "postgres" else {}
        self.db = await ferrule.connect(self.setup.url_for(self), **options)
        orm.set_default(self.db)

    async def disconnect(self) -> None:
        await self.db.close()

    async def open(self) -> None:
        await self.connect()
        for model in (Person, PersonKeyed):
            made = [
                text
                for statement in create_table_statements(model, dialect=self.setup.dialect)
                for text, _ in statement.statements(self.setup.dialect)
            ]
            expected = ddl_statements(self.setup.dialect, model._meta.table)
            if [s.replace('"', "").replace("`", "") for s in made] != [
                s.replace('"', "") for s in expected
            ]:
                raise AssertionError(f"ferrule's DDL differs from the shared DDL:\n{made}")
        await orm.drop_tables(Person, PersonKeyed, if_exists=True)
        await orm.create_tables(Person, PersonKeyed)

    async def close(self) -> None:
        orm.set_default(self.db)
        await orm.drop_tables(Person, PersonKeyed, if_exists=True)
        await self.db.close()

    async def reset(self) -> None:
        await self.disconnect()
        await self.setup.reset(self, self.table)
        await self.setup.reset(self, PersonKeyed._meta.table)
        await self.connect()

    async def insert_each(self, rows: list[Any]) -> None:
        create = Person.create
        async with orm.transaction():
            for name, email, age, score in rows:
                person = await create(name=name, email=email, age=age, score=score)
        assert person.id is not None

    async def bulk(self, rows: list[Any]) -> bool:
        objs = [Person(name=n, email=e, age=a, score=s) for n, e, a, s in rows]
        await Person.bulk_create(objs)
        return objs[-1].id is not None

    async def bulk_ids(self, rows: list[Any]) -> None:
        objs = [PersonKeyed(id=i, name=n, email=e, age=a, score=s) for i, n, e, a, s in rows]
        await PersonKeyed.bulk_create(objs)

    async def fetch(self) -> list[Any]:
        return await Person.all()

    def key(self, obj: Any) -> int:
        return int(obj.id)

    async def get_each(self, ids: list[int]) -> None:
        get = Person.get
        for key in ids:
            await get(id=key)

    async def filter_each(self, ages: list[int]) -> None:
        for age in ages:
            found = await Person.filter(age__gte=age).order_by("name").limit(10)
        assert len(found) == 10

    async def update_each(self, objs: list[Any]) -> None:
        async with orm.transaction():
            for obj in objs:
                obj.score = obj.score + 1.0
                await obj.save()

    async def count_each(self, times: int) -> int:
        for _ in range(times):
            count = await Person.all().count()
        return int(count)


# --- raw drivers ---------------------------------------------------------------------------------


class _Statements:
    """The raw SQL, the statements ferrule.orm sends (placeholders of the dialect)."""

    def __init__(self, dialect: str, table: str) -> None:
        cols = "id, name, email, age, score"

        def marks(sql: str) -> str:
            if dialect == "sqlite":
                return sql
            parts = sql.split("?")
            return "".join(f"{p}${i}" for i, p in enumerate(parts[:-1], 1)) + parts[-1]

        self.insert = marks(
            f"INSERT INTO {table} (name, email, age, score) VALUES (?, ?, ?, ?) RETURNING id"
        )
        #: the same insert, the key read by the driver (``cursor.lastrowid``, SQLite)
        self.insert_bare = f"INSERT INTO {table} (name, email, age, score) VALUES (?, ?, ?, ?)"
        self.insert_ids = marks(f"INSERT INTO {table}_ids ({cols}) VALUES (?, ?, ?, ?, ?)")
        self.all = f"SELECT {cols} FROM {table}"
        self.get = marks(f"SELECT {cols} FROM {table} WHERE id = ?")
        self.filter = marks(f"SELECT {cols} FROM {table} WHERE age >= ? ORDER BY name LIMIT 10")
        self.update = marks(
            f"UPDATE {table} SET name = ?, email = ?, age = ?, score = ? WHERE id = ?"
        )
        self.count = f"SELECT COUNT(*) FROM {table}"
        # keys back in one statement per batch: multi-row VALUES on SQLite, unnest on PostgreSQL
        self.unnest = (
            f"INSERT INTO {table} (name, email, age, score) SELECT * FROM unnest("
            "$1::varchar[], $2::varchar[], $3::int[], $4::float8[]) RETURNING id"
        )
        self.values_head = f"INSERT INTO {table} (name, email, age, score) VALUES "


def _flat_values(head: str, rows: list[Any]) -> tuple[str, list[Any]]:
    sql = head + ", ".join(["(?, ?, ?, ?)"] * len(rows)) + " RETURNING id"
    return sql, [value for row in rows for value in row]


class _RawBase(Contender):
    kind = "raw"
    has_bulk_ids = True

    async def open(self) -> None:
        await self.setup.create(self, self.table)
        await self.setup.create(self, self.table + "_ids")
        self.sql = _Statements(self.dialect, self.table)
        await self.connect()

    async def close(self) -> None:
        await self.disconnect()
        await self.setup.drop(self, self.table)
        await self.setup.drop(self, self.table + "_ids")

    async def reset(self) -> None:
        await self.disconnect()
        await self.setup.reset(self, self.table)
        await self.setup.reset(self, self.table + "_ids")
        await self.connect()

    def key(self, obj: Any) -> int:
        return int(obj[0])


class FerruleDB(_RawBase):
    """ferrule's database layer with raw SQL: what ferrule.orm runs on."""

    name = "ferrule.db"
    table = "bench_orm_ferrule_db"

    async def connect(self) -> None:
        options = {"min_size": 1, "max_size": 1} if self.dialect == "postgres" else {}
        self.db = await ferrule.connect(self.setup.url_for(self), **options)

    async def disconnect(self) -> None:
        await self.db.close()

    async def insert_each(self, rows: list[Any]) -> None:
        fetch_val, sql = self.db.fetch_val, self.sql.insert
        async with self.db.transaction():
            for row in rows:
                key = await fetch_val(sql, row)
        assert key is not None

    async def bulk(self, rows: list[Any]) -> bool:
        async with self.db.transaction():
            if self.dialect == "postgres":
                keys = await self.db.fetch_all(
                    self.sql.unnest, list(map(list, zip(*rows, strict=True)))
                )
                return len(keys) == len(rows)
            for start in range(0, len(rows), BATCH):
                sql, params = _flat_values(self.sql.values_head, rows[start : start + BATCH])
                await self.db.fetch_all(sql, params)
        return True

    async def bulk_ids(self, rows: list[Any]) -> None:
        if self.dialect == "postgres":
            await self.db.copy_records(self.table + "_ids", ["id", *COLUMNS], rows)
        else:
            async with self.db.transaction():
                await self.db.execute_many(self.sql.insert_ids, rows)

    async def fetch(self) -> list[Any]:
        return list(await self.db.fetch_all(self.sql.all))

    async def get_each(self, ids: list[int]) -> None:
        fetch_one, sql = self.db.fetch_one, self.sql.get
        for key in ids:
            await fetch_one(sql, (key,))

    async def filter_each(self, ages: list[int]) -> None:
        fetch_all, sql = self.db.fetch_all, self.sql.filter
        for age in ages:
            await fetch_all(sql, (age,))

    async def update_each(self, objs: list[Any]) -> None:
        execute, sql = self.db.execute, self.sql.update
        async with self.db.transaction():
            for row in objs:
                await execute(sql, (row[1], row[2], row[3], row[4] + 1.0, row[0]))

    async def count_each(self, times: int) -> int:
        for _ in range(times):
            count = await self.db.fetch_val(self.sql.count)
        return int(count)


class SQLite3(_RawBase):
    """The standard library driver, synchronous: the floor on SQLite."""

    name = "sqlite3 (sync)"
    table = "bench_orm_sqlite3"

    async def connect(self) -> None:
        self.raw = sqlite3.connect(self.setup.path(self), isolation_level=None)
        self.raw.execute("PRAGMA synchronous = normal")
        self.raw.execute(f"PRAGMA cache_size = {PAGE_CACHE}")

    async def disconnect(self) -> None:
        self.raw.close()

    async def insert_each(self, rows: list[Any]) -> None:
        # the driver's quickest way to the new key: lastrowid (RETURNING makes SQLite collect
        # the row in a temporary table first; ferrule.orm reads the rowid too, where it is
        # the key, and ferrule.db runs the RETURNING statement)
        execute, sql = self.raw.execute, self.sql.insert_bare
        execute("BEGIN")
        for row in rows:
            key = execute(sql, row).lastrowid
        execute("COMMIT")
        assert key is not None

    async def bulk(self, rows: list[Any]) -> bool:
        self.raw.execute("BEGIN")
        for start in range(0, len(rows), BATCH):
            sql, params = _flat_values(self.sql.values_head, rows[start : start + BATCH])
            self.raw.execute(sql, params).fetchall()
        self.raw.execute("COMMIT")
        return True

    async def bulk_ids(self, rows: list[Any]) -> None:
        self.raw.execute("BEGIN")
        self.raw.executemany(self.sql.insert_ids, rows)
        self.raw.execute("COMMIT")

    async def fetch(self) -> list[Any]:
        return self.raw.execute(self.sql.all).fetchall()

    async def get_each(self, ids: list[int]) -> None:
        execute, sql = self.raw.execute, self.sql.get
        for key in ids:
            execute(sql, (key,)).fetchone()

    async def filter_each(self, ages: list[int]) -> None:
        execute, sql = self.raw.execute, self.sql.filter
        for age in ages:
            execute(sql, (age,)).fetchall()

    async def update_each(self, objs: list[Any]) -> None:
        execute, sql = self.raw.execute, self.sql.update
        execute("BEGIN")
        for row in objs:
            execute(sql, (row[1], row[2], row[3], row[4] + 1.0, row[0]))
        execute("COMMIT")

    async def count_each(self, times: int) -> int:
        for _ in range(times):
            count = self.raw.execute(self.sql.count).fetchone()[0]
        return int(count)


class Asyncpg(_RawBase):
    """asyncpg on one connection, the same statements as ferrule.orm."""

    name = "asyncpg"
    table = "bench_orm_asyncpg"

    async def connect(self) -> None:
        import asyncpg

        self.conn = await asyncpg.connect(self.setup.pg_url)

    async def disconnect(self) -> None:
        await self.conn.close()

    async def insert_each(self, rows: list[Any]) -> None:
        fetchval, sql = self.conn.fetchval, self.sql.insert
        async with self.conn.transaction():
            for row in rows:
                key = await fetchval(sql, *row)
        assert key is not None

    async def bulk(self, rows: list[Any]) -> bool:
        async with self.conn.transaction():
            keys = await self.conn.fetch(self.sql.unnest, *map(list, zip(*rows, strict=True)))
        return len(keys) == len(rows)

    async def bulk_ids(self, rows: list[Any]) -> None:
        await self.conn.copy_records_to_table(
            self.table + "_ids", records=rows, columns=["id", *COLUMNS]
        )

    async def fetch(self) -> list[Any]:
        return list(await self.conn.fetch(self.sql.all))

    async def get_each(self, ids: list[int]) -> None:
        fetchrow, sql = self.conn.fetchrow, self.sql.get
        for key in ids:
            await fetchrow(sql, key)

    async def filter_each(self, ages: list[int]) -> None:
        fetch, sql = self.conn.fetch, self.sql.filter
        for age in ages:
            await fetch(sql, age)

    async def update_each(self, objs: list[Any]) -> None:
        execute, sql = self.conn.execute, self.sql.update
        async with self.conn.transaction():
            for row in objs:
                await execute(sql, row[1], row[2], row[3], row[4] + 1.0, row[0])

    async def count_each(self, times: int) -> int:
        for _ in range(times):
            count = await self.conn.fetchval(self.sql.count)
        return int(count)


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    best: dict[str, float] = field(default_factory=dict)  # case -> seconds
    keys_back: bool | None = None
    memory: tuple[int, int] | None = None  # (retained bytes, peak bytes) of the fetch
    rss: tuple[int, int] | None = None  # the same from the resident set of a fresh process
    error: str | None = None


async def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    started = time.perf_counter()
    result = await work()
    return time.perf_counter() - started, result


async def one_round(c: Contender, sizes: Sizes, number: int, out: Outcome) -> None:
    await c.reset()
    rng = random.Random(number)
    seconds: dict[str, float] = {}
    seconds["insert"], _ = await timed(lambda: c.insert_each(person_rows(0, sizes.insert)))
    bulk_rows = person_rows(sizes.insert, sizes.bulk)
    seconds["bulk"], out.keys_back = await timed(functools.partial(c.bulk, bulk_rows))
    if c.has_bulk_ids:
        keyed = [(i + 1, *row) for i, row in enumerate(bulk_rows)]
        seconds["bulk_ids"], _ = await timed(lambda: c.bulk_ids(keyed))
    del bulk_rows
    await c.setup.settle(c, c.table)  # not timed
    seconds["fetch"], objs = await timed(c.fetch)
    assert len(objs) == sizes.total, (c.name, len(objs))
    keys = rng.sample([c.key(o) for o in objs], sizes.get)
    seconds["get"], _ = await timed(lambda: c.get_each(keys))
    ages = [rng.randrange(18, 81) for _ in range(sizes.filter)]
    seconds["filter"], _ = await timed(lambda: c.filter_each(ages))
    chosen = rng.sample(list(objs), sizes.update)
    seconds["update"], _ = await timed(functools.partial(c.update_each, chosen))
    del chosen, objs
    seconds["count"], total = await timed(lambda: c.count_each(sizes.count))
    assert total == sizes.total, (c.name, total)
    for case, value in seconds.items():
        out.best[case] = min(out.best.get(case, float("inf")), value)


async def measure_memory(c: Contender) -> tuple[int, int]:
    """(retained, peak) bytes traced while fetching every row as instances: retained is what
    the result holds (instances, their values, the list), peak the most held during the fetch."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        objs = await c.fetch()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del objs
    return current - base, peak - base


RSS_CHILD = "--rss-child"


def _resident() -> dict[str, int]:
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {key: int(fields[key].split()[0]) * 1024 for key in ("VmRSS", "VmHWM")}


async def rss_child(url: str) -> None:
    """In a fresh process: the resident memory that fetching every row adds and keeps
    (retained) and at most adds (peak), the peak reset first through /proc (Linux)."""
    db = await ferrule.connect(url)
    orm.set_default(db)
    await Person.all().limit(10)  # imports, statement and shape caches: not the fetch's
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = _resident()["VmRSS"]
    objs = await Person.all()
    after = _resident()
    print(
        json.dumps(
            {
                "rows": len(objs),
                "retained": after["VmRSS"] - before,
                "peak": after["VmHWM"] - before,
            }
        )
    )
    await db.close()


async def measure_rss(url: str, rows: int) -> tuple[int, int] | None:
    if not os.path.exists("/proc/self/clear_refs"):
        return None
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, RSS_CHILD, url, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate()
    found = json.loads(out)
    assert found["rows"] == rows, found
    return found["retained"], found["peak"]


def per_op_count(case: str, sizes: Sizes) -> int:
    return {
        "insert": sizes.insert,
        "bulk": sizes.bulk,
        "bulk_ids": sizes.bulk,
        "fetch": sizes.total,
        "get": sizes.get,
        "filter": sizes.filter,
        "update": sizes.update,
        "count": sizes.count,
    }[case]


async def run_database(dialect: str, sizes: Sizes, only: set[str] | None) -> dict[str, Outcome]:
    setup = Setup(dialect, tempfile.mkdtemp(prefix="ferrule-orm-bench-"), PG_URL)
    try:
        await setup.open()
        return await run_contenders(setup, sizes, only)
    finally:
        await setup.close()
        shutil.rmtree(setup.directory, ignore_errors=True)


async def run_contenders(setup: Setup, sizes: Sizes, only: set[str] | None) -> dict[str, Outcome]:
    dialect = setup.dialect
    raw: Contender = SQLite3(setup) if dialect == "sqlite" else Asyncpg(setup)
    contenders = [FerruleORM(setup), FerruleDB(setup), raw, *peers.contenders(setup)]
    if only:
        contenders = [c for c in contenders if c.name in only]
    outcomes = {c.name: Outcome() for c in contenders}
    opened: list[Contender] = []
    try:
        for c in contenders:
            try:
                await c.open()
                opened.append(c)
            except Exception as exc:  # a peer that cannot run here is reported, not fatal
                outcomes[c.name].error = f"{type(exc).__name__}: {exc}"
                print(f"  {dialect} {c.name}: cannot open: {exc}", file=sys.stderr)
        for number in range(sizes.rounds):
            for c in opened:
                if outcomes[c.name].error:
                    continue
                started = time.perf_counter()
                try:
                    await one_round(c, sizes, number, outcomes[c.name])
                except Exception as exc:
                    outcomes[c.name].error = f"{type(exc).__name__}: {exc}"
                    print(f"  {dialect} {c.name}: failed: {exc!r}", file=sys.stderr)
                    continue
                print(
                    f"  {dialect} round {number + 1}/{sizes.rounds} {c.name}: "
                    f"{time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
        for c in opened:  # the table still holds the last round's rows
            if c.kind == "orm" and not outcomes[c.name].error:
                outcomes[c.name].memory = await measure_memory(c)
        if "ferrule" in outcomes and not outcomes["ferrule"].error:
            url = setup.url_for(contenders[0])
            outcomes["ferrule"].rss = await measure_rss(url, sizes.total)
    finally:
        for c in opened:
            try:
                await c.close()
            except Exception as exc:
                print(f"  {dialect} {c.name}: close failed: {exc!r}", file=sys.stderr)
    return outcomes


# --- report --------------------------------------------------------------------------------------

KINDS = {"ferrule": "orm", "ferrule.db": "raw", "sqlite3 (sync)": "raw", "asyncpg": "raw"}
KINDS.update(dict.fromkeys(peers.PEERS, "orm"))


def rates(outcomes: dict[str, Outcome], sizes: Sizes) -> dict[str, dict[str, float]]:
    """case -> contender -> ops/s"""
    out: dict[str, dict[str, float]] = {}
    for name, outcome in outcomes.items():
        for case, seconds in outcome.best.items():
            out.setdefault(case, {})[name] = per_op_count(case, sizes) / seconds
    return out


def report_database(dialect: str, outcomes: dict[str, Outcome], sizes: Sizes) -> list[str]:
    by_case = rates(outcomes, sizes)
    lines = [
        f"### {dialect}",
        "",
        "| workload | contender | ops/s | unit | ferrule ÷ contender |",
        "|---|---|---:|---|---:|",
    ]
    for case, label, unit in CASES:
        scores = by_case.get(case, {})
        mine = scores.get("ferrule")
        for name, score in scores.items():
            shown = name
            if case == "bulk" and outcomes[name].keys_back is not None:
                shown += " (keys back)" if outcomes[name].keys_back else " (no keys)"
            ratio = f"{mine / score:.2f}x" if mine else ""
            lines.append(f"| {label} | {shown} | {score:,.0f} | {unit} | {ratio} |")
    lines += ["", *summary(dialect, by_case, CASES, KINDS), "", *memory_lines(outcomes, sizes)]
    failed = [f"- {name}: {o.error}" for name, o in outcomes.items() if o.error]
    if failed:
        lines += ["", "Did not run to the end:", *failed]
    return lines


def memory_lines(outcomes: dict[str, Outcome], sizes: Sizes) -> list[str]:
    lines = [
        f"Memory of the {sizes.total:,}-row fetch (tracemalloc: Python allocations only)",
        "",
        "| ORM | retained by the result | per instance | peak during the fetch | peak ÷ retained |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, outcome in outcomes.items():
        if outcome.memory is None:
            continue
        retained, peak = outcome.memory
        lines.append(
            f"| {name} | {retained / 2**20:.1f} MiB | {retained / sizes.total:.0f} B | "
            f"{peak / 2**20:.1f} MiB | {peak / retained:.2f}x |"
        )
    rss = outcomes["ferrule"].rss if "ferrule" in outcomes else None
    if rss:
        retained, peak = rss
        met = "met" if peak <= 1.5 * retained else "NOT met"
        lines += [
            "",
            f"ferrule in a fresh process, resident set: the fetch keeps {retained / 2**20:.1f} MiB "
            f"and peaks at {peak / 2**20:.1f} MiB, {peak / retained:.2f}x (target ≤ 1.5x: {met})",
        ]
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts, one round")
    parser.add_argument("--rounds", type=int, help="rounds (best kept); default 3, 1 with --quick")
    parser.add_argument("--only", help="comma-separated contender names")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.rounds:
        sizes = Sizes(**{**sizes.__dict__, "rounds": args.rounds})
    only = set(args.only.split(",")) if args.only else None
    dialects = args.db or ["sqlite", "postgres"]
    if len(dialects) > 1:  # one process per database: Tortoise cannot switch dialects in one
        passed = [*(["--quick"] if args.quick else []), *(["--only", args.only] if only else [])]
        passed += ["--rounds", str(args.rounds)] if args.rounds else []
        for dialect in dialects:
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--db", dialect, *passed
            )
            if await child.wait():
                raise SystemExit(f"the {dialect} run failed")
        return
    started = time.time()
    print(
        f"# ORM benchmark, {dialects[0]} ({'quick' if args.quick else 'full'}; "
        f"ferrule {ferrule.__version__}, {peers.versions()})"
    )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.quick:
        print("(--quick: every count is a tenth of the one the labels name, one round)")
    outcomes = await run_database(dialects[0], sizes, only)
    print()
    print("\n".join(report_database(dialects[0], outcomes, sizes)))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n(run took {time.time() - started:.0f} s; load average at end: {load})")


if __name__ == "__main__":
    if sys.argv[1:2] == [RSS_CHILD]:
        asyncio.run(rss_child(sys.argv[2]))
    else:
        asyncio.run(main())
