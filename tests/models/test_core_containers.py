"""Conformance tables: list, tuple, set, frozenset, dict, nullable, union and functions."""

from __future__ import annotations

import json
from collections import deque
from typing import Any

import pytest
from cores import Err, check, make_model, make_validator

from ferrule.errors import ValidationError
from ferrule.models import schema as s

E = Err
R: tuple[Any, ...] = ()
INT = s.int_schema()
STR = s.str_schema()


def lst(items: Any = INT, **kw: Any) -> Any:
    return s.collection_schema("list", items, **kw)


def st(items: Any = INT, **kw: Any) -> Any:
    return s.collection_schema("set", items, **kw)


def fst(items: Any = INT, **kw: Any) -> Any:
    return s.collection_schema("frozenset", items, **kw)


def tup(*items: Any, variadic: bool = False, **kw: Any) -> Any:
    return s.tuple_schema(list(items), variadic=variadic, **kw)


def dct(keys: Any = STR, values: Any = INT, **kw: Any) -> Any:
    return s.dict_schema(keys, values, **kw)


Point = make_model(
    "Point",
    [
        {
            "name": "x",
            "alias": None,
            "schema": INT,
            "required": True,
            "frozen": False,
            "exclude": False,
            "messages": None,
        }
    ],
)


def union(*choices: Any, strict: bool = False) -> Any:
    return s.union_schema(list(choices), strict=strict)


BOTH: list[Any] = [
    # list
    (lst(), [1, "2", 3.0], [1, 2, 3]),
    (lst(), [], []),
    (lst(), ["a", 2, "b"], E(((0,), "int_parsing"), ((2,), "int_parsing"))),
    (lst(), "abc", E((R, "list_type"))),
    (lst(), {"a": 1}, E((R, "list_type"))),
    (lst(), None, E((R, "list_type"))),
    (lst(), 1, E((R, "list_type"))),
    (lst(lst()), [[1], [2, "x"]], E(((1, 1), "int_parsing"))),
    (lst(min_length=2), [1], E((R, "too_short"))),
    (lst(max_length=2), [1, 2, 3], E((R, "too_long"))),
    (lst(min_length=1, max_length=2), [1, 2], [1, 2]),
    (lst(min_length=3), ["x"], E(((0,), "int_parsing"))),
    (lst(strict=True), [1, 2], [1, 2]),
    (lst(INT, strict=True), [1, "2"], [1, 2]),
    (lst(s.int_schema(strict=True)), [1, "2"], E(((1,), "int_type"))),
    (lst(s.any_schema()), [1, "a", None], [1, "a", None]),
    # tuple
    (tup(INT, STR), [1, "a"], (1, "a")),
    (tup(INT, STR), ["1", "a"], (1, "a")),
    (tup(INT, STR), [1], E((R, "too_short"))),
    (tup(INT, STR), [1, "a", 3], E((R, "too_long"))),
    (tup(INT, STR), ["x", 1, 3], E((R, "too_long"))),
    (tup(INT, STR), ["x"], E((R, "too_short"))),
    (tup(), [], ()),
    (tup(), [1], E((R, "too_long"))),
    (tup(INT, variadic=True), [], ()),
    (tup(INT, variadic=True), [1, "2", 3], (1, 2, 3)),
    (tup(INT, variadic=True), [1, "x", 3, "y"], E(((1,), "int_parsing"), ((3,), "int_parsing"))),
    (tup(INT, variadic=True, min_length=2), [1], E((R, "too_short"))),
    (tup(INT, variadic=True, max_length=1), [1, 2], E((R, "too_long"))),
    (tup(INT), "1", E((R, "tuple_type"))),
    (tup(INT), {"0": 1}, E((R, "tuple_type"))),
    (tup(INT), None, E((R, "tuple_type"))),
    # set / frozenset
    (st(), [1, "2", 2], {1, 2}),
    (st(), [], set()),
    (st(), [1, "x"], E(((1,), "int_parsing"))),
    (st(), "ab", E((R, "set_type"))),
    (st(), {"a": 1}, E((R, "set_type"))),
    (st(min_length=2), [1, 1], E((R, "too_short"))),
    (st(max_length=1), [1, 2], E((R, "too_long"))),
    (fst(), [1, "2"], frozenset({1, 2})),
    (fst(), None, E((R, "frozen_set_type"))),
    (fst(max_length=1), [1, 2], E((R, "too_long"))),
    # dict
    (dct(), {"a": 1, "b": "2"}, {"a": 1, "b": 2}),
    (dct(), {}, {}),
    (dct(), {"a": "x"}, E((("a",), "int_parsing"))),
    (dct(s.int_schema(), INT), {"1": 1, "x": 2}, E((("x", "[key]"), "int_parsing"))),
    (dct(s.int_schema(), INT), {"1": "2"}, {1: 2}),
    (
        dct(s.int_schema(), INT),
        {"x": "y"},
        E((("x", "[key]"), "int_parsing"), (("x",), "int_parsing")),
    ),
    (dct(STR, lst()), {"a": [1, "x"]}, E((("a", 1), "int_parsing"))),
    (dct(min_length=1), {}, E((R, "too_short"))),
    (dct(max_length=1), {"a": 1, "b": 2}, E((R, "too_long"))),
    (dct(), [("a", 1)], E((R, "dict_type"))),
    (dct(), "a", E((R, "dict_type"))),
    (dct(), None, E((R, "dict_type"))),
    # nullable
    (s.nullable_schema(INT), None, None),
    (s.nullable_schema(INT), "1", 1),
    (s.nullable_schema(INT), "x", E((R, "int_parsing"))),
    (lst(s.nullable_schema(INT)), [None, 1], [None, 1]),
    # union: smart mode (exact type first, then valid-in-strict, then lax; then leftmost)
    (union(INT, STR), 1, 1),
    (union(INT, STR), "1", "1"),
    (union(STR, INT), "1", "1"),
    (union(s.float_schema(), INT), 1, 1),
    (union(s.float_schema(), INT), "1", 1.0),
    (union(INT, s.float_schema()), 1.5, 1.5),
    (union(INT, s.bool_schema()), True, True),
    (union(s.bool_schema(), INT), 1, 1),
    (union(INT, lst()), ["1"], [1]),
    (union(INT, s.float_schema()), "1.5", 1.5),
    (union(INT, s.float_schema()), "2", 2),
    (union(INT, STR), None, E((("int",), "int_type"), (("str",), "string_type"))),
    (union(INT, STR), [1], E((("int",), "int_type"), (("str",), "string_type"))),
    (union(INT, lst()), ["x"], E((("int",), "int_type"), (("list", 0), "int_parsing"))),
    (union(INT, STR, strict=True), "1", "1"),
    (
        union(INT, s.bool_schema(), strict=True),
        "1",
        E((("int",), "int_type"), (("bool",), "bool_type")),
    ),
    (union(s.literal_schema(["a"]), INT), "a", "a"),
    (
        union(s.literal_schema(["a"]), INT),
        "b",
        E((("literal",), "literal_error"), (("int",), "int_parsing")),
    ),
    (union(s.model_ref_schema(Point), INT), {"x": "1"}, Point),
    (
        union(s.model_ref_schema(Point), INT),
        {"y": 1},
        E((("Point", "x"), "missing"), (("int",), "int_type")),
    ),
    (union(s.nullable_schema(INT), STR), None, None),
    (
        lst(union(INT, STR)),
        [1, "a", None],
        E(((2, "int"), "int_type"), ((2, "str"), "string_type")),
    ),
]

PYTHON: list[Any] = [
    (lst(), (1, "2"), [1, 2]),
    (lst(), {1, 2}, [1, 2]),
    (lst(), frozenset({3}), [3]),
    (lst(), deque([1, 2]), [1, 2]),
    (lst(), {"a": 1}.keys(), E(((0,), "int_parsing"))),
    (lst(), {"a": 1}.values(), [1]),
    (lst(), b"ab", E((R, "list_type"))),
    (lst(), range(1, 2), [1]),  # any iterable but text, bytes and mappings (pydantic)
    (lst(strict=True), (1, 2), E((R, "list_type"))),
    (tup(INT, INT), (1, "2"), (1, 2)),
    (tup(INT, INT), [1, 2], (1, 2)),
    (tup(INT, variadic=True), {1}, (1,)),
    (tup(INT, variadic=True), deque([1]), (1,)),
    (tup(INT, variadic=True, strict=True), (1,), (1,)),
    (tup(INT, variadic=True, strict=True), [1], E((R, "tuple_type"))),
    (st(), {1, 2}, {1, 2}),
    (st(), (1, 2), {1, 2}),
    (st(), frozenset({1}), {1}),
    (st(), {1: "a"}.keys(), {1}),
    (st(), deque([1]), {1}),
    (st(strict=True), {1}, {1}),
    (st(strict=True), [1], E((R, "set_type"))),
    (st(strict=True), frozenset({1}), E((R, "set_type"))),
    (st(s.any_schema()), [[1]], E(((0,), "set_item_not_hashable"))),
    (fst(), frozenset({1}), frozenset({1})),
    (fst(), {1}, frozenset({1})),
    (fst(strict=True), {1}, E((R, "frozen_set_type"))),
    (dct(), {"a": 1}, {"a": 1}),
    (dct(s.int_schema(), INT), {1: 1, "2": 2}, {1: 1, 2: 2}),
    (dct(strict=True), {"a": 1}, {"a": 1}),
    (union(tup(INT, variadic=True), lst()), [1], [1]),
    (union(tup(INT, variadic=True), lst()), (1,), (1,)),
    (union(lst(), tup(INT, variadic=True)), {1}, [1]),
]

JSON: list[Any] = [
    (tup(INT, variadic=True, strict=True), "[1, 2]", (1, 2)),
    (tup(INT, STR, strict=True), '[1, "a"]', (1, "a")),
    (st(strict=True), "[1, 1, 2]", {1, 2}),
    (fst(strict=True), "[1]", frozenset({1})),
    (st(), '{"a": 1}', E((R, "set_type"))),
    (dct(s.int_schema(), INT), '{"1": 2}', {1: 2}),
    (union(tup(INT, variadic=True), lst()), "[1]", [1]),
    (union(lst(), tup(INT, variadic=True)), "[1]", [1]),
]


def _id(case: Any) -> str:
    return str(case[0]["type"])


@pytest.mark.parametrize("path", ["python", "json"])
@pytest.mark.parametrize(("schema", "value", "expected"), BOTH, ids=[_id(c) for c in BOTH])
def test_both_paths(core: Any, path: str, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    run = (
        (lambda: validator.validate_python(value))
        if path == "python"
        else (lambda: validator.validate_json(json.dumps(value)))
    )
    if expected is Point:
        result = run()
        assert type(result) is Point
        assert result.x == 1
        return
    check(run, expected)


@pytest.mark.parametrize(("schema", "value", "expected"), PYTHON, ids=[_id(c) for c in PYTHON])
def test_python_path(core: Any, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_python(value), expected)


@pytest.mark.parametrize(("schema", "text", "expected"), JSON, ids=[_id(c) for c in JSON])
def test_json_path(core: Any, schema: Any, text: str, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_json(text), expected)


def test_length_error_context(core: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, lst(min_length=2)).validate_python([1])
    [error] = info.value.errors()
    assert error["ctx"] == {"field_type": "List", "min_length": 2, "actual_length": 1}
    assert error["msg"] == "List should have at least 2 items after validation, not 1"
    with pytest.raises(ValidationError) as info:
        make_validator(core, tup(INT)).validate_python((1, 2))
    [error] = info.value.errors()
    assert error["ctx"] == {"field_type": "Tuple", "max_length": 1, "actual_length": 2}


def test_containers_are_copied(core: Any) -> None:
    data = [1, 2]
    assert make_validator(core, lst()).validate_python(data) is not data
    mapping = {"a": 1}
    assert make_validator(core, dct()).validate_python(mapping) is not mapping


def test_dict_accepts_any_mapping_in_lax_mode(core: Any) -> None:
    from types import MappingProxyType

    proxy = MappingProxyType({"a": "1"})
    assert make_validator(core, dct()).validate_python(proxy) == {"a": 1}
    check(
        lambda: make_validator(core, dct(strict=True)).validate_python(proxy), E((R, "dict_type"))
    )


# --- user functions --------------------------------------------------------------------------


def _double(value: Any) -> Any:
    return value * 2


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("must be positive")
    return value


def _not_seven(value: int) -> int:
    assert value != 7, "seven is banned"
    return value


def _lookup(value: Any) -> Any:
    return {"a": 1}[value]


FUNCTIONS: list[Any] = [
    (s.function_schema("before", _double, INT), "2", 22),
    (s.function_schema("before", _double, INT), 2, 4),
    (s.function_schema("after", _double, INT), "2", 4),
    (s.function_schema("after", _positive, INT), "3", 3),
    (s.function_schema("after", _positive, INT), "-3", E((R, "value_error"))),
    (s.function_schema("after", _positive, INT), "x", E((R, "int_parsing"))),
    (s.function_schema("after", _not_seven, INT), 7, E((R, "assertion_error"))),
    (s.function_schema("plain", _double, INT), "ab", "abab"),
    (s.function_schema("before", _positive, INT), 0, E((R, "value_error"))),
    (lst(s.function_schema("after", _positive, INT)), [1, -1], E(((1,), "value_error"))),
]


@pytest.mark.parametrize(("schema", "value", "expected"), FUNCTIONS)
def test_functions(core: Any, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_python(value), expected)


def test_function_value_error_context(core: Any) -> None:
    schema = s.function_schema("after", _positive, INT)
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(-1)
    [error] = info.value.errors()
    # the exception itself, as pydantic keeps it; json() writes its text
    [(key, exc)] = error["ctx"].items()
    assert key == "error" and type(exc) is ValueError and str(exc) == "must be positive"
    assert error["msg"] == "Value error, must be positive"
    assert '"ctx":{"error":"must be positive"}' in info.value.json()


def test_function_other_exceptions_propagate(core: Any) -> None:
    schema = s.function_schema("plain", _lookup, s.any_schema())
    with pytest.raises(KeyError):
        make_validator(core, schema).validate_python("b")


def test_function_validation_error_is_merged_with_prefix(core: Any) -> None:
    inner = make_validator(core, dct())

    def nested(value: Any) -> Any:
        return inner.validate_python(value)

    schema = lst(s.function_schema("plain", nested, s.any_schema()))
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python([{"a": 1}, {"b": "x"}])
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((1, "b"), "int_parsing")]


def test_unhashable_set_item_message(core: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, st(s.any_schema())).validate_python([1, [2]])
    [error] = info.value.errors()
    assert (error["loc"], error["type"], error["msg"]) == (
        (1,),
        "set_item_not_hashable",
        "Set items should be hashable",
    )
