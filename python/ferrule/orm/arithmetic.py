"""Typed expressions: ``F`` arithmetic, ``Value`` and ``Case``, in annotations, filters,
updates and aggregates, with one result type and one answer on SQLite, PostgreSQL and MariaDB.

Django gives arithmetic the type of its operands and passes the operator through, so the
answer depends on the database (``F("a") / F("b")`` of ints: 3 on PostgreSQL and SQLite, a
``Decimal`` 3.5000 on MariaDB). ferrule keeps Django's types and makes the answer the same:

* int op int is an int, computed in 64 bits everywhere (PostgreSQL's 32-bit columns are
  widened first: it alone would overflow at 2**31); ``/`` truncates toward zero, as
  PostgreSQL and SQLite do (MariaDB gets ``DIV``, which does the same).
* with a float: a float (IEEE doubles on the three).
* int or decimal with a decimal: a ``Decimal`` with the larger scale for ``+``/``-``, the sum
  of the scales for ``*``: exact (on SQLite, whose decimals are doubles, while 14 digits hold
  it; past that, ``InterfaceError``). ``/`` of decimals is a ``FieldError``: each database
  rounds the quotient at its own scale, so there is no one answer.
* a decimal with a float: a ``FieldError`` (no type holds both exactly; Django refuses too).
* None on either side gives None (of the other side's type, as in Django); a division by
  zero is None on every database (PostgreSQL would raise, the others answer
  NULL): the divisor is ``NULLIF(divisor, 0)``.
* ``Case``: its branches' common type (int with float: float; int with decimal: decimal);
  text, a bool or a field's own type (a date, an enum...) only beside the same.

Constants are bound, typed for the database (PostgreSQL infers a parameter's type from its
neighbour; MariaDB reads ``1.5`` as a decimal, so a float is cast to ``DOUBLE``)."""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ferrule import sql
from ferrule.backends.sqlite_functions import MEAN_PLACES
from ferrule.errors import DataError, FieldError
from ferrule.orm import (
    conditional,
    deviations,
    durations,
    float_products,
    mariadb_lazy,
    subqueries,
)
from ferrule.orm.column_kinds import is_flag
from ferrule.orm.dated_expressions import Trunc
from ferrule.orm.decimal_sums import decimal_at as _decimal_at
from ferrule.orm.decimal_sums import decimal_mean, decimal_mean_converter, sqlite_units
from ferrule.orm.expressions import Aggregate, Arith, Case, F, Func, Value, When, shown
from ferrule.orm.now import Now, read
from ferrule.orm.stored_as import postgres_flag

if TYPE_CHECKING:
    from ferrule.orm.compiler import Scope

__all__ = [
    "NUMBERS",
    "Kind",
    "aggregate",
    "aggregate_call",
    "aggregate_converter",
    "check_written",
    "column_kind",
    "compile",
    "converter",
    "decimal_mean",
    "decimal_mean_converter",
    "described",
    "field_names",
    "kind_of",
    "same_flags",
    "same_moments",
    "sqlite_units",
    "within_64_bits",
]

Convert = Callable[[Any], Any]


class Kind(NamedTuple):
    """What an expression gives: ``int``, ``float``, ``decimal`` (with its scale), ``text``,
    ``bool``, ``null`` (a bare None), ``avg`` (an ``Avg``: each database's own precision) or
    ``field`` (the values of ``column``: a date, an enum, ...)."""

    name: str
    scale: int = 0
    column: Any = None


NUMBERS = frozenset({"int", "float", "decimal"})
_INT, _FLOAT, _TEXT, _BOOL, _NULL = (
    Kind("int"),
    Kind("float"),
    Kind("text"),
    Kind("bool"),
    Kind("null"),
)
_INTEGERS = frozenset({"int", "bigint", "smallint"})
#: MariaDB's largest decimal scale (a constant with more places cannot be cast exactly)
_MYSQL_MAX_SCALE = 30
#: the digits of MariaDB's widest DECIMAL
_MYSQL_MAX_DIGITS = 65


# -- kinds -----------------------------------------------------------------------------------


def kind_of(scope: Scope, value: Any) -> Kind:
    """The kind of an expression or constant (raising ``FieldError`` for one with none)."""
    if isinstance(value, subqueries.EXPRESSIONS):
        return subqueries.kind(scope, value)
    if isinstance(value, Value):
        return _constant_kind(scope, read(scope) if type(value) is Now else value.value)
    if isinstance(value, Trunc):
        return Kind("field", column=_field(scope, value.name))
    if isinstance(value, F):
        named = scope.annotations.get(value.name) if scope.annotations else None
        if named is not None and type(value) is F:  # F("alias") of an annotation (orm.refs)
            return kind_of(scope, named)
        return _column_kind(_field(scope, value.name))
    if isinstance(value, Arith):
        return _combined(scope, value)
    if isinstance(value, Case):
        return _unified(scope, value)
    if isinstance(value, Func):  # orm.functions
        return value.kind(scope)  # type: ignore[no-any-return, attr-defined]
    if isinstance(value, Aggregate):
        if value.function == "count":
            return _INT
        if value.function == "avg":
            return Kind("avg")
        if value.function in deviations.FUNCTIONS:
            return _FLOAT
        return kind_of(scope, _argument(scope, value))
    return _constant_kind(scope, value)


def read_kind(scope: Scope, annotation: Any) -> Kind:
    """The kind of an annotation an aggregate over a grouped query's rows reads: an ``Avg`` of
    decimals is their mean, a decimal at the field's scale + ``MEAN_PLACES`` (``kind_of``
    says ``avg``: no arithmetic takes it), as Django's Avg of a DecimalField is one."""
    kind = kind_of(scope, annotation)
    if kind.name == "avg" and isinstance(annotation, Aggregate):
        inner = kind_of(scope, _argument(scope, annotation))
        if inner.name == "decimal":
            return Kind("decimal", inner.scale + MEAN_PLACES)
    return kind


def _constant_kind(scope: Scope, value: Any) -> Kind:
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _INT
    if isinstance(value, float):
        return _FLOAT
    if isinstance(value, decimal.Decimal):
        # the value it holds: a subclass's own is_finite()/as_tuple() may claim another
        if not decimal.Decimal.is_finite(value):
            raise FieldError(f"{scope.model.__name__}: {shown(value)} is not a finite number")
        return Kind("decimal", max(0, -int(decimal.Decimal.as_tuple(value).exponent)))
    if isinstance(value, str):
        return _TEXT
    temporal = durations.constant_kind(value)  # a date, datetime or timedelta
    if temporal is not None:
        return temporal
    raise FieldError(
        f"{scope.model.__name__}: {shown(value)} is not an expression (F, Value, Case, an "
        "aggregate) nor an int, float, Decimal, str, bool or None"
    )


def _column_kind(column: Any) -> Kind:
    if column.enum is not None or column.encryption is not None or column.password is not None:
        return Kind("field", column=column)
    logical = column.logical
    if logical.name in _INTEGERS:
        return _INT
    if logical.name == "float":
        return _FLOAT
    if logical.name == "decimal":
        return Kind("decimal", logical.scale or 0)
    return Kind("field", column=column)


def column_kind(column: Any) -> Kind:
    """The kind of a column's values (a field compared with an expression)."""
    return _column_kind(column)


def check_compared(scope: Scope, value: Any, column: Any) -> None:
    """Refuse a decimal column compared with a float expression, or a float column with a
    decimal one (``d=F("f")``): every database compares them as doubles, so ``0.01`` equals
    the double nearest it, which it is not (Python: ``Decimal("0.01") != 0.01``), and no
    type holds both exactly, as for ``F("d") + F("f")``."""
    mine = _column_kind(column)
    if mine.name not in ("decimal", "float"):
        return
    theirs = kind_of(scope, value)
    if {mine.name, theirs.name} == {"decimal", "float"}:
        raise FieldError(
            f"{scope.model.__name__}: {column.name} ({mine.name}) cannot compare with "
            f"{value!r}, which gives a {theirs.name}: the databases compare a decimal with a "
            "float as doubles, which is not exact (make both sides decimals or both floats)"
        )


def _field(scope: Scope, name: str) -> Any:
    scope_class: Any = type(scope)
    return _column(scope_class, scope.model, scope.dialect, name)


@functools.lru_cache(maxsize=4096)
def _column(scope_class: Any, model: Any, dialect: str, name: str) -> Any:
    """The column a name reads, resolved on a scope of its own (no join in the query)."""
    column = scope_class(model, dialect).column_of(name)[1]
    if column is None:
        raise FieldError(f"{model.__name__}: {name!r} is no column")
    return column


def described(kind: Kind) -> str:
    """What a kind is, for an error message: "a decimal", "text", "a date (born)"."""
    if kind.name == "field":
        return f"a {kind.column.logical.name} ({kind.column.name})"
    return {"text": "text", "bool": "a bool", "null": "None", "avg": "an Avg"}.get(
        kind.name, f"a {kind.name}"
    )


def _combined(scope: Scope, value: Arith, sides: tuple[Kind, Kind] | None = None) -> Kind:
    """The kind of ``value`` (``sides``: its operands' kinds, when known)."""
    model = scope.model.__name__
    left, right = sides or (kind_of(scope, value.left), kind_of(scope, value.right))
    if _NULL in (left, right) and {left.name, right.name} <= {*NUMBERS, "null"}:
        return right if left == _NULL else left  # None, typed as the other side (Django's)
    temporal = durations.combined(scope, value, left, right)
    if temporal is not None:  # dates, datetimes, durations: orm.durations
        return temporal
    for side, kind in ((value.left, left), (value.right, right)):
        if kind.name == "avg":
            raise FieldError(
                f"{model}: {value!r}: an Avg has each database's own precision, so arithmetic "
                "on it has no one answer: use Sum(...) / Count(...)"
            )
        if kind.name not in NUMBERS:
            raise FieldError(
                f"{model}: {value!r}: arithmetic takes numbers, and {shown(side)} is "
                f"{described(kind)}"
            )
    names = {left.name, right.name}
    if names == {"int"}:
        return _INT
    if names == {"decimal", "float"}:
        raise FieldError(
            f"{model}: {value!r} mixes a decimal and a float: no type holds both exactly "
            "(Django refuses it too): make both sides decimals or both floats"
        )
    if "float" in names:
        return _FLOAT
    if value.op == "/":
        raise FieldError(
            f"{model}: {value!r} divides decimals: each database rounds the quotient at its "
            "own scale (PostgreSQL about 16 digits, MariaDB 4 more than the dividend, SQLite "
            "a double), so there is no one answer"
        )
    if value.op == "*":
        return Kind("decimal", left.scale + right.scale)
    return Kind("decimal", max(left.scale, right.scale))


def _plain_text(kind: Kind) -> bool:
    """A text field's kind (not an enum's, encrypted or a password)."""
    column = kind.column if kind.name == "field" else None
    return (
        column is not None
        and column.logical.name in ("str", "text")
        and column.enum is None
        and column.encryption is None
        and column.password is None
    )


def same_moments(kinds: list[Kind]) -> Kind | None:
    """The one kind of date, datetime or timedelta values, fields' (their own column type,
    not an enum's nor encrypted) and constants' alike: a field's kind when there is one (its
    reader), else the first; None when they are not all of one such type."""
    names = {durations.temporal(k) for k in kinds}
    if len(names) != 1 or None in names:
        return None
    return next((k for k in kinds if k.name == "field"), kinds[0])


def same_flags(kinds: list[Kind]) -> Kind | None:
    """Bools, of plain bool fields and constants alike: a field's kind when there is one (its
    reader makes SQLite's and MariaDB's 0/1 a bool), else the first; None when not all."""
    if not all(k == _BOOL or (k.name == "field" and is_flag(k.column)) for k in kinds):
        return None
    return next((k for k in kinds if k.name == "field"), kinds[0])


def _unified(scope: Scope, value: Case) -> Kind:
    kinds = [kind_of(scope, w.then) for w in value.whens] + [kind_of(scope, value.default)]
    known = [k for k in kinds if k.name != "null"]
    if not known:
        return _NULL
    names = {k.name for k in known}
    if names <= NUMBERS and names != {"decimal", "float"}:
        if "float" in names:
            return _FLOAT
        if "decimal" in names:
            return Kind("decimal", max(k.scale for k in known))
        return _INT
    if len(names) == 1 and names != {"field"} and names != {"avg"}:
        return known[0]
    if names == {"field"}:
        types = {(k.column.logical, k.column.enum, k.column.encryption) for k in known}
        if len(types) == 1 and known[0].column.encryption is None:
            return known[0]
    if all(k == _TEXT or _plain_text(k) for k in known):  # Value("x") or F("name"): text
        return _TEXT
    same = same_moments(known) or same_flags(known)  # a date field with a date constant...
    if same is not None:
        return same
    raise FieldError(
        f"{scope.model.__name__}: {value!r}: its branches give "
        f"{', '.join(sorted({described(k) for k in known}))}: a Case needs one type"
    )


def _argument(scope: Scope, value: Aggregate) -> Any:
    """What an aggregate reads: a field, an expression, or an annotation named by its field."""
    from ferrule.orm.windows import check_not_windowed

    check_not_windowed(scope, value, "an aggregate over a window")
    field = value.field
    if not isinstance(field, str):
        return field
    annotation = scope.annotations.get(field)
    if annotation is None:
        return F(field) if field != "*" else Value(1)
    from ferrule.orm.compiler import has_aggregate

    if has_aggregate(annotation):
        raise FieldError(
            f"{scope.model.__name__}: {value!r} aggregates the aggregate annotation "
            f"{field!r} in the same query: annotate first, then aggregate() over it"
        )
    return annotation


# -- SQL -------------------------------------------------------------------------------------


def compile(scope: Scope, value: Any, *, operand: bool = False, branch: bool = False) -> Any:
    """The SQL of an expression or constant (kinds are checked first: ``kind_of``);
    ``operand``: a side of arithmetic or a function's argument, where PostgreSQL's 32-bit
    ints are widened; with ``branch`` (a Case's), its bool fields' columns are booleans
    (``postgres_flag``: a smallint column too)."""
    if isinstance(value, Arith):
        expr, kind = _arith(scope, value)
        if kind == _INT and scope.dialect == "sqlite":
            return _sqlite_whole(expr)
        return expr
    if isinstance(value, Case):
        return _case(scope, value)
    if isinstance(value, Func):
        if scope.lazy_zero is not None and _computes_apart(value):
            with mariadb_lazy.inside(scope):
                return value.compile(scope)  # type: ignore[attr-defined]
        return value.compile(scope)  # type: ignore[attr-defined]
    if isinstance(value, Value):
        return _constant(scope, read(scope) if type(value) is Now else value.value)
    if isinstance(value, (F, Aggregate, *subqueries.EXPRESSIONS)):
        expr = _leaf(scope, value)
        if (operand or branch) and scope.dialect == "postgres":
            kind = kind_of(scope, value)
            if kind == _INT and operand:
                return sql.cast(expr, "bigint")
            if kind.name == "field" and is_flag(kind.column):
                return postgres_flag(expr)
        if scope.lazy_zero is not None:
            return mariadb_lazy.deferred(scope, expr, kind_of(scope, value).name)
        return expr
    return _constant(scope, value)


#: SQLite's integer arithmetic past 64 bits gives a double, which every later step keeps
_SQLITE_PAST = (
    "an integer result is past 64 bits: SQLite would go on in doubles, which round it "
    "(PostgreSQL and MariaDB refuse it too)"
)


def _sqlite_whole(expr: Any) -> Any:
    """An int expression's SQL on SQLite, or a ``DataError`` (``ferrule_refuse()``) where
    it overflowed into a double, as the servers raise one: checked once, on the whole
    expression (a double, once made, stays one through ``+``, ``-``, ``*`` and ``/``)."""
    refused = sql.func.ferrule_refuse(sql.literal(_SQLITE_PAST))
    return sql.raw("CASE typeof(?) WHEN 'real' THEN ? ELSE ? END", expr, refused, expr)


def _leaf(scope: Scope, value: Any) -> Any:
    """A column, aggregate or subquery; an aggregate computes its operands itself."""
    if scope.lazy_zero is not None and isinstance(value, Aggregate):
        with mariadb_lazy.inside(scope):
            return scope.expression(value)
    return scope.expression(value)


def _computes_apart(value: Func) -> bool:
    """A window: it computes its own operands row by row, before the CASE around it."""
    from ferrule.orm.windows import Window

    return isinstance(value, Window)


def _operand(scope: Scope, value: Any) -> tuple[Any, Kind]:
    """A side of arithmetic, compiled, with its kind (one walk of a nested expression)."""
    if isinstance(value, Arith):
        return _arith(scope, value)
    kind = kind_of(scope, value)
    if isinstance(value, (F, Aggregate, *subqueries.EXPRESSIONS)):
        expr = _leaf(scope, value)
        if scope.dialect == "postgres" and kind == _INT:
            return sql.cast(expr, "bigint"), kind
        if scope.lazy_zero is not None:
            return mariadb_lazy.deferred(scope, expr, kind.name), kind
        return expr, kind
    return compile(scope, value), kind


def _arith(scope: Scope, value: Arith) -> tuple[Any, Kind]:
    left, left_kind = _operand(scope, value.left)
    right, right_kind = _operand(scope, value.right)
    kind = _combined(scope, value, (left_kind, right_kind))
    if kind.name in durations.TEMPORAL:
        return durations.operator(scope, value.op, left_kind, right_kind, left, right), kind
    smallest = not _above_smallest(value.right)
    return _operator(scope, value.op, kind, left, right, smallest), kind


def _above_smallest(value: Any) -> bool:
    """Whether ``value`` is an int constant other than -2**63 (the one MariaDB subtracts
    wrongly from 0)."""
    if isinstance(value, Value):
        value = value.value
    return isinstance(value, int) and int.__int__(value) != -(2**63)


def _operator(
    scope: Scope, op: str, kind: Kind, left: Any, right: Any, smallest: bool = True
) -> Any:
    if op == "+":
        return left + right
    if op == "-":
        if kind == _INT and scope.dialect == "mysql" and smallest:
            # MariaDB answers 0 - (-2**63) with -2**63 instead of an overflow error; x - MIN
            # is x - (MIN DIV 2) - (MIN DIV 2), which it checks (``smallest``: right may be
            # -2**63). Each part of this branch overflows only when the answer does: MariaDB
            # computes the parts free of windows and aggregates for every row up front, in
            # whichever branch (``x + MAX`` failed ``F("a") - Window(Lag("a"))`` for a > 0)
            half = sql.raw("(? DIV 2)", right)
            past = (left - half) - half
            return sql.case((right == sql.literal(-(2**63)), past), else_=left - right)
        return left - right
    if op == "*":
        if kind == _FLOAT and scope.dialect == "postgres":  # no underflow error there
            return float_products.product(left, right)
        return left * right
    if kind == _INT and scope.dialect == "mysql":
        # a compound dividend keeps its parentheses (sql.raw): DIV binds tighter than + and -
        return sql.raw("(? DIV NULLIF(?, 0))", left, right)
    if kind == _FLOAT and scope.dialect == "postgres":  # no underflow error there
        return float_products.quotient(left, right)
    return left / sql.raw("NULLIF(?, 0)", right)


def _case(scope: Scope, value: Case) -> Any:
    kind_of(scope, value)
    with mariadb_lazy.branches(scope, value):  # MariaDB: branches wait for their windows
        whens = [(_condition(scope, w), compile(scope, w.then, branch=True)) for w in value.whens]
        default = value.default
        other = None if default is None else compile(scope, default, branch=True)
        return sql.case(*whens, else_=other)


def _condition(scope: Scope, when: When) -> Any:
    """A When's condition, as in filter(); not on an aggregate annotation, nor across a
    to-many relation (its join would repeat the query's rows) but in an aggregate's argument
    (``Sum(Case(When(posts__views__gt=0, then=1), default=0))``), which reads the joined rows
    one by one, as Django's does: there it is the row's own condition, as an aggregate's
    ``filter=`` is (``orm.conditional``), and ``orm.grouping`` refuses a join that would
    multiply them."""
    from ferrule.orm.compiler import has_aggregate, pairs

    model = scope.model.__name__
    for name, _ in pairs(when.condition):
        found = scope.annotations.get(name.partition("__")[0])
        if found is not None and has_aggregate(found):
            raise FieldError(f"{model}: {when!r}: a When() cannot test an aggregate annotation")
    if scope.aggregating:
        return scope.q(when.condition, having=True)  # the row's own NOT (no subquery)
    probe = type(scope)(scope.model, scope.dialect)
    probe.annotations = scope.annotations
    probe.q(when.condition)
    if probe.multi_paths:
        raise FieldError(
            f"{model}: {when!r} reads a to-many relation, whose join would repeat the rows: "
            "outside an aggregate a When() tests the row's own fields and forward relations; "
            "test the related rows inside one (Sum(Case(When(...), default=0)), "
            "Count('<relation>', filter=Q(...))) or with Exists(...)"
        )
    return scope.q(when.condition)


def _constant(scope: Scope, value: Any) -> Any:
    """A bound constant, typed so each database computes with it as its kind says."""
    model = scope.model.__name__
    dialect = scope.dialect
    kind = _constant_kind(scope, value)
    if kind == _NULL:
        return sql.null()
    if kind == _BOOL:
        flag = bool(value)
        return (
            sql.cast(sql.literal(flag), "boolean")
            if dialect == "postgres"
            else sql.literal(int(flag))
        )
    if kind == _INT:
        whole = int.__int__(value)
        if not -(2**63) <= whole < 2**63:
            shown_int = (
                whole if whole.bit_length() <= 256 else f"an int of {whole.bit_length()} bits"
            )
            raise FieldError(f"{model}: {shown_int} does not fit in 64 bits")
        return (
            sql.cast(sql.literal(whole), "bigint") if dialect == "postgres" else sql.literal(whole)
        )
    if kind == _FLOAT:
        real = float.__float__(value)
        if real != real or real in (float("inf"), float("-inf")):
            raise FieldError(f"{model}: {real} is not a finite number")
        return sql.literal(real) if dialect == "sqlite" else sql.cast(sql.literal(real), "double")
    if kind == _TEXT:
        text = str.__str__(value)
        if dialect == "postgres":
            return sql.cast(sql.literal(text), "text")
        if dialect == "mysql":  # compared as the tables' text is: code point by code point
            return sql.raw("(? COLLATE utf8mb4_nopad_bin)", text)
        return sql.literal(text)
    if kind.name in durations.TEMPORAL:
        return durations.constant(scope, value, kind)
    number: decimal.Decimal = value if type(value) is decimal.Decimal else decimal.Decimal(value)
    if dialect == "postgres":
        return sql.cast(sql.literal(number), "numeric")
    if dialect == "mysql":
        if kind.scale > _MYSQL_MAX_SCALE:
            raise FieldError(f"{model}: {number} has more than {_MYSQL_MAX_SCALE} decimal places")
        if max(number.adjusted() + 1, 1) + kind.scale > _MYSQL_MAX_DIGITS:  # CAST clamps it
            raise FieldError(
                f"{model}: {number} has more than MariaDB's {_MYSQL_MAX_DIGITS} decimal digits "
                "(its CAST would answer 99...9 in its place)"
            )
        return sql.cast(sql.literal(number), f"DECIMAL(65, {kind.scale})")
    double = float(number)
    if decimal.Decimal(repr(double)) != number:  # SQLite's decimals are doubles
        raise FieldError(f"{model}: {number} has more digits than SQLite's decimals (doubles) hold")
    return sql.literal(double)


def aggregate(scope: Scope, value: Aggregate) -> Any:
    """An aggregate over an expression or a (row) annotation: ``Sum(F("a") * F("b"))``."""
    argument = _argument(scope, value)
    kind = kind_of(scope, argument)
    function = value.function
    if (
        function in ("sum", "avg") or function in deviations.FUNCTIONS
    ) and kind.name not in NUMBERS:
        raise FieldError(f"{scope.model.__name__}: {value!r}: {shown(argument)} is not a number")
    scope.aggregated = True
    outer, scope.aggregating = scope.aggregating, True
    try:
        arg = compile(scope, argument)
    finally:
        scope.aggregating = outer
    if value.filter is not None:  # CASE WHEN filter THEN arg END
        arg = conditional.when(scope, value, arg)
    return aggregate_call(scope.dialect, function, arg, kind, value.distinct)


def aggregate_call(dialect: str, function: str, arg: Any, kind: Kind, distinct: bool) -> Any:
    """``function(arg)`` over values of ``kind``, with one answer on every database: also
    over the rows of a subquery (``grouping.aggregate``), where the column's type is lost."""
    if function in deviations.FUNCTIONS:
        return deviations.call(dialect, function, arg, kind)
    if function == "avg" and kind.name == "decimal":
        return decimal_mean(dialect, arg, kind.scale, distinct)
    if function == "avg" and kind in (_INT, _FLOAT) and dialect != "sqlite":
        # a double, as SQLite answers: PostgreSQL's AVG of integers is a numeric of 16
        # places, MariaDB's a decimal of 4 (a third would be 0.3333)
        return sql.func.avg(sql.cast(arg, "double"), distinct=distinct)
    if function == "sum" and kind.name == "decimal" and dialect == "sqlite":
        # doubles there: add whole units of the scale, which doubles add exactly
        units = sql.func.round(arg * 10**kind.scale)
        return sql.func.sum(units, distinct=distinct) / float(10**kind.scale)
    if dialect == "postgres" and function in ("min", "max"):
        if kind == _BOOL:
            return postgres_min_max(function, arg, "bool", distinct)
        if kind.name == "field" and kind.column.enum is None:
            return postgres_min_max(function, arg, kind.column.logical.name, distinct)
    return getattr(sql.func, function)(arg, distinct=distinct)


def postgres_min_max(function: str, arg: Any, logical: str, distinct: bool) -> Any:
    """``min``/``max`` of ``arg`` (values of the logical type ``logical``) on PostgreSQL, which
    has none for booleans, UUIDs and bytea: those of the integers of booleans (a boolean
    field's column may be a ``smallint``, which ``bool_or`` refuses), made a boolean again by
    way of its text ('0' or '1': another number of a smallint is a ``DataError``, not True),
    and the text (hex) of a UUID (bytes), which sorts as its bytes."""
    if logical == "bool":
        found = getattr(sql.func, function)(sql.cast(arg, "integer"), distinct=distinct)
        return sql.cast(sql.cast(found, "text"), "boolean")  # (postgres_flag's way)
    if logical in ("uuid", "uuid_hex"):
        found = getattr(sql.func, function)(sql.cast(arg, "text"), distinct=distinct)
        return sql.cast(found, "uuid")
    if logical == "bytes":
        hexed = sql.func.encode(arg, sql.raw("'hex'"))
        found = getattr(sql.func, function)(hexed, distinct=distinct)
        return sql.func.decode(found, sql.raw("'hex'"))
    return getattr(sql.func, function)(arg, distinct=distinct)


def check_written(scope: Scope, column: Any, value: Any) -> None:
    """An expression written to ``column`` (``update()``) gives the column's own type: an int
    column takes ints, a float column ints and floats, a decimal column ints and decimals of
    at most its places, a text column text. Each database converts anything else its own way
    (a float into an int column: PostgreSQL rounds half to even, MariaDB half away from zero,
    SQLite keeps the float), so that is a ``FieldError``."""
    from ferrule.orm.windows import check_not_windowed

    check_not_windowed(scope, value, f"update({column.name}=...)")
    kind = kind_of(scope, value)
    if kind == _NULL:
        return
    plain = column.enum is None and column.encryption is None and column.password is None
    logical = column.logical
    name = logical.name if plain else None
    if name in _INTEGERS:
        fits = kind == _INT
    elif name == "float":
        fits = kind.name in ("int", "float")
    elif name == "decimal":
        fits = kind == _INT or (kind.name == "decimal" and kind.scale <= (logical.scale or 0))
    elif name in ("str", "text"):
        fits = kind == _TEXT or _plain_text(kind)
    elif name == "bool":
        fits = same_flags([kind]) is not None
    elif kind.name in durations.TEMPORAL:  # date arithmetic (orm.durations): the same type
        fits = kind.name == name
    else:
        fits = (
            kind.name == "field"
            and column.encryption is None
            and column.password is None
            and (kind.column.logical, kind.column.enum) == (logical, column.enum)
        )
    if not fits:
        given = {"int": "an int", "text": "text", "bool": "a bool", "float": "a float"}.get(
            kind.name, described(kind)
        )
        if kind.name == "decimal":
            given = f"a decimal of {kind.scale} places"
        raise FieldError(
            f"{scope.model.__name__}: update({column.name}={shown(value)}): it gives {given}, "
            f"and {column.name} holds {_held(column)}: each database would convert it its own "
            "way"
        )


def _held(column: Any) -> str:
    logical = column.logical
    if column.enum is not None or column.encryption is not None or column.password is not None:
        return "values of its own kind"
    if logical.name == "decimal":
        return f"decimals of {logical.scale or 0} places"
    return {"float": "floats", "str": "text", "text": "text", "bool": "bools"}.get(
        logical.name, "ints" if logical.name in _INTEGERS else f"{logical.name} values"
    )


def field_names(value: Any) -> list[str]:
    """The field names an expression reads (in its ``F``s, aggregates and When conditions)."""
    from ferrule.orm.compiler import pairs

    if isinstance(value, F):
        return [value.name]
    if isinstance(value, Aggregate):
        field = value.field
        return field_names(field) if not isinstance(field, str) else [field]
    if isinstance(value, Arith):
        return [*field_names(value.left), *field_names(value.right)]
    if isinstance(value, Func):
        return [name for arg in value.args for name in field_names(arg)]
    if isinstance(value, Case):
        out = field_names(value.default)
        for when in value.whens:
            out += [n for n, _ in pairs(when.condition)] + field_names(when.then)
        return out
    return []


# -- results ---------------------------------------------------------------------------------


def converter(scope: Scope, value: Any) -> Convert | None:
    """The conversion of an expression's result (applied to non-None values), or None."""
    if isinstance(value, Aggregate):
        return aggregate_converter(
            scope.dialect, value.function, kind_of(scope, _argument(scope, value))
        )
    return _of_kind(kind_of(scope, value), scope.dialect, computed=not _one_column(value))


def _one_column(value: Any) -> bool:
    """Whether ``value`` answers a table column itself: a ``Subquery`` selecting a field,
    whose value a driver decodes as it decodes the column (SQLite's, by its declared type)."""
    if not isinstance(value, subqueries.Subquery):
        return False
    query = value.query
    return not (query._annotations and query._values[0] in query._annotations)


def aggregate_converter(dialect: str, function: str, kind: Kind) -> Convert | None:
    """The conversion of ``function`` over values of ``kind``."""
    if function == "count" or kind.name == "avg":
        return None
    if function in deviations.FUNCTIONS:
        return _float
    if function == "avg":
        if kind.name == "decimal":
            return decimal_mean_converter(kind.scale, dialect)
        return _float if kind in (_INT, _FLOAT) else None
    return _of_kind(kind, dialect)


def _of_kind(kind: Kind, dialect: str, computed: bool = True) -> Convert | None:
    """The conversion of a value of ``kind``; ``computed``: an expression's, not a column's
    own (see ``results.column_out``)."""
    if kind.name in durations.TEMPORAL:
        return durations.converter(kind, dialect)
    if kind.name == "int":
        return _exact_int
    if kind.name == "float":
        return _float
    if kind.name == "decimal":
        return _decimal_at(kind.scale, dialect)
    if kind.name == "bool":
        return _bool
    if kind.name == "field":
        from ferrule.orm.results import column_out

        return column_out(kind.column, dialect, computed=computed)
    return None


def _exact_int(value: Any) -> int:
    if type(value) is int:
        return within_64_bits(value)
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return within_64_bits(int(value))  # MariaDB's SUM of integers
    if type(value) is bool:  # Cast(<bool field>, int): the column itself, read as a bool
        return int(value)
    raise DataError(
        f"an integer expression answered {value!r}: past 64 bits SQLite computes in doubles, "
        "which would round it"
    )


def within_64_bits(value: int) -> int:
    """``value``, or a ``DataError`` past 64 bits: a SUM of integers is exact there on
    PostgreSQL (``numeric``) and MariaDB (``DECIMAL``) but overflows on SQLite, and an integer
    result is one no integer column holds."""
    if -(2**63) <= value < 2**63:
        return value
    raise DataError(
        f"an integer result of {value} is past 64 bits (SQLite's SUM overflows there, and no "
        "integer column holds it)"
    )


def _float(value: Any) -> float:
    """A float result; a -0.0 (PostgreSQL's round/ceil, SQLite's products) is 0.0, as ferrule
    writes it everywhere."""
    return (value if type(value) is float else float(value)) + 0.0


def _bool(value: Any) -> bool:
    return bool(value)
