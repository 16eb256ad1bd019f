"""The database layer's public names, reachable from the package root."""

from __future__ import annotations

import re

import ferrule
from ferrule import errors

DB_NAMES = [
    "ArgumentError",
    "CircuitOpenError",
    "CommitUnknownError",
    "ConnectionError",
    "DatabaseError",
    "IntegrityError",
    "InterfaceError",
    "OperationalError",
    "PoolTimeoutError",
    "ProgrammingError",
    "TransactionError",
    "TransactionRollbackError",
    "connect",
]


def test_database_names_are_exported() -> None:
    for name in DB_NAMES:
        assert name in ferrule.__all__
        assert getattr(ferrule, name) is getattr(errors, name, ferrule.connect)


def test_error_tree() -> None:
    assert issubclass(errors.CircuitOpenError, errors.ConnectionError)
    assert issubclass(errors.CommitUnknownError, errors.TransactionError)
    assert issubclass(errors.TransactionRollbackError, errors.OperationalError)
    for name in DB_NAMES[:-1]:
        assert issubclass(getattr(errors, name), errors.DatabaseError)
    assert issubclass(errors.DatabaseError, errors.FerruleError)
    assert issubclass(errors.ArgumentError, errors.InterfaceError)
    assert issubclass(errors.ArgumentError, TypeError)
    assert not issubclass(errors.ProgrammingError, errors.OperationalError | errors.InterfaceError)


def test_the_tree_drawing_names_every_error() -> None:
    drawn = errors.__doc__ or ""
    for name in errors.__all__:
        assert re.search(rf"(── |^    ){name}\b", drawn, re.MULTILINE), name
