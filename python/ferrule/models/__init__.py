"""Validated models: `Model`, `Field` and the validator decorators."""

from ferrule.models.adapter import TypeAdapter
from ferrule.models.base import BatchResult, ConfigDict, Model, field_validator, model_validator
from ferrule.models.fields import Field, FieldInfo
from ferrule.models.functional_validators import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    WrapValidator,
)
from ferrule.models.serializers import (
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    WrapSerializer,
    computed_field,
    field_serializer,
    model_serializer,
)

__all__ = [
    "AfterValidator",
    "BatchResult",
    "BeforeValidator",
    "ConfigDict",
    "Field",
    "FieldInfo",
    "Model",
    "PlainSerializer",
    "PlainValidator",
    "SerializationInfo",
    "SerializerFunctionWrapHandler",
    "TypeAdapter",
    "WrapSerializer",
    "WrapValidator",
    "computed_field",
    "field_serializer",
    "field_validator",
    "model_serializer",
    "model_validator",
]
