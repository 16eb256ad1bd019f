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


async def test_fetch_tuples_gives_fetch_alls_values_by_position(
    url: str, table: str, q: Callable[[str], str]
) -> None:
    db = await ferrule.connect(url)
    try:
        await db.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, flag BOOLEAN, name TEXT)")
        await db.execute_many(
            q(f"INSERT INTO {table} VALUES (?, ?, ?)"), [(1, True, "a"), (2, False, None)]
        )
        query = q(f"SELECT id, flag, name FROM {table} WHERE id >= ? ORDER BY id")
        tuples = await db.fetch_tuples(query, [1])
        rows = await db.fetch_all(query, [1])
        assert (
            [tuple(t) for t in tuples]
            == [tuple(r) for r in rows]
            == [
                (1, True, "a"),
                (2, False, None),
            ]
        )
        assert [type(v) for v in tuples[0]] == [int, bool, str]  # converted as fetch_all's
        assert await db.fetch_tuples(q(f"SELECT id FROM {table} WHERE id > ?"), [5]) == []
    finally:
        await db.close()
