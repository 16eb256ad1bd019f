"""``explain(format=..., **options)`` as Django's: PostgreSQL's formats and options, MariaDB's
``FORMAT=JSON`` and ``ANALYZE``; an unknown format or option, or a value that is no bool, is a
``FieldError`` naming it, raised before anything is sent (never written into the SQL).
Before, ``explain()`` took no argument at all (a TypeError)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, ORMError

from .conftest import opened
from .models import Author


async def test_json_format_is_the_plan_as_json(url: str, dialect: str) -> None:
    async with opened(url):
        await Author.create(name="ada")
        qs = Author.filter(name="ada")
        if dialect == "sqlite":
            with pytest.raises(FieldError, match="format"):
                await qs.explain(format="json")
            return
        plan = json.loads(await qs.explain(format="json"))
        assert plan  # PostgreSQL: a list of one plan; MariaDB: {"query_block": ...}
        assert await qs.explain(format="TEXT")


async def test_analyze_runs_the_query(url: str, dialect: str) -> None:
    async with opened(url):
        await Author.create(name="ada")
        qs = Author.filter(name="ada")
        if dialect == "sqlite":
            with pytest.raises(FieldError, match="analyze"):
                await qs.explain(analyze=True)
            return
        text = await qs.explain(analyze=True)
        if dialect == "postgres":
            assert "actual" in text
            plan = json.loads(await qs.explain(format="json", analyze=True, costs=False))
            assert "Actual Rows" in plan[0]["Plan"]
        else:
            plan = json.loads(await qs.explain(format="json", analyze=True))
            assert "r_loops" in json.dumps(plan)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"format": "json; DROP TABLE ormt_author"}, "format"),
        ({"format": 1}, "format"),
        ({"bogus": True}, "bogus"),
        ({"analyze": "true); DROP TABLE ormt_author; --"}, "analyze"),
        ({"ANALYZE": True}, "ANALYZE"),
    ],
)
async def test_bad_options_are_refused_by_name(url: str, options: Any, named: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match=named):
            await Author.all().explain(**options)
        with pytest.raises(FieldError, match=named):
            await Author.all().none().explain(**options)
        assert await Author.all().count() == 0  # the table is there


async def test_none_still_has_no_plan(url: str) -> None:
    async with opened(url):
        with pytest.raises(ORMError):
            await Author.all().none().explain()


def test_no_option_is_written_from_the_callers_text() -> None:
    from ferrule.orm.explaining import prefix

    assert prefix("A", "postgres", {"format": "json", "analyze": True, "verbose": False}) == (
        "EXPLAIN (FORMAT JSON, ANALYZE true, VERBOSE false) "
    )
    assert prefix("A", "mysql", {"format": "json", "analyze": True}) == "ANALYZE FORMAT=JSON "
    assert prefix("A", "mysql", {"format": "text"}) == "EXPLAIN FORMAT=TRADITIONAL "
    assert prefix("A", "sqlite", {}) == "EXPLAIN QUERY PLAN "
    _ = orm
