"""pydantic's validators as ``Annotated`` metadata: ``Annotated[int, AfterValidator(f)]``.

``AfterValidator(f)`` runs ``f(value)`` on the checked value, ``BeforeValidator(f)`` on the raw
input before the checks, ``PlainValidator(f)`` instead of them, ``WrapValidator(f)`` as
``f(raw, handler)`` where ``handler(raw)`` runs the checks (raising `ValidationError`); several
run in pydantic's order (each wraps the ones written before it). The type's own constraints are
checked before any of them. A function with one more parameter also gets a `ValidationInfo`
(``f(value, info)``, ``f(raw, handler, info)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["AfterValidator", "BeforeValidator", "PlainValidator", "WrapValidator"]


class _FunctionValidator:
    """A user function and where it runs (``mode``)."""

    __slots__ = ("func",)
    mode: str = ""

    def __init__(self, func: Callable[..., Any]) -> None:
        if not callable(func):
            raise TypeError(f"{type(self).__name__}() takes a function, not {type(func).__name__}")
        self.func = func

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self.func, '__name__', self.func)!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.func == self.func

    def __hash__(self) -> int:
        return hash((type(self), self.func))


class AfterValidator(_FunctionValidator):
    """``func(value)`` after the type's checks; its result is the value."""

    __slots__ = ()
    mode = "after"


class BeforeValidator(_FunctionValidator):
    """``func(raw)`` before the type's checks; its result is what they check."""

    __slots__ = ()
    mode = "before"


class PlainValidator(_FunctionValidator):
    """``func(raw)`` instead of the type's checks; its result is the value."""

    __slots__ = ()
    mode = "plain"


class WrapValidator(_FunctionValidator):
    """``func(raw, handler)`` around the type's checks; ``handler(raw)`` runs them."""

    __slots__ = ()
    mode = "wrap"
