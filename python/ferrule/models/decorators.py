"""The validator decorators (`field_validator`, `model_validator`) and the collection of a
class's validators, in pydantic's order, when the class is compiled."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from ferrule.models._core import ModelBase
from ferrule.models._marks import marks_of, may_carry
from ferrule.models._signatures import takes_info
from ferrule.models.schema import ModelHook

__all__ = ["collect_validators", "field_validator", "model_validator"]

F = TypeVar("F", bound=Callable[..., Any])

_FIELD_VALIDATOR = "__ferrule_field_validator__"
_UNCHECKED = "__ferrule_unchecked_fields__"  # names a field_validator may name without a field
_EVERY_FIELD = "*"
_MODEL_VALIDATOR = "__ferrule_model_validator__"


def field_validator(
    *fields: str,
    mode: Literal["before", "after", "plain", "wrap"] = "after",
    check_fields: bool | None = None,
) -> Callable[[F], F]:
    """Run a classmethod ``(cls, value[, info]) -> value`` on the named fields (``"*"``: every
    field), before or after the field's own checks ("plain" replaces them; "wrap" is
    ``(cls, value, handler[, info])``, ``handler(value)`` running them). Raise ``ValueError`` to
    report a problem. Stacked decorators add up: each named field is validated once by the
    function. ``check_fields=False``: a name the model does not have is no error (a mixin's
    validator for its subclasses' fields)."""
    if not fields or not all(isinstance(name, str) for name in fields):
        raise TypeError("field_validator() needs the names of the fields it checks")
    if mode not in ("before", "after", "plain", "wrap"):
        raise TypeError(
            f"field_validator() mode must be before, after, plain or wrap, not {mode!r}"
        )
    if check_fields not in (None, True, False):
        raise TypeError("field_validator() check_fields must be True, False or None")

    def mark(function: F) -> F:
        marks = _marks_of(function, "field_validator")
        if _MODEL_VALIDATOR in marks:
            raise TypeError("a function cannot be both a model_validator and a field_validator")
        registered = marks.setdefault(_FIELD_VALIDATOR, [])
        registered.extend((name, mode) for name in fields if (name, mode) not in registered)
        if check_fields is False:
            marks.setdefault(_UNCHECKED, set()).update(fields)
        return function

    return mark


def model_validator(*, mode: Literal["before", "after", "wrap"]) -> Callable[[F], F]:
    """``before``: a classmethod ``(cls, data[, info]) -> data`` on the raw input;
    ``after``: a method ``(self[, info]) -> self`` on the finished instance;
    ``wrap``: a classmethod ``(cls, data, handler[, info])``, ``handler(data)`` validating."""
    if mode not in ("before", "after", "wrap"):
        raise TypeError(f"model_validator() mode must be before, after or wrap, not {mode!r}")

    def mark(function: F) -> F:
        marks = _marks_of(function, "model_validator")
        if marks.get(_MODEL_VALIDATOR, mode) != mode or _FIELD_VALIDATOR in marks:
            raise TypeError("a function can be registered by one model_validator only")
        marks[_MODEL_VALIDATOR] = mode
        return function

    return mark


def _marks_of(function: Any, decorator: str) -> dict[str, Any]:
    """The dict where the decorators record a validator: the function's own ``__dict__``
    (under a classmethod/staticmethod, the wrapped function's)."""
    target = getattr(function, "__func__", function)
    marks = getattr(target, "__dict__", None)
    if not callable(target) or not isinstance(marks, dict):
        raise TypeError(f"{decorator}() decorates a function, not {function!r}")
    return marks


def collect_validators(cls: type) -> tuple[dict[str, list[tuple[str, Any]]], list[Any], list[Any]]:
    """The validators of `cls` in pydantic's order: base classes first, each class's in
    definition order; a name redefined in a subclass replaces the base's entry in its place
    (or removes it, when the new attribute is not a validator)."""
    entries: dict[str, tuple[Any, Mapping[str, Any]]] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or klass is ModelBase or "__ferrule_root__" in klass.__dict__:
            continue
        if not entries and not may_carry(vars(klass)):
            continue  # nothing there can be a validator, and nothing found to replace
        for attr, raw in vars(klass).items():
            if attr.startswith("__"):
                continue
            marks = marks_of(raw)
            if _FIELD_VALIDATOR in marks or _MODEL_VALIDATOR in marks:
                entries[attr] = (raw, marks)
            else:
                entries.pop(attr, None)
    per_field: dict[str, list[tuple[str, Any]]] = {}
    before: list[Any] = []
    after: list[Any] = []
    declared = cls.__ferrule_declared__  # type: ignore[attr-defined]
    for attr, (raw, marks) in entries.items():
        where = f"{cls.__name__}.{attr}"
        if _FIELD_VALIDATOR in marks:
            function = _bind(raw, cls, as_method=False)
            unchecked = marks.get(_UNCHECKED, ())
            for field_name, mode in marks[_FIELD_VALIDATOR]:
                takes_info(function, mode, where)  # refuses a signature it cannot call
                names = list(declared) if field_name == _EVERY_FIELD else [field_name]
                for name in names:
                    if name not in declared and name in unchecked:
                        continue  # check_fields=False: not one of this model's fields
                    per_field.setdefault(name, []).append((mode, function))
        else:
            mode = marks[_MODEL_VALIDATOR]
            function = _bind(raw, cls, as_method=mode == "after")
            hook = _model_hook(function, mode, where)
            (before if mode == "before" else after).append(hook)
    before.reverse()  # as pydantic: the last declared runs first, on the raw input
    return per_field, before, after


def _bind(raw: Any, cls: type, *, as_method: bool) -> Any:
    """What a validator attribute is called as: a plain function is a classmethod (or, for an
    after model validator, a method of the instance); anything else is what ``cls.<attr>``
    gives (a classmethod bound to `cls`, a staticmethod's function, a partial as it is)."""
    if isinstance(raw, types.FunctionType):
        return raw if as_method else types.MethodType(raw, cls)
    get = getattr(type(raw), "__get__", None)
    return raw if get is None else get(raw, None, cls)


def _model_hook(function: Any, mode: str, where: str) -> Any:
    """A model validator as the schema lists it: the bare function when it takes the data
    alone (the common case, the cores' fast path), else a `ModelHook`."""
    info = takes_info(function, mode, where)
    if not info and mode != "wrap":
        return function
    hook: ModelHook = {"mode": mode, "function": function, "info": info}  # type: ignore[typeddict-item]
    return hook
