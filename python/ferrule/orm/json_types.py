"""A JSON field typed with what JSON itself does not hold (a sub-model, an enum, a Decimal, a
date or time, a UUID, bytes, a set, a tuple, a dict with int keys): stored as pydantic writes
the value in JSON mode, loaded as pydantic reads that JSON back (the field's validation, lax).

A field of plain JSON types (``dict[str, Any]``, ``list[int]``, ``str | None``, ...) keeps the
JSON value as it is, with no conversion on either side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["converters", "is_plain"]

#: schema types whose values are JSON values as they are
_PLAIN = frozenset({"any", "str", "int", "float", "bool", "none"})
_JSON_SCALARS = (str, int, float, bool, type(None))


def is_plain(schema: dict[str, Any]) -> bool:
    """Whether every value ``schema`` admits is a JSON value as it is (no conversion)."""
    kind = schema.get("type")
    if kind in _PLAIN:
        return True
    if kind == "nullable":
        return is_plain(schema["schema"])
    if kind == "list":
        return is_plain(schema.get("items") or {"type": "any"})
    if kind == "dict":
        keys = schema.get("keys") or {"type": "any"}
        return keys.get("type") in ("str", "any") and is_plain(schema.get("values") or keys)
    if kind in ("union", "tagged_union"):
        choices = schema.get("choices")
        if isinstance(choices, dict):
            choices = list(choices.values())
        return all(is_plain(c) for c in choices or ())
    if kind == "literal":
        return all(isinstance(v, _JSON_SCALARS) for v in schema.get("expected", ()))
    return False


Convert = Callable[[Any], Any] | None


def converters(
    schema: dict[str, Any], where: str, to_db: Convert, from_db: Convert
) -> tuple[Convert, Convert]:
    """``(to_db, from_db)`` of a typed JSON field: its value dumped in JSON mode before the
    storage's own ``to_db``, validated as the field after the storage's ``from_db``."""
    from ferrule.models._core import SchemaValidator

    if schema.get("type") == "nullable":  # None never reaches a converter
        schema = schema["schema"]
    validator = SchemaValidator(schema, where)
    dump, load = validator.to_python, validator.validate_python

    def written(value: Any) -> Any:
        plain = dump(value, mode="json")
        return plain if to_db is None else to_db(plain)

    def read(value: Any) -> Any:
        return load(value if from_db is None else from_db(value))

    return written, read
