"""``dumps`` and ``loads``: JSON for plain data, strict by default and exact where Python is.

Strict means: duplicate keys, ``NaN``/``Infinity``, numbers a float cannot hold and nesting
past ``max_depth`` are refused with a `JSONError` that says where, unless the caller allows
them. Exact means: integers of any size (up to 4,300 digits when read, as ``int()``) and
``Decimal`` values keep every digit, both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from ferrule.errors import pure_python_requested

__all__ = ["MAX_DEPTH_LIMIT", "dumps", "dumps_bytes", "loads"]

#: The largest ``max_depth`` accepted (the reader's stack is its own, not the C stack).
MAX_DEPTH_LIMIT = 1_000_000

_TEXT_TYPES = (str, bytes, bytearray, memoryview)


def _flag(value: object, name: str) -> bool:
    if type(value) is not bool:
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def _depth(value: object) -> int:
    if type(value) is not int:
        raise TypeError(f"max_depth must be an int, not {type(value).__name__}")
    if not 1 <= value <= MAX_DEPTH_LIMIT:
        raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH_LIMIT}, not {value}")
    return value


if TYPE_CHECKING or not pure_python_requested():
    # the native functions are the public ones: they check their arguments themselves, so a
    # call costs no Python frame
    from ferrule._ferrule import json_dumps as dumps
    from ferrule._ferrule import json_dumps_bytes as dumps_bytes
    from ferrule._ferrule import json_loads as loads
else:
    from ferrule.json import _pure_codec

    def loads(
        data: str | bytes | bytearray | memoryview,
        /,
        *,
        allow_nan: bool = False,
        duplicate_keys: Literal["error", "last"] = "error",
        decimal: bool = False,
        max_depth: int = 1000,
    ) -> Any:
        """The value of the JSON document ``data`` (UTF-8 when bytes).

        ``decimal=True`` reads numbers with a fraction or an exponent as ``Decimal`` (exact);
        ``duplicate_keys="last"`` keeps the last value of a repeated key, as ``json.loads``
        does."""
        # checked in the order the native function checks them
        nan = _flag(allow_nan, "allow_nan")
        if duplicate_keys not in ("error", "last"):
            raise ValueError(f"duplicate_keys must be 'error' or 'last', not {duplicate_keys!r}")
        options = (nan, _flag(decimal, "decimal"), _depth(max_depth))
        if not isinstance(data, _TEXT_TYPES):
            raise TypeError(
                f"loads() takes str, bytes, bytearray or memoryview, not {type(data).__name__}"
            )
        return _pure_codec.loads(
            data,
            allow_nan=options[0],
            last_key_wins=duplicate_keys == "last",
            decimal=options[1],
            max_depth=options[2],
        )

    def dumps_bytes(
        obj: Any,
        /,
        *,
        indent: int | None = None,
        sort_keys: bool = False,
        default: Callable[[Any], Any] | None = None,
        allow_nan: bool = False,
    ) -> bytes:
        """``obj`` as UTF-8 JSON text: compact, or indented by ``indent`` spaces per level.

        Beyond JSON's own types: ferrule models (as ``model_dump_json``), dataclasses,
        datetime, date and time (ISO 8601), timedelta (ISO 8601 duration), UUID, Decimal (as a
        number, digit for digit), Enum (its value), set, frozenset and tuple (arrays).
        ``default(value)`` is asked for anything else and returns something that can be
        written."""
        data: bytes = _encode(obj, indent, sort_keys, default, allow_nan, text=False)
        return data

    def dumps(
        obj: Any,
        /,
        *,
        indent: int | None = None,
        sort_keys: bool = False,
        default: Callable[[Any], Any] | None = None,
        allow_nan: bool = False,
    ) -> str:
        """``obj`` as JSON text (see `dumps_bytes`)."""
        text: str = _encode(obj, indent, sort_keys, default, allow_nan, text=True)
        return text

    def _encode(
        obj: Any,
        indent: int | None,
        sort_keys: bool,
        default: Callable[[Any], Any] | None,
        allow_nan: bool,
        *,
        text: bool,
    ) -> Any:
        # checked in the order the native function checks them
        sort, nan = _flag(sort_keys, "sort_keys"), _flag(allow_nan, "allow_nan")
        if default is not None and not callable(default):
            raise TypeError(f"default must be callable or None, not {type(default).__name__}")
        return _pure_codec.dumps_bytes(
            obj, indent=indent, sort_keys=sort, default=default, allow_nan=nan, text=text
        )
