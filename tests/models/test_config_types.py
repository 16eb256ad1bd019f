"""Model options that apply to every field of a kind, with pydantic v2's answers (written out
here): str_strip_whitespace / str_to_lower / str_to_upper / str_min_length / str_max_length,
use_enum_values, coerce_numbers_to_str."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import pytest

import ferrule
from ferrule import ConfigDict, Field
from ferrule.errors import SchemaError, ValidationError


class Color(enum.Enum):
    RED = "red"


class Inner(ferrule.Model):
    text: str  # its own options: none


class Form(ferrule.Model):
    model_config = ConfigDict(str_strip_whitespace=True, str_to_lower=True, str_max_length=5)
    name: str
    tags: list[str | None] = []
    labels: dict[str, str] = {}
    code: str = Field("", max_length=10)  # a field's own setting comes first
    inner: Inner | None = None


def test_string_options_reach_every_str_in_the_model() -> None:
    form = Form(
        name="  ADA ",
        tags=[" X ", None],
        labels={" K ": " V "},
        code="ABCDEFGH",
        inner={"text": "  KEEP  "},
    )
    assert (form.name, form.tags, form.labels, form.code) == (
        "ada",
        ["x", None],
        {"k": "v"},
        "abcdefgh",
    )
    assert form.inner is not None and form.inner.text == "  KEEP  "  # a nested model: its own
    with pytest.raises(ValidationError) as caught:
        Form(name="toolong")
    assert caught.value.errors()[0]["type"] == "string_too_long"
    assert Form.model_validate_json(b'{"name": " Bo "}').name == "bo"


def test_use_enum_values_stores_the_value() -> None:
    class Paint(ferrule.Model, use_enum_values=True):
        color: Color
        maybe: Color | None = None

    paint = Paint(color="red", maybe=Color.RED)
    assert paint.color == "red" and type(paint.color) is str and paint.maybe == "red"
    with pytest.raises(ValidationError):
        Paint(color="blue")


def test_coerce_numbers_to_str() -> None:
    class Loose(ferrule.Model, coerce_numbers_to_str=True):
        text: str

    assert [Loose(text=v).text for v in (1, 2.5, Decimal("1.10"), "x")] == ["1", "2.5", "1.10", "x"]
    with pytest.raises(ValidationError):
        Loose(text=True)  # a bool is not a number here, as in pydantic
    with pytest.raises(ValidationError):
        Loose(text=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options",
    [
        {"str_max_length": -1},
        {"str_min_length": "3"},
        {"str_to_lower": 1},
        {"use_enum_values": "yes"},
    ],
)
def test_bad_values_are_schema_errors(options: dict[str, Any]) -> None:
    with pytest.raises(SchemaError):

        class Bad(ferrule.Model, **options):  # type: ignore[misc]
            x: str
