"""Serialisation: model instances and validated values back to Python data or JSON.

Every value is serialised by its runtime type (`infer`), as the native core does; a model's
fields come from its schema (names, aliases, ``exclude``). `Filter` carries pydantic's nested
``include``/``exclude``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import weakref
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ferrule.errors import JSONError, SchemaError
from ferrule.models import _fields_set
from ferrule.models._encoders import encode, encoder_for
from ferrule.models._pure import bytes_codec
from ferrule.models._pure.custom import Custom, applies, field_value, model_value

__all__ = [
    "MAX_INDENT",
    "Filter",
    "LiteralFloat",
    "Options",
    "duration_text",
    "encode_json",
    "infer",
    "iso_text",
]

#: The largest ``indent`` accepted, as in the native core.
MAX_INDENT = 1024
#: What a ``Field(secret=True)`` value is written as unless secrets are revealed.
SECRET_MASK = "**********"


class Options:
    """Per-call serialisation settings."""

    __slots__ = (
        "active",
        "by_alias",
        "bytes",
        "context",
        "exclude_defaults",
        "exclude_none",
        "exclude_unset",
        "inf_nan",
        "json",
        "reveal_secrets",
        "round_trip",
        "text",
        "timedelta",
    )

    # `active` holds the ids of the containers and models being serialised: its size is the
    # nesting depth, and an id seen twice is a cycle.

    def __init__(
        self,
        *,
        json: bool,
        by_alias: bool,
        exclude_none: bool,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        text: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> None:
        self.json = json
        self.text = text  # the result becomes JSON text (``to_json``), not Python data
        self.by_alias = by_alias
        self.exclude_none = exclude_none
        self.reveal_secrets = reveal_secrets
        self.exclude_unset = exclude_unset
        self.exclude_defaults = exclude_defaults
        self.round_trip = round_trip
        self.context = context
        self.active: set[int] = set()  # containers being serialised (cycle detection)
        # the ``ser_json_*`` options of the model being written (pydantic's defaults outside)
        self.timedelta = "iso8601"
        self.bytes = "utf8"
        self.inf_nan = "null"


# --- include / exclude ------------------------------------------------------------------------

_WHOLE = True  # a normalised entry: the whole item


def _is_collection(value: Any) -> bool:
    return isinstance(value, (set, frozenset, list, tuple, dict))


def _normalise(value: Any, what: str, depth: int = 0) -> dict[Any, Any]:
    """A set of keys or a dict of key -> True/.../nested, as {key: True | nested dict}."""
    if depth > 64:
        raise TypeError(f"`{what}` is nested more than 64 levels deep")
    if not _is_collection(value):
        raise TypeError(f"`{what}` argument must be a set or dict.")
    if not isinstance(value, dict):
        return dict.fromkeys(value, _WHOLE)
    out: dict[Any, Any] = {}
    for key, item in value.items():
        if item is ... or item is True:
            out[key] = _WHOLE
        elif _is_collection(item):
            out[key] = _normalise(item, what, depth + 1)
        else:
            raise TypeError(f"`{what}` argument must be a set or dict.")
    return out


def _merge(a: Any, b: Any) -> Any:
    """Two entries for one item: the whole item wins, nested filters merge deeply."""
    if a is None:
        return b
    if b is None:
        return a
    if a is _WHOLE or b is _WHOLE:
        return _WHOLE
    out = dict(a)
    for key, value in b.items():
        out[key] = _merge(out.get(key), value)
    return out


def _entry(spec: dict[Any, Any], key: Any, position: tuple[int, int] | None) -> Any:
    own = spec.get(key)
    if own is None and position is not None:
        index, count = position
        own = spec.get(index - count)  # a negative index counts from the end
    return _merge(own, spec.get("__all__"))


class Filter:
    """What applies below one container: the keys it may keep and the keys it must drop."""

    __slots__ = ("exclude", "include")

    def __init__(self, include: dict[Any, Any] | None, exclude: dict[Any, Any] | None) -> None:
        self.include = include
        self.exclude = exclude

    @classmethod
    def from_args(cls, include: Any, exclude: Any) -> Filter:
        return cls(
            None if include is None else _normalise(include, "include"),
            None if exclude is None else _normalise(exclude, "exclude"),
        )

    def empty(self) -> bool:
        return self.include is None and self.exclude is None

    def child(self, key: Any, position: tuple[int, int] | None = None) -> Filter | None:
        """The filter for the item under ``key`` (at ``position``, ``(index, count)``, in a
        sequence), or None when the item is dropped; no filter keeps every item."""
        if self.include is None and self.exclude is None:
            return NO_FILTER
        exclude = None
        if self.exclude is not None:
            entry = _entry(self.exclude, key, position)
            if entry is _WHOLE:
                return None
            exclude = entry
        include = None
        if self.include is not None:
            entry = _entry(self.include, key, position)
            if entry is None:
                return None
            include = None if entry is _WHOLE else entry
        return Filter(include, exclude)


NO_FILTER = Filter(None, None)


# --- values -----------------------------------------------------------------------------------


def iso_text(value: date | time) -> str:
    """``isoformat()`` (the base class's) with pydantic's UTC offset: ``Z`` for UTC, else
    ``±HH:MM``, the offset rounded to whole seconds (half away from zero) and seconds dropped."""
    if isinstance(value, datetime):
        text, offset = datetime.isoformat(value), datetime.utcoffset(value)
    elif isinstance(value, time):
        text, offset = time.isoformat(value), time.utcoffset(value)
    else:
        return date.isoformat(value)
    if offset is None:
        return text
    micros = abs(offset // timedelta(microseconds=1))
    seconds = (micros + 500_000) // 1_000_000
    cut = text.rindex("-" if offset < timedelta(0) else "+")
    if seconds == 0:
        return text[:cut] + "Z"
    minutes = seconds // 60
    return f"{text[:cut]}{text[cut]}{minutes // 60:02}:{minutes % 60:02}"


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
    text = infer(key, options, NO_FILTER)
    if isinstance(text, str):
        return text
    if text is None or isinstance(text, bool):
        return json.dumps(text)
    if isinstance(text, float):
        return repr(text) if math.isfinite(text) else "null"
    if isinstance(text, int):
        return str(int(text))
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


def _items(value: Any, options: Options, spec: Filter) -> list[Any]:
    """The items of a list, tuple or set, each with its own filter."""
    if spec.empty():
        return [infer(item, options, NO_FILTER) for item in value]
    items = list(value)
    out = []
    for index, item in enumerate(items):
        child = spec.child(index, (index, len(items)))
        if child is not None:
            out.append(infer(item, options, child))
    return out


def infer(value: Any, options: Options, spec: Filter = NO_FILTER) -> Any:
    """Serialise ``value`` by its runtime type."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        if options.json and not math.isfinite(value):
            return _non_finite(value, options)
        return value
    if isinstance(value, Enum):
        return infer(value.value, options) if options.json else value
    if hasattr(kind, "__ferrule_schema__"):
        return model_serializer_for(kind).serialize(value, options, spec)
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        key = _enter(value, options)
        try:
            if isinstance(value, dict):
                out = {}
                for k, v in value.items():
                    child = spec.child(k)
                    if child is not None:
                        out[_json_key(k, options) if options.json else k] = infer(v, options, child)
                return out
            items = _items(value, options, spec)
        finally:
            options.active.discard(key)
        if options.json or isinstance(value, list):
            return items
        if isinstance(value, tuple):
            return tuple(items)
        return frozenset(items) if isinstance(value, frozenset) else set(items)
    if not options.json:
        if dataclasses.is_dataclass(kind):  # its fields as a dict, as pydantic dumps it
            return infer(encode(value), options)
        return value
    encoder = encoder_for(kind)
    if encoder is not None:
        return infer(encoder(value), options)
    return _json_leaf(value, options)


class LiteralFloat(float):
    """NaN or an infinity that JSON text writes as ``NaN``/``Infinity`` whatever the writer's
    own rule (a model with ``ser_json_inf_nan="constants"`` inside ``ferrule.json.dumps``)."""

    __slots__ = ()


def _non_finite(value: float, options: Options) -> Any:
    """NaN or an infinity in JSON mode, as ``ser_json_inf_nan`` says: null; or the float (JSON
    text: ``NaN``/``Infinity`` with "constants", their names as strings with "strings")."""
    if options.inf_nan == "null":
        return None
    if options.inf_nan == "strings" and options.text:
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return LiteralFloat(value) if options.text else float(value)


def _json_leaf(value: Any, options: Options) -> Any:
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else _non_finite(value, options)
    if isinstance(value, (str, int)):
        return value
    if isinstance(value, (date, time)):
        return iso_text(value)
    if isinstance(value, timedelta):
        if options.timedelta == "float":
            return value.total_seconds()
        return duration_text(value)
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes_codec.encode(bytes(value), options.bytes)
        except UnicodeDecodeError:
            raise JSONError(
                "bytes are not valid UTF-8 and cannot be written as JSON text"
            ) from None
    raise JSONError(f"Object of type {type(value).__name__} is not JSON serializable")


_NO_DEFAULT = object()


class ModelSerializer:
    """A model's output fields: ``(name, alias, secret, index, field)`` for every field not
    marked ``exclude`` (``index``: its place among all fields; ``field``: its schema, for
    ``exclude_defaults``), the model's ``ser_json_*`` options and its custom serializers."""

    __slots__ = ("cls", "count", "custom", "fields", "root", "settings")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: type = schema["cls"]
        self.root = bool(schema.get("root"))  # a RootModel: written as its root value
        #: the model's ``ser_json_*`` options, which its fields are written by
        self.settings = (
            schema.get("ser_json_timedelta", "iso8601"),
            schema.get("ser_json_bytes", "utf8"),
            schema.get("ser_json_inf_nan", "null"),
        )
        fields = schema.get("fields", [])
        self.count = len(fields)
        self.fields: list[tuple[str, str, bool, int, dict[str, Any]]] = [
            (
                field["name"],
                (
                    field["serialization_alias"]
                    if "serialization_alias" in field
                    else field.get("alias")
                )
                or field["name"],
                bool(field.get("secret")),
                index,
                field,
            )
            for index, field in enumerate(fields)
            if not field.get("exclude")
        ]
        custom = schema.get("serializers")
        names = [field["name"] for field in fields]
        self.custom = None if custom is None else Custom(custom, names)

    def _given(self, value: Any, options: Options) -> Any:
        """What ``exclude_unset`` keeps: None (every field), an int of bits or names."""
        if not options.exclude_unset:
            return None
        given = getattr(value, _fields_set.SLOT, None)
        if type(given) is int and given < 0:
            raise OverflowError("the fields-set record of the instance is a negative int")
        return given

    def serialize(self, value: Any, options: Options, spec: Filter = NO_FILTER) -> Any:
        if not isinstance(value, self.cls):
            return infer(value, options, spec)
        if self.root:
            return infer(getattr(value, "root", None), options, spec)
        key = _enter(value, options)
        outer = (options.timedelta, options.bytes, options.inf_nan)
        options.timedelta, options.bytes, options.inf_nan = self.settings
        try:
            if self.custom is not None:
                return model_value(self, self.custom, value, options, spec)
            return self.fields_of(value, options, spec)
        finally:
            options.active.discard(key)
            options.timedelta, options.bytes, options.inf_nan = outer

    def fields_of(self, value: Any, options: Options, spec: Filter) -> dict[str, Any]:
        """The dict of ``value``'s fields (field serializers and computed fields applied)."""
        custom = self.custom
        out: dict[str, Any] = {}
        given = self._given(value, options)
        for name, alias, secret, index, field in self.fields:
            child = spec.child(name)
            if child is None:
                continue
            try:
                item = getattr(value, name)
            except AttributeError:
                continue
            if item is None and options.exclude_none:
                continue
            if given is not None and not (
                given >> index & 1 if type(given) is int else name in given
            ):
                continue
            if options.exclude_defaults and _is_default(field, item):
                continue
            if secret and item is not None and not options.reveal_secrets:
                item = SECRET_MASK
            elif custom is not None:
                ser = custom.fields.get(name)
                if ser is not None and applies(ser, item, options):
                    # the result is written whole: the filter went to the serializer
                    item = field_value(ser, value, item, options, child, name)
                    child = NO_FILTER
            out[alias if options.by_alias else name] = infer(item, options, child)
        extra = getattr(value, "__ferrule_extra__", None)
        if extra:
            for name, item in extra.items():
                child = spec.child(name)
                if child is None or (item is None and options.exclude_none):
                    continue
                out_key = _json_key(name, options) if options.json else name
                out[out_key] = infer(item, options, child)
        if custom is not None:
            for name, alias, ser, getter in custom.computed:
                child = spec.child(name)
                if child is None:
                    continue
                item = getattr(value, name) if getter is None else getter(value)
                if item is None and options.exclude_none:
                    continue
                if ser is not None and applies(ser, item, options):
                    item = field_value(ser, value, item, options, child, name)
                    child = NO_FILTER
                out[alias if options.by_alias else name] = infer(item, options, child)
        return out


def _is_default(field: dict[str, Any], item: Any) -> bool:
    """``item == default`` as pydantic asks it (a factory's fresh value; no identity test)."""
    if "default_factory" in field:
        default = field["default_factory"]()
    else:
        default = field.get("default", _NO_DEFAULT)
        if default is _NO_DEFAULT or field.get("required"):
            return False
    return bool(item == default)


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


def check_indent(indent: Any) -> int | None:
    """``indent=``: None, or an int from 0 to `MAX_INDENT` (as the native core)."""
    if indent is None:
        return None
    if isinstance(indent, bool) or not isinstance(indent, int):
        raise TypeError(f"indent must be an int or None, not {type(indent).__name__}")
    if not 0 <= indent <= MAX_INDENT:
        raise ValueError(f"indent must be between 0 and {MAX_INDENT}, not {indent}")
    return indent


def encode_json(data: Any, indent: int | None, *, allow_nan: bool = False) -> bytes:
    """Compact (or indented) JSON text of already JSON-able data, UTF-8 encoded; NaN and the
    infinities only with ``allow_nan`` (``ser_json_inf_nan="constants"`` left them in)."""
    separators = (",", ":") if indent is None else (",", ": ")
    try:
        text = json.dumps(
            data, ensure_ascii=False, allow_nan=allow_nan, separators=separators, indent=indent
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
