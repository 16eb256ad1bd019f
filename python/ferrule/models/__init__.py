"""Validated models: `Model`, `Field` and the validator decorators."""

from ferrule.models._core import ValidationInfo
from ferrule.models.adapter import TypeAdapter
from ferrule.models.base import BatchResult, ConfigDict, Model, field_validator, model_validator
from ferrule.models.fields import Field, FieldInfo
from ferrule.models.functional_validators import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    WrapValidator,
)
from ferrule.models.private import PrivateAttr
from ferrule.models.root import RootModel

__all__ = [
    "AfterValidator",
    "BatchResult",
    "BeforeValidator",
    "ConfigDict",
    "Field",
    "FieldInfo",
    "Model",
    "PlainValidator",
    "PrivateAttr",
    "RootModel",
    "TypeAdapter",
    "ValidationInfo",
    "WrapValidator",
    "field_validator",
    "model_validator",
]
