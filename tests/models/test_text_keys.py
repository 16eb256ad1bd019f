"""A mapping's str subclass keys are read by their text on both cores: a key's lying
``__eq__``/``__hash__`` never decide which field it fills (``Liar("titel")`` is no ``name``,
``Hides("name")`` is ``name``), for a dict read in field order or by hash, as keywords are."""

from __future__ import annotations

from typing import Any

import pytest
from cores import Err, check, field, make_model, make_validator

from ferrule.models import schema as s


class Liar(str):
    """Equal to every string, hashed as 'name'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("name")


class Hides(str):
    """Equal to no string (itself included)."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        return False


class Plain(str):
    pass


Person = make_model(
    "Person", [field("name", s.str_schema()), field("age", s.int_schema())], extra="forbid"
)
Loose = make_model("Loose", [field("name", s.str_schema(), default="-")], extra="ignore")


CASES: list[Any] = [
    (
        Person,
        {Liar("titel"): "x", "age": 1},
        Err((("name",), "missing"), (("titel",), "extra_forbidden")),
    ),
    (
        Person,
        {"age": 1, Liar("titel"): "x"},
        Err((("name",), "missing"), (("titel",), "extra_forbidden")),
    ),
    (Person, {Hides("name"): "bo", "age": 2}, {"name": "bo", "age": 2}),
    (Person, {"age": 2, Hides("name"): "bo"}, {"name": "bo", "age": 2}),
    (Person, {Plain("age"): 3, Plain("name"): "cy"}, {"name": "cy", "age": 3}),
    (Person, {Hides("age"): 4, Hides("name"): "di"}, {"name": "di", "age": 4}),
    (Loose, {Liar("titel"): "x"}, {"name": "-"}),
    (Loose, {Hides("name"): "ed", 5: "five"}, {"name": "ed"}),
]


@pytest.mark.parametrize(("model", "data", "expected"), CASES)
def test_mapping_keys_are_read_by_text(core: Any, model: type, data: Any, expected: Any) -> None:
    validator = make_validator(core, model.__ferrule_schema__)  # type: ignore[attr-defined]
    if isinstance(expected, Err):
        check(lambda: validator.validate_python(data), expected)
        return
    made = validator.validate_python(data)
    assert {name: getattr(made, name) for name in expected} == expected
    for name in expected:
        assert type(getattr(made, name)) is type(expected[name])
