"""Issue 12 row: `model_dump(exclude_unset=True)` of a model of 8 fields, 4 of them given,
ferrule against pydantic in the same run (target: ferrule >= 3x faster); the JSON form beside it.

Run alone: ``python benchmarks/_parity_fieldsset.py``; `benchmarks/models.py` takes `rows`.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pydantic
from _harness import Table, per_op

from ferrule import Field, Model


class FProfile(Model):
    id: int
    name: str
    email: str | None = None
    age: int = 0
    city: str = ""
    score: float = 0.0
    active: bool = True
    tags: list[str] = Field(default_factory=list)


class PProfile(pydantic.BaseModel):
    id: int
    name: str
    email: str | None = None
    age: int = 0
    city: str = ""
    score: float = 0.0
    active: bool = True
    tags: list[str] = pydantic.Field(default_factory=list)


#: half of the fields given, the others left to their defaults
DATA = {"id": 7, "name": "Ada", "age": 36, "tags": ["x", "y"]}
CASE = "model_dump(exclude_unset=True), 4 of 8 fields set"
JSON_CASE = "model_dump_json(exclude_unset=True), 4 of 8 fields set"


def rows(table: Table) -> None:
    f, p = FProfile.model_validate(DATA), PProfile.model_validate(DATA)
    assert f.model_dump(exclude_unset=True) == p.model_dump(exclude_unset=True) == DATA
    assert f.model_dump_json(exclude_unset=True) == p.model_dump_json(exclude_unset=True)
    table.add(CASE, "ferrule", per_op(lambda: f.model_dump(exclude_unset=True)))
    table.add(CASE, "pydantic", per_op(lambda: p.model_dump(exclude_unset=True)))
    table.add(JSON_CASE, "ferrule", per_op(lambda: f.model_dump_json(exclude_unset=True)))
    table.add(JSON_CASE, "pydantic", per_op(lambda: p.model_dump_json(exclude_unset=True)))


if __name__ == "__main__":
    table = Table("fields set (issue 12)")
    rows(table)
    print(table.render())
