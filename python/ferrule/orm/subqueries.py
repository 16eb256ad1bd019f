"""``Subquery``, ``OuterRef`` and ``Exists``: a QuerySet inside another query's annotations,
filters, ordering and values, correlated with the outer row by ``OuterRef("field")``.

The rules that make one answer on SQLite, PostgreSQL and MariaDB:

* A ``Subquery`` is one value: its QuerySet selects one column (``values("x")``) and is sliced
  to at most one row (``[:1]``, ``[3:4]``). Both are checked when it is built. A subquery
  that returns several rows is an error on PostgreSQL and MariaDB but silently its first row
  on SQLite; refusing it up front leaves no query whose answer depends on the database
  (``values(...).annotate(...)`` aggregating over a group pinned by an OuterRef is one row:
  slice it too).
* Its value has its column's type (a datetime read from SQLite's text, an int from
  MariaDB's ``SUM``): ``orm.arithmetic`` gets the ``Kind`` of the selected column or
  annotation. ``Exists`` is a bool everywhere.
* The inner query's tables are aliased ``u1``, ``u1j0``... (``u2`` one level deeper), so a
  subquery over the outer model's own table reads its own rows, and ``OuterRef`` the outer
  ones. An ``OuterRef`` is resolved against the outer model as a filter name is (unknown:
  ``FieldError`` with a "did you mean"); ``OuterRef(OuterRef("pk"))`` reads two levels
  out. It may follow forward relations of the outer model, not to-many ones, whose join
  would repeat the outer rows.
* ``Exists`` is a condition of its own (``filter(Exists(...))``, ``~Exists(...)``, inside
  ``Q(...)`` and ``When(...)``): in a ``Q`` it is held as the child ``(CONDITION, exists)``.
* A field compared with a ``Subquery``, an ``OuterRef`` or an ``F`` of another type (a number
  with text, a date with a datetime) is a ``FieldError``: SQLite and MariaDB would convert one side,
  each its own way, and PostgreSQL refuse the operator."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError, ORMError
from ferrule.orm.expressions import Combinable, Q, shown

if TYPE_CHECKING:
    from ferrule.orm.arithmetic import Kind
    from ferrule.orm.compiler import Scope

__all__ = [
    "CONDITION",
    "EXPRESSIONS",
    "OUTER",
    "Exists",
    "OuterRef",
    "Subquery",
    "check_compared",
    "check_in",
    "compile",
    "condition",
    "kind",
    "nested",
]

#: the name of a ``Q`` child that is a condition object (an ``Exists``), not ``field=value``:
#: no field or annotation can have it
CONDITION = "(condition)"

#: the scope of the query a subquery is being compiled in (``compiler.Scope`` reads it)
OUTER: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("ferrule_outer", default=None)

#: the deepest nesting of subqueries (``__in=queryset``, ``Subquery``, ``Exists``) a query
#: takes: each level compiles its own query, some frames deep each, and 100 levels reached
#: Python's recursion limit (a bare RecursionError)
MAX_NESTED = 32
_NESTED: contextvars.ContextVar[int] = contextvars.ContextVar("ferrule_nested", default=0)


@contextlib.contextmanager
def nested(model: Any) -> Iterator[None]:
    """Around the compiling of a subquery of ``model``: an ``ORMError`` past ``MAX_NESTED``."""
    depth = _NESTED.get() + 1
    if depth > MAX_NESTED:
        raise ORMError(
            f"{model.__name__}: subqueries nested more than {MAX_NESTED} deep "
            "(__in=<QuerySet>, Subquery, Exists): a query takes at most that many"
        )
    token = _NESTED.set(depth)
    try:
        yield
    finally:
        _NESTED.reset(token)


class OuterRef(Combinable):
    """A field of the outer query's row, in a ``Subquery`` or ``Exists`` QuerySet's filters
    and annotations: ``Post.filter(author=OuterRef("pk"))``."""

    __slots__ = ("name",)

    def __init__(self, name: str | OuterRef) -> None:
        if not isinstance(name, OuterRef) and (not isinstance(name, str) or not name):
            raise FieldError(f"OuterRef() needs a field name (or an OuterRef), not {shown(name)}")
        self.name: Any = name if isinstance(name, OuterRef) else str.__str__(name)

    def __repr__(self) -> str:
        return f"OuterRef({self.name!r})"


def _queryset(what: str, value: Any) -> Any:
    from ferrule.orm.queryset import QuerySet

    if not isinstance(value, QuerySet):
        raise FieldError(f"{what}() takes a QuerySet, not {shown(value)}")
    return value


class Subquery(Combinable):
    """One value from a QuerySet per outer row: ``Subquery(Post.filter(author=OuterRef("pk"))
    .order_by("-created").values("title")[:1])``; or, after ``__in``, all its rows."""

    __slots__ = ("output_field", "query")

    def __init__(self, queryset: Any, output_field: Any = None) -> None:
        if output_field is not None:  # Django's: a check of its column's type
            from ferrule.orm.output_fields import declared

            declared(output_field)  # (an output_field that names no type: refused now)
        self.output_field = output_field
        query = _queryset("Subquery", queryset)
        name = query._model.__name__
        if query._values is None:
            raise FieldError(
                f"Subquery({name} QuerySet): it selects whole rows: name its one column "
                "with values('field')"
            )
        if len(query._values) != 1:
            raise FieldError(
                f"Subquery({name} QuerySet): it selects {', '.join(query._values)}: a "
                "Subquery gives one column"
            )
        self.query = query

    def __repr__(self) -> str:
        return f"Subquery(<{self.query._model.__name__} QuerySet>)"


class Exists(Combinable):
    """Whether a QuerySet has a row (per outer row, through its ``OuterRef``s): a condition
    in ``filter()``, ``~Exists(...)`` its negation, a bool in ``annotate()``."""

    __slots__ = ("negated", "query")

    def __init__(self, queryset: Any, *, negated: bool = False) -> None:
        self.query = _queryset("Exists", queryset)
        self.negated = bool(negated)

    def __invert__(self) -> Exists:
        return Exists(self.query, negated=not self.negated)

    # Exists(...) & Q(...), |, ^: a condition among Q objects, as Q(Exists(...)) is
    def __and__(self, other: Any) -> Any:
        return Q(self).__and__(other)

    def __or__(self, other: Any) -> Any:
        return Q(self).__or__(other)

    def __xor__(self, other: Any) -> Any:
        return Q(self).__xor__(other)

    def __repr__(self) -> str:
        shown_ = f"Exists(<{self.query._model.__name__} QuerySet>)"
        return f"~{shown_}" if self.negated else shown_


#: the expressions of this module (``compiler`` and ``arithmetic`` hand them here)
EXPRESSIONS = (OuterRef, Subquery, Exists)


# -- SQL -------------------------------------------------------------------------------------


def compile(scope: Scope, value: Any) -> Any:
    """The SQL of an ``OuterRef``, ``Subquery`` or ``Exists`` inside ``scope``'s query."""
    if isinstance(value, OuterRef):
        return _outer(scope, value)[0]
    scope.subqueries = True  # it reads a table again (MariaDB cannot in a write of it)
    with nested(value.query._model):
        return _compiled(scope, value)


def _compiled(scope: Scope, value: Any) -> Any:
    token = OUTER.set(scope)
    try:
        if isinstance(value, Subquery):
            query = value.query
            if query._limit is None or query._limit > 1:
                raise FieldError(
                    f"Subquery({query._model.__name__} QuerySet): slice it to one row ([:1]): "
                    "here it is one value, and PostgreSQL and MariaDB raise when a subquery "
                    "gives several rows, SQLite takes any one (after __in, every row is read)"
                )
            return query._select(scope.dialect)[0].scalar()
        probe = value.query._clone("_order", ())
        selected = None if probe._offset else [sql.raw("1")]  # past an offset: its own rows
        found = probe._select(scope.dialect, selected)[0].exists()
    finally:
        OUTER.reset(token)
    return sql.not_(found) if value.negated else found


def rows(scope: Scope, value: Subquery) -> Any:
    """A Subquery after ``__in``: every row of its one column (``QuerySet._subquery``: its
    NULLs left out), correlated through its ``OuterRef``s with ``scope``'s query."""
    scope.subqueries = True
    token = OUTER.set(scope)
    try:
        return value.query._subquery(scope.dialect)
    finally:
        OUTER.reset(token)


def condition(scope: Scope, value: Any) -> Any:
    """The condition of a ``Q`` child named ``CONDITION`` (an ``Exists``)."""
    if not isinstance(value, Exists):
        raise FieldError(
            f"{scope.model.__name__}: {CONDITION!r} names no field: a condition object in a "
            f"filter is an Exists, not {shown(value)}"
        )
    return compile(scope, value)


def _outer(scope: Scope, value: OuterRef) -> tuple[Any, Any]:
    """``(expression, outer scope)`` of an ``OuterRef``: its name resolved on the outer query."""
    outer = scope.outer
    if outer is None:
        raise FieldError(
            f"{scope.model.__name__}: {value!r} is outside a Subquery or Exists: there is no "
            "outer query to read"
        )
    if isinstance(value.name, OuterRef):
        return _outer(outer, value.name)
    probe = type(outer)(outer.model, outer.dialect)
    probe.column_of(value.name)  # FieldError with a "did you mean" for an unknown name
    if probe.multi_paths:
        raise FieldError(
            f"{outer.model.__name__}: {value!r} reads a to-many relation, whose join would "
            "repeat the outer rows: correlate with the outer model's own fields and forward "
            "relations"
        )
    return outer.column_of(value.name)[0], outer


# -- kinds -----------------------------------------------------------------------------------


def kind(scope: Scope, value: Any) -> Kind:
    """The ``orm.arithmetic.Kind`` of an ``OuterRef``, ``Subquery`` or ``Exists``."""
    from ferrule.orm import arithmetic
    from ferrule.orm.expressions import F

    if isinstance(value, Exists):
        return arithmetic.Kind("bool")
    if isinstance(value, OuterRef):
        outer = scope.outer
        if outer is None:
            _outer(scope, value)  # its FieldError
        assert outer is not None
        if isinstance(value.name, OuterRef):
            return kind(outer, value.name)
        return arithmetic.kind_of(outer, F(value.name))
    found = _selected_kind(scope, value.query, value.query._values[0])
    if value.output_field is None:
        return found
    from ferrule.orm.output_fields import checked, declared

    return checked(scope, value, found, *declared(value.output_field))


def _selected_kind(scope: Scope, query: Any, name: str) -> Kind:
    """The kind of the field or annotation ``name`` that ``query`` selects."""
    from ferrule.orm import arithmetic
    from ferrule.orm.expressions import F

    token = OUTER.set(scope)
    try:
        inner = type(scope)(query._model, scope.dialect)
        inner.annotations = query._annotations
        if name in query._annotations:
            return arithmetic.kind_of(inner, query._annotations[name])
        return arithmetic.kind_of(inner, F(name))
    finally:
        OUTER.reset(token)


def check_compared(scope: Scope, value: Any, column: Any) -> None:
    """Refuse ``column`` compared with ``value`` (a Subquery, an OuterRef or an ``F``) of
    another type."""
    from ferrule.orm import arithmetic

    theirs = (
        kind(scope, value) if isinstance(value, EXPRESSIONS) else arithmetic.kind_of(scope, value)
    )
    mine = arithmetic.column_kind(column)
    if "null" in (mine.name, theirs.name) or _family(mine) == _family(theirs):
        return
    raise FieldError(
        f"{scope.model.__name__}: {column.name} ({_family(mine)}) cannot compare with "
        f"{value!r}, which gives {_family(theirs)}: the databases would convert one side "
        "each their own way (or refuse)"
    )


def check_in(scope: Scope, query: Any, column: Any, name: str) -> None:
    """Refuse ``name__in=<QuerySet>`` whose rows cannot be ``column``'s values: model rows
    (their keys) of another model than the one a key column or primary key holds keys of
    (Django's "Cannot use QuerySet for ..."), several ``values()`` columns (Django: "Cannot
    use multi-field values as a filter value"), or one of another type (PostgreSQL refuses
    the operator, SQLite and MariaDB would convert one side each their own way)."""
    from ferrule.orm import arithmetic
    from ferrule.orm.columns import Column

    if not isinstance(column, Column):
        return
    model = scope.model.__name__
    theirs = query._model
    if query._values is None:
        holds = column.relation.target if column.relation is not None else None
        if holds is None and column.primary_key:
            holds = column.model
        if isinstance(holds, type) and not issubclass(theirs, holds):
            raise FieldError(
                f"{model}: {name} compared with a {theirs.__name__} QuerySet, whose rows "
                f"stand for {theirs.__name__} keys: {column.name} holds {holds.__name__} "
                f"keys (select the keys to compare with values('...'))"
            )
        selected = theirs._meta.pk.name
    elif len(query._values) != 1:
        raise FieldError(
            f"{model}: {name} compared with a {theirs.__name__} QuerySet of "
            f"{len(query._values)} values() columns {list(query._values)}: select one field"
        )
    else:
        selected = query._values[0]
    mine = arithmetic.column_kind(column)
    found = _selected_kind(scope, query, selected)
    if "null" in (mine.name, found.name) or _family(mine) == _family(found):
        return
    raise FieldError(
        f"{model}: {name}: {column.name} ({_family(mine)}) cannot be compared with the "
        f"{theirs.__name__} QuerySet's {selected} ({_family(found)}): the databases would "
        "convert one side each their own way (or refuse)"
    )


#: the logical types compared as text
_TEXTS = frozenset({"str", "text"})


def _family(kind: Kind) -> str:
    """What a kind compares as: numbers with numbers, text with text, a type with itself."""
    from ferrule.orm.arithmetic import NUMBERS

    if kind.name in NUMBERS or kind.name == "avg":
        return "a number"
    if kind.name != "field":
        return kind.name
    column = kind.column
    if column.encryption is not None or column.password is not None:
        return f"the encrypted {column.name}"
    if column.enum is not None:
        return f"a {column.enum.__name__}"
    logical = column.logical.name
    return "text" if logical in _TEXTS else logical
