"""The types of annotations that are no field's: what ``Scope.value`` checks a value compared
with them against, and how it is sent (``compiler.Scope._annotation_type``)."""

from __future__ import annotations

import decimal
from typing import Any

from ferrule import sql
from ferrule.errors import FieldError
from ferrule.orm.expressions import shown

__all__ = ["NUMBER", "Numbers", "Plain"]


class Numbers:
    """The type of an annotation that is a number but no field's (a Count, an Avg,
    arithmetic): the ``Column`` interface ``Scope.value`` uses, checking that a compared
    value is a plain number, never a str or a date that each
    database would compare its own way."""

    __slots__ = ("allowed", "encryption", "password", "relation")

    def __init__(self, allowed: tuple[type, ...]) -> None:
        self.allowed = allowed
        self.encryption = self.password = self.relation = None

    def check(self, value: Any, owner: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, self.allowed):
            kinds = " or ".join(t.__name__ for t in self.allowed)
            raise FieldError(f"{owner}: an annotation compares with {kinds}, not {shown(value)}")
        if isinstance(value, int):
            return int.__int__(value)  # the number itself, whatever its class says
        if isinstance(value, float):
            return float.__float__(value)
        number: Any = value
        return number if type(number) is decimal.Decimal else decimal.Decimal(number)

    def converters(self, dialect: str) -> tuple[Any, None]:
        # SQLite binds a Decimal as text, which sorts above every number in a comparison
        # with an expression (no column affinity converts it): compare a double there.
        # PostgreSQL types a parameter after the other side (COUNT(...) >= $1: bigint), and
        # the driver then cuts 1.5 to 1: a fraction is sent cast to its own type.
        if dialect == "sqlite":
            return _double, None
        return (_typed_fraction if dialect == "postgres" else None), None


class Plain(Numbers):
    """The type of a text or bool annotation (a ``Case`` of ``Value``s): values of that type
    only; None (``null``) compares with nothing but isnull."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        super().__init__({"text": (str,), "bool": (bool,)}.get(kind, ()))
        self.kind = kind

    def check(self, value: Any, owner: str) -> Any:
        if self.kind == "bool" and isinstance(value, bool):
            return value
        if self.kind == "text" and isinstance(value, str):
            return str.__str__(value)
        wanted = {"text": "str", "bool": "bool"}.get(self.kind, "nothing (it is None)")
        raise FieldError(
            f"{owner}: a {self.kind} annotation compares with {wanted}, not {shown(value)}"
        )

    def converters(self, dialect: str) -> tuple[Any, None]:
        return None, None


def _typed_fraction(value: Any) -> Any:
    """A float or Decimal as a parameter of its own SQL type (PostgreSQL), an int as it is."""
    if isinstance(value, float):
        return sql.cast(value, "double")
    if isinstance(value, decimal.Decimal):
        return sql.cast(value, "numeric")
    return value


def _double(value: Any) -> Any:
    return float(value) if isinstance(value, decimal.Decimal) else value


#: a number annotation (Count, Avg, arithmetic): compared with an int, float or Decimal
NUMBER = Numbers((int, float, decimal.Decimal))
