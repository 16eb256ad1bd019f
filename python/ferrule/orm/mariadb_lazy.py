"""MariaDB computes a ``CASE`` lazily only in part: when the ``CASE`` holds a window or an
aggregate, every part of it that holds neither is computed for every row up front (into the
rows the windows or groups then read), whichever branch it sits in. PostgreSQL and SQLite
compute only the branch taken, so ``Case(When(a__lt=100, then=F("a") * 2),
default=Window(Count("id")))`` answered there and overflowed on MariaDB for a row whose
``a`` doubled is past 64 bits (a ``DataError`` where the others answer). ``COALESCE`` is
read the same way (its arguments past the first that is not NULL).

On MariaDB the numeric columns such a ``CASE`` reads in its branches and conditions (outside
its own windows and aggregates) are read as ``column + 0 * COUNT(*) OVER ()`` (a window in
the ``CASE``) or ``column + 0 * COUNT(*)`` (an aggregate): a BIGINT zero computed with the
windows or the groups, so every operation above the column waits for them, and so for its
branch. Adding a BIGINT 0 keeps the type: an int stays an int, a double a double, a decimal
its scale."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ferrule import sql
from ferrule.orm.expressions import Aggregate, Arith, Case, F, Func

__all__ = ["branches", "deferred", "inside"]

_WINDOW_ZERO = "(0 * COUNT(*) OVER ())"
_GROUP_ZERO = "(0 * COUNT(*))"
_NUMBERS = frozenset({"int", "float", "decimal"})


def _holds(value: Any, annotations: dict[str, Any], seen: frozenset[str]) -> tuple[bool, bool]:
    """Whether ``value`` holds a window, and an aggregate outside its windows (also through
    ``F`` of an annotation)."""
    from ferrule.orm.windows import Window

    if isinstance(value, Window):
        return True, False
    if isinstance(value, Aggregate):
        return False, True
    if type(value) is F and value.name in annotations and value.name not in seen:
        return _holds(annotations[value.name], annotations, seen | {value.name})
    parts: list[Any] = []
    if isinstance(value, Arith):
        parts = [value.left, value.right]
    elif isinstance(value, Func):
        parts = list(value.args)
    elif isinstance(value, Case):
        parts = [value.default, *(w.then for w in value.whens)]
    window = aggregate = False
    for part in parts:
        w, a = _holds(part, annotations, seen)
        window, aggregate = window or w, aggregate or a
    return window, aggregate


@contextlib.contextmanager
def branches(scope: Any, case: Any) -> Iterator[None]:
    """While the branches of a ``Case`` (or the arguments of a ``Coalesce``, computed up to
    the first that is not NULL) compile: on MariaDB, when it holds a window or an aggregate,
    its numeric columns wait for them (``deferred``)."""
    if scope.dialect != "mysql" or scope.lazy_zero is not None:
        yield  # another database, or a Case inside one already deferred
        return
    window, aggregate = _holds(case, scope.annotations or {}, frozenset())
    zeros = [_WINDOW_ZERO] * window + [_GROUP_ZERO] * aggregate
    if not zeros:
        yield
        return
    scope.lazy_zero = sql.raw(" + ".join(zeros))
    try:
        yield
    finally:
        scope.lazy_zero = None


@contextlib.contextmanager
def inside(scope: Any) -> Iterator[None]:
    """While a window or an aggregate compiles its own operands (computed row by row before
    it, as on every database): nothing waits there."""
    saved = scope.lazy_zero
    scope.lazy_zero = None
    try:
        yield
    finally:
        scope.lazy_zero = saved


def deferred(scope: Any, expr: Any, kind_name: str) -> Any:
    """``expr`` (a column or subquery of kind ``kind_name``), made to wait for the windows or
    groups when a ``branches`` is open and it is a number."""
    if scope.lazy_zero is None or kind_name not in _NUMBERS:
        return expr
    return sql.raw("(? + ?)", expr, scope.lazy_zero)
