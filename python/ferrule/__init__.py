"""ferrule: a fast, validated data layer for Python with a Rust core."""

from ferrule import errors, sql
from ferrule._ferrule import __version__
from ferrule.backends import connect
from ferrule.errors import (
    ArgumentError,
    CircuitOpenError,
    CommitUnknownError,
    ConfigurationError,
    ConnectionError,
    DatabaseError,
    FerruleError,
    IntegrityError,
    InterfaceError,
    JSONPatchError,
    JSONPointerError,
    OperationalError,
    PoolTimeoutError,
    ProgrammingError,
    SchemaError,
    TransactionError,
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
    "ArgumentError",
    "BatchResult",
    "CircuitOpenError",
    "CommitUnknownError",
    "ConfigDict",
    "ConfigurationError",
    "ConnectionError",
    "DatabaseError",
    "FerruleError",
    "Field",
    "FieldInfo",
    "IntegrityError",
    "InterfaceError",
    "JSONPatchError",
    "JSONPointerError",
    "Model",
    "OperationalError",
    "PoolTimeoutError",
    "ProgrammingError",
    "SchemaError",
    "TransactionError",
    "ValidationError",
    "__version__",
    "connect",
    "errors",
    "field_validator",
    "model_validator",
    "sql",
]
