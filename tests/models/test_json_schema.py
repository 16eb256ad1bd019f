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
import json_schema_cases as cases
import pytest
from cores import same

from ferrule import ConfigDict, Field, Model, TypeAdapter
from ferrule.errors import SchemaError

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


# --- a broad table: pydantic's output written out in json_schema_cases.py ----------------------


class Hue(enum.Enum):
    """Colours.

    Indented line."""

    RED = "r"
    GREEN = "g"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Address(Model):
    """Where someone lives.

    Second paragraph, indented
        further.
    """

    street: str
    zip_code: str = Field(pattern=r"^\d{5}$")


class Person(Model):
    first_name: str = Field(min_length=1, max_length=50)
    last_name: str = Field(title="Surname", description="Family name", examples=["Doe"])
    age: Optional[int] = Field(None, ge=0, lt=150)
    email: Optional[str] = None
    score: float = Field(0.5, gt=0, le=1, multiple_of=0.25)
    tags: list[str] = Field(default_factory=list, min_length=0, max_length=5)
    address: Address
    addresses: list[Address] = []
    color: Hue = Hue.RED
    level: Optional[Level] = None
    born: datetime.date = datetime.date(2000, 1, 1)
    seen: Optional[datetime.datetime] = None
    ident: uuid.UUID
    flags: dict[str, bool] = {}
    pair: tuple[int, ...] = ()
    kind: Literal["a", "b"] = "a"
    either: int | str = 1
    extra_info: Any = None


class Strict(Model):
    model_config = ConfigDict(extra="forbid", title="StrictTitle")
    a: int


class Loose(Model):
    model_config = ConfigDict(extra="allow")
    a: int = 1


class Ignored(Model):
    model_config = ConfigDict(extra="ignore")
    a: int = 1


class Node(Model):
    """A tree."""

    value: int
    children: list[Node] = []
    parent: Optional[Node] = None


class Tree(Model):
    root: Node
    size: int = 0


class Extra(Model):
    model_config = ConfigDict(json_schema_extra={"examples": [{"a": 1}], "x-tag": "t"})
    a: int = Field(1, json_schema_extra={"x-field": True})
    b: str = Field("s", json_schema_extra=lambda s: s.update({"x-fn": 1}))


def _mutate(schema, cls):
    schema["x-cls"] = cls.__name__


class ExtraFn(Model):
    model_config = ConfigDict(json_schema_extra=_mutate)
    a: int = 0


def _mutate1(schema):
    schema.pop("title")


class ExtraFn1(Model):
    model_config = ConfigDict(json_schema_extra=_mutate1)
    a: int = 0


class Aliased(Model):
    first_name: str = Field(alias="firstName")
    other: int = Field(0, alias="other_alias", title="Given")
    address: Optional[Address] = Field(None, alias="addr", description="An address")


class Serial(Model):
    model_config = ConfigDict(ser_json_timedelta="float", ser_json_bytes="base64")
    d: datetime.timedelta = datetime.timedelta(seconds=90)
    b: bytes = b"\xff"
    dec: decimal.Decimal = decimal.Decimal("1.5")
    t: datetime.time = datetime.time(1, 2)


class Plain(Model):
    d: datetime.timedelta
    b: bytes
    dec: decimal.Decimal
    raw: bytes = Field(b"x", min_length=1, max_length=4)
    s: set[int] = set()
    fs: frozenset[str] = frozenset()
    t2: tuple[int, str]
    t0: tuple[()] = ()
    lit_none: Literal[None] = None
    maybe_list: Optional[list[int]] = None
    nested: dict[str, list[Optional[Address]]] = {}


class WithModelDefault(Model):
    address: Address = Address(street="x", zip_code="12345")
    when: datetime.datetime = datetime.datetime(
        2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    naive: datetime.datetime = datetime.datetime(2020, 1, 2, 3, 4, 5)
    level: Level = Level.HIGH
    colors: list[Hue] = [Hue.GREEN]


class Empty(Model):
    pass


class DocOnly(Model):
    __doc__ = "   Leading spaces.   "  # not a docstring: formatters would strip it

    a: int = 0


class Person2(Person):
    """Subclass doc."""

    nick: str = ""


class Constrained(Model):
    name: Annotated[str, Field(min_length=2)] = "ab"
    nums: Annotated[list[int], Field(min_length=1)] = [1]
    m: dict[str, int] = Field(default={}, min_length=1)
    dec: decimal.Decimal = Field(
        decimal.Decimal("1"), ge=decimal.Decimal("0"), max_digits=5, decimal_places=2
    )
    fl: float = Field(1.0, allow_inf_nan=False)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Person.model_json_schema(), cases.PERSON),
        (lambda: Person.model_json_schema(mode="serialization"), cases.PERSON),
        (lambda: Address.model_json_schema(), cases.ADDRESS_DEF),
        (lambda: Strict.model_json_schema(), cases.STRICT),
        (lambda: Loose.model_json_schema(), cases.LOOSE),
        (lambda: Ignored.model_json_schema(), cases.IGNORED),
        (lambda: Node.model_json_schema(), cases.NODE),
        (lambda: Node.model_json_schema(mode="serialization"), cases.NODE),
        (lambda: Tree.model_json_schema(), cases.TREE),
        (lambda: Extra.model_json_schema(), cases.EXTRA),
        (lambda: ExtraFn.model_json_schema(), cases.EXTRAFN),
        (lambda: ExtraFn1.model_json_schema(), cases.EXTRAFN1),
        (lambda: Aliased.model_json_schema(), cases.ALIASED),
        (lambda: Aliased.model_json_schema(by_alias=False), cases.ALIASED_NOALIAS),
        (lambda: Serial.model_json_schema(), cases.SERIAL),
        (lambda: Serial.model_json_schema(mode="serialization"), cases.SERIAL_SER),
        (lambda: Plain.model_json_schema(), cases.PLAIN),
        (lambda: Plain.model_json_schema(mode="serialization"), cases.PLAIN_SER),
        (lambda: WithModelDefault.model_json_schema(), cases.WITHMODELDEFAULT),
        (lambda: Empty.model_json_schema(), cases.EMPTY),
        (lambda: DocOnly.model_json_schema(), cases.DOCONLY),
        (lambda: Constrained.model_json_schema(), cases.CONSTRAINED),
        (lambda: Constrained.model_json_schema(mode="serialization"), cases.CONSTRAINED_SER),
        (
            lambda: Tree.model_json_schema(ref_template="#/components/schemas/{model}"),
            cases.TREE_TMPL,
        ),
        (lambda: Node.model_json_schema(ref_template="/defs/{model}.json"), cases.NODE_TMPL),
        (lambda: TypeAdapter(list[Address]).json_schema(), cases.TA_LIST),
        (lambda: TypeAdapter(Annotated[int, Field(gt=0)]).json_schema(), cases.TA_INT),
        (lambda: TypeAdapter(Optional[Hue]).json_schema(), cases.TA_OPT),
        (lambda: TypeAdapter(Node).json_schema(), cases.TA_MODEL),
        (lambda: TypeAdapter(dict[str, Tree]).json_schema(mode="serialization"), cases.TA_DICT),
    ],
)
def test_pydantic_table(make: Any, expected: dict[str, Any]) -> None:
    assert make() == expected


def test_same_class_names_get_module_names() -> None:
    def make() -> Any:
        class Hue(Model):
            a: int = 0

        return Hue

    local = make()

    class Both(Model):
        a: local  # type: ignore[valid-type]
        b: Hue

    module = __name__.replace(".", "__")
    long_local = f"{module}__test_same_class_names_get_module_names___locals___make___locals___Hue"
    schema = Both.model_json_schema()
    assert sorted(schema["$defs"]) == sorted([long_local, f"{module}__Hue"])
    assert schema["properties"]["a"] == {"$ref": f"#/$defs/{long_local}"}


def test_naive_datetime_is_date_time_as_in_pydantic() -> None:
    # pydantic calls every datetime "date-time"; a naive one's text has no UTC offset, so a
    # validator that asserts RFC 3339 formats (ferrule.json.Schema does) refuses its dump
    from ferrule.json import Schema

    schema = WithModelDefault.model_json_schema()
    assert schema["properties"]["naive"]["format"] == "date-time"
    checker = Schema(schema)
    assert checker.is_valid({"when": "2020-01-02T03:04:05+02:00"})
    assert not checker.is_valid({"naive": "2020-01-02T03:04:05"})


def test_arbitrary_types_have_no_json_schema() -> None:
    class Thing:
        pass

    class Holds(Model, arbitrary_types_allowed=True):  # type: ignore[call-arg]
        thing: Thing

    with pytest.raises(SchemaError, match="Thing"):
        Holds.model_json_schema()


@pytest.mark.parametrize(
    "kwargs", [{"mode": "python"}, {"ref_template": "#/$defs/"}, {"ref_template": 1}]
)
def test_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Node.model_json_schema(**kwargs)


class Keyed(Model):
    a: int = Field(0, exclude=True)  # input still: in the validation schema only
    b: dict[int, str] = {}
    c: dict[str, int] = Field({}, max_length=3)
    d: dict[uuid.UUID, int] = {}
    e: dict[Level, int] = {}
    f: dict[Literal["x", "y"], int] = {}
    g: Optional[dict[str, int]] = None
    h: list[int] = Field([], min_length=1)
    i: frozenset[int] = frozenset()
    p: dict[Annotated[str, Field(pattern="^a")], Optional[int]] = {}
    q: dict[Annotated[str, Field(max_length=3)], int] = {}
    r: dict[Annotated[str, Field(pattern="^a", max_length=3)], int] = {}


KEYED_PROPERTIES: dict[str, Any] = {
    "a": {"default": 0, "title": "A", "type": "integer"},
    "b": {
        "additionalProperties": {"type": "string"},
        "default": {},
        "title": "B",
        "type": "object",
    },
    "c": {
        "additionalProperties": {"type": "integer"},
        "default": {},
        "maxProperties": 3,
        "title": "C",
        "type": "object",
    },
    "d": {
        "additionalProperties": {"type": "integer"},
        "default": {},
        "propertyNames": {"format": "uuid"},
        "title": "D",
        "type": "object",
    },
    "e": {
        "additionalProperties": {"type": "integer"},
        "default": {},
        "propertyNames": {"$ref": "#/$defs/Level"},
        "title": "E",
        "type": "object",
    },
    "f": {
        "additionalProperties": {"type": "integer"},
        "default": {},
        "propertyNames": {"enum": ["x", "y"]},
        "title": "F",
        "type": "object",
    },
    "g": {
        "anyOf": [
            {"additionalProperties": {"type": "integer"}, "type": "object"},
            {"type": "null"},
        ],
        "default": None,
        "title": "G",
    },
    "h": {
        "default": [],
        "items": {"type": "integer"},
        "minItems": 1,
        "title": "H",
        "type": "array",
    },
    "i": {
        "default": [],
        "items": {"type": "integer"},
        "title": "I",
        "type": "array",
        "uniqueItems": True,
    },
    "p": {
        "default": {},
        "patternProperties": {"^a": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
        "title": "P",
        "type": "object",
    },
    "q": {
        "additionalProperties": {"type": "integer"},
        "default": {},
        "propertyNames": {"maxLength": 3},
        "title": "Q",
        "type": "object",
    },
    "r": {
        "default": {},
        "patternProperties": {"^a": {"type": "integer"}},
        "propertyNames": {"maxLength": 3},
        "title": "R",
        "type": "object",
    },
}


def test_dict_keys_and_excluded_fields() -> None:
    schema = Keyed.model_json_schema()
    assert schema["properties"] == KEYED_PROPERTIES
    assert schema["$defs"] == {"Level": cases.LEVEL_DEF}
    serialized = Keyed.model_json_schema(mode="serialization")["properties"]
    assert serialized == {k: v for k, v in KEYED_PROPERTIES.items() if k != "a"}


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
