"""The class-level entry points (``model_validate`` & co.) pre-bound in each compiled model
class's own dict (native core only): a classmethod would build a bound-method object on every
call. A user's override of one is never replaced."""

from __future__ import annotations

from typing import Any

from ferrule.models._core import ModelBase, bound_class_method

__all__ = ["bind_class_methods", "unbind_inherited"]

#: Class-level entry points that each compiled class gets pre-bound in its own dict.
_CLASS_METHODS = ("model_validate", "validate", "from_dict", "model_validate_json", "validate_json")

_GENERIC: dict[str, Any] = {name: ModelBase.__dict__[name] for name in _CLASS_METHODS}


def _resolved(cls: type) -> dict[str, tuple[type, Any]]:
    """For each class-level entry point: the class in the MRO defining it, and the object."""
    found: dict[str, tuple[type, Any]] = {}
    for klass in cls.__mro__:
        own = klass.__dict__
        for name in _CLASS_METHODS:
            if name not in found and name in own:
                found[name] = (klass, own[name])
        if len(found) == len(_CLASS_METHODS):
            break
    return found


def _is_ferrule_method(owner: type, name: str, value: Any) -> bool:
    """The generic method, or a pre-bound one: never a user's override."""
    return value is _GENERIC[name] or name in owner.__dict__.get("__ferrule_bound__", ())


def bind_class_methods(cls: type) -> None:
    """`cls.model_validate` & co. as functions bound to `cls` once."""
    if bound_class_method is None:
        return
    bound = []
    for name, (owner, value) in _resolved(cls).items():
        if _is_ferrule_method(owner, name, value):
            setattr(cls, name, bound_class_method(cls, name))
            bound.append(name)
    cls.__ferrule_bound__ = frozenset(bound)  # type: ignore[attr-defined]


def unbind_inherited(cls: type) -> None:
    """A subclass must not reach its parent's pre-bound methods (bound to the parent) while it
    waits to be compiled: it gets the generic ones until `bind_class_methods` runs."""
    if bound_class_method is None:
        return
    for name, (owner, value) in _resolved(cls).items():
        if owner is not ModelBase and _is_ferrule_method(owner, name, value):
            setattr(cls, name, _GENERIC[name])
