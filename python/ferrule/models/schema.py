"""Schemas as typed data: what `_introspect` produces from a class and both cores consume.

A schema is a plain dict tagged by ``"type"``. The native core (`ferrule._ferrule.SchemaValidator`)
and the pure-Python twin (`ferrule.models._pure`) read exactly these keys, so anything a core needs
must be written here explicitly (strictness is resolved per leaf, never inherited at run time).
The validation rules behind each tag are documented in ``docs/validation.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypedDict

from typing_extensions import NotRequired

__all__ = [
    "ExtraBehavior",
    "FieldSchema",
    "ModelHook",
    "ModelSchema",
    "Schema",
    "any_schema",
    "bool_schema",
    "bytes_schema",
    "collection_schema",
    "convert_schema",
    "date_schema",
    "datetime_schema",
    "decimal_schema",
    "dict_schema",
    "enum_schema",
    "float_schema",
    "function_schema",
    "int_schema",
    "is_instance_schema",
    "literal_schema",
    "model_ref_schema",
    "nullable_schema",
    "str_schema",
    "tagged_union_schema",
    "time_schema",
    "timedelta_schema",
    "tuple_schema",
    "union_schema",
    "uuid_schema",
]

ExtraBehavior = Literal["ignore", "forbid", "allow"]

# Every schema is a dict with at least "type"; the TypedDicts below document each shape.
Schema = dict[str, Any]


class NumberBounds(TypedDict, total=False):
    gt: Any
    ge: Any
    lt: Any
    le: Any
    multiple_of: Any


class IntSchema(NumberBounds):
    type: Literal["int"]
    strict: bool


class FloatSchema(NumberBounds):
    type: Literal["float"]
    strict: bool
    allow_inf_nan: bool


class DecimalSchema(NumberBounds):
    type: Literal["decimal"]
    strict: bool
    max_digits: NotRequired[int]
    decimal_places: NotRequired[int]


class StrSchema(TypedDict):
    type: Literal["str"]
    strict: bool
    min_length: NotRequired[int]
    max_length: NotRequired[int]
    pattern: NotRequired[str]
    email: NotRequired[bool]
    url: NotRequired[bool]
    strip_whitespace: NotRequired[bool]
    to_lower: NotRequired[bool]
    to_upper: NotRequired[bool]


class FieldSchema(TypedDict):
    """One model field. ``default``/``default_factory`` are absent when the field is required."""

    name: str
    alias: str | None  # the input key (`validation_alias` as a str, or `alias`)
    #: where input is read from when not one key: paths (str, then str and int items), in order
    validation_alias: NotRequired[list[list[str | int]]]
    #: the key of by-alias dumps when it is not ``alias`` (None: the name)
    serialization_alias: NotRequired[str | None]
    schema: Schema
    required: bool
    default: NotRequired[Any]
    default_factory: NotRequired[Callable[[], Any]]
    frozen: bool
    exclude: bool
    messages: dict[str, str] | None
    secret: NotRequired[bool]  # hidden from repr, dumps and errors (see `fields.Field`)
    validate_default: NotRequired[bool]  # the default goes through ``schema`` when used


class ModelHook(TypedDict):
    """A model validator that takes a `ValidationInfo` or a handler (a plain one is the bare
    function): ``mode`` "before", "after" or "wrap"."""

    mode: Literal["before", "after", "wrap"]
    function: Callable[..., Any]
    info: bool


class ModelSchema(TypedDict):
    """A model class's own compiled schema (``cls.__ferrule_schema__``)."""

    type: Literal["model"]
    cls: type
    name: str
    fields: list[FieldSchema]
    extra: ExtraBehavior
    strict: bool
    frozen: bool
    populate_by_name: bool
    from_attributes: NotRequired[bool]
    #: field/model serializers and computed fields (`ferrule.models.serializers`)
    serializers: NotRequired[dict[str, Any]]
    validate_assignment: bool
    #: each a function of the data, or a `ModelHook` (one taking info)
    before_validators: list[Callable[[Any], Any] | ModelHook]
    #: the outer layers in declaration order: after-validators and wrap validators
    after_validators: list[Callable[[Any], Any] | ModelHook]
    #: what `ValidationInfo.config` gives the model's validators
    config: NotRequired[dict[str, Any]]
    #: a function in a field's type takes info: the cores keep the field's frame
    field_info: NotRequired[bool]
    post_init: Callable[[Any, Any], None] | None
    # model options read by the cores (absent: pydantic's defaults)
    revalidate_instances: NotRequired[Literal["never", "always", "subclass-instances"]]
    ser_json_timedelta: NotRequired[Literal["iso8601", "float"]]
    ser_json_bytes: NotRequired[Literal["utf8", "base64", "hex"]]
    ser_json_inf_nan: NotRequired[Literal["null", "constants", "strings"]]
    root: NotRequired[bool]  # a RootModel: the one field ``root`` is the whole input/output
    generic_origin: NotRequired[type]  # ``Page`` of ``Page[int]``: its instances revalidated
    #: private attributes with a default: ``{"name", "default" | "default_factory"}``, set on
    #: every new instance
    private: NotRequired[list[dict[str, Any]]]


def _with(base: dict[str, Any], options: dict[str, Any]) -> Schema:
    if options:
        base.update({key: value for key, value in options.items() if value is not None})
    return base


def int_schema(*, strict: bool = False, **bounds: Any) -> Schema:
    return _with({"type": "int", "strict": strict}, bounds)


def float_schema(*, strict: bool = False, allow_inf_nan: bool = True, **bounds: Any) -> Schema:
    return _with({"type": "float", "strict": strict, "allow_inf_nan": allow_inf_nan}, bounds)


def decimal_schema(*, strict: bool = False, **options: Any) -> Schema:
    return _with({"type": "decimal", "strict": strict}, options)


def str_schema(*, strict: bool = False, **options: Any) -> Schema:
    return _with({"type": "str", "strict": strict}, options)


def bool_schema(*, strict: bool = False) -> Schema:
    return {"type": "bool", "strict": strict}


def bytes_schema(*, strict: bool = False, **options: Any) -> Schema:
    return _with({"type": "bytes", "strict": strict}, options)


def datetime_schema(*, strict: bool = False) -> Schema:
    return {"type": "datetime", "strict": strict}


def date_schema(*, strict: bool = False) -> Schema:
    return {"type": "date", "strict": strict}


def time_schema(*, strict: bool = False) -> Schema:
    return {"type": "time", "strict": strict}


def timedelta_schema(*, strict: bool = False) -> Schema:
    return {"type": "timedelta", "strict": strict}


def uuid_schema(*, strict: bool = False) -> Schema:
    return {"type": "uuid", "strict": strict}


def enum_schema(cls: type, *, strict: bool = False) -> Schema:
    members = list(cls.__members__.values())  # type: ignore[attr-defined]
    schema: Schema = {"type": "enum", "cls": cls, "members": members, "strict": strict}
    # the builtin type mixed in decides how text is read as a value (pydantic: "2" for IntEnum)
    mixin = next((t.__name__ for t in (int, float, str) if issubclass(cls, t)), None)
    if mixin is not None:
        schema["mixin"] = mixin
    return schema


def literal_schema(expected: list[Any]) -> Schema:
    return {"type": "literal", "expected": list(expected)}


def any_schema() -> Schema:
    return {"type": "any"}


def nullable_schema(inner: Schema) -> Schema:
    return {"type": "nullable", "schema": inner}


def union_schema(
    choices: list[Schema],
    *,
    strict: bool = False,
    mode: Literal["smart", "left_to_right"] = "smart",
) -> Schema:
    """``mode="left_to_right"``: the first choice that validates wins (else pydantic's smart
    ranking); the key is written only when it is not the default."""
    out: Schema = {"type": "union", "choices": list(choices), "strict": strict}
    if mode != "smart":
        out["mode"] = mode
    return out


def tagged_union_schema(
    choices: list[Schema],
    discriminator: list[str] | Callable[[Any], Any],
    tags: list[tuple[Any, int, str | int]],
    *,
    discriminator_text: str,
    expected_tags: str,
) -> Schema:
    """A discriminated union. ``discriminator``: the keys (or attributes) the tag is read
    from, first found wins, or a function of the input that returns the tag (None: no tag).
    ``tags``: ``(tag, choice index, location step)``, matched as dict keys. The two texts are
    the error contexts pydantic writes (``"'kind'"``, ``"'cat', 'dog'"``)."""
    return {
        "type": "tagged_union",
        "choices": list(choices),
        "discriminator": list(discriminator) if isinstance(discriminator, list) else discriminator,
        "tags": [tuple(tag) for tag in tags],
        "discriminator_text": discriminator_text,
        "expected_tags": expected_tags,
    }


def collection_schema(
    kind: Literal["list", "set", "frozenset"],
    items: Schema,
    *,
    strict: bool = False,
    **options: Any,
) -> Schema:
    return _with({"type": kind, "items": items, "strict": strict}, options)


def tuple_schema(
    items: list[Schema], *, variadic: bool, strict: bool = False, **options: Any
) -> Schema:
    return _with(
        {"type": "tuple", "items": list(items), "variadic": variadic, "strict": strict}, options
    )


def dict_schema(keys: Schema, values: Schema, *, strict: bool = False, **options: Any) -> Schema:
    return _with({"type": "dict", "keys": keys, "values": values, "strict": strict}, options)


def is_instance_schema(cls: type) -> Schema:
    """``arbitrary_types_allowed``: any instance of ``cls`` as it is (Python input only)."""
    return {"type": "is_instance", "cls": cls}


def model_ref_schema(cls: type) -> Schema:
    """A nested model: validated by ``cls``'s own compiled validator, looked up when used, so
    self-referencing and forward-declared models need no special casing."""
    return {"type": "model", "cls": cls}


def convert_schema(
    cls: type | None,
    function: Callable[..., Any],
    error: str,
    *,
    strict: bool = False,
    instance_strict: bool = False,
    inner: Schema | None = None,
    json_schema: dict[str, Any] | None = None,
) -> Schema:
    """A value type ferrule does not parse itself: an instance of ``cls`` is kept; anything else
    goes through ``inner`` (if given), then ``function``, whose ``ValueError`` or ``TypeError``
    is an ``error`` line (with ``instance_strict``, strict mode takes only an instance from
    Python). ``json_schema`` is what JSON Schema says of it."""
    schema: Schema = {"type": "convert", "cls": cls, "function": function, "error": error}
    schema["strict"] = strict
    schema["instance_strict"] = instance_strict
    if inner is not None:
        schema["schema"] = inner
    if json_schema is not None:
        schema["json_schema"] = json_schema
    return schema


def function_schema(
    mode: Literal["before", "after", "plain", "wrap"],
    function: Callable[..., Any],
    inner: Schema,
    *,
    info: bool = False,
) -> Schema:
    """A user function around ``inner``; ``info``: it also takes a `ValidationInfo` (last)."""
    out: Schema = {"type": f"function_{mode}", "function": function, "schema": inner}
    if info:
        out["info"] = True
    return out
