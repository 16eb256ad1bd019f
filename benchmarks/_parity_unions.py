"""Issue 12 row: a model holding a list of 50 items of a discriminated union of 3 models,
validated from dicts and from JSON text, ferrule against pydantic in the same run (target:
ferrule >= 3x faster).

Run alone: ``python benchmarks/_parity_unions.py``; `benchmarks/models.py` takes `rows`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Literal, Union

sys.path.insert(0, os.path.dirname(__file__))

import pydantic
from _harness import Table, per_op

from ferrule import Field, Model


class FCard(Model):
    kind: Literal["card"]
    number: str
    expiry: str


class FBank(Model):
    kind: Literal["bank"]
    iban: str
    holder: str


class FWallet(Model):
    kind: Literal["wallet"]
    provider: str
    balance: float


class FPayments(Model):
    owner: str
    items: list[Annotated[Union[FCard, FBank, FWallet], Field(discriminator="kind")]]  # noqa: UP007


class PCard(pydantic.BaseModel):
    kind: Literal["card"]
    number: str
    expiry: str


class PBank(pydantic.BaseModel):
    kind: Literal["bank"]
    iban: str
    holder: str


class PWallet(pydantic.BaseModel):
    kind: Literal["wallet"]
    provider: str
    balance: float


class PPayments(pydantic.BaseModel):
    owner: str
    items: list[
        Annotated[Union[PCard, PBank, PWallet], pydantic.Field(discriminator="kind")]  # noqa: UP007
    ]


def _item(index: int) -> dict[str, object]:
    kind = index % 3
    if kind == 0:
        return {"kind": "card", "number": f"4111-{index:04d}", "expiry": "12/29"}
    if kind == 1:
        return {"kind": "bank", "iban": f"DE{index:020d}", "holder": "Ada Lovelace"}
    return {"kind": "wallet", "provider": "paypal", "balance": index * 1.5}


DATA = {"owner": "ada", "items": [_item(i) for i in range(50)]}
TEXT = json.dumps(DATA)


def rows(table: Table) -> None:
    f, p = FPayments.model_validate(DATA), PPayments.model_validate(DATA)
    assert f.model_dump() == p.model_dump()
    assert FPayments.model_validate_json(TEXT).model_dump() == p.model_dump()
    case = "discriminated union x50 from dicts"
    table.add(case, "ferrule", per_op(lambda: FPayments.model_validate(DATA)))
    table.add(case, "pydantic", per_op(lambda: PPayments.model_validate(DATA)))
    case = "discriminated union x50 from JSON"
    table.add(case, "ferrule", per_op(lambda: FPayments.model_validate_json(TEXT)))
    table.add(case, "pydantic", per_op(lambda: PPayments.model_validate_json(TEXT)))


if __name__ == "__main__":
    table = Table("discriminated unions (issue 12)")
    rows(table)
    print(table.render())
