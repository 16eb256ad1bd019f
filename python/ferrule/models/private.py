"""Private attributes: underscore-named values of an instance that are no fields.

``_cache: dict = PrivateAttr(default_factory=dict)`` (or an annotated ``_name`` with a plain
default) is an instance attribute that is never validated, dumped, written to JSON or to the
JSON Schema, as in pydantic. Each one is a slot of the class (reads cost what a field's read
costs); its default is set on every new instance (before ``model_post_init``) by the
cores themselves, from the model schema's ``"private"`` list.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from ferrule.errors import SchemaError
from ferrule.models._core import force_setattr
from ferrule.models.fields import MISSING

__all__ = ["ModelPrivateAttr", "PrivateAttr", "schema_entries", "start", "values"]

#: Values shared as they are (never changed in place), not copied per instance.
_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), frozenset, tuple)


class ModelPrivateAttr:
    """What `PrivateAttr` returns: a private attribute's default or default factory."""

    __slots__ = ("default", "default_factory")

    def __init__(
        self, default: Any = MISSING, *, default_factory: Callable[[], Any] | None = None
    ) -> None:
        if default is not MISSING and default_factory is not None:
            raise TypeError("cannot specify both default and default_factory")
        if default_factory is not None and not callable(default_factory):
            raise TypeError("default_factory must be callable")
        self.default = default
        self.default_factory = default_factory

    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_factory is not None

    def get_default(self) -> Any:
        """The value a new instance starts with: the factory's, or a copy of the default
        (one mutable default never shared by two instances)."""
        if self.default_factory is not None:
            return self.default_factory()
        if isinstance(self.default, _IMMUTABLE):
            return self.default
        return copy.deepcopy(self.default)

    def __repr__(self) -> str:
        if self.default_factory is not None:
            return f"ModelPrivateAttr(default_factory={self.default_factory!r})"
        if self.default is not MISSING:
            return f"ModelPrivateAttr(default={self.default!r})"
        return "ModelPrivateAttr()"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelPrivateAttr):
            return NotImplemented
        return (self.default, self.default_factory) == (other.default, other.default_factory)

    __hash__ = None  # type: ignore[assignment]


def PrivateAttr(
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    init: Literal[False] = False,
) -> Any:
    """A private attribute: per instance, writable, never validated nor dumped."""
    if init is not False:
        raise TypeError("PrivateAttr(init=...) can only be False")
    return ModelPrivateAttr(default, default_factory=default_factory)


def _is_private_name(name: str) -> bool:
    return name.startswith("_") and not name.startswith(("__", "_ferrule"))


def _plain_value(value: Any) -> bool:
    """A class-body value pydantic turns into a private default: no function, class,
    descriptor (property, classmethod) or other callable."""
    return not (callable(value) or isinstance(value, type) or hasattr(type(value), "__get__"))


def collect(
    name: str,
    namespace: dict[str, Any],
    annotations: Mapping[str, Any],
    inherited: Mapping[str, ModelPrivateAttr],
    is_classvar: Callable[[Any], bool],
) -> tuple[dict[str, ModelPrivateAttr], list[str]]:
    """The class's private attributes (its bases' first) and the slots it must add; their
    defaults leave `namespace` (a slot and a class attribute cannot share a name)."""
    for key, value in namespace.items():
        if isinstance(value, ModelPrivateAttr) and not _is_private_name(key):
            raise SchemaError(
                f"{name}.{key}: private attributes must not use valid field names; use "
                f"sunder names, e.g. '_{key.lstrip('_')}'"
            )
    own: dict[str, ModelPrivateAttr] = {}
    for key, annotation in annotations.items():
        if key[:1] == "_" and _is_private_name(key) and not is_classvar(annotation):
            value = namespace.pop(key, MISSING)
            own[key] = value if isinstance(value, ModelPrivateAttr) else ModelPrivateAttr(value)
    for key, value in list(namespace.items()):
        if key[:1] != "_" or key in annotations or not _is_private_name(key):
            continue  # annotated: a private attribute above, or a ClassVar
        if isinstance(value, ModelPrivateAttr):
            own[key] = namespace.pop(key)
        elif _plain_value(value):
            own[key] = ModelPrivateAttr(namespace.pop(key))
    slots = [key for key in own if key not in inherited]
    return {**inherited, **own}, slots


def schema_entries(private: Mapping[str, ModelPrivateAttr]) -> list[dict[str, Any]]:
    """The model schema's ``"private"`` list: each private attribute with a default, as the
    value shared by every instance (an immutable one) or a factory (a mutable default is
    deep-copied per instance); both cores set them on every new instance."""
    entries: list[dict[str, Any]] = []
    for key, attr in private.items():
        if attr.default_factory is not None:
            entries.append({"name": key, "default_factory": attr.default_factory})
        elif isinstance(attr.default, _IMMUTABLE):
            entries.append({"name": key, "default": attr.default})
        elif attr.default is not MISSING:
            entries.append({"name": key, "default_factory": attr.get_default})
    return entries


def start(instance: Any, entries: Iterable[dict[str, Any]]) -> None:
    """Set the private defaults of a new instance (what the cores do on their own)."""
    for entry in entries:
        factory = entry.get("default_factory")
        value = entry["default"] if factory is None else factory()
        force_setattr(instance, entry["name"], value)


def values(instance: Any) -> dict[str, Any]:
    """The private attributes `instance` holds (copies, pickles and equality use them)."""
    out = {}
    for key in getattr(type(instance), "__private_attributes__", ()):
        value = getattr(instance, key, MISSING)
        if value is not MISSING:
            out[key] = value
    return out
