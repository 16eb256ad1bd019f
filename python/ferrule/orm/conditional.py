"""Conditional aggregation: ``Count("posts", filter=Q(posts__title__startswith="a"))``
aggregates only the rows its condition holds for.

The argument becomes ``CASE WHEN condition THEN argument END`` on every database (what
PostgreSQL's ``FILTER (WHERE ...)`` answers too; SQLite and MariaDB have only this form): a
row that fails the condition gives NULL, which every aggregate skips. So a group without a
matching row answers as a group without rows: ``Count`` 0, ``Sum``/``Avg``/``Min``/``Max``
None, on the three. ``Count("*", filter=...)`` counts ``CASE WHEN condition THEN 1 END``.

The condition is one row's, compiled as a ``filter()`` on the query's own joins (a name
along the counted relation reads the counted row). A to-many join it adds elsewhere repeats
the counted rows: ``orm.grouping.check_multiplied`` refuses it, as it refuses two Counts over
different relations. A NOT is the row's (``~Q(posts__title="a")``: the posts not titled "a"),
not the exclude() of the outer rows that have one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule import sql
from ferrule.errors import FieldError

if TYPE_CHECKING:
    from ferrule.orm.compiler import Scope
    from ferrule.orm.expressions import Aggregate

__all__ = ["when"]


def when(scope: Scope, value: Aggregate, arg: Any) -> Any:
    """``CASE WHEN <value.filter> THEN arg END``; ``arg`` None: ``Count("*")``'s row (1)."""
    from ferrule.orm.compiler import has_aggregate, pairs

    node = value.filter
    assert node is not None
    for name, _ in pairs(node):
        found = scope.annotations.get(name.partition("__")[0])
        if found is not None and has_aggregate(found):
            raise FieldError(
                f"{scope.model.__name__}: {value!r}: its filter names the aggregate "
                f"annotation {name.partition('__')[0]!r}; a filter tests the aggregated rows"
            )
    condition = scope.q(node, having=True)  # the row's own NOT (no exclude() subquery)
    if condition is None:  # Q(): every row
        return sql.raw("1") if arg is None else arg
    return sql.case((condition, sql.raw("1") if arg is None else arg))
