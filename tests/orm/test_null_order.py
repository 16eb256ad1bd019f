"""Where NULL sorts: the same on every database. SQLite and MariaDB put NULL before every value
(ascending) and PostgreSQL after; ferrule's rule is theirs, NULL is the smallest value, so
``order_by("x")`` starts with the NULLs and ``order_by("-x")`` ends with them everywhere. Each
answer is checked against the rows sorted in Python by that rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ferrule import orm

from .conftest import opened, own_tables
from .models import Author, Post

BORN = {"ann": dt.date(1990, 5, 1), "bo": None, "cy": dt.date(1985, 1, 2), "di": None}


def _by_null_first(pairs: list[tuple[str, Any]], descending: bool = False) -> list[str]:
    """Names sorted by value with None smallest, ties by name (ascending)."""
    ordered = sorted(pairs, key=lambda p: p[0])
    ordered.sort(key=lambda p: (p[1] is not None, p[1] or 0), reverse=descending)
    return [name for name, _ in ordered]


async def _authors() -> dict[str, Author]:
    return {name: await Author.create(name=name, born=born) for name, born in BORN.items()}


async def test_nullable_column_orders_null_first_ascending_last_descending(url: str) -> None:
    async with opened(url):
        await _authors()
        pairs = list(BORN.items())
        up = await Author.all().order_by("born", "name").values_list("name", flat=True)
        assert up == _by_null_first(pairs)
        down = await Author.all().order_by("-born", "name").values_list("name", flat=True)
        # ties among NULLs stay by name: sort by name, then stably by value descending
        expected = sorted(pairs, key=lambda p: p[0])
        expected.sort(key=lambda p: (p[1] is not None, p[1] or dt.date.min), reverse=True)
        assert down == [n for n, _ in expected]
        assert (await Author.all().order_by("born", "name").first()).name == "bo"
        assert (await Author.all().order_by("born", "name").last()).name == "ann"
        assert (await Author.all().order_by("-born", "name").first()).name == "ann"


async def test_relation_and_annotation_order_null_first(url: str) -> None:
    async with opened(url):
        made = await _authors()
        views = {"ann": 5, "cy": 9}  # bo and di have no posts: Max is NULL
        for name, count in views.items():
            await Post.create(title=f"by {name}", author=made[name], views=count)
        await Post.create(title="edited", author=made["ann"], editor=made["cy"], views=1)
        tops = Author.all().annotate(top=orm.Max("posts__views"))
        top = await tops.order_by("top", "name").values("name")
        best = {"ann": 5, "cy": 9}
        assert [r["name"] for r in top] == _by_null_first([(n, best.get(n)) for n in BORN])
        down = await tops.order_by("-top", "name").values("name")
        assert [r["name"] for r in down] == ["cy", "ann", "bo", "di"]
        titles = Post.all().values_list("title", flat=True)
        editors = await titles.order_by("editor__name", "title")
        assert editors == ["by ann", "by cy", "edited"]
        editors = await titles.order_by("-editor__name", "title")
        assert editors == ["edited", "by ann", "by cy"]


class Scored(orm.Model):
    id: int = orm.Field(primary_key=True)
    score: int | None = orm.Field(default=None, index=True)
    rank: int = orm.Field(default=0, index=True)

    class Meta:
        table = "ormt_scored"
        indexes = [("score", "rank")]


async def test_postgres_indexes_keep_the_null_order_the_orm_asks_for(url: str) -> None:
    """An index PostgreSQL made ``ASC`` (NULLS LAST) cannot serve ``ORDER BY score NULLS
    FIRST``: ferrule's own indexes on nullable columns are made in the ORM's order (read back
    from the catalog); elsewhere the natural order already is the ORM's."""
    async with opened(url) as db, own_tables(Scored):
        for score in (3, None, 1):
            await Scored.create(score=score)
        assert await Scored.all().order_by("score").values_list("score", flat=True) == [None, 1, 3]
        if db.dialect != "postgres":
            return
        rows = await db.fetch_all(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ormt_scored'"
        )
        made = {r[0]: r[1] for r in rows}
        assert made["ormt_scored_score_idx"].endswith("(score NULLS FIRST)")
        assert made["ormt_scored_rank_idx"].endswith("(rank)")
        assert made["ormt_scored_score_rank_idx"].endswith("(score NULLS FIRST, rank)")
