"""Conformance tables for model schemas: lookup, defaults, extra, nesting, recursion, user
validators, assignment and batches (docs/validation.md, "Models" and "Assignment")."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from cores import Err, check, field, make_model, make_validator, model_schema, same

from ferrule.errors import ValidationError
from ferrule.models import schema as s

E = Err
R: tuple[Any, ...] = ()
INT = s.int_schema()
STR = s.str_schema()

Address = make_model(
    "Address",
    [field("city", s.str_schema(min_length=1)), field("zip", s.str_schema(pattern=r"^\d{5}$"))],
)
User = make_model(
    "User",
    [
        field("id", s.int_schema(gt=0)),
        field("name", s.str_schema(min_length=2)),
        field("tags", s.collection_schema("list", STR), default_factory=list),
        field("score", s.float_schema(), default=0.0),
        field("address", s.nullable_schema(s.model_ref_schema(Address)), default=None),
    ],
)
Aliased = make_model("Aliased", [field("user_id", INT, alias="userId")])
ByName = make_model("ByName", [field("user_id", INT, alias="userId")], populate_by_name=True)
Forbid = make_model("Forbid", [field("a", INT)], extra="forbid")
Allow = make_model("Allow", [field("a", INT)], extra="allow")
Strict = make_model("Strict", [field("a", s.int_schema(strict=True))], strict=True)
Node = type("Node", (), {"__slots__": ("children", "next", "value")})
Node.__ferrule_schema__ = model_schema(  # type: ignore[attr-defined]
    Node,
    [
        field("value", INT),
        field("next", s.nullable_schema(s.model_ref_schema(Node)), default=None),
        field(
            "children", s.collection_schema("list", s.model_ref_schema(Node)), default_factory=list
        ),
    ],
)
Messages = make_model(
    "Messages",
    [
        field(
            "age",
            s.int_schema(ge=0),
            messages={"greater_than_equal": "too young", "missing": "age!"},
        ),
        field("items", s.collection_schema("list", INT), messages={"int_parsing": "numbers only"}),
    ],
)


def ref(cls: type) -> Any:
    return s.model_ref_schema(cls)


#: The `User` every minimal valid input gives: each field, defaults included.
AL = {"id": 1, "name": "Al", "tags": [], "score": 0.0, "address": None}


def full(cls: type) -> Any:
    return cls.__ferrule_schema__  # type: ignore[attr-defined]


CASES: list[Any] = [
    (
        full(User),
        {"id": 1, "name": "Al"},
        {"id": 1, "name": "Al", "tags": [], "score": 0.0, "address": None},
    ),
    (
        full(User),
        {"id": "2", "name": "Bo", "tags": ["x"], "score": "1.5"},
        {"id": 2, "name": "Bo", "tags": ["x"], "score": 1.5, "address": None},
    ),
    (
        full(User),
        {"id": 0, "name": "B"},
        E((("id",), "greater_than"), (("name",), "string_too_short")),
    ),
    (full(User), {}, E((("id",), "missing"), (("name",), "missing"))),
    (
        full(User),
        {"id": 1, "name": "Al", "tags": ["a", 1, "b", 2]},
        E((("tags", 1), "string_type"), (("tags", 3), "string_type")),
    ),
    (
        full(User),
        {"id": 1, "name": "Al", "address": {"city": "", "zip": "1"}},
        E(
            (("address", "city"), "string_too_short"),
            (("address", "zip"), "string_pattern_mismatch"),
        ),
    ),
    (
        full(User),
        {"id": 1, "name": "Al", "address": {"city": "X", "zip": "12345"}},
        {**AL, "address": {"city": "X", "zip": "12345"}},
    ),
    (full(User), {"id": 1, "name": "Al", "address": "x"}, E((("address",), "model_type"))),
    (full(User), {"id": 1, "name": "Al", "unknown": 1}, AL),
    (full(User), [1], E((R, "model_type"))),
    (full(User), "x", E((R, "model_type"))),
    (full(User), None, E((R, "model_type"))),
    (ref(User), {"id": 1, "name": "Al"}, AL),
    (ref(User), 1, E((R, "model_type"))),
    # aliases
    (full(Aliased), {"userId": 1}, {"user_id": 1}),
    (full(Aliased), {"user_id": 1}, E((("userId",), "missing"))),
    (full(Aliased), {"userId": "x"}, E((("userId",), "int_parsing"))),
    (full(ByName), {"userId": 1}, {"user_id": 1}),
    (full(ByName), {"user_id": 2}, {"user_id": 2}),
    (full(ByName), {"user_id": "x"}, E((("user_id",), "int_parsing"))),
    (full(ByName), {}, E((("userId",), "missing"))),
    # extra
    (full(Forbid), {"a": 1}, {"a": 1}),
    (
        full(Forbid),
        {"a": 1, "b": 2, "c": 3},
        E((("b",), "extra_forbidden"), (("c",), "extra_forbidden")),
    ),
    (full(Forbid), {"a": "x", "b": 2}, E((("a",), "int_parsing"), (("b",), "extra_forbidden"))),
    (full(Allow), {"a": 1, "b": [2]}, {"a": 1, "__ferrule_extra__": {"b": [2]}}),
    (full(Allow), {"a": 1}, {"a": 1, "__ferrule_extra__": {}}),
    # strict model
    (full(Strict), {"a": 1}, {"a": 1}),
    (full(Strict), {"a": "1"}, E((("a",), "int_type"))),
    # recursion through references
    (
        full(Node),
        {"value": 1, "next": {"value": "2"}},
        {"value": 1, "next": {"value": 2, "next": None, "children": []}, "children": []},
    ),
    (full(Node), {"value": 1, "next": {"value": "x"}}, E((("next", "value"), "int_parsing"))),
    (
        full(Node),
        {"value": 1, "children": [{"value": 2}, {"value": "y"}]},
        E((("children", 1, "value"), "int_parsing")),
    ),
    # custom messages
    (full(Messages), {"age": -1, "items": []}, E((("age",), "greater_than_equal"))),
    (full(Messages), {"items": [1, "x"]}, E((("age",), "missing"), (("items", 1), "int_parsing"))),
]


def _id(case: Any) -> str:
    schema = case[0]
    return f"{schema['cls'].__name__}{'' if 'fields' in schema else '-ref'}"


def _state(instance: Any) -> Any:
    """Every field of a table model instance (and its extras), nested models as dicts too: the
    whole result, so a field left unvalidated, unset or wrongly typed cannot go unseen."""
    schema = getattr(type(instance), "__ferrule_schema__", None)
    if schema is None:
        return [_state(item) for item in instance] if type(instance) is list else instance
    state = {f["name"]: _state(getattr(instance, f["name"])) for f in schema["fields"]}
    if "__ferrule_extra__" in type(instance).__slots__:
        state["__ferrule_extra__"] = instance.__ferrule_extra__
    return state


def _matches(result: Any, expected: dict[str, Any]) -> None:
    state = _state(result)
    assert same(state, expected), f"{state!r} != {expected!r}"


@pytest.mark.parametrize("path", ["python", "json"])
@pytest.mark.parametrize(("schema", "value", "expected"), CASES, ids=[_id(c) for c in CASES])
def test_models(core: Any, path: str, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    if path == "python":
        run = lambda: validator.validate_python(value)  # noqa: E731
    else:
        run = lambda: validator.validate_json(json.dumps(value))  # noqa: E731
    if isinstance(expected, Err):
        check(run, expected)
        return
    result = run()
    assert type(result) is schema["cls"]
    _matches(result, expected)


def test_model_errors_have_messages_and_inputs(core: Any) -> None:
    data = {"items": [1, "x"]}
    with pytest.raises(ValidationError) as info:
        make_validator(core, full(Messages)).validate_python(data)
    missing, item = info.value.errors()
    assert missing["msg"] == "age!"
    assert missing["input"] is data
    assert item["msg"] == "numbers only"
    assert item["input"] == "x"
    assert info.value.title == "Messages"
    with pytest.raises(ValidationError) as info:
        make_validator(core, full(User)).validate_python([])
    [error] = info.value.errors()
    assert error["msg"] == "Input should be a valid dictionary or instance of User"


def test_instance_is_returned_as_is(core: Any) -> None:
    validator = make_validator(core, full(User))
    user = validator.validate_python({"id": 1, "name": "Al"})
    assert validator.validate_python(user) is user
    outer = make_validator(core, s.collection_schema("list", ref(User)))
    assert outer.validate_python([user])[0] is user


class _Mapping(Mapping[str, Any]):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_mapping_input_in_lax_mode_only(core: Any) -> None:
    user = make_validator(core, full(User)).validate_python(_Mapping({"id": 1, "name": "Al"}))
    assert user.id == 1
    check(
        lambda: make_validator(core, full(Strict)).validate_python(_Mapping({"a": 1})),
        E((R, "model_type")),
    )
    check(
        lambda: make_validator(core, full(User)).validate_python(
            _Mapping({"id": 1, "name": "Al"}), strict=True
        ),
        E((R, "model_type")),
    )


def test_defaults_are_copied_per_instance_and_not_validated(core: Any) -> None:
    shared: list[Any] = ["not", "validated", 1]
    Model = make_model(
        "WithDefault", [field("items", s.collection_schema("list", STR), default=shared)]
    )
    validator = make_validator(core, full(Model))
    first = validator.validate_python({})
    second = validator.validate_python({})
    assert first.items == shared
    assert first.items is not shared
    assert first.items is not second.items
    calls: list[int] = []
    Factory = make_model(
        "Factory", [field("n", INT, default_factory=lambda: calls.append(1) or len(calls))]
    )
    validator = make_validator(core, full(Factory))
    assert validator.validate_python({}).n == 1
    assert validator.validate_python({}).n == 2
    assert validator.validate_python({"n": "7"}).n == 7


def test_instances_are_created_without_calling_the_class(core: Any) -> None:
    class Guarded:
        __slots__ = ("a",)

        def __init__(self) -> None:
            raise AssertionError("must not be called")

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("must not be called")

    Guarded.__ferrule_schema__ = model_schema(Guarded, [field("a", INT)])  # type: ignore[attr-defined]
    result = make_validator(core, Guarded.__ferrule_schema__).validate_python({"a": "1"})  # type: ignore[attr-defined]
    assert type(result) is Guarded
    assert result.a == 1


# --- recursion and cycles --------------------------------------------------------------------


def _chain(depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {"value": 0}
    for level in range(depth):
        data = {"value": level, "next": data}
    return data


@pytest.mark.parametrize("path", ["python", "json"])
def test_two_hundred_levels_are_allowed(core: Any, path: str) -> None:
    validator = make_validator(core, full(Node))
    data = _chain(199)  # 200 nested models
    node = (
        validator.validate_python(data)
        if path == "python"
        else validator.validate_json(json.dumps(data))
    )
    depth = 0
    while node.next is not None:
        node, depth = node.next, depth + 1
    assert depth == 199
    with pytest.raises(ValidationError) as info:
        validator.validate_python(_chain(200))
    [error] = info.value.errors()
    assert error["type"] == "recursion_loop"
    assert len(error["loc"]) == 200


def test_too_deep_nesting_is_recursion_loop(core: Any) -> None:
    validator = make_validator(core, full(Node))
    with pytest.raises(ValidationError) as info:
        validator.validate_python(_chain(300))
    [error] = info.value.errors()
    assert error["type"] == "recursion_loop"
    assert error["loc"] == ("next",) * 200


def _nested(depth: int, inner: Any) -> Any:
    """``inner`` inside ``depth`` lists."""
    for _ in range(depth):
        inner = [inner]
    return inner


def test_json_deeper_than_two_hundred_levels_is_invalid_json(core: Any) -> None:
    validator = make_validator(core, full(Node))
    with pytest.raises(ValidationError) as info:
        validator.validate_json(json.dumps(_chain(200)))
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((), "json_invalid")]
    any_validator = make_validator(core, s.any_schema())
    assert same(any_validator.validate_json("[" * 201 + "]" * 201), _nested(200, []))
    assert same(any_validator.validate_json("[" * 200 + "1" + "]" * 200), _nested(200, 1))
    for text in ("[" * 201 + "1" + "]" * 201, '{"a":' * 201 + "1" + "}" * 201, "[" * 5000):
        with pytest.raises(ValidationError) as info:
            any_validator.validate_json(text)
        assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((), "json_invalid")]


def test_cyclic_input_is_recursion_loop(core: Any) -> None:
    data: dict[str, Any] = {"value": 1}
    data["next"] = data
    with pytest.raises(ValidationError) as info:
        make_validator(core, full(Node)).validate_python(data)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("next",), "recursion_loop")]
    items: list[Any] = []
    items.append({"value": 1, "children": items})
    with pytest.raises(ValidationError) as info:
        make_validator(core, s.collection_schema("list", ref(Node))).validate_python(items)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
        ((0, "children", 0), "recursion_loop")
    ]


def test_same_dict_twice_is_not_a_cycle(core: Any) -> None:
    leaf = {"value": 1}
    node = make_validator(core, full(Node)).validate_python({"value": 0, "children": [leaf, leaf]})
    assert [child.value for child in node.children] == [1, 1]


# --- model validators ------------------------------------------------------------------------


def _before(data: Any) -> Any:
    if isinstance(data, str):
        return {"a": data}
    return data


def _after(instance: Any) -> Any:
    if instance.a == 13:
        raise ValueError("unlucky")
    return instance


def _after_assert(instance: Any) -> Any:
    assert instance.a != 7, "no sevens"
    return instance


Validated = make_model(
    "Validated",
    [field("a", INT)],
    before_validators=[_before],
    after_validators=[_after, _after_assert],
)

VALIDATORS: list[Any] = [
    ("5", {"a": 5}),
    ({"a": "6"}, {"a": 6}),
    ("x", E((("a",), "int_parsing"))),
    (13, E((R, "model_type"))),
    ("13", E((R, "value_error"))),
    ({"a": 7}, E((R, "assertion_error"))),
]


@pytest.mark.parametrize(("value", "expected"), VALIDATORS)
def test_model_validators(core: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, full(Validated))
    if isinstance(expected, Err):
        check(lambda: validator.validate_python(value), expected)
    else:
        _matches(validator.validate_python(value), expected)


def test_validation_error_inside_validator_is_merged(core: Any) -> None:
    inner = make_validator(core, full(Address))

    def checks_address(instance: Any) -> Any:
        inner.validate_python({"city": instance.city, "zip": "bad"})
        return instance

    Model = make_model("Checked", [field("city", STR)], after_validators=[checks_address])
    Outer = make_model("Outer", [field("home", ref(Model))])
    with pytest.raises(ValidationError) as info:
        make_validator(core, full(Outer)).validate_python({"home": {"city": "X"}})
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
        (("home", "zip"), "string_pattern_mismatch")
    ]


# --- assignment ------------------------------------------------------------------------------

Frozen = make_model("Frozen", [field("a", INT)], frozen=True)
FrozenField = make_model("FrozenField", [field("a", INT, frozen=True), field("b", INT)])
NoCheck = make_model("NoCheck", [field("a", INT)], validate_assignment=False)


def test_assignment_validates_and_stores(core: Any) -> None:
    validator = make_validator(core, full(User))
    user = validator.validate_python({"id": 1, "name": "Al"})
    assert validator.validate_assignment(user, "id", "5") is None
    assert user.id == 5
    with pytest.raises(ValidationError) as info:
        validator.validate_assignment(user, "id", -1)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("id",), "greater_than")]
    assert user.id == 5
    with pytest.raises(ValidationError) as info:
        validator.validate_assignment(user, "address", {"city": "", "zip": "x"})
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
        (("address", "city"), "string_too_short"),
        (("address", "zip"), "string_pattern_mismatch"),
    ]
    assert user.address is None


@pytest.mark.parametrize(
    ("model", "name", "value", "expected"),
    [
        (Frozen, "a", 2, E((("a",), "frozen_instance"))),
        (FrozenField, "a", 2, E((("a",), "frozen_field"))),
        (FrozenField, "b", "2", 2),
        (User, "nope", 1, E((("nope",), "no_such_attribute"))),
        (Messages, "age", -5, E((("age",), "greater_than_equal"))),
        (NoCheck, "a", "not an int", "not an int"),
    ],
)
def test_assignment_rules(core: Any, model: Any, name: str, value: Any, expected: Any) -> None:
    validator = make_validator(core, full(model))
    instance = object.__new__(model)
    for f in full(model)["fields"]:
        object.__setattr__(instance, f["name"], 1)
    if isinstance(expected, Err):
        error = check(lambda: validator.validate_assignment(instance, name, value), expected)
        if name in [f["name"] for f in full(model)["fields"]]:
            assert getattr(instance, name) == 1
        if expected.pairs[0][1] == "no_such_attribute":
            assert error.errors()[0]["msg"] == "Object has no attribute 'nope'"
        if model is Messages:
            assert error.errors()[0]["msg"] == "too young"
    else:
        validator.validate_assignment(instance, name, value)
        assert getattr(instance, name) == expected


def test_assignment_extra_and_private_names(core: Any) -> None:
    validator = make_validator(core, full(Allow))
    instance = validator.validate_python({"a": 1})
    validator.validate_assignment(instance, "b", [1])
    assert instance.__ferrule_extra__ == {"b": [1]}
    Plain = type("Plain", (), {"__slots__": ("a", "_cache")})
    Plain.__ferrule_schema__ = model_schema(Plain, [field("a", INT)], frozen=True)  # type: ignore[attr-defined]
    validator = make_validator(core, Plain.__ferrule_schema__)  # type: ignore[attr-defined]
    instance = validator.validate_python({"a": 1})
    validator.validate_assignment(instance, "_cache", "anything")
    assert instance._cache == "anything"


@pytest.mark.parametrize(
    ("model", "name", "value", "expected"),
    [
        (Frozen, "a", "2", 2),  # frozen: no store, so nothing to refuse
        (FrozenField, "a", "3", 3),
        (User, "id", -1, E((("id",), "greater_than"))),
        (
            User,
            "address",
            {"city": "", "zip": "12345"},
            E((("address", "city"), "string_too_short")),
        ),
        (Messages, "age", -5, E((("age",), "greater_than_equal"))),
        (NoCheck, "a", "7", 7),  # the field's check, whatever assignment does
    ],
)
def test_validate_field_checks_one_field_and_stores_nothing(
    core: Any, model: Any, name: str, value: Any, expected: Any
) -> None:
    """The field's own check, as ``orm.loading`` re-checks a partial row: the value it makes,
    or its errors; the instance keeps what it held."""
    validator = make_validator(core, full(model))
    instance = object.__new__(model)
    for f in full(model)["fields"]:
        object.__setattr__(instance, f["name"], 1)
    if isinstance(expected, Err):
        error = check(lambda: validator.validate_field(instance, name, value), expected)
        if model is Messages:
            assert error.errors()[0]["msg"] == "too young"
    else:
        assert validator.validate_field(instance, name, value) == expected
    assert getattr(instance, name) == 1
    with pytest.raises(AttributeError):
        validator.validate_field(instance, "nope", 1)
    with pytest.raises(TypeError):
        validator.validate_field(object(), name, value)


# --- batches ---------------------------------------------------------------------------------


def test_validate_many_collect(core: Any) -> None:
    validator = make_validator(core, full(Aliased))
    results, errors = validator.validate_many(
        [{"userId": 1}, {"userId": "x"}, {}, {"userId": 4}], collect=True
    )
    assert [r.user_id if r is not None else None for r in results] == [1, None, None, 4]
    assert [index for index, _ in errors] == [1, 2]
    assert [(e["loc"], e["type"]) for e in errors[0][1].errors()] == [(("userId",), "int_parsing")]
    assert [(e["loc"], e["type"]) for e in errors[1][1].errors()] == [(("userId",), "missing")]


def test_validate_many_raise_prefixes_the_index(core: Any) -> None:
    validator = make_validator(core, full(Aliased))
    assert [r.user_id for r in validator.validate_many([{"userId": 1}], collect=False)[0]] == [1]
    with pytest.raises(ValidationError) as info:
        validator.validate_many([{"userId": 1}, {"userId": "x"}, 5], collect=False)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
        ((1, "userId"), "int_parsing"),
        ((2,), "model_type"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        '[{"userId": 1}, {"userId": "x"}, {"userId": 3}]',
        '{"userId": 1}\n{"userId": "x"}\n\n{"userId": 3}\n',
        b'{"userId": 1}\r\n{"userId": "x"}\r\n{"userId": 3}',
    ],
)
def test_validate_json_many(core: Any, data: Any) -> None:
    validator = make_validator(core, full(Aliased))
    results, errors = validator.validate_json_many(data, collect=True)
    assert [r.user_id if r is not None else None for r in results] == [1, None, 3]
    assert [(i, [(e["loc"], e["type"]) for e in exc.errors()]) for i, exc in errors] == [
        (1, [(("userId",), "int_parsing")])
    ]


def test_validate_json_many_bad_line(core: Any) -> None:
    validator = make_validator(core, full(Aliased))
    data = '{"userId": 1}\n{"userId": \n{"userId": 3}'
    results, errors = validator.validate_json_many(data, collect=True)
    assert [r.user_id if r is not None else None for r in results] == [1, None, 3]
    assert [(i, [(e["loc"], e["type"]) for e in exc.errors()]) for i, exc in errors] == [
        (1, [((), "json_invalid")])
    ]
    with pytest.raises(ValidationError) as info:
        validator.validate_json_many(data, collect=False)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((1,), "json_invalid")]


@pytest.mark.parametrize("collect", [True, False])
@pytest.mark.parametrize("data", ["[", ' [{"userId": 1}', '[{"userId": 1}]\n[{"userId": 2}]'])
def test_validate_json_many_broken_array(core: Any, data: str, collect: bool) -> None:
    validator = make_validator(core, full(Aliased))
    with pytest.raises(ValidationError) as info:
        validator.validate_json_many(data, collect=collect)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((), "json_invalid")]


def test_validate_json_many_blank_input(core: Any) -> None:
    validator = make_validator(core, full(Aliased))
    assert validator.validate_json_many("  \n \n", collect=False) == ([], [])
    results, errors = validator.validate_json_many(b'{"userId": 7}', collect=True)
    assert [r.user_id for r in results] == [7]
    assert errors == []


def test_validate_json_many_json_mode(core: Any) -> None:
    validator = make_validator(core, s.tuple_schema([INT], variadic=True, strict=True))
    results, errors = validator.validate_json_many("[[1, 2], [3]]", collect=True)
    assert results == [(1, 2), (3,)]
    assert errors == []


def test_outer_field_messages_win(core: Any) -> None:
    Inner = make_model("Inner", [field("x", INT, messages={"int_parsing": "inner"})])
    Outer = make_model(
        "Outer", [field("i", ref(Inner), messages={"int_parsing": "outer", "model_type": "no"})]
    )
    validator = make_validator(core, full(Outer))
    for value, expected in [({"i": {"x": "q"}}, ["outer"]), ({"i": 5}, ["no"])]:
        with pytest.raises(ValidationError) as info:
            validator.validate_python(value)
        assert [e["msg"] for e in info.value.errors()] == expected
    with pytest.raises(ValidationError) as info:
        make_validator(core, full(Inner)).validate_python({"x": "q"})
    assert [e["msg"] for e in info.value.errors()] == ["inner"]


def test_instance_input_runs_before_validators_only(core: Any) -> None:
    calls: list[str] = []

    def before(data: Any) -> Any:
        calls.append("before")
        return data

    def after(instance: Any) -> Any:
        calls.append("after")
        return instance

    Model = make_model(
        "Logged", [field("a", INT)], before_validators=[before], after_validators=[after]
    )
    validator = make_validator(core, full(Model))
    instance = validator.validate_python({"a": 1})
    assert calls == ["before", "after"]
    assert validator.validate_python(instance) is instance
    assert calls == ["before", "after", "before"]


def test_titles_name_the_model(core: Any) -> None:
    for schema in (full(Aliased), ref(Aliased)):
        with pytest.raises(ValidationError) as info:
            make_validator(core, schema).validate_python(1)
        assert info.value.title == "Aliased"


def test_validate_assignment_needs_a_model_schema(core: Any) -> None:
    with pytest.raises(TypeError):
        make_validator(core, INT).validate_assignment(object(), "a", 1)
