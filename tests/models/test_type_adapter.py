"""`TypeAdapter`: pydantic v2's names and answers for types that are not a model's fields.

Expected values are pydantic 2's answers for the same calls (written out here: the suite does
not import pydantic). Runs on whichever core the run selects (make test runs both)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest

from ferrule import ConfigDict, Field, Model, TypeAdapter
from ferrule.errors import SchemaError, ValidationError


class User(Model):
    id: int
    name: str = Field(min_length=1)


def locs(error: ValidationError) -> list[tuple[Any, ...]]:
    return [e["loc"] for e in error.errors()]


def test_a_list_of_models_from_python_and_json() -> None:
    adapter = TypeAdapter(list[User])
    users = adapter.validate_python([{"id": "1", "name": "a"}, User(id=2, name="b")])
    assert users == [User(id=1, name="a"), User(id=2, name="b")]
    assert adapter.validate_json(b'[{"id": 3, "name": "c"}]') == [User(id=3, name="c")]
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python([{"id": 1, "name": "a"}, {"id": "x", "name": ""}])
    assert locs(caught.value) == [(1, "id"), (1, "name")]
    assert caught.value.title == "list[User]"


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        (dict[str, int], {"a": "3"}, {"a": 3}),
        (tuple[int, str], ["1", "x"], (1, "x")),
        (int | str, "1", "1"),  # smart unions: the exact type wins
        (int | str, 1, 1),
        (float | int, 1, 1),
        (User | None, None, None),
        (Literal["a", "b"], "b", "b"),
        (Annotated[int, Field(ge=0)], 5, 5),
        (set[int], [1, 1, 2], {1, 2}),
        (Decimal, "1.10", Decimal("1.10")),
        (date, "2024-01-02", date(2024, 1, 2)),
    ],
)
def test_values_of_many_types(type_: Any, value: Any, expected: Any) -> None:
    got = TypeAdapter(type_).validate_python(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("type_", "value", "error_type"),
    [
        (Annotated[int, Field(gt=0)], 0, "greater_than"),
        (list[int], "not a list", "list_type"),
        (dict[str, int], {"a": "x"}, "int_parsing"),
        (Literal["a"], "b", "literal_error"),
        (User, {"id": 1}, "missing"),
    ],
)
def test_errors_have_pydantics_types(type_: Any, value: Any, error_type: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(type_).validate_python(value)
    assert caught.value.errors()[0]["type"] == error_type


def test_strict_config_and_call() -> None:
    lax, strict = TypeAdapter(int), TypeAdapter(int, config=ConfigDict(strict=True))
    assert lax.validate_python("3") == 3
    with pytest.raises(ValidationError):
        strict.validate_python("3")
    with pytest.raises(ValidationError):
        lax.validate_python("3", strict=True)
    assert TypeAdapter(dict[str, date]).validate_strings({"d": "2024-01-02"}) == {
        "d": date(2024, 1, 2)
    }


def test_dumps() -> None:
    adapter = TypeAdapter(list[User])
    users = [User(id=1, name="a")]
    assert adapter.dump_python(users) == [{"id": 1, "name": "a"}]
    assert adapter.dump_json(users) == b'[{"id":1,"name":"a"}]'
    assert adapter.dump_python(users, exclude={0: {"name"}}) == [{"id": 1}]
    moments = TypeAdapter(list[datetime])
    value = [datetime(2024, 1, 2, 3, 4, 5)]
    assert moments.dump_python(value, mode="json") == ["2024-01-02T03:04:05"]
    assert moments.dump_python(value) == value
    assert moments.dump_json(value, indent=2) == b'[\n  "2024-01-02T03:04:05"\n]'


def test_json_schema() -> None:
    schema = TypeAdapter(list[User]).json_schema()
    assert schema["type"] == "array" and schema["items"] == {"$ref": "#/$defs/User"}
    assert schema["$defs"]["User"] == User.model_json_schema()
    assert TypeAdapter(Annotated[int, Field(gt=0)]).json_schema() == {
        "type": "integer",
        "exclusiveMinimum": 0,
    }
    assert TypeAdapter(dict[str, float]).json_schema() == {
        "type": "object",
        "additionalProperties": {"type": "number"},
    }


def test_forward_references_resolve_in_the_callers_names() -> None:
    class Local(Model):
        x: int

    adapter: TypeAdapter[Any] = TypeAdapter("list[Local]")
    assert adapter.validate_python([{"x": 1}]) == [Local(x=1)]
    with pytest.raises(NameError):
        TypeAdapter("list[Missing]")


def test_what_cannot_be_validated_is_refused_at_once() -> None:
    class Opaque:
        pass

    with pytest.raises(SchemaError, match="Opaque"):
        TypeAdapter(Opaque)
    with pytest.raises(TypeError):
        TypeAdapter(int, config=42)  # type: ignore[arg-type]
    with pytest.raises(SchemaError):
        TypeAdapter(int).validate_strings("1", strict=True)


def test_repr_and_titles() -> None:
    assert repr(TypeAdapter(list[User])) == "TypeAdapter(list[User])"
    assert repr(TypeAdapter(int | None)) == "TypeAdapter(int | None)"
    assert repr(TypeAdapter(Annotated[int, Field(gt=0)])) == "TypeAdapter(int)"
    assert repr(TypeAdapter(Literal["a", 1])) == "TypeAdapter(Literal['a', 1])"
    assert repr(TypeAdapter(tuple[int, ...])) == "TypeAdapter(tuple[int, ...])"


@pytest.mark.parametrize(
    "config",
    [
        {"str_to_lower": True},
        {"str_strip_whitespace": True},
        {"str_max_length": 2},
        {"coerce_numbers_to_str": True},
        {"use_enum_values": True},
    ],
)
def test_a_config_key_the_adapter_does_not_apply_is_refused(config: dict[str, Any]) -> None:
    # applying none of these silently would give pydantic's users other answers
    with pytest.raises(SchemaError, match=next(iter(config))):
        TypeAdapter(str, config=ConfigDict(**config))  # type: ignore[typeddict-item]


def test_config_keys_at_their_defaults_and_the_applied_ones_are_accepted() -> None:
    adapter = TypeAdapter(int, config=ConfigDict(strict=True, str_to_lower=False, title=None))
    with pytest.raises(ValidationError):
        adapter.validate_python("1")
