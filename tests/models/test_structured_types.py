"""``TypedDict`` (total, ``Required``/``NotRequired``), ``NamedTuple`` and stdlib dataclasses as
field types, validated field by field, with pydantic 2.14's answers, on both cores and every
input path. Where ferrule differs (NamedTuple error locations are field names, not positions;
JSON Schema puts the class under ``$defs``) docs/validation.md says so."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, NamedTuple

import pytest
from cores import Err
from paths import JSON_PATHS
from typecases import run_row
from typing_extensions import NotRequired, Required, TypedDict

import ferrule
from ferrule import TypeAdapter

R: tuple[Any, ...] = ()


class Movie(TypedDict):
    title: str
    year: NotRequired[int]


class Partial(TypedDict, total=False):
    id: Required[int]
    note: str


class Point(NamedTuple):
    x: int
    y: int = 0


@dataclasses.dataclass
class Item:
    name: str
    qty: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)


PYTHON: list[tuple[Any, Any, Any]] = [
    (Movie, {"title": "Up", "year": "2009"}, {"title": "Up", "year": 2009}),
    (Movie, {"title": "Up", "extra": 1}, {"title": "Up"}),  # extra keys dropped
    (Movie, {}, Err((("title",), "missing"))),
    (Movie, [1], Err((R, "dict_type"))),
    (
        Movie,
        {"title": 1, "year": "x"},
        Err((("title",), "string_type"), (("year",), "int_parsing")),
    ),
    (Partial, {"id": 1}, {"id": 1}),
    (Partial, {"note": "x"}, Err((("id",), "missing"))),
    (Point, (1, "2"), Point(1, 2)),
    (Point, [1], Point(1, 0)),
    (Point, {"x": 1}, Point(1, 0)),
    (Point, Point(1, 2), Point(1, 2)),
    (Point, (1, 2, 3), Err((R, "too_long"))),
    (Point, "ab", Err((R, "named_tuple_type"))),
    (Point, (), Err((("x",), "missing"))),
    (Item, {"name": "a", "qty": "2"}, Item("a", 2)),
    (Item, Item("b"), Item("b")),
    (Item, {"qty": "x"}, Err((("name",), "missing"), (("qty",), "int_parsing"))),
    (Item, [1], Err((R, "dataclass_type"))),
]

JSON: list[tuple[Any, str, Any]] = [
    (Movie, '{"title": "Up"}', {"title": "Up"}),
    (Movie, '{"year": 1}', Err((("title",), "missing"))),
    (Point, "[1, 2]", Point(1, 2)),
    (Point, '{"x": 1}', Point(1, 0)),
    (Item, '{"name": "a", "tags": ["t"]}', Item("a", 1, ["t"])),
    (Item, "[1]", Err((R, "dataclass_type"))),
]


def _id(row: tuple[Any, ...]) -> str:
    return f"{row[0].__name__}-{row[1]!r}"[:60]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON, ids=[_id(r) for r in PYTHON])
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON, ids=[_id(r) for r in JSON])
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


def test_default_factories_run_per_value() -> None:
    adapter = TypeAdapter(Item)
    first, second = adapter.validate_python({"name": "a"}), adapter.validate_python({"name": "b"})
    assert first.tags == [] and first.tags is not second.tags


class Order(ferrule.Model):
    movie: Movie
    at: Point
    items: list[Item]


def test_in_models_and_dumps() -> None:
    order = Order.model_validate({"movie": {"title": "Up"}, "at": [1, 2], "items": [{"name": "a"}]})
    assert order.at == Point(1, 2) and type(order.at) is Point
    assert order.items == [Item("a")]
    written = {
        "movie": {"title": "Up"},
        "at": [1, 2],
        "items": [{"name": "a", "qty": 1, "tags": []}],
    }
    assert order.model_dump(mode="json") == written
    python = order.model_dump()  # a dataclass is a dict in Python mode too (pydantic)
    assert python["items"] == [{"name": "a", "qty": 1, "tags": []}]
    assert python["at"] == Point(1, 2) and python["movie"] == {"title": "Up"}
    assert json.loads(order.model_dump_json()) == written
    assert Order.model_validate_json(order.model_dump_json()) == order


def test_json_schema() -> None:
    assert TypeAdapter(Movie).json_schema() == {
        "$ref": "#/$defs/Movie",
        "$defs": {
            "Movie": {
                "title": "Movie",
                "type": "object",
                "properties": {
                    "title": {"type": "string", "title": "Title"},
                    "year": {"type": "integer", "title": "Year"},
                },
                "required": ["title"],
            }
        },
    }


def test_named_tuple_json_schema_is_pydantic_s() -> None:
    assert TypeAdapter(Point).json_schema() == {
        "type": "array",
        "prefixItems": [
            {"type": "integer", "title": "X"},
            {"type": "integer", "title": "Y", "default": 0},
        ],
        "minItems": 1,
        "maxItems": 2,
    }
