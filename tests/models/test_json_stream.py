"""The streaming JSON path (`model_validate_json`) against the parse-tree path
(`SchemaValidator.validate_json`) of the same core, on valid and broken documents: both must
give the same instance or the same errors. The streaming path reads common tokens itself and
hands the rest to jiter; this is where a difference between the two would show."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from cores import same

from ferrule import Field, Model, ValidationError
from ferrule.models._core import PURE_PYTHON

pytestmark = pytest.mark.skipif(PURE_PYTHON, reason="compares two paths of the native core")


class Customer(Model):
    id: int
    name: str = Field(min_length=1)
    email: str = Field(email=True)


class Item(Model):
    sku: str = Field(min_length=3)
    quantity: int = Field(gt=0)
    price: float = Field(ge=0)


class Order(Model):
    id: int
    customer: Customer
    items: list[Item]
    note: str | None = None
    extra: Any = None
    flag: bool = False


ORDER = {
    "id": 7,
    "customer": {"id": 1, "name": "Ann \u00e9", "email": "ann@example.com"},
    "items": [{"sku": f"SKU-{i}", "quantity": i + 1, "price": 9.99 * i} for i in range(3)],
    "note": 'a "quoted" \\ note\n',
    "extra": {"x": [1, 2.5e3, -0.0, None, True, "s", 12345678901234567890123]},
    "flag": True,
}
SEEDS = [
    json.dumps(ORDER),
    json.dumps(ORDER, indent=1),
    json.dumps(ORDER, ensure_ascii=False),
    '{"id": -0, "customer": {"id": 1e2, "name": "\\u00e9\\ud83d\\ude00", "email": "a@b.co"},'
    ' "items": [{"sku": "abc", "quantity": 1.0, "price": 1E-5}, {"sku": "abcd", "quantity":'
    ' 123456789012345678901, "price": 0.1000000000000000055511151231257827}]}',
]
PIECES = [
    *'"\\,:{}[]0123456789.eE-+ \n\tntfux',
    "\x01",
    "é",
    "1e400",
    "NaN",
    "Infinity",
    "\\u12",
    "\\ud800",
    "00",
    "-",
]


def outcome(validate: Any, data: bytes) -> tuple[Any, ...]:
    """The instance's fields as Python values (1 and 1.0, True and 1, -0.0 and 0.0 kept apart),
    or every error in full."""
    try:
        return ("ok", validate(data).model_dump())
    except ValidationError as exc:
        return ("error", exc.errors())


def mutations(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    docs = [seed_doc.encode() for seed_doc in SEEDS]
    for _ in range(count):
        doc = rng.choice(SEEDS)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(doc) + 1)
            piece = rng.choice(PIECES)
            kind = rng.random()
            if kind < 0.4:
                doc = doc[:at] + piece + doc[at:]
            elif kind < 0.7:
                doc = doc[:at] + doc[at + 1 :]
            else:
                doc = doc[:at] + piece + doc[at + 1 :]
        docs.append(doc.encode("utf-8", "surrogatepass"))
    return docs


def test_streaming_and_tree_paths_agree_on_valid_and_broken_json() -> None:
    tree = Order.__ferrule_validator__.validate_json  # type: ignore[attr-defined]
    valid = 0
    for data in mutations(3000, seed=20261121):
        streamed = outcome(Order.model_validate_json, data)
        assert same(streamed, outcome(tree, data)), data
        valid += streamed[0] == "ok"
    # the mutations reach both sides: some documents stay valid, most break
    assert 50 < valid < 2500


class Text(Model):
    name: str
    tags: list[str] = Field(default_factory=list)


# a byte that stops the scanner's 8-byte word, placed at every position of strings cut around
# the word boundaries: escapes, non-ASCII, a control character, a quote ending the string early
SPECIALS = ["\\n", "\\u00e9", '\\"', "\\\\", "\u00e9", "\U0001f600", "\x01", "\x7f", '"']


def string_docs() -> list[bytes]:
    docs = []
    for length in range(0, 26):
        base = "abcdefghijklmnopqrstuvwxyz"[:length]
        docs.append(json.dumps({"name": base, "tags": [base]}).encode())
        for at in range(length + 1):
            for special in SPECIALS:
                text = base[:at] + special + base[at:]
                docs.append(('{"name": "' + text + '", "tags": ["' + text + '"]}').encode())
    return docs


def test_strings_cut_at_every_position_read_the_same_on_both_paths() -> None:
    tree = Text.__ferrule_validator__.validate_json  # type: ignore[attr-defined]
    ok = 0
    for data in string_docs():
        streamed = outcome(Text.model_validate_json, data)
        assert same(streamed, outcome(tree, data)), data
        if streamed[0] == "ok":
            ok += 1
            assert streamed[1] == json.loads(data), data
    assert ok > 2000


class Numbers(Model):
    whole: int
    real: float
    anything: Any = None


NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "9",
    "10",
    "123456789012345678",
    "-123456789012345678",
    "999999999999999999",
    "1000000000000000000",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1" + "0" * 40,
    "0.0",
    "-0.0",
    "1.5",
    "9.99",
    "0.1",
    "123456789012345.6",
    "1234567890123456.7",
    "0.000000000000001",
    "0.0000000000000001",
    "1e2",
    "1E-5",
    "-1.5e+3",
    "1.",
    ".5",
    "01",
    "-",
    "1.e5",
    "1e",
    "2.5e400",
    "9" * 30 + ".5",
    "1.0000000000000000055511151231257827",
]


@pytest.mark.parametrize("number", NUMBERS)
def test_numbers_read_the_same_on_both_paths(number: str) -> None:
    tree = Numbers.__ferrule_validator__.validate_json  # type: ignore[attr-defined]
    for doc in (
        f'{{"whole": {number}, "real": {number}, "anything": {number}}}',
        f'{{"whole": 1, "real": 1.0, "anything": [{number}]}}',
        f'{{"whole": {number},"real":{number}}}',
    ):
        data = doc.encode()
        assert same(outcome(Numbers.model_validate_json, data), outcome(tree, data)), data


# short numbers take a digit-at-a-time path before the eight-byte step: every length across
# that boundary, whole and decimal, signed, ending the document or followed by another member
SHORT_NUMBERS = [
    sign + digits[:length] + fraction
    for sign in ("", "-")
    for digits in ("12345678901234567890", "90000000000000000009")
    for length in range(1, 21)
    for fraction in ("", ".5", ".25", ".125")
]


def test_short_and_long_numbers_read_the_same_on_both_paths() -> None:
    tree = Numbers.__ferrule_validator__.validate_json  # type: ignore[attr-defined]
    for number in SHORT_NUMBERS:
        for doc in (
            f'{{"whole":{number},"real":{number}}}',
            f'{{"whole": {number}, "real": {number}, "anything": [{number},{number}]}}',
            f'{{"real":{number},"whole":{number}x}}',
        ):
            data = doc.encode()
            streamed = outcome(Numbers.model_validate_json, data)
            assert same(streamed, outcome(tree, data)), data


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


class PatternUser(Model):
    """The models benchmark's pattern model: its fields take the scalar fast path."""

    id: int = Field(gt=0)
    name: str = Field(min_length=2, max_length=50)
    email: str = Field(pattern=EMAIL_PATTERN)
    age: int = Field(ge=0, le=150)
    score: float = 0.0
    tags: list[str] = Field(default_factory=list)


PATTERN_DOCS = [
    # the benchmark's payload, and the same with other spacing
    '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30, "score": 1.5,'
    ' "tags": ["a", "b"]}',
    '{"id":1,"name":"Alice","email":"alice@example.com","age":30,"score":1.5,"tags":["a","b"]}',
    '{ "id" : 1 ,\n "name" :\t"Alice" , "email" : "alice@example.com" , "age" : 30 }',
    # keys out of order, repeated, missing, unknown
    '{"email": "alice@example.com", "id": 1, "name": "Alice", "age": 30}',
    '{"id": 1, "name": "Alice", "email": "bad", "email": "alice@example.com", "age": 30}',
    '{"id": 1, "name": "Alice", "email": "alice@example.com", "email": "bad", "age": 30}',
    '{"id": 1, "id": 0, "name": "Alice", "email": "alice@example.com", "age": 30}',
    '{"id": 1, "name": "Alice", "age": 30}',
    '{"name": "Alice"}',
    "{}",
    '{"id": 1, "other": [1, {"x": "y"}], "name": "Alice", "email": "a@b.co", "age": 3}',
    # non-ASCII and escapes in the checked strings
    '{"id": 1, "name": "\u00e9\u00e9", "email": "\u00e9@example.com", "age": 30}',
    '{"id": 1, "name": "\u00e9", "email": "a@b.co", "age": 30}',
    '{"id": 1, "name": "\\u00e9\\u00e9", "email": "alice\\u0040example.com", "age": 30}',
    '{"id": 1, "name": "Al", "email": "alice@example.c\\u00f6m", "age": 30}',
    '{"id": 1, "name": "Al", "email": "alice@example.c\u00f6m", "age": 30}',
    '{"id": 1, "name": "Al", "email": "alice@example.com\\n", "age": 30}',
    '{"id": 1, "name": "Al", "email": "alice@example.com\\n\\n", "age": 30}',
    '{"id": 1, "name": "Al", "email": "al ice@example.com", "age": 30}',
    '{"id": 1, "name": "Al", "email": "alice@example.\\u0063om", "age": 30}',
    '{"id": 1, "name": "Al", "email": "\\ud83d\\ude00@example.com", "age": 30}',
    '{"id": 1, "name": "' + "x" * 50 + '", "email": "a@b.co", "age": 30}',
    '{"id": 1, "name": "' + "x" * 51 + '", "email": "a@b.co", "age": 30}',
    '{"id": 1, "name": "' + "\u00e9" * 50 + '", "email": "a@b.co", "age": 30}',
    # numbers of the other kind, out of bounds, and of the wrong type
    '{"id": 1.0, "name": "Al", "email": "a@b.co", "age": 30.0, "score": 2}',
    '{"id": 1.5, "name": "Al", "email": "a@b.co", "age": 1e2, "score": -2}',
    '{"id": 0, "name": "Al", "email": "a@b.co", "age": 151, "score": 1e400}',
    '{"id": -1, "name": "Al", "email": "a@b.co", "age": 150, "score": 0.0}',
    '{"id": 99999999999999999999, "name": "Al", "email": "a@b.co", "age": 0}',
    '{"id": "1", "name": 12, "email": null, "age": true, "score": "1.5", "tags": ["a", 1]}',
    # broken documents
    '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30,}',
    '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 3x}',
    '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30',
    '{"id": 1, "name": "Alice", "email": "alice@example.com\x01", "age": 30}',
]


@pytest.mark.parametrize("doc", PATTERN_DOCS)
def test_pattern_model_reads_the_same_on_both_paths_and_from_the_dict(doc: str) -> None:
    tree = PatternUser.__ferrule_validator__.validate_json  # type: ignore[attr-defined]
    data = doc.encode()
    streamed = outcome(PatternUser.model_validate_json, data)
    assert same(streamed, outcome(tree, data)), data
    try:
        loaded = json.loads(data)
    except ValueError:
        return
    if streamed[0] == "ok":
        assert same(streamed, outcome(PatternUser.model_validate, loaded)), data
