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

__all__ = [
    "ConfigurationError",
    "DatabaseError",
    "FerruleError",
    "IntegrityError",
    "SchemaError",
    "ValidationError",
    "__version__",
    "errors",
    "sql",
]
