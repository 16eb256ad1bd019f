"""``Json[T]``: a JSON document given as text (str, bytes or bytearray), parsed, then validated
as ``T`` (bare ``Json``: any JSON value). The field holds the parsed, validated value."""

from __future__ import annotations

from typing import Any

from ferrule.errors import JSONError, ValidationError
from ferrule.json import dumps, loads
from ferrule.models import schema as s
from ferrule.models.serializers import WrapSerializer

__all__ = ["Json"]


def _parse(value: Any) -> Any:
    if not isinstance(value, (str, bytes, bytearray)):
        raise ValidationError("", [((), "json_type", value, None, None)])
    try:
        return loads(value)
    except JSONError as exc:
        raise ValidationError(
            "", [((), "json_invalid", value, {"error": str(exc)}, None)]
        ) from None


def _as_text_on_round_trip(value: Any, handler: Any, info: Any) -> Any:
    """``round_trip=True`` writes the value back as JSON text (as pydantic does), so that the
    dump validates again; otherwise the value is written as it is."""
    if info.round_trip:
        return dumps(value)
    return handler(value)


# the serializer a field annotated `Json[T]` gets (unless it names its own)
_ROUND_TRIP = WrapSerializer(_as_text_on_round_trip)


class _JsonOf:
    """``Json[T]`` as an annotation ferrule reads."""

    __slots__ = ("inner",)
    __ferrule_serializer__ = _ROUND_TRIP

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"Json[{getattr(self.inner, '__name__', self.inner)!r}]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _JsonOf) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("Json", self.inner))

    def __ferrule_type_schema__(self, *, strict: bool, sub: Any) -> s.Schema:
        inner = sub(self.inner)
        schema = s.function_schema("before", _parse, inner)
        schema["json_content"] = True  # JSON Schema: a string whose content is `inner`
        return schema


class Json:
    """``Json[T]``: JSON text validated as ``T``."""

    __slots__ = ()
    __ferrule_serializer__ = _ROUND_TRIP

    def __class_getitem__(cls, inner: Any) -> _JsonOf:
        return _JsonOf(inner)

    @classmethod
    def __ferrule_type_schema__(cls, *, strict: bool, sub: Any) -> s.Schema:
        return _JsonOf(Any).__ferrule_type_schema__(strict=strict, sub=sub)
