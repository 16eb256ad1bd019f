"""Container and combinator validators: list, tuple, set, frozenset, dict, nullable and union
(the user-function wrappers live in `functions`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ferrule.errors import RawError, SchemaError
from ferrule.models._pure.core import (
    EXACT,
    LAX,
    STRICT,
    LineErrors,
    State,
    Validator,
    build,
    builder,
    error,
    prefixed,
    schema_tag,
)
from ferrule.models._pure.scalars import AnyValidator

__all__: list[str] = []


def _iterable(value: Any) -> bool:
    """Lax input for a list, tuple, set or frozenset (pydantic's rule): any iterable but text,
    bytes and mappings (generators, dict views, deques, ranges and iterators included)."""
    if isinstance(value, (str, bytes, bytearray, dict, Mapping)):
        return False
    try:
        return hasattr(value, "__iter__")
    except Exception:
        return False


def _read_items(value: Any, error_type: str) -> list[Any]:
    """Every item, read once; an iterator that raises part way is pydantic's ``iteration_error``
    at the index it stopped at."""
    try:
        iterator = iter(value)
    except Exception:
        raise error(error_type, value) from None
    items: list[Any] = []
    while True:
        try:
            items.append(next(iterator))
        except StopIteration:
            return items
        except Exception as exc:
            ctx = {"error": f"{type(exc).__name__}: {exc}"}
            raise LineErrors([((len(items),), "iteration_error", value, ctx, None)]) from None


def _length_errors(
    field_type: str, result: Any, value: Any, min_length: int | None, max_length: int | None
) -> list[RawError]:
    actual = len(result)
    if min_length is not None and actual < min_length:
        ctx = {"field_type": field_type, "min_length": min_length, "actual_length": actual}
        return [((), "too_short", value, ctx, None)]
    if max_length is not None and actual > max_length:
        ctx = {"field_type": field_type, "max_length": max_length, "actual_length": actual}
        return [((), "too_long", value, ctx, None)]
    return []


def _validate_items(
    items: Validator, values: Iterable[Any], state: State, errors: list[RawError]
) -> list[Any]:
    if type(items) is AnyValidator:
        # list(iter(...)): the iterator's length hint is the real size, never an overridden
        # __len__ (which could lie and make list() allocate a huge block)
        return list(iter(values))
    out: list[Any] = []
    for index, item in enumerate(values):
        try:
            out.append(items.validate(item, state))
        except LineErrors as exc:
            errors.extend(prefixed(index, exc.errors))
    return out


def _other_sequence(value: Any, strict: bool, state: State, error_type: str) -> Any:
    """A JSON array for a tuple or set (strict mode too), or another iterable in lax mode (its
    items, read once)."""
    if state.json and isinstance(value, list):
        state.floor(STRICT)
        return value
    if strict or not _iterable(value):
        raise error(error_type, value)
    state.floor(LAX)
    return _read_items(value, error_type)


class ListValidator(Validator):
    __slots__ = ("items", "max_length", "min_length", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.items = build(schema["items"])
        self.strict = bool(schema.get("strict"))
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")

    def validate(self, value: Any, state: State) -> Any:
        items = value
        if not isinstance(value, list):
            if state.strict_for(self.strict) or not _iterable(value):
                raise error("list_type", value)
            state.floor(LAX)
            items = _read_items(value, "list_type")
        errors: list[RawError] = []
        result = _validate_items(self.items, items, state, errors)
        if not errors:
            errors = _length_errors("List", result, value, self.min_length, self.max_length)
        if errors:
            raise LineErrors(errors)
        return result


class TupleValidator(Validator):
    """Fixed (one schema per position, length checked) or variadic (every item by items[0])."""

    __slots__ = ("each", "max_length", "min_length", "positional", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        items = [build(item) for item in schema["items"]]
        self.each: Validator | None = None
        self.positional: list[Validator] = []
        if schema.get("variadic"):
            self.each = items[0] if items else AnyValidator()
        else:
            self.positional = items
        self.strict = bool(schema.get("strict"))
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")

    def validate(self, value: Any, state: State) -> Any:
        items = value
        if not isinstance(value, tuple):
            items = _other_sequence(value, state.strict_for(self.strict), state, "tuple_type")
        errors: list[RawError] = []
        if self.each is not None:
            result = _validate_items(self.each, items, state, errors)
            if result and type(self.each) is AnyValidator:
                state.floor(STRICT)  # each item a strict match, as AnyValidator.validate
        else:
            result = self._positional(list(iter(items)), value, state, errors)
        if not errors:
            errors = _length_errors("Tuple", result, value, self.min_length, self.max_length)
        if errors:
            raise LineErrors(errors)
        return tuple(result)

    def _positional(
        self, values: list[Any], value: Any, state: State, errors: list[RawError]
    ) -> list[Any]:
        count = len(self.positional)
        if len(values) != count:  # only the length is reported
            kind, key = (
                ("too_long", "max_length") if len(values) > count else ("too_short", "min_length")
            )
            ctx = {"field_type": "Tuple", key: count, "actual_length": len(values)}
            raise LineErrors([((), kind, value, ctx, None)])
        result: list[Any] = []
        for index, (item, validator) in enumerate(zip(values, self.positional, strict=True)):
            try:
                result.append(validator.validate(item, state))
            except LineErrors as exc:
                errors.extend(prefixed(index, exc.errors))
        return result


class SetValidator(Validator):
    __slots__ = (
        "error_type",
        "field_type",
        "frozen",
        "items",
        "max_length",
        "min_length",
        "strict",
    )

    def __init__(self, schema: dict[str, Any]) -> None:
        self.frozen = schema["type"] == "frozenset"
        self.error_type = "frozen_set_type" if self.frozen else "set_type"
        self.field_type = "Frozenset" if self.frozen else "Set"
        self.items = build(schema["items"])
        self.strict = bool(schema.get("strict"))
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")

    def validate(self, value: Any, state: State) -> Any:
        exact = frozenset if self.frozen else set
        items = value
        if not isinstance(value, exact):
            strict = state.strict_for(self.strict)
            items = _other_sequence(value, strict, state, self.error_type)
        errors: list[RawError] = []
        result: set[Any] = set()
        for index, item in enumerate(items):
            try:
                validated = self.items.validate(item, state)
            except LineErrors as exc:
                errors.extend(prefixed(index, exc.errors))
                continue
            try:
                result.add(validated)
            except TypeError:
                errors.append(((index,), "set_item_not_hashable", item, None, None))
        if not errors:
            errors = _length_errors(
                self.field_type, result, value, self.min_length, self.max_length
            )
        if errors:
            raise LineErrors(errors)
        return frozenset(result) if self.frozen else result


# The keys of a schema dict that hold child schemas.
_CHILDREN = ("items", "keys", "values", "schema", "choices")


def _lax(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with every ``strict`` flag off, children included."""
    out = dict(schema)
    if "strict" in out:
        out["strict"] = False
    for key in _CHILDREN:
        child = out.get(key)
        if isinstance(child, dict):
            out[key] = _lax(child)
        elif isinstance(child, list):
            out[key] = [_lax(item) if isinstance(item, dict) else item for item in child]
    return out


class DictValidator(Validator):
    """JSON object keys are text standing for any key type: they are read in lax mode, also in
    strict mode (pydantic), by a lax copy of the key validator."""

    __slots__ = ("json_keys", "keys", "max_length", "min_length", "strict", "values")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.keys = build(schema["keys"])
        self.json_keys = build(_lax(schema["keys"]))
        self.values = build(schema["values"])
        self.strict = bool(schema.get("strict"))
        self.min_length: int | None = schema.get("min_length")
        self.max_length: int | None = schema.get("max_length")

    def validate(self, value: Any, state: State) -> Any:
        if not isinstance(value, dict) and (
            state.strict_for(self.strict) or not isinstance(value, Mapping)
        ):
            raise error("dict_type", value)
        errors: list[RawError] = []
        result: dict[Any, Any] = {}
        # the items as they are now (validators may change the dict); a dict's own items, not
        # an `items()` a subclass overrides (as the native core reads them)
        items = list(dict.items(value)) if isinstance(value, dict) else list(value.items())
        for key, item in items:
            try:
                new_key = self._key(key, state)
            except LineErrors as exc:
                errors.extend(prefixed(key, prefixed("[key]", exc.errors)))
                new_key = key
                key_ok = False
            else:
                key_ok = True
            try:
                new_item = self.values.validate(item, state)
            except LineErrors as exc:
                errors.extend(prefixed(key, exc.errors))
                continue
            if key_ok:
                try:
                    result[new_key] = new_item
                except TypeError:
                    errors.append(((key, "[key]"), "dict_key_not_hashable", key, None, None))
        if not errors:
            errors = _length_errors("Dictionary", result, value, self.min_length, self.max_length)
        if errors:
            raise LineErrors(errors)
        return result

    def _key(self, key: Any, state: State) -> Any:
        if not state.json:
            return self.keys.validate(key, state)
        forced = state.strict
        state.strict = False
        try:
            return self.json_keys.validate(key, state)
        finally:
            state.strict = forced


class NullableValidator(Validator):
    __slots__ = ("inner",)

    def __init__(self, schema: dict[str, Any]) -> None:
        self.inner = build(schema["schema"])

    def validate(self, value: Any, state: State) -> Any:
        if value is None:
            return None
        return self.inner.validate(value, state)


# A union choice's success: (value, exactness, fields its models took from the input).
_Success = tuple[Any, int, "int | None"]


class UnionValidator(Validator):
    """pydantic's smart mode: each choice once, in the union's mode. An exact match wins at once;
    else the success whose models took more fields from the input (when both built models), then
    the one that needed less conversion, then the leftmost."""

    __slots__ = ("choices", "left_to_right", "strict")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.choices = [(schema_tag(choice), build(choice)) for choice in schema["choices"]]
        self.strict = bool(schema.get("strict"))
        mode = schema.get("mode", "smart")
        if mode not in ("smart", "left_to_right"):
            raise SchemaError(f"unknown union mode {mode!r}")
        self.left_to_right = mode == "left_to_right"  # the first choice that validates wins

    def validate(self, value: Any, state: State) -> Any:
        outer = (state.strict, state.exactness, state.fields_set)
        state.strict = state.strict or (self.strict and not state.lax)
        try:
            best, errors = self._choose(value, state)
        finally:
            state.strict, state.exactness, state.fields_set = outer
        if best is None:
            if not self.choices:
                errors = [((), "union_tag_invalid", value, None, None)]
            raise LineErrors(errors)
        result, exactness, fields_set = best
        state.floor(exactness)
        if fields_set is not None:
            state.fields_set = (state.fields_set or 0) + fields_set
        return result

    def _choose(self, value: Any, state: State) -> tuple[_Success | None, list[RawError]]:
        best: _Success | None = None
        errors: list[RawError] = []
        for tag, choice in self.choices:
            state.exactness = EXACT
            state.fields_set = None
            try:
                result = choice.validate(value, state)
            except LineErrors as exc:
                if best is None:
                    errors.extend(prefixed(tag, exc.errors))
                continue
            success: _Success = (result, state.exactness, state.fields_set)
            if self.left_to_right or (success[1] == EXACT and success[2] is None):
                return success, []
            if best is None or _beats(success, best):
                best = success
        return best, errors


def _beats(new: _Success, current: _Success) -> bool:
    """pydantic's ranking: fields set first (when both built models), then exactness."""
    if new[2] is not None and current[2] is not None and new[2] != current[2]:
        return new[2] > current[2]
    return new[1] > current[1]


builder("list")(ListValidator)
builder("tuple")(TupleValidator)
builder("set", "frozenset")(SetValidator)
builder("dict")(DictValidator)
builder("nullable")(NullableValidator)
builder("union")(UnionValidator)
