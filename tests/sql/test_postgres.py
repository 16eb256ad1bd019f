# ruff: noqa: E501 - golden SQL is one line per case
"""PostgreSQL golden SQL for every case in ``cases.py``, each also run on the real server."""

from __future__ import annotations

import pytest

from .cases import CASES
from .support import Golden, Runner, Unsupported, assert_golden, check_case

DIALECT = "postgres"

# fmt: off
GOLDEN: dict[str, Golden] = {
    "select_basic": ('SELECT "sqlt_users"."id", "sqlt_users"."name" FROM "sqlt_users" WHERE "sqlt_users"."age" >= $1 ORDER BY "sqlt_users"."id"', [18]),
    "select_star": ('SELECT * FROM "sqlt_users" WHERE "sqlt_users"."id" = $1', [2]),
    "select_table_star": ('SELECT "sqlt_users".* FROM "sqlt_users" WHERE "sqlt_users"."id" = $1', [1]),
    "table_alias": ('SELECT "x"."name" FROM "sqlt_users" AS "x" WHERE "x"."id" = $1', [2]),
    "is_null": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."age" IS NULL', []),
    "in_list": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."age" IS NOT NULL AND "sqlt_users"."id" IN ($1, $2, $3) ORDER BY "sqlt_users"."id"', [1, 2, 3]),
    "in_empty": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE 1 = 0', []),
    "between_not_in": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."age" BETWEEN $1 AND $2 AND "sqlt_users"."id" NOT IN ($3)', [18, 40, 5]),
    "in_subquery": ('SELECT "sqlt_users"."name" FROM "sqlt_users" WHERE "sqlt_users"."id" IN (SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" WHERE "sqlt_orders"."total" > $1) ORDER BY "sqlt_users"."id"', [200]),
    "like": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."name" LIKE $1 ORDER BY "sqlt_users"."id"', ['%o%']),
    "ilike": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."name" ILIKE $1 ORDER BY "sqlt_users"."id"', ['a%']),
    "and_or_not": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1 OR ("sqlt_users"."age" > $2 AND NOT ("sqlt_users"."name" = $3)) ORDER BY "sqlt_users"."id"', [1, 40, 'bob']),
    "where_twice": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."age" > $1 AND ("sqlt_users"."id" = $2 OR "sqlt_users"."id" = $3) ORDER BY "sqlt_users"."id"', [18, 1, 5]),
    "arithmetic": ('SELECT "sqlt_users"."id", ("sqlt_users"."age" + $1) * $2 AS "x", -"sqlt_users"."age", "sqlt_users"."age" % $3 FROM "sqlt_users" WHERE "sqlt_users"."id" = $4', [1, 2, 7, 1]),
    "case_when": ('SELECT "sqlt_users"."id", CASE WHEN "sqlt_users"."age" >= $1 THEN $2 ELSE $3 END AS "kind" FROM "sqlt_users" WHERE "sqlt_users"."age" IS NOT NULL ORDER BY "sqlt_users"."id"', [18, 'adult', 'minor']),
    "cast": ('SELECT CAST("sqlt_users"."age" AS TEXT) AS "a" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1', [1]),
    "coalesce": ('SELECT "sqlt_users"."id", COALESCE("sqlt_users"."age", $1) FROM "sqlt_users" WHERE "sqlt_users"."id" IN ($2, $3) ORDER BY "sqlt_users"."id"', [0, 2, 3]),
    "left_join": ('SELECT "sqlt_users"."name", "sqlt_orders"."total" FROM "sqlt_users" LEFT JOIN "sqlt_orders" ON "sqlt_users"."id" = "sqlt_orders"."user_id" WHERE "sqlt_users"."id" IN ($1, $2) ORDER BY "sqlt_users"."id"', [2, 3]),
    "two_joins": ('SELECT "sqlt_users"."name", "sqlt_orders"."total", "sqlt_items"."sku" FROM "sqlt_users" JOIN "sqlt_orders" ON "sqlt_users"."id" = "sqlt_orders"."user_id" JOIN "sqlt_items" ON "sqlt_orders"."id" = "sqlt_items"."order_id" WHERE "sqlt_users"."age" >= $1 AND "sqlt_orders"."total" > $2 AND "sqlt_items"."sku" = $3 ORDER BY "sqlt_orders"."total" DESC LIMIT $4', [18, 50, 'abc', 10]),
    "cross_join": ('SELECT COUNT(*) FROM "sqlt_users" CROSS JOIN "sqlt_orders"', []),
    "full_join": ('SELECT "sqlt_users"."id", "sqlt_orders"."id" FROM "sqlt_users" FULL JOIN "sqlt_orders" ON "sqlt_users"."id" = "sqlt_orders"."user_id" WHERE "sqlt_orders"."id" IS NULL', []),
    "group_having": ('SELECT "sqlt_orders"."user_id", SUM("sqlt_orders"."total") AS "s" FROM "sqlt_orders" GROUP BY "sqlt_orders"."user_id" HAVING SUM("sqlt_orders"."total") > $1 ORDER BY "sqlt_orders"."user_id"', [200]),
    "count_distinct": ('SELECT COUNT(DISTINCT "sqlt_orders"."status") FROM "sqlt_orders"', []),
    "aggregate_filter": ('SELECT COUNT(*) FILTER (WHERE "sqlt_orders"."status" = $1) AS "paid", SUM("sqlt_orders"."total") FILTER (WHERE "sqlt_orders"."status" = $2) AS "open_total" FROM "sqlt_orders"', ['paid', 'open']),
    "window": ('SELECT "sqlt_orders"."id", ROW_NUMBER() OVER (PARTITION BY "sqlt_orders"."user_id" ORDER BY "sqlt_orders"."total" DESC) AS "rn" FROM "sqlt_orders" ORDER BY "sqlt_orders"."id"', []),
    "window_frame": ('SELECT "sqlt_orders"."id", SUM("sqlt_orders"."total") OVER (ORDER BY "sqlt_orders"."id" ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS "s" FROM "sqlt_orders" ORDER BY "sqlt_orders"."id"', []),
    "window_groups": ('SELECT "sqlt_orders"."id", COUNT(*) OVER (ORDER BY "sqlt_orders"."user_id" GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "c" FROM "sqlt_orders" ORDER BY "sqlt_orders"."id"', []),
    "nulls_last": ('SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."age" ASC NULLS LAST', []),
    "nulls_first": ('SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."age" DESC NULLS FIRST', []),
    "distinct": ('SELECT DISTINCT "sqlt_orders"."status" FROM "sqlt_orders" ORDER BY "sqlt_orders"."status"', []),
    "distinct_on": ('SELECT DISTINCT ON ("sqlt_orders"."user_id") "sqlt_orders"."user_id", "sqlt_orders"."total" FROM "sqlt_orders" ORDER BY "sqlt_orders"."user_id", "sqlt_orders"."total" DESC', []),
    "limit_offset": ('SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."id" LIMIT $1 OFFSET $2', [2, 1]),
    "limit_inline": ('SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."id" LIMIT 2 OFFSET $1', [1]),
    "offset_only": ('SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."id" OFFSET $1', [3]),
    "exists": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE EXISTS (SELECT "sqlt_orders"."id" FROM "sqlt_orders" WHERE "sqlt_orders"."user_id" = "sqlt_users"."id" AND "sqlt_orders"."total" > $1) ORDER BY "sqlt_users"."id"', [100]),
    "not_exists": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE NOT EXISTS (SELECT "sqlt_orders"."id" FROM "sqlt_orders" WHERE "sqlt_orders"."user_id" = "sqlt_users"."id")', []),
    "scalar_subquery": ('SELECT "sqlt_users"."id", (SELECT COUNT(*) FROM "sqlt_orders" WHERE "sqlt_orders"."user_id" = "sqlt_users"."id") AS "n" FROM "sqlt_users" ORDER BY "sqlt_users"."id"', []),
    "derived_table": ('SELECT "sqlt_users"."name", "t"."total" FROM "sqlt_users" JOIN (SELECT "sqlt_orders"."user_id", SUM("sqlt_orders"."total") AS "total" FROM "sqlt_orders" GROUP BY "sqlt_orders"."user_id") AS "t" ON "sqlt_users"."id" = "t"."user_id" WHERE "t"."total" > $1 ORDER BY "sqlt_users"."id"', [300]),
    "cte": ('WITH "counts" ("user_id", "n") AS (SELECT "sqlt_orders"."user_id", COUNT(*) AS "n" FROM "sqlt_orders" GROUP BY "sqlt_orders"."user_id") SELECT "sqlt_users"."name", "counts"."n" FROM "sqlt_users" JOIN "counts" ON "sqlt_users"."id" = "counts"."user_id" WHERE "counts"."n" > $1 ORDER BY "sqlt_users"."id"', [1]),
    "cte_recursive": ('WITH RECURSIVE "seq" ("n") AS (SELECT CAST($1 AS INTEGER) AS "n" UNION ALL SELECT "seq"."n" + $2 FROM "seq" WHERE "seq"."n" < $3) SELECT "seq"."n" FROM "seq" ORDER BY "seq"."n"', [1, 1, 5]),
    "cte_recursive_self": ('WITH RECURSIVE "nums" ("n") AS (SELECT CAST($1 AS INTEGER) AS "n" UNION ALL SELECT "nums"."n" + $2 FROM "nums" WHERE "nums"."n" < $3) SELECT "nums"."n" FROM "nums" ORDER BY "nums"."n"', [1, 1, 10]),
    "cte_recursive_self_union": ('WITH RECURSIVE "nums" ("n") AS (SELECT CAST($1 AS INTEGER) AS "n" UNION ALL SELECT "nums"."n" + $2 FROM "nums" WHERE "nums"."n" < $3) SELECT SUM("nums"."n") FROM "nums"', [1, 2, 9]),
    "cte_recursive_self_join": ('WITH RECURSIVE "reach" ("id", "name") AS (SELECT "sqlt_users"."id", "sqlt_users"."name" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1 UNION ALL SELECT "sqlt_users"."id", "sqlt_users"."name" FROM "sqlt_users" JOIN "reach" ON "sqlt_users"."id" = ("reach"."id" + $2) WHERE "sqlt_users"."age" IS NOT NULL) SELECT "reach"."name" FROM "reach" ORDER BY "reach"."id"', [1, 1]),
    "union": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" < $1 UNION SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" WHERE "sqlt_orders"."total" > $2 ORDER BY "id"', [3, 200]),
    "union_all": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" < $1 UNION ALL SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" WHERE "sqlt_orders"."total" > $2', [3, 200]),
    "intersect": ('SELECT "sqlt_users"."id" FROM "sqlt_users" INTERSECT SELECT "sqlt_orders"."user_id" FROM "sqlt_orders"', []),
    "except": ('SELECT "sqlt_users"."id" FROM "sqlt_users" EXCEPT SELECT "sqlt_orders"."user_id" FROM "sqlt_orders"', []),
    "intersect_all": ('SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" INTERSECT ALL SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" WHERE "sqlt_orders"."total" > $1', [90]),
    "compound_member_limit": ('(SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."id" LIMIT $1) UNION ALL (SELECT "sqlt_users"."id" FROM "sqlt_users" ORDER BY "sqlt_users"."id" DESC LIMIT $2)', [1, 1]),
    "compound_limit": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" < $1 UNION SELECT "sqlt_orders"."user_id" FROM "sqlt_orders" WHERE "sqlt_orders"."total" > $2 ORDER BY "id" DESC LIMIT $3', [3, 200, 2]),
    "raw_fragment": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE ("sqlt_users"."id" % 2) = 0 AND COALESCE("sqlt_users"."age", 0) > $1 ORDER BY "sqlt_users"."id"', [20]),
    "text": ('SELECT id FROM sqlt_users WHERE age > $1 AND name <> $2 ORDER BY id', [20, 'dave']),
    "text_repeated_name": ('SELECT id FROM sqlt_users WHERE id = $1 OR age = $2 + 16', [1, 1]),
    "for_update": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1 FOR UPDATE', [1]),
    "for_update_of_skip_locked": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1 FOR UPDATE OF "sqlt_users" SKIP LOCKED', [1]),
    "for_share_nowait": ('SELECT "sqlt_users"."id" FROM "sqlt_users" WHERE "sqlt_users"."id" = $1 FOR SHARE NOWAIT', [1]),
    "insert": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3)', [3, 'three', 3]),
    "insert_multi": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3), ($4, $5, $6)', [3, 'three', 3, 4, 'four', None]),
    "insert_returning": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3) RETURNING "sqlt_scratch"."id", "sqlt_scratch"."name"', [3, 'three', 3]),
    "insert_select": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") SELECT "sqlt_users"."id" + $1, "sqlt_users"."name", "sqlt_users"."age" FROM "sqlt_users" WHERE "sqlt_users"."id" = $2', [10, 1]),
    "upsert_nothing": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3) ON CONFLICT ("id") DO NOTHING', [1, 'uno', 9]),
    "upsert_update": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "n" = "sqlt_scratch"."n" + EXCLUDED."n"', [1, 'uno', 10, 5, 'five', 5]),
    "upsert_update_where": ('INSERT INTO "sqlt_scratch" ("id", "name", "n") VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "n" = EXCLUDED."n" WHERE "sqlt_scratch"."n" < $7', [1, 'uno', 5, 2, 'dos', 5, 2]),
    "update": ('UPDATE "sqlt_scratch" SET "name" = $1, "n" = "sqlt_scratch"."n" + $2 WHERE "sqlt_scratch"."id" = $3', ['ONE', 10, 1]),
    "update_returning": ('UPDATE "sqlt_scratch" SET "n" = "sqlt_scratch"."n" * $1 WHERE "sqlt_scratch"."id" = $2 RETURNING "sqlt_scratch"."id", "sqlt_scratch"."n"', [3, 2]),
    "delete": ('DELETE FROM "sqlt_scratch" WHERE "sqlt_scratch"."id" = $1', [2]),
    "delete_returning": ('DELETE FROM "sqlt_scratch" WHERE "sqlt_scratch"."n" >= $1 RETURNING "sqlt_scratch"."id"', [1]),
}
# fmt: on


def test_golden_covers_every_case() -> None:
    assert GOLDEN.keys() == CASES.keys()


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name: str) -> None:
    assert_golden(CASES[name].build(), DIALECT, GOLDEN[name])


@pytest.mark.parametrize("name", [n for n in CASES if not isinstance(GOLDEN[n], Unsupported)])
def test_execute(name: str, postgres_db: Runner) -> None:
    check_case(postgres_db, CASES[name])
