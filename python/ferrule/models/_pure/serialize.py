"""Serialisation: model instances and validated values back to Python data or JSON.

Models and containers are compiled from the schema (field names, aliases, ``exclude``); every other
value is serialised by its runtime type (`infer`), which also covers ``any`` and unions.
"""

from __future__ import annotations

import json
import math
import weakref
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ferrule.errors import JSONError, SchemaError

__all__ = ["Options", "Serializer", "build_serializer", "duration_text", "encode_json"]


class Options:
    """Per-call serialisation settings."""

    __slots__ = ("active", "by_alias", "exclude_none", "json")

    # `active` holds the ids of the containers and models being serialised: its size is the
    # nesting depth, and an id seen twice is a cycle.

    def __init__(self, *, json: bool, by_alias: bool, exclude_none: bool) -> None:
        self.json = json
        self.by_alias = by_alias
        self.exclude_none = exclude_none
        self.active: set[int] = set()  # containers being serialised (cycle detection)


class Serializer:
    __slots__ = ()

    def serialize(self, value: Any, options: Options) -> Any:
        return infer(value, options)


def duration_text(value: timedelta) -> str:
    """ISO 8601 duration in pydantic's form: ``P1DT2H3M4.5S``, ``-PT1S``, ``PT0S``, ``P1Y1D``
    (whole 365-day years are written as ``Y``)."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    out = [sign, "P"]
    if value.days:
        years, days = divmod(value.days, 365)
        if years:
            out.append(f"{years}Y")
        if days:
            out.append(f"{days}D")
    if value.seconds or value.microseconds or not value.days:
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        out.append("T")
        if hours:
            out.append(f"{hours}H")
        if minutes:
            out.append(f"{minutes}M")
        if seconds or value.microseconds or not (hours or minutes):
            fraction = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
            out.append(f"{seconds}{fraction}S")
    return "".join(out)


def _json_key(key: Any, options: Options) -> Any:
    text = infer(key, options)
    if isinstance(text, str):
        return text
    if text is None or isinstance(text, bool):
        return json.dumps(text)
    if isinstance(text, (int, float)):
        return repr(float(text)) if isinstance(text, float) else str(int(text))
    kind = type(key).__name__
    raise JSONError(f"keys must be str, int, float, bool or None, not {kind}")


_TOO_DEEP = "recursion limit reached: the data is nested too deeply or cyclic"
MAX_DEPTH = 255  # containers around a value, as in the native serialiser


def _enter(value: Any, options: Options) -> int:
    key = id(value)
    if key in options.active or len(options.active) >= MAX_DEPTH:
        raise JSONError(_TOO_DEEP)
    options.active.add(key)
    return key


def infer(value: Any, options: Options) -> Any:
    """Serialise ``value`` by its runtime type."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return None if options.json and not math.isfinite(value) else value
    if isinstance(value, Enum):
        return infer(value.value, options) if options.json else value
    if hasattr(kind, "__ferrule_schema__"):
        return model_serializer_for(kind).serialize(value, options)
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        key = _enter(value, options)
        try:
            if isinstance(value, dict):
                if options.json:
                    return {_json_key(k, options): infer(v, options) for k, v in value.items()}
                return {k: infer(v, options) for k, v in value.items()}
            items = [infer(item, options) for item in value]
        finally:
            options.active.discard(key)
        if options.json or isinstance(value, list):
            return items
        return tuple(items) if isinstance(value, tuple) else type(value)(items)
    if not options.json:
        return value
    return _json_leaf(value)


def _json_leaf(value: Any) -> Any:
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (str, int)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_text(value)
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONError(
                "bytes are not valid UTF-8 and cannot be written as JSON text"
            ) from None
    raise JSONError(f"Object of type {type(value).__name__} is not JSON serializable")


class _Nullable(Serializer):
    __slots__ = ("inner",)

    def __init__(self, inner: Serializer) -> None:
        self.inner = inner

    def serialize(self, value: Any, options: Options) -> Any:
        return None if value is None else self.inner.serialize(value, options)


class _Sequence(Serializer):
    """list, tuple, set, frozenset whose items hold models: items through their serializer."""

    __slots__ = ("items",)

    def __init__(self, items: list[Serializer]) -> None:
        self.items = items  # one per position; the last repeats

    def serialize(self, value: Any, options: Options) -> Any:
        if not isinstance(value, (list, tuple, set, frozenset)):
            return infer(value, options)
        key = _enter(value, options)
        try:
            last = len(self.items) - 1
            items = [
                self.items[min(index, last)].serialize(item, options)
                for index, item in enumerate(value)
            ]
        finally:
            options.active.discard(key)
        if options.json or isinstance(value, list):
            return items
        if isinstance(value, tuple):
            return tuple(items)
        try:
            return type(value)(items)
        except TypeError:  # a model item became an unhashable dict
            return items


class _Dict(Serializer):
    __slots__ = ("keys", "values")

    def __init__(self, keys: Serializer, values: Serializer) -> None:
        self.keys = keys
        self.values = values

    def serialize(self, value: Any, options: Options) -> Any:
        if not isinstance(value, dict):
            return infer(value, options)
        key_id = _enter(value, options)
        try:
            if options.json:
                return {
                    _json_key(key, options): self.values.serialize(item, options)
                    for key, item in value.items()
                }
            return {key: self.values.serialize(item, options) for key, item in value.items()}
        finally:
            options.active.discard(key_id)


class ModelSerializer(Serializer):
    __slots__ = ("cls", "fields")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: type = schema["cls"]
        self.fields: list[tuple[str, str, Serializer]] = [
            (field["name"], field.get("alias") or field["name"], build_serializer(field["schema"]))
            for field in schema.get("fields", [])
            if not field.get("exclude")
        ]

    def serialize(
        self,
        value: Any,
        options: Options,
        include: set[str] | None = None,
        exclude: set[str] | None = None,
    ) -> Any:
        if not isinstance(value, self.cls):
            return infer(value, options)
        key = _enter(value, options)
        out: dict[str, Any] = {}
        try:
            for name, alias, serializer in self.fields:
                if (include is not None and name not in include) or (
                    exclude is not None and name in exclude
                ):
                    continue
                try:
                    item = getattr(value, name)
                except AttributeError:
                    continue
                if item is None and options.exclude_none:
                    continue
                out[alias if options.by_alias else name] = serializer.serialize(item, options)
            extra = getattr(value, "__ferrule_extra__", None)
            if extra:
                for name, item in extra.items():
                    if (include is not None and name not in include) or (
                        exclude is not None and name in exclude
                    ):
                        continue
                    if item is None and options.exclude_none:
                        continue
                    out_key = _json_key(name, options) if options.json else name
                    out[out_key] = infer(item, options)
        finally:
            options.active.discard(key)
        return out


class _ModelRef(Serializer):
    __slots__ = ("cls",)

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def serialize(self, value: Any, options: Options) -> Any:
        if type(value) is self.cls or isinstance(value, self.cls):
            return model_serializer_for(type(value)).serialize(value, options)
        return infer(value, options)


_COMPILED: weakref.WeakKeyDictionary[type, ModelSerializer] = weakref.WeakKeyDictionary()


def model_serializer_for(cls: type) -> ModelSerializer:
    compiled = _COMPILED.get(cls)
    if compiled is None:
        schema = getattr(cls, "__ferrule_schema__", None)
        if not isinstance(schema, dict) or "fields" not in schema:
            raise SchemaError(f"{cls.__name__} has no __ferrule_schema__ model schema")
        compiled = ModelSerializer(schema)
        _COMPILED[cls] = compiled
    return compiled


_INFER = Serializer()


def build_serializer(schema: dict[str, Any]) -> Serializer:
    """Compile the parts of a schema that serialisation needs; the rest is inferred."""
    tag = schema.get("type")
    if tag == "model":
        return ModelSerializer(schema) if "fields" in schema else _ModelRef(schema["cls"])
    if tag == "nullable":
        inner = build_serializer(schema["schema"])
        return _INFER if inner is _INFER else _Nullable(inner)
    if tag in ("list", "set", "frozenset"):
        items = build_serializer(schema["items"])
        return _INFER if items is _INFER else _Sequence([items])
    if tag == "tuple":
        parts = [build_serializer(item) for item in schema["items"]]
        if not schema.get("variadic"):
            parts.append(_INFER)
        if all(part is _INFER for part in parts):
            return _INFER
        return _Sequence(parts)
    if tag == "dict":
        values = build_serializer(schema["values"])
        return _INFER if values is _INFER else _Dict(_INFER, values)
    return _INFER


def encode_json(data: Any, indent: int | None) -> bytes:
    """Compact (or indented) JSON text of already JSON-able data, UTF-8 encoded."""
    separators = (",", ":") if indent is None else (",", ": ")
    try:
        text = json.dumps(
            data, ensure_ascii=False, allow_nan=False, separators=separators, indent=indent
        )
    except ValueError:  # an int with more digits than int.__repr__ will write
        text = _encode_slowly(data, indent, 0)
    except RecursionError:
        raise JSONError("value is nested too deeply to serialise") from None
    # A lone surrogate cannot be UTF-8: write it as the JSON escape it stands for.
    return text.encode("utf-8", "backslashreplace")


def _encode_slowly(data: Any, indent: int | None, level: int) -> str:
    """The same output as `json.dumps` above, writing ints of any size through `Decimal`."""
    if isinstance(data, bool) or data is None or isinstance(data, (str, float)):
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    if isinstance(data, int):
        return str(Decimal(data))
    if isinstance(data, dict):
        parts = [
            f"{json.dumps(key, ensure_ascii=False)}:{'' if indent is None else ' '}"
            + _encode_slowly(value, indent, level + 1)
            for key, value in data.items()
        ]
        return _join("{", parts, "}", indent, level)
    parts = [_encode_slowly(item, indent, level + 1) for item in data]
    return _join("[", parts, "]", indent, level)


def _join(open_: str, parts: list[str], close: str, indent: int | None, level: int) -> str:
    if indent is None or not parts:
        return open_ + ",".join(parts) + close
    inner = "\n" + " " * (indent * (level + 1))
    return open_ + inner + ("," + inner).join(parts) + "\n" + " " * (indent * level) + close
