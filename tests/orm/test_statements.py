"""The statements the ORM's common calls send, and how many: one a call, the same text each
time (so the server's prepared statement is reused), and on PostgreSQL a text the planner can
plan once (``LIMIT`` written into it, not bound)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm

from .conftest import opened, own_tables
from .models import Author

RATINGS = (1, 5, 9, 3, 7, 2, 8, 4, 6, 0, 5, 1)


def _watch(db: Any) -> list[tuple[str, str, list[Any]]]:
    seen: list[tuple[str, str, list[Any]]] = []
    db.add_hook(after=lambda e: seen.append((e.operation, e.sql, list(e.params))))
    return seen


async def test_a_filtered_query_is_one_statement_of_one_text(url: str, dialect: str) -> None:
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"a{i:02d}", rating=i % 10) for i in range(30)])
        seen = _watch(db)
        for rating in RATINGS:
            found = await Author.filter(rating__gte=rating).order_by("name").limit(3)
            assert [a.name for a in found] == [f"a{i:02d}" for i in range(30) if i % 10 >= rating][
                :3
            ]
        assert len(seen) == len(RATINGS)
        assert {op for op, _, _ in seen} == {"fetch_tuples"}
        assert len({sql for _, sql, _ in seen}) == 1
        # the filter's value is the one parameter that changes; on PostgreSQL the LIMIT is in
        # the text (a bound LIMIT makes the planner re-plan the statement at every run)
        limit = [] if dialect == "postgres" else [3]
        assert [params for _, _, params in seen] == [[r, *limit] for r in RATINGS]
        if dialect == "postgres":
            assert seen[0][1].endswith(" LIMIT 3")


async def test_slices_first_and_get_bind_no_limit_on_postgres(url: str, dialect: str) -> None:
    async with opened(url) as db:
        made = [await Author.create(name=name, rating=1) for name in ("b", "a", "c", "d")]
        seen = _watch(db)
        assert [a.name for a in await Author.all().order_by("name")[1:3]] == ["b", "c"]
        assert [a.name for a in await Author.all().order_by("name")[2:]] == ["c", "d"]
        first = await Author.filter(rating=1).order_by("-name").first()
        assert first is not None and first.name == "d"
        assert (await Author.get(id=made[1].id)).name == "a"
        assert (await Author.all().order_by("name")[3]).name == "d"
        texts = [sql for _, sql, _ in seen]
        params = [p for _, _, p in seen]
        if dialect == "postgres":
            assert [t.rpartition(" LIMIT ")[2] for t in texts[:1]] == ["2 OFFSET $1"]
            assert params == [[1], [2], [1], [made[1].id], [3]]
            assert "LIMIT" not in texts[1]  # OFFSET alone
        assert len(seen) == 5


class Reader(orm.Model):
    """The benchmark's shape: an index on ``name`` only, which the ORDER BY ... LIMIT uses."""

    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20, index=True)
    age: int

    class Meta:
        table = "ormt_stmt_reader"


async def test_postgres_plans_a_filtered_query_once(url: str, dialect: str) -> None:
    """Checked on the server: the query's one prepared statement, run a dozen times with
    different values, is served from a generic plan (planned once) after the first runs. With
    a bound LIMIT the planner guesses a tenth of the rows for the generic plan, finds it dearer
    than a plan made for the values, and re-plans at every run."""
    if dialect != "postgres":
        pytest.skip("plan caching of prepared statements is PostgreSQL's")
    async with opened(url, max_size=1) as db, own_tables(Reader):
        rows = [Reader(name=f"n{i * 7919 % 10007:05d}", age=18 + i * 37 % 63) for i in range(5000)]
        await Reader.bulk_create(rows)
        await db.execute("ANALYZE ormt_stmt_reader")
        seen = _watch(db)
        for age in (20, 30, 40, 50, 60, 70, 25, 35, 45, 55, 65, 75):
            found = await Reader.filter(age__gte=age).order_by("name").limit(10)
            assert len(found) == 10 and all(r.age >= age for r in found)
        runs = len(seen)
        assert runs == 12 and len({sql for _, sql, _ in seen}) == 1
        plans = await db.fetch_all(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
            [seen[0][1]],
        )
        assert len(plans) == 1  # prepared once, on the one connection
        generic, custom = plans[0]
        assert generic + custom == runs
        assert generic > 0, (generic, custom)
