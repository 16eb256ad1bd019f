"""pydantic's constrained type names (`ferrule.types`): each accepts and refuses what pydantic's
does, with pydantic's error types, in fields, nested in containers and through `TypeAdapter`."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

import ferrule
from ferrule import TypeAdapter
from ferrule.errors import ValidationError
from ferrule.types import (
    EmailStr,
    FiniteFloat,
    NegativeFloat,
    NegativeInt,
    NonNegativeFloat,
    NonNegativeInt,
    NonPositiveFloat,
    NonPositiveInt,
    PositiveFloat,
    PositiveInt,
    StrictBool,
    StrictBytes,
    StrictFloat,
    StrictInt,
    StrictStr,
    condecimal,
    confloat,
    conint,
    conlist,
    constr,
)

CASES: list[tuple[Any, Any, Any, str]] = [
    # (type, a value it takes (and what it becomes), a value it refuses, pydantic's error type)
    (PositiveInt, ("1", 1), 0, "greater_than"),
    (NegativeInt, (-1, -1), 0, "less_than"),
    (NonNegativeInt, (0, 0), -1, "greater_than_equal"),
    (NonPositiveInt, (0, 0), 1, "less_than_equal"),
    (PositiveFloat, (0.5, 0.5), 0.0, "greater_than"),
    (NegativeFloat, (-0.5, -0.5), 0.0, "less_than"),
    (NonNegativeFloat, (0.0, 0.0), -0.1, "greater_than_equal"),
    (NonPositiveFloat, (0.0, 0.0), 0.1, "less_than_equal"),
    (FiniteFloat, (1.5, 1.5), math.inf, "finite_number"),
    (StrictInt, (1, 1), "1", "int_type"),
    (StrictFloat, (1.5, 1.5), "1.5", "float_type"),
    (StrictStr, ("a", "a"), 1, "string_type"),
    (StrictBool, (True, True), 1, "bool_type"),
    (StrictBytes, (b"a", b"a"), "a", "bytes_type"),
    (conint(gt=1, lt=10, multiple_of=2), (4, 4), 5, "multiple_of"),
    (confloat(ge=1.0), (1.0, 1.0), 0.5, "greater_than_equal"),
    (
        condecimal(max_digits=3, decimal_places=1),
        ("12.5", Decimal("12.5")),
        "1.25",
        "decimal_max_places",
    ),
    (constr(min_length=2, to_lower=True), ("AbC", "abc"), "A", "string_too_short"),
    (constr(pattern=r"^\d+$"), ("123", "123"), "12a", "string_pattern_mismatch"),
    (conlist(int, min_length=2), (["1", 2], [1, 2]), [1], "too_short"),
]


@pytest.mark.parametrize(("type_", "good", "bad", "error_type"), CASES)
def test_each_type_takes_and_refuses_as_pydantic(
    type_: Any, good: tuple[Any, Any], bad: Any, error_type: str
) -> None:
    adapter = TypeAdapter(type_)
    value, expected = good
    got = adapter.validate_python(value)
    assert got == expected and type(got) is type(expected)
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(bad)
    assert caught.value.errors()[0]["type"] == error_type


def test_in_fields_and_nested_in_containers() -> None:
    class Order(ferrule.Model):
        quantity: PositiveInt
        emails: list[EmailStr] = []
        scores: dict[str, NonNegativeFloat] = {}

    order = Order(quantity=2, emails=["a@b.co"], scores={"x": 0.0})
    assert order.quantity == 2
    with pytest.raises(ValidationError) as caught:
        Order.model_validate({"quantity": 0, "emails": ["nope"], "scores": {"x": -1}})
    assert [e["loc"] for e in caught.value.errors()] == [
        ("quantity",),
        ("emails", 0),
        ("scores", "x"),
    ]
    assert Order.model_json_schema()["properties"]["quantity"] == {
        "type": "integer",
        "exclusiveMinimum": 0,
        "title": "Quantity",
    }
