"""The pure twin of ``src/validate/tagged_union.rs``: a discriminated union reads the tag from
the input (a key of the dict or JSON object, an attribute, or what a function returns), then
validates only the choice the tag names, its errors under the tag. Tags match as dict keys do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ferrule.models._pure.core import LineErrors, State, Validator, build, builder, error, prefixed
from ferrule.models._pure.model import _has_attributes

__all__ = ["TaggedUnionValidator"]

_ABSENT: Any = object()


class TaggedUnionValidator(Validator):
    __slots__ = ("choices", "custom", "expected", "function", "keys", "lookup", "text")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.choices = [build(choice) for choice in schema["choices"]]
        source = schema["discriminator"]
        self.keys: list[str] = list(source) if isinstance(source, list) else []
        self.function: Callable[[Any], Any] | None = None if self.keys else source
        self.lookup: dict[Any, tuple[Validator, str | int]] = {}
        for tag, index, loc in schema["tags"]:
            self.lookup.setdefault(tag, (self.choices[index], loc))
        self.text: str = schema["discriminator_text"]
        self.expected: str = schema["expected_tags"]
        self.custom: tuple[str, str, dict[str, Any] | None] | None = schema.get("custom_error")

    def validate(self, value: Any, state: State) -> Any:
        tag = self._tag(value, state)
        found = None
        if tag is not _ABSENT:
            try:
                found = self.lookup.get(tag)
            except Exception:  # an unhashable tag (or one whose __hash__/__eq__ raises): none
                found = None
        if found is None and self.custom is not None:
            kind, message, context = self.custom
            ctx = dict(context) if context is not None else None
            raise LineErrors([((), kind, value, ctx, message)])
        if tag is _ABSENT:
            raise error("union_tag_not_found", value, {"discriminator": self.text})
        if found is None:
            ctx = {"discriminator": self.text, "tag": str(tag), "expected_tags": self.expected}
            raise error("union_tag_invalid", value, ctx)
        choice, loc = found
        try:
            return choice.validate(value, state)
        except LineErrors as exc:
            raise LineErrors(prefixed(loc, exc.errors)) from None

    def _tag(self, value: Any, state: State) -> Any:
        if self.function is not None:
            tag = self.function(value)
            return _ABSENT if tag is None else tag
        if isinstance(value, dict):
            for key in self.keys:
                found = dict.get(value, key, _ABSENT)
                if found is not _ABSENT:
                    return found
            return _ABSENT
        if state.json:
            raise error("dict_type", value)
        mapping = isinstance(value, Mapping)
        if not mapping and not _has_attributes(value):
            raise error("model_attributes_type", value)
        for key in self.keys:
            try:
                return value[key] if mapping else getattr(value, key)
            except (KeyError, AttributeError):
                continue
            except Exception as exc:
                if mapping:
                    raise
                text = f"{type(exc).__name__}: {exc}"
                raise error("get_attribute_error", value, {"error": text}) from None
        return _ABSENT


builder("tagged_union")(TaggedUnionValidator)
