"""The ``sqlite3`` module ferrule's SQLite backend uses: a private instance of the ``_sqlite3``
extension where the interpreter allows one (``backends.sqlite`` says why), so that its errors,
adapters and converters are ferrule's alone. Everything that catches its exceptions imports
it from here."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = ["sqlite3"]


def _private_sqlite3() -> ModuleType:
    """An instance of the ``_sqlite3`` extension of ferrule's own (see ``backends.sqlite``)."""
    import _sqlite3

    path = getattr(_sqlite3, "__file__", None)
    spec = importlib.util.spec_from_file_location("_sqlite3", path) if path else None
    if spec is None or spec.loader is None:  # built into the interpreter: one instance only
        return _sqlite3
    module = importlib.util.module_from_spec(spec)  # a fresh instance where PEP 489 allows it
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import sqlite3
else:
    sqlite3 = _private_sqlite3()
