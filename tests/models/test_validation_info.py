"""`ValidationInfo`: what validators taking ``info`` are told, on the dict and the JSON paths,
with pydantic 2.14's answers (the expected values below were read from it). The class-level
tests run on the core the process selected (the suite runs once per core); the schema-level
table at the end runs on both cores in one run."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from cores import make_validator

import ferrule
from ferrule import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    Model,
    PlainValidator,
    SchemaError,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from ferrule.models import schema as s

Seen = list[tuple[str, Any, Any, Any, Any, Any]]


def _record(seen: Seen, tag: str, info: Any) -> None:
    assert isinstance(info, ValidationInfo)
    data = None if info.data is None else dict(info.data)  # the live dict, as it is now
    seen.append((tag, info.field_name, data, info.context, info.config, info.mode))


def _models(seen: Seen) -> type[Model]:
    """pydantic's probe model: validators of every kind, all taking info."""

    def deep(value: Any, info: ValidationInfo) -> Any:
        _record(seen, "annotated.d", info)
        return value

    class Inner(Model):
        x: int

        @field_validator("x")
        @classmethod
        def check_x(cls, value: Any, info: ValidationInfo) -> Any:
            _record(seen, "inner.x", info)
            return value

    class Outer(Model):
        model_config = ConfigDict(str_to_lower=True)
        a: int
        b: int = 0
        c: list[Inner] = []
        d: Annotated[int, AfterValidator(deep)] = 0

        @field_validator("b", mode="before")
        @classmethod
        def before_b(cls, value: Any, info: ValidationInfo) -> Any:
            _record(seen, "before.b", info)
            return value

        @field_validator("a", "b")
        @classmethod
        def after_ab(cls, value: Any, info: ValidationInfo) -> Any:
            _record(seen, "after." + str(info.field_name), info)
            return value

        @model_validator(mode="before")
        @classmethod
        def model_before(cls, data: Any, info: ValidationInfo) -> Any:
            _record(seen, "model.before", info)
            return data

        @model_validator(mode="after")
        def model_after(self, info: ValidationInfo) -> Any:
            _record(seen, "model.after", info)
            return self

        @model_validator(mode="wrap")
        @classmethod
        def model_wrap(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
            _record(seen, "model.wrap", info)
            return handler(data)

    return Outer


OUTER = {"str_to_lower": True, "title": "Outer"}
INNER = {"title": "Inner"}


def test_every_validator_kind_on_the_dict_path() -> None:
    seen: Seen = []
    outer = _models(seen)
    data = {"a": 1, "b": 2, "c": [{"x": 1}], "d": 3}
    result = outer.model_validate(data, context={"k": 1})
    inner = result.c[0]
    ctx = {"k": 1}
    assert seen == [
        ("model.wrap", None, None, ctx, OUTER, "python"),
        ("model.before", None, None, ctx, OUTER, "python"),
        ("after.a", "a", {}, ctx, OUTER, "python"),
        ("before.b", "b", {"a": 1}, ctx, OUTER, "python"),
        ("after.b", "b", {"a": 1}, ctx, OUTER, "python"),
        ("inner.x", "x", {}, ctx, INNER, "python"),
        ("annotated.d", "d", {"a": 1, "b": 2, "c": [inner]}, ctx, OUTER, "python"),
        ("model.after", None, None, ctx, OUTER, "python"),
    ]


def test_every_validator_kind_on_the_json_path_data_holds_only_valid_fields() -> None:
    seen: Seen = []
    outer = _models(seen)
    with pytest.raises(ValidationError) as caught:
        outer.model_validate_json('{"a": "zz", "b": 2, "c": [{"x": 1}]}')
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [(("a",), "int_parsing")]
    assert seen == [
        ("model.wrap", None, None, None, OUTER, "json"),
        ("model.before", None, None, None, OUTER, "json"),
        ("before.b", "b", {}, None, OUTER, "json"),
        ("after.b", "b", {}, None, OUTER, "json"),
        ("inner.x", "x", {}, None, INNER, "json"),
    ]


def test_construction_gives_info_too() -> None:
    seen: Seen = []
    outer = _models(seen)
    outer(a=1)
    assert [entry[:3] for entry in seen] == [
        ("model.wrap", None, None),
        ("model.before", None, None),
        ("after.a", "a", {}),
        ("model.after", None, None),
    ]


def test_a_function_deep_in_a_field_type_sees_the_field() -> None:
    seen: Seen = []

    def deep(value: Any, info: ValidationInfo) -> Any:
        _record(seen, "deep", info)
        return value

    class M(Model, extra="forbid", strict=False):
        a: int = 0
        c: list[Annotated[int, AfterValidator(deep)]] = []

    M.model_validate({"a": 1, "c": [1, 2]})
    M.model_validate_json('{"a": 1, "c": [1]}')
    config = {"extra": "forbid", "strict": False, "title": "M"}
    assert seen == [
        ("deep", "c", {"a": 1}, None, config, "python"),
        ("deep", "c", {"a": 1}, None, config, "python"),
        ("deep", "c", {"a": 1}, None, config, "json"),
    ]


def test_data_is_the_live_dict_of_the_fields_so_far() -> None:
    """pydantic hands every validator the same dict, which fills up as fields pass."""
    kept: list[Any] = []
    sizes: list[int] = []

    class M(Model):
        a: int
        b: int
        c: int

        @field_validator("a", "b", "c")
        @classmethod
        def keep(cls, value: Any, info: ValidationInfo) -> Any:
            kept.append(info.data)
            sizes.append(len(info.data))
            return value

    M(a=1, b=2, c=3)
    assert sizes == [0, 1, 2]
    assert kept == [{"a": 1, "b": 2, "c": 3}] * 3
    assert kept[0] is kept[1] is kept[2]


def test_outside_a_model() -> None:
    seen: Seen = []

    def note(value: Any, info: ValidationInfo) -> Any:
        _record(seen, "ta", info)
        return value

    adapter = TypeAdapter(Annotated[int, AfterValidator(note)])
    assert adapter.validate_python(1, context=[1]) == 1
    assert adapter.validate_json("1") == 1
    assert adapter.validate_strings("1") == 1
    assert seen == [
        ("ta", None, None, [1], {}, "python"),
        ("ta", None, None, None, {}, "json"),
        ("ta", None, None, None, {}, "string"),
    ]


def test_assignment_sees_the_other_fields() -> None:
    seen: Seen = []

    class A(Model, validate_assignment=True):
        a: int = 0
        b: int = 0

        @field_validator("b")
        @classmethod
        def note(cls, value: Any, info: ValidationInfo) -> Any:
            _record(seen, "b", info)
            return value

    instance = A()
    seen.clear()
    instance.b = 3
    config = {"validate_assignment": True, "title": "A"}
    assert seen == [("b", "b", {"a": 0}, None, config, "python")]
    assert instance.b == 3


def test_config_holds_the_declared_options_and_the_title() -> None:
    configs: list[Any] = []

    class Base(Model, frozen=True):
        a: int

        @field_validator("a")
        @classmethod
        def note(cls, value: Any, info: ValidationInfo) -> Any:
            configs.append(info.config)
            return value

    class Child(Base):
        model_config = ConfigDict(title="Kid", str_max_length=5)

    Base(a=1)
    Child(a=1)
    assert configs == [
        {"frozen": True, "title": "Base"},
        {"frozen": True, "title": "Kid", "str_max_length": 5},
    ]


def test_repr_and_attributes_are_read_only() -> None:
    infos: list[Any] = []

    class M(Model):
        a: int

        @field_validator("a")
        @classmethod
        def keep(cls, value: Any, info: ValidationInfo) -> Any:
            infos.append(info)
            return value

    M.model_validate({"a": 1}, context="c")
    [info] = infos
    # data is the live dict: it holds the field once the field passed
    assert repr(info) == (
        "ValidationInfo(config={'title': 'M'}, context='c', data={'a': 1}, field_name='a')"
    )
    with pytest.raises(AttributeError):
        info.context = 1
    assert ferrule.ValidationInfo is ferrule.models.ValidationInfo


# --- which signatures take info (pydantic's count of positional parameters) ---------------


def _v_info(value: Any, info: Any) -> Any:
    return ("info", type(info).__name__)


def _v_only(value: Any, info: Any = None) -> Any:
    return ("plain", info)


def _v_star(*values: Any) -> Any:
    return ("star", len(values))


SIGNATURES = [
    (_v_info, ("info", "ValidationInfo")),
    (_v_only, ("plain", None)),  # a default: not counted, so no info (pydantic's rule)
    (_v_star, ("star", 1)),
]


@pytest.mark.parametrize(("function", "expected"), SIGNATURES)
@pytest.mark.parametrize("kind", [AfterValidator, BeforeValidator, PlainValidator])
def test_the_signature_says_whether_info_is_passed(kind: Any, function: Any, expected: Any) -> None:
    adapter = TypeAdapter(Annotated[Any, kind(function)])
    assert adapter.validate_python(0) == expected


def test_a_classmethod_field_validator_counts_after_cls() -> None:
    class M(Model):
        a: Any = None

        @field_validator("a", mode="plain")
        @classmethod
        def plain(cls, value: Any, info: ValidationInfo) -> Any:
            return (value, info.field_name)

    assert M(a=1).a == (1, "a")


def test_an_uncallable_signature_is_refused_at_definition() -> None:
    with pytest.raises(SchemaError, match="after validator"):
        TypeAdapter(Annotated[int, AfterValidator(lambda v, info, extra: v)])
    with pytest.raises(SchemaError, match=r"Bad\.check"):

        class Bad(Model):
            a: int

            @model_validator(mode="after")
            def check(self, info: Any, extra: Any) -> Any:
                return self


def test_field_options_still_apply_around_info_validators() -> None:
    class M(Model):
        a: Annotated[int, Field(gt=0)]

        @field_validator("a")
        @classmethod
        def double(cls, value: Any, info: ValidationInfo) -> Any:
            return value * 2

    assert M(a=2).a == 4
    with pytest.raises(ValidationError) as caught:
        M(a=0)
    assert caught.value.errors()[0]["type"] == "greater_than"


# --- schema level: both cores in one run ------------------------------------------------------


def _info_tuple(value: Any, info: Any) -> Any:
    return (value, info.field_name, info.data, info.context, info.config, info.mode)


def test_schema_level_function_with_info(core: Any) -> None:
    schema = s.function_schema("after", _info_tuple, s.int_schema(), info=True)
    validator = make_validator(core, schema)
    assert validator.validate_python("3") == (3, None, None, None, {}, "python")
    assert validator.validate_python(3, context={"x": 1}) == (3, None, None, {"x": 1}, {}, "python")
    assert validator.validate_json("3", context=2) == (3, None, None, 2, {}, "json")
    assert validator.validate_python("3", strings=True) == (3, None, None, None, {}, "string")
