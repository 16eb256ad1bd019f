"""A field given both by its alias and by its name, and assignment under model validators, under
whichever core the process selected. Expected answers recorded from pydantic 2.14, except where
a comment says ferrule deliberately differs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ferrule import Field, Model, ValidationError, model_validator


def _forbid(populate: bool) -> type[Model]:
    class Forbid(Model, extra="forbid", populate_by_name=populate):
        x: int = Field(alias="a")

    return Forbid


def _allow(populate: bool) -> type[Model]:
    class Allow(Model, extra="allow", populate_by_name=populate):
        x: int = Field(alias="a")

    return Allow


def _first(batch: Any) -> Any:
    """The one record of a collected batch: its instance, or its error raised."""
    if 0 in batch.errors:
        raise batch.errors[0]
    return batch.items[0]


def _all_inputs(cls: type[Model], data: dict[str, Any]) -> list[Any]:
    """The outcome through the dict, keyword, JSON tree and streaming JSON paths."""
    outcomes = []
    text = json.dumps(data)
    for run in (
        lambda: cls.model_validate(data),
        lambda: cls(**data),
        lambda: cls.model_validate_json(text),
        lambda: _first(cls.validate_json_many(text + "\n", errors="collect")),
    ):
        try:
            item = run()
            outcomes.append(("ok", item.model_dump()))
        except ValidationError as exc:
            outcomes.append(("error", [(e["type"], e["loc"], e["input"]) for e in exc.errors()]))
    return outcomes


@pytest.mark.parametrize("populate", [False, True])
@pytest.mark.parametrize("data", [{"a": 1, "x": 2}, {"x": 2, "a": 1}])
def test_name_beside_alias_is_an_extra_key_under_forbid(
    populate: bool, data: dict[str, Any]
) -> None:
    expected = ("error", [("extra_forbidden", ("x",), 2)])
    assert _all_inputs(_forbid(populate), data) == [expected] * 4


@pytest.mark.parametrize("populate", [False, True])
def test_allow_keeps_the_name_value_in_the_extras(populate: bool) -> None:
    allow = _allow(populate)
    for item in (
        allow.model_validate({"a": 1, "x": 2}),
        allow.model_validate_json('{"x": 2, "a": 1}'),
        allow.validate_json_many('{"x": 2, "a": 1}\n')[0],
        allow(a=1, x=2),
    ):
        assert item.x == 1
        assert item.__ferrule_extra__ == {"x": 2}
        # extras are dumped after the fields, so the extra "x" wins in a dict (as pydantic)
        assert item.model_dump() == {"x": 2}
        assert item.model_dump(by_alias=True) == {"a": 1, "x": 2}


def test_name_alone_without_populate_by_name_is_missing_plus_extra() -> None:
    outcomes = _all_inputs(_forbid(False), {"x": 2})
    expected = (
        "error",
        [("missing", ("a",), {"x": 2}), ("extra_forbidden", ("x",), 2)],
    )
    assert outcomes == [expected] * 4


class Range(Model):
    lo: int
    hi: int

    @model_validator(mode="after")
    def ordered(self) -> Range:
        if self.lo > self.hi:
            raise ValueError("lo > hi")
        return self


def test_assignment_reruns_after_validators_and_restores_on_refusal() -> None:
    span = Range(lo=1, hi=2)
    span.lo = 2
    assert span.lo == 2
    with pytest.raises(ValidationError) as info:
        span.lo = 5
    (error,) = info.value.errors()
    assert (error["type"], error["loc"], error["msg"]) == (
        "value_error",
        (),
        "Value error, lo > hi",
    )
    # pydantic keeps 5 here; ferrule never keeps a value its validators refused
    assert (span.lo, span.hi) == (2, 2)


def test_assignment_without_validation_runs_no_validators() -> None:
    class Loose(Range, validate_assignment=False):
        pass

    span = Loose(lo=1, hi=2)
    span.lo = 5
    assert span.lo == 5
