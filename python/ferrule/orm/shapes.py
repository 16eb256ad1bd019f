"""The SQL of common QuerySets, cached by shape: a query whose filters are plain comparisons
(``field=value``, ``field__gte=value``, also across relations), with any ordering, fields,
joins and limit/offset, is compiled once per (model, dialect, shape); later queries of that
shape only convert their values and run the cached text. ``get(id=5)`` thus costs about what
the database call costs.

A shape is cached only after a check: the parameters the full compiler produced for the first
query must be exactly the ones the cache would send (filter values in order, then LIMIT,
then OFFSET; on PostgreSQL the LIMIT is in the text, ``compiler.INLINE_LIMIT``, and its value
part of the shape). Anything else (``None``, ``F()``, ``Q`` trees with OR/NOT, other lookups,
annotations) always takes the full compiler."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from ferrule.orm import loading, value_rows
from ferrule.orm.compiler import INLINE_LIMIT, LOOKUPS, Scope
from ferrule.orm.expressions import Q, plain_keywords
from ferrule.orm.json_keys import KeyPath
from ferrule.orm.lookups import is_json
from ferrule.orm.refusals import refuse_nul_condition

__all__ = ["Entry", "fill", "keyed", "shape"]

_SCALARS = frozenset(
    {int, str, float, bool, bytes, decimal.Decimal, dt.date, dt.datetime, dt.time, uuid.UUID}
)
_PLAIN_LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte"})
_OTHER_LOOKUPS = frozenset(LOOKUPS) - _PLAIN_LOOKUPS
_MAX = 4096
#: shape -> Entry, or None for a shape that failed the check
_CACHE: dict[tuple[Any, ...], Entry | None] = {}
_NO_LIMIT = 2**62


class Entry:
    __slots__ = (
        "checks", "converters", "described", "plan", "rows", "text", "with_limit", "with_offset"
    )  # fmt: skip

    def __init__(
        self,
        text: str,
        described: list[Any],
        converters: list[Any],
        plan: Any,
        with_limit: bool,
        with_offset: bool,
    ) -> None:
        self.text = text
        self.described = described
        self.converters = converters
        #: per converter, ``(exact, low, high, convert)``: a value of type ``exact`` (and,
        #: with bounds, ``low <= value <= high``) is sent as it is, without the call
        self.checks = [_check_of(c) for c in converters]
        self.plan = plan
        #: of a ``values()``/``values_list()`` shape, what makes its items of the driver's
        #: rows (``orm.value_rows``); None for instances
        self.rows: value_rows.Maker | None = None
        self.with_limit = with_limit
        self.with_offset = with_offset

    def params(self, values: list[Any], limit: int | None, offset: int | None) -> list[Any]:
        checks = self.checks
        if len(values) != len(checks):
            raise ValueError(f"{len(values)} filter values for {len(checks)} parameters")
        out = []
        index = 0  # no zip(): it costs more than the loop itself
        for value in values:
            exact, low, high, convert = checks[index]
            index += 1  # noqa: SIM113 - enumerate() costs a tuple a value
            if type(value) is exact and (low is None or low <= value <= high):
                out.append(value)
            else:
                out.append(convert(value))
        if self.with_limit:
            out.append(_NO_LIMIT if limit is None else limit)
        if self.with_offset:
            out.append(offset)
        return out


class _Passes:
    """A filter value's conversion that sends a value of type ``exact`` (within ``bounds``,
    when given) as it is and checks any other with ``validate`` (the field's check);
    ``Entry.params`` skips the call for those."""

    __slots__ = ("bounds", "exact", "validate")

    def __init__(self, exact: type, validate: Any, bounds: tuple[int, int] | None) -> None:
        self.exact = exact
        self.validate = validate
        self.bounds = bounds

    def __call__(self, value: Any) -> Any:
        value_: Any = value
        if type(value_) is self.exact:
            bounds = self.bounds
            if bounds is None or bounds[0] <= value_ <= bounds[1]:  # type: ignore[operator]
                return value_
        return self.validate(value_)


def _check_of(convert: Any) -> tuple[Any, Any, Any, Any]:
    """``Entry.checks``' entry for ``convert``: ``(None, None, None, convert)`` unless it is a
    ``_Passes``."""
    if type(convert) is not _Passes:
        return None, None, None, convert
    low, high = convert.bounds or (None, None)
    return convert.exact, low, high, convert


def _converter(column: Any, owner: str, dialect: str) -> Any:
    """What a filter value goes through: the field's check, then the storage conversion
    (one call a value: the check's exact type passes at once)."""
    if column is None:
        return lambda value: value
    to_db = column.converters(dialect)[0]
    if column.schema is None:
        return (lambda value: value) if to_db is None else to_db
    exact, validate = column.checker(owner)
    if to_db is None:
        bounds = column.int_range(owner)
        if bounds is not None:  # an int within the column's range passes as it is
            return _Passes(int, validate, bounds)
        return _Passes(exact, validate, None) if exact is not None else validate
    return lambda value: to_db(value if type(value) is exact else validate(value))


def _filters(qs: Any) -> tuple[tuple[str, ...], list[Any]] | None:
    """The names (with lookups) and values of ``qs``'s filters when they are all plain
    comparisons, ANDed; else None. A ``""`` ends each ``filter()`` call's names: calls
    that name the same to-many relation differ from one call naming it twice."""
    names: list[str] = []
    values: list[Any] = []
    for q in qs._where:
        if names:
            names.append("")
        if q.negated or q.connector != "and":
            return None
        for child in q.children:
            if type(child) is Q:
                return None
            name, value = child
            if type(value) not in _SCALARS or type(name) is not str:
                return None  # (a str subclass's == may make its shape another name's)
            last = name.rpartition("__")[2]
            if last in _OTHER_LOOKUPS and last != name:
                return None
            names.append(name)
            values.append(value)
    return tuple(names), values


def shape(qs: Any, dialect: str) -> tuple[tuple[Any, ...], list[Any]] | None:
    """``(key, values)`` when ``qs`` has a cacheable shape, else None."""
    if qs._annotations or qs._group is not None:  # GROUP BY/HAVING: never a shared text
        return None
    found = _filters(qs)
    if found is None:
        return None
    names, values = found
    key = (
        qs._model,
        dialect,
        names,
        qs._order,
        qs._limit if dialect in INLINE_LIMIT else qs._limit is not None,  # in the text there
        bool(qs._offset),
        qs._fields,
        qs._related,
        qs._values,
        qs._flat,
        qs._distinct,
        qs._lock,
    )
    return key, values


def _converters(qs: Any, dialect: str, names: tuple[str, ...]) -> list[Any] | None:
    """What each filter value goes through, or None: a name reaches inside a JSON field
    (``data__owner__name``, ``data__has_key``), whose value is no value of the field's own
    type (``json_keys`` binds it), or compares a JSON field, whose value is bound in a
    canonical form (``orm.json_lookups``: ``7e0`` on SQLite), not its storage text (``7``),
    which the first value of a shape may share (``"x"``): that shape is not cached."""
    scope = Scope(qs._model, dialect)
    out = []
    for name in names:
        if name:
            expr, column, lookup = scope.resolve(name, lookups=True)
            if isinstance(expr, KeyPath) or is_json(column):
                return None
            convert = _converter(column, qs._model.__name__, dialect)
            if dialect == "postgres" and column is not None and column.logical.name in _TEXTS:
                field = name[: -len(lookup) - 2] if name.endswith("__" + lookup) else name
                convert = _nul_refused(qs._model, field, column, convert)
            out.append(convert)
    return out


#: the fields whose PostgreSQL filter values are searched for a U+0000 (text, jsonb)
_TEXTS = ("str", "text", "json")


def _nul_refused(model: Any, field: str, column: Any, convert: Any) -> Any:
    """``convert`` after the compiler's refusal of a U+0000 in a PostgreSQL text filter
    (``refusals.refuse_nul_condition``): a cached shape sends its values unseen by it. On
    PostgreSQL only, for text and JSON fields: a call a value there."""

    def checked(value: Any) -> Any:
        refuse_nul_condition(model, field, column, value)
        return convert(value)

    return checked


def _same(expected: list[Any], params: list[Any]) -> bool:
    """Whether the compiler's parameters are exactly the ones the cache would send."""
    return len(expected) == len(params) and all(
        type(a) is type(b) and a == b for a, b in zip(expected, params, strict=True)
    )


#: (model, dialect, filter names) -> (COUNT(*) text, converters), or None: not cacheable
_COUNTS: dict[tuple[Any, ...], tuple[str, list[Any]] | None] = {}


def count_statement(qs: Any, dialect: str) -> tuple[str, list[Any]] | None:
    """``(sql, params)`` of ``qs.count()`` (no distinct, slice or annotations) from the text
    cached for its filters' shape (made and checked on first use), or None: the caller
    compiles it."""
    if qs._annotations or qs._group is not None:
        return None
    found = _filters(qs)
    if found is None:
        return None
    names, values = found
    key = (qs._model, dialect, names)
    entry: Any = _COUNTS.get(key, False)
    if entry is False:
        entry = None
        query = qs._count_query(dialect)
        if query is not None:
            text, params = query.compile(dialect)
            converters = _converters(qs, dialect, names)
            expected = (
                None
                if converters is None
                else [convert(v) for v, convert in zip(values, converters, strict=True)]
            )
            if expected is not None and _same(expected, params):
                if not params and dialect == "mysql":
                    text = text.replace("%%", "%")  # sent unformatted (database.compile_query)
                entry = (text, converters)
        if len(_COUNTS) >= _MAX:
            _COUNTS.clear()
        _COUNTS[key] = entry
    if entry is None:
        return None
    text, converters = entry
    return text, [convert(v) for v, convert in zip(values, converters, strict=True)]


def find(qs: Any, dialect: str) -> tuple[Entry, list[Any]] | None:
    """``(entry, values)`` of ``qs``'s shape, compiled and checked on first use; None when
    ``qs`` has no cacheable shape or its shape failed the check."""
    shaped = shape(qs, dialect)
    if shaped is None:
        return None
    key, values = shaped
    entry = _CACHE.get(key, False)
    if entry is False:
        entry = fill(qs, dialect, key, values)
    return None if entry is None else (entry, values)  # type: ignore[return-value]


def lookup(key: tuple[Any, ...]) -> Entry | bool | None:
    """The cached entry, None (not cacheable) or False (not seen yet)."""
    return _CACHE.get(key, False)


def fill(qs: Any, dialect: str, key: tuple[Any, ...], values: list[Any]) -> Entry | None:
    """Compile ``qs`` in full and cache its text if the check passes."""
    query, described = qs._select(dialect)
    text, params = query.compile(dialect)
    converters = _converters(qs, dialect, key[2])
    with_limit = (qs._limit is not None and dialect not in INLINE_LIMIT) or (
        bool(qs._offset) and dialect in ("sqlite", "mysql")
    )
    made = Entry(text, described, converters or [], None, with_limit, bool(qs._offset))
    entry: Entry | None = made
    if converters is None or not _same(made.params(values, qs._limit, qs._offset), params):
        entry = None
    else:
        if not params and dialect == "mysql":
            made.text = text.replace("%%", "%")  # sent unformatted (see database.compile_query)
        if qs._flat is None:
            fields = tuple(d[1] for d in described if d[0] == "field")
            made.plan = loading.plan_for(qs._model, fields, dialect)
        else:
            made.rows = value_rows.maker(described, qs._flat, dialect)
    if len(_CACHE) >= _MAX:
        _CACHE.clear()
    _CACHE[key] = entry
    return entry


#: (model, dialect, keyword names) -> (entry, the names in the order of the parameters, the
#: entry's checks whose exact type is a plain scalar: any other value takes the general path)
_GETS: dict[tuple[Any, ...], tuple[Entry, tuple[str, ...], list[Any]] | None] = {}


def get_entry(model: Any, dialect: str, kwargs: dict[str, Any]) -> tuple[Entry, list[Any]] | None:
    """``Model.get(**kwargs)`` without building a QuerySet: the cached entry of its shape
    (LIMIT 2) and its parameters, or None to take the general path."""
    if not plain_keywords(kwargs):  # a str subclass's == may make its key another name's
        return None
    key = (model, dialect, tuple(kwargs))
    found = _GETS.get(key, False)
    if found is False:
        for value in kwargs.values():
            if type(value) not in _SCALARS:
                return None
        found = _get_entry(model, dialect, kwargs, key)
    if found is None:
        return None
    entry, names, checks = found  # type: ignore[misc]
    params = []
    index = 0
    for name in names:  # `Entry.params`, written out, for plain scalars only
        value = kwargs[name]
        exact, low, high, convert = checks[index]
        index += 1  # noqa: SIM113 - enumerate() costs a tuple a value
        if type(value) is exact and (low is None or low <= value <= high):
            params.append(value)
        elif type(value) in _SCALARS:
            params.append(convert(value))
        else:
            return None
    if entry.with_limit:
        params.append(2)
    return entry, params


def _get_entry(
    model: Any, dialect: str, kwargs: dict[str, Any], key: tuple[Any, ...]
) -> tuple[Entry, tuple[str, ...], list[Any]] | None:
    """The entry of a get's shape and the names in the order of its parameters, cached."""
    from ferrule.orm.queryset import QuerySet

    qs: Any = QuerySet(model).filter(**kwargs)._clone("_limit", 2)
    shaped = shape(qs, dialect)
    made = None
    if shaped is not None:
        entry = lookup(shaped[0])
        if entry is False:
            entry = fill(qs, dialect, shaped[0], shaped[1])
        if isinstance(entry, Entry) and entry.plan is not None:
            checks = [
                (exact if exact in _SCALARS else None, low, high, convert)
                for exact, low, high, convert in entry.checks
            ]
            made = (entry, shaped[0][2], checks)
    if len(_GETS) >= _MAX:
        _GETS.clear()
    _GETS[key] = made
    return made


#: (dialect, QuerySet._key) -> Entry, or None: that chain of calls has no cacheable shape
_KEYED: dict[tuple[Any, ...], Entry | None] = {}


def keyed(qs: Any, dialect: str) -> tuple[Entry, list[Any]] | None:
    """``(entry, params)`` of a QuerySet that has a ``_key``, whose shape is cached: its
    calls (model, filter names, order, limit, as ``Model.filter(...).order_by(...)
    .limit(...)`` made them) stand for the shape ``shape`` would read off the QuerySet,
    without reading it (made once by ``find``). None: no cacheable shape, or a filter
    value that is no plain scalar (``find`` then decides)."""
    key = (dialect, qs._key)
    entry = _KEYED.get(key, False)
    if entry is None:
        return None
    if entry is False:
        return _first_keyed(qs, dialect, key)
    checks = entry.checks  # type: ignore[union-attr]
    params = []
    index = 0
    for q in qs._where:  # of_keywords Qs: (name, value) pairs, ANDed, as many as checks
        for child in q.children:
            value = child[1]
            exact, low, high, convert = checks[index]
            index += 1
            if type(value) is exact and (low is None or low <= value <= high):
                params.append(value)  # `Entry.params`, written out
            elif type(value) in _SCALARS:
                params.append(convert(value))
            else:
                return None
    if entry.with_limit:  # type: ignore[union-attr]
        limit = qs._limit
        params.append(_NO_LIMIT if limit is None else limit)
    if entry.with_offset:  # type: ignore[union-attr]
        params.append(qs._offset)
    return entry, params  # type: ignore[return-value]


def _first_keyed(qs: Any, dialect: str, key: tuple[Any, ...]) -> tuple[Entry, list[Any]] | None:
    """``keyed`` for a key not seen yet: its entry made (or found) by ``find``."""
    for q in qs._where:
        for child in q.children:
            if type(child[1]) not in _SCALARS:
                return None  # not for this key to decide
    found = find(qs, dialect)
    entry = None if found is None else found[0]
    if len(_KEYED) >= _MAX:
        _KEYED.clear()
    _KEYED[key] = entry
    if found is None:
        return None
    return found[0], found[0].params(found[1], qs._limit, qs._offset)
