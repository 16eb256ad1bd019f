"""The values of aggregates and annotations, as the fields they read would load them.

A database hands a computed column over without its column type: SQLite's ``MAX(day)`` is
the stored text, MariaDB's ``MAX(flag)`` an int and its ``MAX(created)`` the naive UTC
datetime, ``MAX(span)`` the stored microseconds, ``MAX(color)`` the enum's value. So
``Min``/``Max`` (and an ``F`` annotation) convert their result as the field's own column
would be loaded (``orm.columns``), and a ``Sum`` of an integer field is an ``int`` on every
database (MariaDB answers ``SUM`` with a ``Decimal``, PostgreSQL a ``SUM`` of ``BIGINT``):
the same value, the field's type. ``Count`` is an int everywhere already; ``Avg`` of an integer or
float field is a float (``orm.compiler`` casts to double precision); ``Avg`` of a decimal field
and the ``Sum`` of a decimal or float field are what the database computes (its own precision)."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from ferrule.errors import InterfaceError
from ferrule.orm import arithmetic, deviations, subqueries
from ferrule.orm.compiler import Scope
from ferrule.orm.expressions import Aggregate, Arith, Case, F, Func, Value
from ferrule.orm.readers import EXACT
from ferrule.orm.stored_as import held_flag

__all__ = ["aggregated", "converter", "values_of"]

Convert = Callable[[Any], Any]

_INTEGERS = frozenset({"int", "bigint", "smallint"})


def _parsed(kind: type, parse: Convert) -> Convert:
    def convert(value: Any) -> Any:
        return value if isinstance(value, kind) else parse(value)

    return convert


def _decimal(value: Any) -> decimal.Decimal:
    # a SQLite DECIMAL is a double holding at most 15 digits (backends.sqlite_types): its
    # shortest repr is the decimal that was stored
    return value if isinstance(value, decimal.Decimal) else decimal.Decimal(repr(value))


#: (dialect, logical type) -> the parse of a computed column's storage value (SQLite's
#: dates, times and datetimes: their from-db reader takes the text, and refuses a form
#: filters do not compare, `readers.text_moment_reader`)
_PARSE: dict[tuple[str, str], Convert] = {
    ("sqlite", "decimal"): _decimal,
    ("sqlite", "uuid"): _parsed(uuid.UUID, uuid.UUID),
}


def _integer(value: Any) -> int:
    """A Sum of an integer field: SQLite's int, PostgreSQL's numeric, MariaDB's DECIMAL,
    past 64 bits a ``DataError`` on each (SQLite's own SUM overflows there)."""
    return arithmetic.within_64_bits(value if type(value) is int else int(value))


def _duration(value: Any) -> dt.timedelta:
    """A Sum of durations: PostgreSQL's interval, or the microseconds SQLite (an int) and
    MariaDB (a Decimal) add."""
    return value if isinstance(value, dt.timedelta) else dt.timedelta(microseconds=int(value))


#: (dialect, logical type) -> the parse of a value computed from a column, where the driver
#: decodes only the column itself (none now: SQLite's JSON text, which its driver decodes
#: only for a column declared JSON, is decoded by the field, ``columns.read_column``)
_PARSE_COMPUTED: dict[tuple[str, str], Convert] = {}


def column_out(column: Any, dialect: str, computed: bool = False) -> Convert | None:
    """A computed value of ``column`` (its Min, its Max) as the column would be loaded;
    ``computed``: an expression's value (``Coalesce``, ``Case``, a subquery), not the column's
    own, which a driver may not have decoded as it decodes the column."""
    after: Convert | None = column.converters(dialect)[1] or held_flag(column, dialect)
    if column.encryption is not None or column.password is not None:
        return after
    parse = None if column.enum is not None else _PARSE.get((dialect, column.logical.name))
    if computed and parse is None:
        parse = _PARSE_COMPUTED.get((dialect, column.logical.name))
    if parse is None:
        return after
    if after is None:
        return parse

    def convert(value: Any) -> Any:
        return after(parse(value))

    return convert


def converter(model: Any, value: Any, dialect: str, annotations: Any = None) -> Convert | None:
    """The conversion of an annotation's or aggregate's result (applied to non-None values),
    or None; ``annotations``: those an aggregate over a grouped queryset may name."""
    if isinstance(value, F):
        return _of_field(model, dialect, value.name)
    typed = isinstance(value, Aggregate) and not isinstance(value.field, str)
    if typed or isinstance(value, (Arith, Case, Value, Func, *subqueries.EXPRESSIONS)):
        scope = Scope(model, dialect)
        scope.annotations = annotations or {}
        return arithmetic.converter(scope, value)
    if not isinstance(value, Aggregate) or value.field == "*":
        return None
    if annotations and value.field in annotations:  # over the rows of a (grouped) query
        scope = Scope(model, dialect)
        scope.annotations = annotations
        kind = arithmetic.read_kind(scope, annotations[value.field])
        return arithmetic.aggregate_converter(dialect, value.function, kind)
    return _of_aggregate(model, dialect, value.function, value.field)


@functools.lru_cache(maxsize=4096)
def _of_field(model: Any, dialect: str, name: str) -> Convert | None:
    column = Scope(model, dialect).column_of(name)[1]
    return None if column is None else column_out(column, dialect)


@functools.lru_cache(maxsize=4096)
def _of_aggregate(model: Any, dialect: str, function: str, field: str) -> Convert | None:
    """The conversion of ``function(field)`` (made once per model, dialect and name)."""
    column = Scope(model, dialect).column_of(field)[1]
    if column is None or function == "count":
        return None
    if function in deviations.FUNCTIONS:  # a double everywhere
        return float
    if function == "avg":
        plain = column.logical.name == "decimal" and column.enum is None
        return (
            arithmetic.decimal_mean_converter(column.logical.scale or 0, dialect) if plain else None
        )
    if function in ("min", "max"):
        return column_out(column, dialect)
    if function == "sum" and column.logical.name in _INTEGERS and column.enum is None:
        return _integer
    if function == "sum" and column.logical.name == "timedelta" and column.enum is None:
        return _duration
    if dialect == "sqlite" and column.logical.name == "decimal" and column.enum is None:
        return _decimal_sum(column.logical.scale or 0)
    return None


def _decimal_sum(scale: int) -> Convert:
    """A SQLite Sum of decimals (whole units of the scale added as doubles, then divided:
    ``orm.compiler``) as the exact Decimal, while a double holds its digits."""
    unit = decimal.Decimal(1).scaleb(-scale)

    def convert(value: Any) -> decimal.Decimal:
        if isinstance(value, decimal.Decimal):
            return value
        if abs(value) >= 10 ** (15 - scale):
            raise InterfaceError(
                f"a SUM of decimals of {value:.0f} has more than 15 digits: SQLite adds "
                "them as doubles, which would round it"
            )
        return decimal.Decimal(repr(value)).quantize(unit, context=EXACT)

    return convert


def aggregated(
    model: Any, aggregates: dict[str, Any], row: Any, dialect: str, annotations: Any = None
) -> dict[str, Any]:
    """``aggregate()``'s dict from its one row, each value converted as ``converter`` says."""
    out = {}
    for index, (name, value) in enumerate(aggregates.items()):
        found = row[index] if row is not None else None
        convert = converter(model, value, dialect, annotations)
        out[name] = convert(found) if convert is not None and found is not None else found
    return out


def value_converters(described: list[Any], dialect: str) -> list[Any]:
    """The load conversion of each selected value (a field's, or an annotation's, as
    ``orm.selecting.select`` describes them), or None where it needs none."""
    converters: list[Any] = []
    for kind, _name, column in described:
        if kind == "annotation":  # its conversion (here), or None
            converters.append(column)
        else:
            read = column.converters(dialect)[1] if kind == "value" and column else None
            converters.append(read or (held_flag(column, dialect) if kind == "value" else None))
    return converters


def values_of(rows: Iterable[Any], described: list[Any], flat: str, dialect: str) -> list[Any]:
    """The rows of ``values()`` (``flat="dict"``) or ``values_list()`` (``"tuple"``,
    ``"flat"``, ``"named"``), each value converted as its field or annotation loads it."""
    converters = value_converters(described, dialect)
    names = [d[1] for d in described]
    if flat == "named":
        from ferrule.orm.named import row_class

        named_row = row_class(names)
    out: list[Any] = []
    for row in rows:
        values = [
            conv(v) if conv is not None and v is not None else v
            for v, conv in zip(row, converters, strict=True)
        ]
        if flat == "dict":
            out.append(dict(zip(names, values, strict=True)))
        elif flat == "flat":
            out.append(values[0])
        elif flat == "named":
            out.append(tuple.__new__(named_row, values))
        else:
            out.append(tuple(values))
    return out
