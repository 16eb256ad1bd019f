"""Shared machinery of the pure-Python core: run state, raw errors, user calls, the builder table.

A compiled validator is a small object with ``validate(value, state) -> value``. It either returns
the validated value or raises `LineErrors` holding raw errors whose ``loc`` is *relative* to the
value it was given; every container prefixes the locations of its children as errors bubble up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ferrule.errors import PydanticCustomError, RawError, SchemaError, ValidationError

__all__ = [
    "EXACT",
    "LAX",
    "STRICT",
    "LineErrors",
    "State",
    "Validator",
    "build",
    "builder",
    "call_user",
    "call_user_with",
    "error",
    "prefixed",
    "schema_tag",
]


class LineErrors(Exception):
    """Internal control flow: the raw errors of one value, locations relative to that value."""

    def __init__(self, errors: list[RawError]) -> None:
        super().__init__()
        self.errors = errors


def error(error_type: str, value: Any, ctx: dict[str, Any] | None = None) -> LineErrors:
    """One error at the current location."""
    return LineErrors([((), error_type, value, ctx, None)])


def prefixed(key: int | str, errors: Iterable[RawError]) -> list[RawError]:
    """Move errors one level down: ``key`` goes in front of each location."""
    return [((key, *loc), kind, value, ctx, msg) for loc, kind, value, ctx, msg in errors]


# How an input matched its schema, worst to best (pydantic's smart-union ranking): LAX needed a
# lax-mode conversion, STRICT is valid in strict mode but not the exact type, EXACT is the type.
LAX, STRICT, EXACT = 0, 1, 2


class State:
    """Per-call settings and bookkeeping shared by every validator in one validation run."""

    __slots__ = (
        "active",
        "context",
        "depth",
        "exactness",
        "fields_set",
        "frame",
        "from_attributes",
        "json",
        "lax",
        "mode",
        "strict",
    )

    def __init__(
        self,
        *,
        strict: bool | None,
        json: bool,
        from_attributes: bool = False,
        context: Any = None,
        mode: str | None = None,
    ) -> None:
        self.strict = strict is True  # forces strict mode on every leaf (strict=True, a union)
        self.lax = strict is False  # call-time strict=False: lax even where a schema is strict
        self.json = json  # the input was decoded from JSON
        self.from_attributes = from_attributes  # every model reads objects by attribute
        self.context = context  # call-time ``context=``, for `ValidationInfo.context`
        self.mode = mode or ("json" if json else "python")  # `ValidationInfo.mode`
        #: the innermost model's ``(config, field name, data so far)`` while one of its fields
        #: is validated and it has validators that take info; else None
        self.frame: tuple[Any, str, dict[str, Any]] | None = None
        self.depth = 0  # nested model levels
        self.active: set[int] = set()  # ids of model inputs being validated (cycle detection)
        self.exactness = EXACT  # lowered by every validator that converts (read by unions)
        self.fields_set: int | None = None  # fields models took from the input (unions)

    def strict_for(self, own: bool) -> bool:
        """Whether a schema whose own setting is ``own`` validates strictly in this run."""
        return self.strict or (own and not self.lax)

    def floor(self, level: int) -> None:
        """The input matched no better than ``level``."""
        if level < self.exactness:
            self.exactness = level


class Validator:
    """Base of every compiled validator."""

    __slots__ = ()

    def validate(self, value: Any, state: State) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


Builder = Callable[[dict[str, Any]], Validator]
_BUILDERS: dict[str, Builder] = {}


def builder(*tags: str) -> Callable[[Builder], Builder]:
    """Register the function that compiles schemas of the given ``type`` tags."""

    def register(function: Builder) -> Builder:
        for tag in tags:
            _BUILDERS[tag] = function
        return function

    return register


def build(schema: dict[str, Any]) -> Validator:
    """Compile one schema dict (and, recursively, its children) into a validator."""
    if not isinstance(schema, dict) or "type" not in schema:
        raise SchemaError(f"a schema must be a dict with a 'type' key, not {schema!r}")
    function = _BUILDERS.get(schema["type"])
    if function is None:
        raise SchemaError(f"unknown schema type {schema['type']!r}")
    return function(schema)


_WRAPPERS = frozenset(
    {"nullable", "function_before", "function_after", "function_plain", "function_wrap"}
)


def schema_tag(schema: dict[str, Any]) -> str:
    """The name a union uses for one of its choices in error locations: a model's class name;
    for a nullable or function schema, the tag of the schema it wraps."""
    kind = schema.get("type")
    if kind == "model":
        name = schema.get("name")
        return name if isinstance(name, str) else str(schema["cls"].__name__)
    if kind == "convert":
        cls = schema.get("cls")
        return str(cls.__name__) if cls is not None else "object"
    if kind in _WRAPPERS:
        inner = schema.get("schema")
        return schema_tag(inner) if isinstance(inner, dict) else "any"
    if kind == "tagged_union":
        return "tagged-union"  # pydantic's name
    return str(kind)


def call_user(function: Callable[[Any], Any], value: Any) -> Any:
    """Call a user validator, turning its ``ValueError``/``AssertionError`` into raw errors
    (the exception itself in ``ctx``, as pydantic keeps it)."""
    try:
        return function(value)
    except ValidationError as exc:
        raise LineErrors(list(exc._raw)) from None
    except PydanticCustomError as exc:
        raise _custom(exc, value) from None
    except ValueError as exc:
        raise error("value_error", value, {"error": exc}) from None
    except AssertionError as exc:
        raise error("assertion_error", value, {"error": exc}) from None


def call_user_with(function: Callable[..., Any], value: Any, *extra: Any) -> Any:
    """`call_user` as ``function(value, *extra)`` (a handler, a `ValidationInfo`)."""
    try:
        return function(value, *extra)
    except ValidationError as exc:
        raise LineErrors(list(exc._raw)) from None
    except PydanticCustomError as exc:
        raise _custom(exc, value) from None
    except ValueError as exc:
        raise error("value_error", value, {"error": exc}) from None
    except AssertionError as exc:
        raise error("assertion_error", value, {"error": exc}) from None


def _custom(exc: PydanticCustomError, value: Any) -> LineErrors:
    """A `PydanticCustomError`: its own type, its message rendered, its context as ``ctx``."""
    ctx = None if exc.context is None else dict(exc.context)
    return LineErrors([((), exc.type, value, ctx, exc.message())])
