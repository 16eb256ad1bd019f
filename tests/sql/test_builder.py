"""Builder behaviour across dialects: immutability, the shape cache, quoting, text and raw
fragments, and the errors misuse raises. SQL checks go through both compilers (``assert_sql``)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from ferrule import _ferrule, sql
from ferrule.errors import SQLError, UnsupportedFeatureError
from ferrule.sql.compiler import compile_native, compile_pure

from .support import COMPILERS, assert_sql, assert_unsupported

t = sql.table("t", "id", "name", "n")


def test_builders_are_immutable() -> None:
    base = sql.select(t.c.id).from_(t)
    narrowed = base.where(t.c.id == 1).limit(5)
    assert base.compile("sqlite") == ("SELECT `t`.`id` FROM `t`", [])
    assert narrowed.compile("sqlite") == (
        "SELECT `t`.`id` FROM `t` WHERE `t`.`id` = ? LIMIT ?",
        [1, 5],
    )
    other = base.where(t.c.id == 2)
    assert other.compile("sqlite")[1] == [2]
    assert narrowed.compile("sqlite")[1] == [1, 5]


def test_cache_hit_reuses_text_and_rebinds_params() -> None:
    _ferrule.sql_cache_clear()
    first = sql.select(t.c.id).from_(t).where(t.c.name == "a", t.c.n > 1).compile("postgres")
    second = sql.select(t.c.id).from_(t).where(t.c.name == "b", t.c.n > 2).compile("postgres")
    assert first[0] is second[0]  # the cached str object itself
    assert (first[1], second[1]) == (["a", 1], ["b", 2])
    # A different shape (one more condition) is a different entry.
    third = sql.select(t.c.id).from_(t).where(t.c.name == "b").compile("postgres")
    assert third[0] != first[0]


def test_same_shape_other_dialect_is_not_confused() -> None:
    q = sql.select(t.c.id).from_(t).where(t.c.id == 1)
    assert q.compile("postgres")[0] != q.compile("mysql")[0]
    assert q.compile("mysql")[0] == "SELECT `t`.`id` FROM `t` WHERE `t`.`id` = %s"


def test_pure_python_switch() -> None:
    code = (
        "from ferrule.sql import compiler as c; "
        "print(c.compile_node is c.compile_pure, c.compile_native is not None)"
    )
    env = {**os.environ, "FERRULE_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr
    from ferrule.sql import compiler

    pure = os.environ.get("FERRULE_PURE_PYTHON") == "1"
    assert compiler.compile_node is (compile_pure if pure else compile_native)


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("sqlite", 'SELECT `we"ird`.`a``b]c%` FROM `s"x`.`we"ird`'),
        ("postgres", 'SELECT "we""ird"."a`b]c%" FROM "s""x"."we""ird"'),
        ("mysql", 'SELECT `we"ird`.`a``b]c%%` FROM `s"x`.`we"ird`'),
        ("mssql", 'SELECT [we"ird].[a`b]]c%] FROM [s"x].[we"ird]'),
    ],
)
def test_identifier_quoting(dialect: str, expected: str) -> None:
    weird = sql.table('we"ird', "a`b]c%", schema='s"x')
    assert_sql(sql.select(weird.c["a`b]c%"]).from_(weird), dialect, expected, [])


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("sqlite", "SELECT a::int, ':no', \"x :no\" FROM t WHERE a = ? AND b = ? AND c = ?"),
        ("postgres", "SELECT a::int, ':no', \"x :no\" FROM t WHERE a = $1 AND b = $2 AND c = $3"),
        ("mysql", "SELECT a::int, ':no', \"x :no\" FROM t WHERE a = %s AND b = %s AND c = %s"),
    ],
)
def test_text_named_params(dialect: str, expected: str) -> None:
    q = sql.text(
        "SELECT a::int, ':no', \"x :no\" FROM t WHERE a = :a AND b = :b_2 AND c = :a", a=1, b_2=2
    )
    assert_sql(q, dialect, expected, [1, 2, 1])


def test_text_percent_is_escaped_for_format_style() -> None:
    q = sql.text("SELECT 'a%' LIKE :p", p="a%")
    assert_sql(q, "mysql", "SELECT 'a%%' LIKE %s", ["a%"])
    assert_sql(q, "sqlite", "SELECT 'a%' LIKE ?", ["a%"])


def test_raw_placeholders() -> None:
    q = sql.select(sql.raw("? ?? ?", 1, t.c.id)).from_(t)
    assert_sql(q, "postgres", 'SELECT $1 ? "t"."id" FROM "t"', [1])


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("sqlite", "INSERT INTO `t` DEFAULT VALUES"),
        ("postgres", 'INSERT INTO "t" DEFAULT VALUES RETURNING "t"."id"'),
        ("mysql", "INSERT INTO `t` () VALUES () RETURNING `t`.`id`"),
        ("mssql", "INSERT INTO [t] OUTPUT INSERTED.[id] DEFAULT VALUES"),
    ],
)
def test_insert_default_values(dialect: str, expected: str) -> None:
    q = sql.insert(t)
    if dialect != "sqlite":
        q = q.returning(t.c.id)
    assert_sql(q, dialect, expected, [])


def test_mssql_limits() -> None:
    q = sql.select(t.c.id).distinct().from_(t).limit(3)
    assert_sql(q, "mssql", "SELECT DISTINCT TOP (?) [t].[id] FROM [t]", [3])
    q = sql.select(t.c.id).from_(t).offset(3)
    assert_sql(q, "mssql", "SELECT [t].[id] FROM [t] ORDER BY (SELECT NULL) OFFSET ? ROWS", [3])


def test_none_comparisons_and_values() -> None:
    q = sql.select(t.c.id).from_(t).where(t.c.name == None, t.c.n != None)  # noqa: E711
    assert_sql(
        q, "sqlite", "SELECT `t`.`id` FROM `t` WHERE `t`.`name` IS NULL AND `t`.`n` IS NOT NULL", []
    )
    q2 = sql.update(t).set({t.c.name: None}).where(t.c.id.is_(None))
    assert_sql(q2, "sqlite", "UPDATE `t` SET `name` = ? WHERE `t`.`id` IS NULL", [None])


def test_compound_hoists_member_ctes() -> None:
    c = sql.select(t.c.id).from_(t).cte("c")
    q = sql.union(sql.select(c.c.id).from_(c), sql.select(t.c.id).from_(t))
    assert_sql(
        q,
        "postgres",
        'WITH "c" ("id") AS (SELECT "t"."id" FROM "t") SELECT "c"."id" FROM "c" UNION '
        'SELECT "t"."id" FROM "t"',
        [],
    )


def test_values_accept_columns_and_kwargs() -> None:
    q = sql.insert(t).values({t.c.id: 1}, name="x")
    assert_sql(q, "sqlite", "INSERT INTO `t` (`id`, `name`) VALUES (?, ?)", [1, "x"])


def test_filter_emulation_keeps_param_order() -> None:
    q = sql.select(sql.func.sum(t.c.n + 1).filter(t.c.id > 5)).from_(t)
    assert_sql(
        q, "mysql", "SELECT SUM(CASE WHEN `t`.`id` > %s THEN `t`.`n` + %s END) FROM `t`", [5, 1]
    )


def test_nulls_emulation_repeats_params() -> None:
    q = sql.select(t.c.id).from_(t).order_by((t.c.n + 1).asc(nulls="first"))
    assert_sql(
        q,
        "mysql",
        "SELECT `t`.`id` FROM `t` ORDER BY (`t`.`n` + %s) IS NOT NULL, `t`.`n` + %s ASC",
        [1, 1],
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: sql.select(t.c.id).from_(t).limit(-1),
        lambda: sql.select(t.c.id).from_(t).limit(True),
        lambda: sql.select(t.c.id).from_(t).join(t, on=t.c.id == 1, kind="sideways"),
        lambda: sql.select(t.c.id).from_(t).join(t, kind="inner"),
        lambda: sql.select(t.c.id).from_(t).for_update(nowait=True, skip_locked=True),
        lambda: sql.cast(t.c.id, "int; DROP TABLE t"),
        lambda: sql.text("SELECT :a"),
        lambda: sql.raw("? + ?", 1),
        lambda: sql.insert(t).values([{"id": 1}, {"name": "x"}]),
        lambda: sql.insert(t).on_conflict_do_update([], {"name": 1}),
        lambda: sql.table(""),
        lambda: sql.and_(),
        lambda: t.c.id.asc(nulls="middle"),
        lambda: sql.select(t.c.id).where(t),
        lambda: t.c.id.in_("abc"),
        lambda: sql.update(t.alias("x")).set(n=1),
        lambda: sql.select(t.c.id).cte("c", recursive=True).union_all(),
        lambda: sql.select(t.c.id).cte("c", recursive=True).union(t),
        lambda: sql.exists(t),
        lambda: sql.select(t.c.id).with_("c"),  # type: ignore[arg-type]
    ],
)
def test_misuse_raises_sql_error(make: Any) -> None:
    with pytest.raises(SQLError):
        make()


def test_expressions_have_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(t.c.id == 1)


def test_unknown_column_and_function_names() -> None:
    with pytest.raises(AttributeError):
        _ = t.c.nope
    with pytest.raises(AttributeError):
        getattr(sql.func, "no such")


@pytest.mark.parametrize("compiler", list(COMPILERS))
def test_compile_errors(compiler: str) -> None:
    compile_ = COMPILERS[compiler]
    with pytest.raises(SQLError, match="unknown dialect"):
        compile_(sql.select(t.c.id)._node(), "oracle")
    with pytest.raises(SQLError, match="needs set"):
        compile_(sql.update(t)._node(), "sqlite")
    with pytest.raises(SQLError, match="unexpected object"):
        compile_(("select", (None, "cols", ((..., 1), 1.5))), "sqlite")
    with pytest.raises(SQLError, match="unknown"):
        compile_(("drop", "everything"), "sqlite")
    with pytest.raises(UnsupportedFeatureError) as info:
        compile_(sql.select(t.c.id).from_(t).for_update()._node(), "sqlite")
    assert str(info.value) == "FOR UPDATE is not supported by the sqlite dialect"


def test_native_and_pure_agree_on_every_dialect_for_a_big_query() -> None:
    sub = sql.select(t.c.n).from_(t).where(t.c.name.not_ilike("%x%")).subquery("s")
    q = (
        sql.select(
            t.c.id,
            sql.case((t.c.n.between(1, 5), "low"), (t.c.n > 5, "high")).label("band"),
            sql.func.avg(t.c.n).over(partition_by=[t.c.name], frame=("range", None, None)),
        )
        .from_(t)
        .join(sub, on=sub.c.n == t.c.n, kind="left")
        .where(~sql.or_(t.c.id.in_([1, 2]), t.c.name.like("a%")), t.c.n.not_between(7, 8))
        .group_by(t.c.id, t.c.name, t.c.n)
        .order_by(t.c.id.desc(nulls="last"))
        .limit(3)
        .offset(4)
    )
    for dialect in ("sqlite", "postgres", "mysql", "mssql"):
        assert compile_native(q._node(), dialect) == compile_pure(q._node(), dialect)


def test_cache_never_confuses_recycled_objects() -> None:
    # New table/column/label strings every round, the old ones freed: addresses get reused, the
    # identity cache must still never answer with another query's text.
    for i in range(300):
        tbl = sql.table(f"t{i % 7}", f"c{i}")
        q = sql.select(tbl.c[f"c{i}"].label(f"l{i}")).from_(tbl).where(tbl.c[f"c{i}"] == i)
        assert q.compile("sqlite") == (
            f"SELECT `t{i % 7}`.`c{i}` AS `l{i}` FROM `t{i % 7}` WHERE `t{i % 7}`.`c{i}` = ?",
            [i],
        )
        del tbl, q


def test_column_parts_must_be_strings() -> None:
    with pytest.raises(SQLError):
        sql.Column((..., 1), "x")  # type: ignore[arg-type]


def test_statement_repr_shows_postgres_sql() -> None:
    q = sql.select(t.c.id).from_(t).where(t.c.id == 3)
    assert repr(q) == """<Select 'SELECT "t"."id" FROM "t" WHERE "t"."id" = $1' [3]>"""
    assert "needs set" in repr(sql.update(t))


def test_nested_set_operations() -> None:
    a = sql.select(t.c.id).from_(t)
    q = sql.union(a, sql.intersect(a, a))
    assert_sql(
        q,
        "postgres",
        'SELECT "t"."id" FROM "t" UNION '
        '(SELECT "t"."id" FROM "t" INTERSECT SELECT "t"."id" FROM "t")',
        [],
    )
    for dialect in ("sqlite", "mssql"):
        assert_unsupported(q, dialect, "nested set operation")


def test_range_frame_offsets() -> None:
    q = sql.select(sql.func.sum(t.c.n).over(order_by=t.c.id, frame=("range", -2, 0))).from_(t)
    assert_sql(
        q,
        "mysql",
        "SELECT SUM(`t`.`n`) OVER (ORDER BY `t`.`id` RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) "
        "FROM `t`",
        [],
    )
    assert_unsupported(q, "mssql", "RANGE window frame with an offset")


def test_a_non_recursive_cte_may_shadow_one_of_its_name() -> None:
    """Only a recursive CTE's body takes its own name as a self-reference; a plain CTE built
    on another of the same name keeps that one as its own nested WITH."""
    inner = sql.select(t.c.id).from_(t).cte("a")
    outer = sql.select(inner.c.id).from_(inner).cte("a")
    assert_sql(
        sql.select(outer.c.id).from_(outer),
        "postgres",
        'WITH "a" ("id") AS (WITH "a" ("id") AS (SELECT "t"."id" FROM "t") SELECT "a"."id" '
        'FROM "a") SELECT "a"."id" FROM "a"',
        [],
    )


def test_a_label_of_a_labeled_expression_renames_it() -> None:
    """``(x AS a).label("b")`` is ``x AS b``: SQL has no label of a label, and a label inside
    an expression compiles as its name (a bare ``a``, ambiguous over a join: MariaDB's 1052
    on ``values("id", "tags").distinct().count()`` once integer columns were read labeled)."""
    doubled = (t.c.n + 0).label("n").label("total")
    assert_sql(
        sql.select(doubled).from_(t), "sqlite", "SELECT `t`.`n` + ? AS `total` FROM `t`", [0]
    )
