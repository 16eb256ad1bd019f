"""Conformance tables for the number rules pydantic sets and ferrule follows (docs/validation.md):
the 4300-digit limit on integers, Decimal digit counting, and strict mode on JSON input. Every
expected value was recorded from pydantic 2.14 (where ferrule differs on purpose, the row says
why); each table runs on both cores and through the Python, JSON-tree and streaming paths."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from cores import Err, make_validator
from paths import JSON_PATHS, PATHS, assert_outcome, outcome

from ferrule.errors import ValidationError
from ferrule.models import schema as s

E = Err
R: tuple[Any, ...] = ()
U = "12345678-1234-5678-1234-567812345678"
INT = s.int_schema()
MANY = 1_000_000  # digits: a quadratic parse of this many takes many seconds

# --- int: more than 4300 digits -------------------------------------------------------------

NINES = int("9" * 4300)
SIZE = E((R, "int_parsing_size"))
PARSING = E((R, "int_parsing"))

# pydantic's rule: int_parsing_size when the text as given starts with an optional "-" and more
# than 4300 digits, the first not 0; any other text whose integer has more than 4300 significant
# digits is int_parsing (a sign "+", leading whitespace or zeros put it on that path).
INT_TEXT: list[Any] = [
    ("9" * 4300, NINES),
    ("-" + "9" * 4300, -NINES),
    ("+" + "9" * 4300, NINES),
    (" " + "9" * 4300 + " ", NINES),
    ("9" * 4300 + ".000", NINES),
    ("0" + "9" * 4300, NINES),
    ("-0" + "9" * 4300, -NINES),
    ("9" * 4301, SIZE),
    ("1" + "0" * 4300, SIZE),
    ("-" + "9" * 4301, SIZE),
    ("9" * 4301 + " ", SIZE),
    ("9" * 4301 + ".0", SIZE),
    ("9" * 4301 + ".5", SIZE),
    ("9" * 4301 + "x", SIZE),
    ("+" + "9" * 4301, PARSING),
    (" " + "9" * 4301, PARSING),
    ("\u00a0" + "9" * 4301, PARSING),
    ("0" + "9" * 4301, PARSING),
    ("-0" + "9" * 4301, PARSING),
    ("--" + "9" * 4301, PARSING),
    ("9" * MANY, SIZE),
    ("-" + "9" * MANY, SIZE),
    ("9" * MANY + ".0", SIZE),
    (" " + "9" * MANY, PARSING),
    ("+" + "9" * MANY, PARSING),
    ("0" * MANY, 0),
    ("0" * MANY + "7", 7),
    ("-" + "0" * MANY + "7.00", -7),
    (" " + "0" * MANY + "1" + "0" * 4299, 10**4299),
]


def _text_id(case: Any) -> str:
    text = case[0]
    return f"{text[:3]!r}..{text[-3:]!r}x{len(text)}"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("text", "expected"), INT_TEXT, ids=[_text_id(c) for c in INT_TEXT])
def test_int_from_long_text(core: Any, path: str, text: str, expected: Any) -> None:
    value = text if path == "python" else json.dumps(text)
    assert_outcome(outcome(core, INT, path, value), expected)


@pytest.mark.parametrize(
    ("text", "expected"), INT_TEXT[::4], ids=[_text_id(c) for c in INT_TEXT[::4]]
)
def test_int_from_long_bytes(core: Any, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, INT, "python", text.encode()), expected)


# A JSON number of more than 4300 characters before its fraction is invalid JSON (the reader's
# limit). ferrule's reader (jiter 0.10) counts the sign, so "-" and 4300 digits is invalid here
# while pydantic 2.14 (a newer jiter) reads it: not in this table.
INT_JSON_NUMBER: list[Any] = [
    ("9" * 4300, NINES),
    ("-" + "9" * 4299, -int("9" * 4299)),
    ("9" * 4301, E((R, "json_invalid"))),
    ("9" * 4301 + ".5", E((R, "json_invalid"))),
    ("9" * MANY, E((R, "json_invalid"))),
    ("9" * 4300 + ".0", E((R, "finite_number"))),
]


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(
    ("text", "expected"), INT_JSON_NUMBER, ids=[_text_id(c) for c in INT_JSON_NUMBER]
)
def test_int_from_long_json_number(core: Any, path: str, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, INT, path, text), expected)


# int(Decimal) is quadratic in the digits: more than 4300 is int_parsing_size (pydantic converts
# any size, taking seconds from about 10**5 digits).
INT_DECIMAL: list[Any] = [
    (Decimal("9" * 4300), NINES),
    (Decimal("-" + "9" * 4300 + ".000"), -NINES),
    (Decimal("1e4299"), 10**4299),
    (Decimal("9" * 4301), SIZE),
    (Decimal("1e4300"), SIZE),
    (Decimal("-1e4300"), SIZE),
    (Decimal("9" * MANY), SIZE),
    (Decimal("1e999999"), SIZE),
]


@pytest.mark.parametrize(("value", "expected"), INT_DECIMAL)
def test_int_from_long_decimal(core: Any, value: Decimal, expected: Any) -> None:
    assert_outcome(outcome(core, INT, "python", value), expected)


def test_int_parsing_size_error(core: Any) -> None:
    text = "9" * 4301
    with pytest.raises(ValidationError) as info:
        make_validator(core, INT).validate_python(text)
    [error] = info.value.errors()
    assert error["type"] == "int_parsing_size"
    assert error["msg"] == "Unable to parse input string as an integer, exceeded maximum size"
    assert "ctx" not in error
    assert error["input"] is text


# --- decimal: max_digits and decimal_places ---------------------------------------------------

# Digits and places are counted from the value as written and from it with trailing zeros
# removed; a limit fails only when both exceed it (pydantic). With both limits set, the digits
# before the point are limited to max_digits - decimal_places (decimal_whole_digits).
D = Decimal
MAX_D = "decimal_max_digits"
MAX_P = "decimal_max_places"
WHOLE = "decimal_whole_digits"


def dec(max_digits: int | None, places: int | None) -> Any:
    return s.decimal_schema(max_digits=max_digits, decimal_places=places)


DIGITS: list[Any] = [
    (dec(3, 1), "999", E((R, WHOLE))),
    (dec(3, 1), "99.9", D("99.9")),
    (dec(3, 1), "99.90", D("99.90")),
    (dec(3, 1), "00099.9", D("99.9")),
    (dec(3, 1), "-99.9", D("-99.9")),
    (dec(3, 1), "99", D("99")),
    (dec(3, 1), "100", E((R, WHOLE))),
    (dec(3, 1), "999.0", E((R, WHOLE))),
    (dec(3, 1), "1E+2", E((R, WHOLE))),
    (dec(3, 1), "0.01", E((R, MAX_P))),
    (dec(3, 1), "9.99", E((R, MAX_P))),
    (dec(3, 1), "1E+3", E((R, MAX_D), (R, WHOLE))),
    (dec(6, 2), "1111.700000", D("1111.700000")),
    (dec(6, 2), "1111.70", D("1111.70")),
    (dec(6, 2), "1.10E+3", D("1.10E+3")),
    (dec(6, 2), "1111.71", D("1111.71")),
    (dec(6, 2), "0.000000", D("0.000000")),
    (dec(6, 2), "11111.7", E((R, WHOLE))),
    (dec(6, 2), "111111", E((R, WHOLE))),
    (dec(6, 2), "1111.701", E((R, MAX_D), (R, MAX_P))),
    (dec(None, 2), "1.2300", D("1.2300")),
    (dec(None, 2), "100.000", D("100.000")),
    (dec(None, 2), "1.230E+1", D("12.30")),
    (dec(None, 2), "1.234", E((R, MAX_P))),
    (dec(None, 2), "1E-5", E((R, MAX_P))),
    (dec(3, None), "1.000", D("1.000")),
    (dec(3, None), "0.0010", D("0.0010")),
    (dec(3, None), "123.0", D("123.0")),
    (dec(3, None), "1000", E((R, MAX_D))),
    (dec(3, None), "1E+3", E((R, MAX_D))),
    (dec(3, None), "1000.0", E((R, MAX_D))),
    (dec(4, 2), "12.3400", D("12.3400")),
    (dec(4, 2), "123.4", E((R, WHOLE))),
    (dec(4, 2), "1.2E+3", E((R, WHOLE))),
    (dec(5, 0), "12345.0", D("12345.0")),
    (dec(5, 0), "1.2345E+4", D("12345")),
    (dec(5, 0), "0.5", E((R, MAX_P))),
    (dec(5, 0), "1.0E+5", E((R, MAX_D), (R, WHOLE))),
    (dec(2, 2), "0.99", D("0.99")),
    (dec(2, 2), "0.990", D("0.990")),
    (dec(2, 2), "0.000", D("0.000")),
    (dec(2, 2), "1", E((R, WHOLE))),
    (dec(2, 2), "0", E((R, WHOLE))),
    (dec(2, 2), "0.999", E((R, MAX_D), (R, MAX_P))),
    (dec(1, 0), "0.0", D("0.0")),
    (dec(2, None), "0E+5", D("0E+5")),
    (dec(2, 1), "-0.00", D("-0.00")),
    (dec(30, None), "1." + "0" * 40, D("1." + "0" * 40)),
    (dec(30, None), "1.2345678901234567890123456789012345", E((R, MAX_D))),
    (dec(2, None), "9" * 100, E((R, MAX_D))),
    (dec(2, None), "9" * MANY, E((R, MAX_D))),
    (dec(2, None), "1" + "0" * MANY, E((R, MAX_D))),
    (dec(None, 0), "1." + "0" * MANY, D("1." + "0" * MANY)),
]


def _dec_id(case: Any) -> str:
    schema, text, _ = case
    return f"{schema.get('max_digits')}-{schema.get('decimal_places')}-{text[:12]}"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("schema", "text", "expected"), DIGITS, ids=[_dec_id(c) for c in DIGITS])
def test_decimal_digits(core: Any, path: str, schema: Any, text: str, expected: Any) -> None:
    value = text if path == "python" else json.dumps(text)
    assert_outcome(outcome(core, schema, path, value), expected)


DIGITS_JSON_NUMBER: list[Any] = [
    (dec(6, 2), "1111.700000", D("1111.7")),
    (dec(3, 1), "999", E((R, WHOLE))),
    (dec(3, 1), "99.90", D("99.9")),
    (dec(3, None), "1000.0", E((R, MAX_D))),
    (dec(3, None), "100.0", D("100")),
    (dec(5, 2), "0.0010", E((R, MAX_P))),
]


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(
    ("schema", "text", "expected"), DIGITS_JSON_NUMBER, ids=[_dec_id(c) for c in DIGITS_JSON_NUMBER]
)
def test_decimal_digits_json_number(
    core: Any, path: str, schema: Any, text: str, expected: Any
) -> None:
    assert_outcome(outcome(core, schema, path, text), expected)


WHOLE_MESSAGES: list[Any] = [
    (
        dec(3, 1),
        "999",
        "Decimal input should have no more than 2 digits before the decimal point",
        2,
    ),
    (dec(2, 1), "11", "Decimal input should have no more than 1 digit before the decimal point", 1),
    (dec(2, 2), "1", "Decimal input should have no more than 0 digits before the decimal point", 0),
]


@pytest.mark.parametrize(("schema", "text", "message", "whole"), WHOLE_MESSAGES)
def test_decimal_whole_digits_error(
    core: Any, schema: Any, text: str, message: str, whole: int
) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(text)
    [error] = info.value.errors()
    assert (error["type"], error["msg"], error["ctx"]) == (WHOLE, message, {"whole_digits": whole})


# --- strict mode and JSON -------------------------------------------------------------------

STRICT_DEC = s.decimal_schema(strict=True)
STRICT_INT = s.int_schema(strict=True)


def dct(keys: Any, **kw: Any) -> Any:
    return s.dict_schema(keys, STRICT_INT, **kw)


# JSON input in strict mode: JSON numbers are Decimals (a float through its shortest repr, as
# pydantic: 100.0 is Decimal("100")); JSON object keys are always read in lax mode (pydantic).
STRICT_JSON: list[Any] = [
    (STRICT_DEC, "1", D("1")),
    (STRICT_DEC, "-2.50", D("-2.5")),
    (STRICT_DEC, '"1.50"', D("1.50")),
    (STRICT_DEC, "12345678901234567890123", D("12345678901234567890123")),
    (STRICT_DEC, "true", E((R, "decimal_type"))),
    (STRICT_DEC, "null", E((R, "decimal_type"))),
    (STRICT_DEC, "[1]", E((R, "decimal_type"))),
    (STRICT_DEC, "1e400", E((R, "finite_number"))),
    (s.decimal_schema(strict=True, gt=1), "1", E((R, "greater_than"))),
    (dct(STRICT_INT), '{"1": 2, "-3": 4}', {1: 2, -3: 4}),
    (dct(STRICT_INT), '{"x": 2}', E((("x", "[key]"), "int_parsing"))),
    (dct(STRICT_INT, strict=True), '{" 7 ": 2}', {7: 2}),
    (dct(s.float_schema(strict=True)), '{"1.5": 2}', {1.5: 2}),
    (dct(s.bool_schema(strict=True)), '{"true": 2, "0": 3}', {True: 2, False: 3}),
    (dct(s.decimal_schema(strict=True)), '{"1.50": 2}', {D("1.50"): 2}),
    (dct(s.str_schema(strict=True)), '{"a": 2}', {"a": 2}),
    (dct(s.uuid_schema(strict=True)), f'{{"{U}": 2}}', {UUID(U): 2}),
    (dct(s.union_schema([STRICT_INT, s.str_schema()], strict=True)), '{"1": 2}', {"1": 2}),
    (dct(s.literal_schema([1])), '{"1": 2}', E((("1", "[key]"), "literal_error"))),
    (dct(STRICT_INT), '{"1": "2"}', E((("1",), "int_type"))),
    (s.uuid_schema(strict=True), f'"{U}"', UUID(U)),
    (s.uuid_schema(strict=True), "1", E((R, "uuid_type"))),
    (s.bytes_schema(strict=True), '"ab"', b"ab"),
    (s.datetime_schema(strict=True), "1700000000", E((R, "datetime_type"))),
    (s.date_schema(strict=True), "0", E((R, "date_type"))),
    (s.time_schema(strict=True), "3600", E((R, "time_type"))),
    (s.timedelta_schema(strict=True), "1", E((R, "time_delta_type"))),
    (
        s.tuple_schema([STRICT_INT, s.str_schema(strict=True)], variadic=False, strict=True),
        '[1, "a"]',
        (1, "a"),
    ),
    (s.collection_schema("set", STRICT_INT, strict=True), "[1, 2]", {1, 2}),
    (s.collection_schema("frozenset", STRICT_INT, strict=True), "[1]", frozenset({1})),
    (s.float_schema(strict=True), "1", 1.0),
    (STRICT_INT, "1.0", E((R, "int_type"))),
    (s.bool_schema(strict=True), "1", E((R, "bool_type"))),
]


def _schema_id(case: Any) -> str:
    return str(case[0]["type"])


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(
    ("schema", "text", "expected"), STRICT_JSON, ids=[_schema_id(c) for c in STRICT_JSON]
)
def test_strict_json(core: Any, path: str, schema: Any, text: str, expected: Any) -> None:
    assert_outcome(outcome(core, schema, path, text), expected)


def test_strict_call_takes_json_numbers_as_decimals(core: Any) -> None:
    validator = make_validator(core, s.decimal_schema())
    assert validator.validate_json("2.5", strict=True) == D("2.5")
    keys = make_validator(core, s.dict_schema(INT, INT))
    assert keys.validate_json('{"1": 2}', strict=True) == {1: 2}


# JSON floats become Decimals through their shortest repr written out without an exponent
# (pydantic: Rust's float formatting), so the value keeps the digits a reader sees.
FLOAT_TEXT: list[Any] = [
    ("100.0", "100"),
    ("1e2", "100"),
    ("0.1", "0.1"),
    ("1.5e-7", "1.5E-7"),
    ("-0.0", "-0"),
    ("1e22", "10000000000000000000000"),
    ("1.2345678901234567890123", "1.2345678901234567"),
    ("1e300", "1" + "0" * 300),
    ("123456.789e3", "123456789"),
    ("5e-324", "5E-324"),
    ("0.30000000000000004", "0.30000000000000004"),
]


@pytest.mark.parametrize("path", JSON_PATHS)
@pytest.mark.parametrize(("text", "shown"), FLOAT_TEXT)
def test_decimal_from_json_float_text(core: Any, path: str, text: str, shown: str) -> None:
    kind, value = outcome(core, s.decimal_schema(), path, text)
    assert (kind, str(value)) == ("ok", shown)


STRICT_TYPE_ERRORS: list[Any] = [
    (s.decimal_schema(strict=True), "1.5", "Decimal"),
    (s.decimal_schema(strict=True), 1, "Decimal"),
    (s.decimal_schema(strict=True), 1.5, "Decimal"),
    (s.decimal_schema(strict=True), None, "Decimal"),
    (s.uuid_schema(strict=True), U, "UUID"),
    (s.uuid_schema(strict=True), UUID(U).bytes, "UUID"),
]


@pytest.mark.parametrize(("schema", "value", "cls"), STRICT_TYPE_ERRORS)
def test_strict_python_type_error_names_the_class(
    core: Any, schema: Any, value: Any, cls: str
) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(value)
    [error] = info.value.errors()
    assert (error["type"], error["ctx"]) == ("is_instance_of", {"class": cls})
    assert error["msg"] == f"Input should be an instance of {cls}"


LAX_TYPE_ERRORS: list[Any] = [
    (s.decimal_schema(), None, "decimal_type"),
    (s.decimal_schema(), True, "decimal_type"),
    (s.uuid_schema(), 1, "uuid_type"),
]


@pytest.mark.parametrize(("schema", "value", "kind"), LAX_TYPE_ERRORS)
def test_lax_type_errors_keep_their_code(core: Any, schema: Any, value: Any, kind: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_validator(core, schema).validate_python(value)
    assert [e["type"] for e in info.value.errors()] == [kind]


@pytest.mark.skipif(not hasattr(sys, "set_int_max_str_digits"), reason="no int digit limit")
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("digits", [641, 1000, 4300])
def test_int_ignores_a_lowered_int_digit_limit(core: Any, path: str, digits: int) -> None:
    """A program may lower int()'s digit limit to 640; up to 4300 digits still validate."""
    text = "-" + "7" * digits
    expected = -int(Decimal("7" * digits))
    values = [text] if path == "python" else [json.dumps(text)]
    if path != "python" and digits < 4300:
        values.append(text)  # a JSON number (at most 4300 characters, sign included)
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        got = [outcome(core, INT, path, value) for value in values]
    finally:
        sys.set_int_max_str_digits(limit)
    for one in got:
        assert_outcome(one, expected)


# --- int bounds and output at CPython's digit boundaries ----------------------------------------

# the native core reads small ints from their 30-bit digits: every value around a digit edge
# must compare and print exactly as Python's own int does
EDGES = sorted(
    {
        sign * (base + delta)
        for sign in (1, -1)
        for base in (0, 1 << 30, 1 << 60, 1 << 62, 1 << 63, 1 << 90)
        for delta in (-2, -1, 0, 1, 2)
    }
)


@pytest.mark.parametrize("value", EDGES)
@pytest.mark.parametrize(
    "bounds", [(-(1 << 30), 1 << 30), (-(1 << 60) + 1, (1 << 60) - 1), (0, 1 << 63)]
)
def test_int_bounds_at_digit_edges(value: int, bounds: tuple[int, int]) -> None:
    from ferrule import Field, Model

    lo, hi = bounds

    class Bounded(Model):
        x: int = Field(ge=lo, le=hi)

    if lo <= value <= hi:
        assert Bounded(x=value).x == value
        assert Bounded.model_validate({"x": value}).x == value
    else:
        with pytest.raises(ValidationError):
            Bounded(x=value)


@pytest.mark.parametrize("value", EDGES)
def test_int_json_output_at_digit_edges(value: int) -> None:
    from ferrule import Model

    class Plain(Model):
        x: int

    assert Plain(x=value).model_dump_json() == json.dumps({"x": value}, separators=(",", ":"))
