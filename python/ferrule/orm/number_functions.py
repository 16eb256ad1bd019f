"""The number functions of ``orm.functions`` (which states their rules)."""

from __future__ import annotations

from typing import Any, ClassVar

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.arithmetic import Kind
from ferrule.orm.expressions import Value, shown
from ferrule.orm.function_base import FLOAT, INT, NULL, TypedFunction

__all__ = ["Abs", "Ceil", "Floor", "Mod", "Power", "Round", "Sign"]

# -- numbers ---------------------------------------------------------------------------------


class _Unary(TypedFunction):
    """A function of one number, giving the number's type."""

    __slots__ = ()

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._numbers(scope, kinds)
        return kinds[0]


class Abs(_Unary):
    """The absolute value: ``abs()``."""

    __slots__ = ()

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        return sql.func.abs(args[0])


class Sign(_Unary):
    """-1, 0 or 1, of the argument's type."""

    __slots__ = ()

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_sign(args[0])
        if scope.dialect == "postgres" and result == INT:
            return sql.func.sign(sql.cast(args[0], "numeric"))
        return sql.func.sign(args[0])


class _Rounding(_Unary):
    __slots__ = ()
    _function: ClassVar[str] = ""

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if result == INT:
            return args[0]  # already whole
        if scope.dialect == "sqlite":
            return getattr(sql.func, f"ferrule_{self._function}")(args[0])
        return getattr(sql.func, self._function)(args[0])


class Ceil(_Rounding):
    """The smallest whole number not below the argument, of its type."""

    __slots__ = ()
    _function = "ceil"


class Floor(_Rounding):
    """The largest whole number not above the argument, of its type."""

    __slots__ = ()
    _function = "floor"


class Round(TypedFunction):
    """Rounded at ``precision`` places (the module docstring: ints and decimals half away
    from zero, floats to whole numbers half to even)."""

    __slots__ = ("precision",)

    def __init__(self, expression: Any, precision: Any = 0) -> None:
        super().__init__(expression)
        if isinstance(precision, Value):
            precision = precision.value
        if isinstance(precision, bool) or not isinstance(precision, int):
            raise FieldError(f"Round(): precision must be an int constant, not {shown(precision)}")
        self.precision = int.__int__(precision)
        if not -30 <= self.precision <= 30:
            raise FieldError(f"Round(): precision {self.precision} is beyond 30 places")

    def __repr__(self) -> str:
        return f"Round({shown(self.args[0])}, {self.precision})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._numbers(scope, kinds)
        if kinds[0] == FLOAT and self.precision:
            raise FieldError(
                f"{scope.model.__name__}: {self!r}: a float rounds to a whole number only "
                "(precision=0): no database rounds a double at a decimal place as Python does"
            )
        kind = kinds[0]
        if kind.name == "decimal":  # at most its places: Round(price * rate, 2) fits a column
            return Kind("decimal", min(kind.scale, max(self.precision, 0)))
        return kind

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        places = sql.literal(self.precision)
        if result == INT and self.precision >= 0:
            return args[0]
        if scope.dialect == "sqlite":
            exact = sql.literal(0 if result == FLOAT else 1)
            return sql.func.ferrule_round(args[0], places, exact)
        if result == FLOAT:
            return sql.func.round(args[0])  # rint(): ties to even on both
        if scope.dialect == "postgres":
            return sql.func.round(sql.cast(args[0], "numeric"), places)
        return sql.func.round(args[0], places)


class Mod(TypedFunction):
    """The remainder with the dividend's sign; None for a zero divisor (``x % y``)."""

    __slots__ = ()
    _names = ("dividend", "divisor")

    def __init__(self, x: Any, y: Any) -> None:
        super().__init__(x, y)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._numbers(scope, kinds)
        known = [k for k in kinds if k != NULL]
        if any(k == FLOAT for k in known):
            index = next(i for i, k in enumerate(kinds) if k == FLOAT)
            raise self._fail(
                scope, index, FLOAT, "an int or a decimal (PostgreSQL has no float remainder)"
            )
        if not known:
            return NULL
        if all(k == INT for k in known):
            return INT
        return Kind("decimal", max(k.scale for k in known))

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        x, y = args
        divisor = sql.raw("NULLIF(?, 0)", y)
        if scope.dialect == "sqlite":
            if result == INT:
                return sql.raw("(? % ?)", x, y)  # NULL for a zero divisor
            return sql.func.ferrule_mod(x, y)
        if scope.dialect == "postgres" and result == INT:
            # mod(-2**63, -1) overflows there alone: any number mod -1 is 0
            return sql.case((y == -1, x * 0), else_=sql.func.mod(x, divisor))
        return sql.func.mod(x, divisor)


class Power(TypedFunction):
    """``x ** y`` in doubles (a float); None where there is no real answer."""

    __slots__ = ()
    _names = ("base", "exponent")

    def __init__(self, x: Any, y: Any) -> None:
        super().__init__(x, y)

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        self._numbers(scope, kinds)
        for index, kind in enumerate(kinds):
            if kind.name == "decimal":
                raise self._fail(
                    scope,
                    index,
                    kind,
                    "an int or a float (MariaDB computes decimal powers in "
                    "doubles, PostgreSQL in numerics: no one answer)",
                )
        return FLOAT

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        if scope.dialect == "sqlite":
            return sql.func.ferrule_power(*args)
        x, y = (sql.cast(a, "double") for a in args)
        undefined = sql.or_(
            sql.and_(x < 0, y != sql.func.floor(y)),
            sql.and_(x == 0, y < 0),
        )
        name = "power" if scope.dialect == "postgres" else "pow"
        return sql.case((undefined, sql.null()), else_=getattr(sql.func, name)(x, y))
