"""`from_attributes`: models validated from any object's attributes (an ORM row, a dataclass),
per call (`model_validate(obj, from_attributes=True)`) or per class (`model_config`), nested
models included, on both cores."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import ferrule
from ferrule import ConfigDict, Field, TypeAdapter
from ferrule.errors import SchemaError, ValidationError


@dataclasses.dataclass
class Row:
    id: int
    name: str


@dataclasses.dataclass
class Team:
    lead: Row
    members: list[Row]


class User(ferrule.Model):
    id: int
    name: str = Field(alias="Name")


class Person(ferrule.Model, from_attributes=True):
    id: int
    name: str
    nickname: str = "-"


class Group(ferrule.Model):
    model_config = ConfigDict(from_attributes=True)
    lead: Person
    members: list[Person]


class Record:
    id = "7"
    Name = "seven"


def test_per_call_reads_attributes_by_alias() -> None:
    assert User.model_validate(Record(), from_attributes=True) == User(id=7, Name="seven")
    with pytest.raises(ValidationError) as caught:
        User.model_validate(Record())  # without it an object is no input for a model
    assert caught.value.errors()[0]["type"] == "model_type"


def test_per_class_and_nested() -> None:
    group = Group.model_validate(Team(Row(1, "a"), [Row(2, "b"), Row(3, "c")]))
    assert group.lead == Person(id=1, name="a")
    assert [m.name for m in group.members] == ["b", "c"]
    assert group.lead.nickname == "-"  # not an attribute: the default


def test_missing_attributes_and_type_errors_are_validation_errors() -> None:
    @dataclasses.dataclass
    class Partial:
        id: str

    with pytest.raises(ValidationError) as caught:
        Person.model_validate(Partial("x"))
    assert {(e["loc"], e["type"]) for e in caught.value.errors()} == {
        (("id",), "int_parsing"),
        (("name",), "missing"),
    }
    for scalar in ("text", 3, [1], None):
        with pytest.raises(ValidationError):
            Person.model_validate(scalar)


def test_a_getter_that_raises_is_the_objects_own_error() -> None:
    class Broken:
        id = 1

        @property
        def name(self) -> str:
            raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        Person.model_validate(Broken())


def test_adapters_and_bad_options() -> None:
    people = TypeAdapter(list[User]).validate_python([Record()], from_attributes=True)
    assert people == [User(id=7, Name="seven")]
    with pytest.raises(TypeError):
        User.model_validate_json(b"{}", from_attributes=True)  # type: ignore[call-arg]
    with pytest.raises(SchemaError):

        class Bad(ferrule.Model, from_attributes="yes"):  # type: ignore[call-arg]
            x: int


def test_orm_objects_read_as_plain_models() -> None:
    class Source(ferrule.Model):
        id: int
        name: str

    copied: Any = Person.model_validate(Source(id=1, name="z"))
    assert copied == Person(id=1, name="z")
