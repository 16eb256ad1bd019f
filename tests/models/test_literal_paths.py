"""`literal` from JSON: the streaming reader answers exactly as the JSON tree does (it compares a
JSON string with the expected strs without making a Python str first), on both cores."""

from __future__ import annotations

import enum
from typing import Any

import pytest
from paths import outcome

from ferrule.models import schema as s


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Plain(enum.Enum):
    ONE = "one"


class Text(str):
    pass


SCHEMAS = [
    s.literal_schema(["card"]),
    s.literal_schema(["card", "bank", "wallet"]),
    s.literal_schema([Color.RED, "red", "blue"]),  # an enum member first: JSON "red" is it
    s.literal_schema(["red", Color.RED]),  # the str first
    s.literal_schema([Plain.ONE, "two"]),
    s.literal_schema([Text("sub"), "other"]),  # a str subclass never equals a JSON str
    s.literal_schema([1, "1", True, None]),
    s.literal_schema(["", "é", "雪", 'a"b']),
]
VALUES = ['"card"', '"bank"', '"red"', '"blue"', '"one"', '"two"', '"sub"', '"other"', '"1"']
VALUES += ['"é"', '"\\u96ea"', '"a\\"b"', '""', '"cardx"', "1", "true", "null", '"CARD"']


@pytest.mark.parametrize("index", range(len(SCHEMAS)))
@pytest.mark.parametrize("text", VALUES)
def test_the_stream_answers_as_the_tree(core: Any, index: int, text: str) -> None:
    schema = SCHEMAS[index]
    tree = outcome(core, schema, "json", text)
    streamed = outcome(core, schema, "stream", text)
    assert streamed[0] == tree[0]
    if tree[0] == "ok":
        # the very expected object, and of the same type (an enum member stays one)
        assert streamed[1] is tree[1] or (
            type(streamed[1]) is type(tree[1]) and streamed[1] == tree[1]
        )
    else:
        assert streamed == tree
