"""The bounds of ``qs[a:b]``, read as a Python list reads them: each through ``__index__``
once (``operator.index``), so what a QuerySet stores is a plain int whatever the object's
other methods (``__lt__``, ``__sub__``, ``__eq__``) claim; a float or any other non-index is
a ``TypeError``, a step other than 1 a `FieldError`. `count` checks a limit, an offset or a
chunk size the same way: one a statement can take."""

from __future__ import annotations

from operator import index
from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import shown

__all__ = ["bounds"]


def bounds(key: slice) -> tuple[int, int | None]:
    """``(start, stop)`` of a slice: start 0 when absent, stop None when absent."""
    step = key.step
    if step is not None and index(step) != 1:
        raise FieldError("QuerySet slices take no step")
    start: Any = key.start
    stop: Any = key.stop
    try:
        return (0 if start is None else index(start)), (None if stop is None else index(stop))
    except TypeError as exc:
        kinds = f"{type(start).__name__}:{type(stop).__name__}"  # no repr: it may lie or raise
        raise TypeError(f"QuerySet slice bounds must be integers, not [{kinds}]") from exc


#: the largest row count or position a statement takes (a signed 64-bit LIMIT/OFFSET: past
#: it PostgreSQL's driver raised OverflowError and MariaDB a syntax error)
MOST_ROWS = 2**63 - 1


def count(value: Any, what: str) -> int:
    """A limit, an offset or a chunk size: an int from 0 to ``MOST_ROWS`` (a FieldError, a
    ValueError, otherwise)."""
    number = int.__int__(value) if isinstance(value, int) else None  # (its own <= may lie)
    if isinstance(value, bool) or number is None or not 0 <= number <= MOST_ROWS:
        raise FieldError(
            f"{what} must be a non-negative int of at most 2**63 - 1, not {shown(value)}"
        )
    return number  # the number itself, whatever its class says
