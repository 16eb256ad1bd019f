"""Where the validator and serializer decorators leave their marks: the ``__dict__`` of the
function (under a classmethod/staticmethod, of the wrapped one). Read once per class, for every
attribute of every class in its MRO, so the values that cannot carry marks are passed over
without two failing attribute look-ups each."""

from __future__ import annotations

import abc
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["marks_of", "may_carry"]

#: Exact types of class attributes that never carry marks (no ``__func__``, no ``__dict__``).
_UNMARKED = frozenset(
    {
        str,
        bytes,
        int,
        float,
        bool,
        tuple,
        list,
        dict,
        set,
        frozenset,
        type(None),
        types.MemberDescriptorType,
        types.GetSetDescriptorType,
        types.FrameType,  # a waiting class's scope
        types.BuiltinFunctionType,  # a compiled class's pre-bound entry points
        type(getattr(abc.ABC, "_abc_impl", None)),  # every model class's own ABC data
    }
)
_NONE: Mapping[str, Any] = types.MappingProxyType({})


def marks_of(raw: Any) -> Mapping[str, Any]:
    """The marks a class attribute carries (empty when it carries none)."""
    if type(raw) in _UNMARKED:
        return _NONE
    return getattr(getattr(raw, "__func__", raw), "__dict__", None) or _NONE


def may_carry(namespace: Mapping[str, Any]) -> bool:
    """Whether any value of a class's own namespace can carry marks (or be a computed field):
    when none can, a scan of it finds nothing (and, with nothing found before, removes
    nothing), so it is skipped."""
    return not _UNMARKED.issuperset(map(type, namespace.values()))
