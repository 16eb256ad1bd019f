"""``execute()`` returns the rows a statement matched, on every backend: MariaDB/MySQL
report only the rows an UPDATE changed unless the connection asks for found rows, so an
UPDATE that sets a value to itself would count 0 there and its row count elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import ferrule


async def test_update_counts_matched_rows_even_when_nothing_changes(
    url: str, table: str, q: Callable[[str], str]
) -> None:
    db = await ferrule.connect(url)
    try:
        await db.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, n INT)")
        await db.execute_many(q(f"INSERT INTO {table} VALUES (?, ?)"), [(1, 5), (2, 5), (3, 6)])
        assert await db.execute(q(f"UPDATE {table} SET n = ? WHERE n = ?"), [5, 5]) == 2
        assert await db.execute(q(f"UPDATE {table} SET n = n WHERE id > ?"), [0]) == 3
        assert await db.execute(q(f"UPDATE {table} SET n = ? WHERE id = ?"), [9, 1]) == 1
    finally:
        await db.close()
