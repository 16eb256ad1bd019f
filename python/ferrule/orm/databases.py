"""Which database a model's query runs on: the one given (``using``), else the default."""

from __future__ import annotations

from typing import Any

from ferrule import errors
from ferrule.backends import defaults

__all__ = ["database_for"]


def database_for(model: Any, using: Any = None) -> Any:
    """The database a query of ``model`` runs on: ``using``, else the default."""
    if using is not None:
        return using
    db = defaults.default_database()
    if db is None:
        raise errors.NoDatabaseError(
            f"{model.__name__}: no database is open; call `db = await ferrule.connect(url)` "
            "first (the first database opened becomes the models' default)"
        )
    return db
