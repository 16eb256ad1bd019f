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
