"""Query building + compiling, ferrule vs peers, one run, one table.

The query: SELECT with 2 joins, 3 WHERE conditions, ORDER BY, LIMIT, for PostgreSQL (asyncpg
paramstyle). Every contender builds the statement from scratch in each iteration and produces the
SQL text plus its parameters:

- ferrule fresh: the compile cache is cleared every iteration (the cost of a new query shape);
- ferrule cached: the same shape as before, new values (the cache hit every real app sees);
- SQLAlchemy Core uncached: ``select(...)`` + ``stmt.compile(dialect=asyncpg)``;
- SQLAlchemy Core cached: ``_compile_w_cache`` with a compiled cache, as ``Connection.execute``;
- SQLAlchemy lambda_stmt: the lambda statement cache, as ``Connection.execute`` uses it;
- PyPika and sqlglot: builder + ``str()`` / ``.sql("postgres")`` (both inline the values);
- f-string: the hand-written SQL string and param list (the floor).

Run: ``.venv/bin/python benchmarks/sql.py`` after ``make build`` and ``pip install --group bench``.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from typing import Any

from ferrule import _ferrule, sql


def _ferrule_cases() -> dict[str, Callable[[], Any]]:
    users = sql.table("users", "id", "name", "age")
    orders = sql.table("orders", "id", "user_id", "total")
    items = sql.table("items", "id", "order_id", "sku")

    def build(age: int, total: int, sku: str) -> tuple[str, list[Any]]:
        return (
            sql.select(users.c.id, users.c.name, orders.c.total, items.c.sku)
            .from_(users)
            .join(orders, on=users.c.id == orders.c.user_id)
            .join(items, on=orders.c.id == items.c.order_id)
            .where(users.c.age >= age, orders.c.total > total, items.c.sku == sku)
            .order_by(orders.c.total.desc())
            .limit(10)
            .compile("postgres")
        )

    clear = _ferrule.sql_cache_clear

    def fresh() -> Any:
        clear()
        return build(18, 100, "abc")

    def cached() -> Any:
        return build(18, 100, "abc")

    return {"ferrule fresh (uncached)": fresh, "ferrule cached (shape hit)": cached}


def _sqlalchemy_cases() -> dict[str, Callable[[], Any]]:
    from sqlalchemy import Column, Integer, MetaData, String, Table, lambda_stmt, select
    from sqlalchemy.dialects.postgresql import asyncpg

    md = MetaData()
    users = Table(
        "users", md, Column("id", Integer), Column("name", String), Column("age", Integer)
    )
    orders = Table(
        "orders", md, Column("id", Integer), Column("user_id", Integer), Column("total", Integer)
    )
    items = Table(
        "items", md, Column("id", Integer), Column("order_id", Integer), Column("sku", String)
    )
    dialect = asyncpg.dialect()  # type: ignore[no-untyped-call]

    def statement(age: int, total: int, sku: str) -> Any:
        return (
            select(users.c.id, users.c.name, orders.c.total, items.c.sku)
            .select_from(
                users.join(orders, users.c.id == orders.c.user_id).join(
                    items, orders.c.id == items.c.order_id
                )
            )
            .where(users.c.age >= age, orders.c.total > total, items.c.sku == sku)
            .order_by(orders.c.total.desc())
            .limit(10)
        )

    def positional(compiled: Any, extracted: Any, collected: Any) -> tuple[str, list[Any]]:
        # What DefaultExecutionContext._init_compiled does before handing params to the driver.
        params = compiled.construct_params(
            extracted_parameters=extracted, escape_names=False, _collected_params=collected
        )
        return compiled.string, [params[k] for k in compiled.positiontup]

    def uncached() -> Any:
        compiled = statement(18, 100, "abc").compile(dialect=dialect)
        params = compiled.construct_params()
        return compiled.string, [params[k] for k in compiled.positiontup]

    cache: dict[Any, Any] = {}

    def _via_cache(stmt: Any) -> Any:
        compiled, extracted, collected, _hit = stmt._compile_w_cache(
            dialect, compiled_cache=cache, column_keys=[], for_executemany=False
        )
        return positional(compiled, extracted, collected)

    def core_cached() -> Any:
        return _via_cache(statement(18, 100, "abc"))

    def with_lambda(age: int, total: int, sku: str) -> Any:
        stmt = lambda_stmt(
            lambda: select(users.c.id, users.c.name, orders.c.total, items.c.sku).select_from(
                users.join(orders, users.c.id == orders.c.user_id).join(
                    items, orders.c.id == items.c.order_id
                )
            )
        )
        stmt += lambda s: s.where(users.c.age >= age, orders.c.total > total, items.c.sku == sku)
        stmt += lambda s: s.order_by(orders.c.total.desc()).limit(10)
        return _via_cache(stmt)

    return {
        "SQLAlchemy Core uncached": uncached,
        "SQLAlchemy Core cached": core_cached,
        "SQLAlchemy lambda_stmt": lambda: with_lambda(18, 100, "abc"),
    }


def _pypika_case() -> dict[str, Callable[[], Any]]:
    from pypika import Order, PostgreSQLQuery, Table

    users, orders, items = Table("users"), Table("orders"), Table("items")

    def build() -> Any:
        q = (
            PostgreSQLQuery.from_(users)
            .join(orders)
            .on(users.id == orders.user_id)
            .join(items)
            .on(orders.id == items.order_id)
            .select(users.id, users.name, orders.total, items.sku)
            .where((users.age >= 18) & (orders.total > 100) & (items.sku == "abc"))
            .orderby(orders.total, order=Order.desc)
            .limit(10)
        )
        return str(q), []

    return {"PyPika (values inlined)": build}


def _sqlglot_case() -> dict[str, Callable[[], Any]]:
    import sqlglot
    from sqlglot import exp

    def build() -> Any:
        q = (
            sqlglot.select("users.id", "users.name", "orders.total", "items.sku")
            .from_("users")
            .join("orders", on="users.id = orders.user_id")
            .join("items", on="orders.id = items.order_id")
            .where(exp.column("age", "users") >= 18)
            .where(exp.column("total", "orders") > 100)
            .where(exp.column("sku", "items").eq(exp.Literal.string("abc")))
            .order_by("orders.total DESC")
            .limit(10)
        )
        return q.sql(dialect="postgres"), []

    return {"sqlglot (values inlined)": build}


def _fstring_case() -> dict[str, Callable[[], Any]]:
    def build(age: int = 18, total: int = 100, sku: str = "abc") -> Any:
        return (
            'SELECT "users"."id", "users"."name", "orders"."total", "items"."sku" FROM "users" '
            'JOIN "orders" ON "users"."id" = "orders"."user_id" '
            'JOIN "items" ON "orders"."id" = "items"."order_id" '
            'WHERE "users"."age" >= $1 AND "orders"."total" > $2 AND "items"."sku" = $3 '
            'ORDER BY "orders"."total" DESC LIMIT $4',
            [age, total, sku, 10],
        )

    return {"f-string (floor)": build}


def measure(fn: Callable[[], Any], seconds: float = 0.4, repeats: int = 15) -> float:
    """Best-of-``repeats`` operations per second of process CPU time (the build machines are
    shared: CPU time is what the code costs, wall time also counts the neighbours)."""
    fn()
    n = 1
    while True:
        start = time.process_time()
        for _ in range(n):
            fn()
        elapsed = time.process_time() - start
        if elapsed > seconds / 4:
            break
        n *= 2
    n = max(1, int(n * (seconds / 4) / elapsed))
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - start) / n)
    return 1.0 / best


def main() -> None:
    cases: dict[str, Callable[[], Any]] = {}
    cases.update(_ferrule_cases())
    for loader in (_sqlalchemy_cases, _pypika_case, _sqlglot_case, _fstring_case):
        try:
            cases.update(loader())
        except ImportError as exc:  # peers are optional: pip install --group bench
            print(f"skipped {loader.__name__}: {exc}", file=sys.stderr)
    rates = {name: measure(fn) for name, fn in cases.items()}

    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print("Query: SELECT, 2 joins, 3 WHERE conditions, ORDER BY, LIMIT -> postgres\n")
    fresh = rates["ferrule fresh (uncached)"]
    cached = rates["ferrule cached (shape hit)"]
    head = "ferrule cached speedup"
    print(f"| {'contender':<28} | {'ops/s':>10} | {'us/op':>8} | {head} |")
    print(f"|{'-' * 30}|{'-' * 12}|{'-' * 10}|{'-' * (len(head) + 2)}|")
    for name, rate in rates.items():
        speedup = f"{cached / rate:.2f}x"
        print(f"| {name:<28} | {rate:>10,.0f} | {1e6 / rate:>8.2f} | {speedup:>{len(head)}} |")
    print()
    sa = rates.get("SQLAlchemy Core uncached")
    lam = rates.get("SQLAlchemy lambda_stmt")
    if sa:
        print(f"fresh build+compile vs SQLAlchemy Core uncached: {fresh / sa:.1f}x (target >= 20x)")
    if lam:
        print(
            f"cache hit vs SQLAlchemy lambda_stmt:             {cached / lam:.1f}x (target >= 5x)"
        )
    print(f"cache hit builds/s:                               {cached:,.0f} (target >= 250,000)")


if __name__ == "__main__":
    main()
