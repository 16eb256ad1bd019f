"""A lookup where a value is named (``values("name__exact")``, ``order_by("id__gt")``): the
refusal said "'exact' is not a lookup of name; did you mean 'exact'?", naming as wrong what
it then offered. It now says the name ends in a lookup, which filters, and what to name."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import errors
from ferrule.orm.expressions import F

from .conftest import opened
from .models import Author


@pytest.mark.parametrize(
    "call",
    [
        lambda: Author.all().values("name__exact"),
        lambda: Author.all().values_list("id__gt", flat=True),
        lambda: Author.all().order_by("-id__gt"),
        lambda: Author.all().annotate(k=F("name__icontains")),
    ],
)
async def test_a_lookup_where_a_value_is_named_says_so(url: str, call: Any) -> None:
    async with opened(url):
        with pytest.raises(errors.FieldError) as raised:
            await call()
        said = str(raised.value)
        assert "ends in the lookup" in said
        assert "did you mean" not in said
