# ruff: noqa: E501 - golden SQL is one line per case
"""SQL Server golden SQL for every case in ``cases.py`` (no server: golden only)."""

from __future__ import annotations

import pytest

from .cases import CASES
from .support import Golden, Unsupported, assert_golden

DIALECT = "mssql"

# fmt: off
GOLDEN: dict[str, Golden] = {
    "select_basic": ('SELECT [sqlt_users].[id], [sqlt_users].[name] FROM [sqlt_users] WHERE [sqlt_users].[age] >= ? ORDER BY [sqlt_users].[id]', [18]),
    "select_star": ('SELECT * FROM [sqlt_users] WHERE [sqlt_users].[id] = ?', [2]),
    "select_table_star": ('SELECT [sqlt_users].* FROM [sqlt_users] WHERE [sqlt_users].[id] = ?', [1]),
    "table_alias": ('SELECT [x].[name] FROM [sqlt_users] AS [x] WHERE [x].[id] = ?', [2]),
    "is_null": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[age] IS NULL', []),
    "in_list": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[age] IS NOT NULL AND [sqlt_users].[id] IN (?, ?, ?) ORDER BY [sqlt_users].[id]', [1, 2, 3]),
    "in_empty": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE 1 = 0', []),
    "between_not_in": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[age] BETWEEN ? AND ? AND [sqlt_users].[id] NOT IN (?)', [18, 40, 5]),
    "in_subquery": ('SELECT [sqlt_users].[name] FROM [sqlt_users] WHERE [sqlt_users].[id] IN (SELECT [sqlt_orders].[user_id] FROM [sqlt_orders] WHERE [sqlt_orders].[total] > ?) ORDER BY [sqlt_users].[id]', [200]),
    "like": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[name] LIKE ? COLLATE Latin1_General_100_BIN2 ORDER BY [sqlt_users].[id]', ['%o%']),
    "ilike": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE LOWER([sqlt_users].[name]) LIKE LOWER(?) COLLATE Latin1_General_100_BIN2 ORDER BY [sqlt_users].[id]', ['a%']),
    "and_or_not": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[id] = ? OR ([sqlt_users].[age] > ? AND NOT ([sqlt_users].[name] = ?)) ORDER BY [sqlt_users].[id]', [1, 40, 'bob']),
    "where_twice": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[age] > ? AND ([sqlt_users].[id] = ? OR [sqlt_users].[id] = ?) ORDER BY [sqlt_users].[id]', [18, 1, 5]),
    "arithmetic": ('SELECT [sqlt_users].[id], ([sqlt_users].[age] + ?) * ? AS [x], -[sqlt_users].[age], [sqlt_users].[age] % ? FROM [sqlt_users] WHERE [sqlt_users].[id] = ?', [1, 2, 7, 1]),
    "case_when": ('SELECT [sqlt_users].[id], CASE WHEN [sqlt_users].[age] >= ? THEN ? ELSE ? END AS [kind] FROM [sqlt_users] WHERE [sqlt_users].[age] IS NOT NULL ORDER BY [sqlt_users].[id]', [18, 'adult', 'minor']),
    "cast": ('SELECT CAST([sqlt_users].[age] AS NVARCHAR(MAX)) AS [a] FROM [sqlt_users] WHERE [sqlt_users].[id] = ?', [1]),
    "coalesce": ('SELECT [sqlt_users].[id], COALESCE([sqlt_users].[age], ?) FROM [sqlt_users] WHERE [sqlt_users].[id] IN (?, ?) ORDER BY [sqlt_users].[id]', [0, 2, 3]),
    "left_join": ('SELECT [sqlt_users].[name], [sqlt_orders].[total] FROM [sqlt_users] LEFT JOIN [sqlt_orders] ON [sqlt_users].[id] = [sqlt_orders].[user_id] WHERE [sqlt_users].[id] IN (?, ?) ORDER BY [sqlt_users].[id]', [2, 3]),
    "two_joins": ('SELECT TOP (?) [sqlt_users].[name], [sqlt_orders].[total], [sqlt_items].[sku] FROM [sqlt_users] JOIN [sqlt_orders] ON [sqlt_users].[id] = [sqlt_orders].[user_id] JOIN [sqlt_items] ON [sqlt_orders].[id] = [sqlt_items].[order_id] WHERE [sqlt_users].[age] >= ? AND [sqlt_orders].[total] > ? AND [sqlt_items].[sku] = ? ORDER BY [sqlt_orders].[total] DESC', [10, 18, 50, 'abc']),
    "cross_join": ('SELECT COUNT(*) FROM [sqlt_users] CROSS JOIN [sqlt_orders]', []),
    "full_join": ('SELECT [sqlt_users].[id], [sqlt_orders].[id] FROM [sqlt_users] FULL JOIN [sqlt_orders] ON [sqlt_users].[id] = [sqlt_orders].[user_id] WHERE [sqlt_orders].[id] IS NULL', []),
    "group_having": ('SELECT [sqlt_orders].[user_id], SUM([sqlt_orders].[total]) AS [s] FROM [sqlt_orders] GROUP BY [sqlt_orders].[user_id] HAVING SUM([sqlt_orders].[total]) > ? ORDER BY [sqlt_orders].[user_id]', [200]),
    "count_distinct": ('SELECT COUNT(DISTINCT [sqlt_orders].[status]) FROM [sqlt_orders]', []),
    "aggregate_filter": ('SELECT COUNT(CASE WHEN [sqlt_orders].[status] = ? THEN 1 END) AS [paid], SUM(CASE WHEN [sqlt_orders].[status] = ? THEN [sqlt_orders].[total] END) AS [open_total] FROM [sqlt_orders]', ['paid', 'open']),
    "window": ('SELECT [sqlt_orders].[id], ROW_NUMBER() OVER (PARTITION BY [sqlt_orders].[user_id] ORDER BY [sqlt_orders].[total] DESC) AS [rn] FROM [sqlt_orders] ORDER BY [sqlt_orders].[id]', []),
    "window_frame": ('SELECT [sqlt_orders].[id], SUM([sqlt_orders].[total]) OVER (ORDER BY [sqlt_orders].[id] ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS [s] FROM [sqlt_orders] ORDER BY [sqlt_orders].[id]', []),
    "window_groups": Unsupported('GROUPS window frame'),
    "nulls_last": ('SELECT [sqlt_users].[id] FROM [sqlt_users] ORDER BY CASE WHEN [sqlt_users].[age] IS NULL THEN 1 ELSE 0 END, [sqlt_users].[age] ASC', []),
    "nulls_first": ('SELECT [sqlt_users].[id] FROM [sqlt_users] ORDER BY CASE WHEN [sqlt_users].[age] IS NULL THEN 0 ELSE 1 END, [sqlt_users].[age] DESC', []),
    "distinct": ('SELECT DISTINCT [sqlt_orders].[status] FROM [sqlt_orders] ORDER BY [sqlt_orders].[status]', []),
    "distinct_on": Unsupported('DISTINCT ON'),
    "limit_offset": ('SELECT [sqlt_users].[id] FROM [sqlt_users] ORDER BY [sqlt_users].[id] OFFSET ? ROWS FETCH NEXT ? ROWS ONLY', [1, 2]),
    "limit_inline": ('SELECT [sqlt_users].[id] FROM [sqlt_users] ORDER BY [sqlt_users].[id] OFFSET ? ROWS FETCH NEXT 2 ROWS ONLY', [1]),
    "offset_only": ('SELECT [sqlt_users].[id] FROM [sqlt_users] ORDER BY [sqlt_users].[id] OFFSET ? ROWS', [3]),
    "exists": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE EXISTS (SELECT [sqlt_orders].[id] FROM [sqlt_orders] WHERE [sqlt_orders].[user_id] = [sqlt_users].[id] AND [sqlt_orders].[total] > ?) ORDER BY [sqlt_users].[id]', [100]),
    "not_exists": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE NOT EXISTS (SELECT [sqlt_orders].[id] FROM [sqlt_orders] WHERE [sqlt_orders].[user_id] = [sqlt_users].[id])', []),
    "scalar_subquery": ('SELECT [sqlt_users].[id], (SELECT COUNT(*) FROM [sqlt_orders] WHERE [sqlt_orders].[user_id] = [sqlt_users].[id]) AS [n] FROM [sqlt_users] ORDER BY [sqlt_users].[id]', []),
    "derived_table": ('SELECT [sqlt_users].[name], [t].[total] FROM [sqlt_users] JOIN (SELECT [sqlt_orders].[user_id], SUM([sqlt_orders].[total]) AS [total] FROM [sqlt_orders] GROUP BY [sqlt_orders].[user_id]) AS [t] ON [sqlt_users].[id] = [t].[user_id] WHERE [t].[total] > ? ORDER BY [sqlt_users].[id]', [300]),
    "cte": ('WITH [counts] ([user_id], [n]) AS (SELECT [sqlt_orders].[user_id], COUNT(*) AS [n] FROM [sqlt_orders] GROUP BY [sqlt_orders].[user_id]) SELECT [sqlt_users].[name], [counts].[n] FROM [sqlt_users] JOIN [counts] ON [sqlt_users].[id] = [counts].[user_id] WHERE [counts].[n] > ? ORDER BY [sqlt_users].[id]', [1]),
    "cte_recursive": ('WITH [seq] ([n]) AS (SELECT CAST(? AS INT) AS [n] UNION ALL SELECT [seq].[n] + ? FROM [seq] WHERE [seq].[n] < ?) SELECT [seq].[n] FROM [seq] ORDER BY [seq].[n]', [1, 1, 5]),
    "cte_recursive_self": ('WITH [nums] ([n]) AS (SELECT CAST(? AS INT) AS [n] UNION ALL SELECT [nums].[n] + ? FROM [nums] WHERE [nums].[n] < ?) SELECT [nums].[n] FROM [nums] ORDER BY [nums].[n]', [1, 1, 10]),
    "cte_recursive_self_union": ('WITH [nums] ([n]) AS (SELECT CAST(? AS INT) AS [n] UNION ALL SELECT [nums].[n] + ? FROM [nums] WHERE [nums].[n] < ?) SELECT SUM([nums].[n]) FROM [nums]', [1, 2, 9]),
    "cte_recursive_self_join": ('WITH [reach] ([id], [name]) AS (SELECT [sqlt_users].[id], [sqlt_users].[name] FROM [sqlt_users] WHERE [sqlt_users].[id] = ? UNION ALL SELECT [sqlt_users].[id], [sqlt_users].[name] FROM [sqlt_users] JOIN [reach] ON [sqlt_users].[id] = ([reach].[id] + ?) WHERE [sqlt_users].[age] IS NOT NULL) SELECT [reach].[name] FROM [reach] ORDER BY [reach].[id]', [1, 1]),
    "union": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[id] < ? UNION SELECT [sqlt_orders].[user_id] FROM [sqlt_orders] WHERE [sqlt_orders].[total] > ? ORDER BY [id]', [3, 200]),
    "union_all": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[id] < ? UNION ALL SELECT [sqlt_orders].[user_id] FROM [sqlt_orders] WHERE [sqlt_orders].[total] > ?', [3, 200]),
    "intersect": ('SELECT [sqlt_users].[id] FROM [sqlt_users] INTERSECT SELECT [sqlt_orders].[user_id] FROM [sqlt_orders]', []),
    "except": ('SELECT [sqlt_users].[id] FROM [sqlt_users] EXCEPT SELECT [sqlt_orders].[user_id] FROM [sqlt_orders]', []),
    "intersect_all": Unsupported('INTERSECT ALL'),
    "compound_member_limit": Unsupported('ORDER BY/LIMIT in a compound member'),
    "compound_limit": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE [sqlt_users].[id] < ? UNION SELECT [sqlt_orders].[user_id] FROM [sqlt_orders] WHERE [sqlt_orders].[total] > ? ORDER BY [id] DESC OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY', [3, 200, 2]),
    "raw_fragment": ('SELECT [sqlt_users].[id] FROM [sqlt_users] WHERE ([sqlt_users].[id] % 2) = 0 AND COALESCE([sqlt_users].[age], 0) > ? ORDER BY [sqlt_users].[id]', [20]),
    "text": ('SELECT id FROM sqlt_users WHERE age > ? AND name <> ? ORDER BY id', [20, 'dave']),
    "text_repeated_name": ('SELECT id FROM sqlt_users WHERE id = ? OR age = ? + 16', [1, 1]),
    "for_update": Unsupported('FOR UPDATE'),
    "for_update_of_skip_locked": Unsupported('FOR UPDATE'),
    "for_share_nowait": Unsupported('FOR SHARE'),
    "insert": ('INSERT INTO [sqlt_scratch] ([id], [name], [n]) VALUES (?, ?, ?)', [3, 'three', 3]),
    "insert_multi": ('INSERT INTO [sqlt_scratch] ([id], [name], [n]) VALUES (?, ?, ?), (?, ?, ?)', [3, 'three', 3, 4, 'four', None]),
    "insert_returning": ('INSERT INTO [sqlt_scratch] ([id], [name], [n]) OUTPUT INSERTED.[id], INSERTED.[name] VALUES (?, ?, ?)', [3, 'three', 3]),
    "insert_select": ('INSERT INTO [sqlt_scratch] ([id], [name], [n]) SELECT [sqlt_users].[id] + ?, [sqlt_users].[name], [sqlt_users].[age] FROM [sqlt_users] WHERE [sqlt_users].[id] = ?', [10, 1]),
    "upsert_nothing": ('MERGE INTO [sqlt_scratch] USING (VALUES (?, ?, ?)) AS [src] ([id], [name], [n]) ON [sqlt_scratch].[id] = [src].[id] WHEN NOT MATCHED THEN INSERT ([id], [name], [n]) VALUES ([src].[id], [src].[name], [src].[n]);', [1, 'uno', 9]),
    "upsert_update": ('MERGE INTO [sqlt_scratch] USING (VALUES (?, ?, ?), (?, ?, ?)) AS [src] ([id], [name], [n]) ON [sqlt_scratch].[id] = [src].[id] WHEN MATCHED THEN UPDATE SET [name] = [src].[name], [n] = [sqlt_scratch].[n] + [src].[n] WHEN NOT MATCHED THEN INSERT ([id], [name], [n]) VALUES ([src].[id], [src].[name], [src].[n]);', [1, 'uno', 10, 5, 'five', 5]),
    "upsert_update_where": ('MERGE INTO [sqlt_scratch] USING (VALUES (?, ?, ?), (?, ?, ?)) AS [src] ([id], [name], [n]) ON [sqlt_scratch].[id] = [src].[id] WHEN MATCHED AND [sqlt_scratch].[n] < ? THEN UPDATE SET [name] = [src].[name], [n] = [src].[n] WHEN NOT MATCHED THEN INSERT ([id], [name], [n]) VALUES ([src].[id], [src].[name], [src].[n]);', [1, 'uno', 5, 2, 'dos', 5, 2]),
    "update": ('UPDATE [sqlt_scratch] SET [name] = ?, [n] = [sqlt_scratch].[n] + ? WHERE [sqlt_scratch].[id] = ?', ['ONE', 10, 1]),
    "update_returning": ('UPDATE [sqlt_scratch] SET [n] = [sqlt_scratch].[n] * ? OUTPUT INSERTED.[id], INSERTED.[n] WHERE [sqlt_scratch].[id] = ?', [3, 2]),
    "delete": ('DELETE FROM [sqlt_scratch] WHERE [sqlt_scratch].[id] = ?', [2]),
    "delete_returning": ('DELETE FROM [sqlt_scratch] OUTPUT DELETED.[id] WHERE [sqlt_scratch].[n] >= ?', [1]),
}
# fmt: on


def test_golden_covers_every_case() -> None:
    assert GOLDEN.keys() == CASES.keys()


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name: str) -> None:
    assert_golden(CASES[name].build(), DIALECT, GOLDEN[name])
