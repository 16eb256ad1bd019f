"""JSON Merge Patch against RFC 7396: the appendix A examples as a table, the section 3 example,
and the guarantees beyond the RFC (nothing is written to, bad input is a typed error)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ferrule.errors import JSONError
from ferrule.json import merge_patch

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
