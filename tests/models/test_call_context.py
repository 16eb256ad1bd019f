"""Per-call options: ``context=`` reaching ``info.context`` at every depth, ``strict=`` as a
call-time override both ways, and the rest of the `ValidationError` API. Expected values are
pydantic 2.14's."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from cores import Err, check, make_validator

from ferrule import (
    AfterValidator,
    ConfigDict,
    Field,
    Model,
    PydanticCustomError,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from ferrule.models import schema as s

SEEN: list[tuple[str, Any]] = []


def _deep(value: Any, info: ValidationInfo) -> Any:
    SEEN.append(("deep", info.context))
    return value


class Leaf(Model):
    v: Annotated[int, AfterValidator(_deep)]

    @model_validator(mode="after")
    def leaf_after(self, info: ValidationInfo) -> Any:
        SEEN.append(("leaf", info.context))
        return self


class Branch(Model):
    leaves: list[Leaf]
    by_name: dict[str, Leaf] = {}
    maybe: Leaf | None = None

    @field_validator("leaves", mode="before")
    @classmethod
    def branch_before(cls, value: Any, info: ValidationInfo) -> Any:
        SEEN.append(("branch", info.context))
        return value


class Root(Model):
    branch: Branch
    numbers: list[Annotated[int, AfterValidator(_deep)]] = []

    @model_validator(mode="wrap")
    @classmethod
    def root_wrap(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
        SEEN.append(("root", info.context))
        return handler(data)


DATA = {
    "branch": {"leaves": [{"v": 1}], "by_name": {"k": {"v": 2}}, "maybe": {"v": 3}},
    "numbers": [4],
}
JSON = json.dumps(DATA)
ORDER = ["root", "branch", "deep", "leaf", "deep", "leaf", "deep", "leaf", "deep"]


@pytest.mark.parametrize("context", [None, {"user": 7}, ["any", "object"]])
@pytest.mark.parametrize("path", ["python", "json", "adapter", "adapter_json", "list_adapter"])
def test_context_reaches_every_depth(path: str, context: Any) -> None:
    SEEN.clear()
    if path == "python":
        Root.model_validate(DATA, context=context)
    elif path == "json":
        Root.model_validate_json(JSON, context=context)
    elif path == "adapter":
        TypeAdapter(Root).validate_python(DATA, context=context)
    elif path == "adapter_json":
        TypeAdapter(Root).validate_json(JSON, context=context)
    else:
        TypeAdapter(list[Root]).validate_python([DATA], context=context)
    assert [(tag, context) for tag in ORDER] == SEEN


def test_no_context_outside_a_call_that_gives_one() -> None:
    SEEN.clear()
    Root(**DATA)
    Root.validate_many([DATA])
    assert {context for _, context in SEEN} == {None}


def test_validate_strings_takes_context() -> None:
    seen: list[Any] = []

    def note(value: Any, info: ValidationInfo) -> Any:
        seen.append((info.context, info.mode))
        return value

    adapter = TypeAdapter(dict[str, Annotated[int, AfterValidator(note)]])
    assert adapter.validate_strings({"a": "1"}, context="ctx") == {"a": 1}
    assert seen == [("ctx", "string")]


def test_context_options_are_keyword_only_and_checked() -> None:
    with pytest.raises(TypeError):
        Root.model_validate(DATA, {"ctx": 1})  # type: ignore[misc]
    with pytest.raises(TypeError):
        Root.model_validate(DATA, contxt=1)  # type: ignore[call-arg]


# --- strict at call time ------------------------------------------------------------------


class StrictLeaf(Model, strict=True):
    b: int


class StrictRoot(Model, strict=True):
    a: int
    pinned: Annotated[int, Field(strict=True)] = 0
    leaf: StrictLeaf | None = None


class LaxRoot(Model):
    a: int


LAX_INPUT = {"a": "1", "pinned": "2", "leaf": {"b": "3"}}
# (model, call, input, strict) -> dump, or Err (pydantic's answers)
STRICT = [
    (StrictRoot, "python", LAX_INPUT, False, {"a": 1, "pinned": 2, "leaf": {"b": 3}}),
    (StrictRoot, "json", LAX_INPUT, False, {"a": 1, "pinned": 2, "leaf": {"b": 3}}),
    (
        StrictRoot,
        "python",
        LAX_INPUT,
        None,
        Err((("a",), "int_type"), (("pinned",), "int_type"), (("leaf", "b"), "int_type")),
    ),
    (
        StrictRoot,
        "json",
        LAX_INPUT,
        None,
        Err((("a",), "int_type"), (("pinned",), "int_type"), (("leaf", "b"), "int_type")),
    ),
    (LaxRoot, "python", {"a": "1"}, True, Err((("a",), "int_type"))),
    (LaxRoot, "json", {"a": "1"}, True, Err((("a",), "int_type"))),
    (LaxRoot, "python", {"a": "1"}, False, {"a": 1}),
    (LaxRoot, "python", {"a": "1"}, None, {"a": 1}),
]


@pytest.mark.parametrize(("cls", "path", "data", "strict", "expected"), STRICT)
def test_strict_at_call_time(cls: Any, path: str, data: Any, strict: Any, expected: Any) -> None:
    if path == "python":
        check(lambda: cls.model_validate(data, strict=strict).model_dump(), expected)
    else:
        text = json.dumps(data)
        check(lambda: cls.model_validate_json(text, strict=strict).model_dump(), expected)


def test_adapter_strict_config_and_call_time_override() -> None:
    adapter = TypeAdapter(list[int], config=ConfigDict(strict=True))
    assert adapter.validate_python(["1"], strict=False) == [1]
    with pytest.raises(ValidationError):
        adapter.validate_python(["1"])


def test_strict_override_on_schemas(core: Any) -> None:
    validator = make_validator(core, s.collection_schema("list", s.int_schema(strict=True)))
    assert validator.validate_python(["1"], strict=False) == [1]
    assert validator.validate_json('["1"]', strict=False) == [1]
    check(lambda: validator.validate_python(["1"]), Err(((0,), "int_type")))
    union = s.union_schema([s.int_schema(), s.str_schema()], strict=True)
    assert make_validator(core, union).validate_python(1.0, strict=False) == 1


# --- the ValidationError API ----------------------------------------------------------------


class T(Model):
    a: int


def _raise(run: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        run()
    return caught.value


TITLES = [
    (lambda: T.model_validate({}), "T"),
    (lambda: T.model_validate_json("{}"), "T"),
    (lambda: T(), "T"),
    (lambda: TypeAdapter(list[T]).validate_python([{}]), "list[T]"),
    (lambda: TypeAdapter(int).validate_json('"x"'), "int"),
    (lambda: TypeAdapter(list[int]).validate_strings(["x"]), "list[int]"),
    (lambda: T.validate_many([{}, {}]), "T"),
]


@pytest.mark.parametrize(("run", "title"), TITLES)
def test_title_and_error_count_on_every_path(run: Any, title: str) -> None:
    error = _raise(run)
    assert error.title == title
    assert error.error_count() == len(error.errors()) >= 1


def _positive(value: int) -> int:
    if value <= 0:  # what ``assert value > 0, "must be positive"`` raises (pytest rewrites it)
        raise AssertionError("must be positive")
    return value


def _even(value: int) -> int:
    if value % 2:
        raise ValueError("must be even")
    return value


def test_value_and_assertion_errors_keep_the_exception() -> None:
    adapter = TypeAdapter(Annotated[int, AfterValidator(_positive), AfterValidator(_even)])
    error = _raise(lambda: adapter.validate_python(-1))
    [line] = error.errors()
    assert (line["type"], line["loc"], line["msg"], line["input"]) == (
        "assertion_error",
        (),
        "Assertion failed, must be positive",
        -1,
    )
    assert type(line["ctx"]["error"]) is AssertionError
    assert error.errors(include_context=False) == [
        {
            "type": "assertion_error",
            "loc": (),
            "msg": "Assertion failed, must be positive",
            "input": -1,
        }
    ]
    assert error.json() == (
        '[{"type":"assertion_error","loc":[],"msg":"Assertion failed, must be positive",'
        '"input":-1,"ctx":{"error":"must be positive"}}]'
    )
    error = _raise(lambda: adapter.validate_json("3"))
    [line] = error.errors()
    assert (line["type"], line["msg"]) == ("value_error", "Value error, must be even")
    assert type(line["ctx"]["error"]) is ValueError
    assert error.errors(include_input=False, include_context=False) == [
        {"type": "value_error", "loc": (), "msg": "Value error, must be even"}
    ]


def test_model_validator_errors_keep_the_exception_too() -> None:
    class M(Model):
        a: int

        @model_validator(mode="after")
        def check(self) -> Any:
            raise ValueError("no")

    error = _raise(lambda: M(a=1))
    [line] = error.errors()
    assert line["type"] == "value_error" and isinstance(line["ctx"]["error"], ValueError)
    assert '"ctx":{"error":"no"}' in error.json()


def test_pydantic_custom_error() -> None:
    class M(Model):
        a: int

        @field_validator("a")
        @classmethod
        def even(cls, value: int) -> int:
            if value % 2:
                context = {"n": value, "extra": "sorry"}
                raise PydanticCustomError("not_even", "{n} is not even, {extra}", context)
            return value

    for run in (lambda: M(a=3), lambda: M.model_validate_json('{"a": 3}')):
        error = _raise(run)
        assert error.errors() == [
            {
                "type": "not_even",
                "loc": ("a",),
                "msg": "3 is not even, sorry",
                "input": 3,
                "ctx": {"n": 3, "extra": "sorry"},
            }
        ]
        assert error.json() == (
            '[{"type":"not_even","loc":["a"],"msg":"3 is not even, sorry","input":3,'
            '"ctx":{"n":3,"extra":"sorry"}}]'
        )
    plain = PydanticCustomError("t", "plain")
    assert (plain.context, plain.message(), str(plain)) == (None, "plain", "plain")
    assert isinstance(plain, ValueError)
    error = _raise(
        lambda: TypeAdapter(Annotated[int, AfterValidator(_raise_plain)]).validate_python(1)
    )
    assert error.errors() == [{"type": "t", "loc": (), "msg": "plain", "input": 1}]


def _raise_plain(value: Any) -> Any:
    raise PydanticCustomError("t", "plain")
