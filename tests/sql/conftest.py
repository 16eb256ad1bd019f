"""Real-database fixtures for the SQL tests: one connection per database for the session, with
the ``sqlt_*`` fixture tables created at start and dropped at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .cases import FIXTURES
from .support import RUNNERS, Runner, fixture_ddl


def _database(dialect: str) -> Iterator[Runner]:
    runner = RUNNERS[dialect]()
    try:
        for statement in fixture_ddl(dialect):
            runner.execute(statement, [])
        yield runner
    finally:
        try:
            for table in FIXTURES:
                runner.execute(f"DROP TABLE IF EXISTS {table}", [])
        finally:
            runner.close()


@pytest.fixture(scope="session")
def sqlite_db() -> Iterator[Runner]:
    yield from _database("sqlite")


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[Runner]:
    yield from _database("postgres")


@pytest.fixture(scope="session")
def mysql_db() -> Iterator[Runner]:
    yield from _database("mysql")
