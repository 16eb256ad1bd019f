"""The pure-Python twin of the native `ModelBase` (selected by ``FERRULE_PURE_PYTHON=1``)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ModelBase",
    "bound_class_method",
    "force_setattr",
    "install_fast_call",
    "keep_gc_tracked",
    "new_instance",
    "remove_fast_call",
]

new_instance = object.__new__
force_setattr = object.__setattr__
install_fast_call = None
remove_fast_call = None
bound_class_method = None


def keep_gc_tracked(instance: Any, value: Any) -> None:
    """Nothing to do: the pure core's instances are always tracked by the collector."""


def _validator(cls: Any) -> Any:
    return cls.__dict__.get("__ferrule_validator__") or cls.__ferrule_complete__()


class ModelBase:
    """Pure-Python twin of the native base: construction and assignment validate."""

    __slots__ = ()

    def __new__(cls, /, *args: Any, **data: Any) -> Any:
        if "__ferrule_root__" in cls.__dict__:
            raise TypeError(f"{cls.__name__} is abstract: subclass it and declare fields")
        validator = _validator(cls)  # a class with unresolved forward references fails here
        if args and cls.__init__ is ModelBase.__init__:
            raise TypeError(f"{cls.__name__}() takes keyword arguments only")
        return validator.new_instance()

    def __init__(self, /, *args: Any, **data: Any) -> None:
        if args:
            raise TypeError(f"{type(self).__name__}() takes keyword arguments only")
        _validator(type(self)).init_instance(self, data)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        type(self).__ferrule_validator__.validate_assignment(self, name, value)  # type: ignore[attr-defined]

    def __delattr__(self, name: str) -> None:
        if name in type(self).model_fields:  # type: ignore[attr-defined]
            raise AttributeError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
    ) -> Any:
        return _validator(cls).validate_python(
            obj, strict=strict, from_attributes=from_attributes, context=context
        )

    @classmethod
    def model_validate_json(
        cls, data: Any, *, strict: bool | None = None, context: Any = None
    ) -> Any:
        return _validator(cls).validate_json(data, strict=strict, context=context)

    def model_dump(self, **options: Any) -> Any:
        return _validator(type(self)).to_python(self, **options)

    def json_bytes(self, **options: Any) -> Any:
        return _validator(type(self)).to_json(self, **options)

    def model_dump_json(self, **options: Any) -> Any:
        return self.json_bytes(**options).decode()

    from_dict = model_validate
    validate = model_validate
    validate_json = model_validate_json
    dict = model_dump
    json = model_dump_json
