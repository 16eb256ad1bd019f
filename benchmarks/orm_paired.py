"""Ratios to the raw driver where the round trip dominates, measured in alternation.

    python benchmarks/orm_paired.py                  # PostgreSQL (the default)
    python benchmarks/orm_paired.py --db sqlite --chunks 40
    python benchmarks/orm_paired.py --only filter,get --chunks 60

``benchmarks/orm.py`` runs each contender's workloads one after another, so on PostgreSQL
(one round trip per row, on a shared 2-core machine whose server speed drifts by ±15%
within a minute) a ratio between two contenders timed a minute apart measures the drift as
much as the libraries: ferrule.orm's single inserts read 0.84x raw asyncpg there, and 1.01x
and 1.20x when the two alternated. Here ferrule.orm, ferrule.db and the raw driver take
turns on chunks of the same workload (insert in a transaction, update via save() in a
transaction, get by key, the filtered query), each on its own table of the same shape
(``benchmarks/orm.py``'s contenders and tables), and each ratio is the sum of one's times
over the sum of the other's; the spread is the lowest and highest ratio of one chunk.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from _orm_peers import Contender, Setup
from _orm_peers import contenders as peer_contenders

import orm as bench

WORKLOADS = ("insert", "update", "get", "filter")


def _work(
    c: Contender, case: str, number: int, size: int, objs: list[Any]
) -> Callable[[], Awaitable[Any]]:
    rng = random.Random(number)
    if case == "insert":
        return lambda: c.insert_each(bench.person_rows(10**6 + number * size, size))
    if case == "update":
        return lambda: c.update_each(rng.sample(objs, size))
    if case == "get":
        keys = rng.sample([c.key(o) for o in objs], size)
        return lambda: c.get_each(keys)
    ages = [rng.randrange(18, 81) for _ in range(size)]
    return lambda: c.filter_each(ages)


async def paired(
    dialect: str, chunks: int, size: int, peer_names: list[str], workloads: tuple[str, ...]
) -> list[str]:
    setup = Setup(dialect, tempfile.mkdtemp(prefix="ferrule-paired-"), bench.PG_URL)
    await setup.open()
    raw: Contender = bench.SQLite3(setup) if dialect == "sqlite" else bench.Asyncpg(setup)
    peers = [c for c in peer_contenders(setup) if c.name in peer_names]
    contenders = [bench.FerruleORM(setup), bench.FerruleDB(setup), raw, *peers]
    named = "".join(f" {c.name} ops/s |" for c in peers)
    lines = [
        f"### {dialect}: {chunks} chunks of {size} operations each, taken in turn",
        "",
        "| workload | ferrule ops/s | ferrule.db ops/s | raw ops/s | ferrule ÷ raw | "
        f"chunks' spread | ferrule.db ÷ raw |{named}"
        + (" ferrule ÷ fastest peer |" if peers else ""),
        "|---|---:|---:|---:|---:|---|---:|" + "---:|" * (len(peers) + bool(peers)),
    ]
    try:
        objects: dict[str, list[Any]] = {}
        for c in contenders:
            await c.open()
            await c.reset()
            await c.bulk(bench.person_rows(0, 20_000))
            await setup.settle(c, c.table)
            objects[c.name] = await c.fetch()
        for case in workloads:
            spent = {c.name: 0.0 for c in contenders}
            ratios = []
            for number in range(chunks):
                took = {}
                order = contenders if number % 2 == 0 else contenders[::-1]
                for c in order:
                    work = _work(c, case, number, size, objects[c.name])
                    started = time.perf_counter()
                    await work()
                    took[c.name] = time.perf_counter() - started
                    spent[c.name] += took[c.name]
                ratios.append(took[raw.name] / took["ferrule"])
            count = chunks * size
            mine, layer, floor, *others = (count / spent[c.name] for c in contenders)
            lines.append(
                f"| {case} | {mine:,.0f} | {layer:,.0f} | {floor:,.0f} | {mine / floor:.2f}x | "
                f"{min(ratios):.2f}x-{max(ratios):.2f}x | {layer / floor:.2f}x |"
                + "".join(f" {rate:,.0f} |" for rate in others)
                + (f" {mine / max(others):.2f}x |" if others else "")
            )
            print(lines[-1], file=sys.stderr)
    finally:
        for c in contenders:
            await c.close()
        await setup.close()
        shutil.rmtree(setup.directory, ignore_errors=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--chunks", type=int, default=20)
    parser.add_argument("--size", type=int, default=250)
    parser.add_argument(
        "--peers", default="", help="comma-separated peer ORMs to take turns too (orm.py's names)"
    )
    parser.add_argument("--only", default=",".join(WORKLOADS), help="workloads, comma-separated")
    args = parser.parse_args()
    names = [n.strip() for n in args.peers.split(",") if n.strip()]
    workloads = tuple(w.strip() for w in args.only.split(",") if w.strip())
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads {sorted(unknown)}; choose from {', '.join(WORKLOADS)}")
    print("\n".join(asyncio.run(paired(args.db, args.chunks, args.size, names, workloads))))


if __name__ == "__main__":
    main()
