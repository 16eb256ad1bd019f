"""Validated models: `Model`, `Field` and the validator decorators."""

from ferrule.models.adapter import TypeAdapter
from ferrule.models.base import BatchResult, ConfigDict, Model, field_validator, model_validator
from ferrule.models.fields import Field, FieldInfo

__all__ = [
    "BatchResult",
    "ConfigDict",
    "Field",
    "FieldInfo",
    "Model",
    "TypeAdapter",
    "field_validator",
    "model_validator",
]
