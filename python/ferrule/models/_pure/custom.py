"""The pure twin of ``src/serialize/custom.rs``: a model's field serializers, computed fields
and model serializer, run while it is dumped (the schema's ``"serializers"`` entry, built by
`ferrule.models.serializers`).

A function's exception becomes a `SerializationError` naming it (the exception is the
cause); a `SerializationError` from a nested serializer passes through as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ferrule.errors import SerializationError
from ferrule.models.serializers import SerializationInfo

if TYPE_CHECKING:
    from ferrule.models._pure.serialize import Filter, ModelSerializer, Options

__all__ = ["Custom", "applies", "call"]


class Custom:
    """A model's serializers, by field name."""

    __slots__ = ("computed", "fields", "model")

    def __init__(self, schema: dict[str, Any], names: list[str]) -> None:
        self.fields: dict[str, dict[str, Any]] = {
            name: spec for name, spec in zip(names, schema["fields"], strict=True) if spec
        }
        self.computed: list[tuple[str, str, dict[str, Any] | None, Any]] = [
            (entry["name"], entry["alias"] or entry["name"], entry["serializer"], entry["getter"])
            for entry in schema["computed"]
        ]
        self.model: dict[str, Any] | None = schema["model"]


def applies(spec: dict[str, Any], value: Any, options: Options) -> bool:
    """``when_used`` says the function runs for this value in this mode."""
    when = spec["when_used"]
    if when == "always":
        return True
    if when == "unless-none":
        return value is not None
    if when == "json":
        return options.json
    return options.json and value is not None


def _info(options: Options, spec: Filter, field_name: str | None) -> SerializationInfo:
    return SerializationInfo(
        "json" if options.json else "python",
        options.by_alias,
        options.exclude_none,
        options.round_trip,
        options.context,
        spec.include,
        spec.exclude,
        field_name,
        options.exclude_unset,
        options.exclude_defaults,
    )


def call(function_spec: dict[str, Any], args: list[Any]) -> Any:
    """The user's function on ``args``; its exception as a `SerializationError`."""
    try:
        return function_spec["function"](*args)
    except SerializationError:
        raise
    except Exception as exc:
        raise SerializationError(_message(function_spec["name"], exc)) from exc


def _message(name: str, exc: BaseException) -> str:
    text = str(exc)
    kind = type(exc).__name__
    return (
        f"Error calling function `{name}`: {kind}: {text}"
        if text
        else (f"Error calling function `{name}`: {kind}")
    )


class Handler:
    """The ``handler`` a wrap serializer gets: the default serialisation of a value."""

    __slots__ = ("_run",)

    def __init__(self, run: Any) -> None:
        self._run = run

    def __call__(self, value: Any, /) -> Any:
        return self._run(value)

    def __repr__(self) -> str:
        return "SerializerFunctionWrapHandler()"


def field_value(
    spec: dict[str, Any],
    model: Any,
    value: Any,
    options: Options,
    child: Filter,
    name: str,
) -> Any:
    """``value`` of field ``name`` through its serializer (the caller checked `applies`)."""
    from ferrule.models._pure.serialize import infer

    args: list[Any] = [model] if spec["method"] else []
    args.append(value)
    if spec["mode"] == "wrap":
        args.append(Handler(lambda item: infer(item, options, child)))
    if spec["info"]:
        args.append(_info(options, child, name))
    return call(spec, args)


def model_value(
    serializer: ModelSerializer,
    custom: Custom,
    value: Any,
    options: Options,
    spec: Filter,
) -> Any:
    """The model through its model serializer, or as the dict of its fields."""
    from ferrule.models._pure.serialize import NO_FILTER, infer

    model = custom.model
    if model is None or not applies(model, value, options):
        return serializer.fields_of(value, options, spec)
    args: list[Any] = [value] if model["method"] else []
    if model["mode"] == "wrap":

        def default(item: Any) -> Any:
            if isinstance(item, serializer.cls):
                return serializer.fields_of(item, options, spec)
            return infer(item, options, spec)

        args.append(Handler(default))
    if model["info"]:
        args.append(_info(options, spec, None))
    return infer(call(model, args), options, NO_FILTER)
