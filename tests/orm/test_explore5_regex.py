"""``regex``/``iregex`` answer as Python's ``re.search`` on the three databases, or refuse
the pattern (``orm.regex_core``). ``\\b`` found word boundaries on SQLite and MariaDB and a
backspace on PostgreSQL, ``\\d``/``\\s`` took Unicode digits and spaces on two and ASCII on
PostgreSQL, ``[[:alpha:]]`` was a POSIX class on two and a nested set in Python, ``a{,2}``
``a{0,2}`` in Python and literal text on the others: each silently answered two ways."""

from __future__ import annotations

import re

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class Said(orm.Model):
    id: int = orm.Field(primary_key=True)
    t = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_x5_said"


WORDS = ["ab cd", "a\bb", "x\u0663y", "x3y", "é", "a\u00a0b", "a b", "aa", "a_b", "a-b", "a}",
         "{", "]", "-", "abab", "AbC", "a\nb", "a{1"]  # fmt: skip

#: what the engines read alike: the same rows as re.search on every database
AGREED = ["a}", "a{2}", "a{1,}", "a{0,255}", "^a{1,2}$", "x|", "()", "[]a]", "[^]a]", "[a-]",
          "\\{", "\\}", "\\.", "\\-", "\\_", "\\%", "\\\\", "(ab)+$", "a*?b", "a??", "a+?b",
          "(?:a|b)$", "^(?!a)", "a(?=b)", "[\\]]", "[\\-]", "[a\\-z]", "^$", "a||b", "a{0}",
          "[0-9]", "[a-z ]b", "^.*$"]  # fmt: skip

#: read differently by at least one engine: refused, with the part named
REFUSED = {
    "\\bc": "'\\\\b'", "a\\B": "'\\\\B'", "\\d": "'\\\\d'", "a\\sb": "'\\\\s'", "\\w": "'\\\\w'",
    "\\t": "'\\\\t'", "(a)\\1": "'\\\\1'", "\\u00e9": "'\\\\u'", "\\p{L}": "'\\\\p'",
    "\\y": "'\\\\y'", "\\é": "'\\\\é'", "[\\d]": "'\\\\d'", "[[:alpha:]]": "'[:'",
    "[[=a=]]": "'[='", "a{,2}": "'{'", "a{1": "'{'", "^{": "'{'", "a{300}": "'{300}'",
    "a{3,1}": "'{3,1}'", "(?i)a": "'(?i'", "(?<=a)b": "'(?<'", "(?P<x>a)": "'(?P'",
    "a*+": "'*+'", "a++": "'++'", "a{2}+": "'}+'", "a??+": "'?+'",
}  # fmt: skip


async def test_patterns_the_engines_share_answer_as_python(url: str) -> None:
    async with opened(url), own_tables(Said):
        await Said.bulk_create([Said(t=w) for w in WORDS])
        for pattern in AGREED:
            got = Said.filter(t__regex=pattern).order_by("id").values_list("t", flat=True)
            assert await got == [w for w in WORDS if re.search(pattern, w)], pattern


@pytest.mark.parametrize("lookup", ["regex", "iregex"])
async def test_patterns_read_differently_are_refused(url: str, lookup: str) -> None:
    async with opened(url), own_tables(Said):
        await Said.create(t="ab cd")
        for pattern, part in REFUSED.items():
            with pytest.raises(FieldError, match=re.escape(part)):
                await Said.filter(**{f"t__{lookup}": pattern}).count()
            with pytest.raises(FieldError, match=f"Said: t__{lookup}=") as refused:
                await Said.exclude(**{f"t__{lookup}": pattern}).count()
            assert f"t__{lookup}__" not in str(refused.value)  # the keyword, named once
