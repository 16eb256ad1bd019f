"""`model_dump` / `model_dump_json` with nested `include=`/`exclude=` (pydantic's semantics), and
the JSON form of str/int enum members, under whichever core the process selected.

Every expected value below was recorded from pydantic 2.14's `model_dump` for the same models."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from ferrule import Model


class Inner(Model):
    a: int = 1
    b: int = 2
    c: int = 3


class Outer(Model):
    inner: Inner = Inner()
    items: list[Inner] = [Inner(), Inner(a=10)]
    d: dict[str, Inner] = {"k": Inner(), "j": Inner()}
    t: tuple[int, ...] = (1, 2, 3)
    x: int = 5


FULL_INNER = {"a": 1, "b": 2, "c": 3}
FULL_ITEMS = [FULL_INNER, {"a": 10, "b": 2, "c": 3}]
FULL_D = {"k": FULL_INNER, "j": FULL_INNER}


def full(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "inner": FULL_INNER,
        "items": FULL_ITEMS,
        "d": FULL_D,
        "t": (1, 2, 3),
        "x": 5,
    }
    out.update(changes)
    return out


CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"exclude": {"inner": {"b"}}}, full(inner={"a": 1, "c": 3})),
    (
        {"exclude": {"items": {"__all__": {"a"}}}},
        full(items=[{"b": 2, "c": 3}, {"b": 2, "c": 3}]),
    ),
    ({"include": {"items": {0: {"a"}}}}, {"items": [{"a": 1}]}),
    ({"include": {"items": {-1: {"a"}}}}, {"items": [{"a": 10}]}),
    ({"exclude": {"items": {-1}}}, full(items=[FULL_INNER])),
    ({"include": {"items": {0: True}, "x": True}}, {"items": [FULL_INNER], "x": 5}),
    ({"include": {"items": {0: ...}, "x": ...}}, {"items": [FULL_INNER], "x": 5}),
    (
        {"exclude": {"items": {"__all__": {"a"}, 0: {"b"}}}},
        full(items=[{"c": 3}, {"b": 2, "c": 3}]),
    ),
    (
        {"include": {"items": {"__all__": {"a"}, 0: {"b"}}}},
        {"items": [{"a": 1, "b": 2}, {"a": 10}]},
    ),
    ({"exclude": {"d": {"k": {"a"}}}}, full(d={"k": {"b": 2, "c": 3}, "j": FULL_INNER})),
    ({"include": {"d": {"k"}}}, {"d": {"k": FULL_INNER}}),
    ({"exclude": {"t": {0}}}, full(t=(2, 3))),
    ({"include": {"inner"}}, {"inner": FULL_INNER}),
    ({"include": {"inner": {"a"}}, "exclude": {"inner": {"a"}}}, {"inner": {}}),
    ({"include": {"inner": {"a", "b"}}, "exclude": {"inner": {"a"}}}, {"inner": {"b": 2}}),
    ({"include": {"inner": True}, "exclude": {"inner": {"a"}}}, {"inner": {"b": 2, "c": 3}}),
    ({"exclude": {"nope"}}, full()),
    ({"include": {"nope"}}, {}),
    ({"include": ["x"]}, {"x": 5}),
    ({"exclude": {"items": {5}}}, full()),
    ({"exclude": {"x": {"y"}}}, full()),
    ({"include": {}}, {}),
    ({"exclude": {}}, full()),
    ({"include": set()}, {}),
    ({"exclude": {"items": {"__all__"}}}, full(items=[])),
    ({"include": {"items": {"__all__"}}}, {"items": FULL_ITEMS}),
    ({"include": {"__all__"}}, full()),
]


@pytest.mark.parametrize(("options", "expected"), CASES, ids=[repr(c[0]) for c in CASES])
def test_nested_include_exclude_match_pydantic(
    options: dict[str, Any], expected: dict[str, Any]
) -> None:
    outer = Outer()
    assert outer.model_dump(**options) == expected
    as_json = json.loads(json.dumps(expected))  # tuples become lists
    assert outer.model_dump(mode="json", **options) == as_json
    assert json.loads(outer.model_dump_json(**options)) == as_json
    assert json.loads(outer.json_bytes(**options)) == as_json
    assert json.loads(outer.model_dump_json(indent=2, **options)) == as_json


@pytest.mark.parametrize("bad", [{"inner": False}, {"inner": None}, {"inner": 1}, "x", 5])
@pytest.mark.parametrize("argument", ["include", "exclude"])
def test_malformed_filters_are_type_errors(argument: str, bad: Any) -> None:
    with pytest.raises(TypeError, match=f"`{argument}` argument must be a set or dict"):
        Outer().model_dump(**{argument: bad})
    with pytest.raises(TypeError, match=f"`{argument}` argument must be a set or dict"):
        Outer().model_dump_json(**{argument: bad})


def test_filters_apply_to_extra_values() -> None:
    class Open(Model, extra="allow"):
        a: int

    item = Open.model_validate({"a": 1, "z": 2, "y": {"p": 1, "q": 2}})
    assert item.model_dump(exclude={"z"}) == {"a": 1, "y": {"p": 1, "q": 2}}
    assert item.model_dump(include={"y": {"q"}}) == {"y": {"q": 2}}


class Shade(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Flag(enum.Enum):
    ON = (1, "on")


class Painted(Model):
    shade: Shade
    level: Level
    flag: Flag
    shades: list[Shade]
    by_level: dict[Level, Shade]


def test_json_mode_writes_enum_values_not_members() -> None:
    painted = Painted(shade="red", level=3, flag=(1, "on"), shades=["red"], by_level={3: "red"})
    dumped = painted.model_dump(mode="json")
    assert dumped == {
        "shade": "red",
        "level": 3,
        "flag": [1, "on"],
        "shades": ["red"],
        "by_level": {"3": "red"},
    }
    assert type(dumped["shade"]) is str
    assert type(dumped["level"]) is int
    assert type(dumped["shades"][0]) is str
    assert json.loads(painted.model_dump_json()) == dumped
    python = painted.model_dump()
    assert python["shade"] is Shade.RED and python["level"] is Level.HIGH


@pytest.mark.parametrize("indent", [-1, 2**40, 1025])
def test_indent_is_bounded(indent: int) -> None:
    with pytest.raises(ValueError, match="indent must be between 0 and 1024"):
        Outer().model_dump_json(indent=indent)
    with pytest.raises(ValueError, match="indent must be between 0 and 1024"):
        Outer().json_bytes(indent=indent)
