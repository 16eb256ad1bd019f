"""Abstract collections (``Sequence``, ``MutableSequence``, ``Iterable``, ``Set``,
``Mapping``...), ``deque``, ``Counter``, ``OrderedDict``, paths and compiled patterns: pydantic
2.14's answers on both cores and every input path. ``Sequence[T]`` keeps a tuple a tuple and a
deque a deque (pydantic); ``Iterable[T]`` is validated at once into a list (pydantic returns a
lazy iterator: a deliberate difference, docs/validation.md)."""

from __future__ import annotations

import collections
import collections.abc as abc
import json
import pathlib
import re
import typing
from typing import Any

import pytest
from cores import Err
from paths import JSON_PATHS
from typecases import Fresh, run_row

import ferrule
from ferrule import TypeAdapter

R: tuple[Any, ...] = ()

PYTHON: list[tuple[Any, Any, Any]] = [
    (typing.Sequence[int], [1, "2"], [1, 2]),
    (typing.Sequence[int], (1, "2"), (1, 2)),
    (abc.Sequence[int], collections.deque([1]), collections.deque([1])),
    (typing.Sequence[int], range(2), [0, 1]),
    (typing.Sequence[int], "ab", Err((R, "sequence_str"))),
    (typing.Sequence[str], "ab", Err((R, "sequence_str"))),
    (typing.Sequence[int], {1}, Err((R, "is_instance_of"))),
    (typing.Sequence[int], Fresh(lambda: (x for x in [1]), "gen"), Err((R, "is_instance_of"))),
    (typing.Sequence[int], (1, "x"), Err(((1,), "int_parsing"))),
    (typing.Sequence, [1], [1]),
    (typing.MutableSequence[int], (1,), [1]),
    (typing.Iterable[int], (1, "2"), [1, 2]),
    (abc.Iterable[int], Fresh(lambda: iter([1]), "iter"), [1]),
    (abc.Set[int], [1], frozenset({1})),
    (typing.AbstractSet[int], {1}, frozenset({1})),
    (typing.MutableSet[int], {1}, {1}),
    (typing.Mapping[str, int], {"a": "1"}, {"a": 1}),
    (typing.Mapping[str, int], collections.OrderedDict(a=1), {"a": 1}),
    (typing.Mapping[str, int], [("a", 1)], Err((R, "dict_type"))),
    (typing.MutableMapping[str, int], {"a": 1}, {"a": 1}),
    (collections.deque[int], [1, "2"], collections.deque([1, 2])),
    (collections.deque[int], (1,), collections.deque([1])),
    (collections.deque[int], collections.deque([1]), collections.deque([1])),
    (collections.deque[int], "x", Err((R, "deque_type"))),
    (collections.deque[int], ["x"], Err(((0,), "int_parsing"))),
    (typing.Deque[int], [1], collections.deque([1])),  # noqa: UP006 - the typing spelling
    (collections.deque, [1], collections.deque([1])),
    (collections.OrderedDict[str, int], {"a": "1"}, collections.OrderedDict(a=1)),
    (collections.Counter[str], {"a": 1}, collections.Counter(a=1)),
    (pathlib.Path, "/a/b", pathlib.Path("/a/b")),
    (pathlib.PurePosixPath, "/a", pathlib.PurePosixPath("/a")),
    (pathlib.Path, pathlib.PurePosixPath("x"), Err((R, "path_type"))),
    (pathlib.Path, 1, Err((R, "path_type"))),
    (pathlib.Path, b"/a", Err((R, "path_type"))),
    (typing.Pattern, "a+", re.compile("a+")),
    (re.Pattern, re.compile("b"), re.compile("b")),
    (typing.Pattern[str], "(", Err((R, "pattern_regex"))),
    (re.Pattern, 1, Err((R, "pattern_type"))),
]

JSON: list[tuple[Any, str, Any]] = [
    (typing.Sequence[int], "[1, 2]", [1, 2]),
    (typing.Sequence[int], '"ab"', Err((R, "sequence_str"))),
    (collections.deque[int], "[1, 2]", collections.deque([1, 2])),
    (collections.deque[int], '"x"', Err((R, "deque_type"))),
    (typing.Mapping[str, int], '{"a": 1}', {"a": 1}),
    (abc.Set[int], "[1, 1]", frozenset({1})),
    (pathlib.Path, '"/a"', pathlib.Path("/a")),
    (re.Pattern, '"a+"', re.compile("a+")),
]


def _id(row: tuple[Any, ...]) -> str:
    return f"{row[0]}-{row[1]!r}"[:60]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON, ids=[_id(r) for r in PYTHON])
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON, ids=[_id(r) for r in JSON])
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


class Bag(ferrule.Model):
    seq: typing.Sequence[int]
    queue: collections.deque[int]
    path: pathlib.Path
    pattern: re.Pattern[str]


def test_dumps() -> None:
    bag = Bag(seq=(1, 2), queue=[3], path="/tmp/x", pattern="a+")
    assert bag.model_dump() == {
        "seq": (1, 2),
        "queue": collections.deque([3]),
        "path": pathlib.Path("/tmp/x"),
        "pattern": re.compile("a+"),
    }
    written = {"seq": [1, 2], "queue": [3], "path": "/tmp/x", "pattern": "a+"}
    assert bag.model_dump(mode="json") == written
    assert json.loads(bag.model_dump_json()) == written


def test_json_schema() -> None:
    assert Bag.model_json_schema()["properties"] == {
        "seq": {"type": "array", "items": {"type": "integer"}, "title": "Seq"},
        "queue": {"type": "array", "items": {"type": "integer"}, "title": "Queue"},
        "path": {"type": "string", "format": "path", "title": "Path"},
        "pattern": {"type": "string", "format": "regex", "title": "Pattern"},
    }
    assert TypeAdapter(typing.Mapping[str, int]).json_schema() == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    assert TypeAdapter(abc.Set[int]).json_schema() == {
        "type": "array",
        "items": {"type": "integer"},
        "uniqueItems": True,
    }
