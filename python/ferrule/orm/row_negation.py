"""NOT over a condition on a row annotation of a to-many relation
(``annotate(t=F("posts__title")).exclude(t__startswith="a")``): the annotation is one value of
each joined row, as the rows read show (a row per related row), so the NOT is of that row's
value, as Django's. A key subquery, kept for NOT over a to-many lookup, would drop every row
of a model row one of whose related rows meets the condition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrule.orm.expressions import Q, has_aggregate

if TYPE_CHECKING:
    from ferrule.orm.compiler import Scope

__all__ = ["joins_many"]


def joins_many(scope: Scope, node: Q) -> bool:
    """Whether ``node``'s conditions (which join a to-many relation) join one other than
    through the row annotations (no aggregate in them) they name."""
    from ferrule.orm.compiler import pairs

    if all(has_aggregate(v) for v in scope.annotations.values()):
        return True  # (none: the probe said so)
    probe = type(scope)(scope.model, scope.dialect)
    probe.annotations = scope.annotations
    probe.probed, probe.probing = scope.probed, True
    for name, value in pairs(node):
        found = scope.annotations.get(name.partition("__")[0])
        if found is not None and not has_aggregate(found):
            continue  # a value of the row: compiled on the query's own join
        probe.q(Q(**{name: value}))
    return probe.multi
