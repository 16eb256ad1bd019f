"""Helpers for the SQL tests: golden assertions through both compilers, and a small synchronous
runner per real database (fixtures in ``conftest.py``)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ferrule import _ferrule
from ferrule.backends.sqlite_functions import prepare_connection
from ferrule.errors import UnsupportedFeatureError
from ferrule.sql import Statement, compiler
from ferrule.sql.compiler import compile_native, compile_pure

from .cases import FIXTURES

COMPILERS = {"native": compile_native, "pure": compile_pure}
# The database on the shared servers (as in tests/backends/conftest.py): concurrent runs of
# ``make test`` each have their own, so the fixed ``sqlt_*`` tables do not collide.
DBNAME = os.environ.get("FERRULE_TEST_DBNAME", "test")


@dataclass(frozen=True)
class Unsupported:
    """Golden expectation: the dialect rejects the construct ``feature``."""

    feature: str


Golden = tuple[str, list[Any]] | Unsupported


def assert_sql(query: Statement, dialect: str, sql: str, params: list[Any]) -> None:
    """Both compilers produce exactly ``sql`` and ``params`` (twice: fresh, then cached). The
    caches are emptied first: otherwise "fresh" is fresh only if no earlier test compiled a
    query of the same shape, and a wrong compile hiding behind a right cache entry passes."""
    for name, compile_ in COMPILERS.items():
        _ferrule.sql_cache_clear()
        compiler._CACHE.clear()
        for attempt in ("fresh", "cached"):
            got = compile_(query._node(), dialect)
            assert got == (sql, params), f"{name} compiler, {attempt}"


def assert_unsupported(query: Statement, dialect: str, feature: str) -> None:
    for name, compile_ in COMPILERS.items():
        with pytest.raises(UnsupportedFeatureError) as info:
            compile_(query._node(), dialect)
        assert (info.value.dialect, info.value.feature) == (dialect, feature), name


def assert_golden(query: Statement, dialect: str, expected: Golden) -> None:
    if isinstance(expected, Unsupported):
        assert_unsupported(query, dialect, expected.feature)
    else:
        assert_sql(query, dialect, *expected)


def normalize(rows: Any) -> list[tuple[Any, ...]]:
    """Driver rows as tuples of plain values (MySQL sums are Decimals, PG bools are bools)."""
    out = []
    for row in rows:
        values = []
        for v in tuple(row):
            if (isinstance(v, Decimal) and v == v.to_integral_value()) or isinstance(v, bool):
                v = int(v)
            values.append(v)
        out.append(tuple(values))
    return out


_TYPES = {
    "sqlite": {"int pk": "INTEGER PRIMARY KEY", "int": "INTEGER", "int null": "INTEGER",
               "text": "TEXT"},
    "postgres": {"int pk": "INTEGER PRIMARY KEY", "int": "INTEGER", "int null": "INTEGER",
                 "text": "TEXT"},
    "mysql": {"int pk": "INTEGER PRIMARY KEY", "int": "INTEGER", "int null": "INTEGER",
              "text": "VARCHAR(100)"},
}  # fmt: skip


def fixture_ddl(dialect: str) -> list[str]:
    """DROP + CREATE + INSERT statements (plain SQL, fixed data) for the fixture tables."""
    quote = "`" if dialect == "mysql" else '"'
    statements = []
    for table, (columns, rows) in FIXTURES.items():
        cols = ", ".join(f"{quote}{c}{quote} {_TYPES[dialect][t]}" for c, t in columns)
        statements.append(f"DROP TABLE IF EXISTS {table}")
        statements.append(f"CREATE TABLE {table} ({cols})")
        for row in rows:
            values = ", ".join("NULL" if v is None else repr(v) for v in row)
            statements.append(f"INSERT INTO {table} VALUES ({values})")
    return statements


class Runner:
    """Run (sql, params) on one real database; ``transaction()`` rolls everything back."""

    dialect: str

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, sql: str, params: list[Any]) -> None:
        raise NotImplementedError

    def names(self, sql: str, params: list[Any]) -> list[str]:
        """The result column names the server reports."""
        raise NotImplementedError

    def begin(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def run(self, query: Statement) -> list[tuple[Any, ...]]:
        return self.fetch(*query.compile(self.dialect))


class SqliteRunner(Runner):
    """A plain ``sqlite3`` connection set up as ferrule's SQLite backend sets up its own
    (case-sensitive LIKE, the ``regexp`` function)."""

    dialect = "sqlite"

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        prepare_connection(self.conn)

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql, params)
        try:
            return normalize(cur.fetchall())
        finally:
            cur.close()

    def execute(self, sql: str, params: list[Any]) -> None:
        self.conn.execute(sql, params).close()

    def names(self, sql: str, params: list[Any]) -> list[str]:
        cur = self.conn.execute(sql, params)
        try:
            return [d[0] for d in cur.description]
        finally:
            cur.close()

    def begin(self) -> None:
        self.conn.execute("BEGIN").close()

    def rollback(self) -> None:
        self.conn.execute("ROLLBACK").close()

    def close(self) -> None:
        self.conn.close()


class PostgresRunner(Runner):
    dialect = "postgres"

    def __init__(self) -> None:
        import asyncpg

        self.loop = asyncio.new_event_loop()
        self.conn = self.loop.run_until_complete(
            asyncpg.connect(host="127.0.0.1", port=5432, user="postgres", database=DBNAME)
        )

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return normalize(self.loop.run_until_complete(self.conn.fetch(sql, *params)))

    def execute(self, sql: str, params: list[Any]) -> None:
        self.loop.run_until_complete(self.conn.execute(sql, *params))

    def names(self, sql: str, params: list[Any]) -> list[str]:
        statement = self.loop.run_until_complete(self.conn.prepare(sql))
        return [a.name for a in statement.get_attributes()]

    def begin(self) -> None:
        self.execute("BEGIN", [])

    def rollback(self) -> None:
        self.execute("ROLLBACK", [])

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


class MysqlRunner(Runner):
    dialect = "mysql"

    def __init__(self) -> None:
        import pymysql

        self.conn = pymysql.connect(
            host="127.0.0.1", port=3306, user="root", password="", database=DBNAME,
            charset="utf8mb4", autocommit=True,
        )  # fmt: skip

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)  # always pass the list: %% is unescaped only then
            return normalize(cur.fetchall())

    def execute(self, sql: str, params: list[Any]) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)

    def names(self, sql: str, params: list[Any]) -> list[str]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()
            return [d[0] for d in cur.description]

    def begin(self) -> None:
        self.conn.begin()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


RUNNERS: dict[str, type[Runner]] = {
    "sqlite": SqliteRunner,
    "postgres": PostgresRunner,
    "mysql": MysqlRunner,
}


def check_case(runner: Runner, case: Any) -> None:
    """Run a case on a real database (in a rolled-back transaction) and compare the rows."""
    query = case.build()
    runner.begin()
    try:
        rows = runner.run(query)
        if case.check is not None:
            rows = runner.run(case.check)
    finally:
        runner.rollback()
    expected = case.rows
    if not case.ordered:
        rows, expected = sorted(rows, key=repr), sorted(expected, key=repr)
    assert rows == expected
