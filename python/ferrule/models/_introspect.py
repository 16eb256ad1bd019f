"""Annotations → schema, once per class. Anything ferrule cannot enforce is a `SchemaError`."""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ferrule.errors import SchemaError
from ferrule.models import _unions
from ferrule.models import schema as s
from ferrule.models._generics import typevar_type
from ferrule.models._signatures import takes_info
from ferrule.models._stdlib_types import stdlib_schema
from ferrule.models._structured import structured_schema
from ferrule.models.aliases import alias_paths
from ferrule.models.fields import (
    DECIMAL_OPTIONS,
    FLOAT_OPTIONS,
    LENGTH_OPTIONS,
    MISSING,
    NUMBER_OPTIONS,
    STRING_OPTIONS,
    FieldInfo,
)
from ferrule.models.functional_validators import _FunctionValidator
from ferrule.models.serializers import refuse_nested
from ferrule.models.unions import Discriminator

__all__ = ["build_type_schema", "check_constraints"]

_SCALARS: dict[Any, Callable[..., s.Schema]] = {
    int: s.int_schema,
    float: s.float_schema,
    str: s.str_schema,
    bool: s.bool_schema,
    bytes: s.bytes_schema,
    dt.datetime: s.datetime_schema,
    dt.date: s.date_schema,
    dt.time: s.time_schema,
    dt.timedelta: s.timedelta_schema,
    uuid.UUID: s.uuid_schema,
    Decimal: s.decimal_schema,
}

#: Which constraint options each schema tag can enforce.
_ALLOWED: dict[str, frozenset[str]] = {
    "int": frozenset(NUMBER_OPTIONS),
    "float": frozenset(NUMBER_OPTIONS + FLOAT_OPTIONS),
    "decimal": frozenset(NUMBER_OPTIONS + DECIMAL_OPTIONS),
    "str": frozenset(LENGTH_OPTIONS + STRING_OPTIONS),
    "bytes": frozenset(LENGTH_OPTIONS),
    "list": frozenset(LENGTH_OPTIONS),
    "tuple": frozenset(LENGTH_OPTIONS),
    "set": frozenset(LENGTH_OPTIONS),
    "frozenset": frozenset(LENGTH_OPTIONS),
    "dict": frozenset(LENGTH_OPTIONS),
}

_NOTHING: frozenset[str] = frozenset()
#: The constraints that are switches: ``False`` is the same as not given.
_FLAG_OPTIONS = frozenset({"email", "url", "strip_whitespace", "to_lower", "to_upper"})

_UNION_TYPES: tuple[Any, ...] = (typing.Union, types.UnionType)


def build_type_schema(
    annotation: Any,
    *,
    strict: bool,
    is_model: Callable[[Any], bool],
    where: str,
    arbitrary_types: bool = False,
) -> s.Schema:
    """Translate one annotation into a schema; `where` names the field for error messages.
    ``arbitrary_types`` (``arbitrary_types_allowed``): any other class is an isinstance check."""
    if type(annotation) is type:  # the common case first: a scalar (`int`, `str`), stdlib
        scalar = _SCALARS.get(annotation)  # classes that have no `__ferrule_type_schema__`
        if scalar is not None:
            return scalar(strict=strict)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)

    def sub(inner: Any) -> s.Schema:
        return build_type_schema(
            inner, strict=strict, is_model=is_model, where=where, arbitrary_types=arbitrary_types
        )

    if annotation is Any or annotation is object:
        return s.any_schema()
    if isinstance(annotation, typing.TypeVar):  # an open type variable of a generic model
        return sub(typevar_type(annotation))
    try:
        hash(annotation)
    except TypeError:  # typing.Callable[[int], int] and other aliases holding lists
        raise SchemaError(
            f"{where}: ferrule cannot validate the annotation {annotation!r}"
        ) from None
    own = getattr(annotation, "__ferrule_type_schema__", None)
    if own is not None:  # ferrule's own value types (SecretStr, AnyUrl, Json[T], ...)
        return own(strict=strict, sub=sub)  # type: ignore[no-any-return]
    if annotation in _SCALARS:
        return _SCALARS[annotation](strict=strict)
    if annotation is None or annotation is type(None):
        return s.literal_schema([None])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if not annotation.__members__:
            raise SchemaError(f"{where}: enum {annotation.__name__} has no members")
        return s.enum_schema(annotation, strict=strict)
    if isinstance(annotation, type) and is_model(annotation):
        return s.model_ref_schema(annotation)
    if origin is typing.Annotated:
        return _annotated_schema(
            annotation,
            strict=strict,
            is_model=is_model,
            where=where,
            arbitrary_types=arbitrary_types,
        )
    if origin is typing.Literal:
        for value in args:
            if not isinstance(value, (int, str, bytes, bool, enum.Enum, type(None))):
                raise SchemaError(f"{where}: unsupported Literal value {value!r}")
        return s.literal_schema(list(args))
    if origin in _UNION_TYPES:
        choices = [a for a in args if a is not type(None)]
        inner = (
            sub(choices[0])
            if len(choices) == 1
            else s.union_schema([sub(c) for c in choices], strict=strict)
        )
        return s.nullable_schema(inner) if len(choices) < len(args) else inner
    if annotation in (list, set, frozenset) or origin in (list, set, frozenset):
        kind = origin or annotation
        items = sub(args[0]) if args else s.any_schema()
        return s.collection_schema(kind.__name__, items, strict=strict)
    if annotation is tuple or origin is tuple:
        if not args and origin is tuple:  # `tuple[()]`: the empty tuple only
            return s.tuple_schema([], variadic=False, strict=strict)
        if not args:
            return s.tuple_schema([s.any_schema()], variadic=True, strict=strict)
        if len(args) == 2 and args[1] is Ellipsis:
            return s.tuple_schema([sub(args[0])], variadic=True, strict=strict)
        if args == ((),):
            return s.tuple_schema([], variadic=False, strict=strict)
        return s.tuple_schema([sub(a) for a in args], variadic=False, strict=strict)
    if annotation is dict or origin is dict:
        keys, values = (sub(args[0]), sub(args[1])) if args else (s.any_schema(), s.any_schema())
        return s.dict_schema(keys, values, strict=strict)
    known = stdlib_schema(annotation, origin, args, strict, sub)
    if known is None:
        known = structured_schema(annotation, sub, where)
    if known is not None:
        return known
    if isinstance(annotation, (str, typing.ForwardRef)):
        raise NameError(f"{where}: unresolved forward reference {annotation!r}")
    if arbitrary_types and isinstance(annotation, type):
        return s.is_instance_schema(annotation)
    raise SchemaError(f"{where}: ferrule cannot validate the annotation {annotation!r}")


def _typed(
    annotation: Any,
    info: FieldInfo,
    *,
    strict: bool,
    is_model: Callable[[Any], bool],
    where: str,
    arbitrary_types: bool = False,
) -> s.Schema:
    """`build_type_schema`, or a union with ``discriminator``/``union_mode`` (see `_unions`)."""
    if info.discriminator is None and info.union_mode is None:
        return build_type_schema(
            annotation,
            strict=strict,
            is_model=is_model,
            where=where,
            arbitrary_types=arbitrary_types,
        )

    def build(inner: Any) -> s.Schema:
        return build_type_schema(
            inner, strict=strict, is_model=is_model, where=where, arbitrary_types=arbitrary_types
        )

    return _unions.union_options_schema(annotation, info, build, where)


def check_constraints(schema: s.Schema, info: FieldInfo, where: str) -> s.Schema:
    """Attach `info`'s constraints to `schema`, refusing any the type cannot enforce."""
    constraints = info.constraints
    if not constraints:
        return schema
    target = schema["schema"] if schema["type"] == "nullable" else schema
    tag = target["type"]
    allowed = _ALLOWED.get(tag, _NOTHING)
    if not allowed.issuperset(constraints):
        refused = constraints.keys() - allowed
        raise SchemaError(
            f"{where}: {', '.join(sorted(refused))} cannot be enforced on a {tag} field"
        )
    for key, value in constraints.items():
        _check_option(key, value, where)
    if len(constraints) > 1:  # the pairs that exclude each other
        if constraints.get("to_lower") and constraints.get("to_upper"):
            raise SchemaError(f"{where}: to_lower and to_upper exclude each other")
        if constraints.get("email") and constraints.get("url"):
            raise SchemaError(f"{where}: email and url exclude each other")
    if False in constraints.values():  # (0 too: the filter below tells them apart)
        constraints = {
            key: value
            for key, value in constraints.items()
            if value is not False or key not in _FLAG_OPTIONS
        }
    target.update(constraints)
    return schema


def _check_option(key: str, value: Any, where: str) -> None:
    if key in ("min_length", "max_length", "max_digits", "decimal_places"):
        if type(value) is not int or value < 0:
            raise SchemaError(f"{where}: {key} must be a non-negative int, not {value!r}")
    elif key in NUMBER_OPTIONS:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise SchemaError(f"{where}: {key} must be a number, not {value!r}")
        if value != value:
            raise SchemaError(f"{where}: {key} must not be NaN")
        if key == "multiple_of" and value <= 0:
            raise SchemaError(f"{where}: multiple_of must be positive, not {value!r}")
    elif key == "pattern":
        if not isinstance(value, str):
            raise SchemaError(f"{where}: pattern must be a string, not {value!r}")
        try:
            re.compile(value)
        except re.error as exc:
            raise SchemaError(f"{where}: pattern {value!r} is not a valid regex: {exc}") from exc
    elif not isinstance(value, bool):
        raise SchemaError(f"{where}: {key} must be True or False, not {value!r}")


def build_field_schema(
    name: str,
    annotation: Any,
    info: FieldInfo,
    *,
    strict: bool,
    is_model: Callable[[Any], bool],
    where: str,
    validators: list[tuple[str, Callable[[Any], Any]]],
    arbitrary_types: bool = False,
    validate_default: bool = False,
    own_constraints: Callable[..., Mapping[str, Any]] | None = None,
) -> s.FieldSchema:
    """One field: its type schema with constraints, user validators, default and options.
    ``own_constraints`` gives, for the type's schema tag, the bounds the field's storage
    holds (an ORM integer column's range): added to the user's, the tighter bound kept."""
    field_strict = strict if info.strict is None else info.strict
    schema = _typed(
        annotation,
        info,
        strict=field_strict,
        is_model=is_model,
        where=where,
        arbitrary_types=arbitrary_types,
    )
    if info.constraints:
        schema = check_constraints(schema, info, where)
    if own_constraints is not None:
        schema = _tightened(schema, own_constraints, where)
    own_validators = info.own_validators()
    for mode, function in [*validators, *own_validators] if own_validators else validators:
        takes = takes_info(function, mode, where)
        schema = s.function_schema(mode, function, schema, info=takes)  # type: ignore[arg-type]
    required = info.required
    field: s.FieldSchema = {
        "name": name,
        "alias": None,
        "schema": schema,
        "required": required,
        "frozen": info.frozen,
        "exclude": info.exclude,
        "messages": dict(info.error_messages) if info.error_messages else None,
    }
    if info.validation_alias is not None or info.serialization_alias is not None:
        _aliases(field, info, where)
    if info.secret:
        field["secret"] = True
    if info.default_factory is not None:
        field["default_factory"] = info.default_factory
    elif not required:
        field["default"] = info.default
    if not required and (
        info.validate_default if info.validate_default is not None else validate_default
    ):
        field["validate_default"] = True
    return field


def _tightened(
    schema: s.Schema, own_constraints: Callable[..., Mapping[str, Any]], where: str
) -> s.Schema:
    """``schema`` with the lower (``ge``) and upper (``le``) bounds ``own_constraints`` gives
    for its tag (a bound the schema has already stays where it is tighter), and its
    ``allow_inf_nan``. It is given the schema too (the storage may follow the user's bounds)
    and ``where`` (to name the field in its errors)."""
    nullable = schema["type"] == "nullable"
    target: Any = schema["schema"] if nullable else schema
    bounds = own_constraints(target["type"], target, where)
    if not bounds:
        return schema
    target = dict(target)
    if "allow_inf_nan" in bounds:
        target["allow_inf_nan"] = bounds["allow_inf_nan"]
    for key, pick in (("ge", max), ("le", min)):
        if key in bounds:
            given = target.get(key)
            target[key] = bounds[key] if given is None else pick(given, bounds[key])
    return {**schema, "schema": target} if nullable else target


def _aliases(field: s.FieldSchema, info: FieldInfo, where: str) -> None:
    """The input key (``alias``) or paths (``validation_alias``) and the output key of by-alias
    dumps (``serialization_alias``, written when it is not the input key)."""
    validation = info.validation_alias
    if isinstance(validation, str):
        if not validation:
            raise SchemaError(f"{where}: validation_alias must be a non-empty str")
        field["alias"] = validation
    elif validation is not None:
        field["validation_alias"] = alias_paths(validation, where)
    if info.serialization_alias != field["alias"]:
        field["serialization_alias"] = info.serialization_alias


def annotated_field_info(annotation: Any, where: str) -> tuple[Any, FieldInfo | None]:
    """Split ``Annotated[T, ...]`` into ``T`` and one `FieldInfo` merging, in order, the
    ``Field()`` declarations and annotated_types constraints it carries (None: there are none).
    Other metadata (strings, the user's own objects) is not ferrule's and stays ignored."""
    base, info, _ = annotated_parts(annotation, where)
    return base, info


def annotated_parts(
    annotation: Any, where: str
) -> tuple[Any, FieldInfo | None, list[tuple[str, Callable[[Any], Any]]]]:
    """`annotated_field_info`, and the ``(mode, function)`` of the ``AfterValidator``-style
    metadata, in the order written."""
    if isinstance(annotation, type) or typing.get_origin(annotation) is not typing.Annotated:
        return annotation, None, []
    base, *extras = typing.get_args(annotation)
    info: FieldInfo | None = None
    validators: list[tuple[str, Callable[[Any], Any]]] = []
    for extra in extras:
        if isinstance(extra, _FunctionValidator):
            validators.append(_function_validator(extra, where))
            continue
        found = _metadata_info(extra, where)
        if found is not None:
            info = found if info is None else info.merged(found)
    return base, info, validators


def _function_validator(extra: _FunctionValidator, where: str) -> tuple[str, Callable[[Any], Any]]:
    takes_info(extra.func, extra.mode, f"{where}: {type(extra).__name__}")  # refuses bad ones
    return extra.mode, extra.func


#: annotated_types classes ferrule enforces → the constraint each one sets (its attribute too).
_ANNOTATED_TYPES = {
    "Gt": "gt",
    "Ge": "ge",
    "Lt": "lt",
    "Le": "le",
    "MultipleOf": "multiple_of",
    "MinLen": "min_length",
    "MaxLen": "max_length",
}
#: annotated_types classes that document and never constrain.
_ANNOTATED_TYPES_DOCS = frozenset({"Doc", "DocInfo"})


def _metadata_info(extra: Any, where: str) -> FieldInfo | None:
    """One ``Annotated`` metadata object as a `FieldInfo`, or None when it is not a constraint.

    annotated_types is recognised by the module its classes come from, so ferrule never imports
    it; its groups (``Interval``, ``Len``, the user's own) are read member by member."""
    if isinstance(extra, FieldInfo):
        return extra
    if isinstance(extra, Discriminator):
        return FieldInfo(discriminator=extra)
    if getattr(type(extra), "__is_annotated_types_grouped_metadata__", False):
        info = FieldInfo()
        for member in extra:
            found = _metadata_info(member, where)
            if found is not None:
                info = info.merged(found)
        return info
    name = next(
        (k.__name__ for k in type(extra).__mro__ if k.__module__ == "annotated_types"), None
    )
    if name is None or name in _ANNOTATED_TYPES_DOCS:
        return None
    key = _ANNOTATED_TYPES.get(name)
    if key is None:
        raise SchemaError(f"{where}: ferrule cannot enforce the annotated_types {extra!r}")
    return FieldInfo(**{key: getattr(extra, key)})


#: `Field()` options that belong to a field, never to a type nested inside one.
_FIELD_ONLY = (
    "default",
    "default_factory",
    "alias",
    "validation_alias",
    "serialization_alias",
    "title",
    "description",
    "examples",
    "frozen",
    "exclude",
    "error_messages",
    "secret",
    "json_schema_extra",
    "validate_default",
)


def _annotated_schema(
    annotation: Any,
    *,
    strict: bool,
    is_model: Callable[[Any], bool],
    where: str,
    arbitrary_types: bool = False,
) -> s.Schema:
    """``Annotated[T, ...]`` nested inside a field's type: ``T`` with the constraints (and the
    ``strict`` flag) its metadata declares attached to ``T``'s own schema."""
    refuse_nested(typing.get_args(annotation)[1:], where)
    base, info, validators = annotated_parts(annotation, where)
    if info is not None:
        for option in _FIELD_ONLY:
            value = getattr(info, option)
            if value is not MISSING and value is not None and value is not False:
                raise SchemaError(
                    f"{where}: Field({option}=...) means nothing inside a type; "
                    "declare it on the field itself"
                )
        if info.strict is not None:
            strict = info.strict
    if info is None:
        schema = build_type_schema(
            base, strict=strict, is_model=is_model, where=where, arbitrary_types=arbitrary_types
        )
    else:
        schema = _typed(
            base,
            info,
            strict=strict,
            is_model=is_model,
            where=where,
            arbitrary_types=arbitrary_types,
        )
        schema = check_constraints(schema, info, where)
    for mode, function in validators:
        takes = takes_info(function, mode, where)
        schema = s.function_schema(mode, function, schema, info=takes)  # type: ignore[arg-type]
    return schema
