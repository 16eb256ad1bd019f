"""`ferrule.json.loads` / `dumps` against the standard library's `json`, on both cores.

The same tables run through the public functions (the core `make test` selects) and through
both cores directly, so the native reader and writer and the pure twin answer alike.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import sys
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from codec_options import read_options, write_options
from hypothesis import given, settings
from hypothesis import strategies as st

import ferrule
import ferrule._ferrule as native
from ferrule import json as fjson
from ferrule.errors import FerruleError, JSONError
from ferrule.json import _pure_codec as pure


def native_loads(data: Any, **kw: Any) -> Any:
    return native.json_loads(data, **kw)


def pure_loads(data: Any, **kw: Any) -> Any:
    return pure.loads(data, **read_options(kw))


def native_dumps(obj: Any, **kw: Any) -> str:
    return native.json_dumps_bytes(obj, **write_options(kw)).decode()


def pure_dumps(obj: Any, **kw: Any) -> str:
    return pure.dumps_bytes(obj, **write_options(kw)).decode()


LOADS = [pytest.param(fjson.loads, id="public"), native_loads, pure_loads]
DUMPS = [pytest.param(fjson.dumps, id="public"), native_dumps, pure_dumps]


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells bool from int and int from float (Python's == does not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize("loads", LOADS)
@given(value=json_values)
@settings(max_examples=150, deadline=None)
def test_reads_what_the_standard_library_writes(loads: Any, value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=2)):
        assert same(loads(text), json.loads(text))
        assert same(loads(text.encode()), json.loads(text))


@pytest.mark.parametrize("dumps", DUMPS)
@given(value=json_values)
@settings(max_examples=150, deadline=None)
def test_writes_what_the_standard_library_writes(dumps: Any, value: Any) -> None:
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert dumps(value) == compact
    assert dumps(value, indent=2) == json.dumps(value, ensure_ascii=False, indent=2)
    assert dumps(value, sort_keys=True) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


# --- the corpus: what a reader must accept, must refuse, and what JSON leaves open --------

MUST_ACCEPT = [
    ("[]", []),
    ("{}", {}),
    (" \t\r\n[1] \n", [1]),
    ("-0", 0),
    ("-0.0", -0.0),
    ("0e0", 0.0),
    ("1E+2", 100.0),
    ("1e-2", 0.01),
    ('"\\u00e9\\n\\t\\"\\\\\\/"', 'é\n\t"\\/'),
    ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair: one character
    ('"é😀"', "é😀"),
    ('{"a":{"b":[true,false,null]}}', {"a": {"b": [True, False, None]}}),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("-9223372036854775809", -9223372036854775809),
    ("1.7976931348623157e308", 1.7976931348623157e308),
    ("5e-324", 5e-324),
    ("1e-400", 0.0),  # underflow rounds to zero, as float() does: no precision claimed
    ('"\\u0000"', "\x00"),
]

MUST_REFUSE = [
    "",
    " ",
    "[",
    "]",
    "[1,]",
    '{"a":1,}',
    "[1 2]",
    "{'a':1}",
    '{"a" 1}',
    "{1:1}",
    "01",
    "1.",
    ".1",
    "+1",
    "1e",
    "-",
    "0x10",
    "tru",
    "nul",
    "True",
    '"abc',
    '"a\tb"',  # a raw control character inside a string
    '"\\x41"',
    '"\\u12"',
    '"\\ud800"',  # a lone surrogate escape
    '"\\udc00"',
    "[1]x",
    "[1] [2]",
    "\ufeff[]",  # a byte-order mark is not JSON text
    "/* c */ 1",
]

# decided here (RFC 8259 leaves them to the reader) and documented in README
IMPLEMENTATION_DEFINED = [
    ('{"a":1,"a":2}', {}, JSONError),  # duplicate keys: refused ...
    ('{"a":1,"a":2}', {"duplicate_keys": "last"}, {"a": 2}),  # ... unless asked
    ("NaN", {}, JSONError),
    ("[NaN,Infinity,-Infinity]", {"allow_nan": True}, "nan-inf"),
    ("1e400", {}, JSONError),  # a float cannot hold it: refused, never inf
    ("1e400", {"decimal": True}, Decimal("1e400")),
    pytest.param("1" * 4300, {}, int("1" * 4300), id="4300-digits"),
    pytest.param("1" * 4301, {}, JSONError, id="4301-digits"),  # int()'s limit
    pytest.param("[" * 1001 + "]" * 1001, {}, JSONError, id="depth-1001"),  # default 1000
    ("[" * 5 + "]" * 5, {"max_depth": 5}, [[[[[]]]]]),
    ("[" * 6 + "]" * 6, {"max_depth": 5}, JSONError),
]


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize(("text", "expected"), MUST_ACCEPT)
def test_must_accept(loads: Any, text: str, expected: Any) -> None:
    assert same(loads(text), expected)
    assert same(loads(text.encode()), expected)
    assert same(loads(memoryview(text.encode())), expected)
    assert same(loads(bytearray(text.encode())), expected)


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize("text", MUST_REFUSE)
def test_must_refuse(loads: Any, text: str) -> None:
    with pytest.raises(JSONError) as caught:
        loads(text.encode("utf-8", "surrogatepass"))
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, FerruleError)
    assert error.offset is not None and 0 <= error.offset <= len(text.encode())
    assert f"line {error.line} column {error.column}" in str(error)


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize(("text", "options", "expected"), IMPLEMENTATION_DEFINED)
def test_implementation_defined(loads: Any, text: str, options: Any, expected: Any) -> None:
    if expected is JSONError:
        with pytest.raises(JSONError):
            loads(text, **options)
        return
    got = loads(text, **options)
    if expected == "nan-inf":
        assert math.isnan(got[0]) and got[1:] == [math.inf, -math.inf]
    else:
        assert same(got, expected)


@pytest.mark.parametrize("loads", LOADS)
@pytest.mark.parametrize(
    ("text", "message", "offset", "line", "column"),
    [
        ('{"a": 1,\n "a": 2}', 'duplicate key "a"', 10, 2, 2),
        ("[1,\n  NaN]", "NaN is not valid JSON", 6, 2, 3),
        ('{"é": 1e999}', "number 1e999 is out of range", 7, 1, 7),  # é is two bytes
        ("[[[]]]", "nesting deeper than max_depth=2", 2, 1, 3),
    ],
)
def test_refusals_say_where(
    loads: Any, text: str, message: str, offset: int, line: int, column: int
) -> None:
    with pytest.raises(JSONError, match=message) as caught:
        loads(text, max_depth=2) if "nesting" in message else loads(text)
    assert (caught.value.offset, caught.value.line, caught.value.column) == (offset, line, column)


@pytest.mark.parametrize("loads", LOADS)
def test_invalid_utf8_is_refused_at_its_byte(loads: Any) -> None:
    with pytest.raises(JSONError) as caught:
        loads(b'["ab", "c\xffd"]')
    assert caught.value.offset in (9, 10)  # at the bad byte (or its string's start)


@pytest.mark.parametrize("loads", LOADS)
def test_a_str_with_a_lone_surrogate_is_refused(loads: Any) -> None:
    with pytest.raises(JSONError, match="surrogate") as caught:
        loads('["x", "\ud800"]')
    assert caught.value.offset == 7


@pytest.mark.parametrize("loads", LOADS)
def test_depth_a_million_deep_is_an_error_not_a_crash(loads: Any) -> None:
    deep = b"[" * 1_000_000 + b"]" * 1_000_000
    with pytest.raises(JSONError, match="max_depth=1000"):
        loads(deep)


def test_deep_documents_read_when_allowed() -> None:
    depth = 50_000
    value = fjson.loads("[" * depth + "]" * depth, max_depth=depth)
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize("loads", LOADS)
def test_decimals_are_exact(loads: Any) -> None:
    got = loads("[0.1, 1.10, 1e-7, -0.0, 3]", decimal=True)
    assert [str(x) for x in got] == ["0.1", "1.10", "1E-7", "-0.0", "3"]
    assert type(got[-1]) is int


# --- writing ------------------------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int
    y: float
    tags: list[str]


class User(ferrule.Model):
    name: str
    balance: Decimal
    ratio: float = 0.5


@pytest.mark.parametrize("dumps", DUMPS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.10"), "1.10"),
        (Decimal("-0.000001"), "-0.000001"),
        (Decimal("1E+400"), "1E+400"),
        (2**200, str(2**200)),
        pytest.param(10**5000, "1" + "0" * 5000, id="past-int-str-limit"),
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc), '"2024-01-02T03:04:05Z"'),
        (date(2024, 1, 2), '"2024-01-02"'),
        (time(3, 4, 5, 6), '"03:04:05.000006"'),
        (timedelta(days=1, seconds=2), '"P1DT2S"'),
        (uuid.UUID(int=1), '"00000000-0000-0000-0000-000000000001"'),
        (Color.RED, '"red"'),
        (Level.HIGH, "3"),
        ({1}, "[1]"),
        ((1, "a"), '[1,"a"]'),
        (Point(1, 2.5, ["a"]), '{"x":1,"y":2.5,"tags":["a"]}'),
        ({1: "a", None: "b", False: "c", 2.5: "d"}, '{"1":"a","null":"b","false":"c","2.5":"d"}'),
        ({Color.RED: 1}, '{"red":1}'),
        ("\ud800", '"\\ud800"'),
        ("\x00\x1f\x7f é", '"\\u0000\\u001f\x7f é"'),
    ],
)
def test_writes_the_types_ferrule_knows(dumps: Any, value: Any, expected: str) -> None:
    assert dumps(value) == expected


@pytest.mark.parametrize("dumps", DUMPS)
def test_a_model_is_written_as_its_own_json(dumps: Any) -> None:
    user = User(name="a", balance=Decimal("1.50"), ratio=math.nan)
    assert dumps(user) == user.model_dump_json()
    assert dumps({"u": [user]}) == '{"u":[' + user.model_dump_json() + "]}"
    assert dumps(user, sort_keys=True) == '{"balance":"1.50","name":"a","ratio":null}'


@pytest.mark.parametrize("dumps", DUMPS)
def test_nan_is_refused_unless_allowed(dumps: Any) -> None:
    for bad in (math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(JSONError, match="allow_nan"):
            dumps([bad])
    assert dumps([math.nan, math.inf, -math.inf], allow_nan=True) == "[NaN,Infinity,-Infinity]"
    assert dumps([math.nan, math.inf], allow_nan=True) == json.dumps(
        [math.nan, math.inf], separators=(",", ":")
    )


@pytest.mark.parametrize("dumps", DUMPS)
def test_default_is_asked_about_other_types(dumps: Any) -> None:
    class Money:
        def __init__(self, cents: int) -> None:
            self.cents = cents

    assert dumps({"m": Money(5)}, default=lambda m: {"cents": m.cents}) == '{"m":{"cents":5}}'
    with pytest.raises(JSONError, match="Money is not JSON serializable"):
        dumps(Money(5))
    with pytest.raises(JSONError, match="not JSON serializable"):
        dumps(Money(5), default=lambda m: m)  # handing the value back is no answer

    def refuse(value: Any) -> Any:
        raise TypeError("no")

    with pytest.raises(TypeError, match="no"):
        dumps(Money(5), default=refuse)
    with pytest.raises(JSONError, match="nested too deeply"):
        dumps(Money(5), default=lambda m: Money(m.cents + 1))  # never settles


@pytest.mark.parametrize("dumps", DUMPS)
def test_cycles_and_depth_are_errors(dumps: Any) -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(JSONError, match="nested too deeply or cyclic"):
        dumps(loop)
    deep: Any = []
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(JSONError):
        dumps(deep)


@pytest.mark.parametrize("dumps", DUMPS)
def test_a_default_that_mutates_the_container_being_written(dumps: Any) -> None:
    items: list[Any] = [object(), 1, 2]

    def grow(value: Any) -> Any:
        items.clear()
        return "x"

    out = dumps(items, default=grow)
    assert out.startswith('["x"')  # whatever was left is written; nothing crashes


def test_keys_must_be_scalars() -> None:
    with pytest.raises(JSONError, match="keys must be"):
        fjson.dumps({(1, 2): 3})


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fjson.loads(123), TypeError),  # type: ignore[arg-type]
        (lambda: fjson.loads(None), TypeError),  # type: ignore[arg-type]
        (lambda: fjson.loads("1", duplicate_keys="first"), ValueError),  # type: ignore[arg-type]
        (lambda: fjson.loads("1", max_depth=0), ValueError),
        (lambda: fjson.loads("1", max_depth=True), TypeError),
        (lambda: fjson.loads("1", allow_nan=1), TypeError),  # type: ignore[arg-type]
        (lambda: fjson.dumps(1, indent=-1), ValueError),
        (lambda: fjson.dumps(1, indent=2**40), ValueError),
        (lambda: fjson.dumps(1, indent="  "), TypeError),  # type: ignore[arg-type]
        (lambda: fjson.dumps(1, default=5), TypeError),  # type: ignore[arg-type]
        (lambda: fjson.dumps(1, sort_keys=None), TypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_typed_errors(call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


def test_dumps_bytes_is_utf8_of_dumps() -> None:
    value = {"é": ["😀", 1.5, None]}
    assert fjson.dumps_bytes(value) == fjson.dumps(value).encode()


# --- the two cores agree ------------------------------------------------------------------

mutations = st.sampled_from(["", "]", "}", ",", ":", '"', "NaN", "\\", "1e999", "\x00", " "])


@given(value=json_values, cut=st.integers(min_value=0, max_value=200), extra=mutations)
@settings(max_examples=300, deadline=None)
def test_the_cores_agree_on_damaged_documents(value: Any, cut: int, extra: str) -> None:
    text = json.dumps(value)
    damaged = text[:cut] + extra + text[cut:]
    outcomes = []
    for loads in (native_loads, pure_loads):
        try:
            outcomes.append(("ok", loads(damaged)))
        except JSONError as exc:
            outcomes.append(("error", exc.offset if _semantic(str(exc)) else None))
    (kind_a, a), (kind_b, b) = outcomes
    assert kind_a == kind_b, damaged
    assert same(a, b) if kind_a == "ok" else a == b, damaged


def _semantic(message: str) -> bool:
    return any(word in message for word in ("duplicate key", "NaN", "out of range", "max_depth"))


@given(value=json_values)
@settings(max_examples=150, deadline=None)
def test_the_cores_write_the_same_text(value: Any) -> None:
    for options in ({}, {"indent": 3}, {"sort_keys": True}):
        assert native_dumps(value, **options) == pure_dumps(value, **options)


@pytest.mark.parametrize("dumps", DUMPS)
@pytest.mark.parametrize("change", ["clear", "grow", "replace"])
def test_a_default_that_changes_the_dict_being_written(dumps: Any, change: str) -> None:
    """The writer holds each item it writes; a dict changed under it (keys removed, added past
    a resize, values replaced) ends or goes on, and never reads freed memory."""
    data: dict[Any, Any] = {"a": object(), "b": "x" * 100, "c": [1, 2]}

    def meddle(value: Any) -> Any:
        if change == "clear":
            data.clear()
        elif change == "grow":
            for i in range(1000):
                data[f"k{i}"] = "v" * 50
        else:
            data["b"] = object()
            data["c"] = None
        return "seen"

    out = dumps(data, default=meddle)
    assert out == '{"a":"seen","b":"' + "x" * 100 + '","c":[1,2]}'  # the items as they were


class _LyingStr(str):
    """A str subclass whose Python-level text methods lie: JSON writes the characters."""

    def __str__(self) -> str:
        return "lie"

    def __len__(self) -> int:
        return 10**6

    def encode(self, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[override]
        return b"lie"


@pytest.mark.parametrize("dumps", [native_dumps, pure_dumps], ids=["native", "pure"])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "ab",
        "abc",
        "abcd",
        "abcdefg",
        "abcdefgh",
        "abcdefghi",
        "x" * 17,
        'quo"te',
        "back\\slash",
        "tab\there",
        "\x00\x1f\x7f",
        "é",
        "雪" * 9,
        "😀 emoji",
        "a" * 7 + '"',
        '"' + "a" * 8,
        _LyingStr("plain"),
        _LyingStr('esc"aped é'),
        sys.intern("interned_key"),
    ],
)
def test_every_kind_of_str_is_written_as_the_standard_library_writes_it(
    text: str, dumps: Any
) -> None:
    """Short, long, ASCII, wide, escaped, interned and subclassed strs, as values and keys
    (the native writer reads compact ASCII strs from the object itself)."""
    expected = json.dumps({text: [text]}, ensure_ascii=False, separators=(",", ":"))
    assert dumps({text: [text]}) == expected


class _LyingInt(int):
    def __int__(self) -> int:
        return 666

    def __index__(self) -> int:
        return 666

    def __repr__(self) -> str:
        return "666"

    __str__ = __repr__


class _LyingFloat(float):
    def __float__(self) -> float:
        return 6.66

    def __repr__(self) -> str:
        return "6.66"

    __str__ = __repr__


@pytest.mark.parametrize("dumps", [native_dumps, pure_dumps], ids=["native", "pure"])
@pytest.mark.parametrize("number", [_LyingInt(7), _LyingInt(-(10**30)), _LyingFloat(2.5)])
def test_number_subclasses_are_written_by_their_value_not_their_dunders(
    number: Any, dumps: Any
) -> None:
    expected = json.dumps({number: [number]}, separators=(",", ":"))
    assert "666" not in expected and "6.66" not in expected
    assert dumps({number: [number]}) == expected
