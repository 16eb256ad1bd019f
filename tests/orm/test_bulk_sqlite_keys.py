"""``bulk_create`` with keys back on SQLite, checked against SQLite itself: after a bulk
insert, the table (read by the ``sqlite3`` module) is the table that the same rows inserted
one by one by SQLite, on a copy of the file taken before, would give, keys included; and
every instance holds the key of its row. Run on tables with history (a gap left by deleted
rows, negative keys), with a trigger that writes into the same table, and at the end of the
key range."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from ferrule.errors import FerruleError, ORMError
from ferrule.orm import bulk

from .conftest import opened
from .models import Author

TABLE = Author._meta.table
LAST_KEY = 2**63 - 1


def _table(path: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        found = conn.execute(f"SELECT id, name, rating FROM {TABLE} ORDER BY id").fetchall()
        sequence = conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (TABLE,)
        ).fetchall()
    conn.close()
    return [*found, ("sequence", sequence)]


def _one_by_one(path: str, made: list[Author]) -> list[tuple[Any, ...]] | str:
    """What SQLite makes of the rows inserted one at a time, in one transaction: the table,
    or the error's text."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for author in made:
            conn.execute(
                f"INSERT INTO {TABLE} (name, born, rating) VALUES (?, ?, ?)",
                (author.name, author.born, author.rating),
            )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:  # SQLITE_FULL has rolled it back already
            conn.execute("ROLLBACK")
        return str(exc)
    finally:
        conn.close()
    return _table(path)


def _prepare(path: str, statements: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


HISTORIES: dict[str, list[str]] = {
    "empty": [],
    "gap": [  # AUTOINCREMENT: keys 4..9 were given once and are never given again
        *(f"INSERT INTO {TABLE} (name, rating) VALUES ('old{i}', 0)" for i in range(9)),
        f"DELETE FROM {TABLE} WHERE id > 3",
    ],
    "negative": [f"INSERT INTO {TABLE} (id, name, rating) VALUES (-5, 'neg', 0)"],
    "trigger": [  # every third row brings a shadow row into the same table
        f"CREATE TRIGGER shadow AFTER INSERT ON {TABLE} WHEN NEW.rating = 2 "
        f"BEGIN INSERT INTO {TABLE} (name, rating) VALUES ('shadow-' || NEW.name, 0); END"
    ],
    "near the end": [f"INSERT INTO {TABLE} (id, name, rating) VALUES ({LAST_KEY - 40}, 'late', 0)"],
}


@pytest.mark.parametrize("history", list(HISTORIES))
@pytest.mark.parametrize(("count", "batch_size"), [(25, 10), (95, 30), (1_500, None)])
async def test_the_table_is_sqlites_own(
    url: str, dialect: str, tmp_path: Any, history: str, count: int, batch_size: int | None
) -> None:
    if dialect != "sqlite":
        pytest.skip("compared with SQLite's own key assignment")
    path = url.removeprefix("sqlite:///")
    reference = str(tmp_path / "reference.db")
    made = [Author(name=f"n{i:05d}", rating=i % 3) for i in range(count)]
    async with opened(url) as db:
        inserts: list[str] = []
        db.add_hook(before=lambda event: inserts.append(event.sql))
        _prepare(path, HISTORIES[history])
        with sqlite3.connect(path) as source, sqlite3.connect(reference) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        wanted = _one_by_one(reference, made)
        failed: Callable[[], Any] | None = None
        try:
            await Author.bulk_create(made, batch_size=batch_size)
        except FerruleError as exc:
            failed = exc.__str__
    if isinstance(wanted, str):  # SQLite ran out of keys: nothing is kept, no key is set
        assert failed is not None and "full" in failed().lower(), failed and failed()
        assert all(a.id is None for a in made)
        assert _table(path) == _table(reference)
        return
    assert failed is None, failed()
    written = [text for text in inserts if text.startswith("INSERT")]
    read_back = [text for text in written if "RETURNING" in text]
    # only the first batch reads its keys back, unless a trigger may write into the table
    assert len(read_back) == (1 if history != "trigger" else len(written)), written
    assert _table(path) == wanted
    stored = {key: (name, rating) for key, name, rating in wanted[:-1]}
    assert {a.id: (a.name, a.rating) for a in made}.items() <= stored.items()


async def test_keys_out_of_order_are_an_error_and_keep_nothing(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check after the rows that got their keys in order: were the rule broken (here
    ``_next_key`` is made to expect one key too many), the insert is refused, not believed."""
    if dialect != "sqlite":
        pytest.skip("SQLite's keys in order")
    real = bulk._next_key

    async def off_by_one(*args: Any) -> int | None:
        found = await real(*args)
        return None if found is None else found + 1

    monkeypatch.setattr(bulk, "_next_key", off_by_one)
    async with opened(url):
        made = [Author(name=f"n{i:05d}") for i in range(25)]
        with pytest.raises(ORMError, match="did not follow in order"):
            await Author.bulk_create(made, batch_size=10)
        assert await Author.count() == 0
        assert all(a.id is None for a in made)
