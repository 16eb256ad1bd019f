"""Window expressions in ``annotate()``: ``Window(Rank(), partition_by=["author"],
order_by=[F("views").desc()])`` and the functions ``RowNumber``, ``Rank``, ``DenseRank``,
``Ntile``, ``Lag``, ``Lead``, ``FirstValue``, ``LastValue``, ``NthValue``, and the aggregates
``Count``, ``Sum``, ``Avg``, ``Min``, ``Max`` over a window. One answer on SQLite, PostgreSQL and
MariaDB:

* The frame is the SQL default (Django's) unless ``frame=`` says otherwise: the whole
  partition without ``order_by``; with it, from the partition's start to the current row's
  last peer (the rows equal to it in every ``order_by`` term). ``frame=RowRange(...)``
  counts rows in ``order_by`` order, then by primary key; ``ValueRange(...)`` takes peer
  groups (``orm.frames``). Refused (``FieldError``): a frame for the ranks, ``RowNumber``,
  ``Ntile``, ``Lag`` and ``Lead`` (SQL ignores it); a ``ValueRange`` for ``FirstValue``,
  ``LastValue`` and ``NthValue`` (its ends are peer groups, with no order inside); offsets
  in a ``ValueRange`` without exactly one ``order_by`` term of ints or decimals (decimals
  not on SQLite, which holds them as doubles); a bound that is not an int or None, or a
  start after the end. SQLite raises a ``DataError`` for a row whose int term is within an
  offset of the ends of a 64-bit int (it adds in doubles there).
* Rows tied in ``order_by`` would be taken in whatever order the database met them by the
  functions that pick one row (``RowNumber``, ``Ntile``, ``Lag``, ``Lead``, ``FirstValue``,
  ``LastValue``, ``NthValue``): ties are broken there by the primary key, ascending. Every
  window function needs an ``order_by`` (the aggregates do not). ``LastValue`` is the value
  of the current row's last peer (in that order); ``NthValue`` is None while the frame has
  fewer than ``nth`` rows. ``Rank``, ``DenseRank`` and the aggregates read peers together
  and need no tie-break.
* MariaDB computes some sets of windows in one query in a sort made for another window
  (``_check_mariadb``): such a set is a ``FieldError`` there.
* NULL sorts as the smallest value, as in ``order_by()`` (PostgreSQL is told so); text by
  code point (PostgreSQL's in ``COLLATE "C"``, the others' in their binary collations).
* Types follow the source: ``Count``, the ranks and ``Ntile`` are ints; ``Sum`` of ints an
  int, of decimals a decimal of the field's scale (exact); ``Avg`` of ints a float in double
  precision, of decimals the exact mean at the scale + 4 places (``arithmetic.decimal_mean``);
  ``Min``/``Max`` the field's own type; ``Lag``... the expression's type. ``Sum``/``Avg`` of
  floats are refused (each database adds doubles in its own order), and so are ``Min``/``Max``
  of text, bools and other types each database compares its own way, ``distinct=`` and
  ``filter=``.
* A filter on a window annotation applies after the windows are computed, ANDed filters on
  fields before; an OR/NOT mixing both is computed after (``orm.window_filters``). Refused
  there (``FieldError``): a window compared with an expression other than ``F()`` of its
  own type; beside a window under OR/NOT, a field compared with an expression, a date part,
  a JSON key or an ``Exists()``; ``select_for_update()``; and on MariaDB such a filter
  inside ``Subquery()``/``Exists()``.
* A window cannot be aggregated, written by ``update()``, nested in another window, nor used
  in a query with aggregate annotations (GROUP BY): a ``FieldError``.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from ferrule import sql
from ferrule.backends.params import held
from ferrule.backends.sqlite_functions import MEAN_PLACES
from ferrule.errors import FieldError
from ferrule.orm import arithmetic, null_order
from ferrule.orm.arithmetic import NUMBERS, Kind, described
from ferrule.orm.deviations import FUNCTIONS
from ferrule.orm.expressions import (
    EXPRESSIONS,
    Aggregate,
    Arith,
    Case,
    F,
    Func,
    Value,
    shown,
)
from ferrule.orm.frames import (
    Frame,
    RowRange,
    ValueRange,
    check_value_range,
    guarded,
    ranged_term,
)
from ferrule.orm.function_base import (
    INT,
    NULL,
    TypedFunction,
    _common,
    _is_text,
    whole_argument,
)

__all__ = [
    "DenseRank",
    "FirstValue",
    "Lag",
    "LastValue",
    "Lead",
    "NthValue",
    "Ntile",
    "OrderBy",
    "Rank",
    "RowNumber",
    "Window",
    "WindowFunction",
    "check_filtered",
    "check_not_windowed",
    "contains_window",
]

#: the types Min/Max of a window compare the same way on every database
_ORDERED_FIELDS = frozenset({"date", "datetime", "time"})
_new = object.__new__


class OrderBy:
    """A term of a window's ``order_by``: ``F("views").desc()``, ``F("title").asc()``."""

    __slots__ = ("descending", "expression")

    def __init__(
        self,
        expression: Any,
        descending: bool = False,
        *,
        nulls_first: Any = None,
        nulls_last: Any = None,
    ) -> None:
        if not isinstance(expression, EXPRESSIONS) or isinstance(expression, Value):
            raise FieldError(
                f"asc()/desc() orders by a field or an expression, not {shown(expression)}"
            )
        descending = descending is True
        # NULL is the smallest value everywhere (as in order_by()): Django's nulls_first /
        # nulls_last are taken where they say the same
        said = nulls_last if descending else nulls_first  # where NULL sorts: kept
        other = nulls_first if descending else nulls_last
        if not (said is None or said is True) or not (other is None or other is False):
            raise FieldError(
                f"{shown(expression)}.{'desc' if descending else 'asc'}(): NULL sorts as the "
                "smallest value on every database (first ascending, last descending); "
                "nulls_first/nulls_last cannot change that"
            )
        self.expression = expression
        self.descending = descending

    def __repr__(self) -> str:
        return f"{shown(self.expression)}.{'desc' if self.descending else 'asc'}()"


class WindowFunction(TypedFunction):
    """A function that only a ``Window`` computes (over an ``order_by``)."""

    __slots__ = ()

    def _outside(self, scope: Any) -> FieldError:
        return FieldError(
            f"{scope.model.__name__}: {self!r} is a window function: use it inside "
            f"Window({self!r}, partition_by=..., order_by=...)"
        )

    def kind(self, scope: Any) -> Kind:
        raise self._outside(scope)

    def compile(self, scope: Any) -> Any:
        raise self._outside(scope)

    def window_kind(self, scope: Any) -> Kind:
        return INT

    def window_sql(self, scope: Any, over: _Over) -> Any:
        raise NotImplementedError


class RowNumber(WindowFunction):
    """The row's number in its partition, from 1."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()

    def window_sql(self, scope: Any, over: _Over) -> Any:
        return over.by_rows(sql.func.row_number())


class Rank(WindowFunction):
    """1 + the number of rows before the row's peers (gaps after ties)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()

    def window_sql(self, scope: Any, over: _Over) -> Any:
        return over.by_peers(sql.func.rank())


class DenseRank(Rank):
    """The number of distinct peer groups up to the row's (no gaps)."""

    __slots__ = ()

    def window_sql(self, scope: Any, over: _Over) -> Any:
        return over.by_peers(sql.func.dense_rank())


def _whole(value: int) -> Any:
    """A checked int written into the SQL (MariaDB takes only literals there)."""
    return sql.raw(str(int.__int__(value)))


class Ntile(WindowFunction):
    """The bucket (1 to ``num_buckets``) the row falls in when the partition is cut into
    that many buckets as equal as can be (the first ones one row larger)."""

    __slots__ = ("num_buckets",)

    def __init__(self, num_buckets: Any = 1) -> None:
        super().__init__()
        self.num_buckets = whole_argument("Ntile", "num_buckets", num_buckets, 1)

    def __repr__(self) -> str:
        return f"Ntile({self.num_buckets})"

    def window_sql(self, scope: Any, over: _Over) -> Any:
        return over.by_rows(sql.func.ntile(_whole(self.num_buckets)))


class _Valued(WindowFunction):
    """A function giving the value of ``expression`` at another row."""

    __slots__ = ()

    def window_kind(self, scope: Any) -> Kind:
        kind = arithmetic.kind_of(scope, self.args[0])
        if kind.name == "avg":
            raise self._fail(scope, 0, kind, "an expression of one type on every database")
        return kind

    def _value(self, scope: Any) -> Any:
        return arithmetic.compile(scope, self.args[0])


class _Shifted(_Valued):
    __slots__ = ("offset",)
    _names = ("expression", "default")
    _function: ClassVar[str] = ""

    def __init__(self, expression: Any, offset: Any = 1, default: Any = None) -> None:
        name = type(self).__name__
        if default is None:
            super().__init__(expression)
        else:
            super().__init__(expression, default)
        self.offset = whole_argument(name, "offset", offset, 1)

    def __repr__(self) -> str:
        default = f", default={shown(self.args[1])}" if len(self.args) > 1 else ""
        return f"{type(self).__name__}({shown(self.args[0])}, offset={self.offset}{default})"

    def window_kind(self, scope: Any) -> Kind:
        kind = super().window_kind(scope)
        if len(self.args) == 1:
            return kind
        found = _common(self, scope, [kind, arithmetic.kind_of(scope, self.args[1])], fields=True)
        if found.name == "float" and kind.name == "int":
            raise self._fail(scope, 1, Kind("float"), "an int, as the expression is")
        return found

    def window_sql(self, scope: Any, over: _Over) -> Any:
        function = getattr(sql.func, self._function)
        shifted = over.by_rows(function(self._value(scope), _whole(self.offset)))
        if len(self.args) == 1 or arithmetic.kind_of(scope, self.args[1]) == NULL:
            return shifted
        # MariaDB's LAG/LEAD take no default: it is given where no row is that far away
        default = arithmetic.compile(scope, self.args[1])
        number = over.by_rows(sql.func.row_number())
        if self._function == "lag":
            there = number > _whole(self.offset)
        else:
            rows = over.whole(sql.func.count(sql.raw("*")))
            there = (rows - number) >= _whole(self.offset)
        return sql.case((there, shifted), else_=default)


class Lag(_Shifted):
    """``expression`` at the row ``offset`` rows before (``default`` where none is)."""

    __slots__ = ()
    _function = "lag"


class Lead(_Shifted):
    """``expression`` at the row ``offset`` rows after (``default`` where none is)."""

    __slots__ = ()
    _function = "lead"


class FirstValue(_Valued):
    """``expression`` at the partition's first row."""

    __slots__ = ()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def window_sql(self, scope: Any, over: _Over) -> Any:
        frame = None if over.frame is None else over.frame.bounds
        return over.by_rows(sql.func.first_value(self._value(scope)), frame)


class LastValue(_Valued):
    """``expression`` at the current row's last peer (the frame's last row)."""

    __slots__ = ()

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def window_sql(self, scope: Any, over: _Over) -> Any:
        if over.frame is not None:  # a RowRange (orm.frames)
            return over.by_rows(sql.func.last_value(self._value(scope)), over.frame.bounds)
        # the peers are the rows of the partition with the same order terms; among them the
        # last by primary key: the first by it descending. The terms lead the PARTITION BY:
        # MariaDB shares one sort among windows whose lists start alike (`_check_mariadb`),
        # and these lists seldom start like another window's
        peers = [*over.terms, *over.partition]
        return over.call(sql.func.first_value(self._value(scope)), peers, [(over.key, True)])


class NthValue(_Valued):
    """``expression`` at the frame's ``nth`` row (from 1); None while it has fewer rows."""

    __slots__ = ("nth",)

    def __init__(self, expression: Any, nth: Any = 1) -> None:
        super().__init__(expression)
        self.nth = whole_argument("NthValue", "nth", nth, 1)

    def __repr__(self) -> str:
        return f"NthValue({shown(self.args[0])}, nth={self.nth})"

    def window_sql(self, scope: Any, over: _Over) -> Any:
        nth = _whole(self.nth)
        value = sql.func.nth_value(self._value(scope), nth)
        if over.frame is not None:  # a RowRange (orm.frames): None past the frame's rows
            return over.by_rows(value, over.frame.bounds)
        picked = over.by_rows(value, frame=("rows", None, None))
        seen = over.by_peers(sql.func.count(sql.raw("*")))
        return sql.case((seen >= nth, picked), else_=None)


class _Over:
    """A window's compiled parts: ``partition``, ``order`` (``(expression, descending)``
    pairs), ``terms`` (the ordered expressions alone) and ``key`` (the primary key). The
    ``OVER`` clauses are made here (on MariaDB each is checked by ``_check_mariadb``)."""

    __slots__ = ("frame", "key", "order", "partition", "ranged", "scope", "terms")

    def __init__(
        self,
        scope: Any,
        partition: list[Any],
        order: list[tuple[Any, bool]],
        key: Any,
        frame: Frame | None = None,
    ) -> None:
        self.scope, self.partition, self.order, self.key = scope, partition, order, key
        self.terms = [expr for expr, _ in order]
        self.frame = frame
        #: a ValueRange's one term with offsets: its type ("int"/"decimal") and expression
        self.ranged: tuple[str, Any] | None = None

    def call(
        self,
        function: Any,
        partition: list[Any],
        order: list[tuple[Any, bool]],
        frame: Any = None,
    ) -> Any:
        """``function OVER (PARTITION BY partition ORDER BY order frame)``, NULL smallest."""
        terms = [null_order.term(e, descending, self.scope.dialect) for e, descending in order]
        if self.scope.dialect == "mysql":
            _check_mariadb(self.scope, partition, order)
        return function.over(partition, terms, frame=frame)

    def by_peers(self, function: Any) -> Any:
        """Over the order's terms alone: tied rows are peers."""
        return self.call(function, self.partition, self.order)

    def by_rows(self, function: Any, frame: Any = None) -> Any:
        """Over the order, ties broken by the primary key (ascending)."""
        return self.call(function, self.partition, [*self.order, (self.key, False)], frame)

    def framed(self, function: Any) -> Any:
        """Over the window's frame: the default one by peers; a ``RowRange`` over the rows in
        order, then by key; a ``ValueRange`` by peers (``orm.frames``)."""
        frame = self.frame
        if frame is None:
            return self.by_peers(function)
        if isinstance(frame, RowRange):
            return self.by_rows(function, frame.bounds)
        return self.call(function, self.partition, self.order, frame.bounds)

    def whole(self, function: Any) -> Any:
        """Over the whole partition."""
        return self.call(function, self.partition, [])


#: a window's PARTITION BY and ORDER BY as MariaDB compares them: (node, descending) items
_Spec = tuple[tuple[tuple[Any, bool], ...], tuple[tuple[Any, bool], ...]]


def _check_mariadb(scope: Any, partition: list[Any], order: list[tuple[Any, bool]]) -> None:
    """Refuse windows MariaDB computes wrongly together. It orders a query's windows so that
    those whose PARTITION BY + ORDER BY lists start alike share one sort, putting a window
    whose PARTITION BY list is a proper prefix of another's after it when their joined lists
    agree, whatever else is there; a third window can then be read in a sort made for
    another (MariaDB 10.11: ``FIRST_VALUE(x) OVER (PARTITION BY a, b ORDER BY k DESC)``
    beside ``COUNT(*) OVER (PARTITION BY a)`` and ``ROW_NUMBER() OVER (PARTITION BY a ORDER
    BY b, c DESC, k)`` answered in the latter's order). Without such a pair its order is
    plain dictionary order, and windows sharing a sort have lists that extend each other."""
    spec: _Spec = (
        tuple((tuple(p), False) for p in partition),
        tuple((tuple(e), d) for e, d in order),
    )
    seen: set[_Spec] = scope.__dict__.setdefault("_window_specs", set())
    if spec in seen:
        return
    for other in seen:
        short, long = sorted((spec, other), key=lambda s: len(s[0]))
        if short[0] == long[0] or long[0][: len(short[0])] != short[0]:
            continue
        first, second = sorted((short[0] + short[1], long[0] + long[1]), key=len)
        if second[: len(first)] == first:
            raise FieldError(
                f"{scope.model.__name__}: MariaDB computes two windows wrongly together when "
                "one's PARTITION BY list starts the other's and its ORDER BY continues it "
                f"(PARTITION BY {len(short[0])} and {len(long[0])} terms): annotate them in "
                "separate queries"
            )
    seen.add(spec)


def _partition_term(value: Any) -> Any:
    if isinstance(value, str):
        if not value:
            raise FieldError("Window(): partition_by needs field names, not ''")
        return F(str.__str__(value))
    if isinstance(value, EXPRESSIONS) and not isinstance(value, Value):
        return value
    raise FieldError(
        f"Window(): partition_by takes field names and expressions, not {shown(value)}"
    )


def _order_term(value: Any) -> OrderBy:
    if isinstance(value, OrderBy):
        return value
    if isinstance(value, str):
        text = str.__str__(value)
        bare = text[1:] if text[:1] == "-" else text
        if not bare or bare[:1] == "-":
            raise FieldError(
                f"Window(): order_by takes a field name after at most one '-', not {text!r}"
            )
        return OrderBy(F(bare), text[:1] == "-")
    if isinstance(value, EXPRESSIONS) and not isinstance(value, Value):
        return OrderBy(value)
    raise FieldError(
        "Window(): order_by takes field names ('-views'), expressions and their .asc()/.desc(), "
        f"not {shown(value)}"
    )


def _terms(value: Any, convert: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    items = held(value)  # a list's or tuple's items, whatever its class says
    return (convert(value),) if items is None else tuple(convert(v) for v in items)


class Window(Func):
    """``expression`` (a window function or an aggregate) over the rows of the same
    ``partition_by`` values, ordered by ``order_by`` (the module docstring)."""

    __slots__ = ("expression", "frame", "order_by", "partition_by")

    def __init__(
        self,
        expression: Any,
        partition_by: Any = None,
        order_by: Any = None,
        frame: Any = None,
    ) -> None:
        super().__init__()
        if isinstance(expression, Aggregate):
            if expression.distinct:
                raise FieldError(f"Window(): {expression!r}: distinct is not computed in a window")
            if expression.filter is not None:
                raise FieldError(f"Window(): {expression!r}: filter is not computed in a window")
            if expression.function in FUNCTIONS:  # no exact one on SQLite, nor typed here
                raise FieldError(
                    f"Window(): {expression!r} is not computed in a window: annotate it over "
                    "values(<the partition's fields>) rows, which group as the partition does"
                )
        elif not isinstance(expression, WindowFunction):
            raise FieldError(
                "Window() takes a window function (RowNumber, Rank, DenseRank, Ntile, Lag, Lead, "
                "FirstValue, LastValue, NthValue) or Count/Sum/Avg/Min/Max, not "
                f"{shown(expression)}"
            )
        self.frame = _frame_of(expression, frame)
        self.expression = expression
        self.partition_by = _terms(partition_by, _partition_term)
        self.order_by = _terms(order_by, _order_term)
        if isinstance(expression, WindowFunction) and not self.order_by:
            raise FieldError(
                f"Window({expression!r}) needs an order_by: without one the rows' order is "
                "whatever the database met them in (MariaDB refuses even a rank)"
            )

    def __repr__(self) -> str:
        return (
            f"Window({self.expression!r}, partition_by={list(self.partition_by)!r}, "
            f"order_by={list(self.order_by)!r}"
            f"{'' if self.frame is None else f', frame={self.frame!r}'})"
        )

    def resolved_by(self, annotations: dict[str, Any], resolve: Any) -> Window:
        """This window with the annotations its ``F``s name put in (``orm.refs``)."""
        inner = self.expression
        if isinstance(inner, Aggregate):
            field = inner.field
            named = annotations.get(field) if isinstance(field, str) else None
            found = resolve(annotations, field if named is None else named)
            if found is not field:
                inner = type(inner)(found)
        else:
            args = tuple(resolve(annotations, a) for a in inner.args)
            if any(a is not b for a, b in zip(args, inner.args, strict=True)):
                inner = copy.copy(inner)
                inner.args = args
        out: Window = _new(Window)
        out.args = ()
        out.expression = inner
        out.frame = self.frame
        out.partition_by = tuple(resolve(annotations, p) for p in self.partition_by)
        out.order_by = tuple(
            OrderBy(resolve(annotations, o.expression), o.descending) for o in self.order_by
        )
        return out

    def _check(self, scope: Any) -> None:
        model = scope.model.__name__
        if scope.aggregated:
            raise FieldError(
                f"{model}: {self!r} in a query with aggregate annotations (GROUP BY): "
                "annotate the window in a query of its own"
            )
        from ferrule.orm.compiler import has_aggregate

        parts = [*self.partition_by, *(o.expression for o in self.order_by)]
        inner = self.expression
        parts += list(inner.args) if isinstance(inner, Func) else [_aggregate_argument(inner)]
        for part in parts:
            if has_aggregate(part):
                raise FieldError(f"{model}: {self!r}: an aggregate inside a window (GROUP BY)")
            if contains_window(part, scope.annotations):
                raise FieldError(f"{model}: {self!r}: a window inside a window")

    def kind(self, scope: Any) -> Kind:
        self._check(scope)
        inner = self.expression
        if isinstance(inner, WindowFunction):
            return inner.window_kind(scope)
        return _aggregate_kind(scope, inner, self)

    def compile(self, scope: Any) -> Any:
        kind = self.kind(scope)
        over = self._over(scope)
        inner = self.expression
        if isinstance(inner, WindowFunction):
            out = inner.window_sql(scope, over)
        else:
            out = _aggregate_sql(scope, inner, kind, over)
            if over.ranged is not None and self.frame is not None:
                out = guarded(scope.dialect, over.ranged[0], self.frame, over.ranged[1], out)
        if scope.multi:  # its rows would be repeated by the join (and then made DISTINCT)
            raise FieldError(
                f"{scope.model.__name__}: {self!r} in a query joining a to-many relation "
                f"({', '.join('__'.join(p) for p in scope.multi_paths)}), whose join repeats "
                "the rows the window reads: filter it with Exists(), or window the related model"
            )
        if kind == INT and scope.dialect == "postgres":
            return sql.cast(out, "bigint")  # 64 bits, as every int expression
        return out

    def _over(self, scope: Any) -> _Over:
        for value in self.partition_by:
            self._refuse_json(scope, arithmetic.kind_of(scope, value), "partition")
        partition = [arithmetic.compile(scope, p) for p in self.partition_by]
        order = []
        for term in self.order_by:
            kind = arithmetic.kind_of(scope, term.expression)
            self._refuse_json(scope, kind, "order")
            if kind.name == "field" and kind.column.encryption is not None:
                raise FieldError(
                    f"{scope.model.__name__}: {self!r}: cannot order by {kind.column.name}: "
                    "it is encrypted"
                )
            expr = arithmetic.compile(scope, term.expression)
            if scope.dialect == "postgres" and _is_text(kind):  # by code point, as elsewhere
                expr = sql.raw('(? COLLATE "C")', expr)
            order.append((expr, term.descending))
        ranged = None
        if self.frame is not None:
            kinds = [arithmetic.kind_of(scope, o.expression) for o in self.order_by]
            found = check_value_range(scope, self, self.frame, kinds)
            if found is not None:  # one term (orm.frames)
                ranged = (found, order[0][0])
                order = [(ranged_term(scope.dialect, found, order[0][0]), order[0][1])]
        key = sql.column(scope.model._meta.pk.column, scope.alias)
        over = _Over(scope, partition, order, key, self.frame)
        over.ranged = ranged
        return over

    def _refuse_json(self, scope: Any, kind: Kind, what: str) -> None:
        """A JSON field as a partition or an order: PostgreSQL tells JSON values apart and
        orders them as ``jsonb`` does, SQLite and MariaDB by their text."""
        column = kind.column if kind.name == "field" else None
        if column is not None and column.logical.name == "json" and column.enum is None:
            raise FieldError(
                f"{scope.model.__name__}: {self!r}: cannot {what} by {column.name}: it is JSON, "
                "which the databases order and tell apart differently (PostgreSQL as Python "
                "does, SQLite and MariaDB by its text)"
            )


def _frame_of(expression: Any, frame: Any) -> Frame | None:
    """``frame=`` checked against the function it is given to (``orm.frames``)."""
    if frame is None:
        return None
    if not isinstance(frame, Frame):
        raise FieldError(f"Window(): frame= takes RowRange or ValueRange, not {shown(frame)}")
    if isinstance(expression, (FirstValue, LastValue, NthValue)):
        if isinstance(frame, ValueRange):
            raise FieldError(
                f"Window({expression!r}): a ValueRange frame starts and ends with peer groups, "
                "whose rows each database takes in its own order: use a RowRange"
            )
    elif not isinstance(expression, Aggregate):
        raise FieldError(
            f"Window({expression!r}): frame= has no effect on {type(expression).__name__} "
            "(the databases ignore it); frames go with Count, Sum, Avg, Min, Max, FirstValue, "
            "LastValue and NthValue"
        )
    return frame


def _aggregate_argument(value: Aggregate) -> Any:
    """What an aggregate reads, as an expression (``Count("*")``: none)."""
    field = value.field
    if isinstance(field, str):
        return Value(1) if field == "*" else F(field)
    return field


def _aggregate_kind(scope: Any, value: Aggregate, window: Window) -> Kind:
    model = scope.model.__name__
    if value.function == "count":
        if value.field != "*":
            arithmetic.kind_of(scope, _read(scope, value))  # the name exists
        return INT
    kind = arithmetic.kind_of(scope, _read(scope, value))
    if kind == NULL:
        return kind
    if value.function in ("sum", "avg"):
        if kind.name == "float":
            raise FieldError(
                f"{model}: {window!r}: {value!r} of floats: each database adds doubles in its "
                "own order, so there is no one answer; Cast to a decimal or sum ints"
            )
        if kind.name not in NUMBERS:
            raise FieldError(f"{model}: {window!r}: {value!r} reads {described(kind)}, no number")
        if value.function == "avg":
            if kind.name == "int":
                return Kind("avg")
            return Kind("decimal", kind.scale + MEAN_PLACES)
        return kind
    plain = kind.name in NUMBERS or (
        kind.name == "field"
        and kind.column.logical.name in _ORDERED_FIELDS
        and kind.column.encryption is None
        and kind.column.enum is None
    )
    if not plain:
        raise FieldError(
            f"{model}: {window!r}: {value!r} of {described(kind)}: each database orders it its "
            "own way in a window; Min/Max take numbers, dates, datetimes and times"
        )
    return kind


def _read(scope: Any, value: Aggregate) -> Any:
    """What an aggregate in a window reads (an annotation named by its field, as it is)."""
    field = value.field
    if isinstance(field, str) and field in scope.annotations:
        return F(field)
    return _aggregate_argument(value)


def _aggregate_sql(scope: Any, value: Aggregate, kind: Kind, over: _Over) -> Any:
    function = value.function
    if kind == NULL:
        return sql.null()
    if function == "count" and value.field == "*":
        return over.framed(sql.func.count(sql.raw("*")))
    arg = arithmetic.compile(scope, _read(scope, value))
    if function == "avg" and kind.name == "decimal":
        scale = kind.scale - MEAN_PLACES
        if scope.dialect == "sqlite":  # whole units summed as ints (orm.arithmetic)
            units = sql.cast(arithmetic.sqlite_units(arg, scale), "bigint")
            total = over.framed(sql.func.sum(units))
            count = over.framed(sql.func.count(arg))
            return sql.func.decimal_mean(total, count, sql.literal(scale))
        mean = over.framed(sql.func.avg(arg))
        return sql.func.round(mean, sql.literal(kind.scale))
    if function == "avg" and scope.dialect != "sqlite":
        arg = sql.cast(arg, "double")  # a double, as SQLite's AVG
    if function == "sum" and kind.name == "decimal" and scope.dialect == "sqlite":
        units = arithmetic.sqlite_units(arg, kind.scale)  # doubles add them exactly
        return over.framed(sql.func.sum(units)) / float(10**kind.scale)
    return over.framed(getattr(sql.func, function)(arg))


def contains_window(value: Any, annotations: Any = None) -> bool:
    """Whether an expression holds a ``Window`` (also through ``F`` of an annotation)."""
    if isinstance(value, Window):
        return True
    if isinstance(value, F) and annotations and type(value) is F:
        found = annotations.get(value.name)
        return found is not None and contains_window(found, annotations)
    if isinstance(value, Arith):
        return contains_window(value.left, annotations) or contains_window(value.right, annotations)
    if isinstance(value, Func):
        return any(contains_window(a, annotations) for a in value.args)
    if isinstance(value, Case):
        return contains_window(value.default, annotations) or any(
            contains_window(w.then, annotations) for w in value.whens
        )
    if isinstance(value, Aggregate):
        field = value.field
        if isinstance(field, str):
            return bool(annotations) and contains_window(F(field), annotations)
        return contains_window(field, annotations)
    return False


def check_filtered(scope: Any, name: str) -> None:
    """Refuse a filter on a window annotation in a WHERE or HAVING (it is computed after
    them); ``orm.window_filters`` puts such filters in an outer query instead."""
    if getattr(scope, "after_windows", None) is not None:
        return
    found = scope.annotations.get(name)
    if found is not None and contains_window(found, scope.annotations):
        raise FieldError(
            f"{scope.model.__name__}: cannot filter on {name!r} here: it is a window, "
            "computed after the rows are chosen (the rows of the query can be read, "
            "counted and sliced: orm.window_filters)"
        )


def check_not_windowed(scope: Any, value: Any, where: str) -> None:
    """Refuse a window inside an aggregate or a written value (``where`` names it)."""
    if contains_window(value, scope.annotations):
        raise FieldError(f"{scope.model.__name__}: {where}: {shown(value)} holds a window")
