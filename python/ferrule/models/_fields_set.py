"""Which fields an instance was given (``model_fields_set``), shared by both cores.

No set is built per instance: a model class has a hidden ``__ferrule_fields_set__`` slot that
stays empty when every field was given (the common case), else holds an int whose bit ``i``
says field ``i`` (in declaration order) was given, or, after
``model_construct(_fields_set=...)``, a frozenset of names used as it is. Extra values of an
``extra="allow"`` model count as given. The set is built when the property is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["SLOT", "given_names", "mark_extra", "mark_given", "record_of", "store_record"]

SLOT = "__ferrule_fields_set__"


def record_of(given: Iterable[int], count: int) -> int | None:
    """The slot's value for a model of ``count`` fields given the indexes ``given``."""
    bits = 0
    for index in given:
        bits |= 1 << index
    return None if bits == (1 << count) - 1 else bits


def store_record(instance: Any, record: Any) -> None:
    """Put ``record`` in ``instance``'s slot (None empties it); a class without the slot (a
    hand-made schema's) keeps nothing."""
    slot = getattr(type(instance), SLOT, None)  # its member descriptor: no __setattr__ runs
    if slot is None:
        return
    if record is None:
        if hasattr(instance, SLOT):
            slot.__delete__(instance)
    else:
        slot.__set__(instance, record)


def mark_given(instance: Any, index: int, name: str, count: int) -> None:
    """Field ``index`` (called ``name``) was assigned: from now on it counts as given."""
    record = getattr(instance, SLOT, None)
    if record is None:
        return
    if type(record) is int:
        bits = record | (1 << index)
        store_record(instance, None if bits == (1 << count) - 1 else bits)
    else:
        store_record(instance, frozenset(record) | {name})


def mark_extra(instance: Any, name: str) -> None:
    """An extra value was added: a record of names (the only kind that lists extras) gets it."""
    record = getattr(instance, SLOT, None)
    if record is not None and type(record) is not int:
        store_record(instance, frozenset(record) | {name})


def given_names(instance: Any, names: Iterable[str]) -> set[str]:
    """``model_fields_set``: the given ones of the class's field ``names``, extras included."""
    record = getattr(instance, SLOT, None)
    if record is not None and type(record) is not int:
        return set(record)
    if record is None:
        out = set(names)
    else:
        out = {name for index, name in enumerate(names) if record >> index & 1}
    extra = getattr(instance, "__ferrule_extra__", None)
    if isinstance(extra, Mapping):
        out.update(extra)
    return out
