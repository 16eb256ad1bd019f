"""Model options that change every field of a kind (``str_strip_whitespace``, ``str_to_lower``,
``str_to_upper``, ``str_min_length``, ``str_max_length``, ``use_enum_values``,
``coerce_numbers_to_str``, ``val_json_bytes``): applied to a field's compiled schema once per
class, down through its containers and unions (a nested model keeps its own options), a
field's own setting first."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ferrule.models import schema as s

__all__ = ["TYPE_OPTIONS", "apply_type_options", "has_type_options"]

#: model option -> the str schema option it sets
_STR_OPTIONS = {
    "str_strip_whitespace": "strip_whitespace",
    "str_to_lower": "to_lower",
    "str_to_upper": "to_upper",
    "str_min_length": "min_length",
    "str_max_length": "max_length",
}
TYPE_OPTIONS = (*_STR_OPTIONS, "use_enum_values", "coerce_numbers_to_str")


def has_type_options(config: Any) -> bool:
    """Whether ``config`` sets any model-wide type option (asked once per class)."""
    return (
        any(config.get(option) for option in TYPE_OPTIONS)
        or config.get("val_json_bytes", "utf8") != "utf8"
    )


def apply_type_options(schema: Any, config: Any) -> Any:
    """``schema`` with the model-wide type options of ``config``; unchanged when none is set."""
    if not has_type_options(config):
        return schema
    return _walk(schema, config)


def _walk(schema: Any, config: Any) -> Any:
    if isinstance(schema, list):
        return [_walk(item, config) for item in schema]
    if not isinstance(schema, dict) or schema.get("type") == "model":
        return schema
    out = dict(schema)
    for key in ("schema", "items", "choices", "keys", "values"):
        if key in out:
            out[key] = _walk(out[key], config)
    kind = out.get("type")
    if kind == "str":
        for option, key in _STR_OPTIONS.items():
            value = config.get(option)
            if value not in (None, False):
                out.setdefault(key, value)
        if config.get("coerce_numbers_to_str"):
            return s.function_schema("before", _number_text, out)
    if kind == "bytes" and config.get("val_json_bytes", "utf8") != "utf8":
        out.setdefault("encoding", config["val_json_bytes"])
    if kind == "enum" and config.get("use_enum_values"):
        return s.function_schema("after", _enum_value, out)
    return out


def _number_text(value: Any) -> Any:
    """``coerce_numbers_to_str``: an int, float or Decimal becomes its text (never a bool)."""
    if type(value) in (int, float, Decimal):
        return str(value)
    return value


def _enum_value(member: Any) -> Any:
    """``use_enum_values``: the member's value is stored, not the member."""
    return member.value
