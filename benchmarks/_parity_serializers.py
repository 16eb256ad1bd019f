"""Issue 12 row: a model with one `computed_field` and one `field_serializer` to JSON text
(`model_dump_json`), ferrule against pydantic in the same run (target: ferrule >= 3x faster).

The functions are cheap, common ones (a property doing arithmetic, a serializer title-casing a
name), so the row measures what each library costs around them; a costly function costs both
the same (``round(x, 2)`` alone takes ~0.3 µs). Datetimes are left out: their text comes from
``isoformat()`` on both sides today.

Run alone: ``python benchmarks/_parity_serializers.py``; `benchmarks/models.py` takes `rows`.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pydantic
from _harness import Table, per_op

from ferrule import Model, computed_field, field_serializer


class FOrder(Model):
    id: int
    customer: str
    quantity: int
    unit_price: float
    tags: list[str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> float:
        return self.quantity * self.unit_price

    @field_serializer("customer")
    def name(self, value: str) -> str:
        return value.title()


class POrder(pydantic.BaseModel):
    id: int
    customer: str
    quantity: int
    unit_price: float
    tags: list[str]

    @pydantic.computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> float:
        return self.quantity * self.unit_price

    @pydantic.field_serializer("customer")
    def name(self, value: str) -> str:
        return value.title()


DATA = {"id": 7, "customer": "ada lovelace", "quantity": 3, "unit_price": 2.499, "tags": ["a", "b"]}
CASE = "computed_field + field_serializer -> JSON"


def rows(table: Table) -> None:
    f, p = FOrder(**DATA), POrder(**DATA)
    assert f.model_dump_json() == p.model_dump_json(), (f.model_dump_json(), p.model_dump_json())
    table.add(CASE, "ferrule", per_op(lambda: f.model_dump_json()))
    table.add(CASE, "pydantic", per_op(lambda: p.model_dump_json()))


if __name__ == "__main__":
    table = Table("custom serialisation (issue 12)")
    rows(table)
    print(table.render())
