"""A field's lookups (``name__icontains=...``) as SQL conditions, one answer on every
database: LIKE patterns escaped and matched exactly or case-blind, ``in``/``range``/
``isnull``, whole JSON values by value (``orm.json_lookups``), encrypted and password
fields refused or matched by token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.backends.params import held
from ferrule.backends.sqlite_functions import unicode_lower
from ferrule.errors import FieldError
from ferrule.orm import (
    json_keys,
    mariadb_fold,
    pg_flags,
    regex_core,
    regex_newlines,
    sqlite_like,
)
from ferrule.orm.columns import Column
from ferrule.orm.expressions import Combinable, shown
from ferrule.orm.json_lookups import json_equal, json_in

if TYPE_CHECKING:
    from ferrule.orm.compiler import Scope

__all__ = ["ANNOTATION_LOOKUPS", "TEXT_LOOKUPS", "field_lookup", "is_json", "lookup_as_value"]


#: the lookups a filter on an annotation takes (``n__gt=1``)
ANNOTATION_LOOKUPS = ("exact", "gt", "gte", "lt", "lte", "in", "range", "isnull")
#: the further lookups a text annotation takes (``full__icontains="x"`` on a ``Concat``), matched
#: as a text field's are (``field_lookup``: the pattern escaped, case folded alike everywhere)
TEXT_LOOKUPS = (
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
)

#: the longest list of values written out as ``IN (?, ?, ...)`` on PostgreSQL (`listed`)
_MOST_LISTED = 1000


def listed(dialect: str, expr: Any, values: list[Any]) -> Any:
    """``expr IN (values)``, no NULL among them. PostgreSQL binds at most 32,767 parameters a
    statement, so there a long list is one array parameter, ``expr = ANY(?)``, of the
    column's own element type (Django's psycopg sends the values inline): the same rows, for
    any number of values, where the IN list raised the driver's InterfaceError."""
    if len(values) > _MOST_LISTED and dialect == "postgres":
        return sql.raw("? = ANY(?)", expr, values)
    return expr.in_(values)


def _escape_like(text: str) -> str:
    return sql.like_escape(text, "!")


def field_lookup(
    scope: Scope, expr: Any, column: Column | None, lookup: str, value: Any, name: str
) -> Any:
    model = scope.model.__name__
    if column is not None and column.encryption is not None and lookup != "isnull":
        return _encrypted(scope, expr, column, lookup, value, name)
    if column is not None and column.password is not None and lookup != "isnull":
        raise FieldError(
            f"{model}: {name}: {column.name} holds salted password hashes, which no value "
            "matches: use check_password()"
        )
    if isinstance(expr, json_keys.KeyPath):
        return json_keys.condition(scope.dialect, expr, lookup, value, name, model)
    if lookup in TEXT_LOOKUPS and isinstance(column, Column) and not is_text(column):
        raise FieldError(
            f"{model}: {name}: {lookup} matches text, and {column.name} holds "
            f"{column.logical.name} values, whose text each database writes its own way "
            "(SQLite 1.0, MariaDB 1; PostgreSQL has none): compare the values, or match a "
            "text annotation (Cast, Concat)"
        )
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise FieldError(f"{model}: {name} takes True or False, not {shown(value)}")
        return expr.is_(None) if value else expr.is_not(None)
    numbered = pg_flags.compared(scope.dialect, column, lookup, value)
    if numbered:  # a boolean beside an expression on PostgreSQL: either may be a smallint
        expr = sql.cast(expr, "integer")

    def side(item: Any) -> Any:
        found = scope.value(item, column)
        return pg_flags.number(found, item) if numbered else found

    if lookup == "in":
        from ferrule.orm import subqueries
        from ferrule.orm.queryset import QuerySet

        if is_json(column) and isinstance(value, (QuerySet, subqueries.Subquery)):
            raise FieldError(
                f"{model}: {name}: a JSON field compared with a subquery's rows, which "
                "PostgreSQL compares as JSON values and SQLite and MariaDB by their text: "
                "read the values first (list(...)), which are compared as JSON"
            )
        if isinstance(value, QuerySet):
            scope.subqueries = True
            subqueries.check_in(scope, value, column, name)
            rows = value._subquery(scope.dialect)
            return pg_flags.in_rows(expr, rows) if numbered else expr.in_(rows)
        if isinstance(value, subqueries.Subquery):
            subqueries.check_in(scope, value.query, column, name)
            rows = subqueries.rows(scope, value)
            return pg_flags.in_rows(expr, rows) if numbered else expr.in_(rows)
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise FieldError(f"{model}: {name} needs a list of values, not {shown(value)}")
        items = [v for v in value if v is not None]  # NULL matches nothing, as in Django
        if not items:
            return sql.raw("1 = 0")
        if is_json(column):
            return json_in(scope.dialect, expr, [scope.value(v, column) for v in items], items)
        return listed(scope.dialect, expr, [side(v) for v in items])
    if lookup == "range":
        pair = held(value)  # what a list or tuple holds, whatever its __len__ says
        if pair is None or len(pair) != 2:
            raise FieldError(f"{model}: {name} needs a (low, high) pair, not {shown(value)}")
        if pair[0] is None or pair[1] is None:  # BETWEEN NULL: unknown for every row
            raise FieldError(f"{model}: {name} cannot compare with None (use __isnull)")
        return expr.between(side(pair[0]), side(pair[1]))
    if lookup == "exact":
        if value is None:
            return expr.is_(None)
        if is_json(column):
            return json_equal(scope.dialect, expr, scope.value(value, column), value)
        return expr == side(value)
    if lookup == "iexact":
        if value is None:  # Django: `name__iexact=None` is `name IS NULL`
            return expr.is_(None)
        return _like(scope, expr, _escape_like(_text(value, name, model)), insensitive=True)
    comparisons = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}
    if lookup in comparisons:
        if value is None:
            raise FieldError(f"{model}: {name} cannot compare with None (use __isnull)")
        return getattr(expr, comparisons[lookup])(side(value))
    if lookup in ("regex", "iregex"):
        text = _text(value, name, model)
        regex_core.check(text, f"{model}: {name}")  # one reading on the three
        if lookup == "iregex":  # case folded as Python's re folds it
            regex_core.caseless(text, f"{model}: {name}")
            if scope.dialect != "sqlite":  # (SQLite's regexp() is Python's re)
                for letter, ascii_letter in regex_core.ASCII_FOLDS:
                    expr = sql.func.replace(expr, sql.literal(letter), sql.literal(ascii_letter))
        if scope.dialect == "postgres":  # newlines as Python's re reads them
            text = regex_newlines.for_postgres(text)
            if lookup == "iregex":
                expr = folded(expr)
        return expr.regex(text, ignore_case=lookup == "iregex")
    text = _text(value, name, model)
    escaped = _escape_like(text)
    pattern = {
        "contains": f"%{escaped}%",
        "startswith": f"{escaped}%",
        "endswith": f"%{escaped}",
    }[lookup.removeprefix("i")]
    if lookup.startswith("i"):
        return _like(scope, expr, pattern, insensitive=True)
    return _like(scope, expr, pattern, insensitive=False)


def is_text(column: Column) -> bool:
    """Whether a column holds text (a text field's, an enum's stored as text): what the
    text lookups match."""
    return column.logical.name in ("str", "text", "enum")  # an enum: VARCHAR everywhere


def is_json(column: Any) -> bool:
    """A JSON field compared as a whole (``orm.json_lookups``); an annotation's stand-in
    column is not one."""
    return isinstance(column, Column) and column.logical.name == "json" and column.enum is None


def _encrypted(scope: Scope, expr: Any, column: Column, lookup: str, value: Any, name: str) -> Any:
    """An EncryptedField compared: only a deterministic one, by ``exact`` or ``in``, matched
    against the value's token under every key (rows written before a rotation included)."""
    model = scope.model.__name__
    cipher = column.encryption
    if not cipher.deterministic:
        raise FieldError(
            f"{model}: {name}: {column.name} is encrypted with random nonces and cannot be "
            "filtered (declare it EncryptedField(..., deterministic=True) for exact and in)"
        )
    if lookup not in ("exact", "in"):
        raise FieldError(
            f"{model}: {name}: {column.name} is encrypted: only exact and in lookups (and "
            "isnull) can be answered"
        )
    if lookup == "exact":
        if value is None:
            return expr.is_(None)
        values = [value]
    elif isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise FieldError(f"{model}: {name} needs a list of values, not {type(value).__name__}")
    else:
        values = list(value)
    if any(isinstance(v, Combinable) for v in values):
        raise FieldError(f"{model}: {name}: an encrypted field compares with values only")
    tokens = [t for v in values for t in cipher.tokens(column.check(v, model))]
    return expr.in_(tokens) if tokens else sql.raw("1 = 0")


def _like(scope: Scope, expr: Any, pattern: str, *, insensitive: bool) -> Any:
    """Case-sensitive LIKE (case-insensitive for the ``i`` lookups) on every dialect, the
    value's own ``%``/``_`` escaped (``ferrule.sql`` states the rules). SQLite's LOWER()
    folds ASCII only, so there the column goes through ``unicode_lower()``, which ferrule's
    SQLite connections carry, and the pattern is lowered here: every letter folds as the
    servers fold it. MariaDB's LOWER() leaves some capitals as they are: there the pattern is
    lowered here and the capitals it can meet are replaced in the column first
    (``orm.mariadb_fold``)."""
    if insensitive and scope.dialect == "mysql":
        pattern = unicode_lower(pattern)
        for capital, lower in mariadb_fold.replacements(pattern):
            expr = sql.func.replace(expr, sql.literal(capital), sql.literal(lower))
    if scope.dialect == "sqlite":  # past NULs too (orm.sqlite_like)
        if insensitive:
            return sqlite_like.like(sql.func.unicode_lower(expr), unicode_lower(pattern))
        return sqlite_like.like(expr, pattern)
    if insensitive and scope.dialect == "postgres":
        expr = folded(expr)
    method = expr.ilike if insensitive else expr.like
    return method(pattern, escape="!")


def folded(expr: Any) -> Any:
    """PostgreSQL: ``expr`` in the database's default collation, whose rules fold case:
    ferrule's text columns are ``COLLATE "C"`` (``orm.schema``), under which ``ILIKE`` and
    ``~*`` fold ASCII letters only."""
    return sql.raw('(? COLLATE "default")', expr)


def _text(value: Any, name: str, model: str) -> str:
    if not isinstance(value, str):
        raise FieldError(f"{model}: {name} needs a string, not {type(value).__name__}")
    return value


def lookup_as_value(model: str, name: str, lookup: str) -> FieldError:
    """The refusal of a name ending in a lookup where a value is named (``values``,
    ``order_by``, ``F``): a lookup filters."""
    return FieldError(
        f"{model}: {name!r} ends in the lookup {lookup!r}, which filters: here name the "
        f"value itself ({name.rsplit('__', 1)[0]!r})"
    )
