"""Values a driver decoded, marked for ``Model.raw()``, whose SQL says nothing of how each
column was read: within `marking`, SQLite's column declared ``JSON`` reads as a `Decoded`,
and a boolean (SQLite's ``BOOLEAN``, MariaDB's ``tinyint(1)``) holding another value than 0
or 1 reads as an `OddFlag`. Outside it the same reads give the plain values."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

__all__ = ["MARKING", "Decoded", "OddFlag", "marking"]


class Decoded:
    """A value the driver decoded from a column declared ``JSON``: told apart from the text
    of a column declared otherwise (Django's JSONField is a ``text`` column), which a decoded
    JSON string is not."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class OddFlag:
    """A boolean column's value that is neither 0 nor 1 (``2``, ``-1``, SQLite's ``'true'``,
    written by another program): ``value`` is the truth an unmarked read gives it,
    ``stored`` what the column holds (which ``filter(flag=True)``, ``= 1``, does not find)."""

    __slots__ = ("stored", "value")

    def __init__(self, value: bool, stored: Any) -> None:
        self.value = value
        self.stored = stored


MARKING: contextvars.ContextVar[bool] = contextvars.ContextVar("ferrule_marking", default=False)


@contextlib.contextmanager
def marking() -> Iterator[None]:
    """Within it, the reads of this context mark what `Decoded` and `OddFlag` describe."""
    token = MARKING.set(True)
    try:
        yield
    finally:
        MARKING.reset(token)
