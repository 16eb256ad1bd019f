"""JSON Schema (draft 2020-12) from a model's compiled schema, as pydantic's
`model_json_schema()` writes it, for docs and API tooling.

Nested models and enums are written once under ``$defs`` and referenced (``ref_template``; a
model that refers to itself is referenced from the root too); values (defaults, enum and
literal values) are written as the model's own JSON output writes them. ``mode`` picks the
schema of the input a model accepts ("validation") or of the output it writes
("serialization": a Decimal is a string, ``ser_json_timedelta="float"`` a number).

One function per schema tag, in `TAGS`; a module that adds a tag (or writes one differently)
registers its function with `json_schema_for`.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import inspect
import re
from collections.abc import Callable
from typing import Any, Literal

from ferrule.errors import JSONError, SchemaError
from ferrule.models._core import SchemaValidator

__all__ = [
    "DEFAULT_REF_TEMPLATE",
    "TAGS",
    "JsonSchemaMode",
    "SchemaGenerator",
    "json_schema_for",
    "model_json_schema",
    "type_json_schema",
]

DEFAULT_REF_TEMPLATE = "#/$defs/{model}"
JsonSchemaMode = Literal["validation", "serialization"]

#: Writes any value by the JSON output rules (the value's type decides, not the schema).
_JSON_VALUES = SchemaValidator({"type": "any"})
#: The JSON Schema "type" of a JSON value, by its Python type after serialisation.
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
_JSON_TYPES.update({list: "array", dict: "object", type(None): "null"})
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}
#: The docstring every model inherits from `Model` (never a description).
#: Docstrings of ferrule's own base classes, never a model's description.
_BASE_DOCS = frozenset(
    {
        "Base class of validated models. Subclass it and annotate fields.",
        "A model of one value, ``root``: ``RootModel[list[int]]`` or a subclass of it.",
    }
)
#: What the ``ser_json_*`` options are outside any model.
_DEFAULT_OUTPUT = {"ser_json_timedelta": "iso8601", "ser_json_bytes": "utf8"}

Writer = Callable[["SchemaGenerator", dict[str, Any]], dict[str, Any]]
TAGS: dict[str, Writer] = {}


def json_schema_for(*tags: str) -> Callable[[Writer], Writer]:
    """Register the function that writes the JSON Schema of the schema tags ``tags``."""

    def register(function: Writer) -> Writer:
        for tag in tags:
            TAGS[tag] = function
        return function

    return register


def model_json_schema(
    cls: Any,
    *,
    by_alias: bool = True,
    ref_template: str = DEFAULT_REF_TEMPLATE,
    mode: JsonSchemaMode = "validation",
) -> dict[str, Any]:
    """The schema of model class ``cls``."""
    generator = SchemaGenerator(by_alias=by_alias, ref_template=ref_template, mode=mode)
    return generator.finish(generator.root_model(cls))


def type_json_schema(
    schema: dict[str, Any],
    *,
    by_alias: bool = True,
    ref_template: str = DEFAULT_REF_TEMPLATE,
    mode: JsonSchemaMode = "validation",
) -> dict[str, Any]:
    """The schema of a compiled type schema (`TypeAdapter.json_schema`)."""
    generator = SchemaGenerator(by_alias=by_alias, ref_template=ref_template, mode=mode)
    return generator.finish(generator.type(schema))


class SchemaGenerator:
    """One run: the options, the ``$defs`` collected so far, the model being written."""

    def __init__(self, *, by_alias: bool, ref_template: str, mode: JsonSchemaMode) -> None:
        if mode not in ("validation", "serialization"):
            raise ValueError(f"mode must be 'validation' or 'serialization', not {mode!r}")
        if not isinstance(ref_template, str) or "{model}" not in ref_template:
            raise ValueError("ref_template must be a str with a '{model}' placeholder")
        self.by_alias = bool(by_alias)
        self.ref_template = ref_template
        self.mode = mode
        self.defs: dict[str, Any] = {}  # keyed by each class's long (unique) name
        self.classes: dict[str, Any] = {}  # long name -> class
        self.building: set[Any] = set()
        self.root: Any = None
        self.root_referenced = False
        self.config: Any = _DEFAULT_OUTPUT  # the model being written's config

    # --- entry points -------------------------------------------------------------------

    def type(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The JSON Schema of one compiled type schema."""
        writer = TAGS.get(schema["type"])
        if writer is None:
            raise SchemaError(f"no JSON Schema for the schema type {schema['type']!r}")
        out: dict[str, Any] = writer(self, schema)
        return out

    def root_model(self, cls: Any) -> dict[str, Any]:
        self.root = cls
        self.classes[_long_name(cls)] = cls
        self.building.add(cls)
        out = self.model(cls)
        if self.root_referenced:  # the model refers to itself: the root is a reference
            self.defs[_long_name(cls)] = out
            return self.ref(cls)
        return out

    def finish(self, root: dict[str, Any]) -> dict[str, Any]:
        """``root`` with the ``$defs`` it uses, each under its class's short name where that is
        unique (else the module-qualified one, as pydantic)."""
        if not self.defs:
            return root
        short = [_short_name(cls) for cls in self.classes.values()]
        final = {
            long: _short_name(cls) if short.count(_short_name(cls)) == 1 else long
            for long, cls in self.classes.items()
        }
        refs = {
            self.ref_template.format(model=long): self.ref_template.format(model=name)
            for long, name in final.items()
        }
        out: dict[str, Any] = _renamed(root, refs)
        out["$defs"] = {final[long]: _renamed(body, refs) for long, body in self.defs.items()}
        return out

    # --- references ---------------------------------------------------------------------

    def ref(self, cls: Any) -> dict[str, Any]:
        return {"$ref": self.ref_template.format(model=_long_name(cls))}

    def model_ref(self, cls: Any) -> dict[str, Any]:
        """A nested model: written once under ``$defs``, referenced here."""
        name = _long_name(cls)
        if cls is self.root:
            self.root_referenced = True
        elif name not in self.defs and cls not in self.building:
            self.classes[name] = cls
            self.building.add(cls)
            self.defs[name] = {}
            self.defs[name] = self.model(cls)
        return self.ref(cls)

    def enum_ref(self, cls: Any) -> dict[str, Any]:
        name = _long_name(cls)
        if name not in self.defs:
            self.classes[name] = cls
            out = self.values(list(cls.__members__.values()))
            if "const" in out:  # an enum of one member is still written as a list
                out["enum"] = [out.pop("const")]
            out["title"] = cls.__name__
            doc = cls.__dict__.get("__doc__")
            if doc and doc != "An enumeration.":  # Python 3.10's generic docstring
                out["description"] = inspect.cleandoc(doc)
            self.defs[name] = out
        return self.ref(cls)

    # --- models -------------------------------------------------------------------------

    def model(self, cls: Any) -> dict[str, Any]:
        """The object schema of model class ``cls`` (its own options apply to its fields)."""
        schema = cls.__ferrule_schema__
        outer, self.config = self.config, getattr(cls, "model_config", _DEFAULT_OUTPUT)
        try:
            if schema.get("root"):  # a RootModel: its root type's schema, titled by the class
                whole = {**self.type(schema["fields"][0]["schema"]), "title": schema["name"]}
                self.describe(cls, whole)
                return whole
            properties: dict[str, Any] = {}
            required: list[str] = []
            output = cls.__dict__.get("__ferrule_serialized__") or {}
            if self.mode == "serialization" and "model" in output:
                # a model serializer declaring its output: that type is what is written
                return self.type(self.declared(cls, cls.__name__, output["model"]))
            declared = output.get("fields", {}) if self.mode == "serialization" else {}
            for field in schema["fields"]:
                if field["exclude"] and self.mode == "serialization":
                    continue  # an excluded field is still input (pydantic's answer)
                key = self.field_key(field, cls.model_fields.get(field["name"]))
                properties[key] = self.field(cls, field, key, declared.get(field["name"]))
                if field["required"]:
                    required.append(key)
            if self.mode == "serialization":
                self.computed(cls, properties, required)
            adjust = getattr(cls, "__ferrule_json_schema_fields__", None)
            if adjust is not None:  # an ORM model's relations (orm.relation_schema)
                adjust(cls, self.mode, properties, required)
            out: dict[str, Any] = {"type": "object", "properties": properties}
            if required:
                out["required"] = required
            out["title"] = schema["name"]
            if schema["extra"] == "forbid":
                out["additionalProperties"] = False
            elif schema["extra"] == "allow":
                out["additionalProperties"] = True
            self.describe(cls, out)
        finally:
            self.config = outer
        return out

    @staticmethod
    def declared(cls: Any, where: str, output: Any) -> dict[str, Any]:
        """The schema of a type a serializer declares as its output."""
        from ferrule.models._introspect import build_type_schema
        from ferrule.models.base import _is_model

        return dict(build_type_schema(output, strict=False, is_model=_is_model, where=where))

    def describe(self, cls: Any, out: dict[str, Any]) -> None:
        """The class's docstring (cleaned) and the model's ``json_schema_extra``."""
        doc = cls.__doc__
        if doc and doc not in _BASE_DOCS:
            out["description"] = inspect.cleandoc(doc)
        _apply_extra(out, self.config.get("json_schema_extra"), cls)

    def computed(self, cls: Any, properties: dict[str, Any], required: list[str]) -> None:
        """The computed fields of `cls`, as pydantic writes them in a serialization schema:
        read-only and required, under their alias (``by_alias``)."""
        from ferrule.models._introspect import build_type_schema
        from ferrule.models.base import _is_model

        for name, info in getattr(cls, "model_computed_fields", {}).items():
            where = f"{cls.__name__}.{name}"
            schema = build_type_schema(
                info.return_type, strict=False, is_model=_is_model, where=where
            )
            prop = self.type(dict(schema))
            key = info.alias if info.alias and self.by_alias else name
            if info.title or _wants_title(schema):
                prop.setdefault("title", info.title or key.title().replace("_", " ").strip())
            if info.description:
                prop["description"] = info.description
            prop["readOnly"] = True
            properties[key] = prop
            required.append(key)

    def field_key(self, field: dict[str, Any], info: Any = None) -> str:
        """A field's property name (``by_alias``), as pydantic writes it: in validation mode its
        ``validation_alias`` if a str, or the first str choice of `AliasChoices` (an
        `AliasPath` gives no key); in serialization mode its ``serialization_alias``; else (or
        without ``by_alias``) its name."""
        name = str(field["name"])
        if not self.by_alias:
            return name
        if info is None:  # a hand-made schema: its input key
            return field.get("alias") or name
        validation = self.mode == "validation"
        alias = info.validation_alias if validation else info.serialization_alias
        if isinstance(alias, str):
            return alias
        for choice in getattr(alias, "choices", ()):
            if isinstance(choice, str):
                return choice
        return name

    def field(
        self, cls: Any, field: dict[str, Any], key: str, output: Any = None
    ) -> dict[str, Any]:
        """A field's property; ``output``: the type its serializer declares (serialization
        mode), described instead of the field's own."""
        info = cls.model_fields[field["name"]]
        described = field["schema"]
        if output is not None:
            described = self.declared(cls, f"{cls.__name__}.{field['name']}", output)
        prop = self.type(dict(described))
        if info.title:
            prop["title"] = info.title
        elif _wants_title(described):
            prop.setdefault("title", key.title().replace("_", " ").strip())
        if info.description:
            prop["description"] = info.description
        if info.examples:
            prop["examples"] = list(info.examples)
        if field.get("secret"):  # as pydantic writes SecretStr; the default stays private
            prop["writeOnly"] = True
            if prop.get("type") == "string":
                prop.setdefault("format", "password")
        elif "default" in field:
            # a default with no JSON form is left out (as pydantic does)
            with contextlib.suppress(JSONError):
                prop["default"] = self.value(field["default"])
        _apply_extra(prop, getattr(info, "json_schema_extra", None), None)
        return prop

    # --- values -------------------------------------------------------------------------

    def value(self, value: Any) -> Any:
        """``value`` as the model's JSON output writes it (in validation mode a timedelta is
        ISO 8601 text whatever ``ser_json_timedelta`` says: pydantic's answer)."""
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, (bytes, bytearray)):
            value = _bytes_text(bytes(value), self.config.get("ser_json_bytes", "utf8"))
        elif isinstance(value, datetime.timedelta) and self.timedelta_is_number():
            return value.total_seconds()
        elif isinstance(value, (list, tuple, set, frozenset)):
            return [self.value(item) for item in value]
        elif isinstance(value, dict) and any(_needs_config(v) for v in value.values()):
            return {_JSON_VALUES.to_python(k, mode="json"): self.value(v) for k, v in value.items()}
        return _JSON_VALUES.to_python(value, mode="json")

    def values(self, values: list[Any]) -> dict[str, Any]:
        """``const``/``enum`` for literal or enum values, with the ``type`` they share, if one."""
        written = [self.value(value) for value in values]
        out: dict[str, Any] = {"const": written[0]} if len(written) == 1 else {"enum": written}
        kinds = {type(value) for value in written}
        if len(kinds) == 1 and kinds <= _JSON_TYPES.keys():
            out["type"] = _JSON_TYPES[kinds.pop()]
        return out

    def timedelta_is_number(self) -> bool:
        return self.mode == "serialization" and self.config.get("ser_json_timedelta") == "float"


# --- helpers ----------------------------------------------------------------------------------


def _short_name(cls: Any) -> str:
    """The class's name, made a valid ``$defs`` key (``Page[int]`` is ``Page_int_``)."""
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", cls.__name__)


def _long_name(cls: Any) -> str:
    """pydantic's name for a class whose short name is taken: module and qualified name."""
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", f"{cls.__module__}__{cls.__qualname__}").replace(
        ".", "__"
    )


def _renamed(node: Any, refs: dict[str, str], *, in_mapping: bool = False) -> Any:
    """``node`` with every reference in ``refs`` replaced: ``$ref`` values and the references
    a discriminator's ``mapping`` holds (a copy where something changed)."""
    if isinstance(node, list):
        return [_renamed(item, refs) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: refs.get(item, item)
        if (key == "$ref" or in_mapping) and isinstance(item, str)
        else _renamed(item, refs, in_mapping=key == "mapping")
        for key, item in node.items()
    }


def _apply_extra(schema: dict[str, Any], extra: Any, cls: Any) -> None:
    """``json_schema_extra``: a dict merged in, or a function ``(schema)`` (a model's may take
    ``(schema, cls)``) that changes ``schema`` in place."""
    if extra is None:
        return
    if isinstance(extra, dict):
        schema.update(extra)
        return
    try:
        takes_class = cls is not None and len(inspect.signature(extra).parameters) >= 2
    except (TypeError, ValueError):
        takes_class = False
    if takes_class:
        extra(schema, cls)
    else:
        extra(schema)


def _wants_title(schema: dict[str, Any]) -> bool:
    """pydantic's rule: a field that is a model or an enum (maybe nullable) takes the title of
    its ``$defs`` entry; any other field gets one from its name."""
    while schema["type"] == "nullable" or schema["type"].startswith("function_"):
        schema = schema["schema"]
    return schema["type"] not in ("model", "enum")


def _needs_config(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, datetime.timedelta, list, tuple, set, dict))


def _bytes_text(raw: bytes, encoding: str) -> str:
    from ferrule.models._pure.bytes_codec import encode

    try:
        return encode(raw, encoding)
    except UnicodeDecodeError:
        raise JSONError("bytes are not valid UTF-8 and cannot be written as JSON text") from None


def _number(value: Any) -> int | float:
    """A bound as a JSON number (a `Decimal` bound too, as a float: pydantic's answer)."""
    return value if isinstance(value, (int, float)) else float(value)


def _constraints(out: dict[str, Any], schema: dict[str, Any], words: tuple[str, str]) -> None:
    """Numeric bounds and lengths from the compiled schema onto ``out``."""
    for bound, keyword in _BOUNDS.items():
        if bound in schema:
            out[keyword] = _number(schema[bound])
    if "multiple_of" in schema:
        out["multipleOf"] = _number(schema["multiple_of"])
    for option, keyword in zip(("min_length", "max_length"), words, strict=True):
        if option in schema:
            out[keyword] = schema[option]


_LENGTHS = ("minLength", "maxLength")
_ITEMS = ("minItems", "maxItems")

# Importing the writers registers them (one function per schema tag).
from ferrule.models import _json_schema_types  # noqa: E402, F401
