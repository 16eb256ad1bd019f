"""``ByteSize``, ``Json[T]`` and the paths that must (not) exist: pydantic 2.14's inputs,
errors, dumps and JSON Schema on both cores and every input path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cores import Err
from paths import JSON_PATHS
from typecases import run_row

import ferrule
from ferrule import TypeAdapter
from ferrule.errors import ValidationError
from ferrule.types import ByteSize, DirectoryPath, FilePath, Json, NewPath

R: tuple[Any, ...] = ()
HERE = Path(__file__)

PYTHON: list[tuple[Any, Any, Any]] = [
    (ByteSize, "1.5 KiB", ByteSize(1536)),
    (ByteSize, "1kb", ByteSize(1000)),
    (ByteSize, "8 bit", ByteSize(1)),
    (ByteSize, 1024, ByteSize(1024)),
    (ByteSize, "12", ByteSize(12)),
    (ByteSize, "1 XB", Err((R, "byte_size_unit"))),
    (ByteSize, "x", Err((R, "byte_size"))),
    (ByteSize, 1.5, Err((R, "byte_size"))),
    (ByteSize, "1e3", Err((R, "byte_size_unit"))),
    (Json[list[int]], "[1, 2]", [1, 2]),
    (Json[list[int]], b"[1]", [1]),
    (Json[list[int]], '[1, "x"]', Err(((1,), "int_parsing"))),
    (Json[list[int]], "nope", Err((R, "json_invalid"))),
    (Json[list[int]], 1, Err((R, "json_type"))),
    (Json, '{"a": 1}', {"a": 1}),
    (FilePath, str(HERE), HERE),
    (FilePath, str(HERE.parent), Err((R, "path_not_file"))),
    (DirectoryPath, str(HERE.parent), HERE.parent),
    (DirectoryPath, str(HERE), Err((R, "path_not_directory"))),
    (NewPath, str(HERE), Err((R, "path_exists"))),
    (NewPath, str(HERE.parent / "no-such-file"), HERE.parent / "no-such-file"),
    (FilePath, 1, Err((R, "path_type"))),
]

JSON: list[tuple[Any, str, Any]] = [
    (ByteSize, '"2 MiB"', ByteSize(2 * 2**20)),
    (ByteSize, "10", ByteSize(10)),
    (Json[dict[str, int]], '"{\\"a\\": 1}"', {"a": 1}),
    (Json[list[int]], "[1]", Err((R, "json_type"))),  # a JSON array is not JSON text
]


def _id(row: tuple[Any, ...]) -> str:
    return f"{row[0]!r}-{row[1]!r}"[:60]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON, ids=[_id(r) for r in PYTHON])
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON, ids=[_id(r) for r in JSON])
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


@pytest.mark.parametrize(
    ("size", "binary", "decimal"),
    [
        (0, "0B", "0B"),
        (1023, "1023B", "1.0KB"),
        (1536, "1.5KiB", "1.5KB"),
        (10**7, "9.5MiB", "10.0MB"),
        (2**70, "1024.0EiB", "1180.6EB"),
    ],
)
def test_byte_size_units(size: int, binary: str, decimal: str) -> None:
    value = ByteSize(size)
    assert (value.human_readable(), value.human_readable(decimal=True)) == (binary, decimal)


def test_byte_size_conversions() -> None:
    value = TypeAdapter(ByteSize).validate_python("1.5 KiB")
    assert (value.to("KB"), value.to("KiB"), value.to("b")) == (1.536, 1.5, 1536.0)
    assert value.human_readable(separator=" ") == "1.5 KiB"
    with pytest.raises(ValueError, match="byte unit"):
        value.to("XB")


def test_error_context() -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(ByteSize).validate_python("1 XB")
    [line] = caught.value.errors()
    assert (line["ctx"], line["msg"]) == ({"unit": "XB"}, "could not interpret byte unit: XB")


class Upload(ferrule.Model):
    size: ByteSize
    meta: Json[dict[str, int]]


def test_dumps_and_schema() -> None:
    upload = Upload(size="1 KiB", meta='{"a": 1}')
    assert upload.model_dump() == {"size": 1024, "meta": {"a": 1}}
    assert type(upload.model_dump()["size"]) is ByteSize
    assert json.loads(upload.model_dump_json()) == {"size": 1024, "meta": {"a": 1}}
    properties = Upload.model_json_schema()["properties"]
    assert properties["meta"] == {
        "type": "string",
        "contentMediaType": "application/json",
        "contentSchema": {"type": "object", "additionalProperties": {"type": "integer"}},
        "title": "Meta",
    }
    assert properties["size"] == {
        "anyOf": [
            {"type": "string", "pattern": r"^\s*(\d*\.?\d+)\s*(\w+)?"},
            {"type": "integer", "minimum": 0},
        ],
        "title": "Size",
    }
    assert TypeAdapter(FilePath).json_schema() == {"type": "string", "format": "file-path"}


STRICT: list[tuple[Any, Any, Any]] = [
    # pydantic's strict mode: IP and path types take only instances; the others their input
    (Path, "/x", Err((R, "is_instance_of"))),
    (Path, Path("/x"), Path("/x")),
    (ByteSize, 5, ByteSize(5)),
    (Json[list[int]], "[1]", [1]),
]


@pytest.mark.parametrize(("annotation", "value", "expected"), STRICT, ids=[_id(r) for r in STRICT])
def test_strict_mode(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected, strict=True)


class _Doc(ferrule.Model):
    n: int
    when: str = "x"


class _WithJson(ferrule.Model):
    items: Json[list[int]]
    doc: Json[_Doc]
    anything: Json
    plain: int = 0


def test_json_fields_are_written_back_as_text_with_round_trip() -> None:
    # pydantic 2.14: round_trip=True writes a Json[T] field as compact JSON text, so that the
    # dump validates again; without it the value is written as it is
    built = _WithJson(items="[1, 2]", doc='{"n": 3}', anything='{"a": [true, null]}')
    assert built.model_dump() == {
        "items": [1, 2],
        "doc": {"n": 3, "when": "x"},
        "anything": {"a": [True, None]},
        "plain": 0,
    }
    assert built.model_dump(round_trip=True) == {
        "items": "[1,2]",
        "doc": '{"n":3,"when":"x"}',
        "anything": '{"a":[true,null]}',
        "plain": 0,
    }
    assert built.model_dump_json(round_trip=True) == (
        '{"items":"[1,2]","doc":"{\\"n\\":3,\\"when\\":\\"x\\"}",'
        '"anything":"{\\"a\\":[true,null]}","plain":0}'
    )
    assert built.model_dump_json() == (
        '{"items":[1,2],"doc":{"n":3,"when":"x"},"anything":{"a":[true,null]},"plain":0}'
    )
    assert _WithJson.model_validate(built.model_dump(round_trip=True)) == built
    assert _WithJson.model_validate_json(built.model_dump_json(round_trip=True)) == built
