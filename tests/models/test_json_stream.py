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
