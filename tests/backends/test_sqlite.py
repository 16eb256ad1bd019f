"""SQLite specifics: the loop-thread fast path, offloading, file modes and pragmas."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

import ferrule
from ferrule import sql
from ferrule.backends import sqlite as sqlite_backend
from ferrule.backends.sqlite import LOOP_BUDGET
from ferrule.backends.sqlite_functions import register_like, unicode_lower

LONG_SCAN = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)"
    " SELECT COUNT(*) FROM c"
)


async def test_ordinary_statements_stay_on_the_loop_thread(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        await db.execute_many("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        for i in range(100):
            assert await db.fetch_one("SELECT id FROM t WHERE id = ?", (i,)) == (i,)
        assert db.stats()["offloaded"] == 0


async def test_a_long_scan_moves_to_a_worker(tmp_path: Path) -> None:
    assert LOOP_BUDGET <= 0.05
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        assert await db.fetch_val(LONG_SCAN) == 1_000_000
        assert db.stats()["offloaded"] == 1
        async with db.transaction():  # a read inside a transaction may move too
            assert await db.fetch_val(LONG_SCAN) == 1_000_000
        assert db.stats()["offloaded"] == 2


async def test_file_database_uses_wal(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        assert await db.fetch_val("PRAGMA journal_mode") == "wal"
        assert await db.fetch_val("PRAGMA foreign_keys") == 1
        assert "concurrent_connections" in db.capabilities
    async with await ferrule.connect("sqlite://") as memory:
        assert "concurrent_connections" not in memory.capabilities
        assert memory.stats()["max_size"] == 1


async def test_a_page_cache_of_64_mib_by_default(tmp_path: Path) -> None:
    """SQLite's own default is 2 MiB, which a table of 100k short rows outgrows: each query
    then reads its pages from the OS again (a filtered LIMIT 10 over such a table ran 37%
    faster with this cache in benchmarks/orm.py's setting)."""
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}", max_size=1) as db:
        assert await db.fetch_val("PRAGMA cache_size") == -65536
        await db.execute("PRAGMA cache_size = 10")  # session state: put back on release
        assert await db.fetch_val("PRAGMA cache_size") == -65536
    async with await ferrule.connect("sqlite://") as memory:
        assert await memory.fetch_val("PRAGMA cache_size") == -65536


async def test_the_url_sets_the_pragmas(tmp_path: Path) -> None:
    address = (
        f"sqlite:///{tmp_path / 'a.db'}"
        "?synchronous=FULL&journal_mode=Delete&foreign_keys=off&cache_size=-2000"
    )
    async with await ferrule.connect(address) as db:
        assert await db.fetch_val("PRAGMA synchronous") == 2
        assert await db.fetch_val("PRAGMA journal_mode") == "delete"
        assert await db.fetch_val("PRAGMA foreign_keys") == 0
        assert await db.fetch_val("PRAGMA cache_size") == -2000


@pytest.mark.parametrize("address", ["sqlite://?journal_mode=wal", "sqlite://?journal_mode=delete"])
async def test_a_journal_mode_the_database_cannot_take_is_refused(address: str) -> None:
    """An in-memory database keeps its journal in memory whatever it is asked: SQLite answers
    the mode it kept, without an error."""
    with pytest.raises(ferrule.errors.ConfigurationError, match="journal_mode"):
        await ferrule.connect(address)


async def test_read_only_mode(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE t (x INTEGER)")
        setup.execute("INSERT INTO t VALUES (1)")
    setup.close()
    async with await ferrule.connect(f"sqlite:///{path}?mode=ro") as db:
        assert await db.fetch_val("SELECT x FROM t") == 1
        with pytest.raises(ferrule.OperationalError, match="readonly"):
            await db.execute("INSERT INTO t VALUES (2)")


async def test_missing_directory_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(ferrule.ConnectionError) as info:
        await ferrule.connect(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    # The driver's own exception, from ferrule's instance of the sqlite3 extension.
    assert isinstance(info.value.__cause__, sqlite_backend.sqlite3.OperationalError)


async def test_plain_sqlite3_connections_are_unaffected(tmp_path: Path) -> None:
    """ferrule's conversions belong to its own connections, not to every sqlite3 user."""
    import _sqlite3

    if sqlite_backend.sqlite3 is _sqlite3:
        pytest.skip("this CPython (3.10) loads the _sqlite3 extension once per process")
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (d DECIMAL(10, 2), b BOOLEAN, j JSON)")
        await db.execute("INSERT INTO t VALUES (?, ?, ?)", (Decimal("1.50"), True, {"k": 1}))
        assert await db.fetch_one("SELECT d, b, j FROM t") == (Decimal("1.5"), True, {"k": 1})
    plain = sqlite3.connect(tmp_path / "a.db")
    typed = sqlite3.connect(tmp_path / "a.db", detect_types=sqlite3.PARSE_DECLTYPES)
    try:
        for conn in (plain, typed):  # what sqlite3 does on its own: no adapter for these
            for value in (Decimal("1.5"), {"k": 1}, [1], uuid.UUID(int=1)):
                with pytest.raises(sqlite3.ProgrammingError, match="not supported"):
                    conn.execute("SELECT ?", (value,))
        assert plain.execute("SELECT d, b, j FROM t").fetchone() == (1.5, 1, '{"k":1}')
        assert typed.execute("SELECT d, b, j FROM t").fetchone() == (1.5, 1, '{"k":1}')
    finally:
        plain.close()
        typed.close()


# Values a DECIMAL(30,10) column must return exactly, or refuse: never rounded.
DECIMALS = [
    "12345678901234567890.1234567890",  # 30 significant digits
    "0.1234567890123456789",
    "9223372036854775808",  # one past the largest 64-bit integer
    "123456789012345678901234567890",
    "1234567890.12345678",
    "-98765432109876543.21",
    "1.10",
    "123456789012345",  # 15 digits: a double holds it
    "9223372036854775807",
    "0.000000001",
]


@pytest.mark.parametrize("text", DECIMALS)
async def test_decimal_is_exact_or_refused(tmp_path: Path, text: str) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        await db.execute("CREATE TABLE t (d DECIMAL(30, 10))")
        value = Decimal(text)
        try:
            await db.execute("INSERT INTO t VALUES (?)", (value,))
        except ferrule.FerruleError as exc:
            assert "Decimal" in str(exc) and len(value.as_tuple().digits) > 15
            assert await db.fetch_val("SELECT count(*) FROM t") == 0
            return
        assert await db.fetch_val("SELECT d FROM t") == value
        assert await db.fetch_val("SELECT count(*) FROM t WHERE d = ?", (value,)) == 1


# --- pattern matching: LIKE is case-sensitive, regexp() is registered -----------------------------


async def test_like_is_case_sensitive_and_ilike_folds(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        found = await db.fetch_one(
            "SELECT 'a' LIKE 'A', 'a' LIKE 'a',"
            " 'a%' LIKE 'a!%' ESCAPE '!', 'A%' LIKE 'a!%' ESCAPE '!'"
        )
        assert found == (0, 1, 1, 0)
        query = sql.select(sql.literal("ABC").ilike("a%"), sql.literal("ABC").like("a%"))
        assert await db.fetch_one(query) == (1, 0)


async def test_regexp_is_registered_and_null_safe(tmp_path: Path) -> None:
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        found = await db.fetch_one(
            "SELECT 'abc' REGEXP 'b', 'ABC' REGEXP 'b', regexp('b', 'ABC', 'i'),"
            " 'é' REGEXP '^.$', 12.5 REGEXP '^12[.]5$'"
        )
        assert found == (1, 0, 1, 1, 1)
        nulls = (
            "SELECT NULL REGEXP 'a', 'a' REGEXP NULL,"
            " regexp('a', NULL, 'i'), regexp(NULL, 'a', 'i')"
        )
        assert await db.fetch_one(nulls) == (None, None, None, None)
        # deterministic: SQLite accepts it in an index expression (it refuses other functions)
        await db.execute("CREATE TABLE t (s TEXT)")
        await db.execute("CREATE INDEX t_starts_with_a ON t (regexp('^a', s))")
        await db.execute_many("INSERT INTO t VALUES (?)", [("apple",), ("Apple",), (None,)])
        assert await db.fetch_all("SELECT s FROM t WHERE s REGEXP '^a'") == [("apple",)]


async def test_unicode_lower_folds_every_letter_and_passes_other_values() -> None:
    async with await ferrule.connect("sqlite://") as db:
        found = await db.fetch_one(
            "SELECT unicode_lower('ÉTÉ Straße'), lower('ÉTÉ'), unicode_lower('ΣΑΣ'),"
            " unicode_lower('İx'), unicode_lower(NULL), unicode_lower(12), unicode_lower(x'41')"
        )
        # SQLite's own lower() is left as it is: it folds ASCII only
        assert found == ("été straße", "ÉtÉ", "σασ", "ix", None, 12, b"A")  # noqa: RUF001


def test_unicode_lower_takes_str_subclasses_as_their_text() -> None:
    class Loud(str):
        def lower(self) -> str:  # never asked: the text itself is lowered
            raise AssertionError

        def __str__(self) -> str:
            return "lies"

    assert unicode_lower(Loud("ÀB")) == "àb"
    assert unicode_lower(3.5) == 3.5
    assert unicode_lower(b"AB") == b"AB"


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("SELECT 'a' REGEXP '('", "invalid regular expression '('"),
        ("SELECT regexp('[', 'a', 'i')", "invalid regular expression '['"),
        ("SELECT regexp('a', 'a', 'q')", "flags"),
        ("SELECT x'61' REGEXP 'a'", "blob"),
        ("SELECT 'a' REGEXP x'61'", "blob"),
    ],
)
async def test_a_bad_regexp_call_is_a_programming_error(statement: str, problem: str) -> None:
    async with await ferrule.connect("sqlite://") as db:
        with pytest.raises(ferrule.ProgrammingError) as info:
            await db.fetch_val(statement)
        assert problem in str(info.value)
        assert isinstance(info.value.__cause__, sqlite_backend.sqlite3.OperationalError)
        assert await db.fetch_val("SELECT 'a' REGEXP 'a'") == 1  # the connection goes on
        with pytest.raises(ferrule.ProgrammingError):  # and the error is not kept for later
            await db.fetch_val("SELECT no_such_function(1)")


async def test_a_bad_regexp_in_a_statement_moved_to_a_worker(tmp_path: Path) -> None:
    """The pattern turns bad only late in a long scan, after the statement moved to a worker."""
    statement = LONG_SCAN.replace(
        "SELECT COUNT(*) FROM c",
        "SELECT COUNT(*) FROM c WHERE regexp(CASE WHEN x > 999990 THEN '(' ELSE 'a' END, 'a')",
    )
    async with await ferrule.connect(f"sqlite:///{tmp_path / 'a.db'}") as db:
        with pytest.raises(ferrule.ProgrammingError, match="invalid regular expression"):
            await db.fetch_val(statement)
        assert db.stats()["offloaded"] == 1


LIKE_PATTERNS = ["abc", "a%", "A%", "a_c", "%!%%", "a!_c", "!!", "_", "", "%", "a!", "é", "%É%"]
LIKE_VALUES = ["abc", "ABC", "a%c", "a_c", "a!c", "!", "é", "É", "", "a\\c", "xé", "a!", "a\nc"]


def test_the_python_like_agrees_with_the_pragma() -> None:
    """Where a SQLite build has no ``PRAGMA case_sensitive_like`` (SQLITE_OMIT_DEPRECATED),
    ``prepare_connection`` registers ``like()`` in Python instead: the same answers."""
    native = sqlite3.connect(":memory:")
    python = sqlite3.connect(":memory:")
    try:
        native.execute("PRAGMA case_sensitive_like = ON")
        register_like(python)
        for pattern in [*LIKE_PATTERNS, "a\\%", None]:
            for value in [*LIKE_VALUES, None, 5]:
                for escape in ("", " ESCAPE '!'", " ESCAPE '\\'"):
                    query = f"SELECT ? LIKE ?{escape}"
                    expected = native.execute(query, (value, pattern)).fetchone()
                    got = python.execute(query, (value, pattern)).fetchone()
                    assert got == expected, (value, pattern, escape)
        for conn in (native, python):
            with pytest.raises(sqlite3.OperationalError):
                conn.execute("SELECT 'a' LIKE 'a' ESCAPE '!!'")
    finally:
        native.close()
        python.close()
