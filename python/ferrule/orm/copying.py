"""Copies of ORM instances (``model_copy``, ``copy.copy``/``deepcopy``, pickle) keep what was
loaded with the row: prefetched lists, annotations, and the marks that tell a key assigned by
hand from one set by its related instance. Without the marks, a key assigned to a copy was
set back to the loaded instance's key, and written so."""

from __future__ import annotations

import copy
from typing import Any

from ferrule.models._core import force_setattr
from ferrule.orm.relations import DATABASE, SYNCED, related_cache

__all__ = ["carry_loaded", "reduce_loaded", "rekey_copy", "restore_loaded"]

#: the related-cache slot
_SLOT = "__ferrule_related__"


def _kept(cache: dict[str, Any], deep: bool) -> dict[str, Any]:
    """The entries a copy takes over; the synced marks are made again for the copy's own
    related instances (``_resync``), and the database is shared, never copied."""
    out: dict[str, Any] = {}
    for key, value in cache.items():
        if key.startswith(SYNCED):
            continue
        if key == DATABASE:
            out[key] = value
        elif deep:
            out[key] = copy.deepcopy(value)
        else:
            out[key] = list(value) if isinstance(value, list) else value
    return out


def _resync(instance: Any, cache: dict[str, Any], synced: list[str]) -> None:
    for name in synced:
        value = getattr(instance, name, None)  # not loaded: an AttributeError, so None
        if value is not None:
            cache[SYNCED + name] = value


def _synced(cache: dict[str, Any]) -> list[str]:
    return [key[len(SYNCED) :] for key in cache if key.startswith(SYNCED)]


def carry_loaded(source: Any, copied: Any, deep: bool) -> None:
    """Give ``copied`` (a ``model_copy`` of ``source``) what ``source`` had loaded."""
    cache = related_cache(source)
    if not cache:
        return
    kept = _kept(cache, deep)
    _resync(copied, kept, _synced(cache))
    force_setattr(copied, _SLOT, kept)


def reduce_loaded(instance: Any, reduced: tuple[Any, ...]) -> tuple[Any, ...]:
    """``__reduce__`` of an instance: the model's own, with the loaded relations (but the
    database, which is no value to pickle: the copy uses the default one)."""
    cache = related_cache(instance)
    if not cache:
        return reduced
    kept = {k: v for k, v in _kept(cache, False).items() if k != DATABASE}
    return (restore_loaded, (reduced[0], reduced[1], kept, _synced(cache)))


def restore_loaded(restore: Any, args: tuple[Any, ...], kept: Any, synced: list[str]) -> Any:
    """Unpickle what ``reduce_loaded`` wrote."""
    instance = restore(*args)
    _resync(instance, kept, synced)
    force_setattr(instance, _SLOT, kept)
    return instance


def rekey_copy(copied: Any, update: Any) -> None:
    """A key column given to ``model_copy(update=...)`` without its relation: the copied
    related instance (copied after the key, it set the old key back) gives way to the new
    key, and is kept only while it is still the key's row."""
    from ferrule.orm.model import NOT_LOADED

    for relation in type(copied)._meta.relations.values():
        if relation.kind == "m2m" or relation.attname not in update or relation.name in update:
            continue
        key = update[relation.attname]
        force_setattr(copied, relation.attname, key)
        value = getattr(copied, relation.name, NOT_LOADED)
        if value is NOT_LOADED or (
            (value is None) is (key is None) and (value is None or value.pk == key)
        ):
            continue
        force_setattr(copied, relation.name, NOT_LOADED)
        cache = related_cache(copied)
        if cache is not None:
            cache.pop(SYNCED + relation.name, None)
