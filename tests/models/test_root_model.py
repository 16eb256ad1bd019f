"""`RootModel[T]`: the bare value in (``model_validate``, JSON, construction, as a field of
another model) and the bare value out (``model_dump``, JSON), with pydantic's answers. Run on
both cores (the suite runs again with ``FERRULE_PURE_PYTHON=1``), dict and JSON paths."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ferrule
from ferrule import Field, RootModel, model_validator
from ferrule.errors import SchemaError, ValidationError


class Pets(RootModel[list[str]]):
    pass


class Scores(RootModel[dict[str, int]]):
    """Scores by name."""


class Owner(ferrule.Model):
    pets: Pets
    count: RootModel[int] = RootModel[int](3)


PATHS = ["dict", "json"]


def validate(cls: Any, data: Any, path: str) -> Any:
    if path == "json":
        return cls.model_validate_json(json.dumps(data))
    return cls.model_validate(data)


CASES: list[tuple[Any, Any, Any]] = [
    (lambda: Pets, ["a", "b"], ["a", "b"]),
    (lambda: Pets, [1], [((0,), "string_type")]),
    (lambda: Pets, {"a": 1}, [((), "list_type")]),
    (lambda: Scores, {"a": "1"}, {"a": 1}),
    (lambda: Scores, {"a": "x"}, [(("a",), "int_parsing")]),
    (lambda: RootModel[int], "5", 5),
    (lambda: RootModel[int], "x", [((), "int_parsing")]),
    (lambda: RootModel[list[int]], [1, "2"], [1, 2]),
    (lambda: RootModel, {"any": ["thing"]}, {"any": ["thing"]}),
    (lambda: Owner, {"pets": ["a"]}, {"pets": ["a"], "count": 3}),
    (lambda: Owner, {"pets": ["q"], "count": "5"}, {"pets": ["q"], "count": 5}),
    (lambda: Owner, {"pets": "a"}, [(("pets",), "list_type")]),
    (lambda: Owner, {"pets": [None]}, [(("pets", 0), "string_type")]),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("make", "data", "expected"), CASES)
def test_bare_value_in_and_out(make: Any, data: Any, expected: Any, path: str) -> None:
    cls = make()
    if isinstance(expected, list) and expected and isinstance(expected[0], tuple):
        with pytest.raises(ValidationError) as caught:
            validate(cls, data, path)
        assert caught.value.title == cls.__name__
        assert [(e["loc"], e["type"]) for e in caught.value.errors()] == expected
        return
    instance = validate(cls, data, path)
    assert type(instance) is cls
    assert instance.model_dump() == expected
    assert instance.model_dump(mode="json") == expected
    assert json.loads(instance.model_dump_json()) == expected
    assert instance.json_bytes() == json.dumps(expected, separators=(",", ":")).encode()


def test_root_attribute_and_repr() -> None:
    pets = Pets(["a", "b"])
    assert pets.root == ["a", "b"]
    assert repr(pets) == "Pets(root=['a', 'b'])"
    assert repr(RootModel[int](3)) == "RootModel[int](root=3)"
    assert RootModel[list[int]].__name__ == "RootModel[list[int]]"
    assert RootModel[int] is RootModel[int]


def test_construction_forms() -> None:
    assert Pets(["a"]).root == ["a"]
    assert Pets(root=["z"]).root == ["z"]
    assert Scores(a=1, b="2").root == {"a": 1, "b": 2}  # keywords are the value
    with pytest.raises(ValueError, match="either a single positional argument or arbitrary"):
        Pets(["a"], x=1)  # type: ignore[call-arg]
    with pytest.raises(ValidationError) as caught:
        Pets([1])
    assert caught.value.errors()[0]["loc"] == (0,)
    with pytest.raises(ValidationError) as caught:
        Pets()
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [((), "missing")]


def test_default_root() -> None:
    class Five(RootModel[int]):
        root: int = 5

    assert Five().root == 5
    assert Five(6).root == 6
    assert list(Five.model_fields) == ["root"]


def test_no_iteration_or_indexing_added() -> None:
    pets = Pets(["a"])
    assert not hasattr(pets, "__getitem__")
    with pytest.raises(TypeError):
        iter(pets)  # type: ignore[call-overload]


def test_equality_and_hash() -> None:
    assert Pets(["a"]) == Pets(["a"])
    assert Pets(["a"]) != Pets(["b"])
    assert RootModel[int](1) != 1

    class Frozen(RootModel[int], frozen=True):
        pass

    assert hash(Frozen(1)) == hash(Frozen(1))
    with pytest.raises(ValidationError):
        Frozen(1).root = 2


def test_assignment_validates() -> None:
    pets = Pets(["a"])
    pets.root = ["b"]
    assert pets.root == ["b"]
    with pytest.raises(ValidationError):
        pets.root = [1]  # type: ignore[list-item]


def test_an_instance_is_kept() -> None:
    pets = Pets(["a"])
    assert Pets.model_validate(pets) is pets
    assert Owner(pets=pets).pets is pets


def test_before_validator_sees_the_bare_value() -> None:
    seen: list[Any] = []

    class Logged(RootModel[int]):
        @model_validator(mode="before")
        @classmethod
        def log(cls, value: Any) -> Any:
            seen.append(value)
            return value

    assert Logged.model_validate(3).root == 3
    assert Logged(4).root == 4
    assert Logged.model_validate_json("5").root == 5
    assert seen == [3, 4, 5]


def test_copies_pickles_and_construct() -> None:
    pets = Pets(["a", "b"])
    assert pickle.loads(pickle.dumps(pets)) == pets
    assert copy.deepcopy(pets) == pets
    assert pets.model_copy() == pets
    assert RootModel[int].model_construct(5).root == 5
    assert RootModel[int].model_construct(root=6).root == 6
    assert pickle.loads(pickle.dumps(RootModel[int](7))) == RootModel[int](7)


def test_dump_options_reach_the_root_value() -> None:
    class Rows(RootModel[list[dict[str, Any]]]):
        pass

    rows = Rows([{"a": 1, "b": None}])
    assert rows.model_dump(exclude_none=True) == [{"a": 1, "b": None}]  # dict values kept
    assert rows.model_dump(include={0: {"a"}}) == [{"a": 1}]
    assert rows.model_dump_json(indent=2) == '[\n  {\n    "a": 1,\n    "b": null\n  }\n]'


def test_only_root_is_allowed() -> None:
    with pytest.raises(SchemaError, match="only 'root' is allowed"):

        class Bad(RootModel[int]):
            x: int

    with pytest.raises(SchemaError, match="extra"):

        class Extra(RootModel[int], extra="forbid"):
            pass


def test_constraints_on_root() -> None:
    class Short(RootModel[list[int]]):
        root: list[int] = Field(max_length=2)

    assert Short([1, 2]).root == [1, 2]
    with pytest.raises(ValidationError) as caught:
        Short.model_validate([1, 2, 3])
    assert caught.value.errors()[0]["type"] == "too_long"


def test_json_schema() -> None:
    assert Pets.model_json_schema() == {
        "title": "Pets",
        "type": "array",
        "items": {"type": "string"},
    }
    assert Scores.model_json_schema() == {
        "title": "Scores",
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "description": "Scores by name.",
    }
    assert Owner.model_json_schema() == {
        "title": "Owner",
        "type": "object",
        "properties": {
            "pets": {"$ref": "#/$defs/Pets"},
            "count": {"$ref": "#/$defs/RootModel_int_", "default": 3},
        },
        "required": ["pets"],
        "$defs": {
            "Pets": {"title": "Pets", "type": "array", "items": {"type": "string"}},
            "RootModel_int_": {"title": "RootModel[int]", "type": "integer"},
        },
    }


def test_a_generic_root_model() -> None:
    from typing import Generic, TypeVar

    T = TypeVar("T")

    class Listing(RootModel[list[T]], Generic[T]):
        pass

    assert Listing[int].model_validate(["1"]).root == [1]
    assert Listing[int].__name__ == "Listing[int]"
    with pytest.raises(ValidationError):
        Listing[int].model_validate_json('["x"]')


def test_a_root_model_holding_itself_is_an_error_not_a_crash() -> None:
    from ferrule.errors import JSONError

    loop = RootModel(1)
    loop.root = loop
    for dump in (loop.model_dump, loop.model_dump_json, lambda: loop.model_dump_json(indent=2)):
        with pytest.raises(JSONError):
            dump()


def test_type_adapter_batches_and_json_functions() -> None:
    import ferrule.json

    adapter = ferrule.TypeAdapter(list[Pets])
    pets = adapter.validate_python([["a"], ["b"]])
    assert pets == [Pets(["a"]), Pets(["b"])]
    assert adapter.dump_python(pets) == [["a"], ["b"]]
    assert adapter.dump_json(pets) == b'[["a"],["b"]]'
    assert adapter.validate_json('[["x"]]') == [Pets(["x"])]
    assert Pets.validate_many([["a"], ["b"]]) == [Pets(["a"]), Pets(["b"])]
    assert Pets.validate_json_many('[["a"],["b"]]') == [Pets(["a"]), Pets(["b"])]
    batch = Pets.validate_many([["a"], [1]], errors="collect")
    assert batch.valid == [Pets(["a"])]
    assert list(batch.errors) == [1]
    assert list(Pets.validate_json_stream(b'[["a"],["b"]]')) == [Pets(["a"]), Pets(["b"])]
    assert ferrule.json.dumps(Owner(pets=Pets(["z"]))) == '{"pets":["z"],"count":3}'


def test_unset_root_dumps_as_none() -> None:
    empty = RootModel[int].model_construct()
    assert empty.model_dump() is None
    assert empty.model_dump_json() == "null"


@given(
    st.dictionaries(
        st.text(max_size=5), st.lists(st.integers(-(2**70), 2**70) | st.none(), max_size=4)
    )
)
def test_round_trip_through_json(value: dict[str, list[int | None]]) -> None:
    cls = RootModel[dict[str, list[Optional[int]]]]  # noqa: UP045 - the typing form
    model = cls.model_validate(value)
    assert model.model_dump() == value
    assert cls.model_validate_json(model.model_dump_json()) == model
    assert cls.model_validate_json(model.json_bytes()).root == value


class Positive(RootModel[int]):
    root: int = Field(gt=0, error_messages={"greater_than": "must be positive"})


class NonEmpty(RootModel[list[int]]):
    def model_post_init(self, context: Any, /) -> None:
        if not self.root:
            raise ValueError("empty")


class Nested(ferrule.Model):
    pets: list[Pets]
    positive: Positive = Positive(1)
    non_empty: NonEmpty = NonEmpty([1])


@pytest.mark.parametrize("path", ["dict", "json", "json_many"])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"pets": [["a"], ["b", 1]]}, [(("pets", 1, 1), "string_type", 1)]),
        ({"pets": [], "positive": 0}, [(("positive",), "greater_than", 0)]),
        ({"pets": [], "non_empty": []}, [(("non_empty",), "value_error", [])]),
        ({"pets": 3}, [(("pets",), "list_type", 3)]),
        ({"pets": [["x"]], "positive": 5, "non_empty": [1, 2]}, None),
    ],
)
def test_nested_root_models_on_every_path(data: Any, expected: Any, path: str) -> None:
    text = json.dumps(data)
    run = {
        "dict": lambda: Nested.model_validate(data),
        "json": lambda: Nested.model_validate_json(text),
        "json_many": lambda: Nested.validate_json_many(f"[{text}]")[0],
    }[path]
    if expected is None:
        got = run()
        assert got.model_dump() == data
        assert type(got.positive) is Positive
        return
    with pytest.raises(ValidationError) as caught:
        run()
    prefix = (0,) if path == "json_many" else ()
    want = [(prefix + loc, kind, given) for loc, kind, given in expected]
    assert [(e["loc"], e["type"], e["input"]) for e in caught.value.errors()] == want
    if expected[0][1] == "greater_than":
        assert caught.value.errors()[0]["msg"] == "must be positive"
