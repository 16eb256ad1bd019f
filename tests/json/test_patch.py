"""JSON Patch against RFC 6902: the appendix A examples as a table, the rules of section 4 that
they leave out, atomicity (a failing operation leaves the caller's document as it was, for every
kind of operation) and hostile input."""

from __future__ import annotations

import copy
import json
import pickle
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import tagged, values

from ferrule.errors import JSONError, JSONPatchError
from ferrule.json import Patch, apply_patch

ERROR = JSONPatchError

# RFC 6902 appendix A: (section, document, patch, result or ERROR).
RFC6902_APPENDIX_A: list[tuple[str, Any, list[dict[str, Any]], Any]] = [
    (
        "A.1 Adding an Object Member",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz", "value": "qux"}],
        {"baz": "qux", "foo": "bar"},
    ),
    (
        "A.2 Adding an Array Element",
        {"foo": ["bar", "baz"]},
        [{"op": "add", "path": "/foo/1", "value": "qux"}],
        {"foo": ["bar", "qux", "baz"]},
    ),
    (
        "A.3 Removing an Object Member",
        {"baz": "qux", "foo": "bar"},
        [{"op": "remove", "path": "/baz"}],
        {"foo": "bar"},
    ),
    (
        "A.4 Removing an Array Element",
        {"foo": ["bar", "qux", "baz"]},
        [{"op": "remove", "path": "/foo/1"}],
        {"foo": ["bar", "baz"]},
    ),
    (
        "A.5 Replacing a Value",
        {"baz": "qux", "foo": "bar"},
        [{"op": "replace", "path": "/baz", "value": "boo"}],
        {"baz": "boo", "foo": "bar"},
    ),
    (
        "A.6 Moving a Value",
        {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
        [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
        {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}},
    ),
    (
        "A.7 Moving an Array Element",
        {"foo": ["all", "grass", "cows", "eat"]},
        [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
        {"foo": ["all", "cows", "eat", "grass"]},
    ),
    (
        "A.8 Testing a Value: Success",
        {"baz": "qux", "foo": ["a", 2, "c"]},
        [
            {"op": "test", "path": "/baz", "value": "qux"},
            {"op": "test", "path": "/foo/1", "value": 2},
        ],
        {"baz": "qux", "foo": ["a", 2, "c"]},
    ),
    (
        "A.9 Testing a Value: Error",
        {"baz": "qux"},
        [{"op": "test", "path": "/baz", "value": "bar"}],
        ERROR,
    ),
    (
        "A.10 Adding a Nested Member Object",
        {"foo": "bar"},
        [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
        {"foo": "bar", "child": {"grandchild": {}}},
    ),
    (
        "A.11 Ignoring Unrecognized Elements",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}],
        {"foo": "bar", "baz": "qux"},
    ),
    (
        "A.12 Adding to a Nonexistent Target",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz/bat", "value": "qux"}],
        ERROR,
    ),
    # A.13 (an operation with two "op" members) cannot be written as a Python dict: the JSON
    # reader decides what a duplicate member means, before the patch reaches apply_patch.
    (
        "A.14 ~ Escape Ordering",
        {"/": 9, "~1": 10},
        [{"op": "test", "path": "/~01", "value": 10}],
        {"/": 9, "~1": 10},
    ),
    (
        "A.15 Comparing Strings and Numbers",
        {"/": 9, "~1": 10},
        [{"op": "test", "path": "/~01", "value": "10"}],
        ERROR,
    ),
    (
        "A.16 Adding an Array Value",
        {"foo": ["bar"]},
        [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
        {"foo": ["bar", ["abc", "def"]]},
    ),
]


def dumps(value: Any) -> str:
    """The reference for "the same JSON": the standard library's text, member order aside
    (``true`` and ``1``, ``1`` and ``1.0`` write differently)."""
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize(
    ("doc", "patch", "expected"),
    [case[1:] for case in RFC6902_APPENDIX_A],
    ids=[case[0] for case in RFC6902_APPENDIX_A],
)
def test_rfc6902_appendix_a(doc: Any, patch: list[dict[str, Any]], expected: Any) -> None:
    before = dumps(doc)
    if expected is ERROR:
        with pytest.raises(JSONPatchError) as caught:
            apply_patch(doc, patch)
        assert caught.value.index == len(patch) - 1
    else:
        assert dumps(apply_patch(doc, patch)) == dumps(expected)
        assert dumps(Patch(patch).apply(doc)) == dumps(expected)
    assert dumps(doc) == before


# Section 4 rules beyond appendix A: (document, patch, result or ERROR).
SECTION_4 = [
    # 4.1 add: an existing member is replaced; an index may equal the length; the root replaced
    ({"a": 1}, [{"op": "add", "path": "/a", "value": 2}], {"a": 2}),
    ([1, 2], [{"op": "add", "path": "/2", "value": 3}], [1, 2, 3]),
    ([1, 2], [{"op": "add", "path": "/3", "value": 3}], ERROR),
    ([1, 2], [{"op": "add", "path": "/0", "value": 0}], [0, 1, 2]),
    ([1, 2], [{"op": "add", "path": "/01", "value": 0}], ERROR),
    ({"a": 1}, [{"op": "add", "path": "", "value": [1]}], [1]),
    ("scalar", [{"op": "add", "path": "/a", "value": 1}], ERROR),
    ({"a": "text"}, [{"op": "add", "path": "/a/0", "value": 1}], ERROR),
    # 4.2 remove: the target must exist; "-" names nothing
    ({"a": 1}, [{"op": "remove", "path": "/b"}], ERROR),
    ([1], [{"op": "remove", "path": "/-"}], ERROR),
    ([1], [{"op": "remove", "path": "/1"}], ERROR),
    ({"a": 1}, [{"op": "remove", "path": ""}], ERROR),
    # 4.3 replace: the target must exist; the root can be replaced
    ({"a": 1}, [{"op": "replace", "path": "/b", "value": 2}], ERROR),
    ([1], [{"op": "replace", "path": "/1", "value": 2}], ERROR),
    ([1], [{"op": "replace", "path": "/-", "value": 2}], ERROR),
    ({"a": 1}, [{"op": "replace", "path": "", "value": None}], None),
    # 4.4 move: never into its own child; the add counts indexes after the remove
    ({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}], ERROR),
    ({"a": {"b": 1}}, [{"op": "move", "from": "", "path": "/a/x"}], ERROR),
    ({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a"}], {"a": {"b": 1}}),
    ({"a": {"b": 1}}, [{"op": "move", "from": "/x", "path": "/x"}], ERROR),
    ({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/ab"}], {"ab": {"b": 1}}),
    ({"a": {"b": 1}}, [{"op": "move", "from": "/a/b", "path": ""}], 1),
    ([1, 2, 3], [{"op": "move", "from": "/0", "path": "/2"}], [2, 3, 1]),
    ([1, 2, 3], [{"op": "move", "from": "/0", "path": "/-"}], [2, 3, 1]),
    ([1, 2, 3], [{"op": "move", "from": "/0", "path": "/3"}], ERROR),
    ([1, 2, 3], [{"op": "move", "from": "/-", "path": "/0"}], ERROR),
    # 4.5 copy: the value is copied, not shared: changing one copy leaves the other
    (
        {"a": {"b": [1]}},
        [
            {"op": "copy", "from": "/a", "path": "/c"},
            {"op": "add", "path": "/c/b/-", "value": 2},
        ],
        {"a": {"b": [1]}, "c": {"b": [1, 2]}},
    ),
    ({"a": [1]}, [{"op": "copy", "from": "/a", "path": "/a/-"}], {"a": [1, [1]]}),
    ({"a": 1}, [{"op": "copy", "from": "/b", "path": "/c"}], ERROR),
    # 4.6 test: JSON equality, not Python's
    ({"a": 1}, [{"op": "test", "path": "/a", "value": 1.0}], {"a": 1}),
    ({"a": True}, [{"op": "test", "path": "/a", "value": 1}], ERROR),
    ({"a": 1}, [{"op": "test", "path": "/a", "value": True}], ERROR),
    ({"a": 0}, [{"op": "test", "path": "/a", "value": False}], ERROR),
    ({"a": 0.0}, [{"op": "test", "path": "/a", "value": -0.0}], {"a": 0.0}),
    ({"a": 2**53 + 1}, [{"op": "test", "path": "/a", "value": 2.0**53}], ERROR),
    ({"a": None}, [{"op": "test", "path": "/a", "value": None}], {"a": None}),
    ({"a": None}, [{"op": "test", "path": "/b", "value": None}], ERROR),
    (
        {"a": {"x": 1, "y": [1, True]}},
        [{"op": "test", "path": "/a", "value": {"y": [1.0, True], "x": 1}}],
        {"a": {"x": 1, "y": [1, True]}},
    ),
    ({"a": {"x": 1}}, [{"op": "test", "path": "/a", "value": {"x": 1, "y": None}}], ERROR),
    ({"a": [1, 2]}, [{"op": "test", "path": "/a", "value": [2, 1]}], ERROR),
    ({"a": [1]}, [{"op": "test", "path": "/a", "value": {"0": 1}}], ERROR),
    ({"a": "1"}, [{"op": "test", "path": "/a", "value": 1}], ERROR),
    ([1], [{"op": "test", "path": "/-", "value": 1}], ERROR),
    ({"a": 1}, [{"op": "test", "path": "", "value": {"a": 1}}], {"a": 1}),
]


@pytest.mark.parametrize(("doc", "patch", "expected"), SECTION_4)
def test_rfc6902_section_4_rules(doc: Any, patch: list[dict[str, Any]], expected: Any) -> None:
    before = dumps(doc)
    if expected is ERROR:
        with pytest.raises(JSONPatchError) as caught:
            apply_patch(doc, patch)
        assert caught.value.index == len(patch) - 1
        assert caught.value.op == patch[-1]["op"]
    else:
        assert dumps(apply_patch(doc, patch)) == dumps(expected)
    assert dumps(doc) == before


# A malformed operation fails the patch before anything is applied, wherever it stands.
MALFORMED = [
    ({"path": "/a", "value": 1}, "no 'op' member"),
    ({"op": "ad", "path": "/a", "value": 1}, "unknown op 'ad'"),
    ({"op": "ADD", "path": "/a", "value": 1}, "unknown op 'ADD'"),
    ({"op": None, "path": "/a"}, "'op' must be a str"),
    ({"op": ["add"], "path": "/a"}, "'op' must be a str"),
    ({"op": "add", "value": 1}, "no 'path' member"),
    ({"op": "add", "path": None, "value": 1}, "must be a str"),
    ({"op": "add", "path": 0, "value": 1}, "must be a str"),
    ({"op": "add", "path": "a", "value": 1}, "start with '/'"),
    ({"op": "add", "path": "/~2", "value": 1}, "not followed by '0' or '1'"),
    ({"op": "add", "path": "/a"}, "no 'value' member"),
    ({"op": "replace", "path": "/a"}, "no 'value' member"),
    ({"op": "test", "path": "/a"}, "no 'value' member"),
    ({"op": "move", "path": "/a"}, "no 'from' member"),
    ({"op": "copy", "path": "/a"}, "no 'from' member"),
    ({"op": "move", "from": 1, "path": "/a"}, "'from': a pointer must be a str"),
    ({"op": "copy", "from": "x", "path": "/a"}, "'from': a pointer must be empty"),
    ({"op": "move", "from": "/a", "path": "/a/b"}, "into its own child"),
    ({"op": "add", "path": "/a", "value": (1, 2)}, "a tuple is not a JSON value"),
    ({"op": "add", "path": "/a", "value": {1: 2}}, "keys must be str"),
    ({"op": "add", "path": "/a", "value": float("nan")}, "no NaN or infinity"),
    ({"op": "test", "path": "/a", "value": [float("inf")]}, "no NaN or infinity"),
    ({"op": "add", "path": "/a", "value": object()}, "not a JSON value"),
    ({"op": "add", "path": "/a", "value": 1, 7: "x"}, "member names must be str"),
    (["op", "add"], "must be an object"),
    ("add", "must be an object"),
    (None, "must be an object"),
]


@pytest.mark.parametrize(("operation", "problem"), MALFORMED)
def test_malformed_operation(operation: Any, problem: str) -> None:
    doc = {"keep": [1]}
    patch = [{"op": "add", "path": "/keep/-", "value": 2}, operation]
    with pytest.raises(JSONPatchError, match=re.escape(problem)) as caught:
        apply_patch(doc, patch)
    assert caught.value.index == 1
    with pytest.raises(JSONPatchError):
        Patch(patch)
    assert doc == {"keep": [1]}


@pytest.mark.parametrize("patch", [{"op": "add"}, "[]", (), None, 1, b"[]"])
def test_a_patch_is_a_list(patch: Any) -> None:
    with pytest.raises(JSONPatchError, match="must be a list") as caught:
        apply_patch({}, patch)
    assert caught.value.index is None


# Atomicity: operations 0..k-1 succeed (changing nested parts), operation k fails; the caller's
# document is unchanged, down to the identity of every nested container.
FAILING = {
    "add": {"op": "add", "path": "/nope/x", "value": 1},
    "remove": {"op": "remove", "path": "/obj/nope"},
    "replace": {"op": "replace", "path": "/list/9", "value": 1},
    "move": {"op": "move", "from": "/obj/nope", "path": "/x"},
    "copy": {"op": "copy", "from": "/list/-", "path": "/x"},
    "test": {"op": "test", "path": "/obj/a", "value": True},
}
SUCCEEDING = [
    {"op": "add", "path": "/obj/new", "value": {"n": [1]}},
    {"op": "add", "path": "/obj/new/n/-", "value": 2},
    {"op": "remove", "path": "/list/0"},
    {"op": "replace", "path": "/obj/a", "value": 1},
    {"op": "move", "from": "/obj/b", "path": "/list/0"},
    {"op": "copy", "from": "/obj", "path": "/copied"},
    {"op": "add", "path": "/copied/a", "value": 5},
    {"op": "add", "path": "", "value": {"obj": {"a": 1}, "list": [[0]]}},
    {"op": "add", "path": "/list/0/-", "value": 1},
    {"op": "test", "path": "/obj/a", "value": 1},
]


def make_doc() -> dict[str, Any]:
    return {"obj": {"a": 1, "b": [True, None]}, "list": [0, {"deep": [1.5]}]}


def identities(value: Any) -> list[int]:
    out = [id(value)]
    if isinstance(value, dict):
        for item in value.values():
            out += identities(item)
    elif isinstance(value, list):
        for item in value:
            out += identities(item)
    return out


@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in_place"])
@pytest.mark.parametrize("kind", sorted(FAILING))
@pytest.mark.parametrize("k", range(len(SUCCEEDING) + 1))
def test_a_failing_operation_changes_nothing(k: int, kind: str, in_place: bool) -> None:
    doc = make_doc()
    snapshot, ids = copy.deepcopy(doc), identities(doc)
    patch = [*SUCCEEDING[:k], FAILING[kind]]
    with pytest.raises(JSONPatchError) as caught:
        apply_patch(doc, patch, in_place=in_place)
    assert (caught.value.index, caught.value.op) == (k, kind)
    assert dumps(doc) == dumps(snapshot)
    assert identities(doc) == ids


def test_success_never_writes_to_the_input() -> None:
    doc = make_doc()
    snapshot, ids = copy.deepcopy(doc), identities(doc)
    result = apply_patch(doc, SUCCEEDING[:7])
    assert dumps(doc) == dumps(snapshot)
    assert identities(doc) == ids
    assert result == {
        "obj": {"a": 1, "new": {"n": [1, 2]}},
        "list": [[True, None], {"deep": [1.5]}],
        "copied": {"a": 5, "new": {"n": [1, 2]}},
    }
    assert result["list"][1] is doc["list"][1]  # untouched parts are shared, not copied


def test_in_place_writes_the_result_into_the_root() -> None:
    doc = make_doc()
    inner = doc["list"]
    assert apply_patch(doc, SUCCEEDING[:3], in_place=True) is doc
    assert doc["obj"]["new"] == {"n": [1, 2]}
    assert inner == [0, {"deep": [1.5]}]  # nested containers are replaced, not written to
    listed = [1, 2]
    assert apply_patch(listed, [{"op": "remove", "path": "/0"}], in_place=True) is listed
    assert listed == [2]
    assert apply_patch(listed, [{"op": "test", "path": "/0", "value": 2}], in_place=True) == [2]


@pytest.mark.parametrize(
    ("doc", "patch"),
    [
        ({"a": 1}, [{"op": "replace", "path": "", "value": [1]}]),
        ([1], [{"op": "replace", "path": "", "value": 1}]),
    ],
)
def test_in_place_cannot_change_the_root_type(doc: Any, patch: list[dict[str, Any]]) -> None:
    before = dumps(doc)
    with pytest.raises(JSONPatchError, match="in_place"):
        apply_patch(doc, patch, in_place=True)
    assert dumps(doc) == before


@pytest.mark.parametrize("doc", ["text", 1, None, (1,)])
def test_in_place_needs_a_container(doc: Any) -> None:
    with pytest.raises(JSONPatchError, match="in_place"):
        apply_patch(doc, [], in_place=True)


def test_in_place_is_a_bool() -> None:
    with pytest.raises(JSONPatchError, match="in_place"):
        apply_patch({}, [], in_place=1)  # type: ignore[arg-type]


def test_values_are_copied_from_the_patch() -> None:
    value = {"v": [1]}
    operations = [{"op": "add", "path": "/a", "value": value}]
    patch = Patch(operations)
    first, second = patch.apply({}), patch.apply({})
    first["a"]["v"].append(2)
    assert second == {"a": {"v": [1]}}
    assert value == {"v": [1]}
    assert apply_patch({}, operations)["a"] is not value
    operations.clear()  # the Patch read its operations when it was made
    assert len(patch) == 1


def test_patch_object() -> None:
    operations = [
        {"op": "move", "from": "/a", "path": "/b", "extra": 1},
        {"op": "test", "path": "/b", "value": [1]},
    ]
    patch = Patch(operations)
    assert patch.to_list() == [
        {"op": "move", "path": "/b", "from": "/a"},
        {"op": "test", "path": "/b", "value": [1]},
    ]
    assert apply_patch({"a": [1]}, patch) == {"b": [1]}
    assert "move '/b'" in repr(patch)


def test_error_is_typed_and_pickles() -> None:
    with pytest.raises(JSONPatchError) as caught:
        apply_patch({"a": 1}, [{"op": "test", "path": "/a", "value": 2}])
    error = caught.value
    assert isinstance(error, JSONError)
    assert (
        str(error) == "operation 0 (test): test failed: the value at '/a' is not equal to 'value'"
    )
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.index, again.op) == (str(error), 0, "test")


# Hostile documents: nothing is read through a method the object defines.
class LyingDict(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        return 1

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]


class RaisingList(list[Any]):
    def __len__(self) -> int:
        raise RuntimeError("hostile")

    def __iter__(self) -> Any:
        raise RuntimeError("hostile")


class Liar:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize(
    ("doc", "operation"),
    [
        ({"a": LyingDict(b=1)}, {"op": "test", "path": "/a", "value": {"b": 1}}),
        ({"a": LyingDict(b=1)}, {"op": "add", "path": "/a/c", "value": 1}),
        ({"a": RaisingList([1])}, {"op": "test", "path": "/a", "value": [1]}),
        ({"a": RaisingList([1])}, {"op": "remove", "path": "/a/0"}),
        ({"a": Liar()}, {"op": "test", "path": "/a", "value": 1}),
        ({"a": Liar()}, {"op": "copy", "from": "/a", "path": "/b"}),
        ({"a": [Liar()]}, {"op": "test", "path": "/a", "value": [1]}),
        ({"a": {"b": (1,)}}, {"op": "test", "path": "/a", "value": {"b": [1]}}),
        ({"a": float("nan")}, {"op": "test", "path": "/a", "value": 1.0}),
    ],
)
def test_hostile_values_in_the_document(doc: Any, operation: dict[str, Any]) -> None:
    with pytest.raises(JSONPatchError, match="not a JSON") as caught:
        apply_patch(doc, [operation])
    assert isinstance(caught.value.__cause__, JSONError)


class LyingPatch(list[Any]):
    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Any:
        return iter([])


class LyingOperation(dict[str, Any]):
    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("hostile")

    def get(self, key: str, default: Any = None) -> Any:
        return "add"


@pytest.mark.parametrize(
    "patch",
    [
        LyingPatch([{"op": "remove", "path": "/a"}]),
        [LyingOperation(op="remove", path="/a")],
    ],
)
def test_hostile_patches(patch: Any) -> None:
    with pytest.raises(JSONPatchError):
        apply_patch({"a": 1}, patch)


def deep_list(depth: int, bottom: Any = 0) -> Any:
    value = bottom
    for _ in range(depth):
        value = [value]
    return value


def test_deep_and_cyclic_values_are_typed_errors() -> None:
    deep = deep_list(100_000)
    for operation in [
        {"op": "add", "path": "/a", "value": deep},
        {"op": "test", "path": "/a", "value": deep},
    ]:
        with pytest.raises(JSONPatchError, match="levels deep"):
            apply_patch({"a": 1}, [operation])
    with pytest.raises(JSONPatchError, match="levels deep"):
        apply_patch({"a": deep}, [{"op": "copy", "from": "/a", "path": "/b"}])
    # a difference found before the limit is an answer, not an error
    for value in [[0], deep_list(9_000)]:
        with pytest.raises(JSONPatchError, match="test failed"):
            apply_patch({"a": deep}, [{"op": "test", "path": "/a", "value": value}])
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    with pytest.raises(JSONPatchError, match="cyclic"):
        apply_patch({"a": cyclic}, [{"op": "copy", "from": "/a", "path": "/b"}])
    with pytest.raises(JSONPatchError, match="cyclic"):
        apply_patch({}, [{"op": "add", "path": "/a", "value": cyclic}])
    with pytest.raises(JSONPatchError, match="test failed"):
        apply_patch({"a": cyclic}, [{"op": "test", "path": "/a", "value": [[1]]}])
    cyclic.clear()


def test_deep_paths_are_fine() -> None:
    depth = 50_000
    doc = deep_list(depth)
    path = "/0" * depth
    result = apply_patch(doc, [{"op": "replace", "path": path, "value": 1}])
    assert Patch([{"op": "test", "path": path, "value": 1}]).apply(result) is result
    assert Patch([{"op": "test", "path": path, "value": 0}]).apply(doc) is doc


def test_many_operations_copy_each_container_once() -> None:
    doc = {"items": list(range(1000))}
    patch = [{"op": "add", "path": "/items/-", "value": n} for n in range(1000)]
    result = apply_patch(doc, patch)
    assert result["items"] == list(range(1000)) * 2
    assert doc["items"] == list(range(1000))


def pointers(value: Any) -> list[str]:
    """Every location in ``value``, plus the append position of each array."""
    found, stack = [""], [("", value)]
    while stack:
        prefix, node = stack.pop()
        if type(node) is dict:
            children = [
                (key.replace("~", "~0").replace("/", "~1"), item) for key, item in node.items()
            ]
        elif type(node) is list:
            children = list(zip(map(str, range(len(node))), node, strict=True))
            found.append(prefix + "/-")
        else:
            continue
        for token, item in children:
            found.append(f"{prefix}/{token}")
            stack.append((f"{prefix}/{token}", item))
    return found


@st.composite
def documents_and_patches(draw: st.DrawFn) -> tuple[Any, list[dict[str, Any]]]:
    doc = draw(values)
    paths = st.sampled_from([*pointers(doc), "/nope", "/0", "/nope/x"])
    operations = []
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(["add", "remove", "replace", "move", "copy", "test"]))
        operation: dict[str, Any] = {"op": name, "path": draw(paths)}
        if name in ("move", "copy"):
            operation["from"] = draw(paths)
        if name in ("add", "replace", "test"):
            operation["value"] = draw(values)
        operations.append(operation)
    return doc, operations


@settings(max_examples=150, deadline=None)
@given(documents_and_patches())
def test_a_patch_is_its_operations_in_sequence(case: tuple[Any, list[dict[str, Any]]]) -> None:
    """Applied whole, a patch gives what its operations give one at a time; when operation k
    fails, the first k succeed one at a time and operation k fails after them (a malformed
    operation fails the patch first, wherever it stands); either way the input is unchanged,
    with ``in_place`` too."""
    doc, operations = case
    try:
        Patch(operations)
        malformed = None
    except JSONPatchError as error:
        malformed = error.index
    before, ids = dumps(doc), identities(doc)
    step = doc
    failed_at = None
    for index, operation in enumerate(operations):
        try:
            step = apply_patch(step, [operation])
        except JSONPatchError:
            failed_at = index
            break
    try:
        result = apply_patch(doc, operations)
    except JSONPatchError as error:
        assert error.index == (failed_at if malformed is None else malformed)
    else:
        assert failed_at is None
        assert tagged(result) == tagged(step)
    assert dumps(doc) == before
    assert identities(doc) == ids
    if type(doc) in (dict, list):
        target = copy.deepcopy(doc)
        try:
            apply_patch(target, operations, in_place=True)
        except JSONPatchError:
            assert failed_at is not None or type(step) is not type(doc)
            assert dumps(target) == before
        else:
            assert tagged(target) == tagged(step)
