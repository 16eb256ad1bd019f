"""How instances come to be, under whichever core the process selected: a user's `__init__`,
`__new__` and metaclass `__call__` run as pydantic runs them, `model_post_init` follows the fields,
and defining a class runs none of the user's code (`__del__` included).

Expected answers were recorded from pydantic 2.14 for the same classes."""

from __future__ import annotations

import gc
from typing import Any, ClassVar

import pytest

from ferrule import Field, Model, ValidationError, model_validator
from ferrule.models.base import ModelMeta


def test_user_init_runs_and_super_init_validates() -> None:
    calls: list[dict[str, Any]] = []

    class Point(Model):
        x: int
        y: int = 0

        def __init__(self, **data: Any) -> None:
            calls.append(dict(data))
            data.setdefault("y", "7")
            super().__init__(**data)

    point = Point(x="3")
    assert (point.x, point.y) == (3, 7)
    assert calls == [{"x": "3"}]
    with pytest.raises(ValidationError) as info:
        Point(x="nope")
    assert [e["loc"] for e in info.value.errors()] == [("x",)]
    # the validating entry points do not run __init__ (as pydantic)
    assert Point.model_validate({"x": 1}).y == 0
    assert len(calls) == 2


def test_user_init_may_take_positional_arguments() -> None:
    class Pair(Model):
        a: int
        b: int

        def __init__(self, a: Any, b: Any) -> None:
            super().__init__(a=a, b=b)

    assert (Pair(1, "2").a, Pair(1, "2").b) == (1, 2)


def test_explicit_reinit_validates_into_the_same_instance_all_or_nothing() -> None:
    class Box(Model):
        n: int
        label: str = "x"

    box = Box(n=1)
    box.__init__(n="5", label="y")  # type: ignore[misc]
    assert (box.n, box.label) == (5, "y")
    with pytest.raises(ValidationError):
        box.__init__(n="bad")  # type: ignore[misc]
    assert (box.n, box.label) == (5, "y")


def test_user_new_runs() -> None:
    made: list[str] = []

    class Tracked(Model):
        n: int

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            made.append(cls.__name__)
            return super().__new__(cls)

    tracked = Tracked(n="4")
    assert tracked.n == 4
    assert made == ["Tracked"]


def test_metaclass_call_runs() -> None:
    seen: list[dict[str, Any]] = []

    class CountingMeta(ModelMeta):
        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            seen.append(kwargs)
            return super().__call__(*args, **kwargs)

    class Counted(Model, metaclass=CountingMeta):
        n: int

    assert Counted(n="2").n == 2
    assert seen == [{"n": "2"}]


def test_subclass_of_a_class_with_init_keeps_running_it() -> None:
    calls: list[str] = []

    class Base(Model):
        n: int

        def __init__(self, **data: Any) -> None:
            calls.append(type(self).__name__)
            super().__init__(**data)

    class Child(Base):
        m: int = 0

    assert Child(n=1).n == 1
    assert calls == ["Child"]


def test_model_post_init_runs_after_the_fields_and_before_after_validators() -> None:
    log: list[Any] = []

    class Order(Model):
        qty: int

        def model_post_init(self, context: Any) -> None:
            log.append(("post_init", self.qty, context))

        @model_validator(mode="after")
        def check(self) -> Order:
            log.append(("after", self.qty))
            return self

    order = Order(qty="2")
    assert log == [("post_init", 2, None), ("after", 2)]
    log.clear()
    Order.model_validate({"qty": 3})
    Order.model_validate_json(b'{"qty": 4}')
    Order.validate_json_many(b'{"qty": 5}\n')
    Order.validate_many([{"qty": 6}])
    assert [entry[1] for entry in log if entry[0] == "post_init"] == [3, 4, 5, 6]
    log.clear()
    order.qty = 7  # assignment runs the after-validators, not model_post_init (as pydantic)
    assert log == [("after", 7)]


def test_model_post_init_may_assign_fields() -> None:
    class Line(Model):
        qty: int
        total: int = 0

        def model_post_init(self, context: Any) -> None:
            self.total = self.qty * 10

    assert Line(qty="3").total == 30
    assert Line.model_validate_json('{"qty": 4}').total == 40


def test_model_post_init_errors_are_validation_errors_with_the_input() -> None:
    class Strict(Model):
        n: int

        def model_post_init(self, context: Any) -> None:
            raise ValueError("bad post")

    for call in (
        lambda: Strict(n=1),
        lambda: Strict.model_validate({"n": 1}),
        lambda: Strict.model_validate_json('{"n": 1}'),
    ):
        with pytest.raises(ValidationError) as info:
            call()
        (error,) = info.value.errors()
        assert (error["type"], error["loc"], error["input"]) == ("value_error", (), {"n": 1})


def test_defining_a_class_runs_no_user_del() -> None:
    deleted: list[str] = []

    class Watched(Model):
        n: int
        m: str = ""

        def __del__(self) -> None:
            deleted.append("del")

    gc.collect()
    assert deleted == []
    Watched(n=1)
    gc.collect()
    assert deleted == ["del"]


class Registry(Model):
    count: ClassVar[int] = 0
    n: int = Field(default=0)


def test_classvars_are_not_fields() -> None:
    assert list(Registry.model_fields) == ["n"]
