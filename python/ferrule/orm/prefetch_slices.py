"""``Prefetch`` with a sliced QuerySet: ``Prefetch("posts", Post.order_by("-created")[:3],
to_attr="latest")`` gives every parent its own first three rows in that order; ``[1:3]`` skips
one per parent. The slice applies to each parent's list, never to the batch as a whole.

One query per level (per IN batch of parents), as for any other prefetch: the queryset,
unsliced and limited to the batch's parents, numbers its rows per parent with
``ROW_NUMBER() OVER (PARTITION BY <parent key> ORDER BY <the queryset's order>, <primary
key>)`` in a derived table, and the outer query keeps the rows whose number is in the slice.
The parent key is the reverse foreign key's column, or for a many-to-many the source column
of its link table (automatic or explicit ``through``), joined in once per link: a row linked
to two parents is numbered, and counted, in each.

* Ties in the queryset's order are broken by the primary key, ascending; a queryset with no
  order at all (neither ``order_by()`` nor ``Meta.ordering``) is ordered by the primary key,
  so the slice is always the same rows.
* ``[:]`` is no slice: the plain prefetch, whose ties come in the database's order.
* Refused with `FieldError` when the call is made: a slice on a single-valued relation (a
  forward key, a one-to-one either way: at most one row per parent, and Django's sliced
  prefetching covers the to-many relations only); an index (``qs[0]``); and a slice with
  what cannot be numbered exactly per parent: ``distinct()``, aggregate or window
  annotations, ordering by an annotation, and ``select_for_update()``. A filter or order
  through a to-many relation (whose join repeats rows) is refused when the query is built
  (``_numbered``), before it is sent.
* ``cached()`` is not consulted for these rows (they are read afresh).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.windows import contains_window
from ferrule.sql._compile.base import steps_of
from ferrule.sql.builder import Select
from ferrule.sql.nodes import Expr

__all__ = ["check", "is_sliced", "load"]

_SUB = "_ferrule_sliced"  # the derived table
_LINKS = "_ferrule_links"  # a many-to-many's links, joined in
_NUMBER = "_ferrule_n"  # the row's number within its parent's rows
_KEY = "_ferrule_key"  # the parent's key


def is_sliced(queryset: Any) -> bool:
    return queryset is not None and (queryset._offset is not None or queryset._limit is not None)


def _plain(value: Any) -> int | None:
    """A stored bound as an exact int (``.limit()`` keeps an int subclass as given: its own
    value is read, never its methods)."""
    return None if value is None else int.__index__(value)


def window_bounds(queryset: Any) -> tuple[int, int | None]:
    """``(skipped, last)``: the rows numbered ``skipped + 1 .. last`` (None: to the end)."""
    offset, limit = _plain(queryset._offset) or 0, _plain(queryset._limit)
    return offset, None if limit is None else offset + limit


def check(shown: str, owner: Any, part: str, queryset: Any, multiple: bool) -> None:
    """Refuse (`FieldError`) a slice that cannot be taken exactly for each parent."""
    where = f"{shown}: {owner.__name__}.{part}"
    if not multiple:
        raise FieldError(
            f"{where} holds at most one row per parent; a sliced queryset is for a "
            "to-many relation (a reverse key or a many-to-many)"
        )
    refused = []
    if queryset._distinct:
        refused.append("distinct()")
    if queryset._lock is not None:
        refused.append("select_for_update()")
    annotations = queryset._annotations
    if queryset._aggregates():
        refused.append("aggregate annotations")
    if any(contains_window(value, annotations) for value in annotations.values()):
        refused.append("window annotations")
    if any(name.lstrip("-") in annotations for name in queryset._order_names()):
        refused.append("an order by an annotation")
    if refused:
        raise FieldError(
            f"{where}: a sliced queryset with {', '.join(refused)} cannot be numbered per "
            "parent exactly; slice in Python, or drop the slice"
        )


def _numbered(
    queryset: Any,
    dialect: str,
    partition: Any,
    joins: list[tuple[Any, Any]],
    window: tuple[int, int | None],
) -> tuple[Any, list[Any], int]:
    """The outer SELECT over the rows of ``queryset`` (unsliced) numbered ``skipped + 1 ..
    last`` (``window``) per ``partition``, what its columns are (as ``_select`` says) and how
    many of them build the instances (the parent's key follows them).

    The inner SELECT is the queryset's own (its joins, select_related columns, annotations),
    with its ORDER BY moved into the window and every column renamed ``_c<n>``: joined tables
    repeat names (``id``), which a derived table cannot hold on MariaDB."""
    query, described = queryset._select(dialect)
    meta = queryset._model._meta
    order: list[Any] = []
    link: Any = None
    count = 0
    for step, arg in steps_of(query._c):
        if step == "order":
            order.extend(Expr(node) for node in arg)
            continue
        if step == "distinct":  # added for a join that repeats rows
            raise FieldError(
                f"{meta.name}: a sliced prefetch queryset cannot filter or order through a "
                "to-many relation (its join repeats rows, which would be numbered twice); "
                "filter with Exists() or a subquery instead"
            )
        if step in ("limit", "offset", "lock"):
            raise AssertionError(f"an unsliced, unlocked queryset has no {step}")
        if step == "cols":
            labelled = []
            for node in arg:
                inner = node[1] if node[0] == "label" else node
                labelled.append(Expr(("label", inner, f"_c{count}")))
                count += 1
            arg = tuple(labelled)
        link = (link, step, arg)
    inner = Select()
    inner._c = link
    for table, on in joins:
        inner = inner.join(table, on)
    key = sql.column(meta.pk.column, meta.table)
    number = sql.func.row_number().over([partition], [*order, key.asc()])
    inner = inner.columns(number.label(_NUMBER), partition.label(_KEY))
    names = [f"_c{i}" for i in range(count)]
    sub = inner.subquery(_SUB, [*names, _NUMBER, _KEY])
    skipped, last = window
    kept = []
    if skipped:
        kept.append(sql.column(_NUMBER, _SUB) > skipped)
    if last is not None:
        kept.append(sql.column(_NUMBER, _SUB) <= last)
    outer = sql.select(*[sql.column(n, _SUB) for n in names], sql.column(_KEY, _SUB))
    outer = outer.from_(sub).where(*kept)
    outer = outer.order_by(sql.column(_KEY, _SUB).asc(), sql.column(_NUMBER, _SUB).asc())
    return outer, described, count


async def load(
    instances: list[Any],
    level: Any,
    db: Any,
    batches: Callable[[list[Any]], list[list[Any]]],
    store: Callable[[Any, Any, Any], None],
    rows_of: Callable[[Any, Any, str | None], Any],
) -> list[Any]:
    """Load ``level`` (a to-many relation with a sliced queryset) for ``instances``: one
    query per batch of their keys; each parent's list in the queryset's order."""
    relation = level.relation
    queryset = level.queryset
    keys = [i.pk for i in instances if i.pk is not None]
    window = skipped, last = window_bounds(queryset)
    if last is not None and last <= skipped:  # [n:n]: nothing to ask
        for instance in instances:
            store(instance, level, [])
        return []
    if relation.kind == "m2m":
        mine, other = relation.link_source, relation.link_target
        if not level.forward:
            mine, other = other, mine
        link = mine.owner
        rows = rows_of(level, other.target, None)
        key_column = link._meta.columns[mine.attname]
    else:
        attname = relation.attname
        rows = rows_of(level, relation.owner, attname)
        key_column = rows._model._meta.columns[attname]
    unsliced = rows._clone("_offset", None)
    unsliced._limit = None
    unsliced._prefetch = ()  # run below, once per row however many parents it has
    target_db = rows._db if rows._db is not None else db
    dialect = target_db.dialect
    convert = key_column.converters(dialect)[1]
    table = unsliced._model._meta.table
    by_pk: dict[Any, Any] = {}
    groups: dict[Any, list[Any]] = {}
    for batch in batches(keys):
        if relation.kind == "m2m":
            links = link.filter(**{f"{mine.attname}__in": batch}).values_list(
                mine.attname, other.attname
            )
            linked = links._clone("_order", ())._select(dialect)[0].subquery(_LINKS)
            target_pk = sql.column(unsliced._model._meta.pk.column, table)
            on = sql.column(link._meta.columns[other.attname].column, _LINKS) == target_pk
            partition = sql.column(key_column.column, _LINKS)
            query, described, count = _numbered(
                unsliced, dialect, partition, [(linked, on)], window
            )
        else:
            narrowed = unsliced.filter(**{f"{attname}__in": batch})
            partition = sql.column(key_column.column, table)
            query, described, count = _numbered(narrowed, dialect, partition, [], window)
        found = await target_db.fetch_tuples(query)
        built = await unsliced._materialize(target_db, [r[:count] for r in found], described)
        for row, obj in zip(found, built, strict=True):
            obj = by_pk.setdefault(obj.pk, obj)  # one instance per row of the table
            key = row[count]
            groups.setdefault(key if convert is None else convert(key), []).append(obj)
    loaded = list(by_pk.values())
    if queryset._prefetch and loaded:
        from ferrule.orm.prefetch import prefetch

        await prefetch(loaded, queryset._prefetch, target_db)
    for instance in instances:
        store(instance, level, groups.get(instance.pk, []))
    return loaded
