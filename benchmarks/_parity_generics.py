"""Generic models row: ``Page[User]`` with 50 items from JSON, ferrule against pydantic in the
same run (target: at least 3x pydantic). ``rows(table)`` is wired into benchmarks/models.py by
the lead; ``python benchmarks/_parity_generics.py`` prints the row alone."""

from __future__ import annotations

import json
import os
import sys
from typing import Generic, TypeVar

sys.path.insert(0, os.path.dirname(__file__))

import pydantic
from _harness import Table, per_op

import ferrule

T = TypeVar("T")


class FUser(ferrule.Model):
    id: int
    name: str
    age: int
    tags: list[str] = ferrule.Field(default_factory=list)


class FPage(ferrule.Model, Generic[T]):
    items: list[T]
    total: int
    page: int = 1


class PUser(pydantic.BaseModel):
    id: int
    name: str
    age: int
    tags: list[str] = pydantic.Field(default_factory=list)


class PPage(pydantic.BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int = 1


PAGE_JSON = json.dumps(
    {
        "items": [
            {"id": i, "name": f"user{i}", "age": 20 + i % 50, "tags": ["a", "b"]} for i in range(50)
        ],
        "total": 50,
        "page": 1,
    }
).encode()


def rows(table: Table) -> None:
    mine, theirs = FPage[FUser], PPage[PUser]
    assert (
        mine.model_validate_json(PAGE_JSON).model_dump()
        == theirs.model_validate_json(PAGE_JSON).model_dump()
    )
    case = "generic Page[User], 50 items, JSON -> instance"
    table.add(case, "ferrule", per_op(lambda: mine.model_validate_json(PAGE_JSON)))
    table.add(case, "pydantic", per_op(lambda: theirs.model_validate_json(PAGE_JSON)))


if __name__ == "__main__":
    out = Table(f"Generic models (pydantic {pydantic.VERSION})")
    rows(out)
    print(out.render())
