"""The names ``values()`` and ``values_list()`` select: every column and visible annotation
when none are named; after ``values(...).annotate(...)`` (grouped rows), only the grouped
fields and the annotations, as a field outside the groups has no one value per row. An
``alias()`` is never read: not among them, and refused when named."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.errors import FieldError
from ferrule.orm import expression_order
from ferrule.orm.expressions import shown, text_of

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["value_names"]


def value_names(qs: QuerySet[Any], names: tuple[str, ...]) -> tuple[str, ...]:
    """What ``qs.values(*names)`` selects, checked."""
    grouped = qs._group is not None and qs._aggregates()
    if not names and not grouped:
        visible = (
            n for n in qs._annotations if not expression_order.hidden(n) and n not in qs._aliased
        )
        return (*qs._model._meta.columns, *visible)
    names = tuple(text_of(n) or n for n in names)  # (text_of says why)
    for name in names:
        if not isinstance(name, str):
            raise FieldError(f"values() takes field names, not {shown(name)}")
        if name in qs._aliased:  # Django's refusal
            raise FieldError(
                f"{qs._model.__name__}: values({name!r}) names an alias(), which is not "
                f"read: use annotate() to promote it (annotate({name}=F({name!r})))"
            )
    if grouped:  # a field outside the groups has no one value per row
        assert qs._group is not None
        outside = [n for n in names if n not in qs._group and n not in qs._annotations]
        if outside or not names:
            raise FieldError(
                f"{qs._model.__name__}: after values(...).annotate(...), values() names "
                f"the grouped fields ({', '.join(qs._group)}) and annotations, not "
                f"{', '.join(outside) or 'all fields'}"
            )
    return names
