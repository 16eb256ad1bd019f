"""A pydantic v2 API payload moved to ferrule by changing its import line only (``from pydantic
import ...`` became ``from ferrule import ...``): a generic page, a discriminated union, a
computed field, a field serializer, a secret, and the dump and validation options an API layer
uses. Run with `python examples/pydantic_payload.py` (the suite runs it on both cores, and, where
pydantic is installed, runs the same text with the pydantic import as the reference)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from ferrule import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    computed_field,
    field_serializer,
    field_validator,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int = Field(ge=0)
    page: int = Field(default=1, ge=1)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages(self) -> int:
        return max(1, -(-self.total // max(1, len(self.items))))


class Card(BaseModel):
    kind: Literal["card"]
    last4: str = Field(pattern=r"^\d{4}$")


class Transfer(BaseModel):
    kind: Literal["transfer"]
    iban: str = Field(min_length=15, max_length=34)


class Cash(BaseModel):
    kind: Literal["cash"]


Payment = Annotated[Card | Transfer | Cash, Field(discriminator="kind")]


class Order(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    id: int
    customer: str = Field(min_length=1)
    placed: dt.datetime
    payment: Payment
    note: str | None = None
    api_key: SecretStr | None = None

    @field_validator("customer")
    @classmethod
    def title_case(cls, value: str) -> str:
        return value.title()

    @field_serializer("placed")
    def as_date(self, value: dt.datetime) -> str:
        return value.date().isoformat()


payload = b"""{
  "items": [
    {"id": 1, "customer": "  ada lovelace ", "placed": "2026-12-03T10:00:00Z",
     "payment": {"kind": "card", "last4": "4242"}, "api_key": "s3cr3t"},
    {"id": 2, "customer": "alan", "placed": "2026-12-02T09:30:00+01:00",
     "payment": {"kind": "transfer", "iban": "DE89370400440532013000"}, "note": "gift"}
  ],
  "total": 7
}"""

page = Page[Order].model_validate_json(payload)
first, second = page.items
assert first.customer == "Ada Lovelace" and isinstance(first.payment, Card)
assert isinstance(second.payment, Transfer)
assert first.api_key is not None and first.api_key.get_secret_value() == "s3cr3t"
assert "s3cr3t" not in repr(first)
assert page.pages == 4 and page.page == 1

# what the API sends back: the secret masked, dates from the serializer, unset fields left out
out = page.model_dump(mode="json", exclude_unset=True)
assert out["items"][0]["api_key"] == "**********"
assert out["items"][0]["placed"] == "2026-12-03"
assert "note" not in out["items"][0] and "page" not in out
assert out["pages"] == 4
assert Page[Order].model_validate_json(page.model_dump_json()).items[1].note == "gift"

# a wrong tag is reported at the union, by its tag
try:
    Order.model_validate(
        {"id": 3, "customer": "x", "placed": "2026-12-01T00:00:00", "payment": {"kind": "gold"}}
    )
except ValidationError as error:
    [problem] = error.errors()
    assert problem["type"] == "union_tag_invalid" and problem["loc"] == ("payment",)
else:
    raise AssertionError("a payment kind that does not exist was accepted")

# the same types outside a model
payments = TypeAdapter(list[Payment]).validate_python(
    [{"kind": "cash"}, {"kind": "card", "last4": "0000"}]
)
assert [type(p).__name__ for p in payments] == ["Cash", "Card"]

schema = Page[Order].model_json_schema(mode="serialization")
assert schema["properties"]["pages"]["readOnly"] is True
assert schema["$defs"]["Order"]["properties"]["payment"]["discriminator"]["propertyName"] == "kind"
print(f"{len(page.items)} orders, {page.pages} pages: {page.model_dump_json()[:60]}...")
