"""Copies of ORM instances (``model_copy``, ``copy.copy``/``deepcopy``, pickle) keep what was
loaded with the row: prefetched lists, annotations, and the marks that tell a key assigned by
hand from one set by its related instance. Without the marks, a key assigned to a copy was
set back to the loaded instance's key, and written so.

Loaded relations make cycles (a prefetched post's ``author`` is the author holding the list,
as in Django), so pickle and the deep copies carry them as the instance's *state*, set once
the copy exists (``reduce_loaded`` / ``set_loaded``; ``deep_copy`` is ``copy.deepcopy``'s
own walk): the copy is in the memo before its relations are copied, and the cycle is copied
as a cycle, not followed for ever."""

from __future__ import annotations

import copy
from typing import Any

from ferrule.models._core import force_setattr
from ferrule.orm.relations import DATABASE, NOT_LOADED, SYNCED, related_cache

__all__ = [
    "carry_loaded",
    "deep_copy",
    "reduce_loaded",
    "rekey_copy",
    "restore_loaded",
    "set_loaded",
]

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


#: a relation that reads as not loaded (an AttributeError) on the copy
_UNREAD: Any = object()


def _resync(instance: Any, cache: dict[str, Any], synced: list[str]) -> None:
    for name in synced:
        value = getattr(instance, name, _UNREAD)  # None too: synced with no row
        if value is not _UNREAD:
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


def _forward(model: Any) -> frozenset[str]:
    """The names of ``model``'s forward relations (their slots hold the related instance)."""
    return frozenset(r.name for r in model._meta.relations.values() if r.kind != "m2m")


def reduce_loaded(instance: Any, reduced: tuple[Any, ...]) -> tuple[Any, ...]:
    """``__reduce__`` of an instance: the model's own, whose loaded relations (the related
    instances in the relation slots, the related cache but its database, which is no value
    to pickle: the copy uses the default one) move to the state `set_loaded` restores."""
    from ferrule.models.fields import MISSING

    restore, args = reduced[0], reduced[1]
    model, values = args[0], list(args[1])
    related: dict[str, Any] = {}
    names = _forward(model)
    if names:
        for index, name in enumerate(model.model_fields):
            value = values[index]
            if name in names and value is not None and value is not MISSING:
                if value is NOT_LOADED:  # by identity: an instance may be falsy (__len__ 0)
                    continue
                related[name] = value  # a loaded instance
                values[index] = MISSING
    cache = related_cache(instance)
    kept = {k: v for k, v in _kept(cache, False).items() if k != DATABASE} if cache else {}
    synced = _synced(cache) if cache else []
    if not related and not kept and not synced:
        return reduced
    state = (related, kept, synced)
    return (restore, (model, tuple(values), *args[2:]), state)


def restore_loaded(restore: Any, args: tuple[Any, ...], kept: Any, synced: list[str]) -> Any:
    """Unpickle what an earlier ``reduce_loaded`` wrote (the relations inside ``args``)."""
    instance = restore(*args)
    _resync(instance, kept, synced)
    force_setattr(instance, _SLOT, kept)
    return instance


def set_loaded(instance: Any, state: tuple[Any, ...]) -> None:
    """``__setstate__``: the relations `reduce_loaded` kept, on the new instance."""
    related, kept, synced = state
    for name, value in related.items():
        force_setattr(instance, name, value)
    _resync(instance, kept, synced)
    force_setattr(instance, _SLOT, kept)


def deep_copy(instance: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy`` of an instance through its ``__reduce__``, as ``copy`` does for an
    object without ``__deepcopy__``: the copy enters ``memo`` before its state is copied, so
    a cycle through its relations comes back to it. The database it came from is shared."""
    reduced = instance.__reduce__()
    copied = reduced[0](*copy.deepcopy(reduced[1], memo))
    memo[id(instance)] = copied
    if len(reduced) > 2:
        set_loaded(copied, copy.deepcopy(reduced[2], memo))
    cache = related_cache(instance)
    if cache is not None and DATABASE in cache:
        loaded_cache = related_cache(copied)
        if loaded_cache is None:
            loaded_cache = {}
            force_setattr(copied, _SLOT, loaded_cache)
        loaded_cache[DATABASE] = cache[DATABASE]
    return copied


def rekey_copy(copied: Any, update: Any) -> None:
    """A key column given to ``model_copy(update=...)`` without its relation: the copied
    related instance (copied after the key, it set the old key back) gives way to the new
    key, and is kept only while it is still the key's row."""
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
