"""The validation cores every conformance table runs on, and the helpers the tables share.

A core is a module with a ``SchemaValidator`` class (``ferrule.models._pure`` today; the native
``ferrule._ferrule`` joins the list once it implements the same API).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from typing import Any

import pytest

from ferrule.errors import ValidationError
from ferrule.models import _pure as pure_core

__all__ = [
    "CORES",
    "Err",
    "check",
    "core_id",
    "field",
    "make_model",
    "make_validator",
    "model_schema",
    "same",
]

import ferrule._ferrule as native_core

CORES: list[Any] = [pure_core, native_core]

_MISSING: Any = object()


def core_id(core: Any) -> str:
    return "pure" if core is pure_core else "native"


def make_validator(core: Any, schema: dict[str, Any], title: str | None = None) -> Any:
    return core.SchemaValidator(schema, title)


class Err:
    """Expected failure: the ``(loc, type)`` pairs of every error, in order."""

    def __init__(self, *pairs: tuple[tuple[Any, ...], str]) -> None:
        self.pairs = list(pairs)

    def __repr__(self) -> str:
        return f"Err{tuple(self.pairs)!r}"


def same(left: Any, right: Any, _seen: set[tuple[int, int]] | None = None) -> bool:
    """Equal values of the same types, all the way down (NaN equals NaN; cycles allowed).

    Stricter than ``==`` wherever ``==`` forgives a difference a user can see: the sign of a
    zero, a Decimal's digits and exponent (``1.10`` is not ``1.1``), the UTC offset of a
    datetime or time (equal instants in other zones are not the same value), the types of dict
    keys and set members (``{1}`` is not ``{True}`` nor ``{1.0}``), and a model's extra values.
    """
    if left is right:
        return True
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return left == right and math.copysign(1.0, left) == math.copysign(1.0, right)
    if isinstance(left, Decimal):
        return left.as_tuple() == right.as_tuple()
    if isinstance(left, (datetime, time)):
        return _wall_clock(left) == _wall_clock(right)
    if isinstance(left, (list, tuple, dict)):
        seen = set() if _seen is None else _seen
        if (id(left), id(right)) in seen:
            return True
        seen.add((id(left), id(right)))
        if isinstance(left, dict):
            return _same_members(left.keys(), right.keys(), seen) and all(
                same(left[k], right[k], seen) for k in left
            )
        return len(left) == len(right) and all(
            same(a, b, seen) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, (set, frozenset)):
        return _same_members(left, right, _seen)
    if hasattr(type(left), "__ferrule_schema__"):
        names = [f["name"] for f in type(left).__ferrule_schema__["fields"]]
        names.append("__ferrule_extra__")  # extra="allow" values; absent on other classes
        return all(
            same(getattr(left, n, _MISSING), getattr(right, n, _MISSING), _seen) for n in names
        )
    return bool(left == right)


def _wall_clock(value: datetime | time) -> tuple[Any, ...]:
    """What a datetime or time shows: its fields and its UTC offset (not only the instant)."""
    return (value.replace(tzinfo=None), value.utcoffset(), value.fold)


def _same_members(left: Any, right: Any, seen: set[tuple[int, int]] | None) -> bool:
    """Two sets (or dict key views) hold `same` members: equal members are matched by hash, then
    compared with their types. NaN members equal no other NaN object: they are counted apart."""

    def nans(members: Any) -> int:
        return sum(1 for v in members if isinstance(v, float) and math.isnan(v))

    if len(left) != len(right) or nans(left) != nans(right):
        return False
    partner = {v: v for v in right if not (isinstance(v, float) and math.isnan(v))}
    return all(
        v in partner and same(v, partner[v], seen)
        for v in left
        if not (isinstance(v, float) and math.isnan(v))
    )


def check(run: Callable[[], Any], expected: Any) -> Any:
    """Run one validation and compare with ``expected`` (a value, or `Err`)."""
    if isinstance(expected, Err):
        with pytest.raises(ValidationError) as info:
            run()
        got = [(error["loc"], error["type"]) for error in info.value.errors()]
        assert got == expected.pairs
        for error in info.value.errors():
            assert isinstance(error["msg"], str)
        return info.value
    result = run()
    assert same(result, expected), f"{result!r} != {expected!r}"
    return result


def to_json_text(value: Any) -> str:
    return json.dumps(value)


# --- model classes for the tables ------------------------------------------------------------


def field(
    name: str,
    schema: dict[str, Any],
    *,
    alias: str | None = None,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    frozen: bool = False,
    exclude: bool = False,
    messages: dict[str, str] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "alias": alias,
        "schema": schema,
        "required": default is _MISSING and default_factory is None,
        "frozen": frozen,
        "exclude": exclude,
        "messages": messages,
    }
    if default is not _MISSING:
        out["default"] = default
    if default_factory is not None:
        out["default_factory"] = default_factory
    return out


def model_schema(cls: type, fields: list[dict[str, Any]], **config: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "model",
        "cls": cls,
        "name": cls.__name__,
        "fields": fields,
        "extra": "ignore",
        "strict": False,
        "frozen": False,
        "populate_by_name": False,
        "validate_assignment": True,
        "before_validators": [],
        "after_validators": [],
    }
    schema.update(config)
    return schema


def make_model(name: str, fields: list[dict[str, Any]], **config: Any) -> type:
    """A slotted class with ``__ferrule_schema__``, as `ferrule.Model` would build it."""
    slots = [f["name"] for f in fields]
    if config.get("extra") == "allow":
        slots.append("__ferrule_extra__")

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{n}={getattr(self, n, '<unset>')!r}" for n in slots)
        return f"{name}({shown})"

    cls = type(name, (), {"__slots__": tuple(slots), "__repr__": __repr__})
    cls.__ferrule_schema__ = model_schema(cls, fields, **config)  # type: ignore[attr-defined]
    return cls
