"""Constraints declared inside annotations (`Annotated[T, Field(...)]`, annotated_types objects),
at the top of a field and nested anywhere in its type. Expected answers are pydantic 2.14's for
the same annotations (see the notes beside the few places where ferrule differs on purpose).
Run under whichever core the process selected (FERRULE_PURE_PYTHON=1 for the pure twin)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Optional

import annotated_types as at
import pytest
from cores import Err, check
from typing_extensions import Doc

from ferrule import Field, Model, SchemaError
from ferrule.models.base import ModelMeta

# `Optional[...]` is spelled out on purpose: it is one of the forms under test.
# ruff: noqa: UP045


class Inner(Model):
    z: int = 0


class Note:
    """Metadata of the user's own that is not a constraint."""

    def __repr__(self) -> str:
        return "Note()"


def model_of(annotation: Any, **namespace: Any) -> Any:
    """A model with one field ``x`` of the given annotation (required)."""
    return ModelMeta("Holder", (Model,), {"__annotations__": {"x": annotation}, **namespace})


def gt(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
    return (("x", *loc), "greater_than")


# (annotation, input, expected): expected is the validated value or the errors' (loc, type).
CASES: list[tuple[Any, Any, Any]] = [
    # annotated_types at the top of a field
    (Annotated[int, at.Gt(0)], 0, Err(gt(()))),
    (Annotated[int, at.Gt(0)], 1, 1),
    (Annotated[int, at.Ge(1)], 0, Err((("x",), "greater_than_equal"))),
    (Annotated[int, at.Lt(5)], 5, Err((("x",), "less_than"))),
    (Annotated[int, at.Le(5)], 6, Err((("x",), "less_than_equal"))),
    (Annotated[float, at.Ge(1.5)], 1.0, Err((("x",), "greater_than_equal"))),
    (Annotated[int, at.Interval(gt=0, le=5)], 0, Err(gt(()))),
    (Annotated[int, at.Interval(gt=0, le=5)], 6, Err((("x",), "less_than_equal"))),
    (Annotated[int, at.Interval(gt=0, le=5)], 3, 3),
    (Annotated[int, at.MultipleOf(3)], 4, Err((("x",), "multiple_of"))),
    (Annotated[str, at.MinLen(2)], "a", Err((("x",), "string_too_short"))),
    (Annotated[str, at.MaxLen(2)], "abc", Err((("x",), "string_too_long"))),
    (Annotated[str, at.Len(2, 3)], "a", Err((("x",), "string_too_short"))),
    (Annotated[str, at.Len(2, 3)], "abcd", Err((("x",), "string_too_long"))),
    (Annotated[str, at.Len(2, 3)], "abc", "abc"),
    (Annotated[list[int], at.Len(1)], [], Err((("x",), "too_short"))),
    (Annotated[Optional[int], at.Gt(0)], None, None),
    (Annotated[Optional[int], at.Gt(0)], 0, Err(gt(()))),
    # Field() nested inside containers, optionals and unions
    (list[Annotated[int, Field(gt=0)]], [1, 0], Err(gt((1,)))),
    (list[Annotated[int, Field(gt=0)]], [1, 2], [1, 2]),
    (
        dict[str, Annotated[str, Field(min_length=2)]],
        {"a": "b"},
        Err((("x", "a"), "string_too_short")),
    ),
    (
        dict[Annotated[str, Field(min_length=2)], int],
        {"a": 1},
        Err((("x", "a", "[key]"), "string_too_short")),
    ),
    (Optional[Annotated[int, Field(gt=0)]], None, None),
    (Optional[Annotated[int, Field(gt=0)]], 0, Err(gt(()))),
    # pydantic names the constrained choice "constrained-int"; ferrule uses the schema tag
    (Annotated[int, Field(gt=0)] | str, 0, Err(gt(("int",)), (("x", "str"), "string_type"))),
    (Annotated[int, Field(gt=0)] | str, "s", "s"),
    (tuple[Annotated[int, Field(gt=0)], ...], [0], Err(gt((0,)))),
    (tuple[Annotated[int, at.Gt(0)], str], [1, "a"], (1, "a")),
    (tuple[str, Annotated[int, at.Gt(0)]], ["a", 0], Err(gt((1,)))),
    (set[Annotated[int, Field(gt=0)]], [0], Err(gt((0,)))),
    (frozenset[Annotated[str, at.MaxLen(1)]], ["ab"], Err((("x", 0), "string_too_long"))),
    (list[Annotated[int, at.Gt(0), at.Lt(5)]], [0, 6], Err(gt((0,)), (("x", 1), "less_than"))),
    (
        list[list[Annotated[str, at.MaxLen(1)]]],
        [["a", "bc"]],
        Err((("x", 0, 1), "string_too_long")),
    ),
    (list[Annotated[int, Field(strict=True)]], ["1"], Err((("x", 0), "int_type"))),
    (Annotated[list[Annotated[int, at.Gt(0)]], at.MinLen(2)], [0], Err(gt((0,)))),
    (Annotated[list[Annotated[int, at.Gt(0)]], at.MinLen(2)], [1], Err((("x",), "too_short"))),
    # Annotated inside Annotated flattens; the later constraint of a kind wins
    (Annotated[Annotated[int, Field(gt=0)], Field(lt=5)], 0, Err(gt(()))),
    (Annotated[Annotated[int, Field(gt=0)], Field(lt=5)], 5, Err((("x",), "less_than"))),
    (Annotated[int, at.Gt(0), at.Gt(10)], 5, Err((("x",), "greater_than"))),
    # metadata that is not a constraint is ignored, as pydantic does
    (Annotated[int, "a note", Note(), Doc("documented")], 0, 0),
    (list[Annotated[int, "a note"]], [0], [0]),
]


def _ids(case: tuple[Any, Any, Any]) -> str:
    annotation, value, _ = case
    return f"{annotation!r}-{value!r}"


@pytest.mark.parametrize(("annotation", "value", "expected"), CASES, ids=map(_ids, CASES))
def test_annotated_constraints_are_enforced(annotation: Any, value: Any, expected: Any) -> None:
    holder = model_of(annotation)

    def unwrap(run: Any) -> Any:
        return lambda: run().x

    check(unwrap(lambda: holder(x=value)), expected)
    check(unwrap(lambda: holder.model_validate({"x": value})), expected)
    check(unwrap(lambda: holder.model_validate_json(json.dumps({"x": value}))), expected)


def test_assignment_checks_nested_constraints() -> None:
    holder = model_of(list[Annotated[int, at.Gt(0)]])
    instance = holder(x=[1])
    check(lambda: setattr(instance, "x", [2, 0]), Err(gt((1,))))
    assert instance.x == [1]


def test_top_level_annotated_types_combine_with_field_defaults() -> None:
    class Scored(Model):
        score: Annotated[int, at.Ge(0), at.Le(10)] = 5
        name: Annotated[str, at.MinLen(1)] = Field(default="n", max_length=3)

    assert Scored().score == 5 and Scored().name == "n"
    check(
        lambda: Scored(score=11, name="long"),
        Err((("score",), "less_than_equal"), (("name",), "string_too_long")),
    )
    check(lambda: Scored(name=""), Err((("name",), "string_too_short")))


class Even(at.BaseMetadata):
    """A constraint ferrule does not know: it must not be ignored."""

    def __repr__(self) -> str:
        return "Even()"


class Pair(at.GroupedMetadata):
    """A user grouping: its members are read like the built-in `Interval`."""

    def __repr__(self) -> str:
        return "Pair()"

    def __iter__(self) -> Any:
        yield at.Ge(0)
        yield at.Lt(2)


def test_user_grouped_metadata_is_unpacked() -> None:
    holder = model_of(Annotated[int, Pair()])
    check(lambda: holder(x=2).x, Err((("x",), "less_than")))
    check(lambda: holder(x=-1).x, Err((("x",), "greater_than_equal")))


# Annotations ferrule cannot enforce exactly: a SchemaError naming the field, at definition.
REFUSED: list[Any] = [
    # annotated_types constraints ferrule does not implement (pydantic enforces Predicate and
    # Timezone on datetimes, and ignores Timezone elsewhere and Unit everywhere)
    Annotated[str, at.Predicate(str.islower)],
    Annotated[datetime, at.Timezone(None)],
    Annotated[float, at.Unit("m")],
    Annotated[int, at.Not(bool)],
    list[Annotated[str, at.Predicate(str.isupper)]],
    Annotated[int, Even()],
    Annotated[int, at.Interval(gt=0), Even()],
    # constraints that do not fit the type they are attached to
    list[Annotated[int, Field(min_length=1)]],
    Annotated[int, at.MinLen(1)],
    dict[str, Annotated[bool, at.Gt(0)]],
    Annotated[Inner, at.Gt(0)],
    Optional[Annotated[Inner, Field(max_length=1)]],
    Annotated[int | str, at.Gt(0)],
    Annotated[int, at.Gt("a")],
    # field options that mean nothing inside a type (pydantic warns and ignores them)
    list[Annotated[int, Field(default=1)]],
    list[Annotated[int, Field(default_factory=int)]],
    list[Annotated[int, Field(alias="y")]],
    list[Annotated[int, Field(exclude=True)]],
    list[Annotated[int, Field(frozen=True)]],
    Optional[Annotated[int, Field(error_messages={"int_type": "no"})]],
    dict[str, Annotated[int, Field(title="t")]],
    Annotated[int, Field(description="d")] | None,
    tuple[Annotated[int, Field(examples=[1])], ...],
]


@pytest.mark.parametrize("annotation", REFUSED, ids=repr)
def test_unenforceable_annotations_fail_at_definition(annotation: Any) -> None:
    with pytest.raises(SchemaError, match=r"Holder\.x"):
        model_of(annotation)
