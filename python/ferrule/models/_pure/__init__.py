"""The pure-Python twin of the native validation core (``FERRULE_PURE_PYTHON=1``).

Same schemas, same rules (``docs/validation.md``), same raw errors as `ferrule._ferrule`.
"""

from ferrule.models._pure.validator import SchemaValidator

__all__ = ["SchemaValidator"]
