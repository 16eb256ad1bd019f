"""Django's ``output_field=``: ``ExpressionWrapper(F("qty") * F("price"),
output_field=DecimalField())``, ``Value(1, output_field=FloatField())``,
``Case(..., output_field=CharField())``, ``Sum(..., output_field=IntegerField())``,
``Coalesce(..., output_field=...)``.

Django needs ``output_field`` where it cannot tell an expression's type; ferrule always can
(``orm.arithmetic``), and its answer does not change by what is said here. So ``output_field``
is a check, never a conversion in SQL: the type it names must be the one the expression has
(an int field for an int expression, a date field for a date...), else a ``FieldError`` names
both and points to ``Cast`` (Django would pass the database's value through, which differs
from one database to the next). A ``DecimalField`` with ``decimal_places`` must match the
expression's places. ``Value(constant, output_field=...)`` converts the constant as Django's
field would prepare it where that is exact (an int as a float or a ``Decimal``) and is
otherwise checked the same way."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, ClassVar

from ferrule.errors import FieldError
from ferrule.orm.arithmetic import Kind
from ferrule.orm.expressions import Q, shown
from ferrule.orm.function_base import TypedFunction

__all__ = ["ExpressionWrapper", "checked", "declared", "value_for", "wrapped"]

#: the type a Python class names as an ``output_field`` (``int``, ``str``...)
_BY_CLASS: dict[Any, str] = {
    bool: "bool",
    int: "int",
    float: "float",
    decimal.Decimal: "decimal",
    str: "text",
    dt.datetime: "datetime",
    dt.date: "date",
    dt.time: "time",
    dt.timedelta: "timedelta",
}
#: the type of a column's logical type
_BY_LOGICAL = {
    "int": "int",
    "bigint": "int",
    "smallint": "int",
    "float": "float",
    "decimal": "decimal",
    "str": "text",
    "text": "text",
    "bool": "bool",
    "date": "date",
    "datetime": "datetime",
    "datetime_tz": "datetime",
    "time": "time",
    "timedelta": "timedelta",
    "uuid": "uuid",
    "json": "json",
    "binary": "binary",
}
_SIMPLE = {"int": Kind("int"), "float": Kind("float"), "text": Kind("text"), "bool": Kind("bool")}


def declared(output_field: Any) -> tuple[str, int | None]:
    """The type an ``output_field`` names (``int``, ``IntField()``, ``DecimalField(...)``)
    and, for a decimal, its places (None: any)."""
    if isinstance(output_field, type):
        name = _BY_CLASS.get(output_field)
        if name is not None:
            return name, None
    else:
        logical = getattr(type(output_field), "logical", None)
        if logical is not None:  # a field declaration: orm.IntField(), orm.DateField()...
            name = _BY_LOGICAL.get(output_field.logical or "")
            if name is None:
                name = _BY_CLASS.get(getattr(output_field, "python_type", None))
            if name is not None:
                places = (getattr(output_field, "constraints", None) or {}).get("decimal_places")
                return name, places if isinstance(places, int) else None
    raise FieldError(
        f"output_field must be a field (IntField(), DecimalField(...), DateField()...) or a "
        f"type (int, str, ...), not {shown(output_field)}"
    )


def _kind_type(kind: Kind) -> str | None:
    """The type of a kind, in ``declared``'s words (None: a bare None, any type)."""
    if kind.name == "null":
        return None
    if kind.name == "avg":
        return "float"  # an Avg of ints or floats (of decimals: ferrule refuses the mix)
    if kind.name == "field":
        column = kind.column
        if column.enum is not None or column.encryption is not None:
            return "field"  # their values are no plain type: only Cast could say
        logical: str = column.logical.name
        return _BY_LOGICAL.get(logical, logical)
    return _BY_LOGICAL.get(kind.name, kind.name)


class ExpressionWrapper(TypedFunction):
    """Django's ``ExpressionWrapper(expression, output_field)``: the expression itself, its
    type checked against ``output_field`` (the module docstring)."""

    __slots__ = ("places", "target")
    _strict: ClassVar[bool] = False
    _output_field: ClassVar[bool] = True

    def __init__(self, expression: Any, output_field: Any) -> None:
        if isinstance(expression, Q):
            raise FieldError(
                "ExpressionWrapper(Q(...)): a condition as a value is "
                "Case(When(Q(...), then=Value(True)), default=Value(False))"
            )
        super().__init__(expression)
        target: tuple[str | None, int | None] = (None, None)
        if output_field is not None:
            target = declared(output_field)
        self.target, self.places = target

    def __repr__(self) -> str:
        return f"ExpressionWrapper({shown(self.args[0])}, {self.target})"

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        return checked(scope, self.args[0], kinds[0], self.target, self.places)

    def _sql(self, scope: Any, args: list[Any], kinds: list[Kind], result: Kind) -> Any:
        return args[0]

    @property
    def defaulted(self) -> Any:
        """The aggregate it wraps, which names it in ``aggregate()`` (``views__sum``: read as
        ``orm.aggregate_defaults.Defaulted``'s)."""
        inner = self.args[0]
        return getattr(inner, "defaulted", inner)


def checked(
    scope: Any, expression: Any, kind: Kind, target: str | None, places: int | None
) -> Kind:
    """The kind of ``expression`` (``kind``) when it is of the type ``output_field`` named
    (``target``, ``places``: ``declared``'s answer), else a ``FieldError`` naming both."""
    found = _kind_type(kind)
    if target is None:
        return kind
    if found is None:  # None of the named type
        if target == "decimal":
            return Kind("decimal", places or 0)
        return _SIMPLE.get(target, kind)
    if found == target and (target != "decimal" or places is None or places == kind.scale):
        return kind
    what = f"a decimal of {kind.scale} places" if found == "decimal" else _a(found)
    wanted = f"a decimal of {places} places" if target == "decimal" else _a(target)
    raise FieldError(
        f"{scope.model.__name__}: {shown(expression)} gives {what}, and output_field "
        f"says {wanted}: ferrule does not convert by output_field (Django passes each "
        "database's own value through); convert with Cast(), Round() or a constant of "
        "that type"
    )


def _a(name: str | None) -> str:
    return {"int": "an int", "text": "text", None: "None"}.get(name, f"a {name}")


def wrapped(expression: Any, output_field: Any) -> Any:
    """``expression`` checked against ``output_field`` (a ``Case``, an aggregate or a
    function given one), or itself when that is None."""
    return expression if output_field is None else ExpressionWrapper(expression, output_field)


def value_for(value: Any, output_field: Any) -> Any:
    """``Value(value, output_field=...)``'s constant: converted as Django's field prepares it
    where that is exact (an int as a float or a decimal), else checked to be of that type."""
    target, places = declared(output_field)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and target in ("float", "decimal"):
        whole = int.__int__(value)  # what a subclass holds: its __float__ may say another
        value = _as_float(whole) if target == "float" else decimal.Decimal(whole)
    found = _BY_CLASS.get(type(value))
    if found is None:
        found = next((t for c, t in _BY_CLASS.items() if isinstance(value, c)), None)
    if found == "date" and isinstance(value, dt.datetime):
        found = "datetime"
    if found == target:
        if target == "decimal" and places is not None:
            return _at_places(value, places)
        return value
    raise FieldError(
        f"Value({shown(value)}, output_field=...): the constant is {_a(found)}, and "
        f"output_field says {_a(target)}: give a constant of that type"
    )


def _as_float(value: int) -> float:
    """An int as the float Django's ``FloatField`` makes of it; one past every float is a
    ``FieldError`` (an ``OverflowError`` from ``float()``)."""
    try:
        return float(value)
    except OverflowError:
        raise FieldError(
            f"Value({shown(value)}, output_field=...): the int is beyond every float"
        ) from None


def _at_places(value: decimal.Decimal, places: int) -> decimal.Decimal:
    """A decimal constant (of a subclass too: read as the ``Decimal`` it holds, never through
    its own methods) with ``places`` places, refused when it has more or is no finite number;
    exact however many digits it has (its own context, not the thread's 28 digits)."""
    Decimal = decimal.Decimal
    if not Decimal.is_finite(value):
        raise FieldError(f"Value({shown(value)}, output_field=...): not a finite number")
    exponent = Decimal.as_tuple(value).exponent
    assert isinstance(exponent, int)  # (a finite number's)
    if -exponent > places:
        raise FieldError(
            f"Value({shown(value)}, output_field=...): more places than its {places}: "
            "round it first"
        )
    digits = max(1, Decimal.adjusted(value) + 1) + places
    exact = decimal.Context(prec=digits, traps=[decimal.Inexact, decimal.InvalidOperation])
    return Decimal.quantize(value, Decimal(1).scaleb(-places), context=exact)
