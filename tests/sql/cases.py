"""The statement forms every dialect's golden table covers, with the rows each returns on the
fixture data (``FIXTURES``). ``test_<dialect>.py`` holds the expected SQL per case; the real-server
tests run every case and compare rows.

A case's ``rows`` are what the statement returns, or, when ``check`` is set (INSERT / UPDATE /
DELETE without RETURNING), what ``check`` returns afterwards. DML cases run in a rolled-back
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ferrule import sql
from ferrule.sql import case, cast, excluded, exists, func

U = sql.table("sqlt_users", "id", "name", "age")
O = sql.table("sqlt_orders", "id", "user_id", "total", "status")  # noqa: E741
I = sql.table("sqlt_items", "id", "order_id", "sku", "qty")  # noqa: E741
S = sql.table("sqlt_scratch", "id", "name", "n")

#: table -> (column DDL types, rows). Types are generic; conftest maps "text" per dialect.
FIXTURES: dict[str, tuple[list[tuple[str, str]], list[tuple[Any, ...]]]] = {
    "sqlt_users": (
        [("id", "int pk"), ("name", "text"), ("age", "int null")],
        [(1, "alice", 30), (2, "bob", 17), (3, "carol", None), (4, "dave", 45), (5, "Ann", 22)],
    ),
    "sqlt_orders": (
        [("id", "int pk"), ("user_id", "int"), ("total", "int"), ("status", "text")],
        [
            (10, 1, 100, "paid"),
            (11, 1, 250, "open"),
            (12, 2, 40, "paid"),
            (13, 4, 500, "paid"),
            (14, 4, 75, "open"),
            (15, 5, 120, "open"),
        ],
    ),
    "sqlt_items": (
        [("id", "int pk"), ("order_id", "int"), ("sku", "text"), ("qty", "int")],
        [(100, 10, "abc", 1), (101, 10, "xyz", 2), (102, 11, "abc", 5), (103, 13, "abc", 1),
         (104, 15, "xyz", 3)],
    ),
    "sqlt_scratch": (
        [("id", "int pk"), ("name", "text"), ("n", "int")],
        [(1, "one", 1), (2, "two", 2)],
    ),
}  # fmt: skip

SCRATCH = sql.select(S.c.id, S.c.name, S.c.n).from_(S).order_by(S.c.id)


@dataclass(frozen=True)
class Case:
    build: Callable[[], sql.Statement]
    rows: list[tuple[Any, ...]]
    ordered: bool = True
    check: sql.Statement | None = None


def _seq_cte() -> sql.CTE:
    seq = sql.table("seq", "n")
    base = sql.select(cast(1, "integer").label("n"))
    step = sql.select(seq.c.n + 1).from_(seq).where(seq.c.n < 5)
    return sql.union_all(base, step).cte("seq", recursive=True, columns=["n"])


def _nums_cte() -> sql.CTE:
    """The SQLAlchemy idiom: the CTE object is used inside its own recursive member."""
    nums = sql.select(cast(1, "integer").label("n")).cte("nums", recursive=True)
    return nums.union_all(sql.select(nums.c.n + 1).from_(nums).where(nums.c.n < 10))


def _nums_union_cte() -> sql.CTE:
    """The same, with the union built first and made a CTE of the same name."""
    nums = sql.select(cast(1, "integer").label("n")).cte("nums", recursive=True)
    step = sql.select(nums.c.n + 2).from_(nums).where(nums.c.n < 9)
    return sql.union_all(sql.select(cast(1, "integer").label("n")), step).cte(
        "nums", recursive=True
    )


def _reach_cte() -> sql.CTE:
    """A recursive walk that joins a table to the CTE itself (users 1, 2, ... while age is set)."""
    reach = sql.select(U.c.id, U.c.name).from_(U).where(U.c.id == 1).cte("reach", recursive=True)
    step = (
        sql.select(U.c.id, U.c.name)
        .from_(U)
        .join(reach, on=U.c.id == reach.c.id + 1)
        .where(U.c.age != None)  # noqa: E711
    )
    return reach.union_all(step)


def _counts_cte() -> sql.CTE:
    q = sql.select(O.c.user_id, func.count().label("n")).from_(O).group_by(O.c.user_id)
    return q.cte("counts")


def _totals() -> sql.Subquery:
    q = sql.select(O.c.user_id, func.sum(O.c.total).label("total")).from_(O)
    return q.group_by(O.c.user_id).subquery("t")


def _benchmark_query() -> sql.Select:
    return (
        sql.select(U.c.name, O.c.total, I.c.sku)
        .from_(U)
        .join(O, on=U.c.id == O.c.user_id)
        .join(I, on=O.c.id == I.c.order_id)
        .where(U.c.age >= 18, O.c.total > 50, I.c.sku == "abc")
        .order_by(O.c.total.desc())
        .limit(10)
    )


_low = sql.select(U.c.id).from_(U).where(U.c.id < 3)
_big = sql.select(O.c.user_id).from_(O).where(O.c.total > 200)
_ids = sql.select(U.c.id).from_(U)
_buyers = sql.select(O.c.user_id).from_(O)

CASES: dict[str, Case] = {
    # --- SELECT basics ---------------------------------------------------------------------
    "select_basic": Case(
        lambda: sql.select(U.c.id, U.c.name).from_(U).where(U.c.age >= 18).order_by(U.c.id),
        [(1, "alice"), (4, "dave"), (5, "Ann")],
    ),
    "select_star": Case(lambda: sql.select().from_(U).where(U.c.id == 2), [(2, "bob", 17)]),
    "select_table_star": Case(
        lambda: sql.select(U).from_(U).where(U.c.id == 1), [(1, "alice", 30)]
    ),
    "table_alias": Case(
        lambda: (lambda x: sql.select(x.c.name).from_(x).where(x.c.id == 2))(U.alias("x")),
        [("bob",)],
    ),
    "is_null": Case(lambda: sql.select(U.c.id).from_(U).where(U.c.age == None), [(3,)]),  # noqa: E711
    "in_list": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(U.c.age != None, U.c.id.in_([1, 2, 3]))  # noqa: E711
            .order_by(U.c.id)
        ),
        [(1,), (2,)],
    ),
    "in_empty": Case(lambda: sql.select(U.c.id).from_(U).where(U.c.id.in_([])), []),
    "between_not_in": Case(
        lambda: sql.select(U.c.id).from_(U).where(U.c.age.between(18, 40), U.c.id.not_in([5])),
        [(1,)],
    ),
    "in_subquery": Case(
        lambda: (
            sql.select(U.c.name)
            .from_(U)
            .where(U.c.id.in_(sql.select(O.c.user_id).from_(O).where(O.c.total > 200)))
            .order_by(U.c.id)
        ),
        [("alice",), ("dave",)],
    ),
    "like": Case(
        lambda: sql.select(U.c.id).from_(U).where(U.c.name.like("%o%")).order_by(U.c.id),
        [(2,), (3,)],
    ),
    "ilike": Case(
        lambda: sql.select(U.c.id).from_(U).where(U.c.name.ilike("a%")).order_by(U.c.id),
        [(1,), (5,)],
    ),
    "and_or_not": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(sql.or_(U.c.id == 1, (U.c.age > 40) & ~(U.c.name == "bob")))
            .order_by(U.c.id)
        ),
        [(1,), (4,)],
    ),
    "where_twice": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(U.c.age > 18)
            .where((U.c.id == 1) | (U.c.id == 5))
            .order_by(U.c.id)
        ),
        [(1,), (5,)],
    ),
    "arithmetic": Case(
        lambda: (
            sql.select(U.c.id, ((U.c.age + 1) * 2).label("x"), -U.c.age, U.c.age % 7)
            .from_(U)
            .where(U.c.id == 1)
        ),
        [(1, 62, -30, 2)],
    ),
    "case_when": Case(
        lambda: (
            sql.select(U.c.id, case((U.c.age >= 18, "adult"), else_="minor").label("kind"))
            .from_(U)
            .where(U.c.age != None)  # noqa: E711
            .order_by(U.c.id)
        ),
        [(1, "adult"), (2, "minor"), (4, "adult"), (5, "adult")],
    ),
    "cast": Case(
        lambda: sql.select(cast(U.c.age, "text").label("a")).from_(U).where(U.c.id == 1),
        [("30",)],
    ),
    "coalesce": Case(
        lambda: (
            sql.select(U.c.id, func.coalesce(U.c.age, 0))
            .from_(U)
            .where(U.c.id.in_([2, 3]))
            .order_by(U.c.id)
        ),
        [(2, 17), (3, 0)],
    ),
    # --- joins -----------------------------------------------------------------------------
    "left_join": Case(
        lambda: (
            sql.select(U.c.name, O.c.total)
            .from_(U)
            .join(O, on=U.c.id == O.c.user_id, kind="left")
            .where(U.c.id.in_([2, 3]))
            .order_by(U.c.id)
        ),
        [("bob", 40), ("carol", None)],
    ),
    "two_joins": Case(
        _benchmark_query, [("dave", 500, "abc"), ("alice", 250, "abc"), ("alice", 100, "abc")]
    ),
    "cross_join": Case(lambda: sql.select(func.count()).from_(U).join(O, kind="cross"), [(30,)]),
    "full_join": Case(
        lambda: (
            sql.select(U.c.id, O.c.id)
            .from_(U)
            .join(O, on=U.c.id == O.c.user_id, kind="full")
            .where(O.c.id == None)  # noqa: E711
        ),
        [(3, None)],
    ),
    # --- aggregates and windows ------------------------------------------------------------
    "group_having": Case(
        lambda: (
            sql.select(O.c.user_id, func.sum(O.c.total).label("s"))
            .from_(O)
            .group_by(O.c.user_id)
            .having(func.sum(O.c.total) > 200)
            .order_by(O.c.user_id)
        ),
        [(1, 350), (4, 575)],
    ),
    "count_distinct": Case(
        lambda: sql.select(func.count(O.c.status, distinct=True)).from_(O), [(2,)]
    ),
    "aggregate_filter": Case(
        lambda: sql.select(
            func.count().filter(O.c.status == "paid").label("paid"),
            func.sum(O.c.total).filter(O.c.status == "open").label("open_total"),
        ).from_(O),
        [(3, 445)],
    ),
    "window": Case(
        lambda: (
            sql.select(
                O.c.id,
                func.row_number()
                .over(partition_by=O.c.user_id, order_by=O.c.total.desc())
                .label("rn"),
            )
            .from_(O)
            .order_by(O.c.id)
        ),
        [(10, 2), (11, 1), (12, 1), (13, 1), (14, 2), (15, 1)],
    ),
    "window_frame": Case(
        lambda: (
            sql.select(
                O.c.id, func.sum(O.c.total).over(order_by=O.c.id, frame=("rows", -1, 0)).label("s")
            )
            .from_(O)
            .order_by(O.c.id)
        ),
        [(10, 100), (11, 350), (12, 290), (13, 540), (14, 575), (15, 195)],
    ),
    "window_groups": Case(
        lambda: (
            sql.select(
                O.c.id,
                func.count().over(order_by=O.c.user_id, frame=("groups", None, 0)).label("c"),
            )
            .from_(O)
            .order_by(O.c.id)
        ),
        [(10, 2), (11, 2), (12, 3), (13, 5), (14, 5), (15, 6)],
    ),
    # --- ordering, distinct, limits --------------------------------------------------------
    "nulls_last": Case(
        lambda: sql.select(U.c.id).from_(U).order_by(U.c.age.asc(nulls="last")),
        [(2,), (5,), (1,), (4,), (3,)],
    ),
    "nulls_first": Case(
        lambda: sql.select(U.c.id).from_(U).order_by(U.c.age.desc(), nulls="first"),
        [(3,), (4,), (1,), (5,), (2,)],
    ),
    "distinct": Case(
        lambda: sql.select(O.c.status).distinct().from_(O).order_by(O.c.status),
        [("open",), ("paid",)],
    ),
    "distinct_on": Case(
        lambda: (
            sql.select(O.c.user_id, O.c.total)
            .distinct(O.c.user_id)
            .from_(O)
            .order_by(O.c.user_id, O.c.total.desc())
        ),
        [(1, 250), (2, 40), (4, 500), (5, 120)],
    ),
    "limit_offset": Case(
        lambda: sql.select(U.c.id).from_(U).order_by(U.c.id).limit(2).offset(1), [(2,), (3,)]
    ),
    "limit_inline": Case(
        lambda: sql.select(U.c.id).from_(U).order_by(U.c.id).limit(2, inline=True).offset(1),
        [(2,), (3,)],
    ),
    "offset_only": Case(
        lambda: sql.select(U.c.id).from_(U).order_by(U.c.id).offset(3), [(4,), (5,)]
    ),
    # --- subqueries and CTEs ---------------------------------------------------------------
    "exists": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(
                exists(sql.select(O.c.id).from_(O).where(O.c.user_id == U.c.id, O.c.total > 100))
            )
            .order_by(U.c.id)
        ),
        [(1,), (4,), (5,)],
    ),
    "not_exists": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(~exists(sql.select(O.c.id).from_(O).where(O.c.user_id == U.c.id)))
        ),
        [(3,)],
    ),
    "scalar_subquery": Case(
        lambda: (
            sql.select(
                U.c.id,
                sql.select(func.count()).from_(O).where(O.c.user_id == U.c.id).scalar().label("n"),
            )
            .from_(U)
            .order_by(U.c.id)
        ),
        [(1, 2), (2, 1), (3, 0), (4, 2), (5, 1)],
    ),
    "derived_table": Case(
        lambda: (
            lambda t: (
                sql.select(U.c.name, t.c.total)
                .from_(U)
                .join(t, on=U.c.id == t.c.user_id)
                .where(t.c.total > 300)
                .order_by(U.c.id)
            )
        )(_totals()),
        [("alice", 350), ("dave", 575)],
    ),
    "cte": Case(
        lambda: (
            lambda c: (
                sql.select(U.c.name, c.c.n)
                .from_(U)
                .join(c, on=U.c.id == c.c.user_id)
                .where(c.c.n > 1)
                .order_by(U.c.id)
            )
        )(_counts_cte()),
        [("alice", 2), ("dave", 2)],
    ),
    "cte_recursive": Case(
        lambda: (lambda c: sql.select(c.c.n).from_(c).order_by(c.c.n))(_seq_cte()),
        [(1,), (2,), (3,), (4,), (5,)],
    ),
    "cte_recursive_self": Case(
        lambda: (lambda c: sql.select(c.c.n).from_(c).order_by(c.c.n))(_nums_cte()),
        [(n,) for n in range(1, 11)],
    ),
    "cte_recursive_self_union": Case(
        lambda: (lambda c: sql.select(sql.func.sum(c.c.n)).from_(c))(_nums_union_cte()),
        [(25,)],
    ),
    "cte_recursive_self_join": Case(
        lambda: (lambda c: sql.select(c.c.name).from_(c).order_by(c.c.id))(_reach_cte()),
        [("alice",), ("bob",)],
    ),
    # --- set operations --------------------------------------------------------------------
    "union": Case(lambda: _low.union(_big).order_by(U.c.id), [(1,), (2,), (4,)]),
    "union_all": Case(lambda: sql.union_all(_low, _big), [(1,), (1,), (2,), (4,)], False),
    "intersect": Case(lambda: sql.intersect(_ids, _buyers), [(1,), (2,), (4,), (5,)], False),
    "except": Case(lambda: sql.except_(_ids, _buyers), [(3,)], False),
    "intersect_all": Case(
        lambda: sql.intersect_all(_buyers, _buyers.where(O.c.total > 90)),
        [(1,), (1,), (4,), (5,)],
        False,
    ),
    "compound_member_limit": Case(
        lambda: sql.union_all(
            _ids.order_by(U.c.id).limit(1), _ids.order_by(U.c.id.desc()).limit(1)
        ),
        [(1,), (5,)],
        False,
    ),
    "compound_limit": Case(lambda: _low.union(_big).order_by(U.c.id.desc()).limit(2), [(4,), (2,)]),
    # --- raw and text ----------------------------------------------------------------------
    "raw_fragment": Case(
        lambda: (
            sql.select(U.c.id)
            .from_(U)
            .where(sql.raw("(? % 2) = 0", U.c.id), sql.raw("COALESCE(?, 0)", U.c.age) > 20)
            .order_by(U.c.id)
        ),
        [(4,)],
    ),
    "text": Case(
        lambda: sql.text(
            "SELECT id FROM sqlt_users WHERE age > :min AND name <> :name ORDER BY id",
            min=20,
            name="dave",
        ),
        [(1,), (5,)],
    ),
    "text_repeated_name": Case(
        lambda: sql.text("SELECT id FROM sqlt_users WHERE id = :x OR age = :x + 16", x=1),
        [(1,), (2,)],
        False,
    ),
    # --- row locks -------------------------------------------------------------------------
    "for_update": Case(lambda: sql.select(U.c.id).from_(U).where(U.c.id == 1).for_update(), [(1,)]),
    "for_update_of_skip_locked": Case(
        lambda: sql.select(U.c.id).from_(U).where(U.c.id == 1).for_update(of=[U], skip_locked=True),
        [(1,)],
    ),
    "for_share_nowait": Case(
        lambda: sql.select(U.c.id).from_(U).where(U.c.id == 1).for_share(nowait=True), [(1,)]
    ),
    # --- INSERT ----------------------------------------------------------------------------
    "insert": Case(
        lambda: sql.insert(S).values(id=3, name="three", n=3),
        [(1, "one", 1), (2, "two", 2), (3, "three", 3)],
        check=SCRATCH,
    ),
    "insert_multi": Case(
        lambda: sql.insert(S).values(
            [{"id": 3, "name": "three", "n": 3}, {"id": 4, "name": "four", "n": None}]
        ),
        [(1, "one", 1), (2, "two", 2), (3, "three", 3), (4, "four", None)],
        check=SCRATCH,
    ),
    "insert_returning": Case(
        lambda: sql.insert(S).values(id=3, name="three", n=3).returning(S.c.id, S.c.name),
        [(3, "three")],
    ),
    "insert_select": Case(
        lambda: sql.insert(S).from_select(
            ["id", "name", "n"],
            sql.select(U.c.id + 10, U.c.name, U.c.age).from_(U).where(U.c.id == 1),
        ),
        [(1, "one", 1), (2, "two", 2), (11, "alice", 30)],
        check=SCRATCH,
    ),
    "upsert_nothing": Case(
        lambda: sql.insert(S).values(id=1, name="uno", n=9).on_conflict_do_nothing([S.c.id]),
        [(1, "one", 1), (2, "two", 2)],
        check=SCRATCH,
    ),
    "upsert_update": Case(
        lambda: (
            sql.insert(S)
            .values([{"id": 1, "name": "uno", "n": 10}, {"id": 5, "name": "five", "n": 5}])
            .on_conflict_do_update([S.c.id], {"name": excluded("name"), "n": S.c.n + excluded("n")})
        ),
        [(1, "uno", 11), (2, "two", 2), (5, "five", 5)],
        check=SCRATCH,
    ),
    "upsert_update_where": Case(
        lambda: (
            sql.insert(S)
            .values([{"id": 1, "name": "uno", "n": 5}, {"id": 2, "name": "dos", "n": 5}])
            .on_conflict_do_update(
                [S.c.id], {"name": excluded("name"), "n": excluded("n")}, where=S.c.n < 2
            )
        ),
        [(1, "uno", 5), (2, "two", 2)],
        check=SCRATCH,
    ),
    # --- UPDATE / DELETE -------------------------------------------------------------------
    "update": Case(
        lambda: sql.update(S).set(name="ONE", n=S.c.n + 10).where(S.c.id == 1),
        [(1, "ONE", 11), (2, "two", 2)],
        check=SCRATCH,
    ),
    "update_returning": Case(
        lambda: sql.update(S).set(n=S.c.n * 3).where(S.c.id == 2).returning(S.c.id, S.c.n),
        [(2, 6)],
    ),
    "delete": Case(lambda: sql.delete(S).where(S.c.id == 2), [(1, "one", 1)], check=SCRATCH),
    "delete_returning": Case(
        lambda: sql.delete(S).where(S.c.n >= 1).returning(S.c.id), [(1,), (2,)], False
    ),
}
