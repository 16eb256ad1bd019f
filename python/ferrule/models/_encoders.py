"""How value types with no JSON form of their own are written in JSON mode (``model_dump(mode=
"json")``, ``model_dump_json``): an IP address or a path as its text, a compiled pattern as its
source, a deque as an array, a secret as its mask. In Python mode they stay the objects they are.

One table, read by both serialisers (the native one asks `encoder_for` once per type and caches
the answer with the type's kind)."""

from __future__ import annotations

import collections
import dataclasses
import ipaddress
import pathlib
import re
from collections.abc import Callable
from typing import Any

__all__ = ["encode", "encoder_for", "register"]

_ENCODERS: dict[type, Callable[[Any], Any]] = {
    ipaddress.IPv4Address: str,
    ipaddress.IPv6Address: str,
    ipaddress.IPv4Network: str,
    ipaddress.IPv6Network: str,
    ipaddress.IPv4Interface: str,
    ipaddress.IPv6Interface: str,
    pathlib.PurePath: str,
    re.Pattern: lambda value: value.pattern,
    collections.deque: list,
}


def register(cls: type, encoder: Callable[[Any], Any]) -> None:
    """``encoder(value)`` gives the JSON-ready form of every ``cls`` instance (ferrule's own value
    types register themselves when their module is imported)."""
    _ENCODERS[cls] = encoder
    _FOUND.clear()


#: encoder_for's answers by exact type, for the types that have an encoder (few: the
#: registered ones, their subclasses, dataclasses); `register` clears it.
_FOUND: dict[type, Callable[[Any], Any]] = {}


def encoder_for(cls: type) -> Callable[[Any], Any] | None:
    """The encoder of ``cls`` or of its nearest registered base class (a dataclass: its fields
    as an object)."""
    try:
        return _FOUND[cls]
    except KeyError:
        found = _lookup(cls)
        if found is not None:
            _FOUND[cls] = found
        return found
    except TypeError:  # an unhashable metaclass instance: no caching
        return _lookup(cls)


def _lookup(cls: type) -> Callable[[Any], Any] | None:
    for base in getattr(cls, "__mro__", ()):
        found = _ENCODERS.get(base)
        if found is not None:
            return found
    if dataclasses.is_dataclass(cls):
        return _dataclass_fields
    return None


def _dataclass_fields(value: Any) -> dict[str, Any]:
    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}


def encode(value: Any) -> Any:
    """The JSON-ready form of ``value`` (its type has an encoder; the native serialiser's one
    call per value)."""
    encoder = _FOUND.get(type(value)) or encoder_for(type(value))
    if encoder is None:  # pragma: no cover - callers ask encoder_for first
        raise TypeError(f"no JSON form for {type(value).__name__}")
    return encoder(value)
