# ruff: noqa: RUF001 - Greek and Cyrillic letters are the test data
"""Text compares exactly on every database: ``filter(name="a")`` is the rows whose text is
"a", not "A", "á" or "a " (MariaDB's default collation would answer all four, and refuse "A"
beside "a" in a unique column); ordering is by code point. Each answer is checked against
Python's own comparison of the same strings."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables

#: distinct strings that case-, accent- or space-blind collations would take as equal
WORDS = ["a", "A", "a ", "á", "Á", "ss", "ß", "e", "é", "É", "ǅ", "ǆ", "z", "😀", "a\t", ""]


class Word(orm.Model):
    id: int = orm.Field(primary_key=True)
    word: str = orm.Field(max_length=10, unique=True)
    note: str = orm.Field(default="")  # an unbounded text column

    class Meta:
        table = "ormt_word"


async def _sorted(qs: Any) -> list[str]:
    return [w.word for w in await qs.order_by("id")]


async def _is_code_point_ordered(db: Any, dialect: str) -> bool:
    """PostgreSQL orders text by its database's collation; the suite's are C.UTF-8."""
    if dialect != "postgres":
        return True
    found = await db.fetch_val(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()"
    )
    return str(found) in ("C", "C.UTF-8", "C.utf8", "POSIX")


async def test_equal_text_is_the_same_code_points(url: str, dialect: str) -> None:
    async with opened(url) as db, own_tables(Word):
        for word in WORDS:  # a unique column takes every one of them
            await Word.create(word=word, note=word * 2)
        for word in WORDS:
            assert await _sorted(Word.filter(word=word)) == [word], word
            assert await _sorted(Word.filter(note=word * 2)) == [word], word
            assert await Word.filter(word__in=[word, "zz"]).count() == 1, word
            greater = [w for w in WORDS if w > word]
            assert sorted(w.word for w in await Word.filter(word__gt=word)) == sorted(greater)
        assert await Word.exclude(word="a").count() == len(WORDS) - 1
        assert sorted(await Word.values_list("word", flat=True).distinct()) == sorted(WORDS)
        if await _is_code_point_ordered(db, dialect):
            ordered = [w.word for w in await Word.order_by("word")]
            assert ordered == sorted(WORDS)


async def test_unique_text_refuses_only_the_same_text(url: str) -> None:
    async with opened(url), own_tables(Word):
        await Word.create(word="straße")
        await Word.create(word="STRASSE")
        await Word.create(word="strasse")
        with pytest.raises(IntegrityError):
            await Word.create(word="straße")
        assert await Word.filter(word__startswith="stra").count() == 2


#: letters outside ASCII in either case; each database lowers them one code point at a time
CASED = [
    "ÉTÉ",
    "été",
    "Été",
    "ete",
    "STRASSE",
    "straße",
    "STRAßE",
    "ΣΑΣ",
    "σας",
    "Ωμέγα",
    "ДОМ",
    "İSTANBUL",
    "istanbul",
]


def _lower(text: str) -> str:
    """Lower case one code point at a time (Unicode's simple mapping), as the servers' LOWER()
    and ILIKE do. Python's str.lower() also knows the final sigma, and gives İ's full mapping
    (i + a combining dot); its simple one, in UnicodeData.txt, is i."""
    return "".join("i" if ch == "\u0130" else ch.lower() for ch in text)


async def test_case_blind_lookups_fold_every_letter(url: str) -> None:
    async with opened(url), own_tables(Word):
        for word in CASED:
            await Word.create(word=word)
        questions = [
            ("iexact", "été"),
            ("iexact", "straße"),
            ("iexact", "σασ"),
            ("icontains", "TÉ"),
            ("icontains", "Σ"),
            ("istartswith", "éT"),
            ("iendswith", "ом"),
            ("iexact", "ωμέγα"),
            ("iexact", "Istanbul"),
        ]
        for lookup, value in questions:
            found = sorted(w.word for w in await Word.filter(**{f"word__{lookup}": value}))
            test = {
                "iexact": lambda w, v: _lower(w) == _lower(v),
                "icontains": lambda w, v: _lower(v) in _lower(w),
                "istartswith": lambda w, v: _lower(w).startswith(_lower(v)),
                "iendswith": lambda w, v: _lower(w).endswith(_lower(v)),
            }[lookup]
            assert found == sorted(w for w in CASED if test(w, value)), (lookup, value)
