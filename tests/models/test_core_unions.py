"""Conformance tables for unions: pydantic's smart mode (docs/validation.md, "Nullable, union").

Each choice is validated once, in the union's mode; an exact type match wins at once, else the
success that needed the least conversion (valid in strict mode beats lax-only), then the model
that took more fields from the input, then the leftmost. Every expected value was recorded from
pydantic 2.14; error locations use ferrule's choice tags (``list``, ``literal``, the model name).
The JSON table runs through the JSON tree and the streaming reader, on both cores.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from cores import CORES, Err, field, make_model
from paths import JSON_PATHS, assert_outcome, outcome

from ferrule import Model
from ferrule.models import schema as s

E = Err
U = "12345678-1234-5678-1234-567812345678"
QU = f'"{U}"'
INT = s.int_schema()
FLOAT = s.float_schema()
STR = s.str_schema()
DEC = s.decimal_schema()
BOOL = s.bool_schema()
BYTES = s.bytes_schema()
DATETIME = s.datetime_schema()
DATE = s.date_schema()
UUID_ = s.uuid_schema()
ANY = s.any_schema()
LIT_AB = s.literal_schema(["a", "b"])
TUP = s.tuple_schema([INT], variadic=True)
TUP_FLOAT = s.tuple_schema([FLOAT], variadic=True)
TUP_ANY = s.tuple_schema([ANY], variadic=True)


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    LOW = 1


ENUM = s.enum_schema(Color)
INTENUM = s.enum_schema(Level)
A = make_model("A", [field("a", INT)])
B = make_model("B", [field("a", INT), field("b", INT, default=0)])


def union(*choices: Any, strict: bool = False) -> Any:
    return s.union_schema(list(choices), strict=strict)


def lst(items: Any) -> Any:
    return s.collection_schema("list", items)


def dct(values: Any) -> Any:
    return s.dict_schema(STR, values)


def ref(cls: type) -> Any:
    return s.model_ref_schema(cls)


def inst(cls: type, **values: Any) -> Any:
    """An instance of a table model, for comparison with `same`."""
    instance = object.__new__(cls)
    for name, value in values.items():
        setattr(instance, name, value)
    for spec in cls.__ferrule_schema__["fields"]:  # type: ignore[attr-defined]
        if spec["name"] not in values:
            setattr(instance, spec["name"], spec["default"])
    return instance


PYTHON: list[Any] = [
    # Any: a strict match, except that pydantic looks at no item of a list[Any]
    (union(lst(FLOAT), lst(ANY)), [1], [1]),
    (union(lst(ANY), lst(FLOAT)), [1], [1]),
    (union(TUP_FLOAT, TUP_ANY), (1,), (1.0,)),
    (union(s.collection_schema("set", FLOAT), s.collection_schema("set", ANY)), {1}, {1.0}),
    (union(dct(FLOAT), dct(ANY)), {"a": 1}, {"a": 1.0}),
    (union(INT, FLOAT), 1, 1),
    (union(INT, FLOAT), 1.0, 1.0),
    (union(INT, FLOAT), 1.5, 1.5),
    (union(INT, FLOAT), "1", 1),
    (union(INT, FLOAT), "1.5", 1.5),
    (union(INT, FLOAT), True, 1),
    (union(INT, FLOAT), 1000000000000000000000000000000, 1000000000000000000000000000000),
    (union(INT, FLOAT), -7, -7),
    (union(FLOAT, INT), 1, 1),
    (union(FLOAT, INT), 1.0, 1.0),
    (union(FLOAT, INT), 1.5, 1.5),
    (union(FLOAT, INT), "1", 1.0),
    (union(FLOAT, INT), "1.5", 1.5),
    (union(FLOAT, INT), True, 1.0),
    (union(FLOAT, INT), 1000000000000000000000000000000, 1000000000000000000000000000000),
    (union(FLOAT, INT), -7, -7),
    (union(INT, STR), 1, 1),
    (union(INT, STR), "1", "1"),
    (union(INT, STR), 1.5, E((("int",), "int_from_float"), (("str",), "string_type"))),
    (union(INT, STR), True, 1),
    (union(INT, STR), b"1", 1),
    (union(INT, STR), None, E((("int",), "int_type"), (("str",), "string_type"))),
    (union(STR, INT), 1, 1),
    (union(STR, INT), "1", "1"),
    (union(STR, INT), 1.5, E((("str",), "string_type"), (("int",), "int_from_float"))),
    (union(STR, INT), True, 1),
    (union(STR, INT), b"1", "1"),
    (union(DEC, FLOAT), 1, 1.0),
    (union(DEC, FLOAT), 1.5, 1.5),
    (union(DEC, FLOAT), "1.5", Decimal("1.5")),
    (union(DEC, FLOAT), Decimal("1.5"), Decimal("1.5")),
    (union(DEC, FLOAT), True, 1.0),
    (union(FLOAT, DEC), 1, 1.0),
    (union(FLOAT, DEC), 1.5, 1.5),
    (union(FLOAT, DEC), "1.5", 1.5),
    (union(FLOAT, DEC), Decimal("1.5"), Decimal("1.5")),
    (union(FLOAT, DEC), True, 1.0),
    (union(DEC, INT), 1, 1),
    (union(DEC, INT), "1", Decimal("1")),
    (union(DEC, INT), 1.0, Decimal("1.0")),
    (union(DEC, INT), 1.5, Decimal("1.5")),
    (union(DEC, INT), Decimal("1"), Decimal("1")),
    (union(INT, DEC), 1, 1),
    (union(INT, DEC), "1", 1),
    (union(INT, DEC), 1.0, 1),
    (union(INT, DEC), 1.5, Decimal("1.5")),
    (union(INT, DEC), Decimal("1"), Decimal("1")),
    (union(INT, DEC), "1.5", Decimal("1.5")),
    (union(BOOL, INT), 1, 1),
    (union(BOOL, INT), 0, 0),
    (union(BOOL, INT), True, True),
    (union(BOOL, INT), 2, 2),
    (union(BOOL, INT), "1", True),
    (union(BOOL, INT), "true", True),
    (union(BOOL, INT), 1.0, True),
    (union(INT, BOOL), 1, 1),
    (union(INT, BOOL), True, True),
    (union(INT, BOOL), "1", 1),
    (union(INT, BOOL), "true", True),
    (union(INT, BOOL), 1.0, 1),
    (union(FLOAT, STR), 1, 1.0),
    (union(FLOAT, STR), "1", "1"),
    (union(FLOAT, STR), 1.5, 1.5),
    (union(DATETIME, STR), "2020-01-01T00:00:00", "2020-01-01T00:00:00"),
    (union(DATETIME, STR), datetime(2020, 1, 1, 0, 0), datetime(2020, 1, 1, 0, 0)),
    (union(DATETIME, STR), 0, datetime(1970, 1, 1, 0, 0, tzinfo=timezone.utc)),
    (union(DATETIME, STR), "x", "x"),
    (union(STR, DATETIME), "2020-01-01T00:00:00", "2020-01-01T00:00:00"),
    (union(STR, DATETIME), datetime(2020, 1, 1, 0, 0), datetime(2020, 1, 1, 0, 0)),
    (union(STR, DATETIME), 0, datetime(1970, 1, 1, 0, 0, tzinfo=timezone.utc)),
    (union(DATE, DATETIME), datetime(2020, 1, 1, 0, 0), datetime(2020, 1, 1, 0, 0)),
    (union(DATE, DATETIME), date(2020, 1, 1), date(2020, 1, 1)),
    (union(DATE, DATETIME), "2020-01-01", date(2020, 1, 1)),
    (union(DATETIME, DATE), datetime(2020, 1, 1, 0, 0), datetime(2020, 1, 1, 0, 0)),
    (union(DATETIME, DATE), date(2020, 1, 1), date(2020, 1, 1)),
    (union(DATETIME, DATE), "2020-01-01", datetime(2020, 1, 1, 0, 0)),
    (union(UUID_, STR), U, U),
    (union(UUID_, STR), UUID(U), UUID(U)),
    (union(UUID_, STR), "x", "x"),
    (union(STR, UUID_), U, U),
    (union(STR, UUID_), UUID(U), UUID(U)),
    (union(BYTES, STR), "a", "a"),
    (union(BYTES, STR), b"a", b"a"),
    (union(STR, BYTES), "a", "a"),
    (union(STR, BYTES), b"a", b"a"),
    (union(lst(INT), lst(STR)), ["1"], ["1"]),
    (union(lst(INT), lst(STR)), [1], [1]),
    (union(lst(INT), lst(STR)), [], []),
    (union(lst(INT), lst(STR)), (1,), [1]),
    (union(lst(INT), lst(STR)), ("1",), [1]),
    (
        union(lst(INT), lst(STR)),
        [1, "a"],
        E((("list", 1), "int_parsing"), (("list", 0), "string_type")),
    ),
    (union(lst(STR), lst(INT)), ["1"], ["1"]),
    (union(lst(STR), lst(INT)), [1], [1]),
    (union(lst(STR), lst(INT)), (1,), [1]),
    (union(TUP, lst(INT)), [1], [1]),
    (union(TUP, lst(INT)), (1,), (1,)),
    (union(lst(INT), TUP), [1], [1]),
    (union(lst(INT), TUP), (1,), (1,)),
    (union(lst(INT), TUP), {1}, [1]),
    (union(dct(INT), dct(STR)), {"a": "1"}, {"a": "1"}),
    (union(dct(INT), dct(STR)), {"a": 1}, {"a": 1}),
    (union(ref(A), ref(B)), {"a": 1}, inst(A, a=1)),
    (union(ref(A), ref(B)), {"a": 1, "b": 2}, inst(B, a=1, b=2)),
    (union(ref(A), ref(B)), {"a": "1", "b": 2}, inst(B, a=1, b=2)),
    (union(ref(A), ref(B)), {"b": 1}, E((("A", "a"), "missing"), (("B", "a"), "missing"))),
    (union(ref(B), ref(A)), {"a": 1}, inst(B, a=1, b=0)),
    (union(ref(B), ref(A)), {"a": 1, "b": 2}, inst(B, a=1, b=2)),
    (union(LIT_AB, INT), "a", "a"),
    (union(LIT_AB, INT), "1", 1),
    (union(LIT_AB, INT), 1, 1),
    (union(LIT_AB, INT), "c", E((("literal",), "literal_error"), (("int",), "int_parsing"))),
    (union(INT, LIT_AB), "a", "a"),
    (union(INT, LIT_AB), 1, 1),
    (union(ENUM, STR), "red", "red"),
    (union(ENUM, STR), Color.RED, Color.RED),
    (union(STR, ENUM), "red", "red"),
    (union(STR, ENUM), Color.RED, Color.RED),
    (union(INTENUM, INT), 1, 1),
    (union(INTENUM, INT), Level.LOW, Level.LOW),
    (union(ANY, INT), 1, 1),
    (union(ANY, INT), "1", "1"),
    (union(INT, ANY), 1, 1),
    (union(INT, ANY), "1", "1"),
    (s.nullable_schema(INT), None, None),
    (s.nullable_schema(INT), 1, 1),
    (s.nullable_schema(INT), "1", 1),
    (s.nullable_schema(union(INT, FLOAT)), None, None),
    (s.nullable_schema(union(INT, FLOAT)), 1, 1),
    (s.nullable_schema(union(INT, FLOAT)), 1.5, 1.5),
    (s.nullable_schema(union(INT, FLOAT)), "1", 1),
    (s.nullable_schema(union(FLOAT, INT)), None, None),
    (s.nullable_schema(union(FLOAT, INT)), 1, 1),
    (s.nullable_schema(union(FLOAT, INT)), 1.5, 1.5),
    (s.nullable_schema(union(FLOAT, INT)), "1", 1.0),
    (lst(union(FLOAT, INT)), [1, 1.5, "2"], [1, 1.5, 2.0]),
    (union(INT, union(FLOAT, STR)), 1.0, 1.0),
    (union(INT, union(FLOAT, STR)), "x", "x"),
    (union(INT, FLOAT, strict=True), 1, 1),
    (union(INT, FLOAT, strict=True), 1.0, 1.0),
    (union(INT, FLOAT, strict=True), "1", E((("int",), "int_type"), (("float",), "float_type"))),
    (union(FLOAT, INT, strict=True), 1, 1),
    (union(FLOAT, INT, strict=True), True, E((("float",), "float_type"), (("int",), "int_type"))),
]

JSON: list[Any] = [
    # a nullable choice is located by the schema it wraps
    (
        union(s.nullable_schema(INT), STR),
        "[1]",
        E((("int",), "int_type"), (("str",), "string_type")),
    ),
    (union(lst(FLOAT), lst(ANY)), "[1]", [1]),
    (union(TUP_FLOAT, TUP_ANY), "[1]", (1.0,)),
    (union(s.collection_schema("set", FLOAT), s.collection_schema("set", ANY)), "[1]", {1.0}),
    (union(dct(FLOAT), dct(ANY)), '{"a": 1}', {"a": 1.0}),
    (union(INT, FLOAT), "1", 1),
    (union(INT, FLOAT), "1.0", 1.0),
    (union(INT, FLOAT), "1.5", 1.5),
    (union(INT, FLOAT), '"1"', 1),
    (union(INT, FLOAT), '"1.5"', 1.5),
    (union(INT, FLOAT), "true", 1),
    (union(INT, FLOAT), "1e2", 100.0),
    (union(INT, FLOAT), "1000000000000000000000000000000", 1000000000000000000000000000000),
    (union(FLOAT, INT), "1", 1),
    (union(FLOAT, INT), "1.0", 1.0),
    (union(FLOAT, INT), "1.5", 1.5),
    (union(FLOAT, INT), '"1"', 1.0),
    (union(FLOAT, INT), '"1.5"', 1.5),
    (union(FLOAT, INT), "true", 1.0),
    (union(FLOAT, INT), "1e2", 100.0),
    (union(FLOAT, INT), "1000000000000000000000000000000", 1000000000000000000000000000000),
    (union(INT, STR), "1", 1),
    (union(INT, STR), '"1"', "1"),
    (union(INT, STR), "1.5", E((("int",), "int_from_float"), (("str",), "string_type"))),
    (union(INT, STR), "true", 1),
    (union(INT, STR), "null", E((("int",), "int_type"), (("str",), "string_type"))),
    (union(STR, INT), "1", 1),
    (union(STR, INT), '"1"', "1"),
    (union(STR, INT), "1.5", E((("str",), "string_type"), (("int",), "int_from_float"))),
    (union(STR, INT), "true", 1),
    (union(DEC, FLOAT), "1", Decimal("1")),
    (union(DEC, FLOAT), "1.5", 1.5),
    (union(DEC, FLOAT), '"1.5"', Decimal("1.5")),
    (union(DEC, FLOAT), "true", 1.0),
    (
        union(DEC, FLOAT),
        "1000000000000000000000000000000",
        Decimal("1000000000000000000000000000000"),
    ),
    (union(FLOAT, DEC), "1", 1.0),
    (union(FLOAT, DEC), "1.5", 1.5),
    (union(FLOAT, DEC), '"1.5"', Decimal("1.5")),
    (union(FLOAT, DEC), "true", 1.0),
    (union(DEC, INT), "1", 1),
    (union(DEC, INT), '"1"', Decimal("1")),
    (union(DEC, INT), "1.0", Decimal("1")),
    (union(DEC, INT), "1.5", Decimal("1.5")),
    (union(INT, DEC), "1", 1),
    (union(INT, DEC), '"1"', Decimal("1")),
    (union(INT, DEC), "1.0", Decimal("1")),
    (union(INT, DEC), "1.5", Decimal("1.5")),
    (union(INT, DEC), '"1.5"', Decimal("1.5")),
    (union(BOOL, INT), "1", 1),
    (union(BOOL, INT), "0", 0),
    (union(BOOL, INT), "true", True),
    (union(BOOL, INT), "2", 2),
    (union(BOOL, INT), '"1"', True),
    (union(BOOL, INT), '"true"', True),
    (union(BOOL, INT), "1.0", True),
    (union(INT, BOOL), "1", 1),
    (union(INT, BOOL), "true", True),
    (union(INT, BOOL), '"1"', 1),
    (union(INT, BOOL), '"true"', True),
    (union(INT, BOOL), "1.0", 1),
    (union(FLOAT, STR), "1", 1.0),
    (union(FLOAT, STR), '"1"', "1"),
    (union(DATETIME, STR), '"2020-01-01T00:00:00"', datetime(2020, 1, 1, 0, 0)),
    (union(DATETIME, STR), "0", datetime(1970, 1, 1, 0, 0, tzinfo=timezone.utc)),
    (union(DATETIME, STR), '"x"', "x"),
    (union(STR, DATETIME), '"2020-01-01T00:00:00"', "2020-01-01T00:00:00"),
    (union(STR, DATETIME), "0", datetime(1970, 1, 1, 0, 0, tzinfo=timezone.utc)),
    (union(DATE, DATETIME), '"2020-01-01"', date(2020, 1, 1)),
    (union(DATE, DATETIME), '"2020-01-01T00:00:00"', datetime(2020, 1, 1, 0, 0)),
    (union(DATETIME, DATE), '"2020-01-01"', date(2020, 1, 1)),
    (union(DATETIME, DATE), '"2020-01-01T00:00:00"', datetime(2020, 1, 1, 0, 0)),
    (union(UUID_, STR), QU, UUID(U)),
    (union(UUID_, STR), '"x"', "x"),
    (union(STR, UUID_), QU, UUID(U)),
    (union(BYTES, STR), '"a"', b"a"),
    (union(STR, BYTES), '"a"', "a"),
    (union(lst(INT), lst(STR)), '["1"]', ["1"]),
    (union(lst(INT), lst(STR)), "[1]", [1]),
    (union(lst(INT), lst(STR)), "[]", []),
    (
        union(lst(INT), lst(STR)),
        '[1, "a"]',
        E((("list", 1), "int_parsing"), (("list", 0), "string_type")),
    ),
    (union(lst(STR), lst(INT)), '["1"]', ["1"]),
    (union(lst(STR), lst(INT)), "[1]", [1]),
    (union(TUP, lst(INT)), "[1]", [1]),
    (union(lst(INT), TUP), "[1]", [1]),
    (union(dct(INT), dct(STR)), '{"a": "1"}', {"a": "1"}),
    (union(dct(INT), dct(STR)), '{"a": 1}', {"a": 1}),
    (union(ref(A), ref(B)), '{"a": 1}', inst(A, a=1)),
    (union(ref(A), ref(B)), '{"a": 1, "b": 2}', inst(B, a=1, b=2)),
    (union(ref(A), ref(B)), '{"a": "1", "b": 2}', inst(B, a=1, b=2)),
    (union(ref(A), ref(B)), '{"b": 1}', E((("A", "a"), "missing"), (("B", "a"), "missing"))),
    (union(ref(B), ref(A)), '{"a": 1}', inst(B, a=1, b=0)),
    (union(ref(B), ref(A)), '{"a": 1, "b": 2}', inst(B, a=1, b=2)),
    (union(LIT_AB, INT), '"a"', "a"),
    (union(LIT_AB, INT), '"1"', 1),
    (union(LIT_AB, INT), "1", 1),
    (union(LIT_AB, INT), '"c"', E((("literal",), "literal_error"), (("int",), "int_parsing"))),
    (union(INT, LIT_AB), '"a"', "a"),
    (union(INT, LIT_AB), "1", 1),
    (union(ENUM, STR), '"red"', "red"),
    (union(STR, ENUM), '"red"', "red"),
    (union(INTENUM, INT), "1", 1),
    (union(ANY, INT), "1", 1),
    (union(ANY, INT), '"1"', "1"),
    (union(INT, ANY), "1", 1),
    (union(INT, ANY), '"1"', "1"),
    (s.nullable_schema(INT), "null", None),
    (s.nullable_schema(INT), "1", 1),
    (s.nullable_schema(INT), '"1"', 1),
    (s.nullable_schema(union(INT, FLOAT)), "null", None),
    (s.nullable_schema(union(INT, FLOAT)), "1", 1),
    (s.nullable_schema(union(INT, FLOAT)), "1.5", 1.5),
    (s.nullable_schema(union(INT, FLOAT)), '"1"', 1),
    (s.nullable_schema(union(FLOAT, INT)), "null", None),
    (s.nullable_schema(union(FLOAT, INT)), "1", 1),
    (s.nullable_schema(union(FLOAT, INT)), "1.5", 1.5),
    (s.nullable_schema(union(FLOAT, INT)), '"1"', 1.0),
    (lst(union(FLOAT, INT)), '[1, 1.5, "2"]', [1, 1.5, 2.0]),
    (union(INT, union(FLOAT, STR)), "1.0", 1.0),
    (union(INT, union(FLOAT, STR)), '"x"', "x"),
    (union(INT, FLOAT, strict=True), "1", 1),
    (union(INT, FLOAT, strict=True), "1.0", 1.0),
    (union(INT, FLOAT, strict=True), '"1"', E((("int",), "int_type"), (("float",), "float_type"))),
    (union(FLOAT, INT, strict=True), "1", 1),
    (union(FLOAT, INT, strict=True), "true", E((("float",), "float_type"), (("int",), "int_type"))),
]


def _id(case: Any) -> str:
    schema = case[0]
    tags = [c.get("type") for c in schema.get("choices", [])] or [schema["type"]]
    return "|".join(str(t) for t in tags)


@pytest.mark.parametrize(("schema", "value", "expected"), PYTHON, ids=[_id(c) for c in PYTHON])
def test_python(core: Any, schema: Any, value: Any, expected: Any) -> None:
    assert_outcome(outcome(core, schema, "python", value), expected)


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("schema", "text", "expected"), JSON, ids=[_id(c) for c in JSON])
def test_json(core: Any, path: str, schema: Any, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, schema, path, text), expected)


class Reading(Model):
    value: float | int
    amount: Decimal | float


ISSUE_CASES: list[Any] = [
    ({"value": 1, "amount": 1}, (1, 1.0)),
    ({"value": 10**30, "amount": "1.5"}, (10**30, Decimal("1.5"))),
    ('{"value": 1, "amount": 1}', (1, Decimal(1))),
    ('{"value": 1000000000000000000000000000000, "amount": 1.5}', (10**30, 1.5)),
]


@pytest.mark.parametrize(("data", "expected"), ISSUE_CASES)
def test_model_unions_keep_values(data: Any, expected: tuple[Any, Any]) -> None:
    """The issue's examples on a `Model` (validated by the process's core; JSON streams)."""
    if isinstance(data, str):
        reading = Reading.model_validate_json(data)
    else:
        reading = Reading.model_validate(data)
    got = (reading.value, reading.amount)
    assert [type(v) for v in got] == [type(v) for v in expected]
    assert got == expected


# --- the two cores agree on every pair of choices -------------------------------------------

PAIR_CHOICES: list[Any] = [
    INT,
    FLOAT,
    STR,
    BOOL,
    DEC,
    BYTES,
    DATETIME,
    DATE,
    UUID_,
    ENUM,
    LIT_AB,
    ANY,
    lst(INT),
    lst(STR),
    TUP,
    dct(INT),
    ref(A),
    ref(B),
    s.nullable_schema(INT),
    s.int_schema(strict=True),
]
PAIR_INPUTS: list[Any] = [
    1,
    1.0,
    1.5,
    "1",
    "a",
    "red",
    True,
    None,
    b"1",
    Decimal("1.5"),
    [1],
    ["1"],
    (1,),
    {"a": 1, "b": 2},
    datetime(2020, 1, 1),
    "2020-01-01",
    U,
    10**30,
]


def _shown(result: tuple[str, Any]) -> Any:
    kind, value = result
    if kind == "err":
        return result
    schema = getattr(type(value), "__ferrule_schema__", None)
    if schema is not None:
        return kind, type(value), [repr(getattr(value, f["name"])) for f in schema["fields"]]
    return kind, type(value), repr(value)


def test_cores_agree_on_every_pair_of_choices() -> None:
    """A differential: every ordered pair of choices, Python input and JSON input (tree and
    streaming reader), the same value of the same type or the same errors from both cores."""
    differences = []
    for first in PAIR_CHOICES:
        for second in PAIR_CHOICES:
            if first is second:
                continue
            schema = union(first, second)
            for value in PAIR_INPUTS:
                runs = [("python", value)]
                if not isinstance(value, (bytes, Decimal, tuple, datetime)) and value != 10**30:
                    runs += [("json", json.dumps(value)), ("stream", json.dumps(value))]
                for path, data in runs:
                    got = [_shown(outcome(core, schema, path, data)) for core in CORES]
                    if got[0] != got[1]:
                        differences.append((first["type"], second["type"], path, data, got))
    assert differences == []
