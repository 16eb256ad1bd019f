"""The storms' measure of their outcome (``storm.Ledger.verify``) is one snapshot of both
tables. Read as two statements, a transaction committing between them (a session the storm
gave up on, still finishing its COMMIT on the server after its client left) has its ``log``
row missed and its ``acct`` update counted: a ``partial`` transaction that never was."""

from __future__ import annotations

from typing import Any

import ferrule

from .storm import Ledger


async def test_a_commit_between_the_reads_of_verify_is_not_partial(url: str, dialect: str) -> None:
    async with (
        await ferrule.connect(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as straggler,
    ):
        ledger = Ledger(dialect)
        await ledger.create(db)
        try:
            await ledger.work(db, next(ledger.ids), 1)
            real_fetch_all = db.fetch_all
            reads = [0]

            async def fetch_all(query: Any, params: Any = None) -> Any:
                rows = await real_fetch_all(query, params)
                reads[0] += 1
                if reads[0] == 1:  # between the two reads, another session commits a transfer
                    await ledger.work(straggler, next(ledger.ids), 2)
                return rows

            db.fetch_all = fetch_all  # type: ignore[method-assign]
            figures = await ledger.verify(db)
            assert reads[0] >= 1
            assert figures.partial == 0, figures.report()
        finally:
            await ledger.drop(straggler)
