"""Conditions that compare a row's value with an aggregate annotation through ``F``
(``rating__lt=F("n")``): HAVING conditions, as Django makes them. The row's side must be
constant in a group (a grouped field, or a row annotation of grouped fields): SQLite and
MariaDB would otherwise read one row's value of it, in silence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule.errors import FieldError
from ferrule.orm.expressions import has_aggregate, shown

__all__ = ["refuse_ungrouped"]


def refuse_ungrouped(
    model: Any,
    annotations: dict[str, Any],
    aggregate_name: Callable[[str], bool],
    refs: Callable[[Any], list[str]],
    found: list[tuple[str, Any]],
    grouped: frozenset[str],
) -> None:
    """Refuse each HAVING pair of ``found`` whose row side is not constant in a group."""

    def in_group(name: str) -> bool:
        field = name.partition("__")[0]
        expression = annotations.get(field)
        if expression is None or has_aggregate(expression):
            return field in grouped
        return all(in_group(r) for r in refs(expression))

    for name, value in found:
        if aggregate_name(name):
            continue
        rows = [n for n in (name, *refs(value)) if not aggregate_name(n)]
        if not all(in_group(n) for n in rows):
            raise FieldError(
                f"{model.__name__}: {name}={shown(value)} compares an aggregate annotation "
                f"with {name.partition('__')[0]}, which is not grouped: group by it "
                "(values() before annotate()) or aggregate it too"
            )
