"""Property tests on the real databases: hostile strings used as values and as identifiers come back
unchanged, and they never change the statement text."""

from __future__ import annotations

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
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


def _identifier_ok(dialect: str, name: str) -> bool:
    if not name or "\x00" in name:
        return False
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


@pytest.mark.parametrize("dialect", DIALECTS)
@PROPERTY
@given(name=hostile_text)
def test_identifiers_round_trip(request: pytest.FixtureRequest, dialect: str, name: str) -> None:
    if not _identifier_ok(dialect, name):
        return
    db = _db(request, dialect)
    cte = sql.select(sql.literal("v").label(name)).cte(name)
    alias = T.alias(name + "_t")
    query = (
        sql.select(cte.c[name], alias.c.id.label(name + "_id"))
        .from_(cte)
        .join(alias, on=alias.c.id == 1)
    )
    text, params = query.compile(db.dialect)
    assert params == ["v", 1]
    assert db.fetch(text, params) == [("v", 1)]
    assert db.names(text, params) == [name, name + "_id"]
