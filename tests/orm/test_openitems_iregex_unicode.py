"""``iregex`` beyond ASCII answers as Python's ``re.search(..., re.IGNORECASE)`` on the
three databases, or refuses the pattern. Each engine folds letters past ASCII its own way:
PostgreSQL (C.UTF-8) matched neither the Kelvin sign with ``k`` nor the long s with ``s``
nor the two lower-case sigmas, MariaDB not the dotted capital I and the dotless i with
``i``; Python's ``re`` matches them all."""

from __future__ import annotations

import re

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class Word(orm.Model):
    id: int = orm.Field(primary_key=True)
    t = orm.CharField(max_length=30)

    class Meta:
        table = "ormt_oi_word"


WORDS = ["Kelvin \u212a", "long \u017ftory", "\u0130stanbul", "\u0131i", "ÉCOLE", "école",
         "straße", "STRASSE", "Σίσυφος", "plain", "KISS", "k"]  # fmt: skip

#: ASCII patterns: the same rows as Python's re on every database
ASCII = ["k", "K", "^k$", "s", "S", "STORY", "ist", "I", "^[a-z]+$", "[^a-z ]", "[j-l]", "[^k]$",
         "[A-z]", "STAN", "kiss|plain", "^.i$"]  # fmt: skip


async def test_ascii_patterns_fold_as_python_does(url: str) -> None:
    async with opened(url), own_tables(Word):
        await Word.bulk_create([Word(t=w) for w in WORDS])
        for pattern in ASCII:
            got = Word.filter(t__iregex=pattern).order_by("id").values_list("t", flat=True)
            assert await got == [w for w in WORDS if re.search(pattern, w, re.I)], pattern
            left = Word.exclude(t__iregex=pattern).order_by("id").values_list("t", flat=True)
            assert await left == [w for w in WORDS if not re.search(pattern, w, re.I)], pattern


@pytest.mark.parametrize("pattern", ["école", "[é]", "\u03c3", "STRAẞE", "a|\u212a"])
async def test_a_pattern_past_ascii_is_refused(url: str, pattern: str) -> None:
    async with opened(url), own_tables(Word):
        await Word.create(t="école")
        with pytest.raises(FieldError, match="iregex"):
            await Word.filter(t__iregex=pattern).count()


async def test_regex_past_ascii_still_matches_exactly(url: str) -> None:
    async with opened(url), own_tables(Word):
        await Word.bulk_create([Word(t=w) for w in WORDS])
        for pattern in ["école", "[éÉ]", "ς$", "ß", "\u212a"]:
            got = Word.filter(t__regex=pattern).order_by("id").values_list("t", flat=True)
            assert await got == [w for w in WORDS if re.search(pattern, w)], pattern
