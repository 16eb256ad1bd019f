"""``in_bulk()``: the rows whose key (or a unique field) is one of many values, as a dict by
that value. The values are asked for in batches, so no statement binds more parameters than a
database takes (SQLite: 32,766)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ferrule.errors import FieldError

if TYPE_CHECKING:
    from ferrule.orm.queryset import QuerySet

__all__ = ["IN_BULK_BATCH", "in_bulk"]

M = TypeVar("M")

#: how many values one in_bulk() query asks for
IN_BULK_BATCH = 1000


async def in_bulk(qs: QuerySet[M], keys: Iterable[Any] | None, field_name: str) -> dict[Any, M]:
    """``QuerySet.in_bulk``: ``{value: instance}`` of the rows of ``qs`` whose ``field_name``
    is one of ``keys`` (all its rows when None)."""
    model = qs._model
    if qs._limit is not None or qs._offset:
        raise TypeError(f"{model.__name__}: in_bulk() of a slice has no one answer")
    if qs._values is not None:
        raise TypeError(f"{model.__name__}: in_bulk() returns instances, not values()")
    if not isinstance(field_name, str):
        raise FieldError(f"{model.__name__}.in_bulk(): field_name takes a name, not {field_name!r}")
    field_name = str.__str__(field_name)  # the text it holds, whatever its __eq__/__hash__ do
    column = model._meta.pk if field_name == "pk" else model._meta.columns.get(field_name)
    relation = model._meta.relations.get(field_name)
    if column is None and relation is not None and relation.kind != "m2m":
        column = model._meta.columns.get(relation.attname)  # keyed by the related key
    if column is None:
        raise model._meta.unknown(field_name)
    if not (column.primary_key or column.unique):
        raise FieldError(f"{model.__name__}.in_bulk(): {field_name} is not a unique field")
    attr = column.name
    if keys is None:
        return {getattr(o, attr): o for o in await qs._fetch()}
    from ferrule.orm.queryset import QuerySet  # (it imports this module)

    if isinstance(keys, QuerySet):  # values_list(flat=True), or instances (their keys)
        return {getattr(o, attr): o for o in await qs.filter(**{f"{attr}__in": keys})._fetch()}
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
        raise TypeError(f"in_bulk() takes a list of values, not {type(keys).__name__}")
    wanted = [key for key in keys]  # not list(keys): it believes __len__ (a lie: MemoryError)
    out: dict[Any, M] = {}
    for start in range(0, len(wanted), IN_BULK_BATCH):
        batch = wanted[start : start + IN_BULK_BATCH]
        for found in await qs.filter(**{f"{attr}__in": batch})._fetch():
            out[getattr(found, attr)] = found
    return out
