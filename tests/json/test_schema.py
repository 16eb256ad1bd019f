"""`ferrule.json.Schema`: JSON Schema 2020-12 validation, on both cores (the native one and the
pure-Python twin), from Python data and from JSON text, with JSON Pointer error locations."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from schema_cases import CASES, TREE

from ferrule.errors import JSONError, JSONSchemaError, ValidationError
from ferrule.json import JsonSchemaValidator, Schema, dumps, loads

CORES = ["native", "python"]


def found(schema: Schema, instance: Any) -> list[tuple[str, str]]:
    return [(e["pointer"], e["type"]) for e in schema.errors(instance)]


def data(instance: Any) -> Any:
    """A str is read as JSON text: a string instance is given as its JSON."""
    return dumps(instance) if type(instance) is str else instance


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(
    ("name", "schema", "instance", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_case(core: str, name: str, schema: Any, instance: Any, expected: Any) -> None:
    compiled = Schema(schema, core=core)
    assert found(compiled, data(instance)) == expected
    assert compiled.is_valid(data(instance)) is (not expected)
    if expected:
        with pytest.raises(ValidationError) as info:
            compiled.validate(data(instance))
        assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
            (e["loc"], e["type"]) for e in compiled.errors(data(instance))
        ]
    else:
        assert compiled.validate(data(instance)) == instance


TEXT_CASES = [c for c in CASES if type(c[2]) is not Decimal and "Decimal" not in c[0]]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(
    ("name", "schema", "instance", "expected"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES]
)
def test_case_from_text(core: str, name: str, schema: Any, instance: Any, expected: Any) -> None:
    text = dumps(instance)
    compiled = Schema(dumps(schema), core=core)
    assert found(compiled, text) == expected
    assert found(compiled, text.encode()) == expected
    assert compiled.is_valid(text) is (not expected)


def test_error_shape() -> None:
    schema = Schema(
        {"properties": {"items": {"items": {"properties": {"name": {"type": "string"}}}}}}
    )
    doc = {"items": [{}, {}, {}, {"name": 5}]}
    [error] = schema.errors(doc)
    assert error == {
        "type": "type",
        "loc": ("items", 3, "name"),
        "pointer": "/items/3/name",
        "msg": "at '/items/3/name': should be of type ['string']",
        "input": 5,
        "ctx": {"expected": ["string"]},
    }
    with pytest.raises(ValidationError) as info:
        schema.validate(doc)
    assert "/items/3/name" in str(info.value)
    assert info.value.errors()[0]["loc"] == ("items", 3, "name")
    assert isinstance(info.value, ValueError)


UNIQUE = [
    ([1, "1", True, None, 1.0], (0, 4)),
    (["a", "b", "c", "b", "a"], (1, 3)),
    ([0.5, Decimal("0.5")], (0, 1)),
    ([False, 0, None, "", [], {}], None),
    ([2**70, 2.0**70], (0, 1)),
    ([[1], {"a": 1}, [1.0]], (0, 2)),
    ([1, [2], 3, 1], (0, 3)),
    ([-0.0, 0], (0, 1)),
    (list(range(100_000)), None),
    ([str(n) for n in range(100_000)] + ["99999"], (99_999, 100_000)),
]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(("items", "pair"), UNIQUE)
def test_unique_items_pair(core: str, items: list[Any], pair: Any) -> None:
    errors = Schema({"uniqueItems": True}, core=core).errors(items)
    if pair is None:
        assert errors == []
    else:
        assert [(e["ctx"]["first"], e["ctx"]["second"]) for e in errors] == [pair]


def test_pointer_tokens_are_escaped() -> None:
    schema = Schema({"additionalProperties": False})
    assert found(schema, {"a/b~c": 1}) == [("/a~1b~0c", "additionalProperties")]
    assert schema.errors({"a/b~c": 1})[0]["loc"] == ("a/b~c",)


def test_validate_returns_data_and_reads_text() -> None:
    schema = Schema('{"type": "array", "items": {"type": "number"}}')
    assert schema.validate("[1, 2.5]") == [1, 2.5]
    assert schema.validate(b"[]") == []
    with pytest.raises(JSONError):
        schema.validate("[1,")


def test_seed_alias() -> None:
    validator = JsonSchemaValidator({"type": "object", "required": ["id"]})
    assert validator.validate('{"id": 1}') == {"id": 1}
    with pytest.raises(ValidationError):
        validator.validate("{}")


# --- malformed schemas ---------------------------------------------------------------------

MALFORMED = [
    ({"type": "strin"}, "/type"),
    ({"type": 3}, "/type"),
    ({"type": ["string", "string"]}, "/type"),
    ({"minimum": "1"}, "/minimum"),
    ({"minimum": True}, "/minimum"),
    ({"multipleOf": 0}, "/multipleOf"),
    ({"minLength": -1}, "/minLength"),
    ({"maxItems": 1.5}, "/maxItems"),
    ({"required": "a"}, "/required"),
    ({"required": [1]}, "/required"),
    ({"properties": []}, "/properties"),
    ({"properties": {"a": 1}}, "/properties/a"),
    ({"items": {"properties": {"x": {"pattern": "("}}}}, "/items/properties/x/pattern"),
    ({"patternProperties": {"[": {}}}, "/patternProperties/["),
    ({"$ref": "#/$defs/missing"}, "/$ref"),
    ({"$defs": {"a": {"$ref": "#/nowhere/at/all"}}}, "/$defs/a/$ref"),
    ({"$ref": "#missing-anchor"}, "/$ref"),
    ({"$ref": "other.json#/x"}, "/$ref"),
    ({"allOf": []}, "/allOf"),
    ({"anyOf": {}}, "/anyOf"),
    ({"not": "x"}, "/not"),
    ({"enum": "abc"}, "/enum"),
    ({"enum": [{1, 2}]}, "/enum"),
    ({"const": float("nan")}, "/const"),
    ({"uniqueItems": 1}, "/uniqueItems"),
    ({"dependentRequired": {"a": "b"}}, "/dependentRequired"),
    ({"prefixItems": []}, "/prefixItems"),
    ({"unevaluatedProperties": 3}, "/unevaluatedProperties"),
    ({"unevaluatedItems": []}, "/unevaluatedItems"),
    ([], ""),
    (None, ""),
]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(("schema", "pointer"), MALFORMED)
def test_malformed_schema(core: str, schema: Any, pointer: str) -> None:
    with pytest.raises(JSONSchemaError) as info:
        Schema(schema, core=core)
    assert info.value.pointer == pointer
    assert isinstance(info.value, JSONError)
    keyword = pointer.rsplit("/", 1)[-1]
    assert keyword in str(info.value)


def test_bad_core_name() -> None:
    with pytest.raises(ValueError, match="core"):
        Schema({}, core="rust")  # type: ignore[arg-type]


# --- hostile and deep input ----------------------------------------------------------------


def nested_list(depth: int) -> list[Any]:
    root: list[Any] = []
    current = root
    for _ in range(depth - 1):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    return root


@pytest.mark.parametrize("core", CORES)
def test_deep_document_recursive_schema(core: str) -> None:
    schema = Schema({"type": "array", "items": {"$ref": "#"}}, core=core)
    assert schema.is_valid(nested_list(100))
    deep = nested_list(100_000)
    with pytest.raises(JSONError, match="nested"):
        schema.is_valid(deep)
    with pytest.raises(JSONError, match="nested"):
        schema.errors(deep)
    with pytest.raises(JSONError):
        schema.validate("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("core", CORES)
def test_ref_loop_without_progress(core: str) -> None:
    schema = Schema(
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
        core=core,
    )
    with pytest.raises(JSONError, match="nested"):
        schema.is_valid(1)


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize(
    "value",
    [
        {1, 2},
        (1, 2),
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        object(),
        {"a": b"x"},
        [1, frozenset()],
        type("MyDict", (dict,), {})(),
    ],
)
def test_non_json_values_are_refused(core: str, value: Any) -> None:
    schema = Schema(
        {"items": {"type": "string"}, "additionalProperties": {"type": "string"}}, core=core
    )
    with pytest.raises(JSONError):
        schema.errors(value)


@pytest.mark.parametrize("core", CORES)
def test_non_str_keys_are_refused(core: str) -> None:
    with pytest.raises(JSONError, match="keys"):
        Schema({"additionalProperties": False}, core=core).errors({1: 2})


@pytest.mark.parametrize("core", CORES)
def test_lying_str_subclass_is_not_json(core: str) -> None:
    class Liar(str):
        def __eq__(self, other: object) -> bool:
            raise AssertionError("never asked")

        __hash__ = str.__hash__

    with pytest.raises(JSONError):
        Schema({"enum": ["a"]}, core=core).is_valid(Liar("a"))


@pytest.mark.parametrize("core", CORES)
def test_surrogates(core: str) -> None:
    core_of = Schema({"pattern": "^a", "format": "email"}, core=core)._core
    assert [e[1] for e in core_of.errors("a\ud800")] == ["format"]
    assert [e[1] for e in core_of.errors("\ud800")] == ["pattern", "format"]


def test_pure_core_is_picked_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from ferrule.json._pure_schema import PureSchema

    monkeypatch.setenv("FERRULE_PURE_PYTHON", "1")
    assert isinstance(Schema({})._core, PureSchema)
    monkeypatch.setenv("FERRULE_PURE_PYTHON", "0")
    assert not isinstance(Schema({})._core, PureSchema)


def nested_all_of(depth: int) -> Any:
    schema: Any = {"type": "integer"}
    for _ in range(depth):
        schema = {"allOf": [schema]}
    return schema


@pytest.mark.parametrize("core", CORES)
def test_deeply_nested_schemas(core: str) -> None:
    assert Schema(nested_all_of(200), core=core).is_valid(1)
    assert found(Schema(nested_all_of(200), core=core), 1.5) == [("", "type")]
    with pytest.raises(JSONSchemaError, match="too deep"):
        Schema(nested_all_of(5000), core=core)


def test_str_is_json_text() -> None:
    schema = Schema({"type": "string"})
    assert schema.is_valid('"x"')
    with pytest.raises(JSONError):
        schema.is_valid("x")


def test_tree_schema_text() -> None:
    doc = json.dumps({"value": 1, "children": [{"value": 2, "children": [{"value": "3"}]}]})
    assert found(Schema(TREE), doc) == [("/children/0/children/0/value", "type")]
    assert loads(doc)["value"] == 1
