"""``Annotated[T, AfterValidator(f)]`` and its siblings: pydantic v2's order and answers
(written out here; the suite does not import pydantic), in fields, nested types and adapters."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

import ferrule
from ferrule import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    TypeAdapter,
    WrapValidator,
)
from ferrule.errors import SchemaError, ValidationError


def test_order_matches_pydantic() -> None:
    calls: list[str] = []

    def add_one(v: int) -> int:
        calls.append("add_one")
        return v + 1

    def double(v: int) -> int:
        calls.append("double")
        return v * 2

    def strip(v: Any) -> Any:
        calls.append("strip")
        return v.strip() if isinstance(v, str) else v

    def upper_first(v: Any) -> Any:
        calls.append("upper_first")
        return v

    kind = Annotated[
        int,
        Field(gt=0),
        AfterValidator(add_one),
        AfterValidator(double),
        BeforeValidator(strip),
        BeforeValidator(upper_first),
    ]
    # pydantic: before-validators last written first, then the checks, then after-validators
    assert TypeAdapter(kind).validate_python(" 3 ") == 8
    assert calls == ["upper_first", "strip", "add_one", "double"]


def test_in_fields_nested_types_and_with_decorators() -> None:
    class Tagged(ferrule.Model):
        count: Annotated[int, AfterValidator(lambda v: v * 10)]
        names: list[Annotated[str, BeforeValidator(lambda v: str(v))]] = []
        raw: Annotated[int, PlainValidator(lambda v: len(v))] = 0

        @ferrule.field_validator("count")
        @classmethod
        def at_most(cls, v: int) -> int:
            if v > 100:
                raise ValueError("too many")
            return v

    tagged = Tagged(count=3, names=[1, "b"], raw="abcd")
    assert (tagged.count, tagged.names, tagged.raw) == (30, ["1", "b"], 4)
    with pytest.raises(ValidationError) as caught:
        Tagged(count=11)  # 110 after the Annotated validator: the decorator runs outside it
    assert caught.value.errors()[0]["loc"] == ("count",)
    with pytest.raises(ValidationError):
        Tagged.model_validate_json(b'{"count": "x"}')  # the type's own check still runs


def test_an_error_in_the_function_is_a_validation_error() -> None:
    def positive(v: int) -> int:
        if v < 0:
            raise ValueError("must not be negative")
        return v

    adapter = TypeAdapter(list[Annotated[int, AfterValidator(positive)]])
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python([1, -2])
    error = caught.value.errors()[0]
    assert error["loc"] == (1,) and error["type"] == "value_error"
    assert "must not be negative" in error["msg"]


@pytest.mark.parametrize(
    "metadata",
    [
        WrapValidator(lambda v: v),
        AfterValidator(lambda v, info, extra: v),
    ],
)
def test_what_is_not_supported_is_refused_when_compiled(metadata: Any) -> None:
    with pytest.raises(SchemaError):
        TypeAdapter(Annotated[int, metadata])
    with pytest.raises(SchemaError):

        class Refused(ferrule.Model):
            x: Annotated[int, metadata]


def test_the_validators_are_plain_values() -> None:
    with pytest.raises(TypeError):
        AfterValidator(42)  # type: ignore[arg-type]
    f = str.strip
    assert AfterValidator(f) == AfterValidator(f) and AfterValidator(f) != BeforeValidator(f)
    assert hash(AfterValidator(f)) == hash(AfterValidator(f))
    assert repr(AfterValidator(f)) == "AfterValidator('strip')"
