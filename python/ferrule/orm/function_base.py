"""The base of ``orm.functions``: arguments, kinds, and the functions of any type
(``Coalesce``, ``NullIf``, ``Greatest``, ``Least``, ``Cast``); ``orm.functions`` states the
rules."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, ClassVar

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm import arithmetic
from ferrule.orm.arithmetic import NUMBERS, Kind, described
from ferrule.orm.expressions import EXPRESSIONS, Func, Value, shown

__all__ = [
    "FLOAT",
    "INT",
    "NULL",
    "TEXT",
    "Cast",
    "Coalesce",
    "Greatest",
    "Least",
    "NullIf",
    "TypedFunction",
    "cast_target",
    "int_text",
    "whole_argument",
]

#: the kinds the functions give most (``orm.arithmetic.Kind``)
INT, FLOAT, TEXT, NULL = Kind("int"), Kind("float"), Kind("text"), Kind("null")
_TEXT_TYPES = frozenset({"str", "text"})


def _argument(function: str, name: str, value: Any) -> Any:
    """An argument as an expression: a str names a field (Django's rule), a number or None
    is a constant."""
    if isinstance(value, str):
        if not value:
            raise FieldError(f"{function}(): {name} needs a field name, not ''")
        from ferrule.orm.expressions import F

        return F(str.__str__(value))
    if isinstance(value, EXPRESSIONS):
        return value
    if value is None or isinstance(value, (int, float, decimal.Decimal, dt.date, dt.timedelta)):
        return Value(value)
    raise FieldError(
        f"{function}(): {name} must be an expression, a field name, a number or a date, "
        f"datetime or timedelta, not {shown(value)}"
    )


def whole_argument(function: str, name: str, value: Any, low: int) -> int:
    """An int constant argument, at least ``low``."""
    if isinstance(value, Value):
        value = value.value
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{function}(): {name} must be an int constant, not {shown(value)}")
    whole = int.__int__(value)
    if whole < low:
        raise FieldError(f"{function}(): {name} must be {low} or more, not {whole}")
    if whole >= 2**31:
        raise FieldError(f"{function}(): {name} {whole} is too large")
    return whole


def _is_text(kind: Kind) -> bool:
    if kind.name == "text":
        return True
    if kind.name != "field":
        return False
    column = kind.column
    plain = column.enum is None and column.encryption is None and column.password is None
    return plain and column.logical.name in _TEXT_TYPES


class TypedFunction(Func):
    """A function of typed arguments: ``_names`` names them for messages; ``_result`` checks
    their kinds and gives the result's, ``_sql`` the SQL of the compiled arguments."""

    __slots__ = ()
    _names: ClassVar[tuple[str, ...]] = ("expression",)
    #: a None argument gives None without asking the database (untyped NULLs are ambiguous
    #: to PostgreSQL's function resolution)
    _strict: ClassVar[bool] = True
    #: whether its constructor takes ``output_field`` itself (``Cast``, ``Concat``); any
    #: other's is Django's check of the result's type (``orm.output_fields``)
    _output_field: ClassVar[bool] = False

    def __new__(cls, /, *args: Any, **kwargs: Any) -> Any:
        if "output_field" not in kwargs or cls._output_field:
            return super().__new__(cls)
        from ferrule.orm.output_fields import wrapped

        output_field = kwargs.pop("output_field")
        return wrapped(cls(*args, **kwargs), output_field)

    def __init__(self, *args: Any) -> None:
        name = type(self).__name__
        names = self._names
        super().__init__(
            *(_argument(name, names[min(i, len(names) - 1)], a) for i, a in enumerate(args))
        )

    def _kinds(self, scope: Any) -> list[Kind]:
        return [arithmetic.kind_of(scope, arg) for arg in self.args]

    def _fail(self, scope: Any, index: int, kind: Kind, wanted: str) -> FieldError:
        names = self._names
        name = names[min(index, len(names) - 1)]
        return FieldError(
            f"{scope.model.__name__}: {self!r}: its {name} {shown(self.args[index])} is "
            f"{described(kind)}, not {wanted}"
        )

    def _text(self, scope: Any, kinds: list[Kind]) -> None:
        for index, kind in enumerate(kinds):
            if not _is_text(kind) and kind != NULL:
                raise self._fail(scope, index, kind, "text")

    def _numbers(self, scope: Any, kinds: list[Kind]) -> None:
        for index, kind in enumerate(kinds):
            if kind.name not in NUMBERS and kind != NULL:
                raise self._fail(scope, index, kind, "a number (int, float, decimal)")

    def kind(self, scope: Any) -> Kind:
        return self._result(scope, self._kinds(scope))

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        raise NotImplementedError

    def compile(self, scope: Any) -> Any:
        kinds = self._kinds(scope)
        result = self._result(scope, kinds)
        if self._strict and NULL in kinds:
            return sql.null()
        args = [arithmetic.compile(scope, arg, operand=True) for arg in self.args]
        out = self._sql(scope, args, kinds, result)
        if result == INT and scope.dialect == "postgres":
            return sql.cast(out, "bigint")  # 64 bits, as every int expression
        return out

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        raise NotImplementedError


def _common(function: TypedFunction, scope: Any, kinds: list[Kind], *, fields: bool) -> Kind:
    """The one type of several arguments: numbers (int with float: float; with a decimal:
    the decimal of the larger scale; never decimal with float), text, or (``fields``) the
    same field type; None when all are None."""
    known = [(i, k) for i, k in enumerate(kinds) if k != NULL]
    if not known:
        return NULL
    names = {k.name for _, k in known}
    if names <= NUMBERS:
        if names >= {"decimal", "float"}:
            raise FieldError(
                f"{scope.model.__name__}: {function!r} mixes a decimal and a float: no type "
                "holds both exactly"
            )
        if "float" in names:
            return FLOAT
        if "decimal" in names:
            return Kind("decimal", max(k.scale for _, k in known))
        return INT
    if all(_is_text(k) for _, k in known):
        return TEXT
    first = known[0][1]
    if fields and names == {"field"} and first.column.encryption is None:
        same = {(k.column.logical, k.column.enum) for _, k in known}
        if len(same) == 1:
            return first
    moments = arithmetic.same_moments([k for _, k in known])  # dates, with a date constant
    if moments is not None:  # ordered alike everywhere (SQLite's ISO text too)
        return moments
    flags = arithmetic.same_flags([k for _, k in known]) if fields else None
    if flags is not None:  # a bool field with a bool constant (Coalesce(F("on"), False))
        return flags
    if not fields and {k.name for _, k in known} <= {"field", "bool"}:  # of one type, no order
        index, kind = known[0]
        raise function._fail(
            scope,
            index,
            kind,
            "a number, text, a date, a datetime or a timedelta (ordered alike on every database)",
        )
    index, kind = next((i, k) for i, k in known if k.name != first.name or k != first)
    raise function._fail(scope, index, kind, f"of the same type as {described(first)}")


# -- any type --------------------------------------------------------------------------------


class Coalesce(TypedFunction):
    """The first argument that is not None."""

    __slots__ = ()
    _names = ("expression",)
    _strict = False

    def __init__(self, *expressions: Any) -> None:
        if len(expressions) < 2:
            raise FieldError("Coalesce() needs at least two expressions")
        super().__init__(*expressions)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        return _common(self, scope, kinds, fields=True)

    def compile(self, scope: Any) -> Any:
        from ferrule.orm import mariadb_lazy

        with mariadb_lazy.branches(scope, self):  # MariaDB: lazy past a window's, too
            return super().compile(scope)

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        kept = [a for a, k in zip(args, kinds, strict=True) if k != NULL]
        if not kept:
            return sql.null()
        if len(kept) == 1:
            return kept[0]
        return (
            grouped(sql.func.coalesce, kept)
            if scope.dialect == "sqlite"
            else sql.func.coalesce(*kept)
        )


class NullIf(TypedFunction):
    """None where ``expression1 == expression2``, else ``expression1``."""

    __slots__ = ()
    _names = ("expression1", "expression2")
    _strict = False

    def __init__(self, expression1: Any, expression2: Any) -> None:
        super().__init__(expression1, expression2)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        _common(self, scope, kinds, fields=True)  # comparable
        for index, kind in enumerate(kinds):
            column = kind.column if kind.name == "field" else None
            if column is not None and column.logical.name == "json" and column.enum is None:
                raise self._fail(
                    scope,
                    index,
                    kind,
                    "a value the databases compare alike (PostgreSQL compares JSON values as "
                    "Python does, SQLite and MariaDB their text): filter(a=F('b')) compares "
                    "them as JSON",
                )
        if {k.name for k in kinds} == {"int", "float"}:
            index = next(i for i, k in enumerate(kinds) if k == INT)
            raise self._fail(
                scope,
                index,
                INT,
                "compared with a float (PostgreSQL and MariaDB compare in "
                "doubles, Python exactly: past 2**53 they differ): Cast it to float first",
            )
        return kinds[0] if not _is_text(kinds[0]) else TEXT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if kinds[0] == NULL:
            return sql.null()
        if kinds[1] == NULL:
            return args[0]  # nothing equals None
        return sql.func.nullif(*args)


#: the most arguments a SQLite function takes (SQLITE_MAX_FUNCTION_ARG: 127 by default)
_SQLITE_ARGUMENTS = 127


def grouped(function: Any, args: list[Any]) -> Any:
    """``function(*args)`` of an associative function, its arguments taken in nested groups
    of at most ``_SQLITE_ARGUMENTS``; a group of one is the argument itself (SQLite's
    ``max(x)`` of one is the aggregate, its ``coalesce(x)`` an error)."""
    size = _SQLITE_ARGUMENTS
    while len(args) > size:
        groups = [args[i : i + size] for i in range(0, len(args), size)]
        args = [g[0] if len(g) == 1 else function(*g) for g in groups]
    return function(*args)


class _Extreme(TypedFunction):
    __slots__ = ()
    _strict = False
    _function: ClassVar[str] = ""

    def __init__(self, *expressions: Any) -> None:
        if len(expressions) < 2:
            raise FieldError(f"{type(self).__name__}() needs at least two expressions")
        super().__init__(*expressions)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        return _common(self, scope, kinds, fields=False)

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if NULL in kinds:
            return sql.null()
        if scope.dialect == "sqlite":  # max(a, b), min(a, b): NULL when any is
            return grouped(
                getattr(sql.func, "max" if self._function == "greatest" else "min"), args
            )
        if scope.dialect == "mysql":
            return getattr(sql.func, self._function)(*args)
        if result == TEXT:  # by code point, whatever the database's collation
            args = [sql.raw('(? COLLATE "C")', a) for a in args]
        extreme = getattr(sql.func, self._function)(*args)
        return sql.case((sql.or_(*(a.is_(None) for a in args)), sql.null()), else_=extreme)


class Greatest(_Extreme):
    """The largest argument; None when any is None."""

    __slots__ = ()
    _function = "greatest"


class Least(_Extreme):
    """The smallest argument; None when any is None."""

    __slots__ = ()
    _function = "least"


_CAST_KINDS = {int: INT, float: FLOAT, str: TEXT}
#: (source, target) kinds ``Cast`` converts alike on every database: an int's nearest double
#: and its digits, a decimal's nearest double (and a bool's 0 or 1: ``_is_bool``)
_EXACT_CASTS = frozenset({("int", "float"), ("int", "text"), ("decimal", "float")})


def _is_bool(kind: Kind) -> bool:
    """A bool: a constant's or a plain bool field's (stored 0/1 or as a boolean)."""
    if kind.name == "field":
        column = kind.column
        return bool(
            column.logical.name == "bool" and column.enum is None and column.encryption is None
        )
    return kind.name == "bool"


_CAST_LOGICAL = {
    "int": INT,
    "bigint": INT,
    "smallint": INT,
    "float": FLOAT,
    "str": TEXT,
    "text": TEXT,
}


class Cast(TypedFunction):
    """``expression`` as ``int``, ``float`` or ``str`` where that is exact everywhere (the
    module docstring)."""

    __slots__ = ("target",)
    _output_field = True

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(expression)
        target = cast_target(output_field)
        if target is None:
            raise FieldError(
                f"Cast(): output_field must be int, float, str or such a field "
                f"(IntField(), FloatField(), TextField()...), not {shown(output_field)}"
                "; a datetime's date or time is TruncDate()/TruncTime(), its parts Extract(); "
                "an int as a decimal of 2 places is F(...) * Decimal('1.00')"
            )
        self.target = target

    def __repr__(self) -> str:
        return f"Cast({shown(self.args[0])}, {self.target.name})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        source, target = kinds[0], self.target
        if source in (NULL, target) or (_is_text(source) and target == TEXT):
            return target
        if (source.name, target.name) in _EXACT_CASTS or (_is_bool(source) and target == INT):
            return target
        if _is_text(source):
            why = (
                "each database reads a text that is not a number its own way (0, its leading "
                "digits, an error): convert it in Python, or keep the number in a number field"
            )
        elif target == INT:
            why = "each database rounds it its own way (to even, away from zero, toward zero)"
        else:
            why = "each database prints it its own way (digits, zeros, separators, time zone)"
        raise self._fail(
            scope,
            0,
            source,
            f"a type that converts to {target.name} exactly on every database: {why}; "
            "convert the values in Python",
        )

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        source = kinds[0]
        if source == result or (_is_text(source) and result == TEXT):
            return args[0]
        if _is_bool(source):  # 0 or 1 (PostgreSQL: its boolean as an int)
            return sql.cast(args[0], "integer") if scope.dialect == "postgres" else args[0]
        if result == FLOAT:
            return sql.cast(args[0], "real" if scope.dialect == "sqlite" else "double")
        return int_text(scope, args[0])


def cast_target(output_field: Any) -> Kind | None:
    """The kind an ``output_field`` names (``int``, ``IntField()``, ``str``, ``CharField()``...),
    or None."""
    target = _CAST_KINDS.get(output_field) if isinstance(output_field, type) else None
    if target is None:
        logical = getattr(type(output_field), "logical", None)
        if logical is not None:  # a field declaration: orm.IntField()...
            target = _CAST_LOGICAL.get(output_field.logical)
    return target


def int_text(scope: Any, arg: Any) -> Any:
    """The text of an int expression (``str(int)`` on every database), compared as the
    tables' text is."""
    if scope.dialect == "mysql":
        return sql.raw("(CAST(? AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_nopad_bin)", arg)
    return sql.cast(arg, "text")
