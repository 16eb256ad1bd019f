"""Standard-library value types and abstract collections as schemas, once per class.

IP addresses, networks and interfaces, paths and compiled patterns are ``convert`` schemas: an
instance is kept, other input goes through the type's own constructor (per value, a cheap Python
call; measured in the report). ``deque``, ``Sequence`` and the other abstract collections are
ferrule's own list, tuple, set and dict schemas, with the container pydantic returns restored
after the items are checked. Anything not listed here stays a `SchemaError` (see `_introspect`).
"""

from __future__ import annotations

import collections
import collections.abc as abc
import ipaddress
import pathlib
import re
import typing
from collections.abc import Callable
from typing import Any

from ferrule.errors import ValidationError
from ferrule.models import schema as s

__all__ = ["path_converter", "stdlib_schema"]

_IP_TYPES: dict[Any, tuple[str, str]] = {
    ipaddress.IPv4Address: ("ip_v4_address", "ipv4"),
    ipaddress.IPv6Address: ("ip_v6_address", "ipv6"),
    ipaddress.IPv4Network: ("ip_v4_network", "ipv4network"),
    ipaddress.IPv6Network: ("ip_v6_network", "ipv6network"),
    ipaddress.IPv4Interface: ("ip_v4_interface", "ipv4interface"),
    ipaddress.IPv6Interface: ("ip_v6_interface", "ipv6interface"),
}

_PATHS = (
    pathlib.Path,
    pathlib.PurePath,
    pathlib.PosixPath,
    pathlib.PurePosixPath,
    pathlib.WindowsPath,
    pathlib.PureWindowsPath,
)

#: Abstract sequences: validated as a list, then given back as the container pydantic returns.
_SEQUENCES = (abc.Sequence, typing.Sequence)
_MUTABLE_SEQUENCES = (abc.MutableSequence, typing.MutableSequence)
_ITERABLES = (abc.Iterable, typing.Iterable, abc.Collection, typing.Collection)
_SETS = (abc.Set, typing.AbstractSet)
_MUTABLE_SETS = (abc.MutableSet, typing.MutableSet)
_MAPPINGS = (abc.Mapping, typing.Mapping, abc.MutableMapping, typing.MutableMapping)


def path_converter(cls: type) -> Callable[[Any], Any]:
    """Text to ``cls`` (pydantic: only text; a PurePath is not a Path)."""

    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            raise _line("path_type", value, msg=f"Input is not a valid path for {cls!r}")
        return cls(value)

    return convert


def _pattern(value: Any) -> re.Pattern[Any]:
    if not isinstance(value, (str, bytes)):
        raise _line("pattern_type", value)
    try:
        return re.compile(value)
    except (re.error, RecursionError, OverflowError):
        raise _line("pattern_regex", value) from None


def _line(
    error_type: str, value: Any, ctx: dict[str, Any] | None = None, msg: str | None = None
) -> ValidationError:
    """One typed error for a ``convert`` function to raise (kept as it is by both cores)."""
    return ValidationError("", [((), error_type, value, ctx, msg)])


def _sequence_check(value: Any) -> Any:
    """Before a ``Sequence``'s items: text is refused by name, other non-sequences by class."""
    if isinstance(value, str):
        raise _line("sequence_str", value, {"type_name": "str"})
    if not isinstance(value, abc.Sequence):
        raise _line("is_instance_of", value, {"class": "Sequence"})
    return value


def _keep_container(items: list[Any], original: Any) -> Any:
    """pydantic's answer for ``Sequence[T]``: a tuple stays a tuple, a deque a deque."""
    if isinstance(original, tuple):
        return tuple(items)
    if isinstance(original, collections.deque):
        return collections.deque(items)
    return items


def stdlib_schema(
    annotation: Any,
    origin: Any,
    args: tuple[Any, ...],
    strict: bool,
    sub: Callable[[Any], s.Schema],
) -> s.Schema | None:
    """The schema of a standard-library annotation this module knows, else None."""
    if isinstance(annotation, typing.NewType):  # UserId = NewType("UserId", int): an int
        return sub(annotation.__supertype__)
    if annotation in _IP_TYPES:
        error, fmt = _IP_TYPES[annotation]
        return s.convert_schema(
            annotation,
            annotation,
            error,
            strict=strict,
            instance_strict=True,
            json_schema={"type": "string", "format": fmt},
        )
    if annotation in _PATHS:
        return s.convert_schema(
            annotation,
            path_converter(annotation),
            "path_type",
            strict=strict,
            instance_strict=True,
            json_schema={"type": "string", "format": "path"},
        )
    if annotation in (re.Pattern, typing.Pattern) or origin in (re.Pattern, typing.Pattern):
        return s.convert_schema(
            re.Pattern,
            _pattern,
            "pattern_type",
            strict=strict,
            json_schema={"type": "string", "format": "regex"},
        )
    kind = origin or annotation
    item = sub(args[0]) if args else s.any_schema()
    if kind is collections.deque:  # typing.Deque[...] too: its origin
        items = s.collection_schema("list", item, strict=strict)
        deque = s.convert_schema(None, collections.deque, "deque_type", inner=items)
        deque["owns_type_error"] = True
        return deque
    if kind in _SEQUENCES:
        items = s.collection_schema("list", item, strict=strict)
        keep = s.convert_schema(None, _keep_container, "list_type", inner=items)
        keep["with_input"] = True
        return s.function_schema("before", _sequence_check, keep)
    if kind in _MUTABLE_SEQUENCES or kind in _ITERABLES:
        return s.collection_schema("list", item, strict=strict)
    if kind in _SETS:
        return s.collection_schema("frozenset", item, strict=strict)
    if kind in _MUTABLE_SETS:
        return s.collection_schema("set", item, strict=strict)
    if kind in _MAPPINGS or kind in (collections.OrderedDict, typing.OrderedDict):
        keys, values = (sub(args[0]), sub(args[1])) if args else (s.any_schema(), s.any_schema())
        mapping = s.dict_schema(keys, values, strict=strict)
        if kind in _MAPPINGS:
            return mapping
        return s.convert_schema(None, collections.OrderedDict, "dict_type", inner=mapping)
    if kind in (collections.Counter, typing.Counter):
        counts = s.dict_schema(item, s.int_schema(strict=strict), strict=strict)
        return s.convert_schema(None, collections.Counter, "dict_type", inner=counts)
    return None
