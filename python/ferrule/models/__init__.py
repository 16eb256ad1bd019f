"""Validated models: `Model`, `Field` and the validator decorators."""

from ferrule.models._core import ValidationInfo
from ferrule.models.adapter import TypeAdapter
from ferrule.models.aliases import AliasChoices, AliasPath
from ferrule.models.base import (
    BaseModel,
    BatchResult,
    ConfigDict,
    Model,
    field_validator,
    model_validator,
)
from ferrule.models.fields import Field, FieldInfo
from ferrule.models.functional_validators import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    WrapValidator,
)
from ferrule.models.private import PrivateAttr
from ferrule.models.root import RootModel
from ferrule.models.serializers import (
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    WrapSerializer,
    computed_field,
    field_serializer,
    model_serializer,
)
from ferrule.models.unions import Discriminator, Tag

__all__ = [
    "AfterValidator",
    "AliasChoices",
    "AliasPath",
    "BaseModel",
    "BatchResult",
    "BeforeValidator",
    "ConfigDict",
    "Discriminator",
    "Field",
    "FieldInfo",
    "Model",
    "PlainSerializer",
    "PlainValidator",
    "PrivateAttr",
    "RootModel",
    "SerializationInfo",
    "SerializerFunctionWrapHandler",
    "Tag",
    "TypeAdapter",
    "ValidationInfo",
    "WrapSerializer",
    "WrapValidator",
    "computed_field",
    "field_serializer",
    "field_validator",
    "model_serializer",
    "model_validator",
]
