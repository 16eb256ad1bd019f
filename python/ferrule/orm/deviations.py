"""Django's ``StdDev`` and ``Variance`` aggregates: the spread of a numeric field or
expression, of the population (``sample=False``, Django's default: the sum of squared
deviations over n) or of a sample (``sample=True``: over n - 1). Always a float, as Django's
of integer and float fields; None over no value (and, of a sample, over one value), as the
databases answer NULL.

Each database answers with its own functions, as close to Python's ``statistics`` as it can:

* PostgreSQL: ``stddev_pop``/``stddev_samp``/``var_pop``/``var_samp``, cast to a double
  (of integers and decimals they are numerics, computed with exact sums);
* MariaDB: of integers and decimals, exact DECIMAL sums and one division in doubles (its
  own functions run in doubles, losing half the digits of integers near 1e9, and show
  those of integers with 4 places); of floats, its own functions, a running mean in
  doubles whose relative error grows with ``|mean| / stddev`` (about 1e-16 of it per
  value: 1e-9 for values near 1e8 spread by 0.3);
* SQLite has none: ``ferrule_<function>`` (``backends.sqlite_exact``) adds the values as
  fractions and rounds once, so its answer is Python's ``statistics`` one, to the last bit.

``distinct=True`` is refused, as Django refuses it: the spread of the distinct values is
seldom what is meant. So is a ``Window()`` of them (``orm.windows``)."""

from __future__ import annotations

from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.expressions import Aggregate

__all__ = ["FUNCTIONS", "StdDev", "Variance", "call"]

#: the ``function`` of each (the servers' own names)
FUNCTIONS = frozenset({"stddev_pop", "stddev_samp", "var_pop", "var_samp"})


class _Deviation(Aggregate):
    __slots__ = ("function", "sample")
    #: the stem of the functions' names
    stem = ""
    #: Django's default name: ``aggregate(StdDev("n"))`` is ``{"n__stddev": ...}``
    suffix = ""

    def __init__(
        self,
        field: Any,
        *,
        sample: bool = False,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,  # taken by Aggregate.__new__ (orm.aggregate_defaults)
    ) -> None:
        if distinct:
            raise FieldError(
                f"{type(self).__name__}(distinct=True) is not supported, as in Django: "
                "aggregate over values('<field>').distinct() rows instead"
            )
        super().__init__(field, filter=filter)
        self.sample = bool(sample)
        self.function = f"{self.stem}_{'samp' if self.sample else 'pop'}"

    def __repr__(self) -> str:
        extra = (", sample=True" if self.sample else "") + (
            f", filter={self.filter!r}" if self.filter is not None else ""
        )
        return f"{type(self).__name__}({self.field!r}{extra})"


class StdDev(_Deviation):
    """The standard deviation: ``StdDev("price")``, ``StdDev("price", sample=True)``."""

    __slots__ = ()
    stem = "stddev"
    suffix = "stddev"


class Variance(_Deviation):
    """The variance: ``Variance("price")``, ``Variance("price", sample=True)``."""

    __slots__ = ()
    stem = "var"
    suffix = "variance"


def call(dialect: str, function: str, arg: Any, kind: Any) -> Any:
    """``function(arg)`` (one of ``FUNCTIONS``) over values of ``kind`` (``orm.arithmetic``'s
    ``Kind``) on ``dialect``, a double."""
    name = getattr(kind, "name", None)  # None: a column of no plain kind
    scale = 0 if name == "int" else kind.scale if name == "decimal" else None
    if dialect == "sqlite":
        return getattr(sql.func, f"ferrule_{function}")(arg)
    root = function.startswith("stddev")
    if dialect == "mysql" and scale is not None:
        variance = _mariadb_exact(arg, scale, function.endswith("samp"))
        return sql.func.sqrt(variance) if root else variance
    if dialect == "postgres" and scale is not None and root:
        # its numeric square root keeps only as many places as the variance had: of a
        # variance of 2.4e17, an integer; the root of the variance as a double is exact
        variance = sql.cast(getattr(sql.func, "var" + function[6:])(arg), "double")
        return sql.func.sqrt(variance)
    found = getattr(sql.func, function)(arg)
    if dialect == "mysql":
        return _mariadb_overflow_refused(arg, found, function)
    return sql.cast(found, "double") if dialect == "postgres" else found


#: the largest double: MariaDB's deviation of a sum of squares that overflowed
_LARGEST = 1.7976931348623157e308


def _mariadb_overflow_refused(arg: Any, found: Any, function: str) -> Any:
    """MariaDB's spread of doubles, refused where its running sums overflowed: it then
    answers in silence a variance of 0.0 and a deviation of the largest double (the sum of
    squared deviations past it), or NULL (the running mean past it), where Python's
    ``statistics`` answers or raises OverflowError and PostgreSQL raises 'out of range'.
    The population deviation of values is then the largest double or NULL, which no sum
    it can hold gives; ``EXP()`` of a number past 1e308 is the error (1690, a DataError),
    whose message shows the expression: a text in it says which aggregate and what."""
    spread = sql.func.coalesce(sql.func.stddev_pop(arg), _LARGEST)
    count = sql.func.count(arg)
    overflowed = (spread >= _LARGEST) & (count > 0)
    name = "StdDev" if function.startswith("stddev") else "Variance"
    kind = "sample" if function.endswith("samp") else "population"
    said = sql.literal(f"{name}() of a {kind} is past the largest double: its running sums")
    refused = sql.func.exp(count + _LARGEST + 0 * sql.func.octet_length(said))
    return sql.case((overflowed, refused), else_=found)


def _mariadb_exact(arg: Any, scale: int, sample: bool) -> Any:
    """The variance of exact values on MariaDB: its own functions run in doubles (a running
    mean that loses half the digits of integers near 1e9) and show the result of integers
    with 4 places. Here the sums and the numerator ``n * sum(x*x) - sum(x)**2`` are exact
    DECIMALs, and only the last division is a double's."""
    if 2 * scale > _MARIADB_PLACES:
        raise FieldError(
            f"StdDev/Variance of decimals of {scale} places on MariaDB: their squares need "
            f"{2 * scale} places, and its DECIMALs hold {_MARIADB_PLACES}"
        )
    exact = sql.cast(arg, f"decimal(65, {scale})")
    n = sql.func.count(arg)
    numerator = n * sql.func.sum(exact * exact) - sql.func.sum(exact) * sql.func.sum(exact)
    divisor = n * (n - 1) if sample else n * n
    return sql.cast(numerator, "double") / sql.func.nullif(sql.cast(divisor, "double"), 0)


#: the most decimal places a MariaDB DECIMAL holds
_MARIADB_PLACES = 38
