"""PostgreSQL's refusal of a U+0000 in text, named by the field that holds it.

SQLite and MariaDB store a NUL inside text; PostgreSQL's ``text`` and ``varchar`` cannot hold
one, and the server's DataError ("invalid byte sequence for encoding "UTF8": 0x00") names
neither the column nor the parameter. A write of the ORM that fails so is searched, after the
fact (nothing is spent on writes that succeed), for the first text field of what it wrote
that holds a NUL, and the error raised again naming it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from ferrule.errors import DataError

__all__ = ["nul_named", "reraise_named"]

_TEXT = ("str", "text")


def reraise_named(model: Any, exc: DataError, rows: Iterable[Any]) -> None:
    """Raise ``exc`` again naming the field of ``model`` that holds a NUL in ``rows``
    (instances, or dicts of field values), when it is PostgreSQL's refusal of one; else
    return (the caller raises ``exc`` as it is). Written ``except DataError as exc:
    reraise_named(...); raise`` on the hot paths: a ``try`` costs nothing until it fails."""
    if "0x00" not in str(exc):
        return
    name = _holder(model, rows)
    if name is not None:
        raise DataError(
            f"{model.__name__}.{name}: PostgreSQL's text cannot hold the character U+0000"
            f" (NUL), which SQLite and MariaDB store; nothing was written ({exc})"
        ) from exc


@contextlib.contextmanager
def nul_named(model: Any, rows: Iterable[Any]) -> Iterator[None]:
    """``reraise_named`` around a block."""
    try:
        yield
    except DataError as exc:
        reraise_named(model, exc, rows)
        raise


def _holder(model: Any, rows: Iterable[Any]) -> str | None:
    columns = model._meta.columns
    for row in rows:
        for name, column in columns.items():
            if column.logical.name not in _TEXT:
                continue
            value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
            if isinstance(value, str) and "\x00" in value:
                return str(name)
    return None
