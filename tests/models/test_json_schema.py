"""`model_json_schema()`: the expected schemas are pydantic 2.14's output for the same models
(values written by the JSON output rules, enums and nested models under $defs, a "type" where
enum or literal values share one). Run under whichever core the process selected."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal, Optional, Union

import annotated_types as at
import pytest
from cores import same

from ferrule import Field, Model

# `Optional[...]` is spelled out as in the pydantic models the answers come from.
# ruff: noqa: UP007, UP045


class Color(enum.Enum):
    RED = "r"
    GREEN = "g"


class Num(enum.IntEnum):
    ONE = 1
    TWO = 2


class Mixed(enum.Enum):
    A = 1
    B = "x"


class Fractional(enum.Enum):
    A = 1.5
    B = 2


class Documented(enum.Enum):
    """Documented."""

    A = (1, 2)


class Flag(enum.Enum):
    ON = True


class Inner(Model):
    z: int = 0


class Defaults(Model):
    tags: list[str] = ["a"]
    when: datetime.date = datetime.date(2020, 1, 2)
    at: datetime.datetime = datetime.datetime(2020, 1, 2, 3, 4, 5)
    dec: decimal.Decimal = decimal.Decimal("1.50")
    unique: set[int] = {1}
    pair: tuple[int, str] = (1, "a")
    mapping: dict[str, int] = {"a": 1}
    inner: Inner = Inner(z=3)
    span: datetime.timedelta = datetime.timedelta(days=1, seconds=2)
    raw: bytes = b"xy"
    ident: uuid.UUID = uuid.UUID(int=1)
    maybe: Optional[int] = None
    ratio: float = 1.0


class Choices(Model):
    color: Color = Color.RED
    num: Num = Num.TWO
    mixed: Mixed = Mixed.A
    fractional: Fractional = Fractional.A
    documented: Documented = Documented.A
    flag: Flag
    maybe_color: Optional[Color] = None
    lit: Literal["a", "b"] = "a"
    one: Literal[1] = 1
    lit_mixed: Literal[1, "a"] = 1
    lit_bool: Literal[True, False] = True
    lit_none: Literal["a", None] = None
    lit_member: Literal[Color.RED] = Color.RED


class Bounds(Model):
    price: decimal.Decimal = Field(gt=decimal.Decimal("1.5"), multiple_of=decimal.Decimal("0.5"))
    whole: decimal.Decimal = Field(le=decimal.Decimal("10"))
    ratio: float = Field(ge=1, le=2.5)
    inner: Optional[Inner] = None
    inners: list[Inner] = []
    either: Inner | int = 0


DEFAULTS: dict[str, Any] = {
    "$defs": {
        "Inner": {
            "properties": {"z": {"default": 0, "title": "Z", "type": "integer"}},
            "title": "Inner",
            "type": "object",
        }
    },
    "properties": {
        "at": {
            "default": "2020-01-02T03:04:05",
            "format": "date-time",
            "title": "At",
            "type": "string",
        },
        "dec": {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "default": "1.50",
            "title": "Dec",
        },
        "ident": {
            "default": "00000000-0000-0000-0000-000000000001",
            "format": "uuid",
            "title": "Ident",
            "type": "string",
        },
        "inner": {"$ref": "#/$defs/Inner", "default": {"z": 3}},
        "mapping": {
            "additionalProperties": {"type": "integer"},
            "default": {"a": 1},
            "title": "Mapping",
            "type": "object",
        },
        "maybe": {
            "anyOf": [{"type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "Maybe",
        },
        "pair": {
            "default": [1, "a"],
            "maxItems": 2,
            "minItems": 2,
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "title": "Pair",
            "type": "array",
        },
        "ratio": {"default": 1.0, "title": "Ratio", "type": "number"},
        "raw": {"default": "xy", "format": "binary", "title": "Raw", "type": "string"},
        "span": {"default": "P1DT2S", "format": "duration", "title": "Span", "type": "string"},
        "tags": {"default": ["a"], "items": {"type": "string"}, "title": "Tags", "type": "array"},
        "unique": {
            "default": [1],
            "items": {"type": "integer"},
            "title": "Unique",
            "type": "array",
            "uniqueItems": True,
        },
        "when": {"default": "2020-01-02", "format": "date", "title": "When", "type": "string"},
    },
    "title": "Defaults",
    "type": "object",
}
CHOICES: dict[str, Any] = {
    "$defs": {
        "Color": {"enum": ["r", "g"], "title": "Color", "type": "string"},
        "Documented": {
            "description": "Documented.",
            "enum": [[1, 2]],
            "title": "Documented",
            "type": "array",
        },
        "Flag": {"enum": [True], "title": "Flag", "type": "boolean"},
        "Fractional": {"enum": [1.5, 2], "title": "Fractional"},
        "Mixed": {"enum": [1, "x"], "title": "Mixed"},
        "Num": {"enum": [1, 2], "title": "Num", "type": "integer"},
    },
    "properties": {
        "color": {"$ref": "#/$defs/Color", "default": "r"},
        "documented": {"$ref": "#/$defs/Documented", "default": [1, 2]},
        "flag": {"$ref": "#/$defs/Flag"},
        "fractional": {"$ref": "#/$defs/Fractional", "default": 1.5},
        "lit": {"default": "a", "enum": ["a", "b"], "title": "Lit", "type": "string"},
        "lit_bool": {
            "default": True,
            "enum": [True, False],
            "title": "Lit Bool",
            "type": "boolean",
        },
        "lit_member": {"const": "r", "default": "r", "title": "Lit Member", "type": "string"},
        "lit_mixed": {"default": 1, "enum": [1, "a"], "title": "Lit Mixed"},
        "lit_none": {"default": None, "enum": ["a", None], "title": "Lit None"},
        "maybe_color": {"anyOf": [{"$ref": "#/$defs/Color"}, {"type": "null"}], "default": None},
        "mixed": {"$ref": "#/$defs/Mixed", "default": 1},
        "num": {"$ref": "#/$defs/Num", "default": 2},
        "one": {"const": 1, "default": 1, "title": "One", "type": "integer"},
    },
    "required": ["flag"],
    "title": "Choices",
    "type": "object",
}
BOUNDS: dict[str, Any] = {
    "$defs": {
        "Inner": {
            "properties": {"z": {"default": 0, "title": "Z", "type": "integer"}},
            "title": "Inner",
            "type": "object",
        }
    },
    "properties": {
        "either": {
            "anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "integer"}],
            "default": 0,
            "title": "Either",
        },
        "inner": {"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}], "default": None},
        "inners": {
            "default": [],
            "items": {"$ref": "#/$defs/Inner"},
            "title": "Inners",
            "type": "array",
        },
        "price": {
            "anyOf": [
                {"exclusiveMinimum": 1.5, "multipleOf": 0.5, "type": "number"},
                {"type": "string"},
            ],
            "title": "Price",
        },
        "ratio": {"maximum": 2.5, "minimum": 1, "title": "Ratio", "type": "number"},
        "whole": {
            "anyOf": [{"maximum": 10.0, "type": "number"}, {"type": "string"}],
            "title": "Whole",
        },
    },
    "required": ["price", "whole", "ratio"],
    "title": "Bounds",
    "type": "object",
}


class Nested(Model):
    scores: list[Annotated[int, Field(gt=0)]]
    names: dict[str, Annotated[str, at.MinLen(2)]] = {}
    maybe: Optional[Annotated[int, at.Interval(ge=1, lt=5)]] = None
    either: Annotated[int, Field(multiple_of=2)] | str = 0
    top: Annotated[str, at.Len(1, 3)] = "a"
    pairs: tuple[Annotated[float, at.Le(1.5)], ...] = ()


NESTED: dict[str, Any] = {
    "properties": {
        "either": {
            "anyOf": [{"multipleOf": 2, "type": "integer"}, {"type": "string"}],
            "default": 0,
            "title": "Either",
        },
        "maybe": {
            "anyOf": [{"exclusiveMaximum": 5, "minimum": 1, "type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "Maybe",
        },
        "names": {
            "additionalProperties": {"minLength": 2, "type": "string"},
            "default": {},
            "title": "Names",
            "type": "object",
        },
        "pairs": {
            "default": [],
            "items": {"maximum": 1.5, "type": "number"},
            "title": "Pairs",
            "type": "array",
        },
        "scores": {
            "items": {"exclusiveMinimum": 0, "type": "integer"},
            "title": "Scores",
            "type": "array",
        },
        "top": {"default": "a", "maxLength": 3, "minLength": 1, "title": "Top", "type": "string"},
    },
    "required": ["scores"],
    "title": "Nested",
    "type": "object",
}


@pytest.mark.parametrize(
    ("model", "expected"),
    [(Defaults, DEFAULTS), (Choices, CHOICES), (Bounds, BOUNDS), (Nested, NESTED)],
    ids=["defaults", "choices", "bounds", "nested-constraints"],
)
def test_json_schema_matches_pydantic(model: Any, expected: dict[str, Any]) -> None:
    schema = model.model_json_schema()
    assert same(schema, expected), schema


def test_a_default_without_a_json_form_is_left_out() -> None:
    class Odd(Model):
        value: Any = object()

    assert "default" not in Odd.model_json_schema()["properties"]["value"]


class Pick(Model):
    x: int = 0


class Unions(Model):
    a: Union[int, str, None] = None
    b: Union[int, None, str] = None  # noqa: RUF036
    c: Optional[Union[Pick, int]] = None
    d: list[Optional[int]] = []
    e: Optional[Literal["a", "b"]] = None
    f: Union[Literal["a"], Literal["b"]] = "a"
    g: Optional[Any] = None
    h: tuple[int, ...] = Field((), max_length=3)
    i: Optional[datetime.date] = None
    j: int | None = Field(None, ge=1)
    k: bytes | None = None
    l: Literal[1, 2] | None = None  # noqa: E741


UNIONS: dict[str, Any] = {
    "$defs": {
        "Pick": {
            "properties": {"x": {"default": 0, "title": "X", "type": "integer"}},
            "title": "Pick",
            "type": "object",
        }
    },
    "properties": {
        "a": {
            "anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}],
            "default": None,
            "title": "A",
        },
        "b": {
            "anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}],
            "default": None,
            "title": "B",
        },
        "c": {
            "anyOf": [{"$ref": "#/$defs/Pick"}, {"type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "C",
        },
        "d": {
            "default": [],
            "items": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "title": "D",
            "type": "array",
        },
        "e": {
            "anyOf": [{"enum": ["a", "b"], "type": "string"}, {"type": "null"}],
            "default": None,
            "title": "E",
        },
        "f": {
            "anyOf": [{"const": "a", "type": "string"}, {"const": "b", "type": "string"}],
            "default": "a",
            "title": "F",
        },
        "g": {"anyOf": [{}, {"type": "null"}], "default": None, "title": "G"},
        "h": {
            "default": [],
            "items": {"type": "integer"},
            "maxItems": 3,
            "title": "H",
            "type": "array",
        },
        "i": {
            "anyOf": [{"format": "date", "type": "string"}, {"type": "null"}],
            "default": None,
            "title": "I",
        },
        "j": {
            "anyOf": [{"minimum": 1, "type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "J",
        },
        "k": {
            "anyOf": [{"format": "binary", "type": "string"}, {"type": "null"}],
            "default": None,
            "title": "K",
        },
        "l": {
            "anyOf": [{"enum": [1, 2], "type": "integer"}, {"type": "null"}],
            "default": None,
            "title": "L",
        },
    },
    "title": "Unions",
    "type": "object",
}


def test_unions_are_one_flat_any_of() -> None:
    assert Unions.model_json_schema() == UNIONS


def test_serialization_schema_follows_a_serializers_declared_return_type() -> None:
    # pydantic 2.14's answer: a serializer's return type (its `return_type=` or its return
    # annotation) is what the serialization schema describes; without one, the field's type
    from ferrule import Model, PlainSerializer, WrapSerializer, field_serializer

    class Out(Model):
        n: int
        m: int
        w: int
        p: Annotated[int, PlainSerializer(lambda v: str(v), return_type=str)]
        q: Annotated[int, PlainSerializer(lambda v: str(v))]
        r: Annotated[int, WrapSerializer(lambda v, h: h(v))]
        t: int

        @field_serializer("n")
        def ser(self, v: int) -> str:
            return str(v)

        @field_serializer("m")
        def ser2(self, v):  # type: ignore[no-untyped-def]
            return str(v)

        @field_serializer("w", mode="wrap")
        def ser3(self, v, h) -> list[int]:  # type: ignore[no-untyped-def]
            return [h(v)]

        @field_serializer("t", return_type=float)
        def ser4(self, v):  # type: ignore[no-untyped-def]
            return float(v)

    assert Out.model_json_schema(mode="serialization")["properties"] == {
        "n": {"title": "N", "type": "string"},
        "m": {"title": "M", "type": "integer"},
        "w": {"items": {"type": "integer"}, "title": "W", "type": "array"},
        "p": {"title": "P", "type": "string"},
        "q": {"title": "Q", "type": "integer"},
        "r": {"title": "R", "type": "integer"},
        "t": {"title": "T", "type": "number"},
    }
    # validation mode describes the input: the fields' own types
    described = Out.model_json_schema()["properties"]
    assert {k: v["type"] for k, v in described.items()} == dict.fromkeys("nmwpqrt", "integer")


def test_serialization_schema_follows_a_model_serializers_declared_return_type() -> None:
    # pydantic 2.14's answers, written out
    from ferrule import Model, model_serializer

    class Declared(Model):
        a: int

        @model_serializer
        def ser(self) -> dict[str, int]:
            return {"x": self.a}

    class Undeclared(Model):
        a: int

        @model_serializer
        def ser(self):  # type: ignore[no-untyped-def]
            return {"x": self.a}

    class Text(Model):
        a: int

        @model_serializer(mode="wrap")
        def ser(self, handler) -> str:  # type: ignore[no-untyped-def]
            return str(handler(self))

    class Outer(Model):
        m: Declared

    assert Declared.model_json_schema(mode="serialization") == {
        "additionalProperties": {"type": "integer"},
        "type": "object",
    }
    assert Undeclared.model_json_schema(mode="serialization") == {
        "properties": {"a": {"title": "A", "type": "integer"}},
        "required": ["a"],
        "title": "Undeclared",
        "type": "object",
    }
    assert Text.model_json_schema(mode="serialization") == {"type": "string"}
    assert Outer.model_json_schema(mode="serialization") == {
        "$defs": {"Declared": {"additionalProperties": {"type": "integer"}, "type": "object"}},
        "properties": {"m": {"$ref": "#/$defs/Declared"}},
        "required": ["m"],
        "title": "Outer",
        "type": "object",
    }
    assert Declared.model_json_schema()["properties"] == {"a": {"title": "A", "type": "integer"}}
