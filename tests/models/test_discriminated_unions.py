"""Conformance tables for discriminated (tagged) unions and ``union_mode``.

The tag is read from the input (the field's name, then its alias; a function's answer for a
callable `Discriminator`), then only the choice it names is validated, its errors under the tag.
Every expected value was recorded from pydantic 2.14. The tables build their schemas through
ferrule's own introspection from table models, then run on both cores, through the dict path,
the JSON tree and the streaming reader.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Annotated, Any, Union

import pytest
from cores import CORES, Err, field, make_model, make_validator, to_json_text
from paths import JSON_PATHS, assert_outcome, outcome

from ferrule.errors import ValidationError
from ferrule.models import Discriminator, Field, Tag
from ferrule.models import schema as s
from ferrule.models._introspect import build_type_schema

E = Err
INT = s.int_schema()
STR = s.str_schema()
BOOL = s.bool_schema()


def lit(*values: Any) -> Any:
    return s.literal_schema(list(values))


def typed(annotation: Any) -> Any:
    """The schema ferrule's introspection makes of `annotation` (table models included)."""
    return build_type_schema(
        annotation,
        strict=False,
        is_model=lambda c: isinstance(c, type) and hasattr(c, "__ferrule_schema__"),
        where="T.v",
    )


def tagged(*members: Any, key: Any = "kind") -> Any:
    return typed(Annotated[Union[members], Field(discriminator=key)])  # noqa: UP007


def inst(cls: type, **values: Any) -> Any:
    instance = object.__new__(cls)
    for spec in cls.__ferrule_schema__["fields"]:  # type: ignore[attr-defined]
        setattr(instance, spec["name"], values.get(spec["name"], spec.get("default")))
    return instance


Cat = make_model("Cat", [field("kind", lit("cat")), field("age", INT)])
Dog = make_model("Dog", [field("kind", lit("dog", "puppy")), field("name", STR)])
Lizard = make_model(
    "Lizard", [field("kind", lit("lizard"), default="lizard"), field("scales", BOOL, default=True)]
)
PET = tagged(Cat, Dog, Lizard)


class K(str, enum.Enum):
    A = "a"
    B = "b"


class P(enum.Enum):
    A = 1
    B = 2


IntA = make_model("IntA", [field("t", lit(1)), field("y", INT)])
IntB = make_model("IntB", [field("t", lit(2))])
BY_INT = tagged(IntA, IntB, key="t")
StrEnumA = make_model("StrEnumA", [field("k", lit(K.A)), field("y", INT)])
StrEnumB = make_model("StrEnumB", [field("k", lit(K.B))])
BY_STR_ENUM = tagged(StrEnumA, StrEnumB, key="k")
EnumA = make_model("EnumA", [field("k", lit(P.A)), field("y", INT)])
EnumB = make_model("EnumB", [field("k", lit(P.B))])
BY_ENUM = tagged(EnumA, EnumB, key="k")
AliasA = make_model("AliasA", [field("kind", lit("a"), alias="Kind"), field("x", INT)])
AliasB = make_model("AliasB", [field("kind", lit("b"), alias="Kind")])
BY_ALIAS = tagged(AliasA, AliasB)
BlackCat = make_model(
    "BlackCat", [field("pet_type", lit("cat")), field("color", lit("black")), field("n", STR)]
)
WhiteCat = make_model(
    "WhiteCat", [field("pet_type", lit("cat")), field("color", lit("white")), field("n", STR)]
)
Dog2 = make_model("Dog2", [field("pet_type", lit("dog")), field("name", STR)])
CAT_COLOR = Annotated[Union[BlackCat, WhiteCat], Field(discriminator="color")]  # noqa: UP007
NESTED = tagged(CAT_COLOR, Dog2, key="pet_type")
OPTIONAL = typed(Annotated[Union[Cat, Dog, None], Field(discriminator="kind")])  # noqa: UP007


def by_kind(value: Any) -> Any:
    """A callable discriminator: a dict's "kind", mapped to the choices' tags."""
    if isinstance(value, dict):
        return {"cat": "c", "dog": "d"}.get(value.get("kind"), value.get("kind"))
    return None


BY_FUNCTION = typed(
    Annotated[
        Union[Annotated[Cat, Tag("c")], Annotated[Dog, Tag("d")]],  # noqa: UP007
        Discriminator(by_kind),
    ]
)


class Holder:
    """An object with attributes (no dict): the tag is read as an attribute."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


NOT_FOUND = E(((), "union_tag_not_found"))
INVALID = E(((), "union_tag_invalid"))
NOT_OBJECT = E(((), "model_attributes_type"))

PYTHON: list[Any] = [
    (PET, {"kind": "cat", "age": 3}, inst(Cat, kind="cat", age=3)),
    (PET, {"kind": "cat", "age": "x"}, E((("cat", "age"), "int_parsing"))),
    (PET, {"kind": "puppy"}, E((("puppy", "name"), "missing"))),
    (PET, {"kind": "lizard"}, inst(Lizard, kind="lizard", scales=True)),
    (PET, {"kind": "fish"}, INVALID),
    (PET, {}, NOT_FOUND),  # a default of the tag field is no tag
    (PET, {"kind": 1}, INVALID),
    (PET, {"kind": None}, INVALID),
    (PET, {"kind": ["cat"]}, INVALID),  # unhashable
    (PET, "x", NOT_OBJECT),
    (PET, None, NOT_OBJECT),
    (PET, 5, NOT_OBJECT),
    (PET, [("kind", "cat")], NOT_OBJECT),
    (PET, MappingProxyType({"kind": "lizard"}), inst(Lizard, kind="lizard", scales=True)),
    (PET, Holder(kind="cat", age=3), E((("cat",), "model_type"))),
    (PET, Holder(age=3), NOT_FOUND),
    (PET, Holder(kind="fish"), INVALID),
    (BY_INT, {"t": 1, "y": 2}, inst(IntA, t=1, y=2)),
    (BY_INT, {"t": 1}, E(((1, "y"), "missing"))),
    (BY_INT, {"t": "1"}, INVALID),
    (BY_INT, {"t": 3}, INVALID),
    # the text finds a str-enum tag; the Literal field itself then wants the member (ferrule's
    # literal rule, docs/validation.md), so only the member is shown going through
    (BY_STR_ENUM, {"k": K.A}, E((("a", "y"), "missing"))),
    (BY_STR_ENUM, {"k": K.B}, inst(StrEnumB, k=K.B)),
    (BY_STR_ENUM, {"k": "c"}, INVALID),
    (BY_ENUM, {"k": P.A}, E((("<P.A: 1>", "y"), "missing"))),
    (BY_ENUM, {"k": 1}, INVALID),
    (BY_ALIAS, {"Kind": "a", "x": 1}, inst(AliasA, kind="a", x=1)),
    (BY_ALIAS, {"kind": "a", "x": 1}, E((("a", "Kind"), "missing"))),  # the name is read too
    (BY_ALIAS, {"Kind": "a", "kind": "b"}, E((("b", "Kind"), "literal_error"))),  # name first
    (BY_ALIAS, {"Kind": "z"}, INVALID),
    (NESTED, {"pet_type": "cat", "color": "black"}, E((("cat", "black", "n"), "missing"))),
    (
        NESTED,
        {"pet_type": "cat", "color": "white", "n": "w"},
        inst(WhiteCat, pet_type="cat", color="white", n="w"),
    ),
    (NESTED, {"pet_type": "cat", "color": "red"}, E((("cat",), "union_tag_invalid"))),
    (NESTED, {"pet_type": "cat"}, E((("cat",), "union_tag_not_found"))),
    (NESTED, {"pet_type": "dog"}, E((("dog", "name"), "missing"))),
    (OPTIONAL, None, None),
    (OPTIONAL, {"kind": "q"}, INVALID),
    (BY_FUNCTION, {"kind": "cat", "age": 1}, inst(Cat, kind="cat", age=1)),
    (BY_FUNCTION, {"kind": "dog"}, E((("d", "name"), "missing"))),
    (BY_FUNCTION, {}, NOT_FOUND),
    (BY_FUNCTION, 5, NOT_FOUND),
    (BY_FUNCTION, {"kind": "q"}, INVALID),
]

JSON: list[Any] = [
    (PET, '{"kind": "cat", "age": 3}', inst(Cat, kind="cat", age=3)),
    (PET, '{"age": 3, "kind": "cat"}', inst(Cat, kind="cat", age=3)),
    (PET, '{"kind": "dog", "kind": "cat", "age": 1}', inst(Cat, kind="cat", age=1)),
    (PET, '{"kind": "cat", "age": "x"}', E((("cat", "age"), "int_parsing"))),
    # repeated tag keys: the last one names the choice (the first key is only a shortcut)
    (PET, '{"kind": "puppy", "kind": "dog"}', E((("dog", "name"), "missing"))),
    (PET, '{"kind": "dog", "name": "r", "kind": "puppy"}', inst(Dog, kind="puppy", name="r")),
    (PET, '{"kind": "cat", "kind": "dog", "name": "r"}', inst(Dog, kind="dog", name="r")),
    (PET, '{"kind": "dog", "kind": "fish"}', INVALID),
    (PET, '{ "age" : 3 , "kind" : "c\\u0061t" }', inst(Cat, kind="cat", age=3)),
    (PET, '{"kind": 1}', INVALID),
    (PET, '{"kind": {"x": [1, "}"]}, "age": 1}', INVALID),
    (BY_INT, '{"y": 2, "t": 1}', inst(IntA, t=1, y=2)),
    (PET, '{"kind": "puppy"}', E((("puppy", "name"), "missing"))),
    (PET, '{"kind": "fish"}', INVALID),
    (PET, "{}", NOT_FOUND),
    (PET, '{"kind": null}', INVALID),
    (PET, '{"kind": ["cat"]}', INVALID),
    (PET, '"x"', E(((), "dict_type"))),
    (PET, "[1]", E(((), "dict_type"))),
    (PET, "null", E(((), "dict_type"))),
    (BY_INT, '{"t": 1}', E(((1, "y"), "missing"))),
    (BY_INT, '{"t": "1"}', INVALID),
    (BY_STR_ENUM, '{"k": "b"}', inst(StrEnumB, k=K.B)),
    (BY_STR_ENUM, '{"k": "a"}', E((("a", "y"), "missing"))),
    (BY_ENUM, '{"k": 2}', INVALID),  # JSON has no enums; a plain enum's value is no tag
    (BY_ALIAS, '{"Kind": "a", "x": 1}', inst(AliasA, kind="a", x=1)),
    (BY_ALIAS, '{"kind": "b", "Kind": "a"}', E((("b", "Kind"), "literal_error"))),
    (NESTED, '{"pet_type": "cat", "color": "black"}', E((("cat", "black", "n"), "missing"))),
    (NESTED, '{"pet_type": "cat", "color": "red"}', E((("cat",), "union_tag_invalid"))),
    (OPTIONAL, "null", None),
    (BY_FUNCTION, '{"kind": "dog"}', E((("d", "name"), "missing"))),
    (BY_FUNCTION, "5", NOT_FOUND),
]


@pytest.mark.parametrize(("schema", "value", "expected"), PYTHON)
def test_python(core: Any, schema: Any, value: Any, expected: Any) -> None:
    assert_outcome(outcome(core, schema, "python", value), expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("schema", "text", "expected"), JSON)
def test_json(core: Any, path: str, schema: Any, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, schema, path, text), expected)


def test_an_instance_of_a_choice_is_kept(core: Any) -> None:
    cat = inst(Cat, kind="cat", age=1)
    assert make_validator(core, PET).validate_python(cat) is cat


def _errors(core: Any, schema: Any, value: Any, json: bool = False) -> list[dict[str, Any]]:
    validator = make_validator(core, schema)
    with pytest.raises(ValidationError) as caught:
        if json:
            validator.validate_json(value)
        else:
            validator.validate_python(value)
    return [
        {k: v for k, v in line.items() if k in ("type", "loc", "msg", "ctx")}
        for line in caught.value.errors()
    ]


ERRORS: list[Any] = [
    (
        PET,
        {"kind": "fish"},
        {
            "type": "union_tag_invalid",
            "loc": (),
            "msg": "Input tag 'fish' found using 'kind' does not match any of the expected "
            "tags: 'cat', 'dog', 'puppy', 'lizard'",
            "ctx": {
                "discriminator": "'kind'",
                "tag": "fish",
                "expected_tags": "'cat', 'dog', 'puppy', 'lizard'",
            },
        },
    ),
    (
        PET,
        {},
        {
            "type": "union_tag_not_found",
            "loc": (),
            "msg": "Unable to extract tag using discriminator 'kind'",
            "ctx": {"discriminator": "'kind'"},
        },
    ),
    (
        PET,
        "x",
        {
            "type": "model_attributes_type",
            "loc": (),
            "msg": "Input should be a valid dictionary or object to extract fields from",
        },
    ),
    (
        BY_INT,
        {"t": 3},
        {
            "type": "union_tag_invalid",
            "loc": (),
            "msg": "Input tag '3' found using 't' does not match any of the expected tags: 1, 2",
            "ctx": {"discriminator": "'t'", "tag": "3", "expected_tags": "1, 2"},
        },
    ),
    (
        BY_STR_ENUM,
        {"k": "c"},
        {
            "type": "union_tag_invalid",
            "loc": (),
            "msg": "Input tag 'c' found using 'k' does not match any of the expected tags: "
            "<K.A: 'a'>, <K.B: 'b'>",
            "ctx": {"discriminator": "'k'", "tag": "c", "expected_tags": "<K.A: 'a'>, <K.B: 'b'>"},
        },
    ),
    (
        BY_ALIAS,
        {"Kind": "z"},
        {
            "type": "union_tag_invalid",
            "loc": (),
            "msg": "Input tag 'z' found using 'kind' | 'Kind' does not match any of the "
            "expected tags: 'a', 'b'",
            "ctx": {"discriminator": "'kind' | 'Kind'", "tag": "z", "expected_tags": "'a', 'b'"},
        },
    ),
    (
        BY_FUNCTION,
        {},
        {
            "type": "union_tag_not_found",
            "loc": (),
            "msg": "Unable to extract tag using discriminator by_kind()",
            "ctx": {"discriminator": "by_kind()"},
        },
    ),
    (
        BY_FUNCTION,
        {"kind": "q"},
        {
            "type": "union_tag_invalid",
            "loc": (),
            "msg": "Input tag 'q' found using by_kind() does not match any of the expected "
            "tags: 'c', 'd'",
            "ctx": {"discriminator": "by_kind()", "tag": "q", "expected_tags": "'c', 'd'"},
        },
    ),
]


@pytest.mark.parametrize(("schema", "value", "expected"), ERRORS)
def test_error_details(core: Any, schema: Any, value: Any, expected: Any) -> None:
    assert _errors(core, schema, value) == [expected]


def test_json_null_tag_is_written_as_python_would(core: Any) -> None:
    [line] = _errors(core, PET, '{"kind": null}', json=True)
    assert line["ctx"]["tag"] == "None"


def _with_function(**custom: Any) -> Any:
    return typed(
        Annotated[
            Union[Annotated[Cat, Tag("cat")], Annotated[Dog, Tag("dog")]],  # noqa: UP007
            Discriminator(lambda v: v.get("kind") if isinstance(v, dict) else None, **custom),
        ]
    )


CUSTOM = _with_function(
    custom_error_type="pet", custom_error_message="bad {n}", custom_error_context={"n": 1}
)
CUSTOM_ERRORS: list[Any] = [
    (CUSTOM, {}, {"type": "pet", "loc": (), "msg": "bad 1", "ctx": {"n": 1}}),
    (CUSTOM, {"kind": "x"}, {"type": "pet", "loc": (), "msg": "bad 1", "ctx": {"n": 1}}),
    (
        _with_function(custom_error_type="pet", custom_error_message="bad {n}"),
        {"kind": "x"},
        {"type": "pet", "loc": (), "msg": "bad {n}"},
    ),
    (  # a message without a type is ignored, as pydantic does
        _with_function(custom_error_message="m"),
        {},
        {
            "type": "union_tag_not_found",
            "loc": (),
            "msg": "Unable to extract tag using discriminator <lambda>()",
            "ctx": {"discriminator": "<lambda>()"},
        },
    ),
    (  # so are custom errors on a field-name discriminator
        typed(Annotated[Union[Cat, Dog], Discriminator("kind", custom_error_type="pet")]),  # noqa: UP007
        {},
        {
            "type": "union_tag_not_found",
            "loc": (),
            "msg": "Unable to extract tag using discriminator 'kind'",
            "ctx": {"discriminator": "'kind'"},
        },
    ),
]


@pytest.mark.parametrize(("schema", "value", "expected"), CUSTOM_ERRORS)
def test_custom_errors_of_a_callable_discriminator(
    core: Any, schema: Any, value: Any, expected: Any
) -> None:
    assert _errors(core, schema, value) == [expected]
    assert _errors(core, schema, to_json_text(value), json=True) == [expected]


def test_the_custom_context_is_a_copy_each_time(core: Any) -> None:
    validator = make_validator(core, CUSTOM)
    with pytest.raises(ValidationError) as caught:
        validator.validate_python({})
    caught.value.errors()[0]["ctx"]["n"] = 2
    assert caught.value.errors()[0]["ctx"] == {"n": 1}


# --- hostile inputs ----------------------------------------------------------------------------


class Unhashable:
    def __hash__(self) -> int:
        raise RuntimeError("no hash")

    def __str__(self) -> str:
        return "hostile"


class RaisingGetter:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("getter")


def test_a_tag_that_cannot_be_hashed_names_no_choice(core: Any) -> None:
    [line] = _errors(core, PET, {"kind": Unhashable()})
    assert line["type"] == "union_tag_invalid"
    assert line["ctx"]["tag"] == "hostile"


def test_a_getter_that_raises_is_a_typed_error(core: Any) -> None:
    [line] = _errors(core, PET, RaisingGetter())
    assert line == {
        "type": "get_attribute_error",
        "loc": (),
        "msg": "Error extracting attribute: RuntimeError: getter",
        "ctx": {"error": "RuntimeError: getter"},
    }


def test_a_discriminator_function_that_raises_propagates(core: Any) -> None:
    def broken(value: Any) -> Any:
        raise ValueError("boom")

    schema = typed(
        Annotated[Union[Annotated[Cat, Tag("c")], Annotated[Dog, Tag("d")]], Discriminator(broken)]  # noqa: UP007
    )
    with pytest.raises(ValueError, match="boom"):  # as pydantic: the function's own error
        make_validator(core, schema).validate_python({})


# --- union_mode ---------------------------------------------------------------------------------


def mode(annotation: Any, union_mode: str) -> Any:
    return typed(Annotated[annotation, Field(union_mode=union_mode)])


LEFT_INT_STR = mode(Union[int, str], "left_to_right")  # noqa: UP007
LEFT_STR_INT = mode(Union[str, int], "left_to_right")  # noqa: UP007
SMART_INT_STR = mode(Union[int, str], "smart")  # noqa: UP007
LEFT_FLOAT_INT = mode(Union[float, int, None], "left_to_right")  # noqa: UP007

MODES: list[Any] = [
    (LEFT_INT_STR, "1", 1),
    (LEFT_STR_INT, 1, 1),
    (SMART_INT_STR, "1", "1"),
    (LEFT_INT_STR, "x", "x"),
    (LEFT_FLOAT_INT, 3, 3.0),
    (LEFT_FLOAT_INT, None, None),
    (LEFT_INT_STR, 1.5, E((("int",), "int_from_float"), (("str",), "string_type"))),
    (LEFT_STR_INT, [], E((("str",), "string_type"), (("int",), "int_type"))),
]


@pytest.mark.parametrize(("schema", "value", "expected"), MODES)
def test_union_mode(core: Any, schema: Any, value: Any, expected: Any) -> None:
    assert_outcome(outcome(core, schema, "python", value), expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(
    ("schema", "text", "expected"),
    [(LEFT_INT_STR, '"1"', 1), (SMART_INT_STR, '"1"', "1"), (LEFT_FLOAT_INT, "3", 3.0)],
)
def test_union_mode_json(core: Any, path: str, schema: Any, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, schema, path, text), expected)


def test_cores_are_the_table_cores() -> None:
    assert len(CORES) == 2
