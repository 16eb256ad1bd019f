"""MariaDB: ``%`` in names and in SQL text, with and without parameters.

MySQL drivers %-format the text only when given parameters. The dialect writes a literal ``%``
as ``%%``, so a compiled statement without parameters sent unformatted named ``p%%``:
``sql.delete(sql.table("p%"))`` emptied the table ``p%%``. Three tables, ``p%``, ``p%%`` and
``p%s``, with 1, 2 and 3 rows: every statement must touch its own table only, and the counts
of all three (read with plain SQL, no parameters, sent as written) are the reference.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

import ferrule
from ferrule import sql
from ferrule.errors import InterfaceError

from .conftest import SERVER_URLS, selected_dialects

pytestmark = pytest.mark.skipif(
    "mysql" not in selected_dialects(), reason="FERRULE_TEST_DB excludes mysql"
)
URL = SERVER_URLS["mysql"]
SUFFIXES = ("p%", "p%%", "p%s")


async def _tables() -> tuple[Any, dict[str, str]]:
    db = await ferrule.connect(URL, min_size=1, max_size=1)
    prefix = f"dbt_{uuid.uuid4().hex[:8]}_"
    names = {s: prefix + s for s in SUFFIXES}
    for rows, name in enumerate(names.values(), 1):
        await db.execute(f"CREATE TABLE `{name}` (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
        await db.execute(f"INSERT INTO `{name}` (v) VALUES " + ", ".join(["(1)"] * rows))
    return db, names


async def _counts(db: Any, names: dict[str, str]) -> dict[str, int]:
    return {s: await db.fetch_val(f"SELECT COUNT(*) FROM `{n}`") for s, n in names.items()}


async def _drop(db: Any, names: dict[str, str]) -> None:
    try:
        for name in names.values():
            await db.execute(f"DROP TABLE IF EXISTS `{name}`")
    finally:
        await db.close()


#: (statement on table T, with parameters?, change in T's row count)
STATEMENTS: dict[str, tuple[Callable[[sql.Table], sql.Statement], bool, int]] = {
    "insert": (lambda t: sql.insert(t), False, +1),
    "insert params": (lambda t: sql.insert(t).values(v=5), True, +1),
    "update": (lambda t: sql.update(t).set(v=t.c.id), False, 0),
    "update params": (lambda t: sql.update(t).set(v=7).where(t.c.v == 1), True, 0),
    "delete": (lambda t: sql.delete(t), False, "all"),  # type: ignore[dict-item]
    "delete params": (lambda t: sql.delete(t).where(t.c.v == 1), True, "all"),  # type: ignore[dict-item]
}


@pytest.mark.parametrize("target", SUFFIXES)
@pytest.mark.parametrize("statement", list(STATEMENTS))
async def test_statements_touch_only_their_table(target: str, statement: str) -> None:
    db, names = await _tables()
    try:
        build, with_params, change = STATEMENTS[statement]
        t = sql.table(names[target], "id", "v")
        query = build(t)
        assert bool(query.compile("mysql")[1]) is with_params
        before = await _counts(db, names)
        await db.execute(query)
        expected = dict(before)
        expected[target] = 0 if change == "all" else before[target] + change
        assert await _counts(db, names) == expected
        # reads, with and without parameters, see the same table
        count = sql.select(sql.func.count()).from_(t)
        assert await db.fetch_val(count) == expected[target]
        assert await db.fetch_val(count.where(t.c.id > 0)) == expected[target]
        ids = await db.fetch_all(sql.select(t.c.id).from_(t).order_by(t.c.id))
        assert [r[0] for r in ids] == list(range(1, expected[target] + 1))
    finally:
        await _drop(db, names)


async def test_copy_records_into_a_percent_table() -> None:
    db, names = await _tables()
    try:
        assert await db.copy_records(names["p%"], ["v"], [(8,), (9,)]) == 2
        assert await _counts(db, names) == {"p%": 3, "p%%": 2, "p%s": 3}
    finally:
        await _drop(db, names)


async def test_compiled_text_without_params_is_sent_as_meant() -> None:
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        assert await db.fetch_val(sql.text("SELECT 'a%b%%c'")) == "a%b%%c"
        assert await db.fetch_val(sql.text("SELECT CONCAT('a%', :x)", x="%s")) == "a%%s"
        assert await db.fetch_val(sql.select(sql.raw("'%s'"))) == "%s"
        assert [r async for r in db.iterate(sql.select(sql.raw("'1%'")))] == [("1%",)]


async def test_raw_text_without_params_is_sent_as_written() -> None:
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        assert await db.fetch_val("SELECT 'a%b'") == "a%b"
        assert await db.fetch_val("SELECT 'a%%b', '%s'") == "a%%b"
        assert await db.fetch_one("SELECT '100%'") == ("100%",)
        assert await db.fetch_val("SELECT 'a%%b', %s", [1]) == "a%b"


BAD_FORMATS: dict[str, tuple[str, list[Any]]] = {
    "literal %": ("SELECT '%', %s", [1]),
    "literal % before s": ("SELECT '100%', %s", [1]),
    "too few params": ("SELECT %s, %s", [1]),
    "too many params": ("SELECT %s", [1, 2]),
}


async def _each_call(db: Any, text: str, params: list[Any]) -> AsyncIterator[str]:
    for op in ("execute", "fetch_all", "fetch_one", "fetch_val"):
        with pytest.raises(InterfaceError) as info:
            await getattr(db, op)(text, params)
        yield str(info.value)
    with pytest.raises(InterfaceError) as info:
        async for _ in db.iterate(text, params):
            pass
    yield str(info.value)
    with pytest.raises(InterfaceError) as info:
        await db.execute_many(text, [params, params])
    yield str(info.value)


@pytest.mark.parametrize("case", list(BAD_FORMATS))
async def test_a_bad_format_string_is_a_typed_error(case: str) -> None:
    text, params = BAD_FORMATS[case]
    async with await ferrule.connect(URL, min_size=1, max_size=1) as db:
        messages = [m async for m in _each_call(db, text, params)]
        assert len(messages) == 6
        for message in messages:
            assert "%%" in message and "%s" in message, message
        # the one connection is still usable, in and out of a transaction
        assert await db.fetch_val("SELECT %s", [41]) == 41
        async with db.transaction():
            with pytest.raises(InterfaceError):
                await db.fetch_val(text, params)
            assert await db.fetch_val("SELECT 42") == 42
