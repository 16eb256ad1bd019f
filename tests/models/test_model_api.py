"""The public `Model` API, run under whichever core the process selected (`make test` runs this
file natively and again with FERRULE_PURE_PYTHON=1)."""

from __future__ import annotations

import copy
import enum
import pickle
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import pytest
from cores import same

from ferrule import (
    Field,
    Model,
    SchemaError,
    ValidationError,
    field_validator,
    model_validator,
)
from ferrule.errors import JSONError
from ferrule.models._core import PURE_PYTHON


class Address(Model):
    city: str = Field(min_length=1)
    zip: str = Field(pattern=r"^\d{5}$")


class User(Model):
    id: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=50)
    email: str = Field(email=True)
    age: int = Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = Field(default_factory=list)
    address: Address | None = None


GOOD = {"id": 1, "name": "Ann", "email": "ann@example.com", "age": 30}


def locs(exc: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    return [(e["loc"], e["type"]) for e in exc.errors()]


def test_core_matches_environment() -> None:
    from ferrule.models import _core

    assert (_core.SchemaValidator.__module__ == "ferrule._ferrule") is not PURE_PYTHON


# --- construction ------------------------------------------------------------------------------


def test_construct_coerces_and_nests() -> None:
    user = User(**GOOD, score="1.5", tags=("a",), address={"city": "Oslo", "zip": "01234"})
    assert user.id == 1 and user.score == 1.5 and user.tags == ["a"]
    assert isinstance(user.address, Address) and user.address.zip == "01234"


def test_construct_collects_every_error() -> None:
    with pytest.raises(ValidationError) as info:
        User(id=0, name="A", email="x", age=151, tags=["a", 1], address={"zip": "1"})
    assert locs(info.value) == [
        (("id",), "greater_than"),
        (("name",), "string_too_short"),
        (("email",), "email_invalid"),
        (("age",), "less_than_equal"),
        (("tags", 1), "string_type"),
        (("address", "city"), "missing"),
        (("address", "zip"), "string_pattern_mismatch"),
    ]
    text = str(info.value)
    assert text.startswith("7 validation errors for User") and "address.zip" in text


def test_missing_fields_and_positional_arguments() -> None:
    with pytest.raises(ValidationError) as info:
        User()
    assert [loc for loc, kind in locs(info.value) if kind == "missing"] == [
        ("id",),
        ("name",),
        ("email",),
        ("age",),
    ]
    with pytest.raises(TypeError, match=r"User\(\) takes keyword arguments only"):
        User(1, "Ann")  # type: ignore[misc]


def test_the_base_class_is_abstract() -> None:
    with pytest.raises(TypeError, match="Model is abstract"):
        Model()


def test_mutable_defaults_are_not_shared() -> None:
    class Bag(Model):
        items: list[int] = []
        meta: dict[str, int] = Field(default_factory=dict)

    first, second = Bag(), Bag()
    first.items.append(1)
    first.meta["a"] = 1
    assert second.items == [] and second.meta == {}


def test_error_details_and_custom_messages() -> None:
    class Signup(Model):
        name: str = Field(min_length=3, error_messages={"string_too_short": "name too short"})

    with pytest.raises(ValidationError) as info:
        Signup(name="ab")
    (error,) = info.value.errors()
    assert error == {
        "type": "string_too_short",
        "loc": ("name",),
        "msg": "name too short",
        "input": "ab",
        "ctx": {"min_length": 3},
    }


# --- assignment --------------------------------------------------------------------------------


def test_assignment_validates_and_keeps_old_value() -> None:
    user = User(**GOOD)
    user.age = "41"  # type: ignore[assignment]
    assert user.age == 41
    with pytest.raises(ValidationError) as info:
        user.age = -1
    assert locs(info.value) == [(("age",), "greater_than_equal")]
    assert user.age == 41
    with pytest.raises(ValidationError) as info:
        user.nickname = "x"  # type: ignore[attr-defined]
    assert locs(info.value) == [(("nickname",), "no_such_attribute")]


def test_frozen_model_and_field() -> None:
    class Point(Model, frozen=True):
        x: int
        y: int

    class Account(Model):
        id: int = Field(frozen=True)
        balance: int = 0

    point = Point(x=1, y=2)
    with pytest.raises(ValidationError) as info:
        point.x = 5
    assert locs(info.value) == [(("x",), "frozen_instance")]
    assert hash(point) == hash(Point(x=1, y=2))
    account = Account(id=1)
    account.balance = 10
    with pytest.raises(ValidationError):
        account.id = 2
    with pytest.raises(TypeError):
        hash(account)


def test_validate_assignment_can_be_turned_off() -> None:
    class Loose(Model, validate_assignment=False):
        n: int

    item = Loose(n=1)
    item.n = "not a number"  # type: ignore[assignment]
    assert item.n == "not a number"


# --- configuration -----------------------------------------------------------------------------


def test_strict_mode_rejects_coercion() -> None:
    class Strict(Model, strict=True):
        n: int
        when: date

    assert Strict(n=1, when=date(2024, 1, 2)).n == 1
    with pytest.raises(ValidationError) as info:
        Strict(n="1", when="2024-01-02")
    assert locs(info.value) == [(("n",), "int_type"), (("when",), "date_type")]
    assert Strict.model_validate_json('{"n": 1, "when": "2024-01-02"}').when == date(2024, 1, 2)


def test_strict_per_call_and_per_field() -> None:
    class Mixed(Model):
        a: int
        b: int = Field(strict=True)

    assert Mixed(a="1", b=2).a == 1
    with pytest.raises(ValidationError) as info:
        Mixed(a=1, b="2")
    assert locs(info.value) == [(("b",), "int_type")]
    with pytest.raises(ValidationError) as info:
        Mixed.model_validate({"a": "1", "b": 2}, strict=True)
    assert locs(info.value) == [(("a",), "int_type")]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [("ignore", None), ("forbid", [(("nick",), "extra_forbidden")]), ("allow", {"nick": "x"})],
)
def test_extra_behaviour(extra: str, expected: Any) -> None:
    class Thing(Model, extra=extra):  # type: ignore[call-arg]
        name: str

    if isinstance(expected, list):
        with pytest.raises(ValidationError) as info:
            Thing(name="a", nick="x")
        assert locs(info.value) == expected
        return
    thing = Thing(name="a", nick="x")
    assert thing.model_dump() == {"name": "a", **(expected or {})}


def test_aliases_and_populate_by_name() -> None:
    class Item(Model):
        item_id: int = Field(alias="itemId")

    class Named(Model, populate_by_name=True):
        item_id: int = Field(alias="itemId")

    assert Item.model_validate({"itemId": 3}).item_id == 3
    with pytest.raises(ValidationError) as info:
        Item.model_validate({"item_id": 3})
    assert locs(info.value) == [(("itemId",), "missing")]
    assert Named.model_validate({"item_id": 3}).item_id == 3
    assert Item(itemId=3).model_dump(by_alias=True) == {"itemId": 3}


def test_model_config_dict_and_inheritance() -> None:
    class Base(Model):
        model_config = {"extra": "forbid"}
        id: int

    class Child(Base):
        name: str = "x"

    assert Child(id=1).model_dump() == {"id": 1, "name": "x"}
    assert list(Child.model_fields) == ["id", "name"]
    with pytest.raises(ValidationError):
        Child(id=1, other=2)


# --- types -------------------------------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Everything(Model):
    flag: bool
    raw: bytes
    when: datetime
    day: date
    ident: UUID
    price: Decimal = Field(max_digits=6, decimal_places=2)
    color: Color
    mode: Literal["a", "b"]
    pair: tuple[int, str]
    many: tuple[int, ...]
    unique: set[int]
    frozen: frozenset[str]
    scores: dict[str, float]
    choice: int | str
    anything: Any = None


def test_every_type_round_trips_through_json() -> None:
    value = Everything(
        flag="yes",
        raw="bytes",
        when="2024-01-02T03:04:05Z",
        day="2024-01-02",
        ident="12345678-1234-5678-1234-567812345678",
        price="12.50",
        color="red",
        mode="a",
        pair=["1", "x"],
        many=[1, 2],
        unique=[1, 1, 2],
        frozen=["a"],
        scores={"a": 1},
        choice="x",
        anything={"nested": [1]},
    )
    assert value.when == datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert value.color is Color.RED and value.pair == (1, "x") and value.unique == {1, 2}
    again = Everything.model_validate_json(value.model_dump_json())
    assert same(again, value), (again, value)  # == forgives Decimal zeros and UTC offsets
    assert value.model_dump(mode="json")["price"] == "12.50"


def test_unions_prefer_exact_types() -> None:
    class Choice(Model):
        value: int | str
        other: str | int

    choice = Choice(value="1", other=1)
    assert choice.value == "1" and choice.other == 1


def test_self_referencing_and_forward_references() -> None:
    class Node(Model):
        value: int
        children: list[Node] = Field(default_factory=list)

    tree = Node(value=1, children=[{"value": 2, "children": [{"value": 3}]}])
    assert tree.children[0].children[0].value == 3

    class Team(Model):
        lead: Person  # defined below: compiled on first use

    class Person(Model):
        name: str

    globals()["Person"] = Person
    try:
        assert Team(lead={"name": "x"}).lead.name == "x"
    finally:
        del globals()["Person"]


def test_annotated_field_info() -> None:
    class Sized(Model):
        name: Annotated[str, Field(min_length=2)]

    with pytest.raises(ValidationError):
        Sized(name="a")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("x: complex", r"Bad\.x: ferrule cannot validate the annotation"),
        ("x: int = Field(min_length=1)", r"Bad\.x: min_length cannot be enforced on a int"),
        ("x: str = Field(gt=1)", r"Bad\.x: gt cannot be enforced on a str"),
        ("x: list[int] = Field(pattern='a')", r"Bad\.x: pattern cannot be enforced on a list"),
        ("x: str = Field(pattern='(')", r"Bad\.x: pattern '\(' is not a valid regex"),
        ("x: str = Field(to_lower=True, to_upper=True)", r"Bad\.x: to_lower and to_upper"),
        ("json: int", r"Bad\.json: the name is reserved"),
        ("x: int | str = Field(gt=1)", r"Bad\.x: gt cannot be enforced on a union"),
    ],
)
def test_unenforceable_declarations_fail_at_definition(body: str, reason: str) -> None:
    """A SchemaError naming the field and the reason: any other TypeError (a crash while
    reading the class) must not pass for it."""
    namespace: dict[str, Any] = {"Model": Model, "Field": Field}
    with pytest.raises(SchemaError, match=reason):
        exec(f"class Bad(Model):\n    {body}\n", namespace)


def test_schema_error_is_a_type_error() -> None:
    assert issubclass(SchemaError, TypeError)


# --- user validators ---------------------------------------------------------------------------


def test_field_and_model_validators() -> None:
    class Signup(Model):
        name: str
        password: str
        confirm: str

        @field_validator("name", mode="before")
        @classmethod
        def strip(cls, value: Any) -> Any:
            return value.strip() if isinstance(value, str) else value

        @field_validator("name")
        @classmethod
        def no_admin(cls, value: str) -> str:
            if value == "admin":
                raise ValueError("reserved name")
            return value

        @model_validator(mode="before")
        @classmethod
        def defaults(cls, data: Any) -> Any:
            return {"confirm": data.get("password"), **data} if isinstance(data, dict) else data

        @model_validator(mode="after")
        def passwords_match(self) -> Signup:
            if self.password != self.confirm:
                raise ValueError("passwords differ")
            return self

    assert Signup(name="  bob ", password="x").name == "bob"
    with pytest.raises(ValidationError) as info:
        Signup(name="admin", password="x")
    assert locs(info.value) == [(("name",), "value_error")]
    assert "reserved name" in info.value.errors()[0]["msg"]
    with pytest.raises(ValidationError) as info:
        Signup(name="bob", password="x", confirm="y")
    assert locs(info.value) == [((), "value_error")]


def test_validator_for_unknown_field_is_rejected() -> None:
    with pytest.raises(SchemaError):

        class Broken(Model):
            a: int

            @field_validator("b")
            @classmethod
            def check(cls, value: Any) -> Any:
                return value


# --- output, copies, protocol ------------------------------------------------------------------


def test_dump_options() -> None:
    user = User(**GOOD, address={"city": "Oslo", "zip": "01234"})
    assert user.model_dump(include={"id", "name"}) == {"id": 1, "name": "Ann"}
    assert "address" not in user.model_dump(exclude={"address"})
    assert User(**GOOD).model_dump(exclude_none=True).get("address", "gone") == "gone"
    assert user.dict() == user.model_dump()
    assert user.json() == user.model_dump_json() == user.json_bytes().decode()
    assert user.json_bytes(indent=2).startswith(b'{\n  "id": 1')


def test_json_output_is_exact() -> None:
    class Numbers(Model):
        f: float
        big: int
        text: str

    value = Numbers(f=0.1, big=10**30, text='é"\n')
    assert (
        value.json_bytes()
        == b'{"f":0.1,"big":1000000000000000000000000000000,"text":"\xc3\xa9\\"\\n"}'
    )
    assert Numbers.model_validate_json(value.json_bytes()) == value


def test_unserialisable_value_raises_json_error() -> None:
    class Holder(Model):
        anything: Any

    with pytest.raises(JSONError):
        Holder(anything=object()).model_dump_json()


def test_copy_equality_repr_pickle() -> None:
    user = User(**GOOD, tags=["a"])
    clone = user.model_copy(update={"age": 31})
    assert clone.age == 31 and user.age == 30 and clone.tags is user.tags
    deep = user.model_copy(deep=True)
    assert deep == user and deep.tags is not user.tags
    assert copy.deepcopy(user) == user and copy.copy(user) == user
    assert pickle.loads(pickle.dumps(user)) == user
    assert repr(user).startswith("User(id=1, name='Ann'")
    assert user != User(**{**GOOD, "id": 2})
    assert User.from_dict(GOOD) == User.validate(GOOD) == User.model_validate(GOOD)


def test_model_validate_returns_instances_unchanged() -> None:
    user = User(**GOOD)
    assert User.model_validate(user) is user
    with pytest.raises(ValidationError) as info:
        User.model_validate([1, 2])
    assert locs(info.value) == [((), "model_type")]


def test_json_schema() -> None:
    schema = User.model_json_schema()
    assert schema == User.json_schema()
    assert schema["required"] == ["id", "name", "email", "age"]
    assert schema["properties"]["id"] == {"type": "integer", "exclusiveMinimum": 0, "title": "Id"}
    assert schema["properties"]["address"]["anyOf"][0] == {"$ref": "#/$defs/Address"}
    assert schema["$defs"]["Address"]["properties"]["zip"]["pattern"] == r"^\d{5}$"


# --- batches -----------------------------------------------------------------------------------


def test_validate_many_raise_and_collect() -> None:
    rows = [GOOD, {**GOOD, "id": 0}, GOOD]
    with pytest.raises(ValidationError) as info:
        User.validate_many(rows)
    assert locs(info.value) == [((1, "id"), "greater_than")]
    batch = User.validate_many(rows, errors="collect")
    assert [type(item).__name__ for item in batch.items] == ["User", "NoneType", "User"]
    assert list(batch.errors) == [1] and len(batch.valid) == 2
    assert all(type(u) is User for u in User.validate_many([GOOD] * 3))


def test_validate_json_many_array_and_ndjson() -> None:
    import json

    array = json.dumps([GOOD, GOOD])
    ndjson = "\n".join(json.dumps(row) for row in [GOOD, {**GOOD, "age": -1}, GOOD]) + "\n"
    assert len(User.validate_json_many(array)) == 2
    batch = User.validate_json_many(ndjson.encode(), errors="collect")
    assert list(batch.errors) == [1] and len(batch.valid) == 2
    broken = User.validate_json_many(b'{"id": 1}\n{nope\n', errors="collect")
    assert [e["type"] for e in broken.errors[1].errors()] == ["json_invalid"]


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        object(),
        float("nan"),
        10**5000,
        "x" * 10_000_000,
        b"\xff\xfe",
        [[[[[]]]]],
    ],
    ids=["object", "nan", "huge-int", "10MB-str", "bad-utf8", "nested"],
)
def test_hostile_values_give_validation_errors(value: Any) -> None:
    with pytest.raises(ValidationError):
        User(id=value, name=value, email=value, age=value)


def test_cyclic_and_deep_inputs() -> None:
    class Node(Model):
        next: Node | None = None

    data: dict[str, Any] = {}
    data["next"] = data
    with pytest.raises(ValidationError):
        Node.model_validate(data)
    deep = "null"
    for _ in range(10_000):
        deep = '{"next": ' + deep + "}"
    with pytest.raises(ValidationError):
        Node.model_validate_json(deep)


def test_class_level_entry_points_validate_into_the_called_class() -> None:
    class Base(Model):
        x: int

    class Child(Base):
        y: int = 0

    class Waiting(Base):
        later: LaterDefined  # noqa: F821 - resolved on first use

    for method in ("model_validate", "validate", "from_dict"):
        assert type(getattr(Base, method)({"x": 1})) is Base
        assert type(getattr(Child, method)({"x": 1, "y": "2"})) is Child
    for method in ("model_validate_json", "validate_json"):
        assert type(getattr(Child, method)('{"x": 1}')) is Child
    # reached through an instance, still the class-level entry point
    assert Child(x=1).model_validate({"x": 2}) == Child(x=2)
    # a subclass still waiting for a forward reference must not validate as its parent
    globals()["LaterDefined"] = Child
    try:
        made = Waiting.model_validate({"x": 1, "later": {"x": 2}})
        assert type(made) is Waiting and made.later == Child(x=2)
    finally:
        del globals()["LaterDefined"]


def test_overridden_class_level_entry_points_are_kept() -> None:
    class Base(Model):
        x: int

        @classmethod
        def model_validate(cls, data: Any, *, strict: bool | None = None) -> Base:
            return super().model_validate({**data, "x": data["x"] * 10})

    class Child(Base):
        pass

    assert Base.model_validate({"x": 1}).x == 10
    assert Child.model_validate({"x": 2}).x == 20
    assert type(Child.model_validate({"x": 2})) is Child
    assert Child.from_dict({"x": 3}).x == 3


def test_repeated_json_keys_keep_the_last_value_and_leak_nothing() -> None:
    import gc
    import tracemalloc

    class Item(Model):
        name: str
        count: int = 0

    doc = b'{"name": "first", "count": 1, "name": "x", "count": "bad", "count": 3}'
    item = Item.model_validate_json(doc)
    assert (item.name, item.count) == ("x", 3)
    with pytest.raises(ValidationError) as caught:
        Item.model_validate_json(b'{"name": "a", "count": 1, "count": "bad"}')
    assert [e["loc"] for e in caught.value.errors()] == [("count",)]
    # success, failure, success on the same key: the slot is replaced, not overwritten
    gc.collect()
    tracemalloc.start()
    for _ in range(200):
        Item.model_validate_json(b'{"name": "a long enough string", "name": 1, "name": "b"}')
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(2000):
        Item.model_validate_json(b'{"name": "a long enough string", "name": 1, "name": "b"}')
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 20_000, grown
