"""``Schema``: a JSON Schema (draft 2020-12) compiled once into a native validator tree.

Validation asserts and never converts: ``"integer"`` accepts ``1`` and ``1.0`` but never
``True``; ``"number"`` never accepts a bool; ``const``, ``enum`` and ``uniqueItems`` use JSON
equality (``1 == 1.0``, ``true != 1``, object key order ignored); ``multipleOf`` is exact
decimal arithmetic (``0.3`` is a multiple of ``0.1``; a float counts as the decimal its
shortest repr writes). The formats ``date-time``, ``date``, ``time`` (RFC 3339, offset
required, leap seconds only at 23:59:60 UTC), ``email`` (a dot-atom local part and a host name
or ``[IPv4]``; quoted local parts and IPv6 literals are refused), ``uuid`` and ``uri`` (an
absolute RFC 3986 URI) are assertions; other formats are ignored.

Deviations, on purpose: every ``$schema`` is read as 2020-12; ``pattern`` and
``patternProperties`` are Python ``re`` patterns searched as ``re.search`` does (``\\d`` and
``\\w`` are Unicode-aware, ``$`` also matches before a final newline), run natively by the
project's pattern engine; only references inside the document resolve (see `_schema_plan`).
``unevaluatedProperties``/``unevaluatedItems`` see the annotations of the node's own keywords
and of its in-place subschemas (``$ref``, ``allOf``, passing ``anyOf``/``oneOf`` branches,
``if``/``then``/``else``, ``dependentSchemas``).

Every error says where: ``loc`` is the tuple of JSON Pointer tokens of the failing value (keys
as str, array indexes as int), ``pointer`` its JSON Pointer text (``"/items/3/name"``), ``type``
the keyword that failed, and the message starts with the pointer. Evaluation nested more than
`MAX_DEPTH` schemas deep (a very deep document under a recursive schema) raises a `JSONError`,
never a stack overflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.errors import ValidationError, pure_python_requested
from ferrule.json._pure_schema import PureSchema, is_multiple
from ferrule.json._schema_plan import MAX_DEPTH, compile_plan, pointer_text
from ferrule.json.codec import loads

if TYPE_CHECKING:
    from ferrule.models import Model

__all__ = ["MAX_DEPTH", "JsonSchemaValidator", "Schema"]

_TEXT_TYPES = (str, bytes, bytearray, memoryview)

_MESSAGES = {
    "false": "no value is allowed here (the schema is false)",
    "type": "should be of type {expected}",
    "enum": "should be one of {expected!r}",
    "const": "should be {expected!r}",
    "minimum": "should be >= {limit}",
    "maximum": "should be <= {limit}",
    "exclusiveMinimum": "should be > {limit}",
    "exclusiveMaximum": "should be < {limit}",
    "multipleOf": "should be a multiple of {limit}",
    "minLength": "should have at least {limit} characters, not {actual}",
    "maxLength": "should have at most {limit} characters, not {actual}",
    "pattern": "should match the pattern {pattern!r}",
    "format": "should be a valid {format}",
    "minItems": "should have at least {limit} items, not {actual}",
    "maxItems": "should have at most {limit} items, not {actual}",
    "uniqueItems": "items {first} and {second} are equal (items should be unique)",
    "prefixItems": "no item is allowed at this index",
    "items": "no item is allowed at this index",
    "contains": "should contain at least {min} matching items, not {matched}",
    "maxContains": "should contain at most {max} matching items, not {matched}",
    "minProperties": "should have at least {limit} properties, not {actual}",
    "maxProperties": "should have at most {limit} properties, not {actual}",
    "required": "the property {property!r} is required",
    "dependentRequired": "the property {property!r} is required when {because!r} is present",
    "properties": "this property is not allowed",
    "patternProperties": "this property is not allowed",
    "additionalProperties": "no additional property is allowed",
    "propertyNames": "the property name {property!r} is not allowed",
    "anyOf": "should match at least one schema of anyOf",
    "oneOf": "should match exactly one schema of oneOf, not {matched}",
    "not": "should not match the schema of not",
}


def _message(loc: tuple[str | int, ...], keyword: str, ctx: dict[str, Any] | None) -> str:
    pointer = pointer_text(loc)
    where = f"at {pointer!r}" if pointer else "at the root"
    text = _MESSAGES.get(keyword, keyword).format(**(ctx or {}))
    return f"{where}: {text}"


def _make_core(plan: list[Any], native: bool) -> Any:
    if native:
        from ferrule._ferrule import JsonSchemaCore

        return JsonSchemaCore(plan, is_multiple)
    return PureSchema(plan)


class Schema:
    """A compiled JSON Schema. ``schema`` is a dict or a boolean, or its JSON text.

    ``core`` picks the validator: ``"native"`` (the default, unless ``FERRULE_PURE_PYTHON=1``)
    or ``"python"`` (the pure-Python twin: the same answers). A malformed schema raises
    `JSONSchemaError` naming the keyword and its JSON Pointer."""

    __slots__ = ("_core", "_plan", "schema", "title")

    def __init__(self, schema: Any, *, core: str | None = None) -> None:
        if isinstance(schema, _TEXT_TYPES):
            schema = loads(schema)
        if core is None:
            core = "python" if pure_python_requested() else "native"
        if core not in ("native", "python"):
            raise ValueError(f"core must be 'native' or 'python', not {core!r}")
        self.schema = schema
        title = schema.get("title") if type(schema) is dict else None
        self.title: str = title if type(title) is str else "JSON Schema"
        self._plan = compile_plan(schema)
        self._core = _make_core(self._plan, core == "native")

    @staticmethod
    def _value(doc: Any) -> Any:
        if isinstance(doc, _TEXT_TYPES):
            return loads(doc)
        return doc

    def is_valid(self, doc: Any) -> bool:
        """Whether ``doc`` (Python data as `loads` returns it, or JSON text) is valid."""
        return bool(self._core.is_valid(self._value(doc)))

    def _raw_errors(self, doc: Any) -> list[tuple[Any, ...]]:
        return list(self._core.errors(self._value(doc)))

    def errors(self, doc: Any) -> list[dict[str, Any]]:
        """Every error (not only the first) as a dict: ``loc``, ``pointer``, ``type`` (the
        keyword), ``msg``, ``input`` and ``ctx`` (when the keyword has context)."""
        out = []
        for loc, keyword, value, ctx in self._raw_errors(doc):
            item: dict[str, Any] = {
                "type": keyword,
                "loc": tuple(loc),
                "pointer": pointer_text(loc),
                "msg": _message(loc, keyword, ctx),
                "input": value,
            }
            if ctx:
                item["ctx"] = dict(ctx)
            out.append(item)
        return out

    def validate(self, doc: Any) -> Any:
        """``doc`` as Python data when valid; else a `ValidationError` listing every error."""
        value = self._value(doc)
        if self._core.is_valid(value):
            return value
        raw = [
            (tuple(loc), keyword, item, ctx, _message(loc, keyword, ctx))
            for loc, keyword, item, ctx in self._core.errors(value)
        ]
        raise ValidationError(self.title, raw)

    def to_model(self, name: str) -> type[Model]:
        """A ferrule Model class for this object schema (see `ferrule.json._schema_model`)."""
        from ferrule.json._schema_model import schema_to_model

        return schema_to_model(self.schema, name)

    def __repr__(self) -> str:
        return f"Schema({self.title!r})"


class JsonSchemaValidator(Schema):
    """The seed project's name: ``JsonSchemaValidator(schema).validate(text)``."""

    __slots__ = ()
