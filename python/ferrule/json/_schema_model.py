"""``Schema.to_model``: an object schema as a ferrule `Model` class (a subset, on purpose).

Expressed: ``type`` (one type, or one type and ``"null"``: an optional value), ``enum`` and
``const`` (a ``Literal``), strings with ``minLength``/``maxLength``/``pattern`` and the formats
``date-time``/``date``/``time``/``uuid``/``email`` (``datetime``, ``date``, ``time``, ``UUID``,
``str`` checked as an email), numbers with bounds and ``multipleOf``, arrays (``items``,
``minItems``/``maxItems``), nested objects (nested models named ``<Parent><Property>``),
objects of ``additionalProperties`` only (``dict[str, T]``), ``required`` (the rest default to
None), ``additionalProperties: false`` (``extra="forbid"``), and local ``$ref`` (not recursive).

Anything else that constrains a value (``anyOf``, ``patternProperties``, ``uniqueItems``, ...)
raises `JSONSchemaError` naming the keyword: a model that silently accepted more than the
schema would be a guess. Annotations (``title``, ``description``, ``default``, ...) are kept
or ignored. Models validate as ferrule models do (a model converts where JSON Schema asserts).
"""

from __future__ import annotations

import keyword
import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from uuid import UUID

from ferrule.errors import JSONSchemaError
from ferrule.json._schema_plan import compile_plan, pointer_text
from ferrule.models import ConfigDict, Field, Model

__all__ = ["schema_to_model"]

_IGNORED = {
    "$schema",
    "$id",
    "$comment",
    "$defs",
    "$anchor",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentMediaType",
    "contentEncoding",
}
_KNOWN = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "format",
    "enum",
    "const",
    "$ref",
}
_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}
_FORMATS: dict[str, Any] = {"date-time": datetime, "date": date, "time": time, "uuid": UUID}
_CONSTRAINTS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "multipleOf": "multiple_of",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_length",
    "maxItems": "max_length",
}


class _Builder:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.resolving: list[str] = []

    def refuse(self, keyword: str, where: str, why: str = "cannot be expressed by a model") -> Any:
        raise JSONSchemaError(f"{keyword} {why}", pointer_text([*_tokens(where), keyword]))

    def resolve(self, schema: dict[str, Any], where: str) -> tuple[Any, str]:
        ref = schema["$ref"]
        if not ref.startswith("#"):
            self.refuse("$ref", where, "leaves the document")
        target_at = ref[1:]
        if target_at in self.resolving:
            self.refuse("$ref", where, "is recursive (a model cannot be)")
        target: Any = self.root
        for token in _tokens(target_at):
            target = target[token]
        return target, target_at

    def annotation(self, schema: Any, where: str, name: str) -> Any:
        if schema is True or schema == {}:
            return Any
        if type(schema) is not dict:
            self.refuse("false", where, "schema cannot be expressed by a model")
        if "$ref" in schema:
            for key in schema:
                if key not in _IGNORED and key != "$ref":
                    self.refuse(key, where, "beside $ref cannot be expressed by a model")
            target, target_at = self.resolve(schema, where)
            self.resolving.append(target_at)
            try:
                return self.annotation(target, target_at, _model_name(target, name))
            finally:
                self.resolving.pop()
        for key in schema:
            if key not in _KNOWN and key not in _IGNORED and key not in _CONSTRAINTS:
                self.refuse(key, where)
        for key in ("enum", "const"):
            if key in schema:
                values = schema[key] if key == "enum" else [schema[key]]
                if not all(v is None or type(v) in (str, int, bool) for v in values):
                    self.refuse(key, where, "with values other than str, int, bool or null")
                return Literal[tuple(values)]
        kinds = schema.get("type")
        names = [kinds] if type(kinds) is str else list(kinds or [])
        optional = "null" in names and len(names) == 2
        names = [n for n in names if n != "null"] if optional else names
        if len(names) != 1:
            self.refuse("type", where, "must name one type (and perhaps null) for a model")
        kind = names[0]
        used = {"type"}
        if kind == "object":
            result: Any = self.object(schema, where, name)
            used |= {"properties", "required", "additionalProperties"}
        elif kind == "array":
            items = schema.get("items", True)
            result = list[self.annotation(items, pointer_text([*_tokens(where), "items"]), name)]  # type: ignore[misc]
            used.add("items")
        elif kind == "string" and schema.get("format") in _FORMATS:
            result = _FORMATS[schema["format"]]
            used.add("format")
        elif kind in _SCALARS:
            result = _SCALARS[kind]
            if kind == "string" and "format" in schema:
                used.add("format")
        elif kind == "null":
            result = type(None)
        else:
            self.refuse("type", where)
        constraints = {}
        for key, value in schema.items():
            if key in used or key in _IGNORED:
                continue
            if key in _CONSTRAINTS:
                constraints[_CONSTRAINTS[key]] = value
            elif key == "format" and value == "email" and kind == "string":
                constraints["email"] = True
            elif key == "format":
                continue  # other formats annotate only, as in JSON Schema
            else:
                self.refuse(key, where)
        if constraints:
            result = Annotated[result, Field(**constraints)]
        return result | None if optional else result

    def object(self, schema: dict[str, Any], where: str, name: str) -> Any:
        extra = schema.get("additionalProperties", True)
        props = schema.get("properties", {})
        if not props and type(extra) is dict:
            at = pointer_text([*_tokens(where), "additionalProperties"])
            return dict[str, self.annotation(extra, at, name)]  # type: ignore[misc]
        if extra not in (True, False):
            self.refuse("additionalProperties", where, "with a schema beside properties")
        required = set(schema.get("required", ()))
        for missing in required - set(props):
            self.refuse("required", where, f"names {missing!r}, which is not in properties")
        annotations: dict[str, Any] = {}
        namespace: dict[str, Any] = {"__annotations__": annotations}
        for prop, sub in props.items():
            if not prop.isidentifier() or keyword.iskeyword(prop) or prop.startswith("_"):
                self.refuse("properties", where, f"name {prop!r} is not a field name")
            at = pointer_text([*_tokens(where), "properties", prop])
            annotation = self.annotation(sub, at, name + _camel(prop))
            if prop in required:
                annotations[prop] = annotation
            else:
                annotations[prop] = annotation | None
                namespace[prop] = None
        if extra is False:
            namespace["model_config"] = ConfigDict(extra="forbid")
        return type(name, (Model,), namespace)


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text))


def _model_name(schema: Any, fallback: str) -> str:
    title = schema.get("title") if type(schema) is dict else None
    return _camel(title) if type(title) is str and _camel(title).isidentifier() else fallback


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def schema_to_model(schema: Any, name: str) -> type[Model]:
    """A Model class named ``name`` for the object schema ``schema``."""
    if type(name) is not str or not name.isidentifier():
        raise TypeError(f"the model name must be an identifier, not {name!r}")
    compile_plan(schema)  # a malformed schema fails as in Schema()
    if type(schema) is not dict or schema.get("type") != "object":
        raise JSONSchemaError('to_model() needs an object schema ("type": "object")', "/type")
    model: type[Model] = _Builder(schema).annotation(schema, "", name)
    return model
