"""ferrule: a fast, validated data layer for Python with a Rust core."""

from ferrule import errors, sql
from ferrule._ferrule import __version__
from ferrule.errors import (
    ConfigurationError,
    DatabaseError,
    FerruleError,
    IntegrityError,
    SchemaError,
    ValidationError,
)
from ferrule.models import (
    BatchResult,
    ConfigDict,
    Field,
    FieldInfo,
    Model,
    field_validator,
    model_validator,
)

__all__ = [
    "BatchResult",
    "ConfigDict",
    "ConfigurationError",
    "DatabaseError",
    "FerruleError",
    "Field",
    "FieldInfo",
    "IntegrityError",
    "Model",
    "SchemaError",
    "ValidationError",
    "__version__",
    "errors",
    "field_validator",
    "model_validator",
    "sql",
]
