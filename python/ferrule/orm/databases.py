"""Which database a model's query runs on: the one given (``using``), else the default."""

from __future__ import annotations

from typing import Any

from ferrule import errors
from ferrule.backends import defaults
from ferrule.backends.blocks import Session

__all__ = ["checked_database", "database_for"]


def database_for(model: Any, using: Any = None) -> Any:
    """The database a query of ``model`` runs on: ``using``, else the default."""
    if using is not None:
        return checked_database(using, model.__name__)
    db = defaults.default_database()
    if db is None:
        raise errors.NoDatabaseError(
            f"{model.__name__}: no database is open; call `db = await ferrule.connect(url)` "
            "first (the first database opened becomes the models' default)"
        )
    return db


def checked_database(using: Any, where: str) -> Any:
    """``using``, when it is a database (it has a dialect and opens transaction blocks), or
    the database of a ``transaction()``/``connection()`` block given as ``using=tx``, else an
    ``ORMError`` saying what is given instead: Django's alias, ``"default"``, was an
    ``AttributeError`` from wherever it was first touched."""
    if isinstance(getattr(using, "dialect", None), str) and callable(
        getattr(using, "transaction", None)
    ):
        return using
    if isinstance(using, Session):  # Tortoise's `in_transaction() as conn`, `using_db=conn`
        return using._db  # (the task's statements run in the block it names, as without it)
    raise errors.ORMError(
        f"{where}: using={_shown(using)} is no database; give the database object (ferrule "
        "has no connection names): using=db, where db = await ferrule.connect(url)"
    )


def _shown(value: Any) -> str:
    try:
        return repr(value)[:80]
    except Exception:  # a repr that raises: its type names it
        return f"<{type(value).__name__}>"
