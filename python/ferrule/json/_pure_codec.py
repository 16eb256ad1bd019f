"""The pure-Python twin of the native ``json_loads``/``json_dumps`` (``FERRULE_PURE_PYTHON=1``).

Same answers, same errors at the same offsets for what the reader itself refuses (repeated
keys, ``NaN``, depth, range); the reader is iterative, as the native one, so no depth reaches
Python's recursion limit. Syntax errors carry this reader's wording.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ferrule.errors import JSONError
from ferrule.models._pure.serialize import (
    MAX_DEPTH,
    LiteralFloat,
    Options,
    check_indent,
    duration_text,
    model_serializer_for,
)

__all__ = ["dumps_bytes", "loads", "read_value"]

MAX_INT_DIGITS = 4300
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPECIAL = (("NaN", math.nan), ("Infinity", math.inf), ("-Infinity", -math.inf))
_WORDS = (("null", None), ("true", True), ("false", False))


def _refuse(text: str, message: str, at: int) -> JSONError:
    """`JSONError` for character index ``at`` of ``text``, placed by byte, line and column."""
    before = text[:at]
    offset = len(before.encode("utf-8", "surrogatepass"))
    line = before.count("\n") + 1
    column = at - (before.rfind("\n") + 1) + 1
    return JSONError(
        f"{message} at line {line} column {column} (byte {offset})", offset, line, column
    )


def _text_of(data: Any) -> str:
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _refuse(data, "a lone surrogate is not valid Unicode", exc.start) from None
        return data
    raw = bytes(data)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        raise _refuse(good, "invalid unicode code point", len(good)) from None


def loads(
    data: Any,
    *,
    allow_nan: bool = False,
    last_key_wins: bool = False,
    decimal: bool = False,
    max_depth: int = 1000,
) -> Any:
    text = _text_of(data)
    return _parse(text, allow_nan, last_key_wins, decimal, max_depth, whole=True)[0]


class _Incomplete(Exception):
    """The text ended inside the value (a stream reader waits for more)."""


def read_value(
    data: bytes,
    start: int,
    *,
    allow_nan: bool,
    last_key_wins: bool,
    decimal: bool,
    max_depth: int,
) -> tuple[Any, int] | None:
    """The value at ``start`` of ``data`` and the byte offset just past it; None when ``data``
    ends first (as the native ``json_read_value``)."""
    rest = bytes(data[start:])
    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data":
            good = rest[: exc.start].decode("utf-8")
            raise _refuse(good, "invalid unicode code point", len(good)) from None
        text = rest[: exc.start].decode("utf-8")  # a character cut by the chunk's end
    try:
        value, end = _parse(text, allow_nan, last_key_wins, decimal, max_depth, whole=False)
    except _Incomplete:
        return None
    return value, start + len(text[:end].encode("utf-8"))


def _parse(
    text: str,
    allow_nan: bool,
    last_key_wins: bool,
    decimal: bool,
    max_depth: int,
    whole: bool,
) -> tuple[Any, int]:
    try:
        return _parse_text(text, allow_nan, last_key_wins, decimal, max_depth, whole)
    except JSONError as exc:
        if not whole and exc.offset is not None and exc.offset >= len(text.encode("utf-8")):
            raise _Incomplete from None
        raise


def _parse_text(
    text: str,
    allow_nan: bool,
    last_key_wins: bool,
    decimal: bool,
    max_depth: int,
    whole: bool,
) -> tuple[Any, int]:
    reader = _Reader(text, allow_nan, decimal)
    stack: list[Any] = []  # open containers: [list] or [dict, key, key index]
    pos = reader.space(0)
    while True:
        start = pos
        char = text[pos : pos + 1]
        opened: Any = None
        if char == "[":
            pos = reader.space(pos + 1)
            if text[pos : pos + 1] == "]":
                value: Any = []
                pos += 1
            else:
                opened = [[]]
        elif char == "{":
            pos = reader.space(pos + 1)
            if text[pos : pos + 1] == "}":
                value = {}
                pos += 1
            else:
                key, key_at, pos = reader.key(pos)
                opened = [{}, key, key_at]
        else:
            value, pos = reader.scalar(pos)
        if char in ("[", "{") and len(stack) >= max_depth:
            raise _refuse(
                text,
                f"nesting deeper than max_depth={max_depth} (containers inside containers)",
                start,
            )
        if opened is not None:
            stack.append(opened)
            pos = reader.space(pos)
            continue
        while True:
            if not stack:
                end, pos = pos, reader.space(pos)
                if whole and pos != len(text):
                    raise _refuse(text, "trailing characters", pos)
                return value, end
            pos = reader.space(pos)
            top = stack[-1]
            char = text[pos : pos + 1]
            if len(top) == 1:
                top[0].append(value)
                if char == ",":
                    pos = reader.space(pos + 1)
                    break
                if char != "]":
                    raise _refuse(text, "expected ',' or ']'", pos)
                value = stack.pop()[0]
                pos += 1
                continue
            target, key, key_at = top
            if key in target and not last_key_wins:
                raise _refuse(text, f"duplicate key {json.dumps(key)}", key_at)
            target[key] = value
            if char == ",":
                top[1], top[2], pos = reader.key(reader.space(pos + 1))
                pos = reader.space(pos)
                break
            if char != "}":
                raise _refuse(text, "expected ',' or '}'", pos)
            value = stack.pop()[0]
            pos += 1


class _Reader:
    """Tokens of one document: keys, strings, numbers and literals."""

    __slots__ = ("allow_nan", "decimal", "text")

    def __init__(self, text: str, allow_nan: bool, decimal: bool) -> None:
        self.text = text
        self.allow_nan = allow_nan
        self.decimal = decimal

    def space(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def string(self, pos: int) -> tuple[str, int]:
        if self.text[pos : pos + 1] != '"':
            raise _refuse(self.text, "expected a string", pos)
        try:
            value, end = json.decoder.scanstring(self.text, pos + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            # an unterminated string is an error where the text ends (as the native reader)
            at = len(self.text) if exc.msg.startswith("Unterminated string") else exc.pos
            raise _refuse(self.text, exc.msg, at) from None
        found = _SURROGATE.search(value)
        if found is not None:
            raise _refuse(self.text, "a lone surrogate is not valid Unicode", pos)
        return value, end

    def key(self, pos: int) -> tuple[str, int, int]:
        key, end = self.string(pos)
        end = self.space(end)
        if self.text[end : end + 1] != ":":
            raise _refuse(self.text, "expected ':'", end)
        return key, pos, self.space(end + 1)

    def scalar(self, pos: int) -> tuple[Any, int]:
        text = self.text
        char = text[pos : pos + 1]
        if char == '"':
            return self.string(pos)
        for word, value in _WORDS:
            if text.startswith(word, pos):
                return value, pos + len(word)
        for word, number in _SPECIAL:
            if text.startswith(word, pos):
                if not self.allow_nan:
                    raise _refuse(
                        text, f"{word} is not valid JSON (pass allow_nan=True to accept it)", pos
                    )
                return number, pos + len(word)
        match = _NUMBER.match(text, pos)
        if match is None:
            what = "EOF while parsing a value" if pos >= len(text) else "expected value"
            raise _refuse(text, what, pos)
        end = match.end()
        follow = text[end : end + 1]
        if (follow == "." and match.group(1) is None and match.group(2) is None) or (
            follow in ("e", "E") and match.group(2) is None
        ):  # "1." or "1e", "1e+": not a number (or one cut by the end of the text)
            raise _refuse(text, "invalid number", end)
        return self.number(match, pos), end

    def number(self, match: re.Match[str], pos: int) -> Any:
        raw = match.group()
        if match.group(1) is None and match.group(2) is None:
            digits = len(raw.lstrip("-"))
            if digits > MAX_INT_DIGITS:
                raise _refuse(
                    self.text,
                    f"integer of {digits} digits: more than {MAX_INT_DIGITS} are refused",
                    pos,
                )
            return int(raw) if digits <= 640 else int(Decimal(raw))
        if self.decimal:
            return Decimal(raw)
        value = float(raw)
        if math.isinf(value):
            raise _refuse(
                self.text,
                f"number {raw} is out of range for a float (pass decimal=True to read it exactly)",
                pos,
            )
        return value


# --- writing ------------------------------------------------------------------------------


class _Writer:
    __slots__ = ("allow_nan", "default", "indent", "out", "sort_keys")

    def __init__(
        self,
        indent: int | None,
        sort_keys: bool,
        default: Callable[[Any], Any] | None,
        allow_nan: bool,
    ) -> None:
        self.indent = indent
        self.sort_keys = sort_keys
        self.default = default
        self.allow_nan = allow_nan
        self.out: list[str] = []

    def newline(self, level: int) -> None:
        if self.indent is not None:
            self.out.append("\n" + " " * (self.indent * level))

    def value(self, value: Any, level: int, in_model: bool = False) -> None:
        if level > MAX_DEPTH:
            raise JSONError("recursion limit reached: the data is nested too deeply or cyclic")
        out = self.out
        kind = type(value)
        if value is None or kind is bool:
            out.append("null" if value is None else "true" if value else "false")
        elif isinstance(value, str) and not isinstance(value, Enum):
            # the characters themselves: a subclass's own __str__ is not asked
            out.append(json.dumps(str.__str__(value), ensure_ascii=False))
        elif isinstance(value, int) and not isinstance(value, Enum):
            out.append(_int_text(int.__int__(value)))
        elif isinstance(value, LiteralFloat):  # a model's ser_json_inf_nan="constants"
            out.append("NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity")
        elif isinstance(value, float) and not isinstance(value, Enum):
            self.number(float.__float__(value), in_model)
        elif isinstance(value, (list, tuple, set, frozenset)):
            self.array(list(value), level, in_model)
        elif isinstance(value, dict):
            self.object([(_key(k), v) for k, v in value.items()], level, in_model)
        elif hasattr(kind, "__ferrule_schema__"):
            data = model_serializer_for(kind).serialize(
                value, Options(json=True, by_alias=False, exclude_none=False, text=True)
            )
            self.value(data, level, in_model=True)
        elif isinstance(value, Enum):
            self.value(value.value, level + 1, in_model)
        elif isinstance(value, (datetime, date, time)):
            out.append(json.dumps(value.isoformat()))
        elif isinstance(value, timedelta):
            out.append(json.dumps(duration_text(value)))
        elif isinstance(value, UUID):
            out.append(json.dumps(str(value)))
        elif isinstance(value, Decimal):
            self.decimal(value, in_model)
        elif isinstance(value, (bytes, bytearray)):
            try:
                out.append(json.dumps(bytes(value).decode("utf-8"), ensure_ascii=False))
            except UnicodeDecodeError:
                raise JSONError(
                    "bytes are not valid UTF-8 and cannot be written as JSON text"
                ) from None
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
            self.object(fields, level, in_model)
        else:
            self.other(value, level, in_model)

    def other(self, value: Any, level: int, in_model: bool) -> None:
        replaced = self.default(value) if self.default is not None else value
        if replaced is value:
            raise JSONError(f"Object of type {type(value).__name__} is not JSON serializable")
        self.value(replaced, level + 1, in_model)

    def number(self, value: float, in_model: bool) -> None:
        if math.isfinite(value):
            self.out.append(float.__repr__(value))
        elif in_model:
            self.out.append("null")
        elif self.allow_nan:
            self.out.append(
                "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
            )
        else:
            raise JSONError(f"{value} is not valid JSON (pass allow_nan=True to write it)")

    def decimal(self, value: Decimal, in_model: bool) -> None:
        if in_model:
            self.out.append(json.dumps(str(value)))
        elif value.is_finite():
            self.out.append(str(value))
        else:
            self.number(math.nan if value.is_nan() else float(value), in_model)

    def array(self, items: list[Any], level: int, in_model: bool) -> None:
        self.out.append("[")
        for index, item in enumerate(items):
            if index:
                self.out.append(",")
            self.newline(level + 1)
            self.value(item, level + 1, in_model)
        if items:
            self.newline(level)
        self.out.append("]")

    def object(self, items: list[tuple[str, Any]], level: int, in_model: bool) -> None:
        if self.sort_keys:
            items = sorted(items, key=lambda item: item[0])
        self.out.append("{")
        for index, (key, item) in enumerate(items):
            if index:
                self.out.append(",")
            self.newline(level + 1)
            self.out.append(json.dumps(key, ensure_ascii=False))
            self.out.append(":" if self.indent is None else ": ")
            self.value(item, level + 1, in_model)
        if items:
            self.newline(level)
        self.out.append("}")


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than int.__str__ will write
        return str(Decimal(value))


def _key(key: Any) -> str:
    if isinstance(key, Enum):
        key = key.value
    if isinstance(key, str):
        return str.__str__(key)
    if key is None or isinstance(key, bool):
        return "null" if key is None else "true" if key else "false"
    if isinstance(key, int):
        return _int_text(int.__int__(key))
    if isinstance(key, float):
        number = float.__float__(key)
        return float.__repr__(number) if math.isfinite(number) else "null"
    raise JSONError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def dumps_bytes(
    obj: Any,
    *,
    indent: Any = None,
    sort_keys: bool = False,
    default: Callable[[Any], Any] | None = None,
    allow_nan: bool = False,
    text: bool = False,
) -> Any:
    """As the native ``json_dumps``: UTF-8 bytes, or a str with ``text=True``."""
    writer = _Writer(check_indent(indent), sort_keys, default, allow_nan)
    writer.value(obj, 0)
    # a lone surrogate cannot be UTF-8: it is written as the JSON escape it stands for
    data = "".join(writer.out).encode("utf-8", "backslashreplace")
    return data.decode("utf-8") if text else data
