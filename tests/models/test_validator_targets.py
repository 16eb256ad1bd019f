"""`field_validator("*")` and `check_fields=False`, as in pydantic v2."""

from __future__ import annotations

from typing import Any

import pytest

import ferrule
from ferrule.errors import SchemaError, ValidationError


class Stripped(ferrule.Model):
    @ferrule.field_validator("*", mode="before")
    @classmethod
    def strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @ferrule.field_validator("code", check_fields=False)
    @classmethod
    def upper(cls, value: str) -> str:
        return value.upper()


class Product(Stripped):
    name: str
    code: str
    price: int = 0


def test_star_runs_on_every_field_and_unchecked_names_wait_for_their_field() -> None:
    product = Product(name=" lamp ", code=" ab ", price=" 3 ")  # type: ignore[arg-type]
    assert (product.name, product.code, product.price) == ("lamp", "AB", 3)
    assert Stripped().model_dump() == {}  # no fields: nothing to run on, no error


def test_star_validators_keep_their_place_among_the_others() -> None:
    calls: list[str] = []

    class Ordered(ferrule.Model):
        a: int

        @ferrule.field_validator("a")
        @classmethod
        def first(cls, value: int) -> int:
            calls.append("first")
            return value

        @ferrule.field_validator("*")
        @classmethod
        def every(cls, value: int) -> int:
            calls.append("every")
            return value

    Ordered(a=1)
    assert calls == ["first", "every"]


def test_unknown_names_are_still_errors_unless_unchecked() -> None:
    with pytest.raises(SchemaError, match="unknown field"):

        class Typo(ferrule.Model):
            name: str

            @ferrule.field_validator("nmae")
            @classmethod
            def check(cls, value: str) -> str:
                return value

    with pytest.raises(TypeError):
        ferrule.field_validator("x", check_fields="no")  # type: ignore[arg-type]


def test_errors_from_a_star_validator_name_the_field() -> None:
    class Positive(ferrule.Model):
        x: int
        y: int

        @ferrule.field_validator("*")
        @classmethod
        def positive(cls, value: int) -> int:
            if value <= 0:
                raise ValueError("must be positive")
            return value

    with pytest.raises(ValidationError) as caught:
        Positive(x=1, y=0)
    assert [e["loc"] for e in caught.value.errors()] == [("y",)]
