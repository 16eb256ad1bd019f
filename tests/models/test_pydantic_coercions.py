"""Lax-mode coercions pydantic makes that ferrule once refused, with pydantic 2.14's answers, on
both cores: enums mixed with int/float/str from text and bytes, bool from Decimal 0/1 and from
bytes, list/tuple/set/frozenset from any iterable but text, bytes and mappings (generators,
dict views, deques, ranges, iterators; an iterator that raises is ``iteration_error``), and a
UUID from its text as bytes."""

from __future__ import annotations

import enum
import uuid
from collections import deque
from decimal import Decimal
from typing import Any

import pytest
from cores import Err
from paths import JSON_PATHS
from typecases import Fresh, run_row

from ferrule import TypeAdapter
from ferrule.errors import ValidationError

R: tuple[Any, ...] = ()
U = uuid.UUID("12345678-1234-5678-1234-567812345678")


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Perm(enum.IntFlag):
    R = 1
    W = 2


class Ratio(float, enum.Enum):
    HALF = 1.5


class Code(str, enum.Enum):
    X = "x"


class Plain(enum.Enum):
    ONE = 1


def gen(*items: Any) -> Fresh:
    return Fresh(lambda: (item for item in items), f"gen{items}")


def failing(after: int, exc: BaseException) -> Fresh:
    def make() -> Any:
        yield from range(after)
        raise exc

    return Fresh(make, f"failing({after}, {exc!r})")


PYTHON: list[tuple[Any, Any, Any]] = [
    # enums: the number's text, by the mixed-in type; a member's own value only
    (Level, "2", Level.HIGH),
    (Level, b"2", Level.HIGH),
    (Level, " 2 ", Level.HIGH),
    (Level, "+2", Level.HIGH),
    (Level, "2.0", Level.HIGH),
    (Level, Decimal(2), Level.HIGH),
    (Level, "2.5", Err((R, "enum"))),
    (Level, "0x2", Err((R, "enum"))),
    (Level, "1_0", Err((R, "enum"))),
    (Level, "3", Err((R, "enum"))),
    (Perm, 3, Perm.R | Perm.W),
    (Perm, "3", Err((R, "enum"))),  # a flag combination is no member's value
    (Perm, "2", Perm.W),
    (Ratio, "1.5", Ratio.HALF),
    (Ratio, b"1.5", Ratio.HALF),
    (Code, b"x", Code.X),
    (Code, b"\xff", Err((R, "enum"))),
    (Plain, "1", Err((R, "enum"))),  # no mixed-in type: text is not read
    # bool
    (bool, Decimal(0), False),
    (bool, Decimal(1), True),
    (bool, Decimal("1.0"), True),
    (bool, Decimal("-0"), False),
    (bool, Decimal(2), Err((R, "bool_parsing"))),
    (bool, Decimal("NaN"), Err((R, "bool_type"))),
    (bool, Decimal("sNaN"), Err((R, "bool_type"))),
    (bool, b"TRUE", True),
    (bool, b"true", True),
    (bool, b"yes", True),
    (bool, b"off", False),
    (bool, b"1", True),
    (bool, b" true ", Err((R, "bool_parsing"))),  # bytes are read as written
    (bool, b"\xff", Err((R, "bool_parsing"))),
    (bool, b"x", Err((R, "bool_parsing"))),
    (bool, bytearray(b"1"), Err((R, "bool_type"))),
    # collections from any iterable
    (list[int], gen(1, "2"), [1, 2]),
    (list[int], {1: 2}.values(), [2]),
    (list[int], {1: 2}.keys(), [1]),
    (list[int], deque([1, 2]), [1, 2]),
    (list[int], range(3), [0, 1, 2]),
    (list[int], Fresh(lambda: iter([1]), "iter([1])"), [1]),
    (list[int], frozenset({1}), [1]),
    (list[int], {"a": 1}.items(), Err(((0,), "int_type"))),
    (list[int], "ab", Err((R, "list_type"))),
    (list[int], b"ab", Err((R, "list_type"))),
    (list[int], bytearray(b"ab"), Err((R, "list_type"))),
    (list[int], {"a": 1}, Err((R, "list_type"))),
    (list[int], 1, Err((R, "list_type"))),
    (list[int], gen(1, "x", 3), Err(((1,), "int_parsing"))),
    (list[int], failing(1, RuntimeError("boom")), Err(((1,), "iteration_error"))),
    (set[int], gen(1, 2), {1, 2}),
    (set[int], {1: 2}.values(), {2}),
    (set[int], deque([1]), {1}),
    (set[int], range(2), {0, 1}),
    (set[int], failing(1, ValueError("boom")), Err(((1,), "iteration_error"))),
    (frozenset[int], gen(1), frozenset({1})),
    (frozenset[int], {1: 2}.values(), frozenset({2})),
    (tuple[int, ...], gen(1, 2), (1, 2)),
    (tuple[int, ...], {1: 2}.values(), (2,)),
    (tuple[int, int], gen(1, 2), (1, 2)),
    (tuple[int, int], deque([1, 2]), (1, 2)),
    # UUID text as bytes
    (uuid.UUID, str(U).encode(), U),
    (uuid.UUID, U.hex.encode(), U),
    (uuid.UUID, bytes(16), uuid.UUID(int=0)),
    (uuid.UUID, b"x" * 16, uuid.UUID(bytes=b"x" * 16)),  # 16 bytes are the raw value
    (uuid.UUID, b"abc", Err((R, "uuid_parsing"))),
    (uuid.UUID, b"\xff" * 36, Err((R, "uuid_parsing"))),
    (uuid.UUID, bytearray(str(U).encode()), Err((R, "uuid_type"))),
]

STRICT: list[tuple[Any, Any, Any]] = [
    (list[int], gen(1), Err((R, "list_type"))),
    (list[int], deque([1]), Err((R, "list_type"))),
    (set[int], {1: 2}.values(), Err((R, "set_type"))),
    (tuple[int, ...], gen(1), Err((R, "tuple_type"))),
    (bool, Decimal(1), Err((R, "bool_type"))),
    (bool, b"true", Err((R, "bool_type"))),
]

JSON: list[tuple[Any, str, Any]] = [
    (Level, '"2"', Level.HIGH),
    (Level, '" 2"', Level.HIGH),
    (Level, '"2.0"', Level.HIGH),
    (Level, '"x"', Err((R, "enum"))),
    (Ratio, '"1.5"', Ratio.HALF),
]


def _id(row: tuple[Any, ...]) -> str:
    return f"{getattr(row[0], '__name__', row[0])}-{row[1]!r}"[:60]


@pytest.mark.parametrize(("annotation", "value", "expected"), PYTHON, ids=[_id(r) for r in PYTHON])
def test_python_path(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected)


@pytest.mark.parametrize(("annotation", "value", "expected"), STRICT, ids=[_id(r) for r in STRICT])
def test_strict_mode_keeps_refusing(core: Any, annotation: Any, value: Any, expected: Any) -> None:
    run_row(core, annotation, "python", value, expected, strict=True)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("annotation", "value", "expected"), JSON, ids=[_id(r) for r in JSON])
def test_json_paths(core: Any, annotation: Any, path: str, value: str, expected: Any) -> None:
    run_row(core, annotation, path, value, expected)


@pytest.mark.parametrize("path", JSON_PATHS)
def test_strict_json_takes_no_enum_text(core: Any, path: str) -> None:
    run_row(core, Level, path, '"2"', Err((R, "enum")), strict=True)
    run_row(core, Level, path, "2", Level.HIGH, strict=True)


def test_iteration_error_reports_the_exception() -> None:
    def broken() -> Any:
        yield 1
        raise RuntimeError("boom")

    with pytest.raises(ValidationError) as caught:
        TypeAdapter(list[int]).validate_python(broken())
    [line] = caught.value.errors()
    assert line["type"] == "iteration_error"
    assert line["loc"] == (1,)
    assert line["ctx"] == {"error": "RuntimeError: boom"}
    assert line["msg"] == "Error iterating over object, error: RuntimeError: boom"


class _Hostile:
    """An object whose iteration and attributes raise: a typed error, never a crash."""

    def __iter__(self) -> Any:
        raise KeyError("no")

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(name)


class _HostileDecimal(Decimal):
    def is_finite(self) -> bool:
        raise RuntimeError("lies")


@pytest.mark.parametrize(
    ("annotation", "value", "error_type"),
    [
        (list[int], _Hostile(), "list_type"),
        (set[int], _Hostile(), "set_type"),
        (bool, _HostileDecimal(1), "bool_type"),
    ],
    ids=["list", "set", "bool"],
)
def test_hostile_inputs_are_typed_errors(
    core: Any, annotation: Any, value: Any, error_type: str
) -> None:
    run_row(core, annotation, "python", value, Err((R, error_type)))
