"""The grouped side of a QuerySet: its GROUP BY, and ``count()``/``aggregate()`` over its
groups. Kept apart from ``queryset`` so that the common, ungrouped path stays short to read.

Django's rules: aggregates group by the values named in ``values()`` before ``annotate()``,
else by the model's columns; selected non-aggregate annotations and the fields in
``order_by()`` join the group; a count or an aggregate
over a grouped query reads it as a subquery (it counts groups, not rows)."""

from __future__ import annotations

import functools
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import arithmetic, deviations, results, subqueries
from ferrule.orm.compiler import Scope, has_aggregate, pairs
from ferrule.orm.expressions import Aggregate, Arith, Case, F, Func, Value

__all__ = [
    "aggregate",
    "chains",
    "chains_of",
    "check_late_filters",
    "check_multiplied",
    "count",
    "grain",
    "keys",
    "leaves",
]


def keys(qs: Any, scope: Scope, columns: list[Any], described: list[Any]) -> list[Any]:
    """The GROUP BY of an aggregated query: the values named before annotate(), else the
    model's columns (and the other selected ones); plus the selected non-aggregate
    annotations and the ordered fields."""
    meta = qs._model._meta
    if qs._group is not None:
        out = [scope.column_of(n)[0] for n in qs._group if n not in qs._annotations]
    else:
        out = [sql.column(c.column, scope.alias) for c in meta.columns.values()]
        out += [
            c
            for c, d in zip(columns, described, strict=False)  # none described: counting
            if d[0] == "related" or (d[0] == "value" and d[1] not in meta.columns)
        ]
    at = {d[1]: i for i, d in enumerate(described) if d[0] == "annotation"}
    for name, value in qs._annotations.items():  # a selected row value splits the groups
        if name.startswith("_"):  # an ordered expression of the row's grouped columns
            continue
        if not has_aggregate(value) and (qs._values is None or name in qs._values):
            if name in at and isinstance(
                value, (Arith, Case, Value, Func, *subqueries.EXPRESSIONS)
            ):
                # by its place in the SELECT: PostgreSQL takes the same expression with its
                # values bound again as another one ("must appear in the GROUP BY clause")
                out.append(sql.raw(str(at[name] + 1)))
            else:
                out.append(scope.expression(value))
    for name in qs._order_names():
        bare = name.lstrip("-")
        if bare not in qs._annotations:
            out.append(scope.column_of(bare)[0])
    return out


async def count(qs: Any, db: Any, *, keep_order: bool = False) -> int:
    """The number of rows the query returns (its groups, its distinct rows, a row per
    joined row), slicing included; ``keep_order``: the ordering's joins add rows of their
    own (``values()`` ordered across a to-many relation)."""
    inner = qs._clone() if keep_order else qs._clone("_order", ())
    inner._related = ()
    # DISTINCT (asked for, or made for instances over a join) needs the real columns, and
    # an ungrouped query's annotations their joins; a grouped one's rows are its groups
    plain = not qs._distinct and qs._aggregates()
    columns = [sql.raw("1")] if plain else None
    sub = inner._select(db.dialect, columns, labeled=True)[0].subquery("counted")
    return int(await db.fetch_val(sql.select(sql.func.count(sql.raw("*"))).from_(sub)))


async def aggregate(
    qs: Any, db: Any, aggregates: dict[str, Aggregate], *, keep_order: bool = False
) -> dict[str, Any]:
    """``aggregate()`` over an annotated (grouped), sliced or distinct queryset, or
    ``values()`` rows repeated by a to-many join: over its rows as a subquery (ordered when
    sliced: the order picks the rows; ``keep_order``: its joins add rows), naming its
    annotations and selected fields."""
    meta = qs._model._meta
    sliced = qs._limit is not None or qs._offset
    inner = qs if sliced or keep_order else qs._clone("_order", ())
    inner = inner._clone()
    inner._related = ()
    named = qs._aliased.intersection(getattr(v, "field", None) for v in aggregates.values())
    if named:  # an alias() the aggregates read: selected in the subquery
        inner._aliased = qs._aliased.difference(named)
        if inner._values is not None:
            inner._values = (*inner._values, *sorted(named))
    fields = qs._fields or tuple(meta.columns)
    selected = inner._values if inner._values is not None else (*fields, *qs._annotations)
    columns = []
    for label, value in aggregates.items():
        if isinstance(value, Aggregate) and value.filter is not None:
            raise FieldError(
                f"{meta.name}: aggregate() over an annotated, sliced or distinct queryset "
                f"reads its rows as a subquery: {value!r} cannot take a filter there; filter "
                "the queryset, or aggregate before slicing"
            )
        field = value.field if isinstance(value, Aggregate) else None
        if field == "pk" and "pk" not in qs._annotations:  # Count("pk"): the key's field
            field = meta.pk.name
        kind = None
        if field == "*":
            arg: Any = sql.raw("*")
        elif field in selected and field in qs._annotations:
            arg = sql.column(field, "grouped")
            kind = arithmetic.read_kind(_annotated(qs, db.dialect), qs._annotations[field])
        elif field in selected and field in meta.columns:
            arg = sql.column(meta.columns[field].column, "grouped")
            kind = _kind_of_column(meta.columns[field])
        else:
            raise FieldError(
                f"{meta.name}: aggregate() over an annotated, sliced or distinct queryset "
                f"takes aggregates of its annotations and selected fields, not {value!r}"
            )
        if kind is not None and value.function in _ADDING and not _adds(kind):
            raise FieldError(f"{meta.name}: {value!r}: {field!r} is not a number")
        if kind is None:
            call = getattr(sql.func, value.function)(arg, distinct=value.distinct)
        else:  # the column's type is lost in the subquery: the rules of its kind
            call = arithmetic.aggregate_call(db.dialect, value.function, arg, kind, value.distinct)
        columns.append(call.label(label))
    sub = inner._select(db.dialect)[0].subquery("grouped")
    row = await db.fetch_one(sql.select(*columns).from_(sub))
    return results.aggregated(qs._model, aggregates, row, db.dialect, qs._annotations)


#: the aggregates that add their values (``arithmetic.aggregate`` refuses them of a non-number)
_ADDING = frozenset({"sum", "avg", *deviations.FUNCTIONS})


def _adds(kind: arithmetic.Kind) -> bool:
    """Whether a value of ``kind`` can be added: a number, an Avg's, a NULL, a duration."""
    if kind.name in (*arithmetic.NUMBERS, "avg", "null"):
        return True
    column = kind.column
    logical = column.logical.name if column is not None else kind.name
    return logical == "timedelta" and (column is None or column.enum is None)


def _kind_of_column(column: Any) -> arithmetic.Kind:
    """A column's kind, a plain bool column's as ``bool`` (PostgreSQL's Min/Max of it)."""
    plain = column.enum is None and column.encryption is None and column.password is None
    if plain and column.logical.name == "bool":
        return arithmetic.Kind("bool")
    return arithmetic.column_kind(column)


def _annotated(qs: Any, dialect: str) -> Scope:
    """A scope that knows the queryset's annotations (to read an annotation's kind)."""
    scope = Scope(qs._model, dialect)
    scope.annotations = qs._annotations
    return scope


def check_late_filters(qs: Any) -> None:
    """Refuse a filter() made after an aggregate annotate() across the same multi-valued
    relation when a Count or Sum reads it: Django joins it a second time, multiplying them
    by the matching rows. Beside a Min, Max, Avg or distinct aggregate, which that join
    leaves as they are, the filter picks the rows and leaves their aggregates whole, which
    is Django's answer (``Scope.row_condition``: a key subquery)."""
    meta = qs._model._meta
    counted = {
        _first(name)
        for v in qs._annotations.values()
        for a in _aggregates(v)
        if not (a.distinct or a.function in ("min", "max", "avg"))
        for name in arithmetic.field_names(a)
    }
    for node in qs._where[qs._annotated_at :]:
        if node.negated:  # exclude(): a NOT IN subquery, no join (as in Django)
            continue
        for name, _ in pairs(node):
            part = _first(name)
            relation = meta.relation(part)
            if part not in counted or relation is None:
                continue
            forward = meta.relations.get(part) is relation and relation.owner is qs._model
            if relation.kind == "m2m" or (not forward and relation.kind == "fk"):
                raise FieldError(
                    f"{meta.name}: filter({name}=...) after annotate() aggregating over "
                    f"{part!r}: Django would join {part!r} again and multiply the aggregate; "
                    "filter before annotate() to aggregate the matching rows only, or "
                    "aggregate with distinct=True to keep every row's"
                )


def chains(model: Any, dialect: str, aggregates: list[Aggregate]) -> list[Any]:
    """``(relation path, unchanged by repeated rows)`` of each aggregate: the to-many joins
    on its path are the rows it reads; any other would repeat them."""
    return [
        (
            _path(model, dialect, v.field)
            if isinstance(v.field, str)
            else _read(model, dialect, v),
            v.function in ("min", "max") or v.distinct,
        )
        for v in aggregates
    ]


def chains_of(qs: Any, dialect: str, aggregates: tuple[Any, ...]) -> list[Any]:
    """``chains`` of an ``aggregate()`` call's aggregates (those naming annotations read
    through them)."""
    return chains(qs._model, dialect, leaves(qs._annotations, aggregates))


def _read(model: Any, dialect: str, value: Aggregate) -> tuple[str, ...]:
    """The relation path an aggregate over an expression reads through (its longest)."""
    probe = Scope(model, dialect)
    probe.aggregating = True  # as arithmetic.aggregate compiles it
    arithmetic.compile(probe, value.field)
    return max(probe.joins, key=len, default=())


@functools.lru_cache(maxsize=4096)
def _path(model: Any, dialect: str, field: str) -> tuple[str, ...]:
    """The relation path an aggregate's field is read through (made once per name)."""
    if field == "*":
        return ()
    probe = Scope(model, dialect)
    probe.column_of(field)
    return max(probe.joins, key=len, default=())


def leaves(annotations: dict[str, Any], extra: Any = ()) -> list[Aggregate]:
    """The aggregates in a query's annotations and in ``extra`` (an ``aggregate()`` call's);
    one naming a row annotation (``Sum("total")``) as one over its expression."""
    out = [a for v in annotations.values() for a in _aggregates(v)]
    for value in extra:
        for found in _aggregates(value):
            inner = annotations.get(found.field) if isinstance(found.field, str) else None
            if inner is not None and not has_aggregate(inner):
                found = type(found)(inner, distinct=found.distinct)
            out.append(found)
    return out


def grain_paths(qs: Any, dialect: str) -> frozenset[tuple[str, ...]]:
    """The to-many relation paths the names of ``grain`` join."""
    probe = Scope(qs._model, dialect)
    for name in grain(qs):
        probe.column_of(name)
    return frozenset(probe.multi_paths)


def check_multiplied(qs: Any, scope: Scope, grain: tuple[str, ...] = ()) -> None:
    """Refuse an aggregate whose rows a to-many join of another part of the query repeats
    (two Counts over different relations, a Sum of the model's own column beside a Count of
    a relation): it would be multiplied silently (Django's answer). A join on the path of a
    group key (``values("clubs__name")``, an ordering) makes the groups, not the repeats."""
    made = set()
    if grain:
        probe = Scope(qs._model, scope.dialect)
        for name in grain:
            probe.column_of(name)
        made = set(probe.multi_paths)
    for chain, immune in scope.chains:
        if immune:
            continue
        for path in scope.multi_paths:
            if chain[: len(path)] != path and path not in made:
                raise FieldError(
                    f"{qs._model._meta.name}: the join of {'__'.join(path)!r} repeats the rows "
                    f"an aggregate over {'__'.join(chain) or 'its own columns'} reads, which "
                    "would multiply it: aggregate with distinct=True (or Min/Max), or in "
                    "separate queries"
                )


def grain(qs: Any) -> tuple[str, ...]:
    """The names a grouped query's groups are made of (its GROUP BY beyond the model)."""
    names = [n for n in qs._group or () if n not in qs._annotations]
    names += [v.name for v in qs._annotations.values() if isinstance(v, F)]
    names += [n.lstrip("-") for n in qs._order_names() if n.lstrip("-") not in qs._annotations]
    return tuple(names)


def _first(name: str) -> str:
    return name.partition("__")[0]


def _aggregates(value: Any) -> list[Aggregate]:
    if isinstance(value, Aggregate):
        return [value]
    if isinstance(value, Arith):
        return [*_aggregates(value.left), *_aggregates(value.right)]
    if isinstance(value, Case):
        return [a for w in value.whens for a in _aggregates(w.then)] + _aggregates(value.default)
    if isinstance(value, Func):
        return [a for arg in value.args for a in _aggregates(arg)]
    return []
