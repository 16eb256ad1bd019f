"""The pure-Python twin and the native compiler agree byte for byte on random queries, in every
dialect, including which constructs they reject."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ferrule import sql
from ferrule.errors import SQLError, UnsupportedFeatureError
from ferrule.sql.compiler import compile_native, compile_pure

t = sql.table("t", "a", "b", "c")
u = sql.table("u", "a", "d").alias("x")
DIALECTS = ("sqlite", "postgres", "mysql", "mssql")

values = st.one_of(st.integers(-5, 5), st.text(max_size=3), st.none(), st.booleans())
columns = st.sampled_from([t.c.a, t.c.b, t.c.c, u.c.a, u.c.d])


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pair = st.tuples(children, st.one_of(children, values))
    return st.one_of(
        pair.map(lambda p: p[0] == p[1]),
        pair.map(lambda p: p[0] != p[1]),
        pair.map(lambda p: p[0] < p[1]),
        pair.map(lambda p: p[0] + p[1]),
        pair.map(lambda p: p[0] * p[1]),
        pair.map(lambda p: p[0] % p[1]),
        st.tuples(children, children).map(lambda p: sql.and_(p[0] == 1, p[1] != 2)),
        st.tuples(children, children).map(lambda p: (p[0] > 1) | (p[1] < 2)),
        children.map(lambda c: ~(c == 1)),
        children.map(lambda c: -c),
        st.tuples(children, st.lists(values, max_size=3)).map(lambda p: p[0].in_(p[1])),
        st.tuples(children, values, values).map(lambda p: p[0].between(p[1], p[2])),
        st.tuples(children, st.text(max_size=3), st.booleans()).map(
            lambda p: p[0].ilike(p[1]) if p[2] else p[0].not_like(p[1])
        ),
        st.tuples(children, children, st.sampled_from("!\\'#"), st.booleans()).map(
            lambda p: p[0].not_ilike(p[1], escape=p[2]) if p[3] else p[0].like(p[1], escape=p[2])
        ),
        st.tuples(children, st.one_of(children, values), st.booleans(), st.booleans()).map(
            lambda p: (p[0].not_regex if p[3] else p[0].regex)(p[1], ignore_case=p[2])
        ),
        st.tuples(children, values).map(lambda p: sql.func.coalesce(p[0], p[1])),
        children.map(lambda c: sql.func.sum(c).filter(c > 0)),
        children.map(lambda c: sql.func.count(c, distinct=True)),
        st.tuples(children, values).map(lambda p: sql.case((p[0] > 0, p[1]), else_=p[0])),
        children.map(lambda c: sql.cast(c, "varchar(5)")),
        children.map(lambda c: sql.raw("abs(?) % 3", c)),
        children.map(
            lambda c: sql.func.rank().over(
                partition_by=c, order_by=t.c.a.desc(nulls="first"), frame=("groups", -1, 0)
            )
        ),
    )


exprs = st.recursive(columns, _extend, max_leaves=6)


@st.composite
def selects(draw: st.DrawFn) -> sql.Select:
    q = sql.select(*draw(st.lists(exprs, min_size=1, max_size=3))).from_(t)
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["inner", "left", "right", "full"]))
        q = q.join(u, on=u.c.a == t.c.a, kind=kind)
    if draw(st.booleans()):
        q = q.where(draw(exprs) == draw(values))
    if draw(st.booleans()):
        q = q.group_by(t.c.a).having(sql.func.count() > draw(st.integers(0, 3)))
    if draw(st.booleans()):
        nulls = draw(st.sampled_from([None, "first", "last"]))
        q = q.order_by(draw(exprs).asc(), t.c.b.desc(), nulls=nulls)
    if draw(st.booleans()):
        q = q.limit(draw(st.integers(0, 9)))
    if draw(st.booleans()):
        q = q.offset(draw(st.integers(0, 9)))
    if draw(st.booleans()):
        q = q.distinct(*draw(st.lists(columns, max_size=1)))
    if draw(st.booleans()):
        q = q.for_update(skip_locked=draw(st.booleans()), of=draw(st.sampled_from([(), [t]])))
    return q


#: names around every dialect's identifier limit, with multibyte characters, NUL, surrogates
names = st.one_of(
    st.sampled_from(["n", "x y", 'q"`]', "%s%"]),
    st.text(st.sampled_from("aé😀"), min_size=15, max_size=130),
    st.text(min_size=1, max_size=4),
)


@st.composite
def recursive_ctes(draw: st.DrawFn) -> sql.Select:
    """The SQLAlchemy idiom: a CTE used inside its own recursive member."""
    name, column = draw(names), draw(names)
    base = sql.select(sql.literal(1).label(column)).cte(name, recursive=True)
    step = sql.select(base.c[column] + 1).from_(base).where(base.c[column] < draw(values))
    cte = base.union_all(step) if draw(st.booleans()) else base.union(step)
    return sql.select(cte.c[column]).from_(cte).join(t, on=t.c.a == cte.c[column])


@st.composite
def statements(draw: st.DrawFn) -> sql.Statement:
    kind = draw(st.sampled_from(["select", "compound", "insert", "update", "delete", "cte"]))
    if kind == "select":
        return draw(selects())
    if kind == "cte":
        return draw(recursive_ctes())
    if kind == "compound":
        op = draw(st.sampled_from([sql.union, sql.union_all, sql.intersect, sql.except_all]))
        return op(draw(selects()), draw(selects())).order_by(t.c.a).limit(3)
    returning = draw(st.lists(columns.filter(lambda c: c[1] == "t"), max_size=2))
    if kind == "insert":
        ins = sql.insert(t).values(
            a=draw(values), b=draw(exprs.filter(lambda e: "x" not in repr(e)))
        )
        if draw(st.booleans()):
            ins = ins.on_conflict_do_update(
                [t.c.a], {"b": sql.excluded("b")}, where=t.c.c > draw(values)
            )
        return ins.returning(*returning)
    if kind == "update":
        return sql.update(t).set(b=draw(values)).where(t.c.a == draw(values)).returning(*returning)
    return sql.delete(t).where(t.c.a == draw(values)).returning(*returning)


def _outcome(compile_: Any, query: sql.Statement, dialect: str) -> Any:
    try:
        return compile_(query._node(), dialect)
    except UnsupportedFeatureError as exc:
        return ("unsupported", exc.dialect, exc.feature)
    except SQLError as exc:
        return ("error", type(exc).__name__, str(exc))


@settings(max_examples=150, deadline=None)
@given(query=statements())
def test_native_and_pure_compilers_agree(query: sql.Statement) -> None:
    for dialect in DIALECTS:
        assert _outcome(compile_native, query, dialect) == _outcome(compile_pure, query, dialect)
