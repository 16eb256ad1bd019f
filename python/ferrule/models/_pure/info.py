"""`ValidationInfo` and a wrap validator's ``handler`` for the pure-Python core (the native
core has its own, with the same attributes and answers)."""

from __future__ import annotations

from typing import Any

from ferrule.errors import ValidationError
from ferrule.models._pure.core import LineErrors, State, Validator, prefixed

__all__ = ["ValidationInfo", "ValidatorCallable", "as_python", "field_info", "model_info"]


class ValidationInfo:
    """What a validator taking ``info`` is told: the call's ``context``, the model's ``config``,
    the fields validated so far (``data``) and the one being validated (``field_name``; both
    None outside a model's field), and ``mode``: "python" or "json"."""

    __slots__ = ("config", "context", "data", "field_name", "mode")
    config: Any
    context: Any
    data: Any
    field_name: str | None
    mode: str

    def __init__(
        self, config: Any, context: Any, data: Any, field_name: str | None, mode: str
    ) -> None:
        set_slot = object.__setattr__
        set_slot(self, "config", config)
        set_slot(self, "context", context)
        set_slot(self, "data", data)
        set_slot(self, "field_name", field_name)
        set_slot(self, "mode", mode)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ValidationInfo.{name} is read-only")

    def __repr__(self) -> str:
        return (
            f"ValidationInfo(config={self.config!r}, context={self.context!r}, "
            f"data={self.data!r}, field_name={self.field_name!r})"
        )


def field_info(state: State) -> ValidationInfo:
    """The info of a function inside a field's type (or outside any model: no data)."""
    frame = state.frame
    if frame is None:
        return ValidationInfo({}, state.context, None, None, state.mode)
    config, name, data = frame
    return ValidationInfo(config, state.context, data, name, state.mode)


def model_info(config: Any, state: State) -> ValidationInfo:
    """The info of a model validator: no field, no data."""
    return ValidationInfo(config, state.context, None, None, state.mode)


class ValidatorCallable:
    """A wrap validator's ``handler``: ``handler(value)`` runs the validation it wraps and
    raises `ValidationError` (locations relative to the value) when the value is invalid."""

    __slots__ = ("_state", "_validator")

    def __init__(self, validator: Validator, state: State) -> None:
        self._validator = validator
        self._state = state

    def __call__(self, value: Any, outer_location: str | int | None = None) -> Any:
        try:
            return as_python(self._validator, value, self._state)
        except LineErrors as exc:
            raw = exc.errors if outer_location is None else prefixed(outer_location, exc.errors)
            raise ValidationError("ValidatorCallable", raw) from None

    def __repr__(self) -> str:
        return "ValidatorCallable(...)"


def as_python(validator: Validator, value: Any, state: State) -> Any:
    """Validate what a user function returned (or handed a handler) as Python input, also in a
    JSON call: it is a Python object now (the native core's rule; ``info.mode`` still says
    "json")."""
    if not state.json:
        return validator.validate(value, state)
    state.json = False
    try:
        return validator.validate(value, state)
    finally:
        state.json = True
