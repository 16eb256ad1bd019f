"""Picks the validation core once per process: native Rust, or the pure-Python twin when
``FERRULE_PURE_PYTHON=1``. Both give the same `SchemaValidator` API and the same `ModelBase`
behaviour; the conformance tables in tests/models/ hold them to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ferrule.errors import pure_python_requested

__all__ = [
    "PURE_PYTHON",
    "ModelBase",
    "SchemaValidator",
    "ValidationInfo",
    "bound_class_method",
    "force_setattr",
    "install_fast_call",
    "keep_gc_tracked",
    "new_instance",
    "remove_fast_call",
]

PURE_PYTHON = pure_python_requested()

if TYPE_CHECKING:
    from ferrule._ferrule import (
        ModelBase,
        SchemaValidator,
        ValidationInfo,
        bound_class_method,
        force_setattr,
        install_fast_call,
        keep_gc_tracked,
        new_instance,
        remove_fast_call,
    )
elif PURE_PYTHON:
    from ferrule.models._pure import SchemaValidator
    from ferrule.models._pure.info import ValidationInfo
    from ferrule.models._pure_base import (
        ModelBase,
        bound_class_method,
        force_setattr,
        install_fast_call,
        keep_gc_tracked,
        new_instance,
        remove_fast_call,
    )
else:
    from ferrule._ferrule import (
        ModelBase,
        SchemaValidator,
        ValidationInfo,
        bound_class_method,
        force_setattr,
        install_fast_call,
        keep_gc_tracked,
        new_instance,
        remove_fast_call,
    )
