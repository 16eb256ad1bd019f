"""The three ways a value reaches a validator, for tables that must hold on all of them.

``python``: the Python object (``validate_python``). ``json``: the JSON parse tree
(``validate_json`` on the bare schema, never a model root). ``stream``: the streaming reader, which
reads a model's fields straight from the JSON text without a tree (``validate_json_many`` on a
model holding the value in its field ``v``). The JSON paths take the JSON text of the value.
"""

from __future__ import annotations

from typing import Any

from cores import Err, field, make_model, make_validator, same

from ferrule.errors import ValidationError

__all__ = ["JSON_PATHS", "PATHS", "assert_outcome", "outcome"]

PATHS = ["python", "json", "stream"]
JSON_PATHS = ["json", "stream"]


def _pairs(error: ValidationError, prefix: tuple[Any, ...]) -> list[tuple[Any, str]]:
    pairs = []
    for line in error.errors():
        loc = line["loc"]
        if line["type"] != "json_invalid":
            assert loc[: len(prefix)] == prefix, line
            loc = loc[len(prefix) :]
        pairs.append((loc, line["type"]))
    return pairs


def outcome(core: Any, schema: dict[str, Any], path: str, value: Any) -> tuple[str, Any]:
    """``("ok", result)`` or ``("err", [(loc, type), ...])``, locations relative to the value."""
    if path == "stream":
        holder = make_model("Holder", [field("v", schema)])
        validator = make_validator(core, holder.__ferrule_schema__)  # type: ignore[attr-defined]
        assert "\n" not in value
        results, failures = validator.validate_json_many('{"v": ' + value + "}", collect=True)
        if failures:
            [(_, error)] = failures
            return ("err", _pairs(error, ("v",)))
        return ("ok", results[0].v)
    validator = make_validator(core, schema)
    try:
        if path == "python":
            return ("ok", validator.validate_python(value))
        return ("ok", validator.validate_json(value))
    except ValidationError as error:
        return ("err", _pairs(error, ()))


def assert_outcome(got: tuple[str, Any], expected: Any) -> None:
    """``expected`` is the value (compared with its type) or `Err` with every ``(loc, type)``."""
    if isinstance(expected, Err):
        assert got == ("err", expected.pairs)
    else:
        assert got[0] == "ok", got
        assert same(got[1], expected), f"{got[1]!r} != {expected!r}"
