"""The user-function wrappers: ``function_before``, ``function_after``, ``function_plain`` and
``function_wrap`` (a field's or an ``Annotated`` type's validators)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule.models._pure.core import (
    State,
    Validator,
    build,
    builder,
    call_user,
    call_user_with,
)
from ferrule.models._pure.info import ValidatorCallable, as_python, field_info
from ferrule.models._pure.scalars import AnyValidator

__all__: list[str] = []


class FunctionValidator(Validator):
    """A user function before, after, instead of (plain) or around (wrap) the schema's own
    checks; with ``info``, it also gets a `ValidationInfo` as its last argument."""

    __slots__ = ("function", "info", "inner", "mode")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.mode = schema["type"]
        self.function: Callable[..., Any] = schema["function"]
        self.info = bool(schema.get("info"))
        inner = schema.get("schema")
        self.inner = build(inner) if inner is not None else AnyValidator()

    def validate(self, value: Any, state: State) -> Any:
        if self.info or self.mode == "function_wrap":
            return self._validate_general(value, state)
        if self.mode == "function_before":
            return as_python(self.inner, call_user(self.function, value), state)
        if self.mode == "function_after":
            return call_user(self.function, self.inner.validate(value, state))
        return call_user(self.function, value)

    def _validate_general(self, value: Any, state: State) -> Any:
        """Wrap validators and functions taking info (kept off the plain path above)."""
        extra = (field_info(state),) if self.info else ()
        if self.mode == "function_before":
            return as_python(self.inner, call_user_with(self.function, value, *extra), state)
        if self.mode == "function_after":
            valid = self.inner.validate(value, state)
            return call_user_with(self.function, valid, *field_extra(self.info, state))
        if self.mode == "function_wrap":
            handler = ValidatorCallable(self.inner, state)
            return call_user_with(self.function, value, handler, *extra)
        return call_user_with(self.function, value, *extra)


def field_extra(info: bool, state: State) -> tuple[Any, ...]:
    """The info argument, made after the schema ran (``after``: the same frame)."""
    return (field_info(state),) if info else ()


builder("function_before", "function_after", "function_plain", "function_wrap")(FunctionValidator)
