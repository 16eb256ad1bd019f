"""`model_json_schema()` over a broad table of models: the expected schemas are pydantic 2.14's
output for the same models, written out in json_schema_cases.py. Run under whichever core the
process selected."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal, Optional

import json_schema_cases as cases
import pytest

from ferrule import ConfigDict, Field, Model, TypeAdapter
from ferrule.errors import SchemaError

# `Optional[...]` is spelled out as in the pydantic models the answers come from.
# ruff: noqa: UP045


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
