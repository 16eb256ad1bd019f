"""The parts of dates, datetimes and times, as filter names (``created__year=2024``,
``created__date__lt=day``, ``born__week_day__in=[1, 7]``), with Django's meanings:

==============  =====================================================  =================
part            value                                                  fields
==============  =====================================================  =================
year month day  the calendar's (Python's ``d.year``, ...)               date, datetime
week_day        1 = Sunday ... 7 = Saturday                            date, datetime
iso_week_day    1 = Monday ... 7 = Sunday (``d.isoweekday()``)          date, datetime
week            the ISO-8601 week, 1-53 (``d.isocalendar()[1]``)        date, datetime
iso_year        the year the ISO week belongs to                       date, datetime
quarter         1-4                                                    date, datetime
hour minute     as Python's ``t.hour``, ... (``second`` without its     datetime, time
second          fraction: 59 for 59.9)
date time       the ``date()`` and ``time()`` of a datetime             datetime
==============  =====================================================  =================

A part is followed by at most one of ``exact gt gte lt lte in range isnull``, or by the parts
of what it is (``created__date__year``, ``created__time__hour``). A part the field's type does
not have (``born__hour`` on a date) is a ``FieldError`` naming the field and the part.

**Time zones.** The parts of a time-zone aware datetime are taken in UTC, on every database
(Django's answer with ``USE_TZ`` and its default ``TIME_ZONE = "UTC"``): a row written as
``2023-12-31 23:00-03:00`` is in 2024. That is how each database holds it: SQLite keeps the UTC
text (``orm.columns``), MariaDB the naive UTC datetime, and PostgreSQL's ``timestamptz`` is
read ``AT TIME ZONE 'UTC'``, so the session's time zone changes nothing. A naive datetime's
parts are its own.

**SQL.** The field is an expression inside a fixed SQL template, values stay bound parameters
(the templates hold no value and no name from the query). On SQLite the parts are read from
the ISO text ferrule writes (``YYYY-MM-DD HH:MM:SS[.ffffff][+00:00]``, fixed positions), with
``strftime`` on the date's text for the weekday and the ISO week (computed from the week's
Thursday, as ISO-8601 defines it: SQLite before 3.46 has no ``%V``). Reading the text rather
than SQLite's clock functions keeps microseconds exact (``23:59:59.999999`` is not rounded into
the next day or year). PostgreSQL uses ``EXTRACT`` cast to an integer (``second`` floored),
MariaDB its ``YEAR()``, ``DAYOFWEEK()``, ``WEEK(x, 3)``, ... functions. As in Django,
``__year`` with ``exact``, ``gt``, ``gte``, ``lt`` or ``lte`` is a range of the column itself
(``created >= 2024-01-01 AND created < 2025-01-01``, the bounds in UTC for an aware field),
which an index on it serves."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError, UnsupportedFeatureError
from ferrule.orm.columns import Column
from ferrule.orm.dated_expressions import Trunc
from ferrule.orm.expressions import (
    DATE_PARTS,
    PARTS,
    TIME_PARTS,
    TRUNC_KINDS,
    Combinable,
)
from ferrule.orm.options import did_you_mean
from ferrule.sql.types import logical_type

__all__ = ["PARTS", "PART_LOOKUPS", "part_sql", "parts_of", "transform", "trunc"]

#: logical type -> the parts its values have
_TAKES: dict[str, tuple[str, ...]] = {
    "date": DATE_PARTS,
    "datetime": PARTS,
    "datetime_tz": PARTS,
    "time": TIME_PARTS,
}

#: the lookups a part takes
PART_LOOKUPS = ("exact", "gt", "gte", "lt", "lte", "in", "range", "isnull")

#: the logical type of each part's value
_RESULT = {name: "int" for name in (*DATE_PARTS, *TIME_PARTS)} | {"date": "date", "time": "time"}


def parts_of(logical: str) -> tuple[str, ...]:
    """The parts a value of this logical type has (none for other types)."""
    return _TAKES.get(logical, ())


def transform(
    scope: Any, expr: Any, column: Column, rest: list[str], name: str, lookups: bool
) -> tuple[Any, Column, str]:
    """``(expression, column, lookup)`` for the ``rest`` of a filter name after a date, time
    or datetime field (``["year", "gte"]``): the part's SQL and a column standing for its
    values (what a compared value is checked and converted as)."""
    model = scope.model.__name__
    while rest and rest[0] in PARTS:
        part, kind = rest[0], column.logical.name
        allowed = parts_of(kind)
        if part not in allowed:
            raise FieldError(
                f"{model}: {name!r}: {part!r} is not a lookup of {column.name}, a "
                f"{_SHOWN.get(kind, kind)} field"
                + (f" (its parts: {', '.join(allowed)})" if allowed else " (it has no parts)")
            )
        expr = part_sql(expr, kind, part, scope.dialect)
        column = part_column(column, part)
        rest = rest[1:]
    if not rest:
        return expr, column, "exact"
    if len(rest) == 1 and lookups and rest[0] in PART_LOOKUPS:
        return expr, column, rest[0]
    bad = rest[0]
    names = parts_of(column.logical.name)
    if lookups:
        names = (*PART_LOOKUPS, *names)
    hint = did_you_mean(bad, names)
    raise FieldError(
        f"{model}: {name!r}: {bad!r} is not a lookup of {column.name}{hint} "
        f"(it takes: {', '.join(names) or 'nothing more'})"
    )


#: how an error names a field of each logical type
_SHOWN = {"datetime_tz": "datetime", "int": "number"}


class _PartColumn(Column):
    """The values of a part, as a column: an int, a date or a time. What the database hands
    back is loaded as the type (SQLite's text of a date or time parsed)."""

    __slots__ = ("part", "source")

    def __init__(self, source: Column, part: str) -> None:
        kind = _RESULT[part]
        name = f"{source.name}__{part}"
        super().__init__(name, source.column, logical_type(kind), nullable=source.nullable)
        self.schema = {"type": kind}
        self.source = source
        self.part = part

    def converters(self, dialect: str) -> tuple[Callable[[Any], Any] | None, Any]:
        if dialect == "sqlite" and self.logical.name in _SQLITE_PARSE:
            return None, _SQLITE_PARSE[self.logical.name]
        return None, None


def _date(value: Any) -> Any:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _time(value: Any) -> Any:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


_SQLITE_PARSE: dict[str, Callable[[Any], Any]] = {"date": _date, "time": _time}


@functools.lru_cache(maxsize=1024)
def part_column(column: Column, part: str) -> Column:
    """The column standing for ``part`` of ``column``'s values (made once per pair)."""
    return _PartColumn(column, part)


#: a year's range of a column for each comparison of its year: (bound, operator) pairs, the
#: bound the start of that year ("this") or of the next ("next")
_YEAR_RANGES = {
    "exact": (("this", "__ge__"), ("next", "__lt__")),
    "gt": (("next", "__ge__"),),
    "gte": (("this", "__ge__"),),
    "lt": (("this", "__lt__"),),
    "lte": (("next", "__lt__"),),
}


def year_range(
    scope: Any, name: str, column: Column | None, lookup: str, value: Any
) -> tuple[Any, Any] | None:
    """``created__year=2024`` (``gt``, ``gte``, ``lt``, ``lte``) as a range of ``created``
    itself (``created >= 2024-01-01 AND created < 2025-01-01``, in UTC for an aware field),
    as Django writes it, so that an index on the column serves it: ``(condition, column
    expression)``, or None where the part's own SQL is used (other parts and lookups, a part
    of a part, and the years 1 and 9999, at the ends of Python's dates)."""
    if not isinstance(column, _PartColumn) or column.part != "year" or lookup not in _YEAR_RANGES:
        return None
    source = column.source
    if isinstance(source, _PartColumn) or value is None or isinstance(value, Combinable):
        return None  # a part of a part, IS NULL, or an F()/aggregate: the part's SQL
    year = column.check(value, scope.model.__name__)
    if type(year) is not int or not 1 < year < 9999:
        return None
    parts = name.split("__")
    if parts[-1] != "year":  # the lookup after it
        parts.pop()
    expr, found = scope.column_of("__".join(parts[:-1]))
    if found is not source:
        return None
    kind = source.logical.name
    zone = dt.timezone.utc if kind == "datetime_tz" else None
    conditions = []
    for which, operator in _YEAR_RANGES[lookup]:
        start = dt.date(year + (which == "next"), 1, 1)
        bound = start if kind == "date" else dt.datetime(start.year, 1, 1, tzinfo=zone)
        conditions.append(getattr(expr, operator)(scope.value(bound, source)))
    return (sql.and_(*conditions) if len(conditions) > 1 else conditions[0]), expr


def part_sql(expr: Any, kind: str, part: str, dialect: str) -> Any:
    """The SQL of ``part`` of ``expr``, a value of logical type ``kind``."""
    build = _BUILDERS.get(dialect)
    if build is None:
        raise UnsupportedFeatureError(dialect, "a date or time part (created__year)")
    return build(expr, kind, part)


# -- SQLite: the ISO text --------------------------------------------------------------------

#: (first character, length) of each part in the text of a date or datetime, and of a time
_DATE_AT = {"year": (1, 4), "month": (6, 2), "day": (9, 2)}
_CLOCK_AT = {"hour": (12, 2), "minute": (15, 2), "second": (18, 2)}
_TIME_AT = {"hour": (1, 2), "minute": (4, 2), "second": (7, 2)}

#: 0 = Monday ... 6 = Sunday, of the date text ``?``
_MONDAY_0 = "((CAST(strftime('%w', ?) AS INTEGER) + 6) % 7)"


def _sqlite(expr: Any, kind: str, part: str) -> Any:
    if kind == "time":
        start, length = _TIME_AT[part]
        return sql.raw(f"CAST(substr(?, {start}, {length}) AS INTEGER)", expr)
    if part in _DATE_AT:
        start, length = _DATE_AT[part]
        return sql.raw(f"CAST(substr(?, {start}, {length}) AS INTEGER)", expr)
    if part in _CLOCK_AT:
        start, length = _CLOCK_AT[part]
        return sql.raw(f"CAST(substr(?, {start}, {length}) AS INTEGER)", expr)
    if part == "quarter":
        return sql.raw("((CAST(substr(?, 6, 2) AS INTEGER) + 2) / 3)", expr)
    if part == "time":  # after the date and its space; before the "+00:00" of an aware one
        if kind == "datetime_tz":
            return sql.raw("substr(?, 12, length(?) - 17)", expr, expr)
        return sql.raw("substr(?, 12)", expr)
    day = expr if kind == "date" else sql.raw("substr(?, 1, 10)", expr)
    if part == "date":
        return day
    if part == "week_day":
        return sql.raw("(CAST(strftime('%w', ?) AS INTEGER) + 1)", day)
    if part == "iso_week_day":
        return sql.raw(f"({_MONDAY_0} + 1)", day)
    # the ISO week and its year are those of the week's Thursday
    thursday = sql.raw(f"(julianday(?) + 3 - {_MONDAY_0})", day, day)
    if part == "iso_year":
        return sql.raw("CAST(strftime('%Y', ?) AS INTEGER)", thursday)
    return sql.raw("((CAST(strftime('%j', ?) AS INTEGER) - 1) / 7 + 1)", thursday)


# -- PostgreSQL: EXTRACT -----------------------------------------------------------------------

_EXTRACT = {
    "year": "YEAR",
    "month": "MONTH",
    "day": "DAY",
    "week_day": "DOW",
    "iso_week_day": "ISODOW",
    "week": "WEEK",
    "iso_year": "ISOYEAR",
    "quarter": "QUARTER",
    "hour": "HOUR",
    "minute": "MINUTE",
}


def _postgres(expr: Any, kind: str, part: str) -> Any:
    if kind == "datetime_tz":
        expr = sql.raw("(? AT TIME ZONE 'UTC')", expr)
        kind = "datetime"
    if part == "date":
        return sql.raw("CAST(? AS DATE)", expr)
    if part == "time":
        return sql.raw("CAST(? AS TIME)", expr)
    if part == "second":
        return sql.raw("CAST(FLOOR(EXTRACT(SECOND FROM ?)) AS INTEGER)", expr)
    found = sql.raw(f"CAST(EXTRACT({_EXTRACT[part]} FROM ?) AS INTEGER)", expr)
    return sql.raw("(? + 1)", found) if part == "week_day" else found


# -- MariaDB / MySQL: the date functions --------------------------------------------------------

_MYSQL = {
    "year": "YEAR(?)",
    "month": "MONTH(?)",
    "day": "DAYOFMONTH(?)",
    "week_day": "DAYOFWEEK(?)",
    "iso_week_day": "(WEEKDAY(?) + 1)",
    "week": "WEEK(?, 3)",
    "iso_year": "(YEARWEEK(?, 3) DIV 100)",
    "quarter": "QUARTER(?)",
    "hour": "HOUR(?)",
    "minute": "MINUTE(?)",
    "second": "SECOND(?)",
    "date": "DATE(?)",
    "time": "TIME(?)",
}


def _mysql(expr: Any, kind: str, part: str) -> Any:
    return sql.raw(_MYSQL[part], expr)


_BUILDERS: dict[str, Callable[[Any, str, str], Any]] = {
    "sqlite": _sqlite,
    "postgres": _postgres,
    "mysql": _mysql,
}


# -- Trunc ----------------------------------------------------------------------------------------

#: logical type -> what Trunc rounds its values to
_TRUNCS = {
    "date": TRUNC_KINDS[:5],
    "datetime": TRUNC_KINDS,
    "datetime_tz": TRUNC_KINDS,
    "time": TRUNC_KINDS[5:],
}


def trunc(scope: Any, value: Trunc) -> Any:
    """The SQL of ``Trunc(field, kind)``: a value of the field's own type and storage (so it
    is loaded, compared and ordered as the field is)."""
    expr, column = scope.column_of(value.name)
    kind = column.logical.name if column is not None else ""
    allowed = _TRUNCS.get(kind, ())
    if column is None or value.kind not in allowed or column.encryption is not None:
        what = f"a {_SHOWN.get(kind, kind)} field" if column is not None else "a relation"
        raise FieldError(
            f"{scope.model.__name__}: {value!r}: {value.name} is {what}, which cannot be "
            f"truncated to its {value.kind}"
            + (f" (only to its {', '.join(allowed)})" if allowed else "")
        )
    build = _TRUNC_BUILDERS.get(scope.dialect)
    if build is None:
        raise UnsupportedFeatureError(scope.dialect, "Trunc()")
    return build(expr, kind, value.kind)


def _sqlite_trunc(expr: Any, kind: str, to: str) -> Any:
    """The text ferrule would write for the rounded value (``orm.columns``)."""
    zone = "+00:00" if kind == "datetime_tz" else ""
    if kind == "time":
        length = {"hour": 2, "minute": 5, "second": 8}[to]
        return sql.raw(f"(substr(?, 1, {length}) || '{':00:00'[: 8 - length]}')", expr)
    if to in ("hour", "minute", "second"):
        length = {"hour": 13, "minute": 16, "second": 19}[to]
        return sql.raw(f"(substr(?, 1, {length}) || '{':00:00'[: 19 - length]}{zone}')", expr)
    day = expr if kind == "date" else sql.raw("substr(?, 1, 10)", expr)
    if to == "year":
        found = sql.raw("(substr(?, 1, 4) || '-01-01')", day)
    elif to == "quarter":
        found = sql.raw(  # the quarter's first month from "01040710" (NULL stays NULL)
            "(substr(?, 1, 5) || substr('01040710', "
            "(CAST(substr(?, 6, 2) AS INTEGER) - 1) / 3 * 2 + 1, 2) || '-01')",
            day,
            day,
        )
    elif to == "month":
        found = sql.raw("(substr(?, 1, 7) || '-01')", day)
    elif to == "week":
        found = sql.raw(f"date(?, printf('-%d days', {_MONDAY_0}))", day, day)
    else:
        found = day
    return found if kind == "date" else sql.raw(f"(? || ' 00:00:00{zone}')", found)


def _postgres_trunc(expr: Any, kind: str, to: str) -> Any:
    if kind == "time":
        return sql.raw(f"CAST(date_trunc('{to}', CAST(? AS INTERVAL)) AS TIME)", expr)
    local = sql.raw("(? AT TIME ZONE 'UTC')", expr) if kind == "datetime_tz" else expr
    found = sql.raw(f"date_trunc('{to}', ?)", local)
    if kind == "date":
        return sql.raw("CAST(? AS DATE)", found)
    if kind == "datetime_tz":
        return sql.raw("(? AT TIME ZONE 'UTC')", found)
    return found


_MYSQL_DAYS = {
    # (not MAKEDATE: it reads years below 100 as 19xx/20xx)
    "year": "(DATE(?) - INTERVAL (DAYOFYEAR(?) - 1) DAY)",
    "quarter": "(DATE(?) - INTERVAL (DAYOFYEAR(?) - 1) DAY + INTERVAL (QUARTER(?) - 1) QUARTER)",
    "month": "(DATE(?) - INTERVAL (DAYOFMONTH(?) - 1) DAY)",
    "week": "(DATE(?) - INTERVAL WEEKDAY(?) DAY)",
    "day": "DATE(?)",
}
_MYSQL_CLOCKS = {
    "hour": "MAKETIME(HOUR(?), 0, 0)",
    "minute": "MAKETIME(HOUR(?), MINUTE(?), 0)",
    "second": "MAKETIME(HOUR(?), MINUTE(?), SECOND(?))",
}


def _mysql_trunc(expr: Any, kind: str, to: str) -> Any:
    template = _MYSQL_DAYS.get(to) or _MYSQL_CLOCKS[to]
    found = sql.raw(template, *[expr] * template.count("?"))
    if kind in ("date", "time"):
        return found
    if to in _MYSQL_CLOCKS:
        return sql.raw("TIMESTAMP(DATE(?), ?)", expr, found)
    return sql.raw("TIMESTAMP(?)", found)


_TRUNC_BUILDERS: dict[str, Callable[[Any, str, str], Any]] = {
    "sqlite": _sqlite_trunc,
    "postgres": _postgres_trunc,
    "mysql": _mysql_trunc,
}
