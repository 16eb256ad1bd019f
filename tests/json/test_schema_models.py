"""`Schema` against ferrule's own models: each model's `model_json_schema()` accepts its own
`model_dump(mode="json")` and refuses broken dumps; `Schema.to_model()` builds models; both
cores agree on random instances (hypothesis)."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ferrule import Field, Model, ValidationError
from ferrule.errors import JSONSchemaError
from ferrule.json import Schema, dumps

# ruff: noqa: UP045


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Address(Model):
    street: str = Field(min_length=1, max_length=40)
    zip_code: str = Field(pattern=r"^[0-9]{5}$")


class Person(Model):
    id: int = Field(ge=1, le=10_000)
    name: str = Field(min_length=2)
    score: float = Field(gt=0, lt=100)
    color: Color
    kind: Literal["a", "b"]
    nickname: Optional[str] = None
    tags: list[str] = []
    address: Address
    history: list[Address] = []
    counts: dict[str, int] = {}


class Event(Model):
    at: datetime.datetime
    day: datetime.date
    ident: uuid.UUID
    price: decimal.Decimal
    ratio: Annotated[float, Field(multiple_of=0.25)] = 0.5
    flags: list[bool] = []


PERSON = Person(
    id=7,
    name="Ann",
    score=12.5,
    color=Color.GREEN,
    kind="b",
    tags=["x", "y"],
    address=Address(street="Main", zip_code="12345"),
    history=[Address(street="Old", zip_code="54321")],
    counts={"a": 1},
)
EVENT = Event(
    at=datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc),
    day=datetime.date(2024, 2, 29),
    ident=uuid.UUID(int=12345),
    price=decimal.Decimal("19.99"),
    ratio=0.75,
    flags=[True],
)

BROKEN: list[tuple[Any, dict[str, Any], str]] = [
    (PERSON, {"id": 0}, "/id"),
    (PERSON, {"id": "7"}, "/id"),
    (PERSON, {"name": "A"}, "/name"),
    (PERSON, {"score": 100}, "/score"),
    (PERSON, {"color": "blue"}, "/color"),
    (PERSON, {"kind": "c"}, "/kind"),
    (PERSON, {"nickname": 3}, "/nickname"),
    (PERSON, {"tags": ["x", 1]}, "/tags/1"),
    (PERSON, {"address": {"street": "", "zip_code": "12345"}}, "/address/street"),
    (PERSON, {"history": [{"street": "x", "zip_code": "1234"}]}, "/history/0/zip_code"),
    (PERSON, {"counts": {"a": 1.5}}, "/counts/a"),
    (EVENT, {"at": "yesterday"}, "/at"),
    (EVENT, {"day": "2023-02-29"}, "/day"),
    (EVENT, {"ident": "not-a-uuid"}, "/ident"),
    (EVENT, {"ratio": 0.3}, "/ratio"),
    (EVENT, {"flags": [1]}, "/flags/0"),
]


@pytest.mark.parametrize("core", ["native", "python"])
@pytest.mark.parametrize("instance", [PERSON, EVENT, Address(street="s", zip_code="00000")])
def test_model_schema_accepts_its_dump(core: str, instance: Model) -> None:
    schema = Schema(type(instance).model_json_schema(), core=core)
    dump = instance.model_dump(mode="json")
    assert schema.errors(dump) == []
    assert schema.is_valid(instance.model_dump_json())


@pytest.mark.parametrize("core", ["native", "python"])
@pytest.mark.parametrize(("instance", "change", "pointer"), BROKEN)
def test_model_schema_refuses_broken_dumps(
    core: str, instance: Model, change: dict[str, Any], pointer: str
) -> None:
    schema = Schema(type(instance).model_json_schema(), core=core)
    dump = {**instance.model_dump(mode="json"), **change}
    assert pointer in [e["pointer"] for e in schema.errors(dump)]


@pytest.mark.parametrize("core", ["native", "python"])
def test_model_schema_requires_required(core: str) -> None:
    schema = Schema(Person.model_json_schema(), core=core)
    dump = PERSON.model_dump(mode="json")
    del dump["address"]
    assert [(e["pointer"], e["ctx"]) for e in schema.errors(dump)] == [
        ("", {"property": "address"})
    ]


# --- to_model --------------------------------------------------------------------------------

API_RECORD = {
    "type": "object",
    "title": "Record",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 1, "maxLength": 20},
        "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "status": {"enum": ["active", "closed"]},
        "score": {"type": ["number", "null"], "exclusiveMaximum": 10},
        "created": {"type": "string", "format": "date-time"},
        "owner": {"type": "string", "format": "uuid"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"$ref": "#/$defs/zip"}},
            "required": ["city"],
            "additionalProperties": False,
        },
    },
    "required": ["id", "name", "status"],
    "$defs": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
}


def test_to_model() -> None:
    model: Any = Schema(API_RECORD).to_model("Record")
    good = model(
        id=1,
        name="x",
        status="active",
        created="2024-01-01T00:00:00Z",
        owner=str(uuid.UUID(int=1)),
        tags=["a"],
        meta={"a": 1},
        address={"city": "Oslo", "zip": "01234"},
    )
    assert good.address.city == "Oslo"
    assert good.owner == uuid.UUID(int=1)
    assert good.code is None
    assert type(good.address).__name__ == "RecordAddress"
    bad = [
        {"id": 0, "name": "x", "status": "active"},
        {"id": 1, "name": "", "status": "active"},
        {"id": 1, "name": "x", "status": "gone"},
        {"id": 1, "name": "x", "status": "active", "code": "ab"},
        {"id": 1, "name": "x", "status": "active", "score": 10},
        {"id": 1, "name": "x", "status": "active", "tags": ["a", "b", "c", "d"]},
        {"id": 1, "name": "x", "status": "active", "address": {"city": "a", "zip": "1"}},
        {"id": 1, "name": "x", "status": "active", "address": {"city": "a", "x": 1}},
        {"name": "x", "status": "active"},
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            model.model_validate(data)
    # the model's dump is valid for the schema it came from
    assert Schema(API_RECORD).errors(good.model_dump(mode="json", exclude_none=True)) == []


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"type": "object", "properties": {"a": {"anyOf": [{}, {}]}}}, "/properties/a/anyOf"),
        (
            {"type": "object", "properties": {"a": {"type": "array", "uniqueItems": True}}},
            "/properties/a/uniqueItems",
        ),
        ({"type": "object", "patternProperties": {"x": {}}}, "/patternProperties"),
        (
            {"type": "object", "properties": {"a": {"type": ["string", "integer"]}}},
            "/properties/a/type",
        ),
        ({"type": "object", "properties": {"a": {"$ref": "#"}}}, "/properties/a/$ref"),
        ({"type": "object", "properties": {"class": {}}}, "/properties"),
        ({"type": "array"}, "/type"),
    ],
)
def test_to_model_refuses(schema: Any, pointer: str) -> None:
    with pytest.raises(JSONSchemaError) as info:
        Schema(schema).to_model("M")
    assert info.value.pointer == pointer


# --- the cores agree -------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "name", "tags", "x", "a/b", "n"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)

FIXED = [
    API_RECORD,
    Person.model_json_schema(),
    {
        "type": ["array", "object", "integer"],
        "items": {"anyOf": [{"type": "string", "pattern": "^[a-c]"}, {"multipleOf": 0.5}]},
        "uniqueItems": True,
        "contains": {"type": "null"},
        "maxContains": 1,
        "propertyNames": {"maxLength": 2},
        "minimum": -5,
        "oneOf": [{"maxItems": 2}, {"minProperties": 1}, {"type": "integer"}],
    },
    {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"n": {"$ref": "#/$defs/node"}},
                "additionalProperties": {"type": "string", "format": "date"},
            }
        },
        "if": {"type": "object"},
        "then": {"$ref": "#/$defs/node"},
        "else": {"not": {"type": "number"}},
    },
]
FIXED.append(
    {
        "properties": {"id": {}},
        "anyOf": [
            {"properties": {"name": {"type": "string"}}, "required": ["name"]},
            {"properties": {"x": {}}, "patternProperties": {"/": {}}},
        ],
        "unevaluatedProperties": {"type": "integer"},
        "prefixItems": [{"type": "string"}],
        "contains": {"type": "null"},
        "minContains": 0,
        "unevaluatedItems": {"type": "boolean"},
    }
)
NATIVE = [Schema(s, core="native") for s in FIXED]
PURE = [Schema(s, core="python") for s in FIXED]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(FIXED) - 1), json_values)
def test_cores_agree(which: int, value: Any) -> None:
    native, pure = NATIVE[which], PURE[which]
    doc = dumps(value) if type(value) is str else value  # a str is read as JSON text
    assert native.is_valid(doc) == pure.is_valid(doc)
    assert native.errors(doc) == pure.errors(doc)
    text = dumps(value)
    assert native.is_valid(text) == pure.is_valid(text)


class Naive(Model):
    at: datetime.datetime


@pytest.mark.parametrize("core", ["native", "python"])
def test_naive_datetime_dump_is_not_an_rfc3339_date_time(core: str) -> None:
    # model_json_schema() says "format": "date-time" (as pydantic does) for every datetime, but
    # a naive one dumps without an offset, which RFC 3339 requires: the schema refuses it
    schema = Schema(Naive.model_json_schema(), core=core)
    naive = Naive(at=datetime.datetime(2020, 1, 2, 3, 4, 5))
    assert [e["pointer"] for e in schema.errors(naive.model_dump(mode="json"))] == ["/at"]
    aware = Naive(at=datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
    assert schema.errors(aware.model_dump(mode="json")) == []
