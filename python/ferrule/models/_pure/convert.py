"""The ``convert`` validator: a value type ferrule does not parse itself (IP addresses, paths,
URLs, secrets, a deque), as the native `convert.rs`: an instance of ``cls`` as it is; otherwise
(lax mode, or JSON) the input, or what the inner ``schema`` made of it, through ``function``.
Its ``ValueError``/``TypeError`` is the schema's ``error`` type."""

from __future__ import annotations

from typing import Any

from ferrule.errors import ValidationError
from ferrule.models._pure.core import (
    LAX,
    STRICT,
    LineErrors,
    State,
    Validator,
    build,
    builder,
    error,
)

__all__: list[str] = []


@builder("convert")
class ConvertValidator(Validator):
    __slots__ = (
        "cls",
        "error",
        "function",
        "inner",
        "instance_strict",
        "owns_type_error",
        "strict",
        "with_input",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        self.cls: Any = schema.get("cls")
        self.function = schema["function"]
        self.error: str = schema["error"]
        self.strict = bool(schema.get("strict"))
        # strict mode takes only an instance (IP and path types); others take their input
        self.instance_strict = bool(schema.get("instance_strict"))
        self.with_input = bool(schema.get("with_input"))  # function(value, input)
        # the inner schema's own type error is reported as `error` (deque_type for a deque)
        self.owns_type_error = bool(schema.get("owns_type_error"))
        inner = schema.get("schema")
        self.inner: Validator | None = build(inner) if inner is not None else None

    def validate(self, value: Any, state: State) -> Any:
        if self.cls is not None and not state.json:
            if isinstance(value, self.cls):
                return value
            if self.instance_strict and (state.strict_for(self.strict)):
                raise error("is_instance_of", value, {"class": self.cls.__name__})
        state.floor(STRICT if state.json else LAX)
        converted = value if self.inner is None else self._inner(value, state)
        try:
            if self.with_input:
                return self.function(converted, value)
            return self.function(converted)
        except ValidationError as exc:
            raise LineErrors(list(exc._raw)) from None
        except (ValueError, TypeError):
            raise error(self.error, value) from None
        except AssertionError as exc:
            raise error("assertion_error", value, {"error": str(exc)}) from None

    def _inner(self, value: Any, state: State) -> Any:
        assert self.inner is not None
        try:
            return self.inner.validate(value, state)
        except LineErrors as exc:
            if not self.owns_type_error:
                raise
            raise LineErrors(
                [
                    ((), self.error, item, None, msg)
                    if not loc and kind.endswith("_type")
                    else (loc, kind, item, ctx, msg)
                    for loc, kind, item, ctx, msg in exc.errors
                ]
            ) from None
