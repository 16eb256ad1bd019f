"""Date and duration arithmetic in expressions (``orm.arithmetic`` hands it what is not
numbers): one answer on SQLite, PostgreSQL and MariaDB, Python's own, exact to the microsecond.

==========================================  ==========================================
expression                                  gives
==========================================  ==========================================
aware datetime ± timedelta (either order     an aware datetime: the instant that many
for ``+``)                                  microseconds later (a day is 24 h, as in
                                            Python; never the session's time zone)
naive datetime ± timedelta                  a naive datetime
date ± timedelta                            a date, moved by the timedelta's whole days
                                            (``td.days``, rounded down, then added or
                                            taken: Python's ``date ± td``, so
                                            ``date - 1 µs`` is the same date)
aware - aware, naive - naive, date - date   a timedelta
timedelta ± timedelta                       a timedelta
==========================================  ==========================================

Anything else with a date, datetime or timedelta (a datetime plus a datetime, aware minus
naive, a date minus a datetime, a duration times a number, None beside them) is a
``FieldError``: Python has no answer for it either.

Each database computes on what it stores (``sql.types``): SQLite on the ISO text and whole
microseconds, through ``ferrule_shift()``/``ferrule_between()`` (Python's datetime arithmetic,
``backends.sqlite_moments``); MariaDB with ``+ INTERVAL n MICROSECOND``,
``TIMESTAMPDIFF(MICROSECOND, ...)`` and ``DATEDIFF`` on its naive UTC ``DATETIME(6)``;
PostgreSQL with ``interval``, an aware value moved in UTC (``AT TIME ZONE 'UTC'``) so that a
day is 24 hours whatever the session's time zone. A result keeps the storage of its type, so
it compares with a column (``filter(end__gt=F("start") + td)``) and can be stored by
``update()``.

A result outside Python's years 1-9999 is a ``DataError`` on the three, wherever it is
computed (read, compared in a filter, written by ``update()``): on SQLite from
``ferrule_shift()``, on MariaDB from its date functions (NULL with warning 1441, which the
database layer raises), on PostgreSQL from a range check (``_within_years``; its own dates
reach year 5,874,897)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.backends.plain import plain_value
from ferrule.errors import DataError, FieldError, InterfaceError

if TYPE_CHECKING:
    from ferrule.orm.arithmetic import Kind
    from ferrule.orm.compiler import Scope

__all__ = [
    "TEMPORAL",
    "check_compared",
    "combined",
    "constant",
    "constant_kind",
    "converter",
    "operator",
]

#: the kinds (``arithmetic.Kind`` names) of dates, datetimes and durations
TEMPORAL = frozenset({"datetime_tz", "datetime", "date", "timedelta"})
_MOMENTS = frozenset({"datetime_tz", "datetime", "date"})
_UTC = dt.timezone.utc
_MICRO = dt.timedelta(microseconds=1)
_DAY_MICROS = 86_400_000_000

#: (left kind, operator, right kind) -> result kind
_RULES: dict[tuple[str, str, str], str] = {}
for _moment in _MOMENTS:
    _RULES[(_moment, "+", "timedelta")] = _moment
    _RULES[("timedelta", "+", _moment)] = _moment
    _RULES[(_moment, "-", "timedelta")] = _moment
    _RULES[(_moment, "-", _moment)] = "timedelta"
_RULES[("timedelta", "+", "timedelta")] = "timedelta"
_RULES[("timedelta", "-", "timedelta")] = "timedelta"


def _kind(name: str) -> Kind:
    from ferrule.orm.arithmetic import Kind

    return Kind(name)


def constant_kind(value: Any) -> Kind | None:
    """The kind of a date, datetime or timedelta constant; None for any other value."""
    if isinstance(value, dt.datetime):
        aware = dt.datetime.utcoffset(value) is not None  # not a subclass's own answer
        return _kind("datetime_tz" if aware else "datetime")
    if isinstance(value, dt.date):
        return _kind("date")
    if isinstance(value, dt.timedelta):
        return _kind("timedelta")
    return None


def temporal(kind: Kind) -> str | None:
    """The temporal name of a kind (a field's by its logical type), or None."""
    if kind.name in TEMPORAL:
        return kind.name
    column = kind.column
    if kind.name != "field" or column.enum is not None or column.encryption is not None:
        return None
    name: str = column.logical.name
    return name if name in TEMPORAL else None


def combined(scope: Scope, value: Any, left: Kind, right: Kind) -> Kind | None:
    """The kind of ``value`` (an ``Arith``) when a side is temporal (None when neither is);
    a ``FieldError`` when Python has no answer for it."""
    a, b = temporal(left), temporal(right)
    if a is None and b is None:
        return None
    found = _RULES.get((a or left.name, value.op, b or right.name))
    if found is None:
        raise FieldError(
            f"{scope.model.__name__}: {value!r} has no one answer: dates and datetimes take "
            "+ or - a timedelta, or - one of the same kind (aware with aware, naive with "
            "naive, date with date); timedeltas take + or - a timedelta"
        )
    return _kind(found)


def check_compared(scope: Scope, value: Any, column: Any) -> None:
    """Refuse arithmetic compared with (or stored in) ``column`` when either is a date,
    datetime or duration and the other is not of the same kind: each database would compare
    its own storage (SQLite: an aware datetime's text with a naive one's)."""
    from ferrule.orm.arithmetic import Kind, kind_of

    kind = temporal(kind_of(scope, value))
    logical = getattr(column, "logical", None)
    if logical is None:  # an annotation's stand-in: no field to compare with
        return
    own = temporal(Kind("field", column=column))
    if kind != own and (kind is not None or own is not None):
        raise FieldError(
            f"{scope.model.__name__}: {column.name} ({logical.name}) compared with or set to "
            f"{value!r}, which gives a {kind or 'number or text'}: compare a field with "
            "arithmetic of its own kind"
        )


class Compared:
    """The type of a date, datetime or duration annotation compared in a filter
    (``annotate(took=F("end") - F("start")).filter(took__gt=timedelta(hours=1))``): the
    ``Column`` interface ``Scope.value`` uses. A value of the annotation's own kind only (an
    aware datetime for an aware one, a date that is no datetime for a date), sent in the
    storage of that kind (the backends store an aware datetime in UTC themselves)."""

    __slots__ = ("encryption", "kind", "password", "relation")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.encryption = self.password = self.relation = None

    def check(self, value: Any, owner: str) -> Any:
        found = constant_kind(value)
        if found is None or found.name != self.kind:
            from ferrule.orm.expressions import shown

            raise FieldError(
                f"{owner}: a {self.kind} annotation compares with a {_SHOWN[self.kind]}, "
                f"not {shown(value)}"
            )
        return value

    def converters(self, dialect: str) -> tuple[Any, None]:
        if self.kind == "timedelta" and dialect != "postgres":
            return _to_micros, None
        return None, None


_SHOWN = {
    "timedelta": "timedelta",
    "datetime_tz": "time-zone aware datetime",
    "datetime": "naive datetime",
    "date": "date (not a datetime)",
}


def _to_micros(value: dt.timedelta) -> int:
    held: dt.timedelta = plain_value(value)  # (a subclass's __floordiv__ may lie)
    return held // _MICRO


# -- SQL -------------------------------------------------------------------------------------


def constant(scope: Scope, value: Any, kind: Kind) -> Any:
    """A date, datetime or timedelta constant, bound in the storage of its type."""
    dialect = scope.dialect
    name = kind.name
    value = plain_value(value)  # what a subclass instance holds: its methods may lie
    if name == "timedelta":
        micros = value // _MICRO
        if not -(2**63) <= micros < 2**63:
            raise DataError(f"{value!r} is past 64 bits of microseconds: {_PAST_64_BITS}")
        if dialect == "postgres":
            return sql.cast(sql.literal(value), "interval")
        return sql.literal(micros)
    if name == "datetime_tz":
        moment = value.astimezone(_UTC)
        if dialect == "sqlite":
            return sql.literal(moment.isoformat(" "))
        if dialect == "mysql":
            return sql.cast(sql.literal(moment.replace(tzinfo=None)), "DATETIME(6)")
        return sql.cast(sql.literal(moment), "timestamptz")
    if name == "datetime":
        if dialect == "sqlite":
            return sql.literal(value.isoformat(" "))
        return sql.cast(sql.literal(value), "DATETIME(6)" if dialect == "mysql" else "timestamp")
    day = dt.date(value.year, value.month, value.day)
    if dialect == "sqlite":
        return sql.literal(day.isoformat())
    return sql.cast(sql.literal(day), "date")


def operator(scope: Scope, op: str, left: Kind, right: Kind, a: Any, b: Any) -> Any:
    """``a op b`` (compiled sides of kinds ``left`` and ``right``), computed on the storage."""
    first, second = temporal(left), temporal(right)
    if first == "timedelta" and second in _MOMENTS:  # td + moment: the moment first
        first, second, a, b = second, first, b, a
    dialect = scope.dialect
    if first == "timedelta":  # timedelta ± timedelta: microseconds, or intervals
        return _within_64_bits(dialect, a + b if op == "+" else a - b)
    if second == "timedelta":
        if dialect == "sqlite":
            return sql.func.ferrule_shift(a, b, sql.literal(1 if op == "+" else -1))
        if first == "date":  # by the duration's whole days, rounded down (Python's)
            if dialect == "mysql":
                days = f"((? DIV {_DAY_MICROS}) - (? MOD {_DAY_MICROS} < 0))"
                return sql.raw(f"(? {op} INTERVAL {days} DAY)", a, b, b)
            days = "(CAST(TIMESTAMP '2000-01-01' + ? AS date) - DATE '2000-01-01')"
            return _within_years("date", sql.raw(f"(? {op} {days})", a, b))
        if dialect == "mysql":
            return sql.raw(f"(? {op} INTERVAL ? MICROSECOND)", a, b)
        if first == "datetime_tz":
            moved = _within_years("timestamp", sql.raw(f"((? AT TIME ZONE 'UTC') {op} ?)", a, b))
            return sql.raw("(? AT TIME ZONE 'UTC')", moved)
        return _within_years("timestamp", sql.raw(f"(? {op} ?)", a, b))
    # moment - moment: a timedelta
    if dialect == "sqlite":
        return sql.func.ferrule_between(a, b)
    if dialect == "mysql":
        if first == "date":
            return sql.raw(f"(DATEDIFF(?, ?) * {_DAY_MICROS})", a, b)
        return sql.raw("TIMESTAMPDIFF(MICROSECOND, ?, ?)", b, a)
    if first == "date":
        return sql.raw("((? - ?) * INTERVAL '1 day')", a, b)
    return sql.raw("(? - ?)", a, b)


#: why a duration must fit in 64 bits of microseconds (about 292,000 years)
_PAST_64_BITS = "SQLite and MariaDB store a duration in them, so no database answers past them"
#: the 64-bit microseconds, as PostgreSQL intervals
_MOST_INTERVAL = "INTERVAL '106751991 days 04:00:54.775807'"
_LEAST_INTERVAL = "INTERVAL '-106751991 days -04:00:54.775808'"


def _within_64_bits(dialect: str, total: Any) -> Any:
    """A sum of durations, or a ``DataError`` past 64 bits of microseconds, as MariaDB's
    BIGINT arithmetic raises: SQLite's sum turns into a double there (refused, as
    ``ferrule_refuse()``), PostgreSQL's interval goes on (range-checked)."""
    if dialect == "mysql":
        return total
    message = f"a duration past 64 bits of microseconds: {_PAST_64_BITS}"
    if dialect == "sqlite":
        refused = sql.func.ferrule_refuse(sql.literal(message))
        return sql.raw("CASE typeof(?) WHEN 'real' THEN ? ELSE ? END", total, refused, total)
    return sql.raw(
        f"CASE WHEN ? BETWEEN {_LEAST_INTERVAL} AND {_MOST_INTERVAL} THEN ? "
        "ELSE CAST(CAST(? AS text) || ' is ' || ? AS interval) END",
        total,
        total,
        total,
        message,
    )


def _within_years(type_: str, moved: Any) -> Any:
    """PostgreSQL's ``moved`` (a ``date`` or a naive ``timestamp``), or a ``DataError`` when it
    is outside Python's years 1-9999, as SQLite and MariaDB answer: PostgreSQL's dates reach
    year 5,874,897, so a filter compared past 9999 and ``update()`` stored a date no Python
    program reads. The error is a cast of text naming the value (a constant text would be
    cast when the statement is planned, whichever branch is taken)."""
    low, high = ("0001-01-01", "9999-12-31 23:59:59.999999")
    if type_ == "date":
        high = "9999-12-31"
    return sql.raw(
        f"CASE WHEN ? BETWEEN {type_.upper()} '{low}' AND {type_.upper()} '{high}' THEN ? "
        f"ELSE CAST(CAST(? AS text) || ' is outside Python''s years 1-9999' AS {type_}) END",
        moved,
        moved,
        moved,
    )


# -- results ---------------------------------------------------------------------------------


def converter(kind: Kind, dialect: str) -> Callable[[Any], Any] | None:
    """The conversion of a temporal expression's value as the database hands it over."""
    name = kind.name
    if name == "timedelta":
        return None if dialect == "postgres" else _from_micros
    if dialect == "sqlite":
        return _date_text if name == "date" else _datetime_text
    if name == "datetime_tz" and dialect == "mysql":
        return _utc
    if name == "date":
        return _date
    return None


def _from_micros(value: Any) -> dt.timedelta:
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        value = int(value)
    if type(value) is not int:
        raise InterfaceError(
            f"a duration of {value!r} microseconds is no whole number: past 64 bits SQLite "
            "computes in doubles, which would round it"
        )
    return dt.timedelta(microseconds=value)


def _datetime_text(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _date_text(value: Any) -> dt.date:
    return _date(value if isinstance(value, dt.date) else dt.date.fromisoformat(value))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):  # a DATE() a driver hands over as a datetime
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def _utc(value: Any) -> dt.datetime:
    return value.replace(tzinfo=_UTC) if isinstance(value, dt.datetime) else value
