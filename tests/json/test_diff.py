"""``diff(a, b)``: applying it to ``a`` gives exactly ``b`` (checked against the standard library's
JSON text and a type-tagged comparison, never against ferrule's own equality), and its patches
are small where the shape of the change is obvious."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import dumps, keys, pairs, tagged, values

from ferrule.errors import JSONError, JSONPatchError
from ferrule.json import Patch, apply_patch, diff


@settings(max_examples=200, deadline=None)
@given(pairs())
def test_apply_diff_gives_b(pair: tuple[Any, Any]) -> None:
    a, b = pair
    a_text, b_tags = dumps(a), tagged(b)
    patch = diff(a, b)
    result = apply_patch(a, patch)
    assert tagged(result) == b_tags
    assert dumps(result) == dumps(b)
    assert dumps(a) == a_text  # neither diff nor apply_patch wrote to a
    assert tagged(b) == b_tags
    assert tagged(Patch(patch).apply(a)) == b_tags
    assert json.loads(json.dumps(patch)) == patch  # the patch itself is JSON


@settings(max_examples=100, deadline=None)
@given(values, values)
def test_apply_diff_gives_b_for_unrelated_values(a: Any, b: Any) -> None:
    assert dumps(apply_patch(a, diff(a, b))) == dumps(b)
    assert tagged(apply_patch(a, diff(a, b))) == tagged(b)


@settings(max_examples=50)
@given(values)
def test_no_difference_no_operation(a: Any) -> None:
    assert diff(a, a) == []
    assert diff(a, copy.deepcopy(a)) == []


@pytest.mark.parametrize(
    ("a", "b", "patch"),
    [
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, [{"op": "replace", "path": "/b", "value": 3}]),
        ({"a": 1, "b": 2}, {"a": 1}, [{"op": "remove", "path": "/b"}]),
        ({"a": 1}, {"a": 1, "b": [2]}, [{"op": "add", "path": "/b", "value": [2]}]),
        ({"a": 1}, {"b": 1}, [{"op": "replace", "path": "", "value": {"b": 1}}]),
        (
            {"x": {"a": [1, {"b": 2}]}},
            {"x": {"a": [1, {"b": 3}]}},
            [{"op": "replace", "path": "/x/a/1/b", "value": 3}],
        ),
        (
            {"a/b": {"~": 1, "k": 0}},
            {"a/b": {"~": 2, "k": 0}},
            [{"op": "replace", "path": "/a~1b/~0", "value": 2}],
        ),
        ([1, 2, 3], [1, 2, 3, 4], [{"op": "add", "path": "/3", "value": 4}]),
        ([1, 2, 3], [0, 1, 2, 3], [{"op": "add", "path": "/0", "value": 0}]),
        ([1, 2, 3], [1, 9, 2, 3], [{"op": "add", "path": "/1", "value": 9}]),
        ([1, 2, 3], [1, 3], [{"op": "remove", "path": "/1"}]),
        (
            [1, 2, 3, 4],
            [1, 4],
            [
                {"op": "remove", "path": "/2"},
                {"op": "remove", "path": "/1"},
            ],
        ),
        ([1, 2, 3], [1, 5, 3], [{"op": "replace", "path": "/1", "value": 5}]),
        ([1, 2], [1, 2.0], [{"op": "replace", "path": "/1", "value": 2.0}]),
        (True, 1, [{"op": "replace", "path": "", "value": 1}]),
        (1, True, [{"op": "replace", "path": "", "value": True}]),
        (0.0, -0.0, [{"op": "replace", "path": "", "value": -0.0}]),
        ([], {}, [{"op": "replace", "path": "", "value": {}}]),
        (None, None, []),
    ],
)
def test_small_patches(a: Any, b: Any, patch: list[dict[str, Any]]) -> None:
    assert tagged(diff(a, b)) == tagged(patch)
    assert dumps(apply_patch(a, patch)) == dumps(b)


def test_patch_values_are_copies() -> None:
    b = {"new": {"x": [1]}}
    patch = diff({}, b)
    patch[0]["value"]["x"].append(2)
    assert b == {"new": {"x": [1]}}


class Liar:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"a": Liar()}, {"a": 1}),
        ({"a": 1}, {"a": Liar()}),
        ([(1,)], [[1]]),
        ({1: "x"}, {"a": "x"}),
        ({"a": 1}, {"a": 1, 2: 3}),
        ([float("nan")], [1.0]),
        (Liar(), Liar()),
    ],
)
def test_what_is_not_json_is_a_json_error(a: Any, b: Any) -> None:
    with pytest.raises(JSONError):
        diff(a, b)


def test_deep_and_cyclic_values_are_typed_errors() -> None:
    def deep(depth: int) -> Any:
        value: Any = 0
        for _ in range(depth):
            value = [value, 1]
        return value

    with pytest.raises(JSONError, match="levels deep"):
        diff(deep(100_000), deep(100_000))
    shared = deep(100_000)
    assert diff([shared, 1], [shared, 2]) == [{"op": "replace", "path": "/1", "value": 2}]
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(JSONError, match="cyclic"):
        diff({"self": {"self": 1}}, cyclic)
    cyclic.clear()


decimal_values = st.recursive(
    st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.integers(-2, 2),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=50, deadline=None)
@given(decimal_values, decimal_values)
def test_decimals_from_the_reader_are_numbers(a: Any, b: Any) -> None:
    """``loads(..., decimal=True)`` gives Decimal numbers: diff keeps their digits exactly
    (``1.10`` is not ``1.1`` here) and ``test`` compares them by value."""
    assert tagged(apply_patch(a, diff(a, b))) == tagged(b)
    apply_patch(a, [{"op": "test", "path": "", "value": a}])


@pytest.mark.parametrize(
    ("a", "b", "equal_in_test"),
    [
        (Decimal("1.10"), Decimal("1.1"), True),
        (Decimal("0.5"), 0.5, True),
        (Decimal("0.1"), 0.1, False),  # the float is not exactly one tenth
        (Decimal("1"), 1, True),
        (Decimal("1"), True, False),
        (Decimal("-0"), 0, True),
    ],
)
def test_decimals_in_test_and_diff(a: Any, b: Any, equal_in_test: bool) -> None:
    operation = {"op": "test", "path": "/0", "value": b}
    if equal_in_test:
        apply_patch([a], [operation])
    else:
        with pytest.raises(JSONPatchError, match="test failed"):
            apply_patch([a], [operation])
    assert diff([a], [b]) == [{"op": "replace", "path": "/0", "value": b}]


@pytest.mark.parametrize("number", [Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")])
def test_decimals_that_json_cannot_hold(number: Decimal) -> None:
    with pytest.raises(JSONError, match="not a JSON number"):
        diff([1], [number])
