"""``first()``, ``last()``, ``latest()`` and ``earliest()``: the one row at an end of an
ordering, as Django has them (``Meta.get_latest_by`` when no field is named; ``DoesNotExist``
when there is no row). A slice keeps its bounds: ``qs[2:2].first()`` is None. Turning a slice
round (``last()``, or the new order of ``latest()``/``earliest()``) would answer for the rows
around it, not its own, so that is an ``ORMError``, as Django refuses it; so are filter(),
exclude(), order_by() and distinct() of a slice (``unsliced``), which SQL would apply before
the LIMIT."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ferrule.errors import FieldError, ORMError
from ferrule.orm.expressions import shown

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["end", "first", "last", "unsliced"]

M = TypeVar("M")


async def end(qs: QuerySet[M], method: str, names: tuple[str, ...], *, descending: bool) -> M:
    """The first row of ``qs`` ordered by ``names`` (turned round when ``descending``);
    ``method`` names the caller in errors."""
    unsliced(qs, method)
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


async def first(qs: QuerySet[M]) -> M | None:
    """``QuerySet.first``: ordered by the key when unordered; at most the slice's rows."""
    if not qs._ordered():  # any order is the slice's: the key's
        qs = qs._clone("_order", qs._first_order())
    found = await qs._clone("_limit", 1 if qs._limit is None else min(qs._limit, 1))._fetch()
    return found[0] if found else None


async def last(qs: QuerySet[M]) -> M | None:
    """``QuerySet.last``: the first row of the reversed order."""
    unsliced(qs, "last")
    order = qs._order_names() or qs._first_order()
    reverse = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
    found = await qs.order_by(*reverse)._clone("_limit", 1)._fetch()
    return found[0] if found else None


def unsliced(qs: QuerySet[M], method: str, changes: bool = True) -> QuerySet[M]:
    """``qs``, refusing ``method`` on a slice when it ``changes`` the rows: its SQL would run
    before the LIMIT, not on the slice."""
    if changes and (qs._limit is not None or qs._offset):
        raise ORMError(
            f"{qs._model.__name__}: {method}() of a slice would act on the rows before "
            "slicing, not on the slice's own: call it before slicing"
        )
    return qs
