"""Wrap validators: ``field_validator(mode="wrap")``, ``WrapValidator`` and
``model_validator(mode="wrap")``, whose ``handler`` runs the validation they wrap. Expected
values are pydantic 2.14's. Class-level tests run on the selected core (the suite runs once per
core), the schema table at the end on both cores in one run."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from cores import Err, check, make_validator

from ferrule import (
    Model,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
    model_validator,
)
from ferrule.models import schema as s


def _pairs(error: ValidationError) -> list[tuple[Any, str]]:
    return [(line["loc"], line["type"]) for line in error.errors()]


class W(Model):
    a: int

    @field_validator("a", mode="wrap")
    @classmethod
    def wrap_a(cls, value: Any, handler: Any) -> Any:
        if value == "default":
            return 42
        return handler(value) * 2


# (path, input) -> value of a, or Err
FIELD_WRAP = [
    ("python", {"a": "default"}, 42),
    ("python", {"a": "3"}, 6),
    ("python", {"a": "zz"}, Err((("a",), "int_parsing"))),
    ("json", '{"a": "default"}', 42),
    ("json", '{"a": 3}', 6),
    ("json", '{"a": "zz"}', Err((("a",), "int_parsing"))),
    ("json", '{"a": [1]}', Err((("a",), "int_type"))),
]


@pytest.mark.parametrize(("path", "data", "expected"), FIELD_WRAP)
def test_field_wrap(path: str, data: Any, expected: Any) -> None:
    if path == "python":
        check(lambda: W.model_validate(data).a, expected)
    else:
        check(lambda: W.model_validate_json(data).a, expected)


def test_the_handler_error_is_relative_and_catchable() -> None:
    seen: list[Any] = []

    class M(Model):
        a: int = 0

        @field_validator("a", mode="wrap")
        @classmethod
        def wrap_a(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:
            try:
                return handler(value)
            except ValidationError as exc:
                seen.append((exc.title, _pairs(exc), info.field_name))
                raise

    with pytest.raises(ValidationError) as caught:
        M.model_validate({"a": "x"})
    assert _pairs(caught.value) == [(("a",), "int_parsing")]
    assert seen == [("ValidatorCallable", [((), "int_parsing")], "a")]


def _replace(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise ValueError("replaced") from None


def test_a_caught_error_can_be_replaced() -> None:
    adapter = TypeAdapter(list[Annotated[int, WrapValidator(_replace)]])
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python([1, "x"])
    [error] = caught.value.errors()
    assert (error["loc"], error["type"], error["msg"], error["input"]) == (
        (1,),
        "value_error",
        "Value error, replaced",
        "x",
    )
    assert isinstance(error["ctx"]["error"], ValueError)
    assert caught.value.json() == (
        '[{"type":"value_error","loc":[1],"msg":"Value error, replaced","input":"x",'
        '"ctx":{"error":"replaced"}}]'
    )


def _at_here(value: Any, handler: Any) -> Any:
    return handler(value, "here")


def test_outer_location() -> None:
    adapter = TypeAdapter(list[Annotated[int, WrapValidator(_at_here)]])
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python([1, "x"])
    assert _pairs(caught.value) == [((1, "here"), "int_parsing")]
    assert adapter.validate_json('[1, "2"]') == [1, 2]


def test_wrap_validator_in_annotated_with_info() -> None:
    def wrap(value: Any, handler: Any, info: ValidationInfo) -> Any:
        return (handler(value), info.field_name, dict(info.data))

    class M(Model):
        a: int
        b: Annotated[int, WrapValidator(wrap)]

    assert M(a=1, b="2").b == (2, "b", {"a": 1})
    assert M.model_validate_json('{"a": 1, "b": 2}').b == (2, "b", {"a": 1})


def test_field_wraps_stack_in_declaration_order() -> None:
    order: list[str] = []

    class M(Model):
        a: int

        @field_validator("a", mode="wrap")
        @classmethod
        def first(cls, value: Any, handler: Any) -> Any:
            order.append("first in")
            out = handler(value)
            order.append("first out")
            return out

        @field_validator("a", mode="wrap")
        @classmethod
        def second(cls, value: Any, handler: Any) -> Any:
            order.append("second in")
            out = handler(value)
            order.append("second out")
            return out

    M(a=1)
    assert order == ["second in", "first in", "first out", "second out"]


# --- model wrap validators ----------------------------------------------------------------


def _layered(log: list[str]) -> type[Model]:
    class Layered(Model):
        a: int

        @model_validator(mode="wrap")
        @classmethod
        def w1(cls, data: Any, handler: Any) -> Any:
            log.append("w1 in")
            out = handler(data)
            log.append("w1 out")
            return out

        @model_validator(mode="after")
        def a1(self) -> Any:
            log.append("a1")
            return self

        @model_validator(mode="before")
        @classmethod
        def b1(cls, data: Any) -> Any:
            log.append("b1")
            return data

        @model_validator(mode="wrap")
        @classmethod
        def w2(cls, data: Any, handler: Any) -> Any:
            log.append("w2 in")
            out = handler(data)
            log.append("w2 out")
            return out

        @model_validator(mode="after")
        def a2(self) -> Any:
            log.append("a2")
            return self

        def model_post_init(self, context: Any, /) -> None:
            log.append("post_init")

    return Layered


PYDANTIC_ORDER = ["w2 in", "w1 in", "b1", "post_init", "w1 out", "a1", "w2 out", "a2"]


@pytest.mark.parametrize("path", ["dict", "json", "init", "many", "json_many"])
def test_wrap_and_after_layers_in_pydantic_order(path: str) -> None:
    log: list[str] = []
    cls: Any = _layered(log)
    if path == "dict":
        assert cls.model_validate({"a": 1}).a == 1
    elif path == "json":
        assert cls.model_validate_json('{"a": 1}').a == 1
    elif path == "init":
        assert cls(a=1).a == 1
    elif path == "many":
        assert [m.a for m in cls.validate_many([{"a": 1}])] == [1]
    else:
        assert [m.a for m in cls.validate_json_many('[{"a": 1}]')] == [1]
    assert log == PYDANTIC_ORDER


def test_an_instance_input_passes_the_after_validators() -> None:
    """ferrule's rule for an instance given as input (the plain path's too): the wrap and
    before validators see it, the after-validators do not (pydantic runs them again)."""
    log: list[str] = []
    cls: Any = _layered(log)
    instance = cls(a=1)
    log.clear()
    assert cls.model_validate(instance) is instance
    assert log == ["w2 in", "w1 in", "b1", "w1 out", "w2 out"]


class MW(Model):
    a: int

    @model_validator(mode="wrap")
    @classmethod
    def w(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and data.get("skip"):
            return cls.model_construct(a=0)
        try:
            return handler(data)
        except ValidationError as exc:
            raise ValueError(f"{exc.error_count()} problems") from None


def test_model_wrap_can_skip_and_replace_errors() -> None:
    assert MW.model_validate({"skip": 1}).a == 0
    with pytest.raises(ValidationError) as caught:
        MW.model_validate({"a": "x"})
    [error] = caught.value.errors()
    assert (error["loc"], error["type"], error["msg"], error["input"]) == (
        (),
        "value_error",
        "Value error, 1 problems",
        {"a": "x"},
    )
    with pytest.raises(ValidationError) as caught:
        MW.model_validate_json('{"a": "x"}')
    assert _pairs(caught.value) == [((), "value_error")]


def test_model_wrap_handler_errors_propagate_with_their_locations() -> None:
    seen: list[Any] = []

    class Inner(Model):
        x: int

        @model_validator(mode="wrap")
        @classmethod
        def w(cls, data: Any, handler: Any) -> Any:
            try:
                return handler(data)
            except ValidationError as exc:
                seen.append(_pairs(exc))
                raise

    class Outer(Model):
        items: list[Inner]

    with pytest.raises(ValidationError) as caught:
        Outer.model_validate({"items": [{"x": 1}, {"x": "y"}]})
    assert _pairs(caught.value) == [(("items", 1, "x"), "int_parsing")]
    assert seen == [[(("x",), "int_parsing")]]


def test_init_with_a_wrap_that_returns_no_instance_is_a_type_error() -> None:
    class Odd(Model):
        a: int

        @model_validator(mode="wrap")
        @classmethod
        def w(cls, data: Any, handler: Any) -> Any:
            return {"not": "an instance"}

    assert Odd.model_validate({"a": 1}) == {"not": "an instance"}
    with pytest.raises(TypeError, match="not an instance"):
        Odd(a=1)


def test_user_exceptions_from_wrap_propagate() -> None:
    class Boom(Model):
        a: int

        @field_validator("a", mode="wrap")
        @classmethod
        def w(cls, value: Any, handler: Any) -> Any:
            raise KeyError("boom")

    with pytest.raises(KeyError):
        Boom(a=1)
    with pytest.raises(KeyError):
        Boom.model_validate_json('{"a": 1}')


# --- schema level: both cores in one run ------------------------------------------------------


def _double_or_default(value: Any, handler: Any) -> Any:
    if value is None:
        return -1
    return handler(value) * 2


def _swallow(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except ValidationError as exc:
        return exc.errors()[0]["type"]


WRAP = s.function_schema("wrap", _double_or_default, s.int_schema())
SWALLOW = s.function_schema("wrap", _swallow, s.int_schema(strict=True))
SCHEMAS = [
    (WRAP, None, -1),
    (WRAP, "4", 8),
    (WRAP, "x", Err(((), "int_parsing"))),
    (s.collection_schema("list", WRAP), [1, None, "x"], Err(((2,), "int_parsing"))),
    (SWALLOW, "4", "int_type"),
    (SWALLOW, 4, 4),
]


@pytest.mark.parametrize(("schema", "value", "expected"), SCHEMAS)
def test_schema_level_wrap(core: Any, schema: Any, value: Any, expected: Any) -> None:
    validator = make_validator(core, schema)
    check(lambda: validator.validate_python(value), expected)


def test_schema_level_wrap_strict_override(core: Any) -> None:
    validator = make_validator(core, SWALLOW)
    # strict=False at call time reaches the handler's validation: "4" is an int there
    assert validator.validate_python("4", strict=False) == 4


# --- hostile use ------------------------------------------------------------------------------


class _Lie:
    """A context / location whose dunders all raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


def test_a_kept_handler_still_validates_later() -> None:
    kept: list[Any] = []

    def keep(value: Any, handler: Any) -> Any:
        kept.append(handler)
        return handler(value)

    TypeAdapter(Annotated[int, WrapValidator(keep)]).validate_python(1)
    assert kept[0]("5") == 5
    with pytest.raises(ValidationError) as caught:
        kept[0]("x")
    assert caught.value.title == "ValidatorCallable"


def test_hostile_context_and_location_are_carried_not_used() -> None:
    lie = _Lie()

    class H(Model):
        a: int

        @model_validator(mode="wrap")
        @classmethod
        def w(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
            assert info.context is lie
            return handler(data, lie)

    assert H.model_validate({"a": 1}, context=lie).a == 1
    with pytest.raises(ValidationError) as caught:
        H.model_validate({"a": "x"}, context=lie)
    [error] = caught.value.errors()
    assert error["loc"][0] is lie and error["loc"][1:] == ("a",)


# --- what a function returns is Python input, also in a JSON call (both cores) ---------------


def _same(value: Any, handler: Any) -> Any:
    return handler(value)


def _keep(value: Any) -> Any:
    return value


UUID_TEXT = '"12345678-1234-5678-1234-567812345678"'
AFTER_A_FUNCTION = [
    (s.function_schema("wrap", _same, s.uuid_schema(strict=True)), "is_instance_of"),
    (s.function_schema("before", _keep, s.uuid_schema(strict=True)), "is_instance_of"),
    (s.function_schema("wrap", _same, s.date_schema(strict=True)), "date_type"),
]


@pytest.mark.parametrize(("schema", "error"), AFTER_A_FUNCTION)
def test_a_functions_result_is_python_input(core: Any, schema: Any, error: str) -> None:
    """The native core's rule, which the twin follows: strict types that take JSON strings
    (UUID, dates) want the Python object once a user function had the value (pydantic keeps
    the JSON reading for some of them)."""
    text = UUID_TEXT if "uuid" in str(schema) else '"2024-01-02"'
    check(lambda: make_validator(core, schema).validate_json(text), Err(((), error)))


def test_a_model_before_validator_hands_the_fields_python_input() -> None:
    from uuid import UUID

    from ferrule import Field

    class M(Model):
        v: Annotated[UUID, Field(strict=True)]

        @model_validator(mode="before")
        @classmethod
        def same(cls, data: Any) -> Any:
            return data

    with pytest.raises(ValidationError) as caught:
        M.model_validate_json('{"v": ' + UUID_TEXT + "}")
    assert _pairs(caught.value) == [(("v",), "is_instance_of")]
