"""Picks the validation core once per process: native Rust, or the pure-Python twin when
``FERRULE_PURE_PYTHON=1`` (both implement the same `SchemaValidator` API)."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["PURE_PYTHON", "ModelBase", "SchemaValidator", "force_setattr", "new_instance"]

PURE_PYTHON = os.environ.get("FERRULE_PURE_PYTHON", "") not in ("", "0")

SchemaValidator: Any
ModelBase: Any
new_instance: Any
force_setattr: Any

if PURE_PYTHON:
    from ferrule.models._pure import SchemaValidator

    new_instance = object.__new__
    force_setattr = object.__setattr__

    class ModelBase:
        """Pure-Python twin of the native base: construction and assignment validate."""

        __slots__ = ()

        def __new__(cls, /, *args: Any, **data: Any) -> Any:
            if args:
                raise TypeError(f"{cls.__name__}() takes keyword arguments only")
            validator = cls.__dict__.get("__ferrule_validator__") or cls.__ferrule_complete__()  # type: ignore[attr-defined]
            return validator.validate_python(data)

        def __setattr__(self, name: str, value: Any) -> None:
            if name.startswith("_"):
                object.__setattr__(self, name, value)
                return
            type(self).__ferrule_validator__.validate_assignment(self, name, value)  # type: ignore[attr-defined]

        def __delattr__(self, name: str) -> None:
            if name in type(self).model_fields:  # type: ignore[attr-defined]
                raise AttributeError(f"cannot delete field {name!r}")
            object.__delattr__(self, name)

else:
    from ferrule._ferrule import ModelBase, SchemaValidator, force_setattr, new_instance
