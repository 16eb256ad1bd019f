"""Fields with the user's own validators (``@field_validator`` after, before and wrap) are
columns of their type, as without them: a validator changes values, not the column. A plain
validator replaces the type check, so its column must be declared (a field class). Found by
the gaps helper: ``@field_validator`` on an int ``orm.Field`` was a SchemaError."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from ferrule import field_validator, orm
from ferrule.errors import SchemaError, ValidationError
from ferrule.orm.schema import create_table_statements

from .conftest import opened, own_tables


class Checked(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = orm.Field(ge=0)
    big: int = orm.Field(ge=0, le=2**40)
    label: str = orm.Field(max_length=10)
    at: dt.datetime | None = None
    amount: Decimal = orm.Field(max_digits=6, decimal_places=2, default=Decimal("0"))
    token: uuid.UUID | None = None

    @field_validator("n", "big")
    @classmethod
    def doubled(cls, value: int) -> int:
        return value * 2

    @field_validator("label", mode="before")
    @classmethod
    def stripped(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("at", "amount", "token", mode="wrap")
    @classmethod
    def passed(cls, value: Any, handler: Any) -> Any:
        return handler(value)

    class Meta:
        table = "ormt_checked"


class Plain(orm.Model):
    """``Checked`` without its validators: the columns both must have."""

    id: int = orm.Field(primary_key=True)
    n: int = orm.Field(ge=0)
    big: int = orm.Field(ge=0, le=2**40)
    label: str = orm.Field(max_length=10)
    at: dt.datetime | None = None
    amount: Decimal = orm.Field(max_digits=6, decimal_places=2, default=Decimal("0"))
    token: uuid.UUID | None = None

    class Meta:
        table = "ormt_checked"


@pytest.mark.parametrize("dialect", ["sqlite", "postgres", "mysql"])
def test_validators_leave_the_columns_as_they_are(dialect: str) -> None:
    def ddl(model: Any) -> list[str]:
        return [
            text
            for statement in create_table_statements(model)
            for text, _ in statement.statements(dialect)
        ]

    assert ddl(Checked) == ddl(Plain)


async def test_validated_values_are_stored_and_read_back(url: str) -> None:
    at = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone.utc)
    token = uuid.UUID(int=7)
    async with opened(url) as db, own_tables(Checked):
        made = await Checked.create(
            n=2, big=2**39, label="  ab  ", at=at, amount=Decimal("1.25"), token=token
        )
        assert (made.n, made.big, made.label) == (4, 2**40, "ab")
        row = await db.fetch_one("SELECT n, big, label FROM ormt_checked")
        assert tuple(row) == (4, 2**40, "ab")
        again = await Checked.get(id=made.id)
        assert (again.n, again.big, again.label, again.at, again.amount, again.token) == (
            4,
            2**40,
            "ab",
            at,
            Decimal("1.25"),
            token,
        )
        with pytest.raises(ValidationError):  # the user's bound, before the validator
            await Checked.create(n=-1, big=0, label="x")


def test_a_plain_validator_needs_a_declared_column() -> None:
    with pytest.raises(SchemaError, match=r"Replaced\.n.*field class"):

        class Replaced(orm.Model):
            id: int = orm.Field(primary_key=True)
            n: int = 0

            @field_validator("n", mode="plain")
            @classmethod
            def anything(cls, value: Any) -> Any:
                return value

            class Meta:
                table = "ormt_replaced"

        create_table_statements(Replaced)

    class Declared(orm.Model):
        id: int = orm.Field(primary_key=True)
        n = orm.IntField(default=0)

        @field_validator("n", mode="plain")
        @classmethod
        def anything(cls, value: Any) -> Any:
            return int(value)

        class Meta:
            table = "ormt_declared"

    assert create_table_statements(Declared)
