"""The native SQLite statement runner against its reference, the ``sqlite3`` module itself.

Every answer of ``_ferrule.SQLiteStatements`` (rows, column types, converters, descriptions,
row counts, exceptions with their class, text and code) must be the one the module gives for
the same statement on the same connection; whatever it cannot answer exactly it must hand back
(``NotImplemented``) before running anything.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ferrule
from ferrule.backends import sqlite as backend
from ferrule.backends import sqlite_native

module = backend.sqlite3
native_available = sqlite_native.usable(module)
needs_native = pytest.mark.skipif(
    not native_available, reason="the native runner is off (pure core, fast paths off, or no probe)"
)

COLUMNS = "i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, d DATE, f BOOLEAN, j JSON, u ANY"


def _connection() -> Any:
    raw = module.connect(":memory:", isolation_level=None, detect_types=module.PARSE_DECLTYPES)
    raw.execute(f"CREATE TABLE t ({COLUMNS})")
    return raw


def _outcome(run: Any) -> Any:
    """What a call gave: its value, or its exception's class, text and SQLite code."""
    try:
        return ("ok", run())
    except Exception as exc:
        return (
            "error",
            type(exc).__name__,
            str(exc),
            getattr(exc, "sqlite_errorcode", None),
            getattr(exc, "sqlite_errorname", None),
        )


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to itself and types compared too."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class LyingInt(int):
    def __index__(self) -> int:
        return 7

    def __int__(self) -> int:
        return 7


class LyingStr(str):
    def __str__(self) -> str:
        return "lie"

    def encode(self, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[override]
        return b"lie"


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.binary(),
    st.builds(LyingInt, st.integers(-100, 100)),
    st.builds(LyingStr, st.text(max_size=5)),
    st.sampled_from(
        [
            decimal.Decimal("1.5"),
            dt.date(2024, 2, 29),
            dt.datetime(2024, 1, 1, 12),
            bytearray(b"ab"),
            memoryview(b"cd"),
            [1, 2],
            {"a": 1},
            "2024-13-01",
            "{not json",
            "\x00",
            "\ud800",
        ]
    ),
)


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.lists(values, min_size=9, max_size=9), extra=st.integers(-1, 1))
def test_rows_and_errors_match_the_module(row: list[Any], extra: int) -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        insert = "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        params = row + [None] * max(extra, 0) if extra >= 0 else row[:extra]
        expected = _outcome(lambda: raw.execute(insert, params).rowcount)
        got = _outcome(lambda: runner.execute(insert, params))
        if got == ("ok", NotImplemented):
            assert type(params) is list  # handed back: the module's answer stands
        else:
            # the module ran first: undo its row so both start from the same table
            assert got[0] == expected[0] and _same(got, expected), (got, expected)
            raw.execute("DELETE FROM t WHERE rowid = (SELECT max(rowid) FROM t)")
        select = "SELECT i, r, t, b, n, d, f, j, u FROM t"
        expected = _outcome(lambda: raw.execute(select).fetchall())
        got = _outcome(lambda: runner.fetch(select, ()))
        assert _same(got, expected), (got, expected)
        if got[0] == "ok":
            assert runner.last_description == raw.execute(select).description
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_statements_it_cannot_answer_are_handed_back_before_running() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        handed_back = [
            ("INSERT INTO t (i) VALUES (:x)", {"x": 1}),  # named parameters
            ("INSERT INTO t (i) VALUES (?)", [1, 2]),  # a wrong count
            ("INSERT INTO t (i) VALUES (?); DELETE FROM t", [1]),  # two statements
            ("/* lead */ INSERT INTO t (i) VALUES (?)", [1]),
            ("INSERT INTO t (i) VALUES (?)", [decimal.Decimal(1)]),  # an adapter
            ("INSERT INTO t (i) VALUES (?)", [2**63]),  # beyond 64 bits
            ("INSERT INTO t (r) VALUES (?)", [math.nan]),  # SQLite would bind NULL
            ("INSERT INTO t (i) VALUES (?)", (x for x in [1])),  # not a list or tuple
            ("INSERT INTO nowhere VALUES (?)", [1]),  # does not compile
            ("", []),
        ]
        for sql, params in handed_back:
            assert runner.execute(sql, params) is NotImplemented, sql
            assert runner.fetch(sql, params) is NotImplemented, sql
        many = [[1.5], [math.nan]]
        assert runner.execute_many("INSERT INTO t (r) VALUES (?)", many) is NotImplemented
        assert raw.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert runner.execute("INSERT INTO t (r) VALUES (?)", [math.inf]) == 1  # kept exactly
        assert raw.execute("SELECT r FROM t").fetchall() == [(math.inf,)]
        raw.execute("DELETE FROM t")
        assert runner.execute("SELECT 1", []) is NotImplemented  # has rows: fetch's job
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_row_counts_follow_the_module() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.executemany("INSERT INTO t (i) VALUES (?)", [(k,) for k in range(5)])
        for sql in (
            "UPDATE t SET i = i + 1 WHERE i > ?",
            "  delete FROM t WHERE i = ?",
            "REPLACE INTO t (i) VALUES (?)",
            "CREATE TABLE IF NOT EXISTS u (a) -- ?",
        ):
            params = [] if "CREATE" in sql else [2]
            if "CREATE" in sql:
                sql = "CREATE TABLE IF NOT EXISTS u (a)"
            raw.execute("BEGIN")  # both run on the same rows: the module's run is rolled back
            expected = raw.execute(sql, params).rowcount
            raw.execute("ROLLBACK")
            assert runner.execute(sql, params) == expected, sql
            assert expected == (-1 if "CREATE" in sql else 2 if "UPDATE" in sql else 1), sql
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_a_schema_change_is_seen_as_the_module_sees_it() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.execute("CREATE TABLE s (a TEXT)")
        raw.execute("INSERT INTO s VALUES ('2024-01-02')")
        assert runner.fetch("SELECT * FROM s", ()) == [("2024-01-02",)]
        raw.execute("DROP TABLE s")
        raw.execute("CREATE TABLE s (a DATE, b BOOLEAN)")
        raw.execute("INSERT INTO s VALUES ('2024-01-02', 0)")
        assert runner.fetch("SELECT * FROM s", ()) == [(dt.date(2024, 1, 2), False)]
        assert runner.last_description == raw.execute("SELECT * FROM s").description
        assert runner.stats()["hits"] >= 1
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_zero_rows_still_describe_the_columns() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        assert runner.fetch("SELECT i, t FROM t WHERE i = ?", [1]) == []
        assert runner.last_description == raw.execute("SELECT i, t FROM t").description
        assert runner.fetch("SELECT 1 WHERE 0", (), None, 1) == []
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_rows_left_after_the_budget_are_read_later_once() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.executemany("INSERT INTO t (i, j) VALUES (?, ?)", [(k, "[1]") for k in range(3000)])
        got = runner.fetch("SELECT i, j FROM t ORDER BY i", (), 0.0)
        assert type(got) is tuple
        first, pending = got
        assert len(first) == 512  # one chunk, then the clock said stop
        rest = pending.fetch_rest()
        assert first + rest == raw.execute("SELECT i, j FROM t ORDER BY i").fetchall()
        with pytest.raises(RuntimeError):
            pending.fetch_rest()
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_a_closed_connection_is_left_to_the_module() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    runner.fetch("SELECT 1", ())
    raw.close()
    assert runner.fetch("SELECT 1", ()) is NotImplemented
    assert runner.execute("DELETE FROM t", ()) is NotImplemented


@needs_native
def test_progress_handler_interrupts_a_native_statement() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.set_progress_handler(lambda: True, 100)
        sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
        expected = _outcome(lambda: raw.execute(sql).fetchall())
        got = _outcome(lambda: runner.fetch(sql, ()))
        assert got == expected
        assert got[0] == "error" and got[1] == "OperationalError"
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_constraint_errors_translate_as_before(tmp_path: Any) -> None:
    async def main() -> None:
        db = await ferrule.connect(f"sqlite:///{tmp_path}/x.db")
        try:
            await db.execute("CREATE TABLE k (a INTEGER PRIMARY KEY, b TEXT UNIQUE)")
            await db.execute("INSERT INTO k VALUES (?, ?)", [1, "x"])
            with pytest.raises(ferrule.IntegrityError) as caught:
                await db.execute("INSERT INTO k VALUES (?, ?)", [2, "x"])
            assert "UNIQUE constraint failed: k.b" in str(caught.value)
            with pytest.raises(ferrule.IntegrityError):
                await db.fetch_all("INSERT INTO k VALUES (?, ?) RETURNING a", [3, "x"])
            assert await db.fetch_val("SELECT count(*) FROM k") == 1
            stats = db.pool_stats() if hasattr(db, "pool_stats") else None
            del stats
        finally:
            await db.close()

    asyncio.run(main())


def test_the_runner_is_off_in_the_pure_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERRULE_PURE_PYTHON", "1")
    sqlite_native.usable.cache_clear()
    raw = _connection()
    try:
        assert sqlite_native.attach(module, raw, 8) is None
    finally:
        raw.close()
        sqlite_native.usable.cache_clear()


def test_json_values_survive_both_paths() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.execute("INSERT INTO t (j) VALUES (?)", [json.dumps({"a": [1, 2]})])
        expected = raw.execute("SELECT j FROM t").fetchall()
        assert expected == [({"a": [1, 2]},)]
        if runner is not None:
            assert runner.fetch("SELECT j FROM t", ()) == expected
    finally:
        if runner is not None:
            runner.clear()
        raw.close()


@needs_native
def test_rows_become_the_instances_model_rows_makes() -> None:
    from ferrule import Model
    from ferrule._ferrule import model_rows

    class Item(Model):
        id: int
        name: str
        when: dt.date | None = None
        tags: list[int] = []

    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.executemany(
            "INSERT INTO t (i, t, d, j) VALUES (?, ?, ?, ?)",
            [(k, f"n{k}", None if k % 2 else f"2024-01-{k + 1:02d}", f"[{k}]") for k in range(9)],
        )
        sql = "SELECT j, i, t, d FROM t ORDER BY i"
        plan = (("id", "name", "when", "tags"), (1, 2, 3, 0), (None, str.upper, None, None))
        expected = model_rows(Item, raw.execute(sql).fetchall(), *plan)
        got = runner.fetch(sql, (), None, None, (Item, *plan))
        assert [o.model_dump() for o in got] == [o.model_dump() for o in expected]
        assert got[3].name == "N3" and got[2].when == dt.date(2024, 1, 3) and got[1].tags == [1]
        raw.executemany("INSERT INTO t (i, t) VALUES (?, ?)", [(k, "x") for k in range(9, 1200)])
        first, pending = runner.fetch(sql, (), 0.0, None, (Item, *plan))  # out of time at once
        rest = pending.fetch_rest()
        assert len(first) == 512 and len(first) + len(rest) == 1200
        assert [o.id for o in first + rest] == list(range(1200))
        with pytest.raises(IndexError):
            runner.fetch(sql, (), None, None, (Item, ("id",), (7,), (None,)))
        with pytest.raises(ValueError):
            runner.fetch(sql, (), None, None, (Item, ("nope",), (0,), (None,)))
        assert runner.fetch("SELECT i FROM t", ())[0] == (0,)  # the statement is usable again
    finally:
        runner.clear()
        raw.close()


@needs_native
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(values, min_size=2, max_size=2), max_size=6))
def test_execute_many_matches_the_module(rows: list[list[Any]]) -> None:
    """Same rows, same table afterwards, same error; or handed back with nothing run."""
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        raw.execute("CREATE TABLE m (a ANY, b TEXT NOT NULL)")  # NOT NULL: some rows fail
        sql = "INSERT INTO m VALUES (?, ?)"
        select = "SELECT typeof(a), a, typeof(b), b FROM m ORDER BY rowid"
        raw.execute("BEGIN")
        expected = _outcome(lambda: raw.executemany(sql, rows) and None)  # the cursor aside
        expected_table = raw.execute(select).fetchall()
        raw.execute("ROLLBACK")
        raw.execute("BEGIN")
        got = _outcome(lambda: runner.execute_many(sql, rows))
        if got == ("ok", NotImplemented):
            assert raw.execute("SELECT count(*) FROM m").fetchone() == (0,)
        else:
            assert _same(got[1:], expected[1:]) and got[0] == expected[0], (got, expected)
            assert _same(raw.execute(select).fetchall(), expected_table)
        raw.execute("ROLLBACK")
    finally:
        runner.clear()
        raw.close()


@needs_native
def test_execute_many_refuses_statements_with_rows_and_odd_containers() -> None:
    raw = _connection()
    runner = sqlite_native.attach(module, raw, 8)
    try:
        assert runner.execute_many("SELECT ?", [[1]]) is NotImplemented
        assert runner.execute_many("INSERT INTO t (i) VALUES (?)", iter([[1]])) is NotImplemented
        assert runner.execute_many("INSERT INTO t (i) VALUES (?)", [[1], [2**70]]) is NotImplemented
        assert raw.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert runner.execute_many("INSERT INTO t (i) VALUES (?)", ([1], (2,))) is None
        assert raw.execute("SELECT i FROM t").fetchall() == [(1,), (2,)]
    finally:
        runner.clear()
        raw.close()


def test_a_fetch_cancelled_in_its_worker_leaves_the_connection_clean(tmp_path: Any) -> None:
    """The rows past the loop's budget are read in a worker; cancelled there, the statement
    stops and the connection takes the next statement (before the fix, a read cancelled before
    its worker began stayed active, and SQLite went on interrupting every later statement of
    the connection: on the native path and on the module's cursor alike)."""
    rows = 200_000

    async def main() -> None:
        url = f"sqlite:///{tmp_path}/c.db"
        db = await ferrule.connect(url, min_size=1, max_size=1)
        other = await ferrule.connect(url, min_size=1, max_size=1)
        try:
            await db.execute(
                "CREATE TABLE big AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                f" FROM n WHERE i < {rows}) SELECT i FROM n"
            )
            cancelled = 0
            for _ in range(5):
                before = db.stats()["offloaded"]
                task = asyncio.create_task(db.fetch_tuples("SELECT i, i * 2 FROM big"))
                while db.stats()["offloaded"] == before and not task.done():
                    await asyncio.sleep(0)  # until the rest of the rows went to a worker
                task.cancel()
                try:
                    assert len(await task) == rows
                except asyncio.CancelledError:
                    cancelled += 1
                assert await db.fetch_val("SELECT count(*) FROM big") == rows
                await other.execute("INSERT INTO big VALUES (?)", [0])
                await other.execute("DELETE FROM big WHERE i = 0")
                await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            assert cancelled > 0
        finally:
            await db.close()
            await other.close()

    asyncio.run(main())
