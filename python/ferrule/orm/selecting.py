"""How a QuerySet becomes its SELECT: the tables and conditions of its filters (``scope_of``:
WHERE, and HAVING for filters on aggregate annotations), its ORDER BY (``ordering``) and the
statement with what each selected column is (``select``). Functions of a QuerySet, kept apart
from the class that chains and runs them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import (
    arithmetic,
    expression_order,
    grouping,
    json_keys,
    null_order,
    related_fields,
    results,
    window_filters,
)
from ferrule.orm.columns import read_column
from ferrule.orm.compiler import Scope, limited
from ferrule.orm.expressions import Aggregate
from ferrule.orm.lookups import is_json

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["grouped_fields", "ordering", "scope_of", "select"]


def scope_of(
    qs: QuerySet[Any], dialect: str, aggregates: tuple[Aggregate, ...] = ()
) -> tuple[Scope, Any, Any]:
    """The query's tables, its WHERE and its HAVING (filters on aggregate annotations);
    ``aggregates``: those of an ``aggregate()`` call over its rows."""
    scope = Scope(qs._model, dialect)
    if not qs._annotations and not aggregates:  # no HAVING to sort out
        locked = qs._lock is not None and qs._values is None
        found = (
            scope.keys_matching(q)
            if scope.rejoins(q) or (locked and _joins_many(scope, q))
            else scope.q(q)
            for q in qs._where
        )
        conditions = [c for c in found if c is not None]
        return scope, (sql.and_(*conditions) if conditions else None), None
    scope.annotations = qs._annotations
    scope.aggregated = qs._aggregates()
    if qs._where:
        leaves = grouping.leaves(qs._annotations, aggregates)
        scope.chains = grouping.chains(qs._model, dialect, leaves)
        if scope.aggregated and scope.chains:
            scope.grain = grouping.grain_paths(qs, dialect)
    if qs._annotated_at is not None:
        grouping.check_late_filters(qs)
    where, having = scope.split(qs._where, grouped_fields(qs), qs._annotated_at)
    return scope, where, having


def _joins_many(scope: Scope, node: Any) -> bool:
    """Whether a filter joins a to-many relation (model rows then come through a DISTINCT,
    which a locking read cannot have on PostgreSQL: such a filter of ``select_for_update()``
    becomes ``pk IN (subquery)``, the same rows)."""
    probe = Scope(scope.model, scope.dialect)
    probe.q(node)
    return probe.multi


def _lock(qs: QuerySet[Any], query: Any, scope: Scope, distinct: bool, grouped: bool) -> Any:
    """``FOR UPDATE`` / ``FOR SHARE`` of the model's rows. PostgreSQL cannot lock the rows of
    the nullable side of a LEFT JOIN (every join here is one), so it locks ``OF`` the model's
    table (MariaDB's InnoDB also locks the related rows it read); distinct or grouped rows
    stand for no one row to lock, and are refused on every database (PostgreSQL raises)."""
    if distinct or grouped:
        what = "grouped (aggregate)" if grouped else "distinct()"
        raise FieldError(
            f"{qs._model._meta.name}: select_for_update() of {what} rows: a row of them is "
            "no one row of the table to lock (PostgreSQL refuses it); lock the rows in a "
            "query of their own first"
        )
    if scope.dialect == "sqlite":  # its writes lock the whole database: nothing to add
        return query
    assert qs._lock is not None
    skip_locked, nowait, shared = qs._lock
    of = (scope.alias,) if scope.dialect == "postgres" and scope.join_clauses else ()
    lock = query.for_share if shared else query.for_update
    return lock(skip_locked=skip_locked, nowait=nowait, of=of)


def grouped_fields(qs: QuerySet[Any]) -> frozenset[str]:
    """The model's fields in the GROUP BY (a HAVING may name them)."""
    columns = qs._model._meta.columns
    if qs._group is None:
        return frozenset(columns)
    return frozenset(n for n in qs._group if n in columns)


def ordering(qs: QuerySet[Any], scope: Scope) -> list[Any]:
    """ORDER BY terms. NULL sorts as the smallest value everywhere, as SQLite and MariaDB
    do; PostgreSQL (NULL largest) is told so wherever a NULL can appear: a nullable
    column, a joined one (every join is LEFT) or an annotation."""
    out = []
    meta = qs._model._meta
    for name in qs._order_names():
        descending = name.startswith("-")
        bare = name.lstrip("-")
        nullable = True
        if (
            qs._distinct
            and qs._values is not None
            and bare not in qs._values
            and not (bare == "pk" and meta.pk.name in qs._values)
            and not expression_order.hidden(bare)
        ):
            given = "order_by" if qs._order is not None else "Meta.ordering"
            asked = {n.lstrip("-") for n in (qs._order or qs._model._meta.options.ordering)}
            first = bare.split("__")[0]
            hint = (
                f" ({first!r} orders by its model's Meta.ordering, as in Django: order by "
                "its key column for the key)"
                if bare not in asked and first in asked
                else ""
            )
            clear = "" if qs._order is not None else ", or clear it with order_by()"
            if bare in qs._aliased:  # never selected
                hint += f" (an alias() is not read: annotate({bare}=...) it instead)"
            raise FieldError(
                f"{qs._model._meta.name}: {given} {name!r} of distinct values() rows that "
                f"do not hold {bare!r}: a row stands for many values of it; select it "
                f"too{clear}{hint}"
            )
        if bare in qs._annotations:
            if expression_order.hidden(bare) and qs._values is not None:
                if qs._group is not None or scope.aggregated:
                    expression_order.refuse_in_rows(qs, bare, "grouped")
                if qs._distinct:
                    expression_order.refuse_in_rows(qs, bare, "distinct")
            selected = qs._values is None or bare in qs._values
            expr = sql.column(bare) if selected else scope.expression(qs._annotations[bare])
        else:
            _refuse_to_many_order(qs, scope, bare)
            expr, column = scope.column_of(bare)
            if column is not None and column.encryption is not None:
                raise FieldError(f"{qs._model.__name__}: cannot order by {bare}: it is encrypted")
            if is_json(column):
                raise FieldError(f"{qs._model.__name__}: cannot order by {bare}: {_JSON_APART}")
            nullable = column is None or column.nullable or "__" in bare or meta.outer(bare)
        out.append(null_order.term(expr, descending, scope.dialect, nullable))
    return out


def _refuse_to_many_order(qs: QuerySet[Any], scope: Scope, name: str) -> None:
    """Model rows come once each however many related rows a join finds (a DISTINCT), so
    an order by a to-many relation's value has no answer: PostgreSQL refuses the SQL, SQLite
    and MariaDB would order by an arbitrary related row. Refused before any SQL, for a path
    and for a bare relation name (``order_by("tags")``: its key)."""
    if qs._values is not None or scope.aggregated:
        return  # values(): a row per joined row; groups: the value is a key
    if "__" not in name and not qs._model._meta.outer(name):
        return  # a model column or a forward key
    probe = Scope(qs._model, scope.dialect)
    probe.column_of(name)
    if probe.multi_paths:
        path = "__".join(probe.multi_paths[0])  # the first relation that repeats rows
        raise FieldError(
            f"{qs._model._meta.name}: order_by({name!r}) reads the to-many relation "
            f"{path!r}, and {qs._model._meta.name} rows come once each: order by an "
            "aggregate of it (annotate(Min(...)) or Max), or read the rows with values()"
        )


def _select_related_keys(
    qs: QuerySet[Any], scope: Scope, value: Any, columns: list[Any], described: list[Any]
) -> None:
    """An annotation of a to-many relation's value (``annotate(v=F("posts__views"))``) is a
    model row per related row, as in Django: the DISTINCT that keeps model rows once each
    tells them apart by the related rows' keys, selected beside (the loaders skip them),
    or it would keep one row per distinct value instead (two posts of 0 views: one row)."""
    probe = Scope(qs._model, scope.dialect)
    probe.annotations = qs._annotations
    probe.expression(value)
    for path in probe.multi_paths:
        label = "_k_" + "__".join(path)
        if ("order", label, None) not in described:
            alias, model = scope.joins[path]
            columns.append(sql.column(model._meta.pk.column, alias).label(label))
            described.append(("order", label, None))


#: why a JSON field is neither ordered by nor told apart as a row's value
_JSON_APART = (
    "it is JSON, which the databases order and tell apart differently (PostgreSQL as "
    "Python does, SQLite and MariaDB by its text)"
)


def refuse_json_rows(qs: QuerySet[Any], described: list[Any], what: str, dialect: str) -> None:
    """Distinct or grouped ``values()`` rows that hold a JSON value (a JSON field, a key
    inside one, an annotation of JSON) and not the key, which tells the rows apart whatever
    they hold, have no answer the databases share."""
    meta = qs._model._meta
    names = [name for kind, name, _ in described if kind in ("value", "annotation")]
    if any(name in (meta.pk.name, "pk") for name in names):
        return
    probe = None
    for kind, name, column in described:
        if kind == "annotation" and name in qs._annotations:
            if probe is None:
                probe = Scope(qs._model, dialect)
                probe.annotations = qs._annotations
            found = arithmetic.read_kind(probe, qs._annotations[name])
            column = found.column if found.name == "field" else None
        elif kind != "value":
            continue
        if is_json(column) or isinstance(column, json_keys.Read):
            raise FieldError(f"{meta.name}: {what} values() rows by {name!r}: {_JSON_APART}")


def values_described(qs: QuerySet[Any], dialect: str) -> list[Any]:
    """``("value", name, column)`` of each field ``qs``'s ``values()`` rows hold, read on a
    scope of its own (the query's joins are left as they are), and ``("annotation", name,
    None)`` of each annotation they hold."""
    probe = Scope(qs._model, dialect)
    return [
        ("annotation", name, None)
        if name in qs._annotations
        else ("value", name, probe.selected(name)[1])
        for name in qs._values or ()
    ]


def _select_order(
    qs: QuerySet[Any], scope: Scope, columns: list[Any], described: list[Any]
) -> None:
    """Select the ordering's values that distinct model rows do not hold (a to-one related
    field, a deferred column): PostgreSQL orders DISTINCT rows only by selected values. Each
    is one value per row, so the rows stay as distinct; the loaders skip these columns."""
    for name in qs._order_names():
        bare = name.lstrip("-")
        if bare in qs._annotations:
            continue
        if "__" in bare or (qs._fields and bare not in qs._fields):
            columns.append(scope.column_of(bare)[0])
            described.append(("order", bare, None))


def select(
    qs: QuerySet[Any], dialect: str, columns: list[Any] | None = None, labeled: bool = False
) -> tuple[Any, list[Any]]:
    """The SELECT and what each selected column is: ``(kind, name)`` pairs. ``labeled``: a
    ``values()`` field is named as it is there (a subquery's columns: MariaDB refuses two of
    one name, as ``values("id", "tags")`` would give)."""
    if qs._annotations and (after := window_filters.split(qs)) is not None:
        return window_filters.select(qs, after, dialect, columns)  # filtered windows
    scope, where, having = scope_of(qs, dialect)
    meta = qs._model._meta
    alias = scope.alias
    described: list[Any] = []
    if columns is None:
        columns = []
        if qs._values is not None:
            for name in qs._values:
                if name in qs._annotations:
                    value = qs._annotations[name]
                    columns.append(scope.expression(value).label(name))
                    described.append(
                        ("annotation", name, results.converter(qs._model, value, dialect))
                    )
                else:
                    expr, column = scope.selected(name)
                    columns.append(expr.label(name) if labeled else expr)
                    described.append(("value", name, column))
            if not scope.aggregated:  # an unread annotation still joins its rows, as Django's
                for name, value in qs._annotations.items():
                    if name not in qs._values and not expression_order.hidden(name):
                        scope.expression(value)
        else:
            for name in qs._fields or meta.columns:
                columns.append(read_column(meta.columns[name], alias, dialect))
                described.append(("field", name, None))
            from ferrule.orm.prefetch import joined_columns

            related_fields.check_selected(qs)
            for expr, item in joined_columns(scope, qs._related, qs._related_fields):
                columns.append(expr)
                described.append(item)
            for name, value in qs._annotations.items():
                if expression_order.hidden(name) or name in qs._aliased:  # ORDER BY only
                    if expression_order.in_order(qs, name):
                        columns.append(scope.expression(value).label(name))
                        described.append(("order", name, None))
                    continue
                if hasattr(qs._model, name):  # the instance would show that instead
                    raise FieldError(
                        f"{meta.name}: annotation {name!r} is the name of an attribute of "
                        f"{meta.name} instances ({qs._model.__name__}.{name}): rename it, "
                        "or read it with values()"
                    )
                columns.append(scope.expression(value).label(name))
                described.append(("annotation", name, results.converter(qs._model, value, dialect)))
                if not scope.aggregated and not qs._distinct:  # distinct(): the values'
                    _select_related_keys(qs, scope, value, columns, described)
    order = ordering(qs, scope)  # before the joins are read: it may add some
    group = []
    if scope.aggregated:
        group = grouping.keys(qs, scope, columns, described)
        if scope.multi_paths:
            if not scope.chains:
                scope.chains = grouping.chains(qs._model, dialect, grouping.leaves(qs._annotations))
            grouping.check_multiplied(qs, scope, grouping.grain(qs))
    distinct = qs._distinct or (scope.multi and not scope.aggregated and qs._values is None)
    if qs._values is not None and (qs._distinct or group):
        if described:
            refuse_json_rows(qs, described, "distinct" if qs._distinct else "grouped", dialect)
        elif group:  # count()/exists() of the groups select their own columns
            refuse_json_rows(qs, values_described(qs, dialect), "grouped", dialect)
    if distinct and qs._values is None:
        _select_order(qs, scope, columns, described)
    query = sql.select(*columns)
    base, joins = scope.from_()
    query = query.from_(base)
    for table, on in joins:
        query = query.join(table, on, kind="left")
    if where is not None:
        query = query.where(where)
    if group:
        query = query.group_by(*group)
    if having is not None:
        query = query.having(having)
    if distinct and dialect == "mysql" and qs._offset and not group:
        # MariaDB skips an OFFSET's rows before DISTINCT removes the duplicates of rows a key
        # pins (const tables): GROUP BY every selected column removes them first
        query = query.group_by(*(sql.raw(str(n)) for n in range(1, len(columns) + 1)))
    elif distinct:
        query = query.distinct()
    if order:
        query = query.order_by(*order)
    query = limited(query, qs._limit, qs._offset, dialect)
    if qs._lock is not None:
        query = _lock(qs, query, scope, distinct, bool(group))
    return query, described
