"""A long XOR (``Q(a) ^ Q(b) ^ ...``, true when an odd number of its terms are): its flags
were folded one after another, a tree as deep as the XOR is long, so on SQLite 40-odd terms
passed its parser's stack (an ``OperationalError``) and past a few hundred the statement
builder refused it everywhere. They are folded in halves now, as deep as the log of the
count. The reference is Python's parity of the same terms."""

from __future__ import annotations

import functools
import operator

import pytest

from ferrule.orm.expressions import Q

from .conftest import opened
from .models import Author


@pytest.mark.parametrize("count", [2, 3, 41, 64, 1000])
async def test_a_long_xor_is_the_parity_of_its_terms(url: str, count: int) -> None:
    async with opened(url):
        for rating in range(4):
            await Author.create(name=f"a{rating}", rating=rating)
        # term i holds where rating <= i % 4: a row of rating r holds in the terms i % 4 >= r
        terms = [Q(rating__lte=i % 4) for i in range(count)]
        xor = functools.reduce(operator.xor, terms)
        expected = sorted(
            f"a{r}" for r in range(4) if sum(1 for i in range(count) if r <= i % 4) % 2
        )
        got = await Author.filter(xor).order_by("name").values_list("name", flat=True)
        assert got == expected
