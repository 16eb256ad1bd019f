"""A value the SQLite driver's converter cannot read (text another program wrote in a
column declared ``JSON``) raised an ``UnreadableValueError`` while its statement stayed
active for as long as the error was kept (its traceback held the cursor): every later
``DROP`` or write of the table on the connection failed with "database table is locked".
The statement is closed as the error is raised, on every read path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ferrule
from ferrule import errors

READS = ["fetch_all", "fetch_tuples", "fetch_one", "fetch_val"]


@pytest.mark.parametrize("read", READS)
async def test_an_unreadable_value_leaves_no_statement_open(tmp_path: Path, read: str) -> None:
    db = await ferrule.connect(f"sqlite:///{tmp_path / 'kept.db'}")
    try:
        await db.execute("CREATE TABLE docs (data JSON)", [])
        await db.execute("INSERT INTO docs VALUES ('not json'), ('[1]'), ('[2]')", [])
        kept: list[Any] = []
        with pytest.raises(errors.UnreadableValueError) as caught:
            await getattr(db, read)("SELECT data FROM docs", [])
        kept.append(caught.value)  # as a caller keeps it, for a log or a report
        await db.execute("DROP TABLE docs", [])
        assert await db.fetch_val("SELECT count(*) FROM sqlite_master", []) == 0
    finally:
        await db.close()
