"""JSON Merge Patch against RFC 7396: the appendix A examples as a table, the section 3 example,
and the guarantees beyond the RFC (nothing is written to, bad input is a typed error)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from json_values import pairs, tagged, values

from ferrule.errors import JSONError
from ferrule.json import merge_diff, merge_patch

# RFC 7396 appendix A: (original, patch, result).
RFC7396_APPENDIX_A: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]

# RFC 7396 section 3: the example of a change to a document.
RFC7396_SECTION_3 = (
    {
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged",
    },
    {
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": None},
        "tags": ["example"],
    },
    {
        "title": "Hello!",
        "author": {"givenName": "John"},
        "tags": ["example"],
        "content": "This will be unchanged",
        "phoneNumber": "+01-123-456-7890",
    },
)


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [*RFC7396_APPENDIX_A, RFC7396_SECTION_3],
    ids=[f"A-{n}" for n in range(1, len(RFC7396_APPENDIX_A) + 1)] + ["section-3"],
)
def test_rfc7396(target: Any, patch: Any, expected: Any) -> None:
    target_before, patch_before = copy.deepcopy(target), copy.deepcopy(patch)
    result = merge_patch(target, patch)
    assert dumps(result) == dumps(expected)
    assert dumps(target) == dumps(target_before)
    assert dumps(patch) == dumps(patch_before)


def test_result_shares_nothing_mutable_with_the_patch() -> None:
    patch = {"a": {"b": [1]}, "c": [None, {"d": None}]}
    result = merge_patch({}, patch)
    assert result == {"a": {"b": [1]}, "c": [None, {"d": None}]}  # nulls in arrays stay
    result["a"]["b"].append(2)
    result["c"][1]["e"] = 1
    assert patch == {"a": {"b": [1]}, "c": [None, {"d": None}]}


def test_untouched_members_are_shared_with_the_target() -> None:
    target = {"keep": {"x": [1]}, "change": {"y": 1}}
    result = merge_patch(target, {"change": {"y": 2}})
    assert result["keep"] is target["keep"]
    assert target == {"keep": {"x": [1]}, "change": {"y": 1}}


class Liar(dict[str, Any]):
    def items(self) -> Any:
        raise RuntimeError("hostile")


@pytest.mark.parametrize(
    ("target", "patch", "problem"),
    [
        ({}, {1: "x"}, "keys must be str"),
        ({}, {"a": (1,)}, "not a JSON value"),
        ({}, {"a": {"b": float("nan")}}, "no NaN"),
        ({}, Liar(a=1), "not a JSON value"),
        ({"a": Liar(b=1)}, {"a": {"b": 2}}, "not a JSON value"),
        ((1,), {"a": 1}, "not a JSON value"),
        (object(), None, "not a JSON value"),
    ],
)
def test_bad_input_is_a_json_error(target: Any, patch: Any, problem: str) -> None:
    with pytest.raises(JSONError, match=problem):
        merge_patch(target, patch)


def test_deep_patches_are_typed_errors() -> None:
    patch: Any = {}
    for _ in range(100_000):
        patch = {"a": patch}
    with pytest.raises(JSONError, match="levels deep"):
        merge_patch({}, patch)
    shallow: Any = 1
    for _ in range(5_000):
        shallow = {"a": shallow}
    result, depth = merge_patch({}, shallow), 0
    while result != 1:  # walked by hand: == on 5000 levels would recurse too deep
        assert list(result) == ["a"]
        result, depth = result["a"], depth + 1
    assert depth == 5_000


@pytest.mark.parametrize(
    ("target", "result"),
    [(case[0], case[2]) for case in [*RFC7396_APPENDIX_A, RFC7396_SECTION_3]],
)
def test_merge_diff_of_the_rfc_examples(target: Any, result: Any) -> None:
    assert dumps(merge_patch(target, merge_diff(target, result))) == dumps(result)


@pytest.mark.parametrize(
    ("a", "b", "patch"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, {"b": 3}),
        ({"a": 1, "b": 2}, {"a": 1}, {"b": None}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"x": 1, "y": 3}}, {"a": {"y": 3}}),
        ({"a": {"x": 1}, "b": 1}, {"a": {"x": 1}, "b": 2}, {"b": 2}),
        ({"a": [1, 2]}, {"a": [1, 3]}, {"a": [1, 3]}),
        ({"a": 1}, {"a": 1.0}, {"a": 1.0}),
        ({"a": None}, {"a": None, "b": 1}, {"b": 1}),
        ([1], {"a": [None]}, {"a": [None]}),
        ({"a": 1}, [1], [1]),
        ({"a": 1}, None, None),
        ({"a": 1}, {"a": 1}, {}),
    ],
)
def test_merge_diff(a: Any, b: Any, patch: Any) -> None:
    assert tagged(merge_diff(a, b)) == tagged(patch)


@pytest.mark.parametrize(
    ("a", "b", "where"),
    [
        ({"a": 1}, {"a": None}, "/a"),
        ({}, {"a": None}, "/a"),
        ({"x": 1}, {"x": {"y": {"z": None}}}, "/x/y/z"),
        ([], {"k/~": None}, "/k~1~0"),
    ],
)
def test_merge_diff_cannot_write_null(a: Any, b: Any, where: str) -> None:
    with pytest.raises(JSONError, match=f"'{where}'"):
        merge_diff(a, b)


def has_null_member(value: Any) -> bool:
    """Whether an object in ``value`` has a null member (objects inside arrays aside)."""
    if type(value) is not dict:
        return False
    return any(item is None or has_null_member(item) for item in value.values())


@settings(max_examples=150, deadline=None)
@given(pairs())
def test_merge_patch_of_merge_diff_gives_b(pair: tuple[Any, Any]) -> None:
    a, b = pair
    try:
        patch = merge_diff(a, b)
    except JSONError:
        assert has_null_member(b)
    else:
        assert tagged(merge_patch(a, patch)) == tagged(b)


@settings(max_examples=50)
@given(values)
def test_merge_diff_of_equal_values_is_empty(a: Any) -> None:
    if type(a) is dict:
        assert merge_diff(a, copy.deepcopy(a)) == {}
