"""Statements: SELECT, compound selects, INSERT, UPDATE, DELETE and text.

Builders are immutable and cheap: each method returns a new object whose one slot ``_c`` is a link
``(previous link, step, argument)`` to the chain of steps so far (nothing is copied). The compiler
folds the chain in order: list steps append, scalar steps (limit, offset, ...) replace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from sys import intern
from typing import Any, TypeAlias, TypeVar

from ferrule.errors import SQLError
from ferrule.sql.compiler import compile_node
from ferrule.sql.nodes import (
    CTE,
    STATEMENT_CLASSES,
    TEXT_CLASSES,
    Column,
    Expr,
    FromItem,
    Node,
    Subquery,
    Table,
    _ident,
    _keys,
    _nulls,
    and_,
    expr_arg,
    expr_node,
    key_arg,
)

Link: TypeAlias = "tuple[Link | None, str, Any] | None"
_C = TypeVar("_C", bound="_Chained")
_JOIN_KINDS = frozenset({"inner", "left", "right", "full", "cross"})


class Statement:
    """Base of every query object: ``compile(dialect) -> (sql, params)``."""

    __slots__ = ()

    def _node(self) -> Node:
        raise NotImplementedError

    def compile(self, dialect: str) -> tuple[str, list[Any]]:
        """SQL text for ``dialect`` (sqlite, postgres, mysql, mssql) and its parameters in order."""
        return _compile(self._node(), dialect)

    def __repr__(self) -> str:
        try:
            text, params = self.compile("postgres")
        except SQLError as exc:
            return f"<{type(self).__name__} ({exc})>"
        return f"<{type(self).__name__} {text!r} {params!r}>"


_compile = compile_node


def _from_node(item: Any) -> tuple[Node, Node | None]:
    """(from-item node, CTE node to add to WITH or None)."""
    if item.__class__ is Table:
        return item._n, None
    if isinstance(item, CTE):
        return item._n, item.cte_node
    if isinstance(item, FromItem):
        return item._n, None
    raise SQLError(f"cannot select from {item!r}: use sql.table(...), .subquery() or .cte()")


def _col_name(key: Any) -> str:
    if isinstance(key, Column):
        return key.name
    return _ident(key, "column name")


def _value(value: Any) -> Node:
    """A value to store (INSERT/UPDATE): None is bound as a parameter, not written as NULL."""
    return (..., None) if value is None else expr_node(value)


def _column_node(value: Any) -> Node:
    if value.__class__ is Column:
        n: Node = value
        return n
    if isinstance(value, Table):
        return ("star", value._n[3] or value.name)
    return expr_arg(value)


class _Chained(Statement):
    """A statement as a chain of steps. Subclasses must not define ``__init__``: a bare
    ``cls()`` plus one slot store is the cheapest way to make the next link."""

    __slots__ = ("_c",)
    _c: Link

    def _then(self: _C, step: str, arg: Any) -> _C:
        new: _C = self.__class__()
        new._c = (self._c, step, arg)
        return new


class _Queryable(_Chained):
    """Shared by Select and Compound: ordering, limits, set operations, use as a subquery/CTE."""

    __slots__ = ()

    def order_by(self: _C, *items: Any, nulls: str | None = None) -> _C:
        """ORDER BY items (``col``, ``col.desc()``, ...); ``nulls="first"|"last"`` applies to
        every item that does not say otherwise."""
        for i in items:
            if i.__class__ is not Expr:
                items = tuple([key_arg(i) for i in items])
                break
        if nulls is not None:
            _nulls(nulls)
            items = tuple(
                ("order", n[1], n[2], n[3] or nulls)
                if n[0] == "order"
                else ("order", n, None, nulls)
                for n in items
            )
        new = self.__class__()
        new._c = (self._c, "order", items)
        return new

    def limit(self: _C, count: int | None, *, inline: bool = False) -> _C:
        """LIMIT ``count``, a bound parameter; ``inline=True`` writes the number into the text
        (PostgreSQL plans a prepared statement with a bound LIMIT for an unknown count, a
        tenth of the rows, and so may plan it again at every run; an inline one is planned
        once, at the price of one statement text per count)."""
        if count.__class__ is not int or count < 0:  # type: ignore[operator,unused-ignore]
            count = None if count is None else _count(count)
        new: _C = self.__class__()
        if count is None:
            new._c = (self._c, "limit", None)
        elif inline:  # interned: the native shape cache then finds it by address
            new._c = (self._c, "limit", ("raw", (intern(str(count)),), ()))
        else:
            new._c = (self._c, "limit", (..., count))
        return new

    def offset(self: _C, count: int | None) -> _C:
        return self._then("offset", None if count is None else (..., _count(count)))

    def union(self, *others: _Queryable) -> Compound:
        return _compound("union", self, *others)

    def union_all(self, *others: _Queryable) -> Compound:
        return _compound("union_all", self, *others)

    def intersect(self, *others: _Queryable) -> Compound:
        return _compound("intersect", self, *others)

    def intersect_all(self, *others: _Queryable) -> Compound:
        return _compound("intersect_all", self, *others)

    def except_(self, *others: _Queryable) -> Compound:
        return _compound("except", self, *others)

    def except_all(self, *others: _Queryable) -> Compound:
        return _compound("except_all", self, *others)

    def subquery(self, alias: str, columns: Iterable[str] | None = None) -> Subquery:
        """This query as a derived table; ``columns`` names its ``c`` (default: labels/columns)."""
        return Subquery(self._node(), alias, self._names() if columns is None else columns)

    def cte(self, name: str, recursive: bool = False, columns: Iterable[str] | None = None) -> CTE:
        return CTE(name, self._names() if columns is None else columns, self._node(), recursive)

    def exists(self) -> Expr:
        return Expr(("exists", self._node()))

    def scalar(self) -> Expr:
        """This query as a scalar subquery expression (``.label()`` it in a column list)."""
        return Expr(("sub", self._node()))

    def _names(self) -> tuple[str, ...]:
        return ()


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SQLError(f"limit/offset must be a non-negative int, got {value!r}")
    return value


class Select(_Queryable):
    """``select(*columns).from_(t).join(...).where(...).order_by(...).limit(n)``."""

    __slots__ = ()

    def _node(self) -> Node:
        return ("select", self._c)

    def compile(self, dialect: str) -> tuple[str, list[Any]]:
        return _compile(("select", self._c), dialect)

    def columns(self, *cols: Any) -> Select:
        return self._then("cols", tuple([_column_node(c) for c in cols]))

    def from_(self, *items: Any) -> Select:
        if len(items) == 1 and items[0].__class__ is Table:
            new = Select()
            new._c = (self._c, "from", (items[0]._n,))
            return new
        new = self
        nodes = []
        for item in items:
            node, cte_node = _from_node(item)
            if cte_node is not None:
                new = new._then("with", cte_node)
            nodes.append(node)
        return new._then("from", tuple(nodes))

    def join(self, item: Any, on: Any = None, kind: str = "inner") -> Select:
        if item.__class__ is Table and on.__class__ is Expr and kind == "inner":
            new = Select()
            new._c = (self._c, "join", ("inner", item._n, on))
            return new
        if kind not in _JOIN_KINDS:
            raise SQLError(f"join kind must be one of {sorted(_JOIN_KINDS)}, got {kind!r}")
        if (on is None) != (kind == "cross"):
            raise SQLError("cross joins take no ON condition; other joins need one")
        node, cte_node = _from_node(item)
        new = self if cte_node is None else self._then("with", cte_node)
        return new._then("join", (kind, node, None if on is None else expr_arg(on)))

    def left_join(self, item: Any, on: Any) -> Select:
        return self.join(item, on, "left")

    def where(self, *conditions: Any) -> Select:
        if not conditions:
            return self
        new = Select()
        for c in conditions:
            if c.__class__ is not Expr:
                conditions = tuple([expr_arg(c) for c in conditions])
                break
        if len(conditions) == 1:
            new._c = (self._c, "where", conditions[0])
        else:
            new._c = (self._c, "where", ("and", conditions))
        return new

    def group_by(self, *items: Any) -> Select:
        return self._then("group", _keys(items))

    def having(self, *conditions: Any) -> Select:
        return self._then("having", and_(*conditions))

    def distinct(self, *on: Any) -> Select:
        """DISTINCT, or DISTINCT ON (exprs) (PostgreSQL only)."""
        return self._then("distinct", _keys(on))

    def with_(self, *ctes: CTE) -> Select:
        new = self
        for cte in ctes:
            if not isinstance(cte, CTE):
                raise SQLError(f"with_() takes CTEs (query.cte(name)), got {cte!r}")
            new = new._then("with", cte.cte_node)
        return new

    def for_update(
        self, *, nowait: bool = False, skip_locked: bool = False, of: Iterable[Any] = ()
    ) -> Select:
        return self._lock("update", nowait, skip_locked, of)

    def for_share(
        self, *, nowait: bool = False, skip_locked: bool = False, of: Iterable[Any] = ()
    ) -> Select:
        return self._lock("share", nowait, skip_locked, of)

    def _lock(self, mode: str, nowait: bool, skip_locked: bool, of: Iterable[Any]) -> Select:
        if nowait and skip_locked:
            raise SQLError("NOWAIT and SKIP LOCKED exclude each other")
        names = tuple(
            (t._n[3] or t.name) if isinstance(t, Table) else _ident(t, "table") for t in of
        )
        return self._then("lock", (mode, nowait, skip_locked, names))

    def _names(self) -> tuple[str, ...]:
        return _names_of(self._node())


def select(*columns: Any) -> Select:
    """``SELECT columns``; a Table argument selects all its columns (``t.*``); none means ``*``."""
    s = Select()
    for c in columns:
        if c.__class__ is not Column:
            columns = tuple([_column_node(c) for c in columns])
            break
    s._c = (None, "cols", columns)
    return s


class Compound(_Queryable):
    """UNION / INTERSECT / EXCEPT of selects, with its own ORDER BY / LIMIT / OFFSET."""

    __slots__ = ()

    def _node(self) -> Node:
        return ("compound", self._c)

    def _names(self) -> tuple[str, ...]:
        return _names_of(self._node())


def _names_of(node: Node) -> tuple[str, ...]:
    """The output column names of a select or compound node (plain columns and labels)."""
    steps = []
    link = node[1]
    while link is not None:
        steps.append(link)
        link = link[0]
    if node[0] == "compound":
        return _names_of(steps[-1][2][1][0])
    names: list[str] = []
    for _, step, arg in reversed(steps):
        if step == "cols":
            names.extend(n[2] for n in arg if n[0] in ("col", "label"))
    return tuple(names)


def _compound(kind: str, *queries: _Queryable) -> Compound:
    if len(queries) < 2:
        raise SQLError(f"{kind} needs at least two queries")
    for q in queries:
        if not isinstance(q, _Queryable):
            raise SQLError(f"{kind} combines selects, got {q!r}")
    c = Compound()
    c._c = (None, "parts", (kind, tuple([q._node() for q in queries])))
    return c


STATEMENT_CLASSES.extend([Select, Compound])


def union(*queries: _Queryable) -> Compound:
    return _compound("union", *queries)


def union_all(*queries: _Queryable) -> Compound:
    return _compound("union_all", *queries)


def intersect(*queries: _Queryable) -> Compound:
    return _compound("intersect", *queries)


def intersect_all(*queries: _Queryable) -> Compound:
    return _compound("intersect_all", *queries)


def except_(*queries: _Queryable) -> Compound:
    return _compound("except", *queries)


def except_all(*queries: _Queryable) -> Compound:
    return _compound("except_all", *queries)


def _returning(items: tuple[Any, ...]) -> Node:
    return tuple([_column_node(c) for c in items])


def _table_node(target: Any) -> Node:
    if not isinstance(target, Table):
        raise SQLError(f"expected a table, got {target!r}")
    node: Node = target._n
    if node[3] is not None:
        raise SQLError("INSERT, UPDATE and DELETE take the table itself, not an alias")
    return node


class Insert(_Chained):
    """``insert(t).values(...)`` (one dict, kwargs, or a list of dicts), or ``.from_select(...)``;
    upserts with ``on_conflict_do_nothing`` / ``on_conflict_do_update``; ``returning(...)``."""

    __slots__ = ()

    def _node(self) -> Node:
        return ("insert", self._c)

    def values(
        self, rows: Mapping[Any, Any] | Iterable[Mapping[Any, Any]] | None = None, **kwargs: Any
    ) -> Insert:
        if rows is None:
            row_list: list[Mapping[Any, Any]] = [kwargs]
        elif isinstance(rows, Mapping):
            row_list = [{**rows, **kwargs}]
        else:
            row_list = list(rows)
        if not row_list or not row_list[0]:
            raise SQLError("values() needs at least one column")
        keys = list(row_list[0])
        names = tuple(_col_name(k) for k in keys)
        out = []
        for row in row_list:
            if len(row) != len(keys):
                raise SQLError("every row of a multi-row insert must have the same columns")
            try:
                out.append(tuple([_value(row[k]) for k in keys]))
            except KeyError as exc:
                raise SQLError(f"row is missing column {exc.args[0]!r}") from None
        return self._then("values", (names, tuple(out)))

    def from_select(self, columns: Iterable[Any], query: _Queryable) -> Insert:
        return self._then("select", (tuple(_col_name(c) for c in columns), query._node()))

    def returning(self, *items: Any) -> Insert:
        return self._then("returning", _returning(items))

    def on_conflict_do_nothing(self, target: Iterable[Any] = ()) -> Insert:
        return self._then("conflict", (tuple(_col_name(c) for c in target), None))

    def on_conflict_do_update(
        self, target: Iterable[Any], set_: Mapping[Any, Any], where: Any = None
    ) -> Insert:
        targets = tuple(_col_name(c) for c in target)
        if not targets:
            raise SQLError("on_conflict_do_update needs a conflict target")
        sets = tuple((_col_name(k), _value(v)) for k, v in set_.items())
        if not sets:
            raise SQLError("on_conflict_do_update needs at least one column to set")
        action = (sets, None if where is None else expr_arg(where))
        return self._then("conflict", (targets, action))


def insert(target: Table) -> Insert:
    i = Insert()
    i._c = (None, "into", _table_node(target))
    return i


class Update(_Chained):
    """``update(t).set(name=value, ...).where(...).returning(...)``."""

    __slots__ = ()

    def _node(self) -> Node:
        return ("update", self._c)

    def set(self, values: Mapping[Any, Any] | None = None, **kwargs: Any) -> Update:
        merged = {**(values or {}), **kwargs}
        if not merged:
            raise SQLError("set() needs at least one column")
        return self._then("set", tuple((_col_name(k), _value(v)) for k, v in merged.items()))

    values = set

    def where(self, *conditions: Any) -> Update:
        return self._then("where", and_(*conditions))

    def returning(self, *items: Any) -> Update:
        return self._then("returning", _returning(items))


def update(target: Table) -> Update:
    u = Update()
    u._c = (None, "table", _table_node(target))
    return u


class Delete(_Chained):
    """``delete(t).where(...).returning(...)``."""

    __slots__ = ()

    def _node(self) -> Node:
        return ("delete", self._c)

    def where(self, *conditions: Any) -> Delete:
        return self._then("where", and_(*conditions))

    def returning(self, *items: Any) -> Delete:
        return self._then("returning", _returning(items))


def delete(target: Table) -> Delete:
    d = Delete()
    d._c = (None, "table", _table_node(target))
    return d


# --- text --------------------------------------------------------------------------------------

_TEXT_RE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|:([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=512)
def _parse_text(source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parts: list[str] = []
    names: list[str] = []
    last = 0
    for match in _TEXT_RE.finditer(source):
        if match.group(1) is None:
            continue
        parts.append(source[last : match.start()])
        names.append(match.group(1))
        last = match.end()
    parts.append(source[last:])
    return tuple(parts), tuple(names)


class Text(Statement):
    """A whole statement written by hand with portable ``:name`` parameters."""

    __slots__ = ("_n",)
    _n: Node

    def __init__(self, source: str, params: Mapping[str, Any]) -> None:
        parts, names = _parse_text(source)
        missing = [n for n in names if n not in params]
        if missing:
            raise SQLError(f"text(): no value for :{missing[0]}")
        self._n = ("raw", parts, tuple([expr_node(params[n]) for n in names]))

    def _node(self) -> Node:
        return self._n


def text(source: str, /, **params: Any) -> Text:
    """``text("SELECT * FROM t WHERE id = :id", id=5)``; ``::`` and quoted strings stay. Also
    an SQL fragment where an expression belongs: ``.where(text("id > :n", n=1))``."""
    return Text(source, params)


TEXT_CLASSES.append(Text)
