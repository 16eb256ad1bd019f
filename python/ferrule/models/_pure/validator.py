"""`SchemaValidator`: the public face of the pure-Python core, mirroring the native one."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from ferrule.errors import JSONError, RawError, SchemaError, ValidationError

# Importing the validator modules registers their builders.
from ferrule.models._pure import (  # noqa: F401
    containers,
    convert,
    datetimes,
    functions,
    instances,
    model,
    scalars,
    unions,
)
from ferrule.models._pure.core import LineErrors, State, build, prefixed
from ferrule.models._pure.model import ModelValidator
from ferrule.models._pure.serialize import Filter, Options, check_indent, encode_json, infer

__all__ = ["SchemaValidator"]

_Results = tuple[list[Any], list[tuple[int, ValidationError]]]
_JSON_SPACE = b" \t\n\r\x0c"  # ASCII whitespace as the native core counts it
JSON_MAX_DEPTH = 200  # arrays/objects around a value, as the native JSON parser allows
# an escape that may stand for half a surrogate pair, and the surrogate code points
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
JSON_MAX_NUMBER = 4300  # characters before a number's fraction/exponent, as the native parser


class _InvalidJSON(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reject_constant(name: str) -> Any:
    raise _InvalidJSON(f"{name} is not a valid JSON value")


def _parse_int(text: str) -> int:
    if len(text) > JSON_MAX_NUMBER:
        raise _InvalidJSON("number out of range")
    # int() refuses more digits than sys.get_int_max_str_digits() (640 at the lowest); Decimal
    # has no such limit.
    return int(text) if len(text) <= 640 else int(Decimal(text))


def _parse_float(text: str) -> float:
    whole = text.split(".", 1)[0].split("e", 1)[0].split("E", 1)[0]
    if len(whole) > JSON_MAX_NUMBER:
        raise _InvalidJSON("number out of range")
    return float(text)


def _decode(data: Any) -> Any:
    """``json.loads`` without NaN/Infinity; raises `_InvalidJSON` with a readable reason."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _InvalidJSON(f"invalid UTF-8 at byte {exc.start}") from None
    elif isinstance(data, str):
        if _SURROGATE.search(data):  # no UTF-8 form: refused before reading, as the native core
            raise JSONError("JSON text contains a lone surrogate")
        text = data
    else:
        kind = type(data).__name__
        raise TypeError(f"JSON input must be str, bytes, bytearray or memoryview, not {kind}")
    try:
        value = json.loads(
            text, parse_constant=_reject_constant, parse_int=_parse_int, parse_float=_parse_float
        )
    except json.JSONDecodeError as exc:
        raise _InvalidJSON(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise _InvalidJSON("recursion limit exceeded") from None
    if text.count("[") + text.count("{") > JSON_MAX_DEPTH and _too_deep(value):
        raise _InvalidJSON("recursion limit exceeded")
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(value):
        # as the native reader: a string must be valid Unicode (an escaped pair is one char)
        raise _InvalidJSON("a lone surrogate is not valid Unicode")
    return value


def _lone_surrogate(value: Any) -> bool:
    """Whether some string (a key or a value) in the parsed document holds a surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _too_deep(value: Any) -> bool:
    """Whether some value sits inside more than `JSON_MAX_DEPTH` arrays and objects."""
    if not isinstance(value, (list, dict)):
        return False
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if children and depth + 1 > JSON_MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return False


def _json_error(data: Any, reason: str) -> RawError:
    return ((), "json_invalid", data, {"error": reason}, None)


class SchemaValidator:
    """Validates and serialises values of one schema (any schema, not only a model)."""

    def __init__(self, schema: dict[str, Any], title: str | None = None) -> None:
        self.schema = schema
        self._validator = build(schema)
        if title is None:
            if schema["type"] == "model":
                title = schema.get("name") or schema["cls"].__name__
            else:
                title = str(schema["type"])
        self.title: str = title

    # --- validation ------------------------------------------------------------------------

    def _run(
        self,
        value: Any,
        strict: bool | None,
        json_input: bool,
        from_attributes: bool = False,
        context: Any = None,
        mode: str | None = None,
    ) -> Any:
        state = State(
            strict=strict,
            json=json_input,
            from_attributes=from_attributes,
            context=context,
            mode=mode,
        )
        try:
            return self._validator.validate(value, state)
        except LineErrors as exc:
            raise ValidationError(self.title, exc.errors) from None
        except RecursionError:
            raise ValidationError(self.title, [((), "recursion_loop", value, None, None)]) from None

    def validate_python(
        self,
        value: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
        strings: bool = False,
    ) -> Any:
        """``strings``: `TypeAdapter.validate_strings` (``info.mode`` "string", as pydantic)."""
        return self._run(
            value,
            strict,
            json_input=False,
            from_attributes=bool(from_attributes),
            context=context,
            mode="string" if strings else None,
        )

    def validate_json(
        self,
        data: str | bytes | bytearray | memoryview,
        *,
        strict: bool | None = None,
        context: Any = None,
    ) -> Any:
        try:
            value = _decode(data)
        except _InvalidJSON as exc:
            raise ValidationError(self.title, [_json_error(data, exc.reason)]) from None
        return self._run(value, strict, json_input=True, context=context)

    def new_instance(self) -> Any:
        """``Model.__new__``: an empty instance with its private attributes' defaults (the
        native `tp_new` allocates the same way)."""
        if not isinstance(self._validator, ModelValidator):
            raise SchemaError("new_instance needs a model schema")
        return self._validator.allocate()

    def init_instance(self, instance: Any, data: dict[str, Any]) -> None:
        """``__init__(**data)``: validate ``data`` into the existing ``instance``."""
        if not isinstance(self._validator, ModelValidator):
            raise SchemaError("init_instance needs a model schema")
        state = State(strict=None, json=False)
        try:
            self._validator.init_instance(instance, data, state)
        except LineErrors as exc:
            if self._validator.init_holding(instance, data):
                return
            raise ValidationError(self.title, exc.errors) from None
        except RecursionError:
            raise ValidationError(self.title, [((), "recursion_loop", data, None, None)]) from None

    def validate_assignment(self, instance: Any, name: str, value: Any) -> None:
        if not isinstance(self._validator, ModelValidator):
            raise SchemaError("validate_assignment needs a model schema")
        name = _name_text(name)
        if not issubclass(type(instance), self._validator.cls):
            raise TypeError(
                f"validate_assignment() needs an instance of {self._validator.cls.__name__}"
            )
        try:
            self._validator.assign(instance, name, value)
        except LineErrors as exc:
            raise ValidationError(self.title, exc.errors) from None

    def validate_field(self, instance: Any, name: str, value: Any) -> Any:
        if not isinstance(self._validator, ModelValidator):
            raise SchemaError("validate_field needs a model schema")
        name = _name_text(name)
        if not issubclass(type(instance), self._validator.cls):
            raise TypeError(f"validate_field() needs an instance of {self._validator.cls.__name__}")
        try:
            return self._validator.check_field(instance, name, value)
        except LineErrors as exc:
            raise ValidationError(self.title, exc.errors) from None

    def _many(
        self, values: list[Any], collect: bool, json_input: bool, bad: dict[int, RawError]
    ) -> _Results:
        results: list[Any] = []
        failures: list[tuple[int, ValidationError]] = []
        for index, value in enumerate(values):
            if index in bad:
                failures.append((index, ValidationError(self.title, [bad[index]])))
                results.append(None)
                continue
            try:
                results.append(self._run(value, None, json_input))
            except ValidationError as exc:
                failures.append((index, exc))
                results.append(None)
        if failures and not collect:
            raw = [error for index, exc in failures for error in prefixed(index, exc._raw)]
            raise ValidationError(self.title, raw)
        return results, failures

    def validate_many(self, items: list[Any], *, collect: bool) -> _Results:
        return self._many(list(items), collect, json_input=False, bad={})

    def validate_json_many(
        self, data: str | bytes, *, collect: bool, lines: bool = False
    ) -> _Results:
        """A JSON array of records (the input starts with ``[`` and ``lines`` is off), else
        NDJSON: one JSON value per line that is not blank."""
        if isinstance(data, str):
            raw = data.encode("utf-8", "surrogatepass")
        elif isinstance(data, (bytes, bytearray, memoryview)):
            raw = bytes(data)
        else:
            kind = type(data).__name__
            raise TypeError(f"JSON input must be str, bytes, bytearray or memoryview, not {kind}")
        if not lines and raw.lstrip(_JSON_SPACE).startswith(b"["):
            try:
                records = _decode(raw)
            except _InvalidJSON as exc:
                raise ValidationError(self.title, [_json_error(data, exc.reason)]) from None
            return self._many(records, collect, json_input=True, bad={})
        texts = [line for line in raw.split(b"\n") if line.strip(_JSON_SPACE)]
        values: list[Any] = []
        bad: dict[int, RawError] = {}
        for index, line in enumerate(texts):
            try:
                values.append(_decode(line))
            except _InvalidJSON as exc:
                values.append(None)
                bad[index] = _json_error(line, exc.reason)
        return self._many(values, collect, json_input=True, bad=bad)

    # --- serialisation ---------------------------------------------------------------------

    def to_python(
        self,
        value: Any,
        *,
        mode: str = "python",
        by_alias: bool = False,
        exclude_none: bool = False,
        include: Any = None,
        exclude: Any = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> Any:
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', not {json.dumps(mode)}")
        if not isinstance(reveal_secrets, bool):
            kind = type(reveal_secrets).__name__
            raise TypeError(f"reveal_secrets must be True or False, not {kind}")
        options = Options(
            json=mode == "json",
            by_alias=by_alias,
            exclude_none=exclude_none,
            reveal_secrets=reveal_secrets,
            exclude_unset=bool(exclude_unset),
            exclude_defaults=bool(exclude_defaults),
            round_trip=bool(round_trip),
            context=context,
        )
        spec = Filter.from_args(include, exclude)
        try:
            return infer(value, options, spec)
        except RecursionError:
            raise JSONError("value is nested too deeply to serialise") from None

    def to_json(
        self,
        value: Any,
        *,
        by_alias: bool = False,
        exclude_none: bool = False,
        include: Any = None,
        exclude: Any = None,
        indent: Any = None,
        reveal_secrets: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> bytes:
        indent = check_indent(indent)
        options = Options(
            json=True,
            by_alias=by_alias,
            exclude_none=exclude_none,
            reveal_secrets=reveal_secrets,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            text=True,
            round_trip=round_trip,
            context=context,
        )
        if not isinstance(reveal_secrets, bool):
            kind = type(reveal_secrets).__name__
            raise TypeError(f"reveal_secrets must be True or False, not {kind}")
        spec = Filter.from_args(include, exclude)
        try:
            data = infer(value, options, spec)
        except RecursionError:
            raise JSONError("value is nested too deeply to serialise") from None
        # a NaN left in the data: a model with ser_json_inf_nan="constants" kept it
        return encode_json(data, indent, allow_nan=True)


def _name_text(name: Any) -> str:
    """An attribute name as its text alone: a str subclass's ``__eq__``/``__hash__`` (which
    may lie or raise) never decides which field it names, as the native core reads the text."""
    if not isinstance(name, str):
        raise TypeError(f"argument 'name': '{type(name).__name__}' object is not a str")
    return str.__str__(name)
