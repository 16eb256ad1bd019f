"""``create()`` and ``save()`` on SQLite read the new row's key by its rowid instead of
``RETURNING`` (``backends/sqlite_keys.py``) only while the key is the table's ``INTEGER
PRIMARY KEY``. Checked against the table itself, read by the ``sqlite3`` module: every
instance holds the key of the row it made, whatever the table turns out to be (made by
ferrule, made elsewhere with another kind of key, dropped and made again under the same name
by this or another connection between two inserts, with triggers that insert elsewhere or
drop the row)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import IntegrityError, ORMError


class Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    text: str = orm.Field(max_length=40)

    class Meta:
        table = "keys_note"


#: tables of the same name made elsewhere: their keys are not the rowid (but the first)
TABLES = {
    "ferrule's own": None,
    "integer primary key": "CREATE TABLE keys_note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    "int primary key": "CREATE TABLE keys_note (id INT PRIMARY KEY, text TEXT NOT NULL)",
    "integer primary key desc": (
        "CREATE TABLE keys_note (id INTEGER PRIMARY KEY DESC, text TEXT NOT NULL)"
    ),
    "key by a table constraint": (
        "CREATE TABLE keys_note (id INTEGER, text TEXT NOT NULL, PRIMARY KEY (id))"
    ),
}


def _rows(path: Path) -> dict[str, Any]:
    """text -> id, as the table holds them."""
    with sqlite3.connect(path) as conn:
        found = dict(conn.execute("SELECT text, id FROM keys_note").fetchall())
    conn.close()
    return found


def _make(path: Path, ddl: str | None) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE IF EXISTS keys_note")
        if ddl is not None:
            conn.execute(ddl)
    conn.close()


@contextlib.asynccontextmanager
async def _noted(path: Path, **options: Any) -> AsyncIterator[Any]:
    """A database on ``path`` with ``Note``'s table, as the models' default."""
    async with await ferrule.connect(f"sqlite:///{path}", **options) as db:
        orm.set_default(db)
        try:
            await orm.create_tables(Note)
            yield db
        finally:
            orm.set_default(None)


async def _insert_some(label: str, count: int) -> list[Note]:
    made = [await Note.create(text=f"{label}-{i}") for i in range(count)]
    async with orm.transaction():
        made += [await Note.create(text=f"{label}-tx-{i}") for i in range(count)]
    for i in range(count):
        note = Note(text=f"{label}-save-{i}")
        await note.save()
        made.append(note)
    return made


async def test_every_instance_holds_its_rows_key_whatever_the_table(tmp_path: Path) -> None:
    """One connection throughout: each kind of table in turn under the same name, made by
    another connection between two rounds of inserts (SQLite compiles the cached INSERT
    again; the first round's knowledge of the table must not be used for the next)."""
    path = tmp_path / "keys.db"
    wrong = []
    async with _noted(path, max_size=1):
        for round_ in range(2):
            for kind, ddl in TABLES.items():
                if ddl is None:
                    await orm.drop_tables(Note, if_exists=True)
                    await orm.create_tables(Note)
                else:
                    _make(path, ddl)
                made = await _insert_some(f"{kind}-{round_}", 3)
                table = _rows(path)
                wrong += [
                    (kind, note.text, note.id, table.get(note.text))
                    for note in made
                    if table.get(note.text) != note.id
                ]
    assert not wrong


async def test_a_table_without_rowid_needs_its_key(tmp_path: Path) -> None:
    """Its INTEGER PRIMARY KEY is not filled in: the insert fails, as with RETURNING."""
    path = tmp_path / "keys.db"
    async with _noted(path):
        await Note.create(text="first")  # the table's knowledge, before it is replaced
        _make(path, "CREATE TABLE keys_note (id INTEGER PRIMARY KEY, text TEXT) WITHOUT ROWID")
        with pytest.raises(IntegrityError, match="NOT NULL"):
            await Note.create(text="second")
        assert (await Note.create(id=7, text="given")).id == 7
    assert _rows(path) == {"given": 7}


async def test_a_trigger_inserting_elsewhere_does_not_change_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.db"
    async with _noted(path) as db:
        await db.execute("CREATE TABLE log (n INTEGER PRIMARY KEY, what TEXT)")
        await db.execute("INSERT INTO log (n, what) VALUES (1000, 'start')")
        await db.execute(
            "CREATE TRIGGER logged AFTER INSERT ON keys_note "
            "BEGIN INSERT INTO log (what) VALUES (new.text); END"
        )
        made = await _insert_some("logged", 3)
    table = _rows(path)
    assert [(n.text, n.id) for n in made] == [(n.text, table[n.text]) for n in made]
    assert len({n.id for n in made}) == len(made)


async def test_a_row_a_trigger_drops_is_an_error_as_with_returning(tmp_path: Path) -> None:
    path = tmp_path / "keys.db"
    async with _noted(path) as db:
        await Note.create(text="kept")
        await db.execute(
            "CREATE TRIGGER dropped BEFORE INSERT ON keys_note WHEN new.text = 'gone' "
            "BEGIN SELECT RAISE(IGNORE); END"
        )
        with pytest.raises(ORMError, match="returned no row"):
            await Note.create(text="gone")
        async with orm.transaction():
            assert (await Note.create(text="in a transaction")).id == 2
            with pytest.raises(ORMError, match="returned no row"):
                await Note.create(text="gone")
        assert (await Note.create(text="after")).id == 3
    assert _rows(path) == {"kept": 1, "in a transaction": 2, "after": 3}


async def test_the_table_made_again_inside_the_transaction(tmp_path: Path) -> None:
    """The same connection drops the table and makes it with another kind of key between
    two inserts of one transaction: the second insert's key is the row's, not its rowid."""
    path = tmp_path / "keys.db"
    async with _noted(path) as db, orm.transaction():
        first = await Note.create(text="first")
        await db.execute("DROP TABLE keys_note")
        await db.execute("CREATE TABLE keys_note (id INT PRIMARY KEY, text TEXT)")
        await db.execute("INSERT INTO keys_note (id, text) VALUES (41, 'there')")
        second = await Note.create(text="second")
    assert (first.id, second.id) == (1, None)
    assert _rows(path) == {"there": 41, "second": None}


async def test_concurrent_transactions_each_get_their_rows_keys(tmp_path: Path) -> None:
    """Tasks inserting in transactions of their own, on a pool of connections (each waits for
    SQLite's write lock in turn): every instance holds its row's key."""
    path = tmp_path / "keys.db"
    async with _noted(path, max_size=4):

        async def writer(name: str) -> list[Note]:
            made = []
            for round_ in range(5):
                async with orm.transaction():
                    for i in range(10):
                        made.append(await Note.create(text=f"{name}-{round_}-{i}"))
                    await asyncio.sleep(0)  # let the other writers queue up
            return made

        made = [n for batch in await asyncio.gather(*map(writer, "abcd")) for n in batch]
    table = _rows(path)
    assert len(table) == len(made) == 200
    assert {n.text: n.id for n in made} == table
