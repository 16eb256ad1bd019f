"""Django's ``default=`` of an aggregate (``Sum("views", default=0)``): the value it answers
over no rows instead of None, computed as Django computes it, ``Coalesce(Sum(...), 0)``, so
the default's type must be one the aggregate's can be (``Coalesce`` checks it). An unnamed
one in ``aggregate()`` is named as its aggregate is (``views__sum``: ``defaulted`` holds it).
``Count`` takes none: it is 0 over no rows (Django refuses it too); nor does an ``Avg`` of
decimals (its places are each database's own)."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError
from ferrule.orm import arithmetic
from ferrule.orm.arithmetic import Kind
from ferrule.orm.function_base import FLOAT, INT, Coalesce

__all__ = ["Defaulted", "defaulted"]


class Defaulted(Coalesce):
    """``Coalesce(aggregate, default)`` that remembers its aggregate."""

    __slots__ = ("defaulted",)

    def __init__(self, aggregate: Any, default: Any) -> None:
        super().__init__(aggregate, default)
        self.defaulted = aggregate

    def _result(self, scope: Any, kinds: list[Kind]) -> Kind:
        """An Avg's kind is its own (each database's precision): of ints and floats it is a
        double everywhere, so a number default makes a float; of decimals it is refused."""
        if kinds[0].name != "avg":
            return super()._result(scope, kinds)
        read = arithmetic.kind_of(scope, arithmetic._argument(scope, self.defaulted))
        if read in (INT, FLOAT) and kinds[1] in (INT, FLOAT):
            return FLOAT
        raise FieldError(
            f"{scope.model.__name__}: {self!r}: the default of an Avg of ints or floats is "
            "a number; an Avg of decimals takes none (its places are each database's): "
            "compare the answer with None in Python"
        )

    def __repr__(self) -> str:
        inner = repr(self.defaulted)
        return f"{inner[:-1]}, default={self.args[1]!r})"


def defaulted(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any], default: Any) -> Any:
    """``cls(*args, **kwargs)`` answering ``default`` over no rows."""
    if getattr(cls, "function", None) == "count":
        raise FieldError(
            f"{cls.__name__}(default=...): a Count is 0 over no rows already (Django refuses "
            "it too)"
        )
    return Defaulted(cls(*args, **kwargs), default)
