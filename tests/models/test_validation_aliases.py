"""`Field(validation_alias=..., serialization_alias=...)`, `AliasPath` and `AliasChoices`, with
pydantic 2.14's answers (recorded from pydantic for the same models): the core table runs both
cores on the dict, JSON tree and JSON stream paths; the model tests run under whichever core the
process selected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cores import Err, field, make_model
from paths import PATHS, assert_outcome, outcome

from ferrule import AliasChoices, AliasPath, ConfigDict, Field, Model, TypeAdapter
from ferrule.errors import SchemaError, ValidationError

INT = {"type": "int"}

# --- both cores, every input path -------------------------------------------------------------


def _model(populate_by_name: bool = False, extra: str = "ignore") -> dict[str, Any]:
    fields = [
        {**field("a", INT), "validation_alias": [["x", 0, "y"]]},
        {**field("b", INT, default=0), "validation_alias": [["bb"], ["p", "q"], ["b2"]]},
        {**field("c", INT, default=0, alias="C"), "serialization_alias": "cc"},
        {**field("d", INT, default=0), "validation_alias": [["n", -1]]},
    ]
    cls = make_model("Aliased", fields, populate_by_name=populate_by_name, extra=extra)
    return cls.__ferrule_schema__  # type: ignore[attr-defined, no-any-return]


def _values(a: int, b: int = 0, c: int = 0, d: int = 0) -> dict[str, int]:
    return {"a": a, "b": b, "c": c, "d": d}


#: (input, populate_by_name, extra, expected field values or Err)
TABLE: list[tuple[Any, bool, str, Any]] = [
    ({"x": [{"y": 1}], "p": {"q": 2}, "C": 3, "n": [5, 6]}, False, "ignore", _values(1, 2, 3, 6)),
    ({"x": [{"y": 1}], "bb": 5, "p": {"q": 6}}, False, "ignore", _values(1, 5)),
    ({"x": [{"y": 1}], "p": {"q": 6}, "b2": 7}, False, "ignore", _values(1, 6)),
    ({"x": [{"y": 1}], "p": {"r": 6}, "b2": 7}, False, "ignore", _values(1, 7)),
    ({"x": [{"y": 1}], "a": 9, "b": 9, "d": 9}, False, "ignore", _values(1)),
    ({"a": 9, "b": 8, "d": 7}, True, "ignore", _values(9, 8, 0, 7)),
    ({"x": [{"y": 1}], "a": 9}, True, "ignore", _values(1)),
    ({}, False, "ignore", Err((("x", 0, "y"), "missing"))),
    ({"a": 1}, False, "ignore", Err((("x", 0, "y"), "missing"))),
    ({"x": [{"y": "z"}]}, False, "ignore", Err((("x", 0, "y"), "int_parsing"))),
    ({"x": [{"y": 1}], "p": {"q": "no"}}, False, "ignore", Err((("p", "q"), "int_parsing"))),
    ({"x": [{"y": 1}], "n": ["a", "b"]}, False, "ignore", Err((("n", -1), "int_parsing"))),
    ({"x": {"0": {"y": 1}}}, False, "ignore", Err((("x", 0, "y"), "missing"))),
    ({"x": "ab"}, False, "ignore", Err((("x", 0, "y"), "missing"))),
    ({"x": [{"y": 1}, 2], "n": []}, False, "ignore", _values(1)),
    ({"x": None, "n": 5}, False, "ignore", Err((("x", 0, "y"), "missing"))),
    ({"a": "q"}, True, "ignore", Err((("a",), "int_parsing"))),
    # extra="forbid": the first key of the path that gave the value is taken, nothing else
    ({"x": [{"y": 1}], "b2": 1, "zz": 1}, False, "forbid", Err((("zz",), "extra_forbidden"))),
    ({"x": [{"y": 1}], "b2": 1, "bb": 3}, False, "forbid", Err((("b2",), "extra_forbidden"))),
    ({"x": [{"y": 1}], "a": 1}, False, "forbid", Err((("a",), "extra_forbidden"))),
    ({"x": [{"y": 1}], "a": 1}, True, "forbid", Err((("a",), "extra_forbidden"))),
    ({"a": 1, "n": []}, True, "forbid", Err((("n",), "extra_forbidden"))),
    ({"x": [], "b": 1}, True, "forbid",
     Err((("x", 0, "y"), "missing"), (("x",), "extra_forbidden"))),
    ({"x": [{"y": 1}], "c": 1}, False, "forbid", Err((("c",), "extra_forbidden"))),
]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("data", "by_name", "extra", "expected"), TABLE)
def test_alias_paths(
    core: Any, path: str, data: Any, by_name: bool, extra: str, expected: Any
) -> None:
    schema = _model(populate_by_name=by_name, extra=extra)
    got = outcome(core, schema, path, data if path == "python" else json.dumps(data))
    if got[0] == "ok":
        got = ("ok", {name: getattr(got[1], name) for name in "abcd"})
    assert_outcome(got, expected)


@pytest.mark.parametrize("path", PATHS)
def test_extra_allow_keeps_only_unused_keys(core: Any, path: str) -> None:
    schema = _model(extra="allow")
    data = {"x": [{"y": 1}, 2], "p": {"q": 2}, "b2": 3, "z": 4}
    kind, instance = outcome(core, schema, path, data if path == "python" else json.dumps(data))
    assert kind == "ok"
    assert instance.__ferrule_extra__ == {"b2": 3, "z": 4}


def test_python_only_lookups(core: Any) -> None:
    """An int item reads a dict's int key and indexes a tuple (Python input only: JSON object
    keys are strings)."""
    schema = _model()
    assert outcome(core, schema, "python", {"x": {0: {"y": 4}}})[1].a == 4
    assert outcome(core, schema, "python", {"x": ({"y": 5},)})[1].a == 5
    assert_outcome(
        outcome(core, schema, "json", '{"x": {"0": {"y": 4}}}'), Err((("x", 0, "y"), "missing"))
    )


# --- the model API ----------------------------------------------------------------------------


class User(Model):
    user_name: str = Field(alias="userName")
    email: str = Field("", validation_alias=AliasChoices("mail", AliasPath("contact", "email")))
    city: str = Field("", validation_alias=AliasPath("address", "city"))
    age: int = Field(0, serialization_alias="years")
    nick: str = Field("", alias="Nick", validation_alias="nickname")


PAYLOAD = {
    "userName": "ada",
    "contact": {"email": "ada@example.com"},
    "address": {"city": "London"},
    "age": 36,
    "nickname": "countess",
}


def test_model_reads_every_entry_point() -> None:
    expected = {
        "user_name": "ada",
        "email": "ada@example.com",
        "city": "London",
        "age": 36,
        "nick": "countess",
    }
    assert User.model_validate(PAYLOAD).model_dump() == expected
    assert User(**PAYLOAD).model_dump() == expected
    assert User.model_validate_json(json.dumps(PAYLOAD)).model_dump() == expected
    [listed] = TypeAdapter(list[User]).validate_json(json.dumps([PAYLOAD]))
    assert listed.model_dump() == expected
    [many] = User.validate_json_many(json.dumps(PAYLOAD))
    assert many.model_dump() == expected
    assert next(iter(User.validate_json_stream(json.dumps([PAYLOAD]).encode()))) == many
    assert User.model_validate(PAYLOAD).model_fields_set == set(expected)


def test_validation_alias_wins_over_alias() -> None:
    assert User.model_validate({"userName": "a", "Nick": "x"}).nick == ""
    assert User.model_validate({"userName": "a", "nickname": "x"}).nick == "x"


def test_by_alias_dumps_use_serialization_alias() -> None:
    user = User.model_validate(PAYLOAD)
    expected = {
        "userName": "ada",
        "email": "ada@example.com",
        "city": "London",
        "years": 36,
        "Nick": "countess",
    }
    assert user.model_dump(by_alias=True) == expected
    assert json.loads(user.model_dump_json(by_alias=True)) == expected
    assert json.loads(user.json_bytes(by_alias=True)) == expected
    assert TypeAdapter(User).dump_python(user, by_alias=True) == expected


def test_errors_are_located_at_the_path() -> None:
    with pytest.raises(ValidationError) as caught:
        User.model_validate({"userName": 1, "contact": {"email": 2}, "address": {"city": 3}})
    got = [(e["loc"], e["type"]) for e in caught.value.errors()]
    assert got == [
        (("userName",), "string_type"),
        (("contact", "email"), "string_type"),
        (("address", "city"), "string_type"),
    ]
    with pytest.raises(ValidationError) as caught:
        User.model_validate_json('{"userName": "a", "address": {"city": 3}}')
    assert caught.value.errors()[0]["loc"] == ("address", "city")


def test_populate_by_name() -> None:
    class Named(Model, populate_by_name=True):
        a: int = Field(validation_alias=AliasPath("x", 0))
        b: int = Field(0, validation_alias=AliasChoices("bb", "b2"))

    assert Named.model_validate({"x": [1, 2]}).a == 1
    assert Named.model_validate({"a": 3, "b": 4}).model_dump() == {"a": 3, "b": 4}
    assert Named(a=3).a == 3
    with pytest.raises(ValidationError) as caught:
        Named.model_validate({})
    assert caught.value.errors()[0]["loc"] == ("x", 0)


def test_from_attributes_follows_paths() -> None:
    class Row:
        x = [3]
        b2 = 4

    class Read(Model, from_attributes=True):
        a: int = Field(validation_alias=AliasPath("x", 0))
        b: int = Field(0, validation_alias=AliasChoices(AliasPath("p", "q"), "b2"))

    assert Read.model_validate(Row()).model_dump() == {"a": 3, "b": 4}


def test_model_construct_uses_validation_aliases() -> None:
    built = User.model_construct(userName="a", contact={"email": "e"}, nickname="n")
    assert built.model_dump() == {"user_name": "a", "email": "e", "city": "", "age": 0, "nick": "n"}
    assert built.model_fields_set == {"user_name", "email", "nick"}
    assert User.model_construct(Nick="N").nick == "N"  # the alias is tried first, as pydantic


def test_json_schema_keys_and_titles() -> None:
    schema = User.model_json_schema()
    assert list(schema["properties"]) == ["userName", "mail", "city", "age", "nickname"]
    titles = [prop["title"] for prop in schema["properties"].values()]
    assert titles == ["Username", "Mail", "City", "Age", "Nickname"]
    assert schema["required"] == ["userName"]


def test_field_info_attributes() -> None:
    fields = User.model_fields
    assert fields["city"].validation_alias == AliasPath("address", "city")
    assert fields["city"].alias is None
    assert fields["user_name"].validation_alias == "userName"
    assert fields["user_name"].serialization_alias == "userName"
    assert fields["age"].serialization_alias == "years"
    assert fields["nick"].validation_alias == "nickname"
    assert fields["nick"].serialization_alias == "Nick"


def test_alias_objects() -> None:
    path = AliasPath("a", 0, "b")
    assert path.path == ["a", 0, "b"]
    assert path.convert_to_aliases() == ["a", 0, "b"]
    assert repr(path) == "AliasPath(path=['a', 0, 'b'])"
    choices = AliasChoices("x", AliasPath("y", 1))
    assert choices.choices == ["x", AliasPath("y", 1)]
    assert choices.convert_to_aliases() == [["x"], ["y", 1]]
    assert repr(choices) == "AliasChoices(choices=['x', AliasPath(path=['y', 1])])"
    assert hash(AliasPath("a")) == hash(AliasPath("a"))
    assert path.search_dict_for_path({"a": [{"b": 5}]}) == 5


def test_alias_generator_leaves_explicit_aliases() -> None:
    from ferrule.alias_generators import to_camel

    class Camel(Model):
        model_config = ConfigDict(alias_generator=to_camel)
        first_name: str
        last_name: str = Field("", validation_alias="surname")

    item = Camel.model_validate({"firstName": "a", "surname": "b"})
    assert item.model_dump(by_alias=True) == {"firstName": "a", "lastName": "b"}


@pytest.mark.parametrize(
    "alias",
    [5, ["a"], None.__class__],
)
def test_bad_validation_alias_is_a_type_error(alias: Any) -> None:
    with pytest.raises(TypeError, match="Invalid `validation_alias` type"):
        Field(validation_alias=alias)
    with pytest.raises(TypeError, match="Invalid `serialization_alias` type"):
        Field(serialization_alias=alias)


@pytest.mark.parametrize(
    "alias",
    [AliasPath(1, "a"), AliasPath("a", 1.5), AliasPath("a", True), AliasChoices("a", 3), ""],  # type: ignore[arg-type]
)
def test_malformed_paths_are_schema_errors(alias: Any) -> None:
    with pytest.raises(SchemaError):

        class Bad(Model):
            a: int = Field(validation_alias=alias)


def test_paths_inside_a_type_are_refused() -> None:
    from typing import Annotated

    with pytest.raises(SchemaError, match="validation_alias"):

        class Bad(Model):
            a: list[Annotated[int, Field(validation_alias="x")]]


class _Lying(list):  # type: ignore[type-arg]
    def __len__(self) -> int:
        raise RuntimeError("len")

    def __getitem__(self, index: Any) -> Any:
        raise RuntimeError("getitem")


class _RaisingKey:
    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")


def test_hostile_containers_on_the_path(core: Any) -> None:
    schema = _model()
    # a list subclass is read through its own items, whatever its methods say
    lying = _Lying([{"y": 7}])
    assert outcome(core, schema, "python", {"x": lying})[1].a == 7
    # a dict key whose == raises: the error propagates as it is, never a crash
    with pytest.raises(RuntimeError, match="eq"):
        outcome(core, schema, "python", {"x": {_RaisingKey(): 1}})


class Inner(Model):
    value: int = Field(validation_alias="in_value", serialization_alias="outValue")


class Outer(Model):
    inner: Inner
    when: int = Field(0, alias="When", serialization_alias="when_out")


def test_json_schema_per_mode() -> None:
    validation = Outer.model_json_schema()
    serialization = Outer.model_json_schema(mode="serialization")
    assert list(validation["properties"]) == ["inner", "When"]
    assert list(serialization["properties"]) == ["inner", "when_out"]
    assert serialization["properties"]["when_out"]["title"] == "When Out"
    assert list(validation["$defs"]["Inner"]["properties"]) == ["in_value"]
    assert list(serialization["$defs"]["Inner"]["properties"]) == ["outValue"]
    adapter = TypeAdapter(list[Inner])
    assert list(adapter.json_schema()["$defs"]["Inner"]["properties"]) == ["in_value"]
    assert list(adapter.json_schema(mode="serialization")["$defs"]["Inner"]["properties"]) == [
        "outValue"
    ]
    with pytest.raises(ValueError, match="mode must be"):
        Outer.model_json_schema(mode="both")  # type: ignore[arg-type]


def test_serialization_alias_of_a_model_with_serializers() -> None:
    """``by_alias`` dumps of a model with a field serializer write its serialization alias
    (pydantic's answer), in Python and JSON output alike."""
    from ferrule import field_serializer

    class Shipped(Model):
        x: int = Field(serialization_alias="outX")
        y: int = Field(alias="inY")

        @field_serializer("x")
        def bump(self, value: int) -> int:
            return value + 1

    item = Shipped(x=1, inY=2)
    assert item.model_dump(by_alias=True) == {"outX": 2, "inY": 2}
    assert item.model_dump(mode="json", by_alias=True) == {"outX": 2, "inY": 2}
    assert item.model_dump_json(by_alias=True) == '{"outX":2,"inY":2}'
    assert item.model_dump() == {"x": 2, "y": 2}
