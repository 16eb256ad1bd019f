"""A value a database refuses, named by the field that holds it.

Some values a field takes cannot be stored by one database, and its error names neither the
column nor the parameter:

- a U+0000 in text: SQLite and MariaDB store it; PostgreSQL's ``text`` cannot hold one (a
  DataError, "invalid byte sequence for encoding "UTF8": 0x00"), nor its ``jsonb`` in a
  string or key at any depth ("unsupported Unicode escape sequence");
- a decimal of more than 15 significant digits: the servers' ``DECIMAL(p, s)`` store it;
  SQLite keeps a double (an InterfaceError from ``backends.sqlite_types``).

A write of the ORM that fails so is searched, after the fact (nothing is spent on writes
that succeed), for the first field of what it wrote holding such a value, and the error is
raised again, of the same type, with the field's name first. A filter's value is checked as
the condition is compiled (``refuse_nul_condition``), where its field is known: the same
``DataError``, in the same words, the database's own text included."""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ferrule.backends.params import held
from ferrule.errors import DataError, InterfaceError

__all__ = ["named_refusals", "refuse_nul_condition", "refuse_zero_key", "reraise_named"]

REFUSALS = (DataError, InterfaceError)


def _nul(value: Any) -> bool:
    return isinstance(value, str) and "\x00" in value


def _nul_inside(value: Any) -> bool:
    """Whether a JSON value holds a U+0000 in a string or a key, at any depth (each
    container read by its base type: a subclass's ``__len__`` or ``keys()`` is not asked)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if str.__contains__(item, "\x00"):
                return True
        elif isinstance(item, dict):
            pending.extend(dict.keys(item))
            pending.extend(dict.values(item))
        else:
            pending.extend(held(item) or ())
    return False


def _wide(value: Any) -> bool:
    return isinstance(value, decimal.Decimal) and len(decimal.Decimal.as_tuple(value).digits) > 15


_NUL = "PostgreSQL's text cannot hold the character U+0000 (NUL), which SQLite and MariaDB store"
_JSON_NUL = (
    "PostgreSQL's jsonb cannot hold the character U+0000 (NUL) in a string or key, which SQLite"
    " and MariaDB store"
)

#: PostgreSQL's own words for it, which the refusal of a filter value repeats
_NUL_ERROR = 'invalid byte sequence for encoding "UTF8": 0x00'
_JSON_NUL_ERROR = "unsupported Unicode escape sequence: \\u0000 cannot be converted to text"

#: (words of the database's error, the logical types of the fields that may hold the value,
#: whether a value is one, what to say before the database's words)
_KINDS: tuple[tuple[str, tuple[str, ...], Callable[[Any], bool], str], ...] = (
    ("0x00", ("str", "text"), _nul, _NUL),
    ("\\u0000 cannot be converted to text", ("json",), _nul_inside, _JSON_NUL),
    ("significant digits: SQLite stores it as a double", ("decimal",), _wide, ""),
)


def reraise_named(model: Any, exc: DataError | InterfaceError, rows: Iterable[Any]) -> None:
    """Raise ``exc`` again naming the field of ``model`` that holds the refused value in
    ``rows`` (instances, or dicts of field values), when it is one of the refusals above;
    else return (the caller raises ``exc`` as it is). Written ``except REFUSALS as exc:
    reraise_named(...); raise`` on the hot paths: a ``try`` costs nothing until it fails."""
    text = str(exc)
    for words, types, holds, note in _KINDS:
        if words in text:
            name = _holder(model, rows, types, holds)
            if name is not None:
                said = f"{note} ({text})" if note else text
                raise type(exc)(f"{model.__name__}.{name}: {said}") from exc
            return


@contextlib.contextmanager
def named_refusals(model: Any, rows: Iterable[Any]) -> Iterator[None]:
    """``reraise_named`` around a block."""
    try:
        yield
    except REFUSALS as exc:
        reraise_named(model, exc, rows)
        raise


def _holder(
    model: Any, rows: Iterable[Any], types: tuple[str, ...], holds: Callable[[Any], bool]
) -> str | None:
    columns = model._meta.columns
    for row in rows:
        for name, column in columns.items():
            if column.logical.name not in types:
                continue
            value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
            if holds(value):
                return str(name)
    return None


def refuse_nul_condition(model: Any, field: str, column: Any, value: Any) -> None:
    """Refuse, naming the field, a PostgreSQL filter on a text field (``field``: its path,
    without the lookup) whose value (or one of an ``in``/``range`` sequence's) holds a U+0000:
    PostgreSQL refused it with a ``DataError`` naming nothing. Called for PostgreSQL only."""
    if column is None:
        return
    if column.logical.name == "json":
        if _nul_inside(value):  # an ``in`` list is a list too: each item is searched
            raise DataError(f"{model.__name__}.{field}: {_JSON_NUL} ({_JSON_NUL_ERROR})")
        return
    if column.logical.name not in ("str", "text"):
        return
    if _nul(value) or (
        isinstance(value, list | tuple | set | frozenset) and any(_nul(item) for item in value)
    ):
        raise DataError(f"{model.__name__}.{field}: {_NUL} ({_NUL_ERROR})")


def refuse_zero_key(model: Any, dialect: str, keys: Iterable[Any]) -> None:
    """Refuse, naming the field, a key of 0 given for ``model``'s database-numbered primary
    key on MariaDB/MySQL, whose ``AUTO_INCREMENT`` takes an inserted 0 as "number this row"
    and stores the next key instead (the instance would keep 0: a later ``save()`` writes
    another row). SQLite and PostgreSQL store 0; Django refuses it on MySQL too."""
    if dialect != "mysql":
        return
    pk = model._meta.pk
    if pk.identity and any(isinstance(k, int) and k == 0 for k in keys):
        raise DataError(
            f"{model.__name__}.{pk.name}: MariaDB numbers a row inserted with the key 0 (its"
            " AUTO_INCREMENT takes 0 for 'make a key'), so 0 cannot be stored as given: use"
            " another key, or leave it unset"
        )
