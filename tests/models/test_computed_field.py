"""`computed_field`: in the dumps (dict and JSON), in the serialization JSON Schema only, never
an input field; the same answers as pydantic 2.14 for the same models."""

from __future__ import annotations

import datetime
import functools
from typing import Any

import pytest

from ferrule import Model, SchemaError, ValidationError, computed_field, field_serializer

WHEN = datetime.datetime(2020, 1, 1)  # naive: UTC's "Z" is another part of issue 12


class Computed(Model):
    a: int
    b: str = "x"
    calls: list[int] = []

    @computed_field(alias="Dbl", title="T", description="d", repr=True)  # type: ignore[prop-decorator]
    @property
    def double(self) -> int:
        return self.a * 2

    @computed_field  # type: ignore[prop-decorator]
    @functools.cached_property
    def when(self) -> datetime.datetime:
        self.calls.append(1)
        return WHEN

    @computed_field(repr=False)  # type: ignore[prop-decorator]
    @property
    def nested(self) -> dict[str, Any]:
        return {"k": datetime.date(2020, 1, 2)}


ALL = {"a": 2, "b": "x", "calls": [], "double": 4, "when": WHEN}


def test_dumps() -> None:
    m = Computed(a=2, calls=[])
    assert m.when is m.when and m.calls == [1]  # a cached_property is computed once
    assert m.model_dump() == {**ALL, "calls": [1], "nested": {"k": datetime.date(2020, 1, 2)}}
    assert m.model_dump(mode="json") == {
        **ALL,
        "calls": [1],
        "when": "2020-01-01T00:00:00",
        "nested": {"k": "2020-01-02"},
    }
    assert m.model_dump_json() == (
        '{"a":2,"b":"x","calls":[1],"double":4,"when":"2020-01-01T00:00:00",'
        '"nested":{"k":"2020-01-02"}}'
    )
    assert m.json_bytes() == m.model_dump_json().encode()
    assert m.calls == [1]  # a cached_property is computed once
    assert m.model_dump(by_alias=True, include={"double"}) == {"Dbl": 4}
    assert m.model_dump(include={"a", "double"}) == {"a": 2, "double": 4}
    assert m.model_dump(exclude={"double", "when", "nested", "calls"}) == {"a": 2, "b": "x"}
    assert m.model_dump(include={"Dbl"}) == {}  # include/exclude name the field, not its alias
    assert m.model_dump_json(by_alias=True, include={"double", "a"}) == '{"a":2,"Dbl":4}'
    assert m.model_dump_json(by_alias=True).startswith('{"a":2,"b":"x","calls":[1],"Dbl":4,')


def test_repr_and_class_info() -> None:
    m = Computed(a=2, calls=[])
    assert repr(m) == (
        "Computed(a=2, b='x', calls=[], double=4, when=datetime.datetime(2020, 1, 1, 0, 0))"
    )
    info = Computed.model_computed_fields["double"]
    assert (info.alias, info.title, info.description, info.repr, info.return_type) == (
        "Dbl",
        "T",
        "d",
        True,
        int,
    )
    assert list(Computed.model_computed_fields) == ["double", "when", "nested"]
    assert "double" not in Computed.model_fields


def test_not_an_input_field() -> None:
    m = Computed.model_validate({"a": 1, "double": 3})  # ignored, as an unknown key
    assert m.double == 2

    class Forbid(Model, extra="forbid"):
        a: int

        @computed_field  # type: ignore[prop-decorator]
        @property
        def c(self) -> int:
            return 1

    with pytest.raises(ValidationError) as caught:
        Forbid(a=1, c=2)  # type: ignore[call-arg]
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [(("c",), "extra_forbidden")]


class MaybeNone(Model):
    a: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def c(self) -> int | None:
        return None


def test_exclude_none() -> None:
    assert MaybeNone().model_dump(exclude_none=True) == {}
    assert MaybeNone().model_dump_json() == '{"a":null,"c":null}'


class Serialized(Model):
    a: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def c(self) -> int:
        return self.a

    @field_serializer("c")
    def sc(self, value: int) -> int:
        return value * 100


class ReturnType(Model):
    @computed_field(return_type=str)  # type: ignore[prop-decorator]
    @property
    def p(self) -> Any:
        return 5


class FromMethod(Model):
    @computed_field  # type: ignore[misc]
    def p(self) -> int:
        return 5


def test_variants() -> None:
    assert Serialized(a=1).model_dump() == {"a": 1, "c": 100}
    assert (ReturnType().model_dump(), ReturnType().model_dump_json()) == ({"p": 5}, '{"p":5}')
    assert FromMethod().model_dump() == {"p": 5}


class Raises(Model):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def p(self) -> int:
        raise ValueError("pboom")


def test_a_property_error_propagates_as_it_is() -> None:
    with pytest.raises(ValueError, match="pboom"):
        Raises().model_dump()
    with pytest.raises(ValueError, match="pboom"):
        Raises().model_dump_json()


def test_json_schema() -> None:
    assert Computed.model_json_schema() == {
        "title": "Computed",
        "type": "object",
        "properties": {
            "a": {"type": "integer", "title": "A"},
            "b": {"type": "string", "title": "B", "default": "x"},
            "calls": {
                "type": "array",
                "items": {"type": "integer"},
                "title": "Calls",
                "default": [],
            },
        },
        "required": ["a"],
    }
    out = Computed.model_json_schema(mode="serialization")
    assert out["required"] == ["a", "Dbl", "when", "nested"]
    assert out["properties"]["Dbl"] == {
        "type": "integer",
        "title": "T",
        "description": "d",
        "readOnly": True,
    }
    assert out["properties"]["when"] == {
        "type": "string",
        "format": "date-time",
        "title": "When",
        "readOnly": True,
    }
    assert ReturnType.model_json_schema(mode="serialization")["properties"] == {
        "p": {"type": "string", "title": "P", "readOnly": True}
    }
    with pytest.raises(ValueError):
        Computed.model_json_schema(mode="output")  # type: ignore[arg-type]


class Base(Model):
    a: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def p(self) -> int:
        return self.a + 1


class Child(Base):
    b: int = 2


def test_definition_errors() -> None:
    with pytest.raises(SchemaError, match="return annotation"):

        class NoAnnotation(Model):
            @computed_field  # type: ignore[prop-decorator]
            @property
            def p(self):  # type: ignore[no-untyped-def]
                return 1

    with pytest.raises(SchemaError, match="both fields and computed fields"):

        class Clash(Base):
            @computed_field  # type: ignore[prop-decorator]
            @property
            def a(self) -> int:  # type: ignore[override]
                return 1

    with pytest.raises(TypeError):
        computed_field(5)


def test_inherited() -> None:
    assert Child().model_dump() == {"a": 1, "b": 2, "p": 2}
    assert Child().model_dump_json() == '{"a":1,"b":2,"p":2}'


class WithExtra(Model, extra="allow"):
    a: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def c(self) -> int:
        return 1


def test_computed_fields_come_after_extra_values() -> None:
    assert WithExtra(a=1, z=2).model_dump() == {"a": 1, "z": 2, "c": 1}  # type: ignore[call-arg]
    assert WithExtra(a=1, z=2).model_dump_json() == '{"a":1,"z":2,"c":1}'  # type: ignore[call-arg]
    assert list(WithExtra(a=1, z=2).model_dump()) == ["a", "z", "c"]  # type: ignore[call-arg]
