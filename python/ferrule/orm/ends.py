"""``latest()`` and ``earliest()``: the one row at an end of an ordering, as Django has them
(``Meta.get_latest_by`` when no field is named; ``DoesNotExist`` when there is no row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ferrule.errors import FieldError
from ferrule.orm.expressions import shown

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["end"]

M = TypeVar("M")


async def end(qs: QuerySet[M], method: str, names: tuple[str, ...], *, descending: bool) -> M:
    """The first row of ``qs`` ordered by ``names`` (turned round when ``descending``);
    ``method`` names the caller in errors."""
    order = names or qs._model._meta.options.get_latest_by
    if not order:
        raise FieldError(f"{qs._model.__name__}.{method}() needs field names or Meta.get_latest_by")
    texts = []
    for name in order:
        if not isinstance(name, str):
            raise FieldError(f"{method}() takes field names, not {shown(name)}")
        texts.append(str.__str__(name))  # the text it holds, whatever its methods say
    if descending:
        texts = [o[1:] if o.startswith("-") else f"-{o}" for o in texts]
    order = tuple(texts)
    found = await qs.order_by(*order)._clone("_limit", 1)._fetch()
    if not found:
        raise qs._model.DoesNotExist(f"{qs._model.__name__}.{method}(): no rows")
    one: M = found[0]
    return one
