"""The seed project's names, as thin aliases of ``ferrule.json``.

``FastJsonDecoder(strict=False)`` reads as the standard library does where RFC 8259 leaves a
choice (``NaN``/``Infinity`` accepted, a repeated key keeps its last value); strict is the
default, as everywhere in ferrule.
"""

from __future__ import annotations

from typing import Any

from ferrule.json.codec import dumps, loads

__all__ = ["FastJsonDecoder", "FastJsonEncoder"]


class FastJsonEncoder:
    """``FastJsonEncoder(pretty=True).encode(obj)``: `ferrule.json.dumps` (pretty: indent 2)."""

    __slots__ = ("pretty", "sort_keys")

    def __init__(self, pretty: bool = False, sort_keys: bool = False) -> None:
        self.pretty = bool(pretty)
        self.sort_keys = bool(sort_keys)

    def encode(self, obj: Any) -> str:
        return dumps(obj, indent=2 if self.pretty else None, sort_keys=self.sort_keys)


class FastJsonDecoder:
    """``FastJsonDecoder(strict=True).decode(text)``: `ferrule.json.loads`."""

    __slots__ = ("strict",)

    def __init__(self, strict: bool = True) -> None:
        self.strict = bool(strict)

    def decode(self, text: str | bytes | bytearray | memoryview) -> Any:
        if self.strict:
            return loads(text)
        return loads(text, allow_nan=True, duplicate_keys="last")
