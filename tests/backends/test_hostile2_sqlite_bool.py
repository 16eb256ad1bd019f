"""A SQLite ``BOOLEAN`` column holding what ferrule never writes (raw SQL, another
program): text such as ``'maybe'`` was read as True (anything but ``0``, ``''`` and
``false`` was). Numbers keep SQLite's meaning (non-zero is true) and the spellings of true
and false are read as such; other text is an ``UnreadableValueError`` naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

import ferrule
from ferrule import errors


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("1", True),
        ("0", False),
        ("2", True),
        ("-1", True),
        ("0.5", True),
        ("0.0", False),
        ("true", True),
        ("False", False),
    ],
)
async def test_a_stored_flag_reads_as_its_truth(tmp_path: Path, stored: str, read: bool) -> None:
    db = await ferrule.connect(f"sqlite:///{tmp_path / 'flags.db'}")
    try:
        await db.execute("CREATE TABLE flags (f BOOLEAN)", [])
        await db.execute("INSERT INTO flags VALUES (?)", [stored])
        assert await db.fetch_val("SELECT f FROM flags", []) is read
    finally:
        await db.close()


@pytest.mark.parametrize("stored", ["maybe", "yes", "nan", " "])
async def test_text_that_is_no_flag_is_unreadable(tmp_path: Path, stored: str) -> None:
    db = await ferrule.connect(f"sqlite:///{tmp_path / 'flags.db'}")
    try:
        await db.execute("CREATE TABLE flags (f BOOLEAN)", [])
        await db.execute("INSERT INTO flags VALUES (?)", [stored])
        with pytest.raises(errors.UnreadableValueError, match="BOOLEAN"):
            await db.fetch_val("SELECT f FROM flags", [])
    finally:
        await db.close()
