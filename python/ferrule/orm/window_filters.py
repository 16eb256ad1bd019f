"""Filters on window annotations: ``Post.annotate(r=Window(RowNumber(), partition_by=["author"],
order_by=["-views"])).filter(r__lte=3)``, as Django 4.2 allows.

A window is computed after WHERE, so a condition on one cannot sit there. The query is run as
a derived table (its filters on fields, the joins they need and the windows, every column
labelled ``c0``, ``c1``...) and the window conditions go in the outer query's WHERE, with its
ORDER BY, DISTINCT, LIMIT and OFFSET; the rows and their types are those of the plain query.

* Conditions on fields (and on annotations without a window) apply BEFORE the windows are
  computed, wherever they come in the chain; conditions on window annotations AFTER, as in
  Django. ``exclude()`` and ``~Q`` keep the rows where the window is NULL (the complement of
  ``filter()``), as on other annotations.
* Lookups: those of annotations (``exact``, ``gt``, ``gte``, ``lt``, ``lte``, ``in``, ``range``,
  ``isnull``), compared with values or ``F()`` of a field or annotation of the window's type
  (read from the derived table; another type is a ``FieldError``, each database comparing
  them its own way); another expression (``Subquery``, arithmetic...) is a ``FieldError``.
* An OR (or a NOT over an AND) mixing a window condition with a field condition is computed
  whole after the windows (as Django 4.2 does): its field conditions read the row the
  window saw, so they do not narrow the rows the windows are computed over (only ANDed
  field conditions do). There a field is compared with values (not an ``Exists()`` or an
  expression), and a date part or a key inside JSON is a ``FieldError``.
* ``count()``, ``exists()``, ``first()``, ``last()``, slices, ``order_by()`` (a window alias
  too), ``values()``/``values_list()``, ``iterator()`` and ``aggregate()`` read the outer
  rows. ``update()``/``delete()`` write the rows whose keys the query returns (read first, as
  for a filter through a join: ``orm.writes``). ``select_for_update()`` is refused (a
  derived table's rows cannot be locked on PostgreSQL and MariaDB). Inside ``Subquery()`` or
  ``Exists()`` such a filter works on SQLite and PostgreSQL, and is refused on MariaDB, whose
  derived tables cannot read the outer query's columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import arithmetic, datetimes, json_keys, null_order, subqueries
from ferrule.orm.chains import chained
from ferrule.orm.compiler import LOOKUPS, Scope, limited, pairs
from ferrule.orm.expressions import EXPRESSIONS, F, Q, shown
from ferrule.orm.lookups import is_json
from ferrule.orm.windows import contains_window
from ferrule.sql.nodes import Expr

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["Outside", "select", "split"]

#: the derived table's alias
_ALIAS = "windowed"


def split(qs: QuerySet[Any]) -> tuple[tuple[Q, ...], tuple[Q, ...]] | None:
    """``(before, after)``: the filters computed before the windows and those on window
    annotations, or None when no filter names a window annotation."""
    annotations = qs._annotations
    if not annotations or not qs._where:
        return None
    windowed = frozenset(n for n, v in annotations.items() if contains_window(v, annotations))
    if not windowed:
        return None
    before: list[Q] = []
    after: list[Q] = []
    for node in qs._where:
        inner, outer = _split(qs._model.__name__, node, windowed)
        if inner is not None:
            before.append(inner)
        if outer is not None:
            after.append(outer)
    return (tuple(before), tuple(after)) if after else None


def _windowed(name: str, windowed: frozenset[str]) -> bool:
    return name.partition("__")[0] in windowed


def _split(model: str, node: Q, windowed: frozenset[str]) -> tuple[Q | None, Q | None]:
    """A condition's parts before and after the windows (ANDed parts are sorted apart)."""
    if not node.negated and node.connector == "and":
        inner: list[Any] = []
        outer: list[Any] = []
        for child in node.children:
            if isinstance(child, Q):
                low, high = _split(model, child, windowed)
                inner += [low] if low is not None else []
                outer += [high] if high is not None else []
            else:
                (outer if _windowed(child[0], windowed) else inner).append(child)
        return _and(inner), _and(outer)
    kinds = {_windowed(name, windowed) for name, _ in pairs(node)}
    return (None, node) if True in kinds else (node, None)  # a mixed OR/NOT: after


def _and(children: list[Any]) -> Q | None:
    if not children:
        return None
    out = Q()
    out.children = children
    return out


class Outside(Scope):
    """The outer query's names: a window annotation, and a field an OR/NOT beside one
    reads, are their columns of the derived table."""

    def __init__(self, model: Any, dialect: str, annotations: dict[str, Any] | None = None) -> None:
        super().__init__(model, dialect)
        # made as ``type(scope)(model, dialect)`` to resolve a name: a plain scope then
        self.after_windows: dict[int, Any] | None = None
        self.named: dict[str, Any] = {}  # F(name) compared with a window -> its column
        self.fields: dict[str, Any] = {}  # a field path in a mixed OR/NOT -> its column
        if annotations is not None:
            self.annotations = annotations
            self.after_windows = {}  # id(annotation) -> its column

    def expression(self, value: Any) -> Any:
        if type(value) is F and value.name in self.named:
            return self.named[value.name]
        found = self.after_windows.get(id(value)) if self.after_windows else None
        return found if found is not None else super().expression(value)

    def resolve(self, name: str, *, lookups: bool) -> tuple[Any, Any, str]:
        expr, column, lookup = super().resolve(name, lookups=lookups)
        found = self.fields.get(_path(name)) if lookups else None
        return (expr, column, lookup) if found is None else (found, column, lookup)

    def windowed(self, node: Q, negated: bool = False) -> Any:
        """A ``Q`` of window conditions (no joins, so no rewriting of NOT)."""
        odd = negated != node.negated and node.connector != "xor"  # XOR: flags, never NULL
        parts = []
        for child in node.children:
            if isinstance(child, Q):
                parts.append(self.windowed(child, odd))
            else:
                name, value = child
                if self.after_windows is not None and name.partition("__")[0] in self.annotations:
                    self._check_value(name, value)
                parts.append(self.condition(name, value, odd))
        combined = parts[0] if len(parts) == 1 else None
        if len(parts) > 1:
            combined = chained(node.connector, parts, self.dialect)
        if combined is None:
            return None
        return sql.not_(combined) if node.negated else combined

    def _check_value(self, name: str, value: Any) -> None:
        """A window is compared with values, or with ``F`` of a field or annotation of the
        same type (read from the derived table); not with other expressions."""
        model = self.model.__name__
        for item in _items(value):
            if not isinstance(item, EXPRESSIONS):
                continue
            if type(item) is not F:
                raise FieldError(
                    f"{model}: {name}: a window annotation is compared with values or F() "
                    f"of a field, not {shown(item)} (the outer query reads the rows of a "
                    "derived table)"
                )
            mine = arithmetic.kind_of(self, self.annotations[name.partition("__")[0]])
            theirs = arithmetic.kind_of(self, item)
            if _typed(mine) != _typed(theirs):
                raise FieldError(
                    f"{model}: {name}: {shown(item)} is {arithmetic.described(theirs)}, the "
                    f"window {arithmetic.described(mine)}: each database compares those its "
                    "own way"
                )


def _items(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _typed(kind: Any) -> tuple[str, Any]:
    return (kind.name, kind.column.logical.name if kind.name == "field" else None)


def _path(name: str) -> str:
    """A filter name without its lookup: ``author__name__icontains`` -> ``author__name``."""
    parts = name.split("__")
    if len(parts) > 1 and parts[-1] in LOOKUPS:
        parts.pop()
    return "__".join(parts)


def _read_fields(qs: QuerySet[Any], dialect: str, after: tuple[Q, ...]) -> list[str]:
    """The field paths the conditions on fields in an OR/NOT beside a window read (from the
    derived table, as the window saw the row): a plain field or a relation's, compared with
    values; a date part, a key inside JSON, an ``Exists`` or an expression is refused."""
    model = qs._model.__name__
    paths = []
    for q in after:
        for name, value in pairs(q):
            if name.partition("__")[0] in qs._annotations:
                continue
            if (type(name) is str and name == subqueries.CONDITION) or any(
                isinstance(v, EXPRESSIONS) for v in _items(value)
            ):
                raise FieldError(
                    f"{model}: {q!r}: a condition beside a window under OR/NOT is read after "
                    "the windows, on values of fields: not an Exists() or an expression; "
                    "filter it in a filter() call of its own"
                )
            path = _path(name)
            expr, column, _ = Scope(qs._model, dialect).resolve(name, lookups=True)
            transformed = any(p in datetimes.PARTS for p in path.split("__")[1:])
            if transformed or isinstance(expr, json_keys.KeyPath) or is_json(column):
                raise FieldError(
                    f"{model}: {q!r}: {name} beside a window under OR/NOT: a date part or a "
                    "JSON key is not read after the windows; filter it in a filter() call of "
                    "its own"
                )
            paths.append(path)
    return paths


def _compared(after: tuple[Q, ...]) -> list[str]:
    """The names of the ``F``s window conditions compare with."""
    return [item.name for q in after for _, v in pairs(q) for item in _items(v) if type(item) is F]


def select(
    qs: QuerySet[Any],
    parts: tuple[tuple[Q, ...], tuple[Q, ...]],
    dialect: str,
    columns: list[Any] | None,
) -> tuple[Any, list[Any]]:
    """``QuerySet._select`` of a query filtering on window annotations (the docstring)."""
    model = qs._model
    if qs._lock is not None:
        raise FieldError(
            f"{model.__name__}: select_for_update() with a filter on a window annotation: the "
            "rows of a derived table cannot be locked"
        )
    if dialect == "mysql" and subqueries.OUTER.get() is not None:
        raise FieldError(
            f"{model.__name__}: a filter on a window annotation inside Subquery()/Exists() on "
            "MariaDB, whose derived tables cannot read the outer query (error 1054): filter "
            "the window in a query of its own"
        )
    before, after = parts
    inner = qs._clone("_where", before)
    inner._limit = inner._offset = None
    inner._single = inner._distinct = False
    order = qs._order_names()
    wanted = [n.lstrip("-") for n in order]
    wanted += [
        n.partition("__")[0]
        for q in after
        for n, _ in pairs(q)
        if n.partition("__")[0] in qs._annotations
    ]
    wanted += _compared(after)
    fields = _read_fields(qs, dialect, after)
    wanted += fields
    # what the outer query reads that the inner one would not return: added at the end
    returned = _returned(qs)
    hidden: dict[str, str] = {}  # name -> the label it is selected under
    for name in wanted:
        if name in returned or name in hidden:
            continue
        if qs._values is not None:
            inner._values = (*(inner._values or ()), name)
            hidden[name] = name
        else:
            label = f"_w{len(hidden)}"
            inner._annotations = {**inner._annotations, label: F(name)}
            hidden[name] = label
    query, described = inner._select(dialect)
    labels = [f"c{i}" for i in range(len(described))]
    position = {d[1]: i for i, d in enumerate(described) if d[0] in _NAMED}

    def column(name: str) -> Any:
        return sql.column(labels[position[hidden.get(name, name)]], _ALIAS)

    relabelled, names = _relabelled(query, labels)
    derived = relabelled.subquery(_ALIAS, labels)
    shown_count = len(described) - len(hidden)
    if columns is None:  # named as the plain query names them (aggregate() reads them so)
        columns = [
            sql.column(label, _ALIAS).label(name) if name else sql.column(label, _ALIAS)
            for label, name in zip(labels[:shown_count], names, strict=False)
        ]
        described = described[:shown_count]
    else:
        described = []
    outside = Outside(model, dialect, qs._annotations)
    outside.fields = {path: column(path) for path in fields}
    for name in {n.partition("__")[0] for q in after for n, _ in pairs(q)} - set(fields):
        if name not in qs._annotations:
            continue
        outside.after_windows[id(qs._annotations[name])] = column(name)  # type: ignore[index]
    outside.named = {name: column(name) for name in _compared(after)}
    conditions = [c for c in (outside.windowed(q) for q in after) if c is not None]
    out = sql.select(*columns).from_(derived)
    if conditions:
        out = out.where(*conditions)
    if qs._distinct:
        out = out.distinct()
    terms = []
    for name in order:
        terms.append(null_order.term(column(name.lstrip("-")), name.startswith("-"), dialect))
    if terms:
        out = out.order_by(*terms)
    out = limited(out, qs._limit, qs._offset, dialect)
    return out, described


#: the kinds of selected columns a name finds (``QuerySet._select``'s ``described``)
_NAMED = frozenset({"field", "annotation", "value"})


def _returned(qs: QuerySet[Any]) -> frozenset[str]:
    """The names the plain query returns as columns of their own."""
    if qs._values is not None:
        return frozenset(qs._values)
    meta = qs._model._meta
    return frozenset((*(qs._fields or meta.columns), *qs._annotations))


def _relabelled(query: Any, labels: list[str]) -> tuple[Any, list[str | None]]:
    """``query`` without its ORDER BY, its columns labelled ``labels`` in order (the
    builder's chain of steps, ``ferrule.sql.builder``, rebuilt), and the names they had."""
    steps = []
    link = query._c
    while link is not None:
        link, step, arg = link
        steps.append((step, arg))
    out = sql.select()
    out._c = None
    index = 0
    names: list[str | None] = []
    for step, arg in reversed(steps):
        if step == "order":
            continue
        if step == "cols":
            named = []
            for node in arg:
                bare = node[1] if node[0] == "label" else node
                names.append(node[2] if node[0] in ("label", "col") else None)
                named.append(Expr(bare).label(labels[index]))
                index += 1
            arg = tuple(named)
        out._c = (out._c, step, arg)
    return out, names
