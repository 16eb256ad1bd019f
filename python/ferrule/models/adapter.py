"""`TypeAdapter`: validation and dumps for any supported type, not only a model's fields
(``TypeAdapter(list[User])``, ``TypeAdapter(Annotated[int, Field(gt=0)])``), with pydantic
v2's names. The type is compiled once, into the same validator a model field would get."""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, Generic, Literal, TypeVar, overload

from ferrule.errors import SchemaError
from ferrule.models._core import SchemaValidator
from ferrule.models._introspect import build_type_schema
from ferrule.models._resolve import evaluate
from ferrule.models.base import ConfigDict, _is_model
from ferrule.models.json_schema import type_json_schema

__all__ = ["TypeAdapter"]

T = TypeVar("T")
IncEx = set[int] | set[str] | dict[int, Any] | dict[str, Any]


_APPLIED_CONFIG = frozenset({"strict", "arbitrary_types_allowed"})


def _check_config(config: Mapping[str, Any], where: str) -> None:
    """Refuse a config key the adapter would not apply (unless it is at its default): a
    silently ignored `str_to_lower` would give other answers than pydantic's."""
    ignored = sorted(
        k for k, v in config.items() if k not in _APPLIED_CONFIG and v not in (None, False)
    )
    if ignored:
        raise SchemaError(
            f"{where}: config {', '.join(map(repr, ignored))} is not applied by TypeAdapter "
            f"(it applies {', '.join(sorted(_APPLIED_CONFIG))}); set it on a model instead"
        )


class TypeAdapter(Generic[T]):
    """Validate and dump values of ``type_`` (a model, a container of models, a union, an
    ``Annotated`` type with constraints, ...). A string is a forward reference, resolved in
    the caller's names now."""

    __slots__ = ("_schema", "_type", "_validator")

    @overload
    def __init__(self, type_: type[T], *, config: ConfigDict | None = None) -> None: ...

    @overload
    def __init__(self, type_: Any, *, config: ConfigDict | None = None) -> None: ...

    def __init__(self, type_: Any, *, config: ConfigDict | None = None) -> None:
        if config is not None and not isinstance(config, dict):
            raise TypeError(f"config must be a ConfigDict, not {type(config).__name__}")
        strict = bool((config or {}).get("strict", False))
        if isinstance(type_, str):
            caller = sys._getframe(1)
            type_ = evaluate(type_, caller.f_globals, caller.f_locals)
        where = f"TypeAdapter({_name(type_)})"
        _check_config(config or {}, where)
        try:
            schema = build_type_schema(
                type_,
                strict=strict,
                is_model=_is_model,
                where=where,
                arbitrary_types=bool((config or {}).get("arbitrary_types_allowed", False)),
            )
        except NameError as exc:
            raise SchemaError(f"{where}: {exc}") from exc
        self._type = type_
        self._schema: Any = schema
        self._validator = SchemaValidator(schema, _name(type_))

    def __repr__(self) -> str:
        return f"TypeAdapter({_name(self._type)})"

    # --- validation ---------------------------------------------------------------------

    def validate_python(
        self,
        obj: Any,
        /,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
    ) -> T:
        """``obj`` validated (and converted, in lax mode) as the type; ``from_attributes``:
        models in it read objects through their attributes; ``context``: what validators
        taking info find in ``info.context``."""
        value: T = self._validator.validate_python(
            obj, strict=strict, from_attributes=from_attributes, context=context
        )
        return value

    def validate_json(
        self,
        data: str | bytes | bytearray | memoryview,
        /,
        *,
        strict: bool | None = None,
        context: Any = None,
    ) -> T:
        """The JSON document ``data`` validated as the type."""
        value: T = self._validator.validate_json(data, strict=strict, context=context)
        return value

    def validate_strings(
        self, obj: Any, /, *, strict: bool | None = None, context: Any = None
    ) -> T:
        """``obj`` whose leaves are strings (query parameters, environment values): validated
        in lax mode, where ``"3"`` is an int and ``"2024-01-02"`` a date."""
        if strict:
            raise SchemaError("validate_strings() reads strings by the lax rules: strict=True")
        value: T = self._validator.validate_python(obj, strict=False, context=context, strings=True)
        return value

    # --- output -------------------------------------------------------------------------

    def dump_python(
        self,
        instance: T,
        /,
        *,
        mode: Literal["python", "json"] = "python",
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> Any:
        """``instance`` as plain Python data (``mode="json"``: only JSON types); ``context``
        reaches the serializers' ``info.context``."""
        return self._validator.to_python(
            instance,
            mode=mode,
            by_alias=by_alias,
            exclude_none=exclude_none,
            include=include,
            exclude=exclude,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            round_trip=round_trip,
            context=context,
        )

    def dump_json(
        self,
        instance: T,
        /,
        *,
        indent: int | None = None,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        round_trip: bool = False,
        context: Any = None,
    ) -> bytes:
        """``instance`` as JSON bytes (``context`` as in `dump_python`)."""
        return self._validator.to_json(
            instance,
            by_alias=by_alias,
            exclude_none=exclude_none,
            include=include,
            exclude=exclude,
            indent=indent,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            round_trip=round_trip,
            context=context,
        )

    def json_schema(
        self,
        *,
        by_alias: bool = True,
        ref_template: str = "#/$defs/{model}",
        mode: Literal["validation", "serialization"] = "validation",
    ) -> dict[str, Any]:
        """JSON Schema (draft 2020-12) of the type; models and enums under ``$defs``."""
        return type_json_schema(
            self._schema, by_alias=by_alias, ref_template=ref_template, mode=mode
        )


def _name(type_: Any) -> str:
    """The type as it is written (``list[User]``, ``int | None``): the errors' title."""
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if origin is typing.Annotated:
        return _name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_name(arg) for arg in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(arg) for arg in args)}]"
    if origin is not None:
        base = getattr(origin, "__name__", None) or repr(origin).replace("typing.", "")
        inner = ", ".join("..." if arg is Ellipsis else _name(arg) for arg in args)
        return f"{base}[{inner}]"
    if type_ is None or type_ is type(None):
        return "None"
    if isinstance(type_, type):
        return type_.__name__
    return repr(type_).replace("typing.", "")
