"""Django spellings with no plain counterpart here: the default names of unnamed aggregates
(``aggregate(Avg("price"))`` is ``{"price__avg": ...}``, ``<field>__<function>``), and those
refused by name rather than by a generic error. ``annotate()`` needs a name for each: a
default name (``authors__count``) would read as a lookup across relations in the filters,
``values()`` and ``order_by()`` that name annotations; ``order_by("?")`` is no field. Django's
``contains(obj)`` answers, as does ``alias()``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ferrule.errors import FieldError, NotAwaitedError
from ferrule.orm.expressions import Aggregate, shown
from ferrule.orm.relations import row_of

__all__ = [
    "NO_RANDOM_ORDER",
    "Spellings",
    "default_names",
    "lock_options",
    "refuse_unnamed",
]

#: ``order_by("?")``'s error, formatted with the model's name
NO_RANDOM_ORDER = (
    "{}: order_by('?'), Django's random order, is not supported: pick keys with "
    "random.sample() from values_list('pk', flat=True), then read them with in_bulk()"
)


def default_names(unnamed: tuple[Any, ...], named: dict[str, Any]) -> dict[str, Any]:
    """Each unnamed aggregate under its default name, then the named ones. An aggregate of an
    expression or of ``"*"`` has no such name, and a default name may not repeat."""
    out: dict[str, Any] = {}
    for given in unnamed:
        value = getattr(given, "defaulted", given)  # Sum("views", default=0): views__sum
        if not isinstance(value, Aggregate):
            raise FieldError(f"aggregate() takes orm.Count/Sum/Avg/Min/Max, not {shown(value)}")
        if not isinstance(value.field, str) or value.field == "*":
            raise FieldError(f"aggregate({value!r}) has no default name: name it (total=...)")
        name = f"{value.field}__{getattr(value, 'suffix', value.function)}"
        if name in out or name in named:
            raise FieldError(f"aggregate(): two aggregates are named {name!r}")
        out[name] = given
    out.update(named)
    return out


def refuse_unnamed(model: str, unnamed: tuple[Any, ...]) -> None:
    """``annotate(Count("authors"))``: a ``FieldError`` asking for a name."""
    if unnamed:
        raise FieldError(
            f"{model}: annotate({', '.join(map(shown, unnamed))}) needs a name for each "
            "annotation, as in annotate(n=Count(...)): Django's default name (posts__count) "
            "would read as a lookup across relations"
        )


def lock_options(model: Any, skip_locked: bool, nowait: bool, of: Any, no_key: bool) -> None:
    """``select_for_update``'s options: Django's ``of`` (lock only some tables) and
    ``no_key`` (PostgreSQL's weaker lock) are refused when used, as is ``skip_locked``
    with ``nowait``."""
    name = model.__name__
    if skip_locked and nowait:
        raise FieldError(f"{name}: select_for_update(): skip_locked and nowait exclude each other")
    if of:
        raise FieldError(
            f"{name}: select_for_update(of=...) is not supported: the model's own rows are "
            "locked (on PostgreSQL OF its table; MariaDB's InnoDB also locks the related rows "
            "a select_related() reads: leave it out there to lock only these)"
        )
    if no_key:
        raise FieldError(
            f"{name}: select_for_update(no_key=True) is not supported: the rows are locked "
            "FOR UPDATE"
        )


class Spellings:
    """``QuerySet.contains`` and ``QuerySet.alias``; the synchronous collection protocol,
    refused (Python's fallback iteration through ``qs[i]``, each a QuerySet, never ended)."""

    __slots__ = ()
    _model: Any
    _flat: str | None
    _limit: int | None
    _offset: int | None

    def __iter__(self) -> Iterator[Any]:
        raise NotAwaitedError(
            f"{self._model.__name__}: a QuerySet is read with `await qs` (a list) or "
            "`async for obj in qs`, not iterated as a list"
        )

    def __contains__(self, obj: Any) -> bool:
        raise NotAwaitedError(
            f"{self._model.__name__}: `obj in qs`: use `await qs.contains(obj)`, or `in` the "
            "list `await qs` gives (a QuerySet is read with `await` or `async for`)"
        )

    def __len__(self) -> int:
        raise NotAwaitedError(
            f"{self._model.__name__}: len() of a QuerySet: use `await qs.count()`, or "
            "len() of the list `await qs` gives"
        )

    def __bool__(self) -> bool:
        raise NotAwaitedError(
            f"{self._model.__name__}: the truth of a QuerySet: use `await qs.exists()` "
            "(without it, `if qs:` would always be true)"
        )

    def group_by(self, *fields: Any) -> Any:
        raise FieldError(
            f"{self._model.__name__}: group_by() is Tortoise's spelling: group with "
            "values(*fields).annotate(name=Count(...)), as Django does"
        )

    async def contains(self, obj: Any) -> bool:
        """Whether ``obj`` (a saved instance of the model) is one of this queryset's rows;
        of a slice, one of the slice's own rows."""
        model = self._model
        if self._flat is not None:
            raise FieldError(f"{model.__name__}: contains() of values() or values_list() rows")
        if not row_of(obj, model):  # the real type (not a __class__ it claims), its table
            raise FieldError(
                f"{model.__name__}: contains() takes a {model.__name__} instance, not a "
                f"{type(obj).__name__} instance"
            )
        if obj.pk is None:
            raise FieldError(f"{model.__name__}: contains() of an unsaved instance")
        queryset: Any = self
        pk = model._meta.pk.name
        if self._limit is not None or self._offset:  # the slice's keys, then a look
            return obj.pk in await queryset.values_list(pk, flat=True)
        return bool(await queryset.filter(pk=obj.pk).exists())

    def alias(self, /, **aliases: Any) -> Any:
        """Django's annotation that is not selected: named in filters, ``order_by()``,
        ``annotate()``, ``aggregate()`` and before ``update()``, never read (no attribute of
        the instances, no key of ``values()``; naming it there is refused,
        ``orm.value_names``). An aggregate one groups the rows as ``annotate()`` would."""
        queryset: Any = self
        aliases = {str.__str__(name): value for name, value in aliases.items()}  # annotate()'s
        out = queryset.annotate(**aliases)
        out._values = queryset._values  # after values(): not one of its keys
        out._aliased = queryset._aliased.union(aliases)
        return out
