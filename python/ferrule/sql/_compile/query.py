"""SELECT, compound queries, CTEs, sources, limits and locking.

The pure-Python twin of ``src/sql/compile/query.rs``.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError
from ferrule.sql._compile.base import Node, steps_of
from ferrule.sql._compile.expr import ExprCompiler

_JOINS = {
    "inner": " JOIN ",
    "left": " LEFT JOIN ",
    "right": " RIGHT JOIN ",
    "full": " FULL JOIN ",
    "cross": " CROSS JOIN ",
}
_SET_OPS = {
    "union": " UNION ",
    "union_all": " UNION ALL ",
    "intersect": " INTERSECT ",
    "intersect_all": " INTERSECT ALL ",
    "except": " EXCEPT ",
    "except_all": " EXCEPT ALL ",
}


class SelectParts:
    """A SELECT's builder chain folded into its clauses (a CTE named twice is kept once)."""

    __slots__ = (
        "cols", "ctes", "distinct", "froms", "group", "having", "joins", "limit", "lock",
        "offset", "order", "wheres",
    )  # fmt: skip

    def __init__(self, link: Any) -> None:
        self.cols: list[Node] = []
        self.froms: list[Node] = []
        self.joins: list[Node] = []
        self.wheres: list[Node] = []
        self.group: list[Node] = []
        self.having: list[Node] = []
        self.order: list[Node] = []
        self.ctes: list[Node] = []
        self.limit: Node | None = None
        self.offset: Node | None = None
        self.distinct: Node | None = None
        self.lock: Node | None = None
        for step, arg in steps_of(link):
            if step == "cols":
                self.cols.extend(arg)
            elif step == "from":
                self.froms.extend(arg)
            elif step == "join":
                self.joins.append(arg)
            elif step == "where":
                self.wheres.append(arg)
            elif step == "group":
                self.group.extend(arg)
            elif step == "having":
                self.having.append(arg)
            elif step == "order":
                self.order.extend(arg)
            elif step == "limit":
                self.limit = arg
            elif step == "offset":
                self.offset = arg
            elif step == "distinct":
                self.distinct = arg
            elif step == "lock":
                self.lock = arg
            elif step == "with":
                if all(c[1] != arg[1] for c in self.ctes):
                    self.ctes.append(arg)
            else:
                raise SQLError(f"unknown select step {step!r}")


class QueryCompiler(ExprCompiler):
    """Writes SELECT and compound queries with their CTEs, sources, limits and locks."""

    def with_clause(self, ctes: list[Node]) -> None:
        recursive = any(c[4] for c in ctes)
        self.lit("WITH RECURSIVE " if recursive and self.d.recursive_keyword else "WITH ")
        for i, (_, name, cols, query, own_recursive) in enumerate(ctes):
            if i:
                self.lit(", ")
            self.ident(name)
            if cols:
                self.lit(" (")
                self.idents(cols)
                self.lit(")")
            self.lit(" AS (")
            if own_recursive:
                self.defining.append(name)
                self.statement(query)
                self.defining.pop()
            else:
                self.statement(query)
            self.lit(")")
        self.lit(" ")

    def own_ctes(self, ctes: list[Node]) -> list[Node]:
        """The CTEs to write in a WITH here: not those whose body is being written."""
        return [c for c in ctes if c[1] not in self.defining] if self.defining else ctes

    def source(self, n: Node) -> None:
        if n[0] == "table":
            self.table(n)
            if n[3] is not None:
                self.lit(" AS ")
                self.ident(n[3])
        elif n[0] == "subq":
            self.lit("(")
            self.statement(n[1])
            self.lit(") AS ")
            self.ident(n[2])
        else:
            raise SQLError(f"unknown FROM item {n[0]!r}")

    def table(self, n: Node) -> None:
        if n[2] is not None:
            self.ident(n[2])
            self.lit(".")
        self.ident(n[1])

    def select(self, s: SelectParts, with_ctes: bool) -> None:
        d = self.d
        ctes = self.own_ctes(s.ctes) if with_ctes else []
        if ctes:
            self.with_clause(ctes)
        self.lit("SELECT ")
        if s.distinct is not None:
            if s.distinct:
                if not d.distinct_on:
                    raise self.unsupported("DISTINCT ON")
                self.lit("DISTINCT ON (")
                self.exprs(s.distinct)
                self.lit(") ")
            else:
                self.lit("DISTINCT ")
        top = d.limit_style == "fetch" and s.limit is not None and s.offset is None
        if top:
            self.lit("TOP (")
            self.expr(s.limit)  # type: ignore[arg-type]
            self.lit(") ")
        if s.cols:
            self.columns(s.cols)
        else:
            self.lit("*")
        if s.froms:
            self.lit(" FROM ")
            for i, item in enumerate(s.froms):
                if i:
                    self.lit(", ")
                self.source(item)
        for kind, item, on in s.joins:
            if kind == "full" and not d.full_join:
                raise self.unsupported("FULL JOIN")
            self.lit(_JOINS[kind])
            self.source(item)
            if on is not None:
                self.lit(" ON ")
                self.expr(on)
        if s.wheres:
            self.lit(" WHERE ")
            self.conditions(s.wheres)
        if s.group:
            self.lit(" GROUP BY ")
            self.exprs(s.group)
        if s.having:
            self.lit(" HAVING ")
            self.conditions(s.having)
        if s.order:
            self.lit(" ORDER BY ")
            self.order_items(s.order)
        self.limit_offset(bool(s.order), s.limit, s.offset, top)
        if s.lock is not None:
            self.lock(s.lock)

    def limit_offset(
        self, ordered: bool, limit: Node | None, offset: Node | None, top: bool
    ) -> None:
        if self.d.limit_style == "limit":
            if limit is not None:
                self.lit(" LIMIT ")
                self.expr(limit)
            if offset is not None:
                if limit is None and self.d.no_limit is not None:
                    self.lit(" LIMIT " + self.d.no_limit)
                self.lit(" OFFSET ")
                self.expr(offset)
        elif not top and (limit is not None or offset is not None):
            if not ordered:
                self.lit(" ORDER BY (SELECT NULL)")
            self.lit(" OFFSET ")
            if offset is None:
                self.lit("0")
            else:
                self.expr(offset)
            self.lit(" ROWS")
            if limit is not None:
                self.lit(" FETCH NEXT ")
                self.expr(limit)
                self.lit(" ROWS ONLY")

    def lock(self, lock: Node) -> None:
        mode, nowait, skip_locked, of = lock
        feature = "FOR UPDATE" if mode == "update" else "FOR SHARE"
        if self.d.locking is None:
            raise self.unsupported(feature)
        if of and not self.d.lock_of:
            raise self.unsupported(feature + " OF")
        if mode == "update":
            self.lit(" FOR UPDATE")
        elif self.d.locking == "standard":
            self.lit(" FOR SHARE")
        else:
            self.lit(" LOCK IN SHARE MODE")
        if of:
            self.lit(" OF ")
            self.idents(of)
        if nowait:
            self.lit(" NOWAIT")
        if skip_locked:
            self.lit(" SKIP LOCKED")

    def compound(self, n: Node, with_ctes: bool) -> None:
        steps = steps_of(n[1])
        kind, members = steps[0][1]
        if kind in ("intersect_all", "except_all") and not self.d.set_op_all:
            raise self.unsupported("INTERSECT ALL" if kind == "intersect_all" else "EXCEPT ALL")
        order: list[Node] = []
        limit: Node | None = None
        offset: Node | None = None
        for step, arg in steps[1:]:
            if step == "order":
                order.extend(arg)
            elif step == "limit":
                limit = arg
            elif step == "offset":
                offset = arg
            else:
                raise SQLError(f"unknown compound step {step!r}")
        if with_ctes:
            ctes: list[Node] = []
            self.member_ctes(n, ctes)
            ctes = self.own_ctes(ctes)
            if ctes:
                self.with_clause(ctes)
        for i, m in enumerate(members):
            if i:
                self.lit(_SET_OPS[kind])
            self.member(m)
        if order:
            self.lit(" ORDER BY ")
            self.unqualified = True
            self.order_items(order)
            self.unqualified = False
        self.limit_offset(bool(order), limit, offset, False)

    def member_ctes(self, n: Node, ctes: list[Node]) -> None:
        if n[0] == "select":
            for cte in SelectParts(n[1]).ctes:
                if all(c[1] != cte[1] for c in ctes):
                    ctes.append(cte)
        elif n[0] == "compound":
            for m in steps_of(n[1])[0][1][1]:
                self.member_ctes(m, ctes)

    def member(self, m: Node) -> None:
        if m[0] == "select":
            s = SelectParts(m[1])
            wrap = (
                bool(s.order) or s.limit is not None or s.offset is not None or s.lock is not None
            )
            feature = "ORDER BY/LIMIT in a compound member"
        else:
            wrap, feature = True, "nested set operation"
        if wrap and not self.d.member_parens:
            raise self.unsupported(feature)
        if wrap:
            self.lit("(")
        if m[0] == "select":
            self.select(s, False)
        else:
            self.compound(m, False)
        if wrap:
            self.lit(")")
