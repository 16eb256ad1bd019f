"""Identifiers the dialect cannot hold exactly are refused when the query is compiled.

PostgreSQL silently truncates a name to 63 bytes (527 of 2,768 generated table names were cut,
so two long names became one table); MySQL/MariaDB allow 64 characters, SQL Server 128 UTF-16
code units (``sysname`` is ``nvarchar(128)``); SQLite has no limit. NUL ends a C string:
refused everywhere. A lone surrogate cannot be encoded at all. Every check runs through both
compilers, which must raise the same class with the same message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ferrule import _ferrule, sql
from ferrule.errors import IdentifierError, SQLError
from ferrule.sql import compiler
from ferrule.sql.dialects import DIALECTS

from .support import COMPILERS, Runner

LIMITS = {"sqlite": None, "postgres": 63, "mysql": 64, "mssql": 128}
UNITS = {"sqlite": "chars", "postgres": "bytes", "mysql": "chars", "mssql": "utf16"}

# (dialect, name, accepted): both sides of each limit, with multibyte characters
BOUNDARY = [
    ("postgres", "a" * 63, True),
    ("postgres", "a" * 64, False),
    ("postgres", "é" * 31 + "a", True),  # 32 characters, 63 bytes
    ("postgres", "é" * 32, False),  # 32 characters, 64 bytes
    ("postgres", "😀" * 15 + "abc", True),  # 63 bytes
    ("postgres", "😀" * 16, False),  # 64 bytes
    ("mysql", "a" * 64, True),
    ("mysql", "a" * 65, False),
    ("mysql", "é" * 64, True),  # 128 bytes, 64 characters
    ("mysql", "é" * 65, False),
    ("mssql", "a" * 128, True),
    ("mssql", "a" * 129, False),
    ("mssql", "é" * 128, True),
    ("mssql", "😀" * 64, True),  # 128 UTF-16 code units
    ("mssql", "😀" * 64 + "a", False),
    ("sqlite", "a" * 5000, True),
    ("sqlite", "😀" * 5000, True),
]


def outcome(compile_: Callable[..., Any], query: sql.Statement, dialect: str) -> Any:
    """What one compiler does with a query: its output, or the error's class and message."""
    _ferrule.sql_cache_clear()
    compiler._CACHE.clear()
    try:
        return compile_(query._node(), dialect)
    except SQLError as exc:
        return type(exc), str(exc)


def both(query: sql.Statement, dialect: str) -> Any:
    """The one outcome of both compilers (they must agree exactly)."""
    native, pure = (outcome(c, query, dialect) for c in COMPILERS.values())
    assert native == pure
    return native


def _as_table(name: str) -> sql.Statement:
    return sql.select(sql.column("id")).from_(sql.table(name))


@pytest.mark.parametrize(("dialect", "name", "accepted"), BOUNDARY)
def test_limits_at_the_boundary(dialect: str, name: str, accepted: bool) -> None:
    result = both(_as_table(name), dialect)
    if accepted:
        assert isinstance(result, tuple) and isinstance(result[0], str)
        return
    cls, message = result
    assert cls is IdentifierError
    limit, unit = LIMITS[dialect], UNITS[dialect]
    assert repr(name) in message and dialect in message and str(limit) in message
    with pytest.raises(IdentifierError) as info:
        _as_table(name).compile(dialect)
    error = info.value
    assert (error.dialect, error.name, error.limit) == (dialect, name, limit)
    assert {"bytes": "bytes", "chars": "characters", "utf16": "UTF-16"}[unit] in message


def test_limits_are_dialect_facts() -> None:
    for name, d in DIALECTS.items():
        assert (d.max_identifier_length, d.identifier_length_unit) == (LIMITS[name], UNITS[name])


#: every place a name is written, each given ``x``
PLACES: dict[str, Callable[[str], sql.Statement]] = {
    "table": lambda x: sql.select(sql.column("id")).from_(sql.table(x)),
    "schema": lambda x: sql.select(sql.column("id")).from_(sql.table("t", schema=x)),
    "alias": lambda x: sql.select(sql.column("id")).from_(sql.table("t").alias(x)),
    "column": lambda x: sql.select(sql.column(x)),
    "qualifier": lambda x: sql.select(sql.column("id", x)),
    "label": lambda x: sql.select(sql.column("id").label(x)),
    "subquery": lambda x: sql.select(sql.column("id")).from_(sql.select().subquery(x)),
    "cte": lambda x: (lambda c: sql.select(c.c.id).from_(c))(sql.select(sql.column("id")).cte(x)),
    "cte column": lambda x: (lambda c: sql.select().from_(c))(
        sql.select(sql.column("id")).cte("c", columns=[x])
    ),
    "insert column": lambda x: sql.insert(sql.table("t")).values({x: 1}),
    "update column": lambda x: sql.update(sql.table("t")).set({x: 1}),
    "excluded": lambda x: (
        sql.insert(sql.table("t"))
        .values(id=1)
        .on_conflict_do_update(["id"], {"id": sql.excluded(x)})
    ),
}


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "mssql", "sqlite"])
@pytest.mark.parametrize("place", list(PLACES))
def test_every_place_a_name_is_written_is_checked(place: str, dialect: str) -> None:
    limit = LIMITS[dialect] or 0
    for name, bad in [("n" * (limit or 9), False), ("n" * (limit + 1), True), ("a\x00b", True)]:
        if dialect == "sqlite" and name.startswith("n"):
            bad = False
        result = both(PLACES[place](name), dialect)
        if bad:
            assert result[0] is IdentifierError, result
            assert repr(name) in result[1]
        else:
            assert isinstance(result[0], str), result


@pytest.mark.parametrize("dialect", list(LIMITS))
def test_nul_is_refused_everywhere(dialect: str) -> None:
    cls, message = both(_as_table("a\x00b"), dialect)
    assert cls is IdentifierError
    assert message == f"identifier 'a\\x00b' contains a NUL character ({dialect} dialect)"


@pytest.mark.parametrize("dialect", list(LIMITS))
@pytest.mark.parametrize(
    "query",
    [
        _as_table("t\ud800"),
        sql.select(sql.column("c\udfff")),
        sql.select(sql.raw("'\ud800'")),
        sql.text("SELECT '\udc80'"),
    ],
)
def test_a_lone_surrogate_is_a_typed_error(dialect: str, query: sql.Statement) -> None:
    cls, message = both(query, dialect)
    assert cls is SQLError
    assert "lone surrogate" in message


@settings(max_examples=200, deadline=None)
@given(
    name=st.one_of(
        st.text(min_size=1, max_size=140),
        st.text(st.sampled_from("aé😀\x00"), min_size=55, max_size=135),
    )
)
@example(name="é" * 32)
@example(name="\ud800")
def test_both_compilers_agree_on_any_name(name: str) -> None:
    for dialect in LIMITS:
        for place in ("table", "label", "insert column"):
            both(PLACES[place](name), dialect)


def test_a_63_byte_name_round_trips_through_pg_class(postgres_db: Runner) -> None:
    """PostgreSQL keeps 63 bytes: a 63-byte name (multibyte) is the catalog's name exactly,
    and 64 bytes is refused before the server could truncate it."""
    tag = uuid.uuid4().hex[:8]
    name = f"sqlt_{tag}_" + "é" * ((63 - 14) // 2)
    name += "x" * (63 - len(name.encode()))
    assert len(name.encode()) == 63
    t = sql.table(name, "id")
    postgres_db.execute(f'CREATE TABLE "{name}" (id INTEGER)', [])
    try:
        postgres_db.execute(*sql.insert(t).values(id=7).compile("postgres"))
        assert postgres_db.run(sql.select(t.c.id).from_(t)) == [(7,)]
        catalog = postgres_db.fetch(
            "SELECT relname FROM pg_class WHERE relname::text LIKE $1", [name[:13] + "%"]
        )
        assert catalog == [(name,)]
    finally:
        postgres_db.execute(f'DROP TABLE "{name}"', [])
    longer = sql.table(name + "y", "id")
    with pytest.raises(IdentifierError, match="63"):
        sql.select(longer.c.id).from_(longer).compile("postgres")


def test_postgres_truncates_what_is_not_refused(postgres_db: Runner) -> None:
    """The reference behaviour the check protects from: the server cuts a 64-byte name."""
    name = f"sqlt_{uuid.uuid4().hex[:8]}_" + "z" * 50
    assert len(name.encode()) == 64
    postgres_db.execute(f'CREATE TABLE "{name}" (id INTEGER)', [])
    try:
        rows = postgres_db.fetch(
            "SELECT relname FROM pg_class WHERE relname::text IN ($1, $2)", [name, name[:63]]
        )
        assert rows == [(name[:63],)]
    finally:
        postgres_db.execute(f'DROP TABLE "{name[:63]}"', [])
