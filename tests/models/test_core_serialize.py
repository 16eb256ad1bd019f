"""Serialisation tables: ``to_python`` (python and json modes) and ``to_json``
(docs/validation.md, "Serialisation")."""

from __future__ import annotations

import enum
import json
import math
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from cores import field, make_model, make_validator, same

from ferrule.errors import JSONError, ValidationError
from ferrule.models import schema as s

U = "12345678-1234-5678-1234-567812345678"
INT = s.int_schema()
STR = s.str_schema()


class Color(enum.Enum):
    RED = "red"


Inner = make_model("Inner", [field("n", INT), field("secret", STR, default="x", exclude=True)])
Outer = make_model(
    "Outer",
    [
        field("name", STR, alias="fullName"),
        field("inner", s.nullable_schema(s.model_ref_schema(Inner)), default=None),
        field(
            "items", s.collection_schema("list", s.model_ref_schema(Inner)), default_factory=list
        ),
        field("note", s.nullable_schema(STR), default=None),
        field("tags", s.collection_schema("set", STR), default_factory=set),
    ],
)
Extra = make_model("Extra", [field("a", INT)], extra="allow")


# (value, to_python(mode="python"), to_python(mode="json"), to_json())
LEAVES: list[Any] = [
    (1, 1, 1, b"1"),
    (True, True, True, b"true"),
    (None, None, None, b"null"),
    (1.5, 1.5, 1.5, b"1.5"),
    (0.1, 0.1, 0.1, b"0.1"),
    (1e100, 1e100, 1e100, b"1e+100"),
    (math.nan, math.nan, None, b"null"),
    (-math.inf, -math.inf, None, b"null"),
    ("żółw", "żółw", "żółw", '"żółw"'.encode()),
    ('a"\n', 'a"\n', 'a"\n', b'"a\\"\\n"'),
    (b"abc", b"abc", "abc", b'"abc"'),
    (Decimal("1.10"), Decimal("1.10"), "1.10", b'"1.10"'),
    (UUID(U), UUID(U), U, f'"{U}"'.encode()),
    (Color.RED, Color.RED, "red", b'"red"'),
    (date(2024, 1, 2), date(2024, 1, 2), "2024-01-02", b'"2024-01-02"'),
    (time(1, 2, 3, 4), time(1, 2, 3, 4), "01:02:03.000004", b'"01:02:03.000004"'),
    (
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "2024-01-02T03:04:05Z",
        b'"2024-01-02T03:04:05Z"',
    ),
    (
        timedelta(days=1, hours=2, minutes=3, seconds=4.5),
        timedelta(days=1, hours=2, minutes=3, seconds=4.5),
        "P1DT2H3M4.5S",
        b'"P1DT2H3M4.5S"',
    ),
    (timedelta(0), timedelta(0), "PT0S", b'"PT0S"'),
    (timedelta(days=3), timedelta(days=3), "P3D", b'"P3D"'),
    (timedelta(days=365), timedelta(days=365), "P1Y", b'"P1Y"'),
    (timedelta(days=400, seconds=1), timedelta(days=400, seconds=1), "P1Y35DT1S", b'"P1Y35DT1S"'),
    (timedelta(days=-366), timedelta(days=-366), "-P1Y1D", b'"-P1Y1D"'),
    (
        timedelta(hours=1, microseconds=500000),
        timedelta(hours=1, microseconds=500000),
        "PT1H0.5S",
        b'"PT1H0.5S"',
    ),
    (timedelta(minutes=1), timedelta(minutes=1), "PT1M", b'"PT1M"'),
    (timedelta(seconds=-1), timedelta(seconds=-1), "-PT1S", b'"-PT1S"'),
    (timedelta(days=-1, hours=-2), timedelta(days=-1, hours=-2), "-P1DT2H", b'"-P1DT2H"'),
    (timedelta(microseconds=10), timedelta(microseconds=10), "PT0.00001S", b'"PT0.00001S"'),
    ([1, (2, 3)], [1, (2, 3)], [1, [2, 3]], b"[1,[2,3]]"),
    ((1,), (1,), [1], b"[1]"),
    ({1}, {1}, [1], b"[1]"),
    (frozenset({"a"}), frozenset({"a"}), ["a"], b'["a"]'),
    ({"a": [1]}, {"a": [1]}, {"a": [1]}, b'{"a":[1]}'),
]


@pytest.mark.parametrize(("value", "python", "json_data", "text"), LEAVES)
def test_any_values(core: Any, value: Any, python: Any, json_data: Any, text: Any) -> None:
    validator = make_validator(core, s.any_schema())
    assert same(validator.to_python(value), python)
    assert same(validator.to_python(value, mode="json"), json_data)
    assert validator.to_json(value) == text


def test_dict_keys_in_json_mode(core: Any) -> None:
    validator = make_validator(core, s.any_schema())
    data = {2: "a", None: 2, True: 3, 1.5: 4, Color.RED: 5}
    expected = {"2": "a", "null": 2, "true": 3, "1.5": 4, "red": 5}
    assert validator.to_python(data, mode="json") == expected
    assert json.loads(validator.to_json(data)) == expected
    assert validator.to_python(data) == data


def _outer(core: Any) -> Any:
    validator = make_validator(core, Outer.__ferrule_schema__)  # type: ignore[attr-defined]
    instance = validator.validate_python(
        {"fullName": "Ann", "inner": {"n": 1}, "items": [{"n": 2, "secret": "s"}], "tags": ["t"]}
    )
    return validator, instance


def test_model_to_python(core: Any) -> None:
    validator, instance = _outer(core)
    expected = {"name": "Ann", "inner": {"n": 1}, "items": [{"n": 2}], "note": None, "tags": {"t"}}
    assert validator.to_python(instance) == expected
    assert validator.to_python(instance, mode="json") == {**expected, "tags": ["t"]}
    assert validator.to_python(instance, by_alias=True)["fullName"] == "Ann"
    assert "note" not in validator.to_python(instance, exclude_none=True)
    assert validator.to_python(instance, include={"name", "note"}) == {"name": "Ann", "note": None}
    assert set(validator.to_python(instance, exclude={"items", "tags"})) == {
        "name",
        "inner",
        "note",
    }


def test_model_to_json(core: Any) -> None:
    validator, instance = _outer(core)
    assert validator.to_json(instance) == (
        b'{"name":"Ann","inner":{"n":1},"items":[{"n":2}],"note":null,"tags":["t"]}'
    )
    assert validator.to_json(
        instance, by_alias=True, exclude_none=True, exclude={"items", "tags"}
    ) == (b'{"fullName":"Ann","inner":{"n":1}}')
    assert validator.to_json(instance, include={"name"}, indent=2) == b'{\n  "name": "Ann"\n}'


def test_exclude_none_applies_to_nested_models(core: Any) -> None:
    Maybe = make_model("Maybe", [field("x", s.nullable_schema(INT), default=None)])
    Holder = make_model("Holder", [field("m", s.model_ref_schema(Maybe))])
    validator = make_validator(core, Holder.__ferrule_schema__)  # type: ignore[attr-defined]
    instance = validator.validate_python({"m": {}})
    assert validator.to_python(instance, exclude_none=True) == {"m": {}}
    assert validator.to_python(instance) == {"m": {"x": None}}


def test_extra_fields_are_serialised(core: Any) -> None:
    validator = make_validator(core, Extra.__ferrule_schema__)  # type: ignore[attr-defined]
    instance = validator.validate_python({"a": 1, "b": {"c": b"d"}})
    assert validator.to_python(instance) == {"a": 1, "b": {"c": b"d"}}
    assert validator.to_json(instance) == b'{"a":1,"b":{"c":"d"}}'


def test_round_trip_through_json(core: Any) -> None:
    validator, instance = _outer(core)
    again = validator.validate_json(validator.to_json(instance, by_alias=True))
    assert validator.to_python(again) == validator.to_python(instance)


def test_containers_are_copied(core: Any) -> None:
    validator = make_validator(core, s.collection_schema("list", INT))
    data = [1, 2]
    out = validator.to_python(data)
    assert out == data
    assert out is not data


def test_unserialisable_values_in_json_mode(core: Any) -> None:
    validator = make_validator(core, s.any_schema())
    marker = object()
    assert validator.to_python(marker) is marker
    with pytest.raises(JSONError):
        validator.to_json(marker)
    with pytest.raises(JSONError):
        validator.to_json(b"\xff")
    with pytest.raises(JSONError):
        validator.to_json({(1, 2): "tuple keys"})
    with pytest.raises(JSONError):
        validator.to_python(memoryview(b"x"), mode="json")
    assert validator.to_python("\ud800", mode="json") == "\ud800"
    assert validator.to_json(["\ud800"]) == b'["\\ud800"]'
    deep: Any = 1
    for _ in range(255):
        deep = [deep]
    assert validator.to_json(deep) == b"[" * 255 + b"1" + b"]" * 255
    with pytest.raises(JSONError):
        validator.to_json([deep])
    with pytest.raises(JSONError):
        validator.to_python([deep])
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    with pytest.raises(JSONError):
        validator.to_json(cyclic)


def test_big_ints_are_written_in_full(core: Any) -> None:
    big = 10**5000
    validator = make_validator(core, s.any_schema())
    assert validator.to_json([big, -big]) == b"[1" + b"0" * 5000 + b",-1" + b"0" * 5000 + b"]"
    assert validator.to_json({"a": big}, indent=1) == b'{\n "a": 1' + b"0" * 5000 + b"\n}"
    assert validator.validate_json(b"1" + b"0" * 4299) == 10**4299


@pytest.mark.parametrize(
    "text",
    [b"1" + b"0" * 4300, b"-1" + b"0" * 4299, b"[1" + b"0" * 5000 + b".5]"],
)
def test_json_numbers_longer_than_4300_characters_are_invalid(core: Any, text: bytes) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, s.any_schema()).validate_json(text)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((), "json_invalid")]
