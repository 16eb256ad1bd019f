"""Enormous constants in expressions. An int past Python's int-to-text limit (4,300 digits)
raised a bare ``ValueError`` while the refusal naming it was written; a decimal constant
past MariaDB's 65 digits was clamped by its ``CAST(... AS DECIMAL(65, s))`` to 99...9 and
answered silently (PostgreSQL computes it exactly; SQLite refuses what a double cannot
hold). The reference: PostgreSQL's exact answer, or a ``FieldError`` saying why not."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from ferrule import errors
from ferrule.orm.expressions import F, Value

from .conftest import opened
from .models import Everything

HUGE = 10**100_000


@pytest.mark.parametrize(
    "call",
    [
        lambda: Everything.all().annotate(k=Value(HUGE)),
        lambda: Everything.all().annotate(k=F("big") + HUGE),
        lambda: Everything.filter(big__lt=F("big") - HUGE),
        lambda: Everything.all().update(big=F("big") + HUGE),
    ],
)
async def test_an_int_past_the_text_limit_is_refused_by_its_size(url: str, call: Any) -> None:
    async with opened(url):
        await Everything.create(big=1)
        with pytest.raises(errors.FieldError, match="64 bits"):
            await call()


@pytest.mark.parametrize(
    "text",
    [
        "1e64",
        "1e65",
        "-1e70",
        "123456789012345678901234567890123456789012345678901234567890123456.5",
    ],
)
async def test_a_decimal_past_65_digits_is_exact_or_refused(
    url: str, dialect: str, text: str
) -> None:
    number = decimal.Decimal(text)
    with decimal.localcontext(prec=200):
        plus = number + decimal.Decimal("1.5")
    async with opened(url):
        await Everything.create(price=decimal.Decimal("1.5"))
        for query, expected in [
            (Everything.all().annotate(k=Value(number)), number),
            (Everything.all().annotate(k=F("price") + number), plus),
        ]:
            try:
                got = await query.values_list("k", flat=True)
            except (errors.FieldError, errors.InterfaceError) as error:  # SQLite: a double
                assert dialect != "postgres", error
                assert "digits" in str(error)
                continue
            assert got == [expected]
