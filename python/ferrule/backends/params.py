"""What a statement may be given, the same on every backend, checked before anything is sent.

Parameters are a sequence (a ``tuple``, a ``list``, a row: anything with the sequence protocol)
bound by position. A
``str`` or ``bytes`` is a sequence of characters and a ``dict`` iterates its keys, so the drivers
would bind them silently (asyncpg binds a dict's keys, sqlite3 a string's characters) or fail
with a raw ``TypeError``; they are refused here with ``ArgumentError`` (a ``TypeError``).

A value the driver cannot send as given is refused with ``InterfaceError``, never altered: text
with a lone surrogate (it has no UTF-8 form), a ``time`` with a UTC offset for a column that
cannot keep the offset (PostgreSQL ``time``, MySQL ``TIME``; PostgreSQL ``timetz`` and SQLite
keep it), a NaN float on SQLite (it would store NULL; ``sqlite_types.refuse_nan``) and MySQL
(which has no NaN nor infinity; PostgreSQL keeps both, SQLite the infinities). The backends'
type adapters raise ``RefusedValue`` from inside the driver; their ``translate`` turns it into
the ``InterfaceError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ferrule.errors import ArgumentError, InterfaceError

__all__ = [
    "Records",
    "RefusedValue",
    "check_columns",
    "check_params",
    "check_records",
    "check_rows",
    "encoding_error",
    "held",
    "refuse_offset",
    "sequence_values",
]

_EMPTY: tuple[()] = ()


class RefusedValue(ValueError):
    """Raised by a backend's type adapter, inside the driver, for a value it will not send."""


def check_params(params: Any) -> Sequence[Any]:
    """``params`` as a sequence (``None`` is no parameters); anything else is refused."""
    if type(params) is tuple or type(params) is list:
        return params
    if params is None:
        return _EMPTY
    if not _is_sequence(params):
        raise ArgumentError(
            "parameters must be a sequence (a tuple or list) of values, one per placeholder,"
            f" not {type(params).__name__}"
        )
    return sequence_values(params, "parameters")  # one shape for the drivers (asyncmy
    # takes only tuples and lists)


def sequence_values(value: Any, what: str) -> tuple[Any, ...]:
    """The values a sequence holds, as a tuple, never sized by its ``__len__`` (``tuple()``
    and ``list()`` allocate what it says first: 2**62 was a ``MemoryError``). A list or tuple
    subclass is read through its base type's iterator (what it holds, whatever its dunders
    say); another sequence (an ``asyncpg.Record``, a user's class) by iterating it, checked
    against its ``len()``: a typed error where the two disagree or either raises."""
    found = held(value)
    if found is not None:
        return tuple(found)
    try:
        declared = len(value)
        values = []
        for item in value:
            values.append(item)
            if len(values) > declared:
                break
    except Exception as exc:
        raise ArgumentError(f"{what}: reading the {type(value).__name__} raised {exc!r}") from exc
    if len(values) != declared:
        raise ArgumentError(
            f"{what}: the {type(value).__name__} says it holds {declared} values and gives "
            f"{'more' if len(values) > declared else len(values)}"
        )
    return tuple(values)


def _is_sequence(value: Any) -> bool:
    """The sequence protocol (``__len__`` and ``__getitem__``, as ``PySequence_Check`` asks: an
    ``asyncpg.Record`` has it), but not text, bytes or a mapping."""
    kind = type(value)
    return (
        hasattr(kind, "__getitem__")
        and hasattr(kind, "__len__")
        and not issubclass(kind, str | bytes | bytearray | memoryview | Mapping)
    )


def _is_iterable(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes | bytearray)


def check_rows(rows: Any) -> list[Sequence[Any]]:
    """The parameter rows of ``execute_many``, as a list of sequences."""
    if not _is_iterable(rows):
        raise ArgumentError(
            f"execute_many takes an iterable of parameter sequences, not {type(rows).__name__}"
        )
    # not list(rows): it sizes the list by a __len__ that may lie
    seq = rows if type(rows) is list else [row for row in _items(rows)]
    copied = seq is not rows
    for index, row in enumerate(seq):
        if type(row) is tuple or type(row) is list:
            continue
        if not _is_sequence(row):
            raise ArgumentError(
                f"execute_many: row {index} must be a sequence of parameters (a tuple or list),"
                f" not {type(row).__name__}"
            )
        if not copied:  # never change the caller's list
            seq, copied = list(seq), True
        seq[index] = sequence_values(row, f"execute_many: row {index}")
    return seq


def held(value: Any) -> list[Any] | None:
    """What a list or tuple (or a subclass of either) holds, read by its base type's
    iterator: a subclass's ``__len__`` (by which ``list()`` and ``tuple()`` size their
    result) and ``__iter__`` are not asked. None for any other object."""
    if isinstance(value, list):
        return [*list.__iter__(value)]
    if isinstance(value, tuple):
        return [*tuple.__iter__(value)]
    return None


def _items(values: Iterable[Any]) -> Iterator[Any]:
    """The items of an iterable: a list or tuple subclass's as its base type holds them."""
    found = held(values)
    return iter(values) if found is None else iter(found)


class Records:
    """Records ferrule made itself (the ORM's bulk insert), each a tuple of exactly ``width``
    values: ``check_records`` passes them on without reading each (~0.25 us a record)."""

    __slots__ = ("rows", "width")

    def __init__(self, rows: Iterable[tuple[Any, ...]], width: int) -> None:
        self.rows = rows
        self.width = width

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


def check_records(records: Any, width: int) -> Iterator[Sequence[Any]]:
    """The records of ``copy_records``, each checked to be a sequence of ``width`` values
    (PostgreSQL's COPY would otherwise drop extra values without a word)."""
    if type(records) is Records and records.width == width:
        return iter(records.rows)
    if not _is_iterable(records):
        raise ArgumentError(
            f"copy_records takes an iterable of records, not {type(records).__name__}"
        )
    return _checked(records, width)


def _checked(records: Iterable[Any], width: int) -> Iterator[Sequence[Any]]:
    for index, record in enumerate(_items(records)):
        if (type(record) is tuple or type(record) is list) and len(record) == width:
            yield record
            continue
        values = None
        if _is_sequence(record):
            values = sequence_values(record, f"copy_records: record {index}")
        if values is None or len(values) != width:
            shown = f"a {type(record).__name__}" if values is None else f"{len(values)} values"
            raise ArgumentError(
                f"copy_records: record {index} must be a sequence of {width} values, one per"
                f" column, not {shown}"
            )
        yield values


def check_columns(columns: Any) -> tuple[str, ...]:
    """The column names of ``copy_records``: one or more texts, read as ``sequence_values``
    reads a sequence."""
    if isinstance(columns, str | bytes) or not _is_sequence(columns):
        raise ArgumentError(
            f"copy_records: columns must be a sequence of names, not {type(columns).__name__}"
        )
    names = sequence_values(columns, "copy_records: columns")
    if not names or not all(isinstance(name, str) for name in names):
        raise ArgumentError(f"copy_records: columns must be one or more names (str): {names!r}")
    return tuple(str.__str__(name) for name in names)


def encoding_error(exc: UnicodeError) -> InterfaceError:
    """A string the database cannot receive (a lone surrogate): say where, in which text."""
    text = getattr(exc, "object", None)
    if isinstance(exc, UnicodeEncodeError) and isinstance(text, str):
        shown = text if len(text) <= 60 else text[:57] + "..."
        return InterfaceError(
            f"a lone surrogate {text[exc.start]!r} at position {exc.start} of {shown!r}"
            " cannot be sent to the database: text must be valid Unicode (no surrogates)"
        )
    return InterfaceError(f"text cannot be encoded for the database: {exc}")


def refuse_offset(value: dt.time, column: str) -> None:
    """Refuse a ``time`` with a UTC offset for a column type that would drop the offset."""
    if value.utcoffset() is not None:
        raise RefusedValue(
            f"{value.isoformat()} has a UTC offset, which a {column} column cannot keep: pass a"
            " naive time (convert it first), or use a column type that stores the offset"
        )
