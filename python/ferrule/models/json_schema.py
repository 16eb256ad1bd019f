"""JSON Schema (draft 2020-12) from a model's compiled schema, for docs and API tooling.

The shape follows pydantic's `model_json_schema()`: nested models and enums are written once
under ``$defs`` and referenced; values (defaults, enum and literal values) are written as the
model's own JSON output writes them (`model_dump(mode="json")` rules).
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from typing import Any, Literal

from ferrule.errors import JSONError
from ferrule.models._core import SchemaValidator

__all__ = ["model_json_schema", "type_json_schema"]

#: Writes any value by the JSON output rules (the value's type decides, not the schema).
_JSON_VALUES = SchemaValidator({"type": "any"})
#: The JSON Schema "type" of a JSON value, by its Python type after serialisation.
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
_JSON_TYPES.update({list: "array", dict: "object", type(None): "null"})

_FORMATS = {
    "datetime": ("string", "date-time"),
    "date": ("string", "date"),
    "time": ("string", "time"),
    "timedelta": ("string", "duration"),
    "uuid": ("string", "uuid"),
    "bytes": ("string", "binary"),
}
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


#: ``mode="serialization"``: the schema of the dumps (computed fields in, read-only).
_SERIALIZATION = contextvars.ContextVar("_SERIALIZATION", default=False)


def model_json_schema(
    cls: Any, mode: Literal["validation", "serialization"] = "validation"
) -> dict[str, Any]:
    """The schema of `cls`, with nested models under ``$defs`` and referenced by ``$ref``."""
    if mode not in ("validation", "serialization"):
        raise ValueError(f"mode must be 'validation' or 'serialization', not {mode!r}")
    defs: dict[str, Any] = {}
    token = _SERIALIZATION.set(mode == "serialization")
    try:
        root = _model(cls, defs, {cls})
    finally:
        _SERIALIZATION.reset(token)
    if defs:
        root["$defs"] = defs
    return root


def type_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a compiled type schema (`TypeAdapter.json_schema`): models and enums
    under ``$defs``, as for a model."""
    defs: dict[str, Any] = {}
    root = _type(schema, defs, set())
    if defs:
        root["$defs"] = defs
    return root


def _model(cls: Any, defs: dict[str, Any], building: set[Any]) -> dict[str, Any]:
    schema = cls.__ferrule_schema__
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in schema["fields"]:
        if field["exclude"]:
            continue
        key = field["alias"] or field["name"]
        info = cls.model_fields[field["name"]]
        prop = _type(field["schema"], defs, building)
        if info.title or _wants_title(field["schema"]):
            prop.setdefault("title", info.title or field["name"].replace("_", " ").title())
        if info.description:
            prop["description"] = info.description
        if info.examples:
            prop["examples"] = list(info.examples)
        # a default with no JSON form is left out (as pydantic does): the schema stays usable
        if field.get("secret"):  # as pydantic writes SecretStr; the default stays private
            prop["writeOnly"] = True
            if prop.get("type") == "string":
                prop.setdefault("format", "password")
        with contextlib.suppress(JSONError):
            if "default" in field and not field.get("secret"):
                prop["default"] = _json_value(field["default"])
        if field["required"]:
            required.append(key)
        properties[key] = prop
    if _SERIALIZATION.get():
        _computed(cls, properties, required, defs, building)
    out: dict[str, Any] = {"title": schema["name"], "type": "object", "properties": properties}
    if required:
        out["required"] = required
    if schema["extra"] == "forbid":
        out["additionalProperties"] = False
    if (
        cls.__doc__
        and cls.__doc__ != "Base class of validated models. Subclass it and annotate fields."
    ):
        out["description"] = cls.__doc__.strip()
    return out


def _computed(
    cls: Any, properties: dict[str, Any], required: list[str], defs: Any, building: Any
) -> None:
    """The computed fields of `cls`, as pydantic writes them in a serialization schema."""
    from ferrule.models._introspect import build_type_schema
    from ferrule.models.base import _is_model

    for name, info in getattr(cls, "model_computed_fields", {}).items():
        where = f"{cls.__name__}.{name}"
        schema = build_type_schema(info.return_type, strict=False, is_model=_is_model, where=where)
        prop = _type(dict(schema), defs, building)
        if info.title or _wants_title(schema):
            prop.setdefault("title", info.title or name.replace("_", " ").title())
        if info.description:
            prop["description"] = info.description
        prop["readOnly"] = True
        key = info.alias or name
        properties[key] = prop
        required.append(key)


def _wants_title(schema: dict[str, Any]) -> bool:
    """pydantic's rule: a field that is a model or an enum (maybe nullable) takes the title of
    its ``$defs`` entry; any other field gets one from its name."""
    while schema["type"] == "nullable" or schema["type"].startswith("function_"):
        schema = schema["schema"]
    return schema["type"] not in ("model", "enum")


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    return _JSON_VALUES.to_python(value, mode="json")


def _values(values: list[Any]) -> dict[str, Any]:
    """``const``/``enum`` for literal or enum values, with the ``type`` they share, if one."""
    written = [_json_value(value) for value in values]
    out: dict[str, Any] = {"const": written[0]} if len(written) == 1 else {"enum": written}
    kinds = {type(value) for value in written}
    if len(kinds) == 1 and kinds <= _JSON_TYPES.keys():
        out["type"] = _JSON_TYPES[kinds.pop()]
    return out


def _enum_ref(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs:
        out = _values(list(cls.__members__.values()))
        if "const" in out:  # an enum of one member is still written as a list
            out["enum"] = [out.pop("const")]
        out["title"] = name
        doc = cls.__dict__.get("__doc__")
        if doc and doc != "An enumeration.":  # Python 3.10's generic docstring
            out["description"] = doc.strip()
        defs[name] = out
    return {"$ref": f"#/$defs/{name}"}


def _ref(cls: Any, defs: dict[str, Any], building: set[Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs and cls not in building:
        building.add(cls)
        defs[name] = {}
        defs[name] = _model(cls, defs, building)
    return {"$ref": f"#/$defs/{name}"}


def _type(schema: dict[str, Any], defs: dict[str, Any], building: set[Any]) -> dict[str, Any]:
    tag = schema["type"]
    out: dict[str, Any]
    if tag == "int":
        out = {"type": "integer"}
    elif tag == "float":
        out = {"type": "number"}
    elif tag == "decimal":
        out = {"anyOf": [{"type": "number"}, {"type": "string"}]}
    elif tag == "bool":
        out = {"type": "boolean"}
    elif tag == "str":
        out = {"type": "string"}
        if schema.get("email"):
            out["format"] = "email"
        if schema.get("url"):
            out["format"] = "uri"
        if "pattern" in schema:
            out["pattern"] = schema["pattern"]
    elif tag in _FORMATS:
        kind, fmt = _FORMATS[tag]
        out = {"type": kind, "format": fmt}
    elif tag == "enum":
        out = _enum_ref(schema["cls"], defs)
    elif tag == "literal":
        out = _values(schema["expected"])
    elif tag == "any":
        out = {}
    elif tag == "nullable":
        out = {"anyOf": [_type(schema["schema"], defs, building), {"type": "null"}]}
    elif tag == "union":
        out = {"anyOf": [_type(choice, defs, building) for choice in schema["choices"]]}
    elif tag in ("list", "set", "frozenset"):
        out = {"type": "array", "items": _type(schema["items"], defs, building)}
        if tag != "list":
            out["uniqueItems"] = True
    elif tag == "tuple":
        items = [_type(item, defs, building) for item in schema["items"]]
        if schema["variadic"]:
            out = {"type": "array", "items": items[0]}
        else:
            out = {
                "type": "array",
                "prefixItems": items,
                "minItems": len(items),
                "maxItems": len(items),
            }
    elif tag == "dict":
        out = {"type": "object", "additionalProperties": _type(schema["values"], defs, building)}
    elif tag == "model":
        out = _ref(schema["cls"], defs, building)
    elif tag.startswith("function_"):
        out = _type(schema["schema"], defs, building)
    else:  # pragma: no cover - every tag the introspection emits is handled above
        raise AssertionError(f"no JSON Schema for {tag}")
    numbers = out["anyOf"][0] if tag == "decimal" else out  # a decimal's bounds: on the number
    for bound, keyword in _BOUNDS.items():
        if bound in schema:
            numbers[keyword] = _number(schema[bound])
    if "multiple_of" in schema:
        numbers["multipleOf"] = _number(schema["multiple_of"])
    length_words = (
        ("minLength", "maxLength")
        if tag in ("str", "bytes")
        else (("minProperties", "maxProperties") if tag == "dict" else ("minItems", "maxItems"))
    )
    for option, keyword in zip(("min_length", "max_length"), length_words, strict=True):
        if option in schema:
            out[keyword] = schema[option]
    return out


def _number(value: Any) -> int | float:
    """A bound as a JSON number (a `Decimal` bound too, as a float: pydantic's answer)."""
    return value if isinstance(value, (int, float)) else float(value)
