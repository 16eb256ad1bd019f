"""What a model class is made of at definition: required markers, ABC mixins, repr, the extra
values of ``extra="allow"`` classes. Expected answers are pydantic 2.14's for the same classes.
Run under whichever core the process selected (FERRULE_PURE_PYTHON=1 for the pure twin)."""

from __future__ import annotations

import abc
import json
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from cores import Err, check

from ferrule import Field, Model
from ferrule.models._core import ModelBase

# --- `...` means required ------------------------------------------------------------------------


class Marked(Model):
    by_field: int = Field(...)
    by_ellipsis: int = ...  # type: ignore[assignment]
    annotated: Annotated[int, Field(...)]
    with_options: str = Field(..., min_length=2, alias="opts")


MISSING_ALL = Err(
    (("by_field",), "missing"),
    (("by_ellipsis",), "missing"),
    (("annotated",), "missing"),
    (("opts",), "missing"),
)


@pytest.mark.parametrize(
    "run",
    [
        lambda: Marked(),
        lambda: Marked.model_validate({}),
        lambda: Marked.model_validate_json("{}"),
    ],
    ids=["construct", "dict", "json"],
)
def test_ellipsis_means_required(run: Callable[[], Any]) -> None:
    check(run, MISSING_ALL)


def test_ellipsis_fields_are_required_in_the_class_description() -> None:
    assert all(info.required for info in Marked.model_fields.values())
    assert Marked.model_json_schema()["required"] == [
        "by_field",
        "by_ellipsis",
        "annotated",
        "opts",
    ]
    built = Marked(by_field=1, by_ellipsis=2, annotated=3, opts="ab")
    assert built.model_dump() == {
        "by_field": 1,
        "by_ellipsis": 2,
        "annotated": 3,
        "with_options": "ab",
    }
    assert Marked.model_construct().model_dump() == {}


# --- repr of values that contain themselves -------------------------------------------------------


class Node(Model, extra="allow"):
    child: Any = None
    items: list[Any] = Field(default_factory=list)


def _self_child() -> Any:
    node = Node()
    node.child = node
    return node


def _mutual() -> Any:
    first, second = Node(), Node()
    first.child, second.child = second, first
    return first


def _in_list() -> Any:
    node = Node()
    node.items.append(node)
    return node


def _in_extra() -> Any:
    node = Node()
    node.other = node
    return node


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (_self_child, "Node(child=..., items=[])"),
        (_mutual, "Node(child=Node(child=..., items=[]), items=[])"),
        (_in_list, "Node(child=None, items=[...])"),
        (_in_extra, "Node(child=None, items=[], other=...)"),
    ],
    ids=["self", "mutual", "list", "extra"],
)
def test_repr_of_a_cycle_ends(build: Callable[[], Any], expected: str) -> None:
    assert repr(build()) == expected


# --- ABC mixins -----------------------------------------------------------------------------------


class Shape(Model, abc.ABC):
    name: str = "shape"

    @abc.abstractmethod
    def area(self) -> float: ...


class Square(Shape):
    side: float = 1.0

    def area(self) -> float:
        return self.side**2


class Drawing(Model):
    shape: Shape | None = None


@pytest.mark.parametrize(
    "run",
    [
        lambda: Shape(name="x"),
        lambda: Shape.model_validate({"name": "x"}),
        lambda: Shape.model_validate_json('{"name": "x"}'),
        lambda: Shape.validate_many([{}]),
        lambda: Drawing(shape={"name": "x"}),
        lambda: Drawing.model_validate_json('{"shape": {}}'),
        lambda: Shape.model_construct(),
    ],
    ids=["construct", "dict", "json", "many", "nested", "nested-json", "model_construct"],
)
def test_an_abstract_model_cannot_be_instantiated(run: Callable[[], Any]) -> None:
    with pytest.raises(TypeError, match="abstract class Shape"):
        run()


def test_abc_mixins_work_as_on_any_class() -> None:
    square = Square(side=2)
    assert square.area() == 4 and isinstance(square, Shape) and isinstance(square, abc.ABC)
    assert Drawing(shape=square).shape is square
    assert Square.model_validate_json('{"side": 3}').area() == 9
    assert list(Shape.model_fields) == ["name"]
    assert Shape.model_json_schema()["properties"]["name"]["default"] == "shape"

    class Either(abc.ABC, Model):  # the mixin first works too
        x: int = 0

    assert Either(x="1").x == 1


# --- extra="allow" values read as attributes ------------------------------------------------------


class Open(Model, extra="allow"):
    a: int = 0


class Closed(Model):
    a: int = 0


def test_extra_values_are_attributes() -> None:
    record = Open(a=1, b=2)
    assert record.b == 2 and getattr(record, "b") == 2  # noqa: B009
    record.c = 3
    assert record.c == 3 and record.model_dump() == {"a": 1, "b": 2, "c": 3}
    assert Open.model_validate_json('{"d": [1]}').d == [1]
    with pytest.raises(AttributeError, match="'Open' object has no attribute 'missing'"):
        _ = record.missing
    assert not hasattr(Open.model_construct(), "b")
    assert json.loads(record.model_dump_json()) == {"a": 1, "b": 2, "c": 3}


def test_only_extra_allow_classes_read_unknown_attributes() -> None:
    for base in (ModelBase, Model, Closed):
        assert "__getattr__" not in vars(base)
        assert getattr(base, "__getattr__", None) is None
        assert base.__getattribute__ is object.__getattribute__
    assert "__getattr__" in vars(Open)


def test_a_users_own_getattr_is_kept() -> None:
    class Lookup(Model):
        a: int = 0

        def __getattr__(self, name: str) -> Any:
            return f"computed {name}"

    class Both(Lookup, extra="allow"):
        pass

    assert Both(b=1).c == "computed c"
    assert Both(b=1).model_dump() == {"a": 0, "b": 1}


# --- what class definition takes as given (issue 8: the shortcuts keep every answer) -------------


def test_a_base_config_changed_after_definition_is_inherited() -> None:
    # pydantic: the subclass merges the base's model_config as it is at the subclass's definition
    class Base(Model):
        id: int

    Base.model_config["extra"] = "forbid"  # type: ignore[index]

    class Child(Base):
        name: str = "x"

    assert Child.model_config["extra"] == "forbid"
    check(lambda: Child.model_validate({"id": 1, "more": 2}), Err((("more",), "extra_forbidden")))


def test_a_forward_reference_in_a_function_is_resolved_on_first_use() -> None:
    class Tree(Model):
        leaf: Leaf  # defined below, in this function

    class Leaf(Model):
        value: int

    assert Tree.model_validate({"leaf": {"value": 1}}).leaf.value == 1
    assert "__ferrule_scope__" not in vars(Tree)  # the frame went once the names resolved


def test_a_nested_validator_that_takes_info_is_found() -> None:
    from ferrule import ValidationInfo
    from ferrule.models.functional_validators import AfterValidator

    seen: list[str | None] = []

    def record(value: int, info: ValidationInfo) -> int:
        seen.append(info.field_name)
        return value

    class Plain(Model):
        flat: int = 0
        nested: list[Annotated[int, AfterValidator(record)]]

    assert Plain.__ferrule_schema__["field_info"] is True
    Plain.model_validate({"nested": [1]})
    assert seen == ["nested"]
