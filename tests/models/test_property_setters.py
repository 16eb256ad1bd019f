"""Assigning to a property of a model runs its setter, as in pydantic v2 (answers recorded from
pydantic 2.14): a setter is code the user wrote on purpose, not an unknown attribute. Under
whichever core the process selected."""

from __future__ import annotations

import pytest

from ferrule import Model, ValidationError


class Person(Model, validate_assignment=True):
    first: str
    last: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @full.setter
    def full(self, value: str) -> None:
        self.first, self.last = value.split(" ")

    @property
    def read_only(self) -> int:
        return 1


def test_a_setter_runs_and_its_assignments_are_validated_and_recorded() -> None:
    person = Person(first="a")
    person.full = "Ada Lovelace"
    assert (person.first, person.last) == ("Ada", "Lovelace")
    assert person.model_dump() == {"first": "Ada", "last": "Lovelace"}
    assert person.model_fields_set == {"first", "last"}


def test_a_property_without_setter_is_python_s_attribute_error() -> None:
    person = Person(first="a")
    with pytest.raises(AttributeError, match=r"has no setter|can't set attribute"):  # 3.11+, 3.10
        person.read_only = 2  # type: ignore[misc]
    assert person.read_only == 1


def test_an_error_in_the_setter_is_raised_as_it_is() -> None:
    person = Person(first="a")
    with pytest.raises(AttributeError, match="split"):
        person.full = 5  # type: ignore[assignment]
    assert person.first == "a"


def test_the_setter_s_own_assignment_is_validated() -> None:
    class Box(Model, validate_assignment=True):
        a: int

        @property
        def p(self) -> int:
            return self.a

        @p.setter
        def p(self, value: object) -> None:
            self.a = value  # type: ignore[assignment]

    box = Box(a=1)
    box.p = "7"
    assert box.a == 7
    with pytest.raises(ValidationError) as info:
        box.p = "x"
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("a",), "int_parsing")]
    assert box.a == 7


def test_a_frozen_model_refuses_its_setters_too() -> None:
    class Frozen(Model, frozen=True):
        a: int

        @property
        def p(self) -> int:
            return self.a

        @p.setter
        def p(self, value: int) -> None:  # never reached
            raise AssertionError("a frozen model ran a setter")

    frozen = Frozen(a=1)
    with pytest.raises(ValidationError) as info:
        frozen.p = 3
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("p",), "frozen_instance")]


def test_a_name_that_is_neither_field_nor_property_is_still_refused() -> None:
    person = Person(first="a")
    with pytest.raises(ValidationError) as info:
        person.nickname = "x"  # type: ignore[attr-defined]
    assert [e["type"] for e in info.value.errors()] == ["no_such_attribute"]


def test_a_property_subclass_setter_runs() -> None:
    class Logged(property):
        pass

    class Thing(Model):
        a: int = 0

        def _get(self) -> int:
            return self.a

        def _set(self, value: int) -> None:
            self.a = value

        logged = Logged(_get, _set)

    thing = Thing()
    thing.logged = 4
    assert thing.a == 4
