"""``all()`` of a loaded related manager: ``author.posts.all()`` after
``prefetch_related("posts")`` (or ``fetch_related``) is a QuerySet holding the loaded list, as
Django's prefetched QuerySet holds its result cache.

What reads those rows as they were loaded answers from the list, with no query: awaiting it,
``async for``, ``count()``, ``exists()``, ``contains()``, and ``first()``/``last()`` (the ends
of the list when it came in an order, its queryset's: ``Meta.ordering`` or the
``Prefetch``'s ``order_by()``; else the rows with the smallest and largest key, as the
query's order by the key would give them). A filtered ``Prefetch`` therefore holds for all of
them, as for ``len()``. Every other method is a new query of the database, as in Django (it
makes another QuerySet): ``filter()``, ``exclude()``, ``order_by()``, a slice, ``values()``,
``annotate()``, ``get()``, ``latest()``, ``in_bulk()``, ``aggregate()``, ``iterator()``,
``update()``, ``delete()``; a query of the ``Prefetch``'s queryset narrowed to the instance
(its filters and order kept, as Django's), where one loaded the list unsliced. A write through
the manager drops the loaded list (the next ``all()`` is a query of the relation's rows); a
QuerySet made before keeps the rows it held."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import Any, TypeVar

from ferrule.errors import FieldError
from ferrule.orm.queryset import _STATE, QuerySet
from ferrule.orm.relations import row_of

__all__ = ["LoadedQuerySet", "loaded_all"]

M = TypeVar("M")

_new = object.__new__


class LoadedQuerySet(QuerySet[M]):
    """A related manager's ``all()`` while the relation is loaded: see the module docstring."""

    __slots__ = ("_ordered_rows", "_rows")

    _rows: list[M]
    _ordered_rows: bool

    def _clone(self, slot: str | None = None, value: Any = None) -> QuerySet[M]:
        """A plain QuerySet of the same query: whatever is chained on is a query."""
        out: QuerySet[M] = _new(QuerySet)
        for name in _STATE:
            setattr(out, name, getattr(self, name))
        out._key = None
        if slot is not None:
            setattr(out, slot, value)
        return out

    def __await__(self) -> Generator[Any, None, list[M]]:
        return _answer(list(self._rows)).__await__()

    async def __aiter__(self) -> AsyncIterator[M]:
        for row in list(self._rows):
            yield row

    async def count(self) -> int:
        return len(self._rows)

    async def exists(self) -> bool:
        return bool(self._rows)

    async def contains(self, obj: Any) -> bool:
        model = self._model
        if not row_of(obj, model):  # the real type (not a __class__ it claims), its table
            raise FieldError(
                f"{model.__name__}: contains() takes a {model.__name__} instance, not a "
                f"{type(obj).__name__} instance"
            )
        key = obj.pk
        if key is None:
            raise FieldError(f"{model.__name__}: contains() of an unsaved instance")
        return any(row.pk == key for row in self._rows)  # type: ignore[attr-defined]

    async def first(self) -> M | None:
        return self._end(last=False)

    async def last(self) -> M | None:
        return self._end(last=True)

    def _end(self, last: bool) -> M | None:
        rows = self._rows
        if not rows:
            return None
        if self._ordered_rows:
            return rows[-1] if last else rows[0]
        by_key = max if last else min
        return by_key(rows, key=lambda row: row.pk)  # type: ignore[attr-defined]


async def _answer(rows: list[M]) -> list[M]:
    return rows


def loaded_all(query: QuerySet[M], rows: list[M], ordered: bool) -> LoadedQuerySet[M]:
    """``query`` (a manager's ``all()``) holding ``rows``, the relation's loaded list
    (``ordered``: in its queryset's order)."""
    out: LoadedQuerySet[M] = _new(LoadedQuerySet)
    for name in _STATE:
        setattr(out, name, getattr(query, name))
    out._rows = rows
    out._ordered_rows = ordered
    return out
