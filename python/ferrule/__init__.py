"""ferrule: a fast, validated data layer for Python with a Rust core."""

from ferrule import errors
from ferrule._ferrule import __version__
from ferrule.backends import connect
from ferrule.errors import (
    CircuitOpenError,
    ConfigurationError,
    ConnectionError,
    DatabaseError,
    FerruleError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    PoolTimeoutError,
    SchemaError,
    TransactionError,
    ValidationError,
)

__all__ = [
    "CircuitOpenError",
    "ConfigurationError",
    "ConnectionError",
    "DatabaseError",
    "FerruleError",
    "IntegrityError",
    "InterfaceError",
    "OperationalError",
    "PoolTimeoutError",
    "SchemaError",
    "TransactionError",
    "ValidationError",
    "__version__",
    "connect",
    "errors",
]
