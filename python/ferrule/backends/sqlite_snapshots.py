"""``iterate`` on SQLite where the loop's body shares the loop's connection: a snapshot.

A ``SELECT`` kept open between batches on the connection the body writes on did three things
a server does not: on a pool of one connection (``sqlite://``, ``max_size=1``) the body's
first statement waited ``acquire_timeout`` for the connection the loop held; a write made
while the statement was open was not committed when it returned (SQLite commits an
autocommit write when the connection's last statement ends); and the open statement could
meet the body's own writes (ordered by an indexed column the body changes, the same rows
came back again, without end).

So the result is first copied, in the query's order, into a temporary table of the
connection (what PostgreSQL's cursor and MariaDB's read view give: the rows as they were at
the loop's start), then read a batch at a time, each batch a statement of its own read to
its end: between batches the connection is free, for the body and for other tasks, and the
memory held is one batch. The table's columns carry the declared types of the query's
columns (read from a temporary view of the query), so the driver's converters read each
value as the query itself would have.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import Any

from ferrule.backends.base import Connection, Row
from ferrule.backends.sqlite_module import sqlite3

__all__ = ["applies", "rows"]

#: statements whose result can be copied: ``INSERT INTO t <select>``
_SELECTS = ("SELECT", "WITH", "VALUES")
_NAMES = itertools.count()

Run = Callable[[Callable[[Connection], Awaitable[Any]]], Awaitable[Any]]


def applies(sql: str) -> bool:
    """Whether ``sql`` is a query whose result a table can hold."""
    head = sql.lstrip().split(None, 1)
    return bool(head) and head[0].upper() in _SELECTS


def without_params(sql: str) -> str:
    """``sql`` with every ``?`` placeholder written as ``NULL`` (a view takes none); quoted
    text, quoted names and comments are left as they are."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        close = {"'": "'", '"': '"', "`": "`", "[": "]"}.get(c)
        if close is not None:
            end = sql.find(close, i + 1)
            end = n if end < 0 else end + 1
            out.append(sql[i:end])
            i = end
        elif sql.startswith("--", i) or sql.startswith("/*", i):
            end = sql.find("\n" if c == "-" else "*/", i + 2)
            end = n if end < 0 else end + (1 if c == "-" else 2)
            out.append(sql[i:end])
            i = end
        elif c == "?":
            i += 1
            while i < n and sql[i].isdigit():
                i += 1
            out.append(" NULL ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _kept_type(declared: str) -> str:
    """The temporary column's type: the declared type's converter name, and BLOB, which keeps
    every value as it is stored (no affinity); none where no converter reads the type."""
    word = declared.replace("(", " ").split(None, 1)[0].upper() if declared.strip() else ""
    if not word.isidentifier() or word not in sqlite3.converters:
        return ""
    return f"{word} BLOB"


def _names(view_names: Sequence[str]) -> list[str]:
    """The query's column names: a view renames a repeated name ``name:1``; the result does
    not."""
    seen: set[str] = set()
    names = []
    for name in view_names:
        base, colon, number = name.rpartition(":")
        if colon and number.isdigit() and base in seen:
            name = base
        seen.add(name)
        names.append(name)
    return names


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _open(conn: Connection, table: str, sql: str, params: Sequence[Any]) -> str:
    """Copy the result of ``sql`` into the temporary ``table``; the statement reading one
    batch of it (``rowid`` from/to)."""
    view = table + "_shape"
    await conn.execute(f"CREATE TEMP VIEW {view} AS {without_params(sql)}", [])
    try:
        columns = await conn.fetch_all(f"PRAGMA temp.table_info({view})", [])
    finally:
        await conn.execute(f"DROP VIEW temp.{view}", [])
    types = ", ".join(f"c{i} {_kept_type(column[2] or '')}" for i, column in enumerate(columns))
    await conn.execute(f"CREATE TEMP TABLE {table} ({types})", [])
    try:
        await conn.execute(f"INSERT INTO temp.{table} {sql}", params)
    except BaseException:
        with contextlib.suppress(Exception):
            await conn.execute(f"DROP TABLE temp.{table}", [])
        raise
    shown = _names([column[1] for column in columns])
    listed = ", ".join(f"c{i} AS {_quoted(name)}" for i, name in enumerate(shown))
    return f"SELECT {listed} FROM temp.{table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid"


async def rows(
    run: Run, sql: str, params: Sequence[Any], batch_size: int
) -> AsyncGenerator[Row, None]:
    """The rows of ``sql``, a batch at a time, each step ``run(step)`` on a connection of
    the caller's (the same one each time: the table is the connection's)."""
    table = f"_ferrule_snapshot_{next(_NAMES)}"
    read: str = await run(lambda conn: _open(conn, table, sql, params))
    try:
        first = 1
        while True:
            last = first + batch_size - 1
            batch = await run(lambda conn: conn.fetch_all(read, [first, last]))  # noqa: B023
            for row in batch:
                yield row
            if len(batch) < batch_size:
                break
            first = last + 1
    finally:
        # (a loop left early, or closed by the event loop's finaliser after the database:
        # the table goes with the connection then)
        with contextlib.suppress(Exception):
            await run(lambda conn: conn.execute(f"DROP TABLE IF EXISTS temp.{table}", []))
