"""`ValidationError.errors(include_...=)` and `.json()`, with pydantic v2's names and shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ferrule import Field, Model
from ferrule.errors import ValidationError


class Item(Model):
    name: str = Field(min_length=2)
    price: Decimal = Field(gt=0)
    count: int


def failure() -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Item.model_validate({"name": "x", "price": "-1", "count": object()})
    return caught.value


def test_flags_drop_context_and_input() -> None:
    error = failure()
    full = error.errors()
    assert [e["loc"] for e in full] == [("name",), ("price",), ("count",)]
    assert all("input" in e for e in full) and "ctx" in full[0]
    bare = error.errors(include_url=False, include_context=False, include_input=False)
    assert [set(e) for e in bare] == [{"type", "loc", "msg"}] * 3
    assert [e["msg"] for e in bare] == [e["msg"] for e in full]
    assert all("url" not in e for e in error.errors(include_url=True))  # no error pages
    no_input = error.errors(include_input=False)
    assert "ctx" in no_input[0] and all("input" not in e for e in no_input)


@pytest.mark.parametrize("bad", [{"include_input": 0}, {"include_context": None}, {"nope": True}])
def test_bad_flags_are_type_errors(bad: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        failure().errors(**bad)
    with pytest.raises(TypeError):
        failure().errors(True)  # type: ignore[misc]


def test_json_is_the_errors_as_json() -> None:
    error = failure()
    data = json.loads(error.json())
    assert [e["loc"] for e in data] == [["name"], ["price"], ["count"]]
    assert data[0]["input"] == "x" and data[0]["ctx"] == {"min_length": 2}
    assert data[1]["ctx"] == {"gt": 0}
    assert data[2]["input"].startswith("<object object")  # no JSON form: its str()
    assert "input" not in json.loads(error.json(include_input=False))[0]
    assert error.json(indent=2).startswith("[\n  {")
    assert error.error_count() == 3


def test_entries_are_fresh_dicts_in_pydantic_key_order() -> None:
    # pydantic 2.14.4's keys, in its order (its `url` left out: ferrule has no error pages)
    error = failure()
    first = error.errors()
    assert [list(e) for e in first] == [["type", "loc", "msg", "input", "ctx"]] * 2 + [
        ["type", "loc", "msg", "input"]
    ]
    first[0]["msg"] = "changed"
    first[0]["ctx"]["min_length"] = 99
    del first[2]["input"]
    first[1]["extra"] = True
    again = error.errors()
    assert again[0]["msg"] == "String should have at least 2 characters"
    assert again[0]["ctx"] == {"min_length": 2}
    assert list(again[2]) == ["type", "loc", "msg", "input"]
    assert "extra" not in again[1]
    assert all(a is not b for a, b in zip(first, again, strict=True))
