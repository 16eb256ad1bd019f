"""User validators (`field_validator`, `model_validator`): which run, in which order, and which
signatures are accepted. The expected orders are pydantic 2.14's for the same classes.
Run under whichever core the process selected (FERRULE_PURE_PYTHON=1 for the pure twin)."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import Model, SchemaError, field_validator, model_validator

Log = list[Any]


def inheritance(log: Log) -> Any:
    class Parent(Model):
        a: int = 0

        @field_validator("a")
        @classmethod
        def parent_after(cls, v: int) -> int:
            log.append("Parent.after")
            return v

        @field_validator("a")
        @classmethod
        def shared(cls, v: int) -> int:
            log.append("Parent.shared")
            return v

        @field_validator("a", mode="before")
        @classmethod
        def parent_before(cls, v: Any) -> Any:
            log.append("Parent.before")
            return v

        @model_validator(mode="before")
        @classmethod
        def parent_model_before(cls, data: Any) -> Any:
            log.append("Parent.model_before")
            return data

        @model_validator(mode="after")
        def parent_model_after(self) -> Any:
            log.append("Parent.model_after")
            return self

    class Child(Parent):
        @field_validator("a")
        @classmethod
        def child_after(cls, v: int) -> int:
            log.append("Child.after")
            return v

        @field_validator("a")
        @classmethod
        def shared(cls, v: int) -> int:  # replaces the parent's, in the parent's place
            log.append("Child.shared")
            return v

        @field_validator("a", mode="before")
        @classmethod
        def child_before(cls, v: Any) -> Any:
            log.append("Child.before")
            return v

        @model_validator(mode="before")
        @classmethod
        def child_model_before(cls, data: Any) -> Any:
            log.append("Child.model_before")
            return data

        @model_validator(mode="after")
        def child_model_after(self) -> Any:
            log.append("Child.model_after")
            return self

    return Child


def hidden_by_plain_attribute(log: Log) -> Any:
    parent = inheritance(log).__mro__[1]

    class Child(parent):  # type: ignore[valid-type,misc]
        shared = None  # not a validator: the parent's `shared` no longer runs

    return Child


def one_field_many_modes(log: Log) -> Any:
    class Many(Model):
        a: int = 0
        b: int = 0

        @field_validator("a", "b")
        @classmethod
        def both(cls, v: int) -> int:
            log.append(("both", v))
            return v + 1

        @field_validator("a")
        @classmethod
        def after1(cls, v: int) -> int:
            log.append("after1")
            return v

        @field_validator("a", mode="before")
        @classmethod
        def before1(cls, v: Any) -> Any:
            log.append("before1")
            return v

        @field_validator("a")
        @classmethod
        def after2(cls, v: int) -> int:
            log.append("after2")
            return v

        @field_validator("a", mode="before")
        @classmethod
        def before2(cls, v: Any) -> Any:
            log.append("before2")
            return v

    return Many


def plain_replaces_what_is_inside(log: Log) -> Any:
    class Plain(Model):
        a: int = 0

        @field_validator("a")
        @classmethod
        def after1(cls, v: int) -> int:
            log.append("after1")
            return v

        @field_validator("a", mode="plain")
        @classmethod
        def plain(cls, v: Any) -> Any:
            log.append("plain")
            return v

        @field_validator("a")
        @classmethod
        def after2(cls, v: int) -> int:
            log.append("after2")
            return v

        @field_validator("a", mode="before")
        @classmethod
        def before1(cls, v: Any) -> Any:
            log.append("before1")
            return v

    return Plain


def model_validators_in_one_class(log: Log) -> Any:
    class Ordered(Model):
        a: int = 0

        @model_validator(mode="before")
        @classmethod
        def before1(cls, data: Any) -> Any:
            log.append("before1")
            return data

        @model_validator(mode="before")
        @classmethod
        def before2(cls, data: Any) -> Any:
            log.append("before2")
            return data

        @model_validator(mode="after")
        def after1(self) -> Any:
            log.append("after1")
            return self

        @model_validator(mode="after")
        def after2(self) -> Any:
            log.append("after2")
            return self

    return Ordered


def named_twice(log: Log) -> Any:
    class Twice(Model):
        a: int = 0

        @field_validator("a", "a")
        @classmethod
        def once(cls, v: int) -> int:
            log.append(v)
            return v + 1

    return Twice


def stacked(log: Log) -> Any:
    class Stacked(Model):
        a: int = 0
        b: int = 0

        @field_validator("a")
        @field_validator("b", "a")
        @classmethod
        def check(cls, v: int) -> int:
            log.append(v)
            return v + 1

    return Stacked


def inherited_for_two_fields(log: Log) -> Any:
    class Base(Model):
        a: int = 0
        b: int = 0

        @field_validator("a", "b")
        @classmethod
        def check(cls, v: int) -> int:
            log.append(v)
            return v + 1

    class Sub(Base):
        c: int = 0

    return Sub


def partial_function(log: Log) -> Any:
    def check(tag: str, v: int) -> int:
        log.append((tag, v))
        return v + 1

    class Partial(Model):
        a: int = 0
        run = field_validator("a")(functools.partial(check, "p"))

    return Partial


def static_function(log: Log) -> Any:
    class Static(Model):
        a: int = 0

        @field_validator("a")
        @staticmethod
        def check(v: int) -> int:
            log.append(("static", v))
            return v + 1

    return Static


def from_a_mixin(log: Log) -> Any:
    class Mixin:
        @field_validator("a")
        @classmethod
        def bump(cls, v: int) -> int:
            log.append(("mixin", v))
            return v + 1

    class Mixed(Model, Mixin):
        a: int = 0

    return Mixed


# (class builder, input, expected log, expected dump): the log is what pydantic 2.14 records.
ORDERS: list[tuple[Callable[[Log], Any], dict[str, Any], Log, dict[str, Any]]] = [
    (
        inheritance,
        {"a": 1},
        [
            "Child.model_before",
            "Parent.model_before",
            "Child.before",
            "Parent.before",
            "Parent.after",
            "Child.shared",
            "Child.after",
            "Parent.model_after",
            "Child.model_after",
        ],
        {"a": 1},
    ),
    (
        hidden_by_plain_attribute,
        {"a": 1},
        ["Parent.model_before", "Parent.before", "Parent.after", "Parent.model_after"],
        {"a": 1},
    ),
    (
        one_field_many_modes,
        {"a": 1, "b": 10},
        ["before2", "before1", ("both", 1), "after1", "after2", ("both", 10)],
        {"a": 2, "b": 11},
    ),
    (plain_replaces_what_is_inside, {"a": 1}, ["before1", "plain", "after2"], {"a": 1}),
    (model_validators_in_one_class, {}, ["before2", "before1", "after1", "after2"], {"a": 0}),
    (named_twice, {"a": 1}, [1], {"a": 2}),
    # pydantic refuses stacked field_validator decorators (TypeError); ferrule validates
    # each named field once
    (stacked, {"a": 1, "b": 10}, [1, 10], {"a": 2, "b": 11}),
    (inherited_for_two_fields, {"a": 1, "b": 10}, [1, 10], {"a": 2, "b": 11, "c": 0}),
    (partial_function, {"a": 1}, [("p", 1)], {"a": 2}),
    (static_function, {"a": 1}, [("static", 1)], {"a": 2}),
    (from_a_mixin, {"a": 1}, [("mixin", 1)], {"a": 2}),
]


@pytest.mark.parametrize(
    ("build", "data", "log", "dump"), ORDERS, ids=[case[0].__name__ for case in ORDERS]
)
def test_validators_run_in_pydantic_order(
    build: Callable[[Log], Any], data: dict[str, Any], log: Log, dump: dict[str, Any]
) -> None:
    seen: Log = []
    cls = build(seen)
    assert cls(**data).model_dump() == dump
    assert seen == log
    seen.clear()
    assert cls.model_validate(data).model_dump() == dump
    assert seen == log


def _info_field(cls: Any, v: Any, info: Any) -> Any:
    return v


def _info_model_after(self: Any, info: Any) -> Any:
    return self


def _two_values(v: Any, w: Any) -> Any:
    return v


def _keyword_only(v: Any, *, info: Any) -> Any:
    return v


def _nothing() -> Any:
    return None


def _three_values(v: Any, w: Any, x: Any) -> Any:
    return v


def _one_value(v: Any) -> Any:
    return v


def _fresh(function: Any) -> Any:
    """A copy of ``function``: the decorators mark the function object itself."""
    return types.FunctionType(
        function.__code__, function.__globals__, function.__name__, function.__defaults__
    )


# Signatures ferrule cannot call as ``(value[, info])`` (``(value, handler[, info])`` for wrap)
# are refused at definition. (decorator, wrapper, function) -> SchemaError naming it.
SIGNATURES: list[tuple[str, Any, Any, Any]] = [
    ("keyword-only", field_validator("a", mode="plain"), staticmethod, _keyword_only),
    ("no value", field_validator("a"), staticmethod, _nothing),
    ("three values", field_validator("a"), staticmethod, _three_values),
    ("wrap without handler", field_validator("a", mode="wrap"), staticmethod, _one_value),
    ("model before no value", model_validator(mode="before"), staticmethod, _nothing),
    ("model wrap one value", model_validator(mode="wrap"), staticmethod, _one_value),
]


@pytest.mark.parametrize(
    ("decorator", "wrapper", "function"),
    [case[1:] for case in SIGNATURES],
    ids=[case[0] for case in SIGNATURES],
)
def test_unsupported_signatures_fail_at_definition(
    decorator: Any, wrapper: Any, function: Any
) -> None:
    function = _fresh(function)
    check = decorator(function if wrapper is None else wrapper(function))
    namespace = {"__annotations__": {"a": int}, "a": 0, "check": check}
    with pytest.raises(SchemaError, match=r"Bad\.check"):
        type(Model)("Bad", (Model,), namespace)


def _optional_info(cls: Any, v: Any, info: Any = None) -> Any:
    return v * 2


def test_a_signature_that_takes_one_value_is_accepted() -> None:
    class Fine(Model):
        a: int = 0
        check = field_validator("a")(classmethod(_optional_info))

    assert Fine(a=2).a == 4


def test_validator_decorators_refuse_non_functions() -> None:
    with pytest.raises(TypeError, match="field_validator"):
        field_validator("a")(len)
    with pytest.raises(TypeError, match="model_validator"):
        model_validator(mode="after")(field_validator("a")(_info_field))


class Refusing(Model):
    a: int = 0

    @model_validator(mode="before")
    @classmethod
    def refuse(cls, data: Any) -> Any:
        raise LookupError("not a ValueError: it propagates")


class Holding(Model):
    inner: Refusing | None = None


@pytest.mark.parametrize(
    "run",
    [
        lambda: Holding(inner={}),
        lambda: Holding.model_validate_json('{"inner": {}}'),
        lambda: Holding.model_validate_json('{"inner": {}, "more": [1, 2]}'),
        lambda: Holding.validate_json_many('[{"inner": {}}, {}]'),
        lambda: Holding.validate_json_many('[{"inner": {}}, {}]', errors="collect"),
    ],
    ids=["python", "json", "json-more", "json-array", "json-array-collect"],
)
def test_other_exceptions_of_a_nested_validator_propagate(run: Callable[[], Any]) -> None:
    with pytest.raises(LookupError, match="it propagates"):
        run()


@pytest.mark.parametrize(
    "data", ['{"inner": {}, "more": [1, }', '[{"inner": {}}, {]'], ids=["document", "array"]
)
def test_invalid_json_still_wins_over_a_validator_exception(data: str) -> None:
    from ferrule import ValidationError

    run = Holding.validate_json_many if data.startswith("[") else Holding.model_validate_json
    with pytest.raises(ValidationError) as info:
        run(data)
    assert [e["type"] for e in info.value.errors()] == ["json_invalid"]
