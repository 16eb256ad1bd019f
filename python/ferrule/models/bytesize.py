"""``ByteSize``: an int count of bytes, read from ``1024`` or from text such as ``"1.5 KiB"``."""

from __future__ import annotations

import re
from typing import Any

from ferrule.errors import ValidationError
from ferrule.models import schema as s

__all__ = ["ByteSize"]

_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "pb": 10**15,
    "eb": 10**18,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "pib": 2**50,
    "eib": 2**60,
    "bit": 1 / 8,
    "kbit": 10**3 / 8,
    "mbit": 10**6 / 8,
    "gbit": 10**9 / 8,
    "tbit": 10**12 / 8,
    "pbit": 10**15 / 8,
    "ebit": 10**18 / 8,
    "kibit": 2**10 / 8,
    "mibit": 2**20 / 8,
    "gibit": 2**30 / 8,
    "tibit": 2**40 / 8,
    "pibit": 2**50 / 8,
    "eibit": 2**60 / 8,
}
_TEXT = re.compile(r"^\s*(\d*\.?\d+)\s*(\w+)?", re.ASCII)


def _line(error_type: str, value: Any, ctx: dict[str, Any] | None = None) -> ValidationError:
    return ValidationError("", [((), error_type, value, ctx, None)])


class ByteSize(int):
    """A number of bytes; ``human_readable()`` and ``to(unit)`` show it in other units."""

    __slots__ = ()

    @classmethod
    def _parse(cls, value: Any) -> ByteSize:
        if type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
            return cls(value)
        text = value.decode() if isinstance(value, bytes) else value
        found = _TEXT.match(text) if isinstance(text, str) else None
        if found is None:
            raise _line("byte_size", value)
        number, unit = found.group(1), found.group(2) or "b"
        scale = _UNITS.get(unit.lower())
        if scale is None:
            raise _line("byte_size_unit", value, {"unit": unit})
        return cls(int(float(number) * scale))

    @classmethod
    def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
        return s.convert_schema(
            cls,
            cls._parse,
            "byte_size",
            json_schema={
                "anyOf": [
                    {"type": "string", "pattern": _TEXT.pattern},
                    {"type": "integer", "minimum": 0},
                ]
            },
        )

    def human_readable(self, decimal: bool = False, separator: str = "") -> str:
        """``1.5KiB`` (or ``1.5KB`` with ``decimal=True``)."""
        divisor, units = (1000, "KMGTPE") if decimal else (1024, "KMGTPE")
        suffix = "B" if decimal else "iB"
        number: float = int(self)
        for unit in ["", *units]:
            if abs(number) < divisor:
                if unit == "":
                    return f"{int(number)}{separator}B"
                return f"{number:0.1f}{separator}{unit}{suffix}"
            number /= divisor
        return f"{number * divisor:0.1f}{separator}E{suffix}"

    def to(self, unit: str) -> float:
        """This size in ``unit`` (``"KiB"``, ``"MB"``, ``"bit"``...)."""
        scale = _UNITS.get(unit.lower())
        if scale is None:
            raise ValueError(f"Could not interpret byte unit: {unit}")
        return self / scale
