"""Decimal aggregates computed exactly on every database: ``Avg`` of decimals at the field's
scale + 4 places, and SQLite's sums of decimals as whole units of their scale (SQLite keeps a
decimal as a double, whose sum would round). ``orm.arithmetic`` compiles with these."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from typing import Any

from ferrule import sql
from ferrule.backends.sqlite_functions import MEAN_PLACES
from ferrule.errors import InterfaceError
from ferrule.orm.readers import EXACT

__all__ = ["decimal_at", "decimal_mean", "decimal_mean_converter", "sqlite_units"]

Convert = Callable[[Any], Any]

#: the digits of a decimal SQLite computes exactly (as a double, in dozens of steps)
_SQLITE_DIGITS = 14


def decimal_mean(dialect: str, arg: Any, scale: int, distinct: bool, where: str = "") -> Any:
    """``Avg`` of decimals at ``scale``: the exact mean rounded half away from zero to
    ``scale + 4`` places on every database (PostgreSQL's AVG has 16 significant digits,
    MariaDB's the scale + 4 places, SQLite's is a double). SQLite sums whole units of the
    scale as integers and divides in ``decimal_mean()`` (``backends.sqlite_functions``)."""
    if dialect == "sqlite":
        units = sql.cast(sqlite_units(arg, scale, where), "bigint")
        total = sql.func.sum(units, distinct=distinct)
        count = sql.func.count(arg, distinct=distinct)
        return sql.func.decimal_mean(total, count, sql.literal(scale))
    return sql.func.round(sql.func.avg(arg, distinct=distinct), sql.literal(scale + MEAN_PLACES))


#: whole units of a scale a double holds, and adds, exactly (a product of a decimal of 15
#: significant digits and a power of ten is within half a unit of it below 2**51)
_SQLITE_UNITS = 10**15


#: how far a double's product with a power of ten may be from the whole units it holds,
#: relative to them (two roundings of 2**-53 each); a decimal of 15 significant digits
#: with a place more than the scale is at least 1e-15 of its units away from them
_SQLITE_UNITS_SLACK = 5e-16


def sqlite_units(arg: Any, scale: int, where: str = "") -> Any:
    """SQLite: ``arg``, a decimal held as a double, as whole units of ``scale`` (a double),
    which a SUM adds exactly; a value of more units is a ``DataError`` (``ferrule_refuse``):
    its double, or its cast to BIGINT, would round it, and a total of it and smaller values
    would be silently wrong even where the total itself is small. So is a value with more
    places than ``scale`` (``0.125`` in a column of 2, written by another program), which was
    rounded to whole units without a word (reading it is refused too: ``orm.readers``).
    That is checked where ``where`` names the column summed (not an expression of columns,
    whose products carry more rounding than `_SQLITE_UNITS_SLACK`)."""
    scaled = arg * 10**scale
    units = sql.func.round(scaled)
    past = sql.func.abs(units) >= float(_SQLITE_UNITS)
    finer = sql.func.abs(scaled - units) > sql.func.abs(units) * _SQLITE_UNITS_SLACK
    column = f"{where}: " if where else ""
    message = (
        f"{column}a Sum or Avg of decimals at {scale} places on SQLite: a value of more than 15"
        " digits with its places, which SQLite adds as doubles, would round the total"
    )
    places = (
        f"{column}a Sum or Avg of decimals at {scale} places on SQLite: a value has more"
        f" places than {scale}, which the total would round (the column holds values its"
        " field does not)"
    )
    if not where:
        return sql.case((past, sql.func.ferrule_refuse(sql.literal(message))), else_=units)
    return sql.case(
        (past, sql.func.ferrule_refuse(sql.literal(message))),
        (finer, sql.func.ferrule_refuse(sql.literal(places))),
        else_=units,
    )


def decimal_mean_converter(scale: int, dialect: str) -> Convert:
    """The conversion of `decimal_mean`'s answer to its Decimal."""
    return decimal_at(scale + MEAN_PLACES, dialect)


@functools.lru_cache(maxsize=64)
def decimal_at(scale: int, dialect: str) -> Convert:
    """A decimal result at ``scale`` places; on SQLite a double, exact while 14 digits hold it."""
    unit = decimal.Decimal(1).scaleb(-scale)

    def convert(value: Any) -> decimal.Decimal:
        if isinstance(value, decimal.Decimal):
            return value.quantize(unit, context=EXACT)
        # each step of a double rounds by at most half a unit in its 16th digit: below 14
        # digits, dozens of steps stay far inside half a unit of the scale
        if isinstance(value, float) and abs(value) >= 10.0 ** (_SQLITE_DIGITS - scale):
            raise InterfaceError(
                f"a decimal expression of {value:.0f} has more than {_SQLITE_DIGITS} digits: "
                "SQLite computes decimals as doubles, which would round it"
            )
        number = decimal.Decimal(repr(value) if isinstance(value, float) else value)
        out = number.quantize(unit, context=EXACT)
        return out if out else out.copy_abs()  # SQLite's doubles keep a -0: numeric has none

    return convert
