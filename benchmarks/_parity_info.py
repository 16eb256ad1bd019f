"""Issue 12 rows for validators: one plain field validator (the path every model with a
validator takes: it must stay as fast as before `ValidationInfo` existed), one taking
``info`` with a call-time ``context``, and one wrap validator; pydantic in the same run."""

from __future__ import annotations

from typing import Any

import pydantic
from _harness import Table, per_op

import ferrule

DATA = {"id": 7, "name": "Ada Lovelace", "email": "ada@example.com", "score": 3.5}
JSON = b'{"id": 7, "name": "Ada Lovelace", "email": "ada@example.com", "score": 3.5}'


def _classes(base: Any, field_validator: Any, info_type: Any) -> tuple[Any, Any, Any]:
    class Plain(base):  # type: ignore[misc, valid-type]
        id: int
        name: str
        email: str
        score: float

        @field_validator("name")
        @classmethod
        def title(cls, value: str) -> str:
            return value.title()

    class WithInfo(base):  # type: ignore[misc, valid-type]
        id: int
        name: str
        email: str
        score: float

        @field_validator("score")
        @classmethod
        def scaled(cls, value: float, info: info_type) -> float:  # type: ignore[valid-type]
            return value * info.context["scale"]

    class Wrapped(base):  # type: ignore[misc, valid-type]
        id: int
        name: str
        email: str
        score: float

        @field_validator("id", mode="wrap")
        @classmethod
        def default_id(cls, value: Any, handler: Any) -> Any:
            return 0 if value is None else handler(value)

    return Plain, WithInfo, Wrapped


def rows(table: Table) -> None:
    ours = _classes(ferrule.Model, ferrule.field_validator, ferrule.ValidationInfo)
    theirs = _classes(pydantic.BaseModel, pydantic.field_validator, pydantic.ValidationInfo)
    context = {"scale": 2}
    cases = [
        ("one field validator: Model(**data)", lambda cls: lambda: cls[0](**DATA)),
        (
            "one field validator: model_validate_json",
            lambda cls: lambda: cls[0].model_validate_json(JSON),
        ),
        (
            "info validator + context: model_validate",
            lambda cls: lambda: cls[1].model_validate(DATA, context=context),
        ),
        ("wrap field validator: model_validate", lambda cls: lambda: cls[2].model_validate(DATA)),
    ]
    for case, make in cases:
        table.add(case, "ferrule", per_op(make(ours)))
        table.add(case, "pydantic", per_op(make(theirs)))


if __name__ == "__main__":
    out = Table("validators with info and wrap (issue 12)")
    rows(out)
    print(out.render())
