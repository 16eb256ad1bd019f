"""Property tests on the real databases: hostile strings used as values and as identifiers come back
unchanged, and they never change the statement text."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ferrule import sql

from .support import Runner

HOSTILE = [
    "'",
    '"',
    "`",
    "]",
    "[",
    "\\",
    "\x00",
    "--",
    ";",
    "$1",
    "%s",
    "%",
    "?",
    ":x",
    "/*",
    "é",
    "😀",
]
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=6).map(
    "".join
)

T = sql.table("sqlt_scratch", "id", "name", "n")
DIALECTS = ["sqlite", "postgres", "mysql"]


def _db(request: pytest.FixtureRequest, dialect: str) -> Runner:
    runner: Runner = request.getfixturevalue(f"{dialect}_db")
    return runner


#: Names SQLite cannot use for a column of a derived table or CTE, however they are quoted: it
#: takes them for its boolean literals, so ``"t"."true"`` is "no such column" (SQLite 3.40 to
#: 3.54 at least; ``test_sqlite_cannot_address_a_derived_column_named_true`` pins it).
SQLITE_BOOLEAN_NAMES = frozenset({"true", "false"})


def _identifier_ok(dialect: str, name: str) -> bool:
    """Whether the server accepts ``name`` as an alias and a CTE column (server rules, not
    quoting: ferrule quotes every name; what a server refuses anyway is left out)."""
    if not name or "\x00" in name:
        return False
    if dialect == "sqlite":
        # SQLite folds ASCII letters only: "TRUE" and "True" are the literal too, U+017F is no "s"
        return not (name.isascii() and name.lower() in SQLITE_BOOLEAN_NAMES)
    if dialect == "postgres":
        return len(name.encode()) <= 60
    if dialect == "mysql":
        # Server rules, not quoting: BMP only, no control characters, no leading/trailing
        # whitespace (MariaDB strips it from aliases), at most 64 characters.
        return (
            len(name) <= 60
            and name == name.strip()
            and all(0x20 <= ord(c) <= 0xFFFF and ord(c) != 0x7F for c in name)
        )
    return True


def _value_round_trip(db: Runner, value: str) -> None:
    insert = sql.insert(T).values(id=7, name=value, n=1)
    query = sql.select(T.c.name).from_(T).where(T.c.id == 7, T.c.name == value)
    # The statement text depends on the shape only, never on the value.
    plain_insert = sql.insert(T).values(id=7, name="x", n=1)
    plain_query = sql.select(T.c.name).from_(T).where(T.c.id == 7, T.c.name == "x")
    assert insert.compile(db.dialect)[0] == plain_insert.compile(db.dialect)[0]
    assert query.compile(db.dialect) == (plain_query.compile(db.dialect)[0], [7, value])
    db.begin()
    try:
        db.execute(*insert.compile(db.dialect))
        assert db.run(query) == [(value,)]
        assert db.run(sql.select(sql.func.count()).from_(T)) == [(3,)]
    finally:
        db.rollback()


@pytest.mark.parametrize("dialect", DIALECTS)
@PROPERTY
@given(value=hostile_text)
def test_values_round_trip(request: pytest.FixtureRequest, dialect: str, value: str) -> None:
    db = _db(request, dialect)
    if dialect == "postgres" and "\x00" in value:
        # PostgreSQL text cannot hold NUL: the driver/server refuses it cleanly, nothing runs.
        with pytest.raises((asyncpg.PostgresError, asyncpg.DataError, ValueError)):
            _value_round_trip(db, value)
        return
    _value_round_trip(db, value)


def _identifier_query(name: str) -> sql.Select:
    """``name`` as a CTE, its column, a table alias and a column label, all in one query."""
    cte = sql.select(sql.literal("v").label(name)).cte(name)
    alias = T.alias(name + "_t")
    return (
        sql.select(cte.c[name], alias.c.id.label(name + "_id"))
        .from_(cte)
        .join(alias, on=alias.c.id == 1)
    )


@pytest.mark.parametrize("dialect", DIALECTS)
@PROPERTY
@given(name=hostile_text)
@example(name="true")  # SQLite's boolean literal: every other server must take it
@example(name="FALSE")
@example(name='"')
def test_identifiers_round_trip(request: pytest.FixtureRequest, dialect: str, name: str) -> None:
    assume(_identifier_ok(dialect, name))  # a discarded example is not a passed one
    db = _db(request, dialect)
    text, params = _identifier_query(name).compile(db.dialect)
    assert params == ["v", 1]
    assert db.fetch(text, params) == [("v", 1)]
    assert db.names(text, params) == [name, name + "_id"]


@pytest.mark.parametrize("name", ["true", "TRUE", "False"])
def test_sqlite_cannot_address_a_derived_column_named_true(sqlite_db: Runner, name: str) -> None:
    """Why ``_identifier_ok`` leaves these names out on SQLite: the server, not ferrule's
    quoting, refuses them (the found falsifying example of the identifier property was
    ``name='TRUE'``). Should a SQLite release accept them, this fails: drop the exclusion."""
    text, params = _identifier_query(name).compile("sqlite")
    assert text.startswith(f"WITH `{name}` (`{name}`) AS (SELECT ? AS `{name}`) SELECT `{name}`.`")
    with pytest.raises(sqlite3.OperationalError, match=f"no such column: {name}.{name}"):
        sqlite_db.fetch(text, params)


def test_sqlite_unknown_column_is_an_error_not_its_name(sqlite_db: Runner) -> None:
    """SQLite reads a double-quoted name that matches no column as a string literal, so with
    "..." quoting every row would carry the text 'no_such_column': names are `...`-quoted."""
    query = sql.select(sql.column("no_such_column")).from_(T).order_by(T.c.id)
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        sqlite_db.run(query)
