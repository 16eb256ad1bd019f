"""``TypedDict``, ``NamedTuple`` and stdlib dataclasses as field types: their fields validated one
by one, as a model's are, then given back as the dict, tuple or dataclass instance.

Each class is compiled into a private slotted class with a model schema (fields from its type
hints), so both cores validate it exactly as a nested model, from dicts and from JSON; a
``convert`` step then builds the user's own value. Once per class, as all introspection.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from typing import Any

from ferrule.errors import SchemaError, ValidationError
from ferrule.models import schema as s
from ferrule.models.fields import FieldInfo

__all__ = ["structured_schema"]

_ABSENT: Any = type("_Absent", (), {"__repr__": lambda self: "<absent>"})()


def _absent() -> Any:
    return _ABSENT


def _is_typed_dict(annotation: Any) -> bool:
    return isinstance(annotation, type) and hasattr(annotation, "__required_keys__")


def _is_named_tuple(annotation: Any) -> bool:
    return (
        isinstance(annotation, type)
        and issubclass(annotation, tuple)
        and hasattr(annotation, "_fields")
    )


def _line(error_type: str, value: Any, ctx: dict[str, Any] | None = None) -> ValidationError:
    return ValidationError("", [((), error_type, value, ctx, None)])


_Field = tuple[str, Any, bool, Any, "Callable[[], Any] | None"]


def _shadow(
    name: str,
    fields: list[_Field],
    sub: Callable[[Any], s.Schema],
) -> s.Schema:
    """A model schema over a private slotted class: ``(name, annotation, required, default,
    default_factory)`` per field."""
    names = [field[0] for field in fields]
    cls: Any = type(name, (), {"__slots__": tuple(names), "__module__": __name__})
    out: list[s.FieldSchema] = []
    infos: dict[str, FieldInfo] = {}
    for field_name, annotation, required, default, factory in fields:
        field: s.FieldSchema = {
            "name": field_name,
            "alias": None,
            "schema": sub(annotation),
            "required": required,
            "frozen": False,
            "exclude": False,
            "messages": None,
        }
        if factory is not None:
            field["default_factory"] = factory
        elif not required:
            field["default"] = default
        out.append(field)
        infos[field_name] = (
            FieldInfo() if factory is not None or required else FieldInfo(default=default)
        )
    schema: s.Schema = {
        "type": "model",
        "cls": cls,
        "name": name,
        "fields": out,
        "extra": "ignore",
        "strict": False,
        "frozen": False,
        "populate_by_name": False,
        "validate_assignment": False,
        "before_validators": [],
        "after_validators": [],
        "post_init": None,
    }
    cls.__ferrule_schema__ = schema
    cls.model_fields = infos  # read by JSON Schema
    return s.model_ref_schema(cls)


def _hints(cls: Any, where: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except NameError as exc:
        raise NameError(f"{where}: {cls.__name__}: {exc}") from None


def _required_mark(annotation: Any) -> tuple[Any, bool | None]:
    """``Required[T]``/``NotRequired[T]`` → ``(T, True/False)``; anything else ``(it, None)``.
    Read from the evaluated hints: with ``from __future__ import annotations`` the class's own
    ``__required_keys__`` cannot see them (pydantic reads the hints too)."""
    origin = typing.get_origin(annotation)
    name = getattr(origin, "_name", None) or repr(origin).rsplit(".", 1)[-1]
    if name in ("Required", "NotRequired"):
        return typing.get_args(annotation)[0], name == "Required"
    return annotation, None


def _typed_dict(cls: Any, sub: Callable[[Any], s.Schema], where: str) -> s.Schema:
    hints = _hints(cls, where)
    fields: list[_Field] = []
    for name, hint in hints.items():
        inner, marked = _required_mark(hint)
        required = name in cls.__required_keys__ if marked is None else marked
        fields.append((name, inner, required, None, None if required else _absent))
    names = list(hints)

    def check(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _line("dict_type", value)
        return value

    def to_dict(instance: Any) -> dict[str, Any]:
        values = ((name, getattr(instance, name)) for name in names)
        return {name: item for name, item in values if item is not _ABSENT}

    inner = _shadow(cls.__name__, fields, sub)
    return s.function_schema(
        "before", check, s.convert_schema(None, to_dict, "dict_type", inner=inner)
    )


def _named_tuple(cls: Any, sub: Callable[[Any], s.Schema], where: str) -> s.Schema:
    hints = _hints(cls, where)
    names: tuple[str, ...] = cls._fields
    defaults: dict[str, Any] = cls._field_defaults
    fields: list[_Field] = [
        (name, hints.get(name, Any), name not in defaults, defaults.get(name), None)
        for name in names
    ]

    def by_name(value: Any) -> Any:
        if isinstance(value, cls):
            return value._asdict()
        if isinstance(value, (tuple, list)):
            if len(value) > len(names):
                ctx = {"field_type": "NamedTuple", "max_length": len(names)}
                ctx["actual_length"] = len(value)
                raise _line("too_long", value, ctx)
            return dict(zip(names, value, strict=False))
        if isinstance(value, Mapping):
            return value
        raise _line("named_tuple_type", value, {"class_name": cls.__name__})

    def build(instance: Any) -> Any:
        return cls(*(getattr(instance, name) for name in names))

    inner = _shadow(cls.__name__, fields, sub)
    convert = s.convert_schema(None, build, "named_tuple_type", inner=inner)
    # JSON Schema writes it as pydantic does: an array of the fields by position
    convert["named_tuple"] = [
        (name, sub(hint), required, default) for name, hint, required, default, _ in fields
    ]
    return s.function_schema("before", by_name, convert)


def _dataclass(cls: Any, sub: Callable[[Any], s.Schema], where: str) -> s.Schema:
    hints = _hints(cls, where)
    fields: list[_Field] = []
    init_names = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        init_names.append(field.name)
        factory = None if field.default_factory is dataclasses.MISSING else field.default_factory
        has_default = field.default is not dataclasses.MISSING
        required = factory is None and not has_default
        fields.append((field.name, hints.get(field.name, Any), required, field.default, factory))

    def check(value: Any) -> Any:
        if isinstance(value, (cls, Mapping)):
            return value
        raise _line("dataclass_type", value, {"class_name": cls.__name__})

    def build(instance: Any) -> Any:
        return cls(**{name: getattr(instance, name) for name in init_names})

    inner = _shadow(cls.__name__, fields, sub)
    convert = s.convert_schema(cls, build, "dataclass_type", inner=inner)
    return s.function_schema("before", check, convert)


def structured_schema(
    annotation: Any, sub: Callable[[Any], s.Schema], where: str
) -> s.Schema | None:
    """The schema of a TypedDict, NamedTuple or dataclass class, else None."""
    if _is_typed_dict(annotation):
        return _typed_dict(annotation, sub, where)
    if _is_named_tuple(annotation):
        return _named_tuple(annotation, sub, where)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        if hasattr(annotation, "__pydantic_fields__"):
            raise SchemaError(f"{where}: a pydantic dataclass is not a ferrule type")
        return _dataclass(annotation, sub, where)
    return None
