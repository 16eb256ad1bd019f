"""``union()``, ``intersection()`` and ``difference()``: one compound SELECT of querysets of
the same shape, with Django's rules.

* The parts: querysets of the same model loading the same fields (instances), or
  ``values()``/``values_list()`` of as many fields each, of the same types (any models); the
  rows come back in the first one's shape. A part ordered (other than by its model's default
  ordering, which is dropped) or sliced is refused: SQLite takes neither inside a compound,
  and the others would answer for another set of rows.
* After it, only ``order_by()`` (names of the columns selected: fields or values, ``pk``, a
  relation's name for its key unless its model has a ``Meta.ordering``), slicing,
  ``values()``/``values_list()`` (applied to every part), ``count()``, ``exists()``, ``get()``
  without conditions, ``first()``, ``last()`` and iteration; anything else is an
  ``ORMError`` (Django: "not supported").
* ``union(all=True)`` keeps repeated rows; otherwise rows are compared as the databases do,
  NULL equal to NULL and text code point by code point on all three (MariaDB's tables are
  ``utf8mb4_nopad_bin``: "a", "A" and "a " stay apart); ``values()`` rows holding a JSON
  field but not the key are refused there, as by ``distinct()`` (PostgreSQL compares JSON
  values as Python does, SQLite and MariaDB their text).
* An ``EmptyQuerySet`` drops out as in Django: of a union, of a difference's others; an
  intersection with one is empty, a difference of one is empty.

The order is by position in the compound (``ORDER BY 2 DESC``), NULL first ascending on
every database, as ferrule orders elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from typing_extensions import Self

from ferrule import sql
from ferrule.errors import FieldError, ORMError
from ferrule.orm import json_keys, now, null_order
from ferrule.orm.empty import EmptyQuerySet
from ferrule.orm.queryset import _STATE, QuerySet
from ferrule.orm.selecting import refuse_json_rows

__all__ = ["CombinedQuerySet", "combine"]

M = TypeVar("M")

_COMPOUNDS: dict[tuple[str, bool], Callable[..., Any]] = {
    ("union", False): sql.union,
    ("union", True): sql.union_all,
    ("intersection", False): sql.intersect,
    ("difference", False): sql.except_,
}


class CombinedQuerySet(QuerySet[M]):
    """The result of ``union()``/``intersection()``/``difference()`` (the module docstring)."""

    __slots__ = ("_combined",)

    _combined: tuple[str, bool, tuple[QuerySet[Any], ...]]

    def __repr__(self) -> str:
        return f"<CombinedQuerySet {self._model.__name__} {self._combined[0]}>"

    def _clone(self, slot: str | None = None, value: Any = None) -> QuerySet[M]:
        out: Any = super()._clone(slot, value)
        out._combined = self._combined
        return out  # type: ignore[no-any-return]

    def _after(self, call: str) -> Any:
        raise ORMError(
            f"{self._model.__name__}: {call} after {self._combined[0]}() is not supported "
            "(only order_by(), slicing, values(), values_list(), count(), exists(), get(), "
            "first() and last())"
        )

    def none(self) -> Self:
        return QuerySet(self._model).none()  # type: ignore[return-value]

    def values(self, /, *names: str, **expressions: Any) -> QuerySet[Any]:
        if expressions:
            self._after("values() with expressions")
        out: Any = super().values(*names)
        kind, keep, parts = self._combined
        out._combined = (kind, keep, tuple(p.values(*names) for p in parts))
        return out  # type: ignore[no-any-return]

    def values_list(self, *names: Any, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        if not all(isinstance(name, str) for name in names):
            self._after("values_list() with expressions")
        out: Any = super().values_list(*names, flat=flat, named=named)
        kind, keep, parts = self._combined
        out._combined = (kind, keep, tuple(p.values_list(*names, flat=flat) for p in parts))
        return out  # type: ignore[no-any-return]

    async def get(self, /, *args: Any, **kwargs: Any) -> M:
        if args or kwargs:
            self._after("get() with conditions")
        return await super().get()

    async def count(self) -> int:
        db = self._database
        inner = self._select(db.dialect, labeled=True)[0].subquery("combined")
        return int(await db.fetch_val(sql.select(sql.func.count(sql.raw("*"))).from_(inner)))

    async def exists(self) -> bool:
        return await self[:1].count() > 0

    async def _fetch_rows(self, db: Any, found: Any = None) -> list[Any]:
        query, described = self._select(db.dialect)
        rows = await db.fetch_tuples(query)
        return await self._materialize(db, rows, described)

    def _select(
        self, dialect: str, columns: list[Any] | None = None, labeled: bool = False
    ) -> tuple[Any, list[Any]]:
        kind, keep, parts = self._combined
        with now.one_clock():  # one statement: one Now() instant in every part
            selects = [part._select(dialect, labeled=labeled) for part in parts]
        described: list[Any] = selects[0][1]
        for _, other in selects[1:]:
            _check_columns(self, described, other)
        if len(selects) > 1 and not keep:  # rows told apart by their values: not JSON's
            refuse_json_rows(self, described, kind, dialect)
        queries = [s[0] for s in selects]
        query: Any = queries[0] if len(queries) == 1 else _COMPOUNDS[kind, keep](*queries)
        names = [d[1] for d in described]
        ordering = []
        for name in self._order or ():
            term: Any = sql.raw(str(_position(self, names, name.lstrip("-")) + 1))
            ordering.append(null_order.term(term, name.startswith("-"), dialect))
        if ordering:
            query = query.order_by(*ordering)
        if self._limit is not None:
            query = query.limit(self._limit)
        if self._offset:
            if self._limit is None and dialect in ("sqlite", "mysql"):
                query = query.limit(2**62)  # OFFSET needs a LIMIT there
            query = query.offset(self._offset)
        return query, described


def _position(qs: CombinedQuerySet[Any], names: list[str], name: str) -> int:
    """Where the column that ``order_by(name)`` names sits among the selected ``names``:
    ``pk`` and a relation's name stand for their key columns, as in ``filter()``; a field of
    the model that the rows do not hold is Django's "ORDER BY term does not match any column
    in the result set"."""
    if name in names:
        return names.index(name)
    meta = qs._model._meta
    column = meta.column(name)  # FieldError with a "did you mean" for an unknown name
    relation = meta.relations.get(name)
    if relation is not None and relation.target._meta.options.ordering:
        raise FieldError(
            f"{meta.name}: order_by({name!r}) after {qs._combined[0]}(): a relation orders by "
            f"{relation.target.__name__}'s Meta.ordering, which no selected column holds: "
            f"order by {relation.attname!r}"
        )
    if column.name in names:
        return names.index(column.name)
    raise FieldError(
        f"{meta.name}: order_by({name!r}) after {qs._combined[0]}(): {name!r} is not among the "
        f"columns it selects ({', '.join(names)}): a combination is ordered by its columns"
    )


def _refused(call: str) -> Any:
    def refuse(self: CombinedQuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        return self._after(f"{call}()")

    refuse.__name__ = call
    return refuse


for _call in (
    "filter", "exclude", "alias", "annotate", "distinct", "select_related", "prefetch_related",
    "only", "defer", "select_for_update", "union", "intersection", "difference", "latest",
    "earliest", "in_bulk", "update", "delete", "aggregate",
):  # fmt: skip
    setattr(CombinedQuerySet, _call, _refused(_call))


def combine(first: QuerySet[M], kind: str, others: tuple[Any, ...], keep: bool) -> QuerySet[M]:
    """``first.<kind>(*others, all=keep)`` (``kind``: union, intersection or difference)."""
    model = first._model.__name__
    for other in others:
        if not isinstance(other, QuerySet):
            raise ORMError(f"{model}: {kind}() combines querysets, not {type(other).__name__}")
    if isinstance(first, EmptyQuerySet):
        if kind != "union":
            return first
        rest = [o for o in others if not isinstance(o, EmptyQuerySet)]
        return combine(rest[0], kind, tuple(rest[1:]), keep) if rest else first
    if kind == "intersection" and any(isinstance(o, EmptyQuerySet) for o in others):
        return first.none()
    parts = [_part(first, kind)]
    parts += [_part(o, kind) for o in others if not isinstance(o, EmptyQuerySet)]
    for part in parts[1:]:
        _check_parts(parts[0], part, kind)
    made: Any = object.__new__(CombinedQuerySet)
    for name in _STATE:  # the state of the first part, as the combination's
        setattr(made, name, getattr(first, name))
    made._where, made._order, made._key = (), (), None
    made._combined = (kind, keep, tuple(parts))
    return made  # type: ignore[no-any-return]


def _part(qs: QuerySet[Any], kind: str) -> QuerySet[Any]:
    model = qs._model.__name__
    if isinstance(qs, CombinedQuerySet):
        raise ORMError(f"{model}: a {qs._combined[0]}() inside a {kind}() is not supported")
    if qs._order:
        raise ORMError(
            f"{model}: a part of {kind}() cannot be ordered (SQLite takes no order inside a "
            "compound): order the combination"
        )
    if qs._limit is not None or qs._offset or qs._single:
        raise ORMError(f"{model}: a part of {kind}() cannot be a slice: slice the combination")
    if qs._related or qs._prefetch or qs._lock is not None:
        raise ORMError(
            f"{model}: a part of {kind}() takes no select_related(), prefetch_related() or "
            "select_for_update()"
        )
    return qs._clone("_order", ())  # the model's own ordering dropped


def _check_parts(first: QuerySet[Any], other: QuerySet[Any], kind: str) -> None:
    model = first._model.__name__
    if (first._flat is None) != (other._flat is None):
        raise ORMError(f"{model}: {kind}() of instances with values() rows")
    if first._flat is None and (
        other._model is not first._model
        or other._fields != first._fields
        or tuple(other._annotations) != tuple(first._annotations)
    ):
        raise ORMError(
            f"{model}: {kind}() of instances takes querysets of {model} loading the same "
            f"fields and annotations, not of {other._model.__name__}"
        )


def _check_columns(qs: Any, first: list[Any], other: list[Any]) -> None:
    """Refuse parts whose columns differ in number or type (each database would answer its
    own way: SQLite mixes anything, PostgreSQL refuses, MariaDB converts)."""
    model = qs._model.__name__
    if len(first) != len(other):
        raise ORMError(
            f"{model}: the parts of {qs._combined[0]}() select {len(first)} and {len(other)} "
            "columns"
        )
    for (kind_a, name_a, a), (kind_b, name_b, b) in zip(first, other, strict=True):
        if kind_a != kind_b or kind_a != "value" or a is None or b is None:
            continue
        a = a.column if isinstance(a, json_keys.Read) else a  # a key read: its JSON field
        b = b.column if isinstance(b, json_keys.Read) else b
        if (a.logical, a.enum) != (b.logical, b.enum):
            raise ORMError(
                f"{model}: {qs._combined[0]}() combines {name_a} ({a.logical.name}) with "
                f"{name_b} ({b.logical.name}): the columns of its parts have one type each"
            )
