"""Generic models: ``Page[User]`` is a real subclass compiled once with ``T`` replaced and
cached; open type variables validate as pydantic's do. Run on both cores (the suite runs again
with ``FERRULE_PURE_PYTHON=1``), through the dict and the JSON paths."""

from __future__ import annotations

import json
import pickle
import sys
from typing import Any, Generic, Optional, TypeVar

import pytest
import typing_extensions

import ferrule
from ferrule import Field, field_validator, model_validator
from ferrule.errors import SchemaError, ValidationError

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
U = TypeVar("U")
Bounded = TypeVar("Bounded", bound=int)
Constrained = TypeVar("Constrained", int, str)
Defaulted = typing_extensions.TypeVar("Defaulted", default=int)


class User(ferrule.Model):
    name: str


class Page(ferrule.Model, Generic[T]):
    items: list[T]
    total: int


class Pair(ferrule.Model, Generic[K, V]):
    a: K
    b: V


class Linked(ferrule.Model, Generic[T]):
    value: T
    next: Optional[Linked[T]] = None  # noqa: UP045 - the typing form, as users write it


class Open(ferrule.Model, Generic[Bounded, Constrained, Defaulted]):
    b: Bounded
    c: Constrained
    d: Defaulted


class Checked(ferrule.Model, Generic[T], extra="forbid"):
    value: T

    @field_validator("value")
    @classmethod
    def not_seven(cls, value: Any) -> Any:
        if value == 7:
            raise ValueError("seven")
        return value


def validate(cls: Any, data: Any, path: str) -> Any:
    if path == "json":
        return cls.model_validate_json(json.dumps(data))
    return cls.model_validate(data)


def errors(cls: Any, data: Any, path: str) -> list[tuple[Any, str]]:
    with pytest.raises(ValidationError) as caught:
        validate(cls, data, path)
    assert caught.value.title == cls.__name__
    return [(line["loc"], line["type"]) for line in caught.value.errors()]


PATHS = ["dict", "json"]


# --- the parametrised class ---------------------------------------------------------------


def test_a_parametrised_class_is_a_cached_subclass() -> None:
    page = Page[User]
    assert page is Page[User]
    assert issubclass(page, Page)
    assert page.__name__ == "Page[User]"
    assert page.__qualname__ == "Page[User]"
    assert page.__module__ == __name__
    assert Page[T] is Page  # every parameter given as itself: the class itself
    assert isinstance(page(items=[], total=0), Page)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: Page[int], "Page[int]"),
        (lambda: Page[int | None], "Page[Union[int, NoneType]]"),
        (lambda: Page[Optional[int]], "Page[Union[int, NoneType]]"),  # noqa: UP045
        (lambda: Page[list[int]], "Page[list[int]]"),
        (lambda: Page[dict[str, list[User]]], "Page[dict[str, list[User]]]"),
        (lambda: Page[tuple[int, ...]], "Page[tuple[int, ...]]"),
        (lambda: Page[Page[int]], "Page[Page[int]]"),
        (lambda: Pair[int, str], "Pair[int, str]"),
        (lambda: Pair[int, T], "Pair[int, ~T]"),
        (lambda: Open[int, str], "Open[int, str, int]"),  # a default fills the tail
    ],
)
def test_names_as_pydantic(make: Any, name: str) -> None:
    assert make().__name__ == name


def test_partial_parametrisation_completes() -> None:
    half = Pair[int, T]
    assert half[str] is Pair[int, str]
    assert half[str].model_validate({"a": "1", "b": "x"}) == Pair[int, str](a=1, b="x")
    assert half.model_validate({"a": "1", "b": [1]}).b == [1]  # T still open: anything


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: User[int], "cannot be parametrized because it does not inherit from typing"),
        (lambda: Pair[int], "Too few arguments for <class '" + __name__ + ".Pair'>; actual 1"),
        (lambda: Pair[int, str, int], "Too many arguments for <class '"),
    ],
)
def test_wrong_parameters_are_type_errors(make: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("[", r"\[").replace("(", r"\(")):
        make()


def test_an_unsupported_argument_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="cannot validate the annotation 1"):
        Page[1]  # type: ignore[valid-type]
    with pytest.raises(SchemaError):  # not cached half-made
        Page[1]  # type: ignore[valid-type]


# --- validation through the parametrised fields -----------------------------------------

CASES: list[tuple[Any, Any, Any]] = [
    (lambda: Page[int], {"items": ["1", 2], "total": 2}, {"items": [1, 2], "total": 2}),
    (lambda: Page[int], {"items": ["x"], "total": 1}, [(("items", 0), "int_parsing")]),
    (
        lambda: Page[User],
        {"items": [{"name": "a"}], "total": 1},
        {"items": [{"name": "a"}], "total": 1},
    ),
    (lambda: Page[User], {"items": [{}], "total": 1}, [(("items", 0, "name"), "missing")]),
    (lambda: Page, {"items": [1, "x"], "total": 1}, {"items": [1, "x"], "total": 1}),
    (
        lambda: Page[Page[int]],
        {"items": [{"items": ["3"], "total": 1}], "total": 1},
        {"items": [{"items": [3], "total": 1}], "total": 1},
    ),
    (
        lambda: Page[Page[int]],
        {"items": [{"items": ["z"], "total": 1}], "total": 1},
        [(("items", 0, "items", 0), "int_parsing")],
    ),
    (lambda: Pair[int, str], {"a": "1", "b": 2}, [(("b",), "string_type")]),
    (lambda: Pair[str, int], {"a": "1", "b": "2"}, {"a": "1", "b": 2}),
    (
        lambda: Linked[int],
        {"value": "1", "next": {"value": "2"}},
        {"value": 1, "next": {"value": 2, "next": None}},
    ),
    (
        lambda: Linked[int],
        {"value": 1, "next": {"value": "x"}},
        [(("next", "value"), "int_parsing")],
    ),
    # open type variables: the bound, the constraints as a union, the default
    (lambda: Open, {"b": "1", "c": "2", "d": "3"}, {"b": 1, "c": "2", "d": 3}),
    (
        lambda: Open,
        {"b": "x", "c": 1.5, "d": "y"},
        [
            (("b",), "int_parsing"),
            (("c", "int"), "int_from_float"),
            (("c", "str"), "string_type"),
            (("d",), "int_parsing"),
        ],
    ),
    (lambda: Open[bool, str], {"b": "yes", "c": "2", "d": "3"}, {"b": True, "c": "2", "d": 3}),
    # validators and config come with the class
    (lambda: Checked[int], {"value": "7"}, [(("value",), "value_error")]),
    (lambda: Checked[int], {"value": 1, "x": 1}, [(("x",), "extra_forbidden")]),
    (lambda: Checked[str], {"value": "8"}, {"value": "8"}),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("make", "data", "expected"), CASES)
def test_validation(make: Any, data: Any, expected: Any, path: str) -> None:
    cls = make()
    if isinstance(expected, list):
        assert errors(cls, data, path) == expected
        return
    instance = validate(cls, data, path)
    assert type(instance) is cls
    assert instance.model_dump() == expected
    assert json.loads(instance.model_dump_json()) == expected


def test_self_reference_is_parametrised_too() -> None:
    chain = Linked[int].model_validate({"value": 1, "next": {"value": 2}})
    assert type(chain.next) is Linked[int]
    assert repr(chain) == "Linked[int](value=1, next=Linked[int](value=2, next=None))"


def test_construction_and_assignment() -> None:
    page = Page[int](items=["1"], total="1")
    assert (page.items, page.total) == ([1], 1)
    with pytest.raises(ValidationError):
        page.items = ["x"]
    page.items = ["5"]
    assert page.items == [5]


def test_subclasses_of_parametrised_and_generic_classes() -> None:
    class Numbers(Page[int]):
        note: str = "-"

    assert Numbers.model_validate({"items": ["1"], "total": 1}).items == [1]

    class Tagged(Page[U], Generic[U]):
        tag: U

    assert Tagged[str].__name__ == "Tagged[str]"
    with pytest.raises(ValidationError) as caught:
        Tagged[str].model_validate({"items": [1], "total": 1, "tag": "x"})
    assert [e["loc"] for e in caught.value.errors()] == [("items", 0)]

    class Wrapper(ferrule.Model, Generic[U]):
        page: Page[U]

    wrapped = Wrapper[int].model_validate({"page": {"items": ["2"], "total": 1}})
    assert type(wrapped.page) is Page[int]
    assert wrapped.page.items == [2]


def test_model_validator_is_inherited() -> None:
    class Sized(ferrule.Model, Generic[T]):
        items: list[T]

        @model_validator(mode="after")
        def non_empty(self) -> Any:
            if not self.items:
                raise ValueError("empty")
            return self

    with pytest.raises(ValidationError):
        Sized[int].model_validate({"items": []})
    assert Sized[int](items=["1"]).items == [1]


def test_forward_reference_inside_a_generic() -> None:
    class Box(ferrule.Model, Generic[T]):
        item: T
        label: Label

    boxed = Box[int]
    with pytest.raises(SchemaError, match="not fully defined"):
        boxed.model_validate({"item": 1, "label": {"text": "a"}})

    class Label(ferrule.Model):
        text: str

    got = boxed.model_validate_json('{"item": "1", "label": {"text": "a"}}')
    assert (got.item, got.label.text) == (1, "a")


def test_pickle_and_copy_of_parametrised_instances() -> None:
    page = Page[User](items=[User(name="a")], total=1)
    again = pickle.loads(pickle.dumps(page))
    assert type(again) is Page[User]
    assert again == page
    assert pickle.loads(pickle.dumps(Page[User])) is Page[User]
    assert pickle.loads(pickle.dumps(Pair[int, T])) is Pair[int, T]
    assert page.model_copy(deep=True) == page


def test_field_options_survive_parametrisation() -> None:
    class Limited(ferrule.Model, Generic[T]):
        items: list[T] = Field(default_factory=list, max_length=2, alias="Items")

    assert Limited[int].model_validate({"Items": ["1"]}).items == [1]
    assert Limited[int]().items == []
    with pytest.raises(ValidationError):
        Limited[int].model_validate({"Items": [1, 2, 3]})


def test_json_schema() -> None:
    assert Page[int].model_json_schema() == {
        "title": "Page[int]",
        "type": "object",
        "properties": {
            "items": {"title": "Items", "type": "array", "items": {"type": "integer"}},
            "total": {"title": "Total", "type": "integer"},
        },
        "required": ["items", "total"],
    }

    class Holder(ferrule.Model):
        page: Page[User]

    schema = Holder.model_json_schema()
    assert schema["properties"]["page"] == {"$ref": "#/$defs/Page_User_"}
    assert schema["$defs"]["Page_User_"]["title"] == "Page[User]"


@pytest.mark.parametrize(
    "given",
    [
        lambda: Page(items=["1"], total="2"),
        lambda: Page[str](items=["1"], total=2),
        lambda: Page.model_construct(items=["1"], total=2),
    ],
)
def test_an_instance_of_the_origin_is_validated_again(given: Any) -> None:
    got = Page[int].model_validate(given())
    assert type(got) is Page[int]
    assert (got.items, got.total) == ([1], 2)

    class Holder(ferrule.Model):
        page: Page[int]

    assert Holder(page=given()).page == Page[int](items=[1], total=2)


def test_an_instance_of_the_origin_with_bad_values() -> None:
    with pytest.raises(ValidationError) as caught:
        Page[int].model_validate(Page(items=["x"], total=1))
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [(("items", 0), "int_parsing")]
    same = Page[int](items=[1], total=1)
    assert Page[int].model_validate(same) is same
    with pytest.raises(ValidationError) as caught:
        Page[int].model_validate(User(name="a"))
    assert caught.value.errors()[0]["ctx"] == {"class_name": "Page[int]"}


def test_names_given_as_strings() -> None:
    assert Page["User"] is Page[User]

    class Holder(ferrule.Model):
        page: Page[Later]

    class Later(ferrule.Model):
        x: int

    held = Holder.model_validate({"page": {"items": [{"x": "1"}], "total": 1}})
    assert type(held.page) is Page[Later]
    with pytest.raises(NameError):
        Page["Nowhere"]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax needs Python 3.12")
def test_pep_695_syntax() -> None:
    names: dict[str, Any] = {"Model": ferrule.Model}
    source = (
        "class Page[T](Model):\n"
        "    items: list[T]\n"
        "    next: 'Page[T] | None' = None\n"
        "class Bounded[B: int](Model):\n"
        "    value: B\n"
    )
    # dont_inherit: no `from __future__ import annotations` (the quotes are the string)
    exec(compile(source, "<pep695>", "exec", dont_inherit=True), names)
    page = names["Page"]
    got = page[int].model_validate({"items": ["1"], "next": {"items": ["2"]}})
    assert type(got.next) is page[int]
    assert got.next.items == [2]
    assert page.model_validate({"items": ["x"]}).items == ["x"]
    assert names["Bounded"].model_validate({"value": "3"}).value == 3
