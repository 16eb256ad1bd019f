"""Queries past SQLite's parser limits, which PostgreSQL and MariaDB run.

An OR (or AND) of more than 1000 ``Q`` objects was SQLite's "Expression tree is too large
(maximum depth 1000)": it now runs there too (the ORM groups a long chain, ``orm.chains``),
with the answer Python gives for the same rows. Expressions nested past SQLite's parser
stack (about 25 levels) cannot be written flatter without changing their arithmetic: they
stay refused on SQLite, as an ``OperationalError`` that now says which limit and where in
the statement; raw SQL past either limit says so too."""

from __future__ import annotations

import functools
import operator

import pytest

from backends.conftest import native
from ferrule import orm
from ferrule.errors import OperationalError
from ferrule.orm import F, Q

from .conftest import opened, own_tables


class Deep(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = 0

    class Meta:
        table = "ormt_parse_limits"


NS = [0, 3, 999, 1500, 2999, 5000]


@pytest.mark.parametrize("terms", [1001, 3000])
async def test_a_long_or_and_and_of_q_objects_run_everywhere(url: str, terms: int) -> None:
    async with opened(url), own_tables(Deep):
        await Deep.bulk_create([Deep(id=i + 1, n=n) for i, n in enumerate(NS)])
        anyof = functools.reduce(operator.or_, [Q(n=i) for i in range(terms)])
        assert await Deep.filter(anyof).count() == sum(n < terms for n in NS)
        noneof = functools.reduce(operator.and_, [~Q(n=i) for i in range(terms)])
        got = await Deep.filter(noneof).order_by("n").values_list("n", flat=True)
        assert got == [n for n in NS if n >= terms]
        mixed = Q(id__gt=1) & (anyof | Q(n=5000))
        assert await Deep.filter(mixed).count() == sum(n < terms or n == 5000 for n in NS[1:])


async def test_nesting_past_sqlites_parser_is_refused_saying_where(url: str, dialect: str) -> None:
    async with opened(url), own_tables(Deep):
        await Deep.create(id=1, n=1)
        deep = F("n")
        for _ in range(40):
            deep = 1 + deep
        if dialect != "sqlite":
            assert await Deep.all().annotate(x=deep).values_list("x", flat=True) == [41]
            assert await Deep.filter(id=1).update(n=deep) == 1
            assert await Deep.all().values_list("n", flat=True) == [41]
            return
        for attempt in (
            lambda: Deep.all().annotate(x=deep).values_list("x", flat=True),
            lambda: Deep.filter(id=1).update(n=deep),
        ):
            with pytest.raises(OperationalError) as refused:
                await attempt()
            said = str(refused.value)
            assert "parser's stack" in said and "about 25 levels" in said
            # 40 sums, the CASE typeof(...) that refuses an int past 64 bits (two more)
            assert "nest 41 deep at offset" in said and "parser stack overflow" in said
        assert await Deep.all().values_list("n", flat=True) == [1]


async def test_raw_sql_past_sqlites_limits_says_which(url: str, dialect: str) -> None:
    async with opened(url) as db:
        chain = " OR ".join(["1 = 0"] * 1100)
        nested = "1" + " + (1" * 60 + ")" * 60
        if dialect != "sqlite":
            assert (await db.fetch_one(f"SELECT {chain}")) is not None
            assert (await db.fetch_val(f"SELECT {nested}")) == 61
            return
        with pytest.raises(OperationalError, match=r"a chain of 1099 'OR' at offset 0"):
            await db.fetch_one(native(dialect, f"SELECT {chain}"))
        with pytest.raises(OperationalError, match=r"parser's stack.*nest 60 deep"):
            await db.fetch_val(f"SELECT {nested}")
        with pytest.raises(OperationalError, match=r"parser's stack.*nest 60 deep"):
            await db.execute(f"CREATE TEMP VIEW v AS SELECT {nested}")
