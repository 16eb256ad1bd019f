"""``Q`` (filter trees), ``F`` (column references in filters and updates) and the
aggregates (``Count``, ``Sum``, ``Avg``, ``Min``, ``Max``). They are data until a query
compiles them against its model (``orm.compiler``), so no name reaches SQL unchecked."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError

__all__ = ["Avg", "Count", "F", "Max", "Min", "Q", "Sum", "shown"]


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, or its type when that repr raises (a message
    naming a hostile value must not become that value's own exception)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__} object>"


class Q:
    """Filter conditions combined with ``&``, ``|`` and ``~``: ``Q(age__gte=18) | Q(vip=True)``."""

    __slots__ = ("children", "connector", "negated")

    def __init__(self, *args: Q, **kwargs: Any) -> None:
        for arg in args:
            if not isinstance(arg, Q):
                raise FieldError(f"Q() takes Q objects and field=value keywords, not {shown(arg)}")
        self.children: list[Any] = [*args, *sorted(kwargs.items())]
        self.connector = "and"
        self.negated = False

    def _combine(self, other: Any, connector: str) -> Q:
        if not isinstance(other, Q):
            return NotImplemented  # type: ignore[no-any-return]
        out = Q()
        out.children = [self, other]
        out.connector = connector
        return out

    def __and__(self, other: Any) -> Q:
        return self._combine(other, "and")

    def __or__(self, other: Any) -> Q:
        return self._combine(other, "or")

    def __invert__(self) -> Q:
        out = Q()
        out.children = [self]
        out.negated = True
        return out

    def __repr__(self) -> str:
        inner = f" {self.connector.upper()} ".join(
            repr(c) if isinstance(c, Q) else f"({c[0]!r}, {shown(c[1])})" for c in self.children
        )
        return f"{'NOT ' if self.negated else ''}Q({inner})"


class Combinable:
    """Arithmetic on column references: ``F("views") + 1``."""

    __slots__ = ()

    def _op(self, op: str, other: Any, reverse: bool = False) -> Arith:
        return Arith(op, other, self) if reverse else Arith(op, self, other)

    def __add__(self, other: Any) -> Arith:
        return self._op("+", other)

    def __radd__(self, other: Any) -> Arith:
        return self._op("+", other, True)

    def __sub__(self, other: Any) -> Arith:
        return self._op("-", other)

    def __rsub__(self, other: Any) -> Arith:
        return self._op("-", other, True)

    def __mul__(self, other: Any) -> Arith:
        return self._op("*", other)

    def __rmul__(self, other: Any) -> Arith:
        return self._op("*", other, True)

    def __truediv__(self, other: Any) -> Arith:
        return self._op("/", other)

    def __rtruediv__(self, other: Any) -> Arith:
        return self._op("/", other, True)

    def __neg__(self) -> Arith:
        return Arith("-", 0, self)


class F(Combinable):
    """A column of the queried model (or across relations: ``F("author__name")``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise FieldError(f"F() needs a field name, not {name!r}")
        self.name = name

    def __repr__(self) -> str:
        return f"F({self.name!r})"


class Arith(Combinable):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op, self.left, self.right = op, left, right

    def __repr__(self) -> str:
        return f"({shown(self.left)} {self.op} {shown(self.right)})"


class Aggregate(Combinable):
    """An aggregate over a field (``"*"`` for ``Count``), optionally of distinct values."""

    __slots__ = ("distinct", "field")
    function = ""

    def __init__(self, field: str, *, distinct: bool = False) -> None:
        if not isinstance(field, str) or not field:
            raise FieldError(f"{type(self).__name__}() needs a field name, not {field!r}")
        if field == "*" and not isinstance(self, Count):
            raise FieldError(f"{type(self).__name__}('*') is not an aggregate; name a field")
        self.field = field
        self.distinct = bool(distinct)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.field!r}{', distinct=True' if self.distinct else ''})"


class Count(Aggregate):
    __slots__ = ()
    function = "count"


class Sum(Aggregate):
    __slots__ = ()
    function = "sum"


class Avg(Aggregate):
    __slots__ = ()
    function = "avg"


class Min(Aggregate):
    __slots__ = ()
    function = "min"


class Max(Aggregate):
    __slots__ = ()
    function = "max"
