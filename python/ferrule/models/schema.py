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
    "ModelSchema",
    "Schema",
    "any_schema",
    "bool_schema",
    "bytes_schema",
    "collection_schema",
    "date_schema",
    "datetime_schema",
    "decimal_schema",
    "dict_schema",
    "enum_schema",
    "float_schema",
    "function_schema",
    "int_schema",
    "literal_schema",
    "model_ref_schema",
    "nullable_schema",
    "str_schema",
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
    alias: str | None
    schema: Schema
    required: bool
    default: NotRequired[Any]
    default_factory: NotRequired[Callable[[], Any]]
    frozen: bool
    exclude: bool
    messages: dict[str, str] | None
    secret: NotRequired[bool]  # hidden from repr, dumps and errors (see `fields.Field`)


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
    before_validators: list[Callable[[Any], Any]]
    after_validators: list[Callable[[Any], Any]]
    post_init: Callable[[Any, Any], None] | None


def _with(base: dict[str, Any], options: dict[str, Any]) -> Schema:
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
    return {"type": "enum", "cls": cls, "members": list(cls.__members__.values()), "strict": strict}  # type: ignore[attr-defined]


def literal_schema(expected: list[Any]) -> Schema:
    return {"type": "literal", "expected": list(expected)}


def any_schema() -> Schema:
    return {"type": "any"}


def nullable_schema(inner: Schema) -> Schema:
    return {"type": "nullable", "schema": inner}


def union_schema(choices: list[Schema], *, strict: bool = False) -> Schema:
    return {"type": "union", "choices": list(choices), "strict": strict}


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


def model_ref_schema(cls: type) -> Schema:
    """A nested model: validated by ``cls``'s own compiled validator, looked up when used, so
    self-referencing and forward-declared models need no special casing."""
    return {"type": "model", "cls": cls}


def function_schema(
    mode: Literal["before", "after", "plain"], function: Callable[[Any], Any], inner: Schema
) -> Schema:
    return {"type": f"function_{mode}", "function": function, "schema": inner}
