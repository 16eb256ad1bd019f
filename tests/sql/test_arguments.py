"""Where an SQL expression belongs, a plain string is refused, never bound as a value.

``select("name")`` or ``order_by("name")`` bound ``'name'`` as a parameter: the rows came back as
the literal text, or unsorted, with no error. Every builder argument that is an expression is in
``EXPRESSION_PLACES``; every one that is a value (comparison operands, IN lists, inserted values,
function arguments, ...) is in ``VALUE_PLACES`` and still binds. The error is raised while the
query is built, so it is the same on both cores; the accepted spellings are compiled by both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import sql
from ferrule.errors import ExpressionError, SQLError

from .support import assert_sql

t = sql.table("t", "id", "name", "n")
s = sql.select(t.c.id).from_(t)

#: (builder call with the string ``x`` where an expression belongs)
EXPRESSION_PLACES: dict[str, Callable[[Any], Any]] = {
    "select": lambda x: sql.select(x),
    "select.columns": lambda x: s.columns(x),
    "select.where": lambda x: s.where(x),
    "select.where (second)": lambda x: s.where(t.c.id > 1, x),
    "select.join on": lambda x: s.join(t.alias("u"), on=x),
    "select.left_join on": lambda x: s.left_join(t.alias("u"), x),
    "select.group_by": lambda x: s.group_by(x),
    "select.having": lambda x: s.group_by(t.c.id).having(x),
    "select.order_by": lambda x: s.order_by(x),
    "select.order_by nulls": lambda x: s.order_by(x, nulls="last"),
    "select.distinct on": lambda x: s.distinct(x),
    "compound.order_by": lambda x: sql.union(s, s).order_by(x),
    "insert.returning": lambda x: sql.insert(t).values(id=1).returning(x),
    "insert.on_conflict where": lambda x: (
        sql.insert(t).values(id=1).on_conflict_do_update([t.c.id], {"n": 1}, where=x)
    ),
    "update.where": lambda x: sql.update(t).set(n=1).where(x),
    "update.returning": lambda x: sql.update(t).set(n=1).returning(x),
    "delete.where": lambda x: sql.delete(t).where(x),
    "delete.returning": lambda x: sql.delete(t).returning(x),
    "and_": lambda x: sql.and_(t.c.id > 1, x),
    "or_": lambda x: sql.or_(x, t.c.id > 1),
    "not_": lambda x: sql.not_(x),
    "&": lambda x: (t.c.id > 1) & x,
    "|": lambda x: x | (t.c.id > 1),
    "func.filter": lambda x: sql.func.count().filter(x),
    "over partition_by": lambda x: sql.func.rank().over(partition_by=x),
    "over order_by": lambda x: sql.func.rank().over(order_by=[x]),
    "case condition": lambda x: sql.case((x, 1)),
    "exists": lambda x: sql.exists(x),
}

#: (builder call with the string ``x`` as a value, the expected params)
VALUE_PLACES: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
    "==": (lambda x: s.where(t.c.name == x), ["v"]),
    "!=": (lambda x: s.where(t.c.name != x), ["v"]),
    "<": (lambda x: s.where(t.c.name < x), ["v"]),
    "+": (lambda x: sql.select(t.c.name + x), ["v"]),
    "radd": (lambda x: sql.select(x + t.c.name), ["v"]),
    "in_": (lambda x: s.where(t.c.name.in_([x])), ["v"]),
    "between": (lambda x: s.where(t.c.name.between(x, x)), ["v", "v"]),
    "like": (lambda x: s.where(t.c.name.like(x)), ["v"]),
    "like escape": (lambda x: s.where(t.c.name.ilike(x, escape="!")), ["v", "!"]),
    "regex": (lambda x: s.where(t.c.name.regex(x)), ["v"]),
    "func args": (lambda x: sql.select(sql.func.coalesce(t.c.name, x)), ["v"]),
    "case result": (lambda x: sql.select(sql.case((t.c.id > 1, x), else_=x)), [1, "v", "v"]),
    "cast": (lambda x: sql.select(sql.cast(x, "text")), ["v"]),
    "literal": (lambda x: sql.select(sql.literal(x)), ["v"]),
    "raw param": (lambda x: sql.select(sql.raw("?", x)), ["v"]),
    "text param": (lambda x: sql.text("SELECT :p", p=x), ["v"]),
    "insert values": (lambda x: sql.insert(t).values(name=x), ["v"]),
    "update set": (lambda x: sql.update(t).set(name=x), ["v"]),
    "upsert set": (
        lambda x: sql.insert(t).values(id=1).on_conflict_do_update([t.c.id], {"name": x}),
        [1, "v"],
    ),
}


@pytest.mark.parametrize("place", list(EXPRESSION_PLACES))
def test_a_string_where_an_expression_belongs_is_refused(place: str) -> None:
    with pytest.raises(ExpressionError) as info:
        EXPRESSION_PLACES[place]("name")
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, SQLError)
    message = str(info.value)
    for hint in ("sql.column(", "sql.text(", "sql.literal("):
        assert hint in message, message
    assert "'name'" in message


@pytest.mark.parametrize("place", list(VALUE_PLACES))
def test_a_string_where_a_value_belongs_is_bound(place: str) -> None:
    build, params = VALUE_PLACES[place]
    assert build("v").compile("sqlite")[1] == params


@pytest.mark.parametrize("value", [1, 2.5, b"x", True])
@pytest.mark.parametrize("place", ["select.order_by", "select.group_by", "over partition_by"])
def test_a_constant_sort_or_group_key_is_refused(place: str, value: Any) -> None:
    """``ORDER BY ?`` bound to 1 sorts by a constant (not by the first column): refused too."""
    with pytest.raises(ExpressionError):
        EXPRESSION_PLACES[place](value)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            s.where(sql.text("id > :m", m=1)).order_by(sql.column("name")),
            ("SELECT `t`.`id` FROM `t` WHERE id > ? ORDER BY `name`", [1]),
        ),
        (
            sql.select(sql.column("name"), sql.literal("name")).from_(t).group_by(sql.text("1")),
            ("SELECT `name`, ? FROM `t` GROUP BY 1", ["name"]),
        ),
        (
            sql.select(sql.text("count(*)")).from_(t).having(sql.text("count(*) > :n", n=2)),
            ("SELECT count(*) FROM `t` HAVING count(*) > ?", [2]),
        ),
    ],
)
def test_the_spellings_the_error_names_work(query: sql.Statement, expected: Any) -> None:
    assert_sql(query, "sqlite", *expected)
