"""JSON Schema (draft 2020-12) from a model's compiled schema, for docs and API tooling."""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["model_json_schema"]

_FORMATS = {
    "datetime": ("string", "date-time"),
    "date": ("string", "date"),
    "time": ("string", "time"),
    "timedelta": ("string", "duration"),
    "uuid": ("string", "uuid"),
    "bytes": ("string", "binary"),
}
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


def model_json_schema(cls: Any) -> dict[str, Any]:
    """The schema of `cls`, with nested models under ``$defs`` and referenced by ``$ref``."""
    defs: dict[str, Any] = {}
    root = _model(cls, defs, {cls})
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
        prop.setdefault("title", info.title or field["name"].replace("_", " ").title())
        if info.description:
            prop["description"] = info.description
        if info.examples:
            prop["examples"] = list(info.examples)
        if "default" in field and _jsonable(field["default"]):
            prop["default"] = _plain(field["default"])
        if field["required"]:
            required.append(key)
        properties[key] = prop
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
        out = {"enum": [m.value for m in schema["members"]], "title": schema["cls"].__name__}
    elif tag == "literal":
        values = [_plain(v) for v in schema["expected"]]
        out = {"const": values[0]} if len(values) == 1 else {"enum": values}
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
    for bound, keyword in _BOUNDS.items():
        if bound in schema:
            out[keyword] = _plain(schema[bound])
    if "multiple_of" in schema:
        out["multipleOf"] = _plain(schema["multiple_of"])
    length_words = (
        ("minLength", "maxLength")
        if tag in ("str", "bytes")
        else (("minProperties", "maxProperties") if tag == "dict" else ("minItems", "maxItems"))
    )
    for option, keyword in zip(("min_length", "max_length"), length_words, strict=True):
        if option in schema:
            out[keyword] = schema[option]
    return out


def _jsonable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, type(None), list, dict, enum.Enum))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)
