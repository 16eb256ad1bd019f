"""Discriminated unions on models, end to end: fields, lists, dicts, optionals, `TypeAdapter`,
self-reference, dumps, JSON Schema and the `SchemaError`s of class definition, with pydantic
2.14's answers. Runs on the core the suite runs on (``FERRULE_PURE_PYTHON`` picks it); the
tables of both cores and every input path are in ``test_discriminated_unions.py``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Union

import pytest

from ferrule import Model, TypeAdapter, field_validator, model_validator
from ferrule.errors import SchemaError, ValidationError
from ferrule.models import Discriminator, Field, Tag


class MCat(Model):
    kind: Literal["cat"]
    age: int


class MDog(Model):
    kind: Literal["dog", "puppy"]
    name: str


class MLizard(Model):
    kind: Literal["lizard"] = "lizard"
    scales: bool = True


MPet = Annotated[Union[MCat, MDog], Field(discriminator="kind")]  # noqa: UP007


class Owner(Model):
    pet: MCat | MDog | MLizard = Field(discriminator="kind")


class Shelter(Model):
    pets: list[MPet] = []
    by_name: dict[str, MPet] = {}
    maybe: MPet | None = None


class Node(Model):
    kind: Literal["node"]
    children: list[Annotated[Union[Node, Leaf], Field(discriminator="kind")]] = []  # noqa: UP007


class Leaf(Model):
    kind: Literal["leaf"]
    v: int


def _pairs(run: Any) -> list[tuple[Any, str]]:
    with pytest.raises(ValidationError) as caught:
        run()
    return [(line["loc"], line["type"]) for line in caught.value.errors()]


def test_a_field_picks_its_model_by_tag() -> None:
    assert Owner.model_validate({"pet": {"kind": "puppy", "name": "r"}}).pet == MDog(
        kind="puppy", name="r"
    )
    assert Owner.model_validate_json('{"pet": {"kind": "lizard"}}').pet == MLizard()
    cat = MCat(kind="cat", age=1)
    assert Owner(pet=cat).pet is cat
    assert _pairs(lambda: Owner.model_validate({"pet": {"kind": "cat", "age": "x"}})) == [
        (("pet", "cat", "age"), "int_parsing")
    ]
    assert _pairs(lambda: Owner.model_validate_json('{"pet": {"kind": "fish"}}')) == [
        (("pet",), "union_tag_invalid")
    ]
    assert _pairs(lambda: Owner.model_validate({})) == [(("pet",), "missing")]


def test_inside_lists_dicts_and_optionals() -> None:
    data = {
        "pets": [{"kind": "cat", "age": 1}, {"kind": "dog"}, {"kind": "x"}],
        "by_name": {"k": {"kind": "cat", "age": "q"}},
        "maybe": {},
    }
    expected = [
        (("pets", 1, "dog", "name"), "missing"),
        (("pets", 2), "union_tag_invalid"),
        (("by_name", "k", "cat", "age"), "int_parsing"),
        (("maybe",), "union_tag_not_found"),
    ]
    assert _pairs(lambda: Shelter.model_validate(data)) == expected
    text = (
        '{"pets": [{"kind": "cat", "age": 1}, {"kind": "dog"}, {"kind": "x"}], '
        '"by_name": {"k": {"kind": "cat", "age": "q"}}, "maybe": {}}'
    )
    assert _pairs(lambda: Shelter.model_validate_json(text)) == expected
    assert _pairs(lambda: Shelter.validate_json_many("[" + text + "]")) == [
        ((0, *loc), kind) for loc, kind in expected
    ]
    ok = Shelter.model_validate_json('{"pets": [{"kind": "cat", "age": 1}], "maybe": null}')
    assert ok.pets == [MCat(kind="cat", age=1)]
    assert ok.maybe is None


def test_type_adapter() -> None:
    adapter = TypeAdapter(MPet)
    assert adapter.validate_python({"kind": "dog", "name": "r"}) == MDog(kind="dog", name="r")
    assert _pairs(lambda: adapter.validate_json('{"kind": "dog"}')) == [
        (("dog", "name"), "missing")
    ]
    assert _pairs(lambda: TypeAdapter(list[MPet]).validate_json('[{"kind": "dog"}]')) == [
        ((0, "dog", "name"), "missing")
    ]


def test_self_reference_and_forward_names() -> None:
    data = {"kind": "node", "children": [{"kind": "leaf", "v": 1}, {"kind": "node"}]}
    node = Node.model_validate(data)
    assert node.children == [Leaf(kind="leaf", v=1), Node(kind="node")]
    bad = '{"kind": "node", "children": [{"kind": "node", "children": [{"kind": "leaf"}]}]}'
    assert _pairs(lambda: Node.model_validate_json(bad)) == [
        (("children", 0, "node", "children", 0, "leaf", "v"), "missing")
    ]


def test_dumps_are_each_choice_as_itself() -> None:
    owner = Owner.model_validate({"pet": {"kind": "dog", "name": "r"}})
    assert owner.model_dump() == {"pet": {"kind": "dog", "name": "r"}}
    assert owner.model_dump_json() == '{"pet":{"kind":"dog","name":"r"}}'


CAT_DEF = {
    "properties": {
        "kind": {"const": "cat", "title": "Kind", "type": "string"},
        "age": {"title": "Age", "type": "integer"},
    },
    "required": ["kind", "age"],
    "title": "MCat",
    "type": "object",
}


def test_json_schema_as_pydantic_writes_it() -> None:
    schema = Owner.model_json_schema()
    assert schema["properties"] == {
        "pet": {
            "discriminator": {
                "mapping": {
                    "cat": "#/$defs/MCat",
                    "dog": "#/$defs/MDog",
                    "lizard": "#/$defs/MLizard",
                    "puppy": "#/$defs/MDog",
                },
                "propertyName": "kind",
            },
            "oneOf": [
                {"$ref": "#/$defs/MCat"},
                {"$ref": "#/$defs/MDog"},
                {"$ref": "#/$defs/MLizard"},
            ],
            "title": "Pet",
        }
    }
    assert schema["$defs"]["MCat"] == CAT_DEF
    assert schema["$defs"]["MLizard"] == {
        "properties": {
            "kind": {"const": "lizard", "default": "lizard", "title": "Kind", "type": "string"},
            "scales": {"default": True, "title": "Scales", "type": "boolean"},
        },
        "title": "MLizard",
        "type": "object",
    }
    pet = {
        "discriminator": {
            "mapping": {"cat": "#/$defs/MCat", "dog": "#/$defs/MDog", "puppy": "#/$defs/MDog"},
            "propertyName": "kind",
        },
        "oneOf": [{"$ref": "#/$defs/MCat"}, {"$ref": "#/$defs/MDog"}],
    }
    assert Shelter.model_json_schema()["properties"]["maybe"] == {
        "anyOf": [pet, {"type": "null"}],
        "default": None,
        "title": "Maybe",
    }
    assert TypeAdapter(MPet).json_schema()["oneOf"] == pet["oneOf"]


def test_json_schema_of_a_callable_discriminator_and_an_alias() -> None:
    class ByFunction(Model):
        pet: Annotated[
            Union[Annotated[MCat, Tag("c")], Annotated[int, Tag("i")]],  # noqa: UP007
            Discriminator(lambda v: "i" if isinstance(v, int) else "c"),
        ]

    assert ByFunction.model_json_schema()["properties"]["pet"] == {
        "oneOf": [{"$ref": "#/$defs/MCat"}, {"type": "integer"}],
        "title": "Pet",
    }
    assert ByFunction.model_validate({"pet": 5}).pet == 5
    assert _pairs(lambda: ByFunction.model_validate({"pet": "x"})) == [(("pet", "c"), "model_type")]

    class A(Model):
        kind: Literal["a"] = Field(alias="Kind")

    class B(Model):
        kind: Literal["b"] = Field(alias="Kind")

    class ByAlias(Model):
        v: A | B = Field(discriminator="kind")

    assert ByAlias.model_json_schema()["properties"]["v"]["discriminator"] == {
        "mapping": {"a": "#/$defs/A", "b": "#/$defs/B"},
        "propertyName": "Kind",
    }


class NoKind(Model):
    x: int


class StrKind(Model):
    kind: str


class SameTag(Model):
    kind: Literal["cat"]


class OtherAlias(Model):
    kind: Literal["o"] = Field(alias="KIND")


SCHEMA_ERRORS: list[Any] = [
    (MCat | NoKind, {"discriminator": "kind"}, "NoKind has no field 'kind'"),
    (MCat | StrKind, {"discriminator": "kind"}, "StrKind.kind must be a Literal"),
    (MCat | SameTag, {"discriminator": "kind"}, "the tag 'cat' of 'kind' names more than one"),
    (MCat | int, {"discriminator": "kind"}, "not int"),
    (int, {"discriminator": "kind"}, "not int"),
    (list[MCat | MDog], {"discriminator": "kind"}, "put the discriminator on the union inside"),
    (MCat | OtherAlias, {"discriminator": "kind"}, "different aliases"),
    (MCat | MDog, {"discriminator": 3}, "a field name or a Discriminator"),
    (MCat | MDog, {"discriminator": "kind", "union_mode": "left_to_right"}, "union_mode means"),
    (int, {"union_mode": "left_to_right"}, "union_mode applies to a union, not int"),
    (list[int | str], {"union_mode": "left_to_right"}, "union_mode applies to a union"),
    (
        Annotated[Union[Annotated[MCat, Tag("c")], MDog], Discriminator(len)],  # noqa: UP007
        {},
        "MDog has none",
    ),
    (
        Annotated[
            Union[Annotated[MCat, Tag("c")], Annotated[MDog, Tag("d")]],  # noqa: UP007
            Discriminator(len, custom_error_type="x"),
        ],
        {},
        "needs a custom_error_message",
    ),
]


class BeforeOnTag(Model):
    kind: Literal["b"]

    @field_validator("kind", mode="before")
    @classmethod
    def lower(cls, value: Any) -> Any:
        return value


SCHEMA_ERRORS.append(
    (MCat | BeforeOnTag, {"discriminator": "kind"}, "BeforeOnTag.kind is the discriminator")
)


@pytest.mark.parametrize(("annotation", "options", "message"), SCHEMA_ERRORS)
def test_unsupported_is_a_schema_error_at_class_definition(
    annotation: Any, options: dict[str, Any], message: str
) -> None:
    namespace: dict[str, Any] = {"__annotations__": {"p": annotation}}
    if options:
        namespace["p"] = Field(**options)
    with pytest.raises(SchemaError, match=r"X\.p: ") as caught:
        type("X", (Model,), namespace)
    assert message in str(caught.value)


class AfterOnTag(Model):
    kind: Literal["a"]

    @field_validator("kind")
    @classmethod
    def same(cls, value: Any) -> Any:
        return value


class RewritesTag(Model):
    kind: Literal["b"]

    @model_validator(mode="before")
    @classmethod
    def fix(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") == "B":
            return {**data, "kind": "b"}
        return data


class Validated(Model):
    v: AfterOnTag | RewritesTag = Field(discriminator="kind")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"v": {"kind": "b"}}', RewritesTag(kind="b")),
        ('{"v": {"kind": "a"}}', AfterOnTag(kind="a")),
        ('{"v": {"kind": "B"}}', [(("v",), "union_tag_invalid")]),  # the tag is read first
        ('{"v": {"kind": "b", "kind": "B"}}', [(("v",), "union_tag_invalid")]),
        ('{"v": {"kind": "a", "kind": "A"}}', [(("v",), "union_tag_invalid")]),
    ],
)
def test_validators_on_the_choices(text: str, expected: Any) -> None:
    if isinstance(expected, list):
        assert _pairs(lambda: Validated.model_validate_json(text)) == expected
        assert _pairs(lambda: Validated.model_validate(json.loads(text))) == expected
    else:
        assert Validated.model_validate_json(text).v == expected
        assert Validated.model_validate(json.loads(text)).v == expected


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="union_mode"):
        Field(union_mode="first")
    with pytest.raises(TypeError, match="Tag"):
        Tag(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Discriminator"):
        Discriminator(3)  # type: ignore[arg-type]


def test_exported() -> None:
    import ferrule
    import ferrule.models

    assert ferrule.Discriminator is ferrule.models.Discriminator is Discriminator
    assert ferrule.Tag is ferrule.models.Tag is Tag
    assert repr(Tag("a")) == "Tag('a')"


class Keeper(Model, validate_assignment=True):
    pet: MCat | MDog = Field(discriminator="kind")


class RowPet:
    def __init__(self, kind: str, age: int) -> None:
        self.kind, self.age = kind, age


class RowKeeper:
    def __init__(self, pet: Any) -> None:
        self.pet = pet


def test_from_attributes_assignment_and_streams() -> None:
    keeper = Keeper.model_validate(RowKeeper(RowPet("cat", 3)), from_attributes=True)
    assert keeper.pet == MCat(kind="cat", age=3)
    keeper.pet = {"kind": "dog", "name": "r"}
    assert keeper.pet == MDog(kind="dog", name="r")
    with pytest.raises(ValidationError) as caught:
        keeper.pet = {"kind": "x"}
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        (("pet",), "union_tag_invalid")
    ]
    text = b'[{"pet": {"kind": "dog", "name": "a"}}, {"pet": {"kind": "cat", "age": 2}}]'
    assert list(Keeper.validate_json_stream(iter([text]))) == [
        Keeper(pet=MDog(kind="dog", name="a")),
        Keeper(pet=MCat(kind="cat", age=2)),
    ]
