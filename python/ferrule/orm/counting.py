"""``count()``, ``exists()`` and ``aggregate()``: what a query's rows are as a whole, asked of
the database in one statement (a grouped, sliced or distinct query: over its rows, through
``orm.grouping``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import expressions, grouping, results, shapes, window_filters
from ferrule.orm.compiler import Scope, _refs, has_aggregate
from ferrule.orm.expressions import Aggregate

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["aggregate", "count", "count_query", "exists"]


def count_query(qs: QuerySet[Any], dialect: str) -> Any:
    """``SELECT COUNT(*)`` over the filtered table (and the joins the filters need), or
    None when a join can repeat rows (then the rows are counted from a subquery)."""
    scope, where, _ = qs._scope(dialect)
    if scope.multi:
        return None
    base, joins = scope.from_()
    query = sql.select(sql.func.count(sql.raw("*"))).from_(base)
    for table, on in joins:
        query = query.join(table, on, kind="left")
    if where is not None:
        query = query.where(where)
    return query


async def count(qs: QuerySet[Any]) -> int:
    """``QuerySet.count``: how many rows ``qs`` returns."""
    db = qs._database
    dialect = db.dialect
    grouped = qs._annotations and (qs._group is not None or qs._aggregates())
    if grouped or (qs._distinct and qs._values is not None):  # groups, distinct rows
        return await grouping.count(qs, db)
    if qs._values is not None and (ordered := _values_repeat_rows(qs, dialect)) is not None:
        return await grouping.count(qs, db, keep_order=ordered)  # a row per joined row
    if qs._annotations or (qs._values is not None and _repeats_rows(qs, dialect)):
        return await grouping.count(qs, db)  # a row per joined row: the rows returned
    if not (qs._distinct or qs._limit is not None or qs._offset or qs._annotations):
        cached = shapes.count_statement(qs, dialect)
        if cached is not None:  # the text of this filter shape, made once
            rows = await db._text("fetch_tuples", *cached)
            return int(rows[0][0])
        query = qs._count_query(dialect)
        if query is not None:
            return int(await db.fetch_val(query))
    inner = qs.values_list(qs._model._meta.pk.name, flat=True)._clone("_order", ())
    if _repeats_rows(qs, dialect):  # a join that repeats rows: count each row once
        inner._distinct = True
    sub = inner._select(dialect)[0].subquery("counted")
    return int(await db.fetch_val(sql.select(sql.func.count(sql.raw("*"))).from_(sub)))


async def exists(qs: QuerySet[Any]) -> bool:
    """``QuerySet.exists``: whether ``qs`` has a row (``SELECT 1 ... LIMIT 1``)."""
    if qs._limit == 0:  # an empty slice: nothing to ask (LIMIT 1 would widen it)
        return False
    db = qs._database
    probe = qs._clone("_order", ())
    probe._limit = 1
    if qs._offset:
        # the rows after the offset are the query's own (distinct rows, model rows once over
        # a to-many join), not 1s: DISTINCT 1 is one row, and MariaDB counted joined rows
        query = probe._select(db.dialect)[0]
    else:
        query = probe._select(db.dialect, [sql.raw("1")])[0]
    return await db.fetch_one(query) is not None


async def aggregate(qs: QuerySet[Any], aggregates: dict[str, Aggregate]) -> dict[str, Any]:
    """``QuerySet.aggregate``: ``{"total": ...}`` over the rows of ``qs``."""
    for name, value in aggregates.items():
        if not isinstance(value, expressions.EXPRESSIONS) or not has_aggregate(value):
            raise FieldError(f"aggregate({name}=...) takes orm.Count/Sum/Avg/Min/Max")
        bare = _refs(value)  # over all the rows, no one row's value to read
        if bare:
            raise FieldError(
                f"aggregate({name}={expressions.shown(value)}) reads {bare[0]} outside any "
                "aggregate: over all the rows it has no one value (SQLite and MariaDB would "
                "read some row's); aggregate it too (Min, Max, ...)"
            )
    db = qs._database
    grouped = qs._annotations and (qs._group is not None or qs._aggregates())
    sliced = qs._limit is not None or qs._offset
    windowed = bool(qs._annotations) and window_filters.split(qs) is not None
    if grouped or sliced or windowed or (qs._distinct and qs._values is not None):
        return await grouping.aggregate(qs, db, aggregates)  # over its rows
    if qs._values is not None and (ordered := _values_repeat_rows(qs, db.dialect)) is not None:
        return await grouping.aggregate(qs, db, aggregates, keep_order=ordered)  # its rows
    scope, where, _ = qs._scope(db.dialect, aggs := tuple(aggregates.values()))
    columns = [scope.expression(v).label(k) for k, v in aggregates.items()]
    if scope.multi_paths:
        if not scope.chains:
            scope.chains = grouping.chains_of(qs, db.dialect, aggs)
        grouping.check_multiplied(qs, scope)
    query = sql.select(*columns).from_(scope.from_()[0])
    for table, on in scope.from_()[1]:
        query = query.join(table, on, kind="left")
    if where is not None:
        query = query.where(where)
    row = await db.fetch_one(query)
    return results.aggregated(qs._model, aggregates, row, db.dialect, qs._annotations)


def _values_repeat_rows(qs: QuerySet[Any], dialect: str) -> bool | None:
    """Whether the names of a ``values()`` query or its ordering join a to-many relation
    (then it returns a row per joined row, and so must count them): None when neither
    does, else whether the ordering does (the count keeps its joins then)."""
    probe = Scope(qs._model, dialect)
    for name in qs._values or ():
        if name not in qs._annotations:
            probe.selected(name)
    order = Scope(qs._model, dialect)
    for name in qs._order_names():
        if (bare := name.lstrip("-")) not in qs._annotations:
            order.column_of(bare)
    if not (probe.multi or order.multi):
        return None
    return order.multi


def _repeats_rows(qs: QuerySet[Any], dialect: str) -> bool:
    """Whether the query's filters join a relation that can repeat its rows."""
    return qs._scope(dialect)[0].multi
