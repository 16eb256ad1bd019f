"""``QuerySet.update()`` and ``delete()``: one UPDATE or DELETE of the table itself, naming
its rows by the filter when that needs no join, else by the matching primary keys, read
first (a join, a HAVING, a slice, a filter on a window annotation, or a MySQL subquery of
the same table: error 1093)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import arithmetic, cache, cascades, pg_flags, refs, signals, window_filters
from ferrule.orm.column_kinds import is_flag
from ferrule.orm.compiler import Scope
from ferrule.orm.expressions import Aggregate, Arith, Case, F, Func, Value
from ferrule.orm.lookups import listed
from ferrule.orm.subqueries import Exists, Subquery

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["assignments", "delete", "target_keys", "update"]


async def target_keys(qs: QuerySet[Any], db: Any) -> tuple[Any, list[Any] | None]:
    """A WHERE for UPDATE/DELETE on the table itself: the filter when it needs no join,
    else the matching primary keys (fetched first)."""
    if qs._group is not None:
        raise FieldError(
            f"{qs._model.__name__}: update() and delete() cannot follow values().annotate()"
        )
    if not qs._annotations or window_filters.split(qs) is None:  # else: rows after windows
        scope, where, having = qs._scope(db.dialect)
        rereads = scope.subqueries and db.dialect == "mysql"  # MySQL error 1093
        plain = not scope.join_clauses and having is None
        if plain and qs._limit is None and not qs._offset and not rereads:
            return where, None
    return None, await matching_keys(qs)


async def matching_keys(qs: QuerySet[Any]) -> list[Any]:
    """The primary keys of the rows of ``qs`` (a slice's in its order)."""
    pk = qs._model._meta.pk.name
    if qs._limit is None and not qs._offset:  # any order: every matching row is named
        return list(await qs.values_list(pk, flat=True)._clone("_order", ()))
    if not qs._ordered():
        qs = qs._clone("_order", (pk,))  # a slice's rows: by key, as first() takes them
    if qs._values is not None:  # the slice of those rows, as they are read
        return list(await qs.values_list(pk, flat=True))
    # model rows come once each, values() rows once per row a to-many join finds: the slice
    # of those would count a row again and name rows past the slice's own
    rows = qs.only(pk)
    rows._related, rows._related_fields, rows._prefetch = (), {}, ()
    return [row.pk for row in await rows]


async def update(qs: QuerySet[Any], values: dict[str, Any]) -> int:
    """``QuerySet.update``: ``UPDATE`` the rows of ``qs``; the row count."""
    db = qs._database
    statement = sql.update(qs._model._meta.sql_table).set(assignments(qs, db.dialect, values))
    return await _write(qs, db, statement)


def assignments(qs: QuerySet[Any], dialect: str, values: dict[str, Any]) -> dict[str, Any]:
    """The SET of ``update(**values)`` on ``qs``: column -> bound value or expression, every
    name and value checked."""
    if not values:
        raise FieldError("update() needs at least one field=value")
    meta = qs._model._meta
    scope = Scope(qs._model, dialect)
    if qs._annotations:  # F("alias") of a row annotation (orm.refs)
        scope.annotations = refs.for_update(qs, values)
    out = {}
    for name, value in values.items():
        column = meta.column(name)
        if column.primary_key:
            raise FieldError(f"{meta.name}: update() cannot change the primary key")
        if value is None and not column.nullable:
            raise FieldError(f"{meta.name}.{name} cannot be NULL")
        if column.relation is None and not issubclass(type(value), _EXPRESSIONS):
            value = column.check_written(value, meta.name)  # varchar(n), numeric(p, s)
        elif issubclass(type(value), _TYPED):  # of the column's own type (a bare F() too)
            arithmetic.check_written(scope, column, value)
        assigned = scope.value(value, column)
        if dialect == "postgres" and _expression_flag(value, column):
            assigned = pg_flags.written(meta.table, column.column, assigned)  # or a smallint
        out[column.column] = _finite(assigned, column, value, meta.name, dialect)
    if scope.join_clauses:
        raise FieldError("update() values cannot refer to related models")
    if dialect == "mysql" and len(values) > 1:
        order = [meta.column(name).column for name in _in_order(meta.name, values)]
        out = {column: out[column] for column in order}
    return out


def _expression_flag(value: Any, column: Any) -> bool:
    """An expression written to a boolean field (``pg_flags.written``)."""
    return issubclass(type(value), _EXPRESSIONS) and is_flag(column)


def _finite(assigned: Any, column: Any, value: Any, model: str, dialect: str) -> Any:
    """An expression written to a float column as that column holds floats
    (``columns.column_constraints``): on PostgreSQL plus ``0.0``, its zero unsigned
    (``F("f") * -1`` of 0.0 is -0.0 there alone); on SQLite a ``DataError`` naming the
    field where it overflows (the servers refuse it; SQLite would store an infinity)."""
    if dialect not in ("postgres", "sqlite") or not issubclass(type(value), _EXPRESSIONS):
        return assigned
    if value is None or column.logical.name != "float" or column.relation is not None:
        return assigned
    if dialect == "postgres":
        return sql.raw("? + 0.0", assigned)
    message = f"{model}.{column.name}: the value is past the range of a double"
    past = sql.raw(f"abs(?) > {_DOUBLE_MAX!r}", assigned)
    return sql.case((past, sql.func.ferrule_refuse(sql.literal(message))), else_=assigned)


_DOUBLE_MAX = 1.7976931348623157e308


def _in_order(model: str, values: dict[str, Any]) -> list[str]:
    """The fields of an update in an order where each value reads the rows as they were:
    MariaDB evaluates ``SET a = ..., b = ...`` left to right, a later value reading what an
    earlier one wrote (PostgreSQL and SQLite read the old row). A value reading another
    assigned field goes before it; two that read each other (a swap) are a ``FieldError``."""
    reads = {
        name: {r.partition("__")[0] for r in arithmetic.field_names(v)} & values.keys() - {name}
        for name, v in values.items()
    }
    ordered: list[str] = []
    while len(ordered) < len(values):
        left = [n for n in values if n not in ordered]
        # a field that none of the values still to compute reads can be written now
        free = [n for n in left if not any(n in reads[o] for o in left)]
        if not free:
            raise FieldError(
                f"{model}: update({', '.join(values)}): its values read each other's fields, "
                "and MariaDB would read the values already written: update in two calls"
            )
        ordered.extend(free)
    return ordered


async def delete(qs: QuerySet[Any]) -> int:
    """``QuerySet.delete``: ``DELETE`` the rows of ``qs``; the row count."""
    db = qs._database
    model = qs._model
    if (
        signals.pre_delete.has_receivers(model)
        or signals.post_delete.has_receivers(model)
        or cascades.watched(model)
        or cascades.checks_restricted(model, db.dialect)  # Django's answer everywhere
    ):
        return await _delete_each(qs, db)
    cascades.invalidate(model, db)  # the tables its on_delete rules write, as _write does
    try:
        return await _write(qs, db, sql.delete(model._meta.sql_table))
    finally:
        cascades.invalidate(model, db)


async def _delete_each(qs: QuerySet[Any], db: Any) -> int:
    """Django's delete when a receiver listens (or a restricting key can be reached:
    ``orm.cascades`` checks and orders its rows): in one transaction, the rows' instances
    loaded, with those of the rows their cascades remove toward a receiver
    (``orm.cascades``), ``pre_delete`` sent for each (the dependent rows first), one DELETE
    by their keys (the database cascades), ``post_delete`` for each; then the instances lose
    their keys (back if the transaction rolls back), as ``Model.delete`` leaves them."""
    model = qs._model
    meta = model._meta
    doomed: cascades.Doomed | None = None
    instances: list[Any] = []
    tx = db.transaction()
    try:
        async with tx:
            if qs._group is not None:
                await target_keys(qs, db)  # its error
            keys = await matching_keys(qs)
            if not keys:
                return 0
            removing = await cascades.refuse_restricted(model, keys, db)  # before any signal
            if cascades.watched(model):
                doomed = await cascades.collect(model, keys, db)
            if signals.pre_delete.has_receivers(model) or signals.post_delete.has_receivers(
                model
            ):  # the rows' instances, for their receivers (no one else sees them)
                found = await type(qs)(model).using(db).in_bulk(keys)
                instances = [found[k] for k in dict.fromkeys(keys) if k in found]
            if doomed is not None:
                await doomed.send_pre(db)
            for instance in instances:
                await signals.pre_delete.send(model, instance, using=db)
            by_key = listed(db.dialect, sql.column(meta.pk.column), keys)
            statement = sql.delete(meta.sql_table).where(by_key)
            cache.invalidate(model, db)
            cascades.invalidate(model, db)
            try:
                ordered = None
                if removing:
                    await cascades.release_own_keys(removing, db)  # MariaDB's self-naming rows
                    await cascades.delete_dependents_first(model, removing, db)
                    await cascades.delete_trees_first(model, keys, removing, db)
                    ordered = await cascades.delete_leaves_first(model, keys, db)
                count = int(await db.execute(statement)) if ordered is None else ordered
                count = cascades.own_rows_removed(model, removing, count)
            finally:
                cache.invalidate(model, db)
                cascades.invalidate(model, db)
            if doomed is not None:
                await doomed.send_post(db)
            for instance in instances:
                await signals.post_delete.send(model, instance, using=db)
    except BaseException:
        if tx.committed:  # deleted, the cancellation after its end: as when it returns
            _drop_keys(model, doomed, instances, db)
        raise
    _drop_keys(model, doomed, instances, db)
    return count


def _drop_keys(model: Any, doomed: Any, instances: list[Any], db: Any) -> None:
    """The deleted instances (those the receivers were sent) lose their keys."""
    if doomed is not None:
        doomed.drop_keys(db.at_rollback)
    cascades.drop_keys([(model, instance) for instance in instances], db.at_rollback)


async def _write(qs: QuerySet[Any], db: Any, statement: Any) -> int:
    """Run an UPDATE or DELETE on the rows of ``qs`` (``target_keys`` says how to name
    them); the row count."""
    where, keys = await target_keys(qs, db)
    if keys is not None:
        if not keys:
            return 0
        statement = statement.where(listed(db.dialect, sql.column(qs._model._meta.pk.column), keys))
    elif where is not None:
        statement = statement.where(where)
    cache.invalidate(qs._model, db)
    try:
        return int(await db.execute(statement))
    finally:  # again: a cached read may have run meanwhile (or the write was cancelled)
        cache.invalidate(qs._model, db)


#: update() values that are SQL, not a value to check
_EXPRESSIONS = (F, Arith, Aggregate, Func, Case, Value, type(None), Subquery, Exists)
#: the expressions typed as arithmetic is (orm.arithmetic.check_written)
_TYPED = (F, Arith, Func, Case, Value)
