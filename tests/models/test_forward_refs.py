"""Forward references: a class whose annotations name something not defined yet is compiled on
first use, from any entry point, with the names of the scope where its class statement ran.
Run under whichever core the process selected (FERRULE_PURE_PYTHON=1 for the pure twin)."""

from __future__ import annotations

import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ferrule import Model, SchemaError

# --- a module whose classes are used before the names they refer to exist ---------------------

SOURCE = """
from __future__ import annotations
from ferrule import Field, Model

class Base(Model):
    a: int = 0

class Pending(Base):
    later: Later | None = None
    items: list[Later] = Field(default_factory=list)
"""

LATER = """
class Later(Model):
    z: int = 0
"""


@pytest.fixture
def module() -> Iterator[types.ModuleType]:
    """A fresh module holding `Base` and `Pending`; `Later` is defined by the test."""
    name = "ferrule_test_forward_module"
    mod = types.ModuleType(name)
    sys.modules[name] = mod
    try:
        exec(textwrap.dedent(SOURCE), mod.__dict__)
        yield mod
    finally:
        del sys.modules[name]


def define_later(mod: types.ModuleType) -> Any:
    exec(textwrap.dedent(LATER), mod.__dict__)
    return mod.Later


# Every way in: each must answer for `Pending` itself (never as `Base`), compiling it first.
ENTRY_POINTS: list[tuple[str, Callable[[Any], Any]]] = [
    ("model_fields", lambda cls: list(cls.model_fields)),
    ("model_json_schema", lambda cls: sorted(cls.model_json_schema()["properties"])),
    ("model_construct", lambda cls: sorted(cls.model_construct(later=None).model_dump())),
    ("construct", lambda cls: cls(later={"z": 1}).later.z),
    ("model_validate", lambda cls: cls.model_validate({"items": [{"z": 2}]}).items[0].z),
    ("model_validate_json", lambda cls: cls.model_validate_json('{"later": {"z": 3}}').later.z),
    ("validate_many", lambda cls: cls.validate_many([{"later": {"z": 4}}])[0].later.z),
    ("validate_json_many", lambda cls: cls.validate_json_many('{"later": {"z": 5}}')[0].later.z),
    ("model_dump", lambda cls: cls(a=1).model_dump()),
    ("repr", lambda cls: repr(cls(a=1))),
    ("schema", lambda cls: [f["name"] for f in cls.__ferrule_schema__["fields"]]),
]
ANSWERS = {
    "model_fields": ["a", "later", "items"],
    "model_json_schema": ["a", "items", "later"],
    "model_construct": ["a", "items", "later"],
    "construct": 1,
    "model_validate": 2,
    "model_validate_json": 3,
    "validate_many": 4,
    "validate_json_many": 5,
    "model_dump": {"a": 1, "later": None, "items": []},
    "repr": "Pending(a=1, later=None, items=[])",
    "schema": ["a", "later", "items"],
}


@pytest.mark.parametrize(("entry", "use"), ENTRY_POINTS, ids=[e for e, _ in ENTRY_POINTS])
def test_pending_class_refuses_every_entry_point_until_defined(
    module: types.ModuleType, entry: str, use: Callable[[Any], Any]
) -> None:
    with pytest.raises(SchemaError, match="Pending is not fully defined"):
        use(module.Pending)
    assert list(module.Base.model_fields) == ["a"]  # the parent is not touched


@pytest.mark.parametrize(("entry", "use"), ENTRY_POINTS, ids=[e for e, _ in ENTRY_POINTS])
def test_pending_class_compiles_on_first_use(
    module: types.ModuleType, entry: str, use: Callable[[Any], Any]
) -> None:
    define_later(module)
    assert use(module.Pending) == ANSWERS[entry]
    assert list(module.Base.model_fields) == ["a"]


def test_model_rebuild(module: types.ModuleType) -> None:
    assert module.Base.model_rebuild() is None  # complete already
    assert module.Pending.model_rebuild(raise_errors=False) is False
    with pytest.raises(SchemaError, match="Pending is not fully defined"):
        module.Pending.model_rebuild()
    define_later(module)
    assert module.Pending.model_rebuild() is True
    assert module.Pending.model_rebuild() is None
    assert module.Pending(later={"z": 1}).later.z == 1


def test_model_rebuild_sees_the_callers_names() -> None:
    class Waiting(Model):
        value: Elsewhere  # type: ignore[name-defined]  # noqa: F821

    def caller() -> Any:
        class Elsewhere(Model):
            z: int = 0

        assert Waiting.model_rebuild() is True
        return Elsewhere

    elsewhere = caller()
    assert isinstance(Waiting(value={"z": 1}).value, elsewhere)


# --- names of the function where the class statement ran -------------------------------------


def test_classes_defined_later_in_the_same_function_are_found() -> None:
    class Team(Model):
        lead: Person
        members: list[Person] = []

    class Person(Model):
        name: str

    team = Team(lead={"name": "a"}, members=[{"name": "b"}])
    assert isinstance(team.lead, Person) and team.members[0].name == "b"


def _factory() -> tuple[Any, Any]:
    class Outer(Model):
        inner: Inner | None = None

    class Inner(Model):
        z: int = 0

    return Outer, Inner


def test_a_class_returned_from_its_function_resolves_there() -> None:
    outer, inner = _factory()  # first used after the function returned
    assert isinstance(outer(inner={"z": 1}).inner, inner)
    assert outer.model_json_schema()["$defs"]["Inner"]["properties"]["z"]["type"] == "integer"


def test_local_names_known_at_definition_are_used_at_once() -> None:
    class Leaf(Model):
        z: int = 0

    class Branch(Model):
        leaf: Leaf

    assert Branch.__dict__["__ferrule_validator__"] is not None  # compiled at definition
    assert Branch(leaf={"z": 2}).leaf.z == 2


def test_a_subclass_reuses_the_names_its_base_was_resolved_with() -> None:
    def make() -> Any:
        class Leaf(Model):
            z: int = 0

        class Branch(Model):
            leaf: Leaf

        return Branch

    class Twig(make()):  # type: ignore[misc]
        extra: int = 0

    assert Twig(leaf={"z": 3}).leaf.z == 3
    assert list(Twig.model_fields) == ["leaf", "extra"]


def test_local_name_shadows_the_module_global() -> None:
    class Model_(Model):  # a local class named like nothing global
        z: int = 0

    class Uses(Model):
        value: Model_

    assert isinstance(Uses(value={"z": 1}).value, Model_)


def test_a_one_name_annotation_is_read_from_locals_then_globals_then_builtins() -> None:
    """Every definition reads the name in its scope again (no value is kept between them)."""

    def define(local: Any) -> Any:
        if local is not None:
            int = local  # noqa: F841 - read by the annotation below (a string)

        class Scoped(Model):
            a: int

        return Scoped

    assert define(None)(a="3").a == 3  # the builtin
    assert define(str)(a="3").a == "3"  # the local shadows it
    assert define(None)(a="3").a == 3  # and the next definition reads the builtin again


def test_a_name_never_defined_is_a_schema_error_naming_it() -> None:
    class Broken(Model):
        value: Missing  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(SchemaError, match=r"Broken is not fully defined.*Missing"):
        Broken(value=1)


QUOTED = [
    ("list['Leaf']", [{"z": 1}], lambda v: v[0].z == 1),
    ("Optional[list['Leaf']]", [{"z": 1}], lambda v: v[0].z == 1),
    ("dict[str, 'Leaf']", {"k": {"z": 2}}, lambda v: v["k"].z == 2),
    ("tuple['Leaf', ...]", [{"z": 3}], lambda v: v[0].z == 3),
    ("list['Leaf'] | None", [{"z": 4}], lambda v: v[0].z == 4),
    ("Annotated[list['Leaf'], Field(min_length=1)]", [{"z": 5}], lambda v: v[0].z == 5),
    ("list[Literal['a']]", ["a"], lambda v: v == ["a"]),
    ("Optional['Leaf']", {"z": 6}, lambda v: v.z == 6),
]


@pytest.mark.parametrize(("annotation", "value", "holds"), QUOTED, ids=[q[0] for q in QUOTED])
def test_quoted_references_nested_in_evaluated_annotations(
    annotation: str, value: Any, holds: Callable[[Any], bool]
) -> None:
    # evaluated annotations holding strings: resolved with typing's own evaluator, called as
    # each CPython wants it (3.13 warns on the old call; 3.10 leaves list['Leaf'] a string)
    namespace: dict[str, Any] = {"__name__": "quoted"}
    exec(
        "from typing import Annotated, Literal, Optional\n"
        "from ferrule import Field, Model\n"
        f"class Tree(Model):\n    value: {annotation}\n"
        "class Leaf(Model):\n    z: int = 0\n",
        namespace,
    )
    assert holds(namespace["Tree"](value=value).value)
