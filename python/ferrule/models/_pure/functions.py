"""The user-function wrappers: ``function_before``, ``function_after``, ``function_plain`` and
``function_wrap`` (a field's or an ``Annotated`` type's validators)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ferrule.models._pure.core import State, Validator, build, builder, call_user
from ferrule.models._pure.info import ValidatorCallable, field_info
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
        extra = (field_info(state),) if self.info else ()
        if self.mode == "function_before":
            return self.inner.validate(call_user(self.function, value, *extra), state)
        if self.mode == "function_after":
            return call_user(self.function, self.inner.validate(value, state), *extra)
        if self.mode == "function_wrap":
            handler = ValidatorCallable(self.inner, state)
            return call_user(self.function, value, handler, *extra)
        return call_user(self.function, value, *extra)


builder("function_before", "function_after", "function_plain", "function_wrap")(FunctionValidator)
