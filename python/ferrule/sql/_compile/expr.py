"""Expressions, conditions, functions, window specs, ordering and column lists.

The pure-Python twin of ``src/sql/compile/expr.rs``.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError
from ferrule.sql._compile.base import BaseCompiler, Node

# Operands with these tags are parenthesised inside another operator: correct whatever the
# dialect's precedence table says.
_WRAP = frozenset({"op", "and", "or", "not", "isnull", "in", "between", "like", "regex", "neg"})
#: PostgreSQL's operators by (negated, ignore_case)
_REGEX_OPERATORS = {(False, False): " ~ ", (False, True): " ~* ", (True, False): " !~ ",
                    (True, True): " !~* "}  # fmt: skip


def _offset(*bounds: str) -> bool:
    """A frame bound like "2 PRECEDING" (not UNBOUNDED, not CURRENT ROW)."""
    return any(b[0].isdigit() for b in bounds)


def _conjuncts(conds: list[Node]) -> Node:
    """A list of conditions as one AND node (or the single condition)."""
    items: list[Node] = []
    for c in conds:
        if c[0] == "and":
            items.extend(c[1])
        else:
            items.append(c)
    return items[0] if len(items) == 1 else ("and", tuple(items))


class ExprCompiler(BaseCompiler):
    """Writes expressions; a subquery inside one goes back through ``statement``."""

    def exprs(self, nodes: Any) -> None:
        for i, n in enumerate(nodes):
            if i:
                self.lit(", ")
            self.expr(n)

    def operand(self, n: Node) -> None:
        if n[0] in _WRAP:
            self.lit("(")
            self.expr(n)
            self.lit(")")
        else:
            self.expr(n)

    def expr(self, n: Node) -> None:
        tag = n[0]
        if tag is ...:
            self.param(n[1])
        elif tag == "col":
            if self.prefix is not None:
                self.lit(self.prefix + ".")
            elif n[1] is not None and not self.unqualified:
                self.ident(n[1])
                self.lit(".")
            self.ident(n[2])
        elif tag == "op":
            self.operand(n[2])
            self.lit(f" {n[1]} ")
            self.operand(n[3])
        elif tag == "and" or tag == "or":
            joiner = " AND " if tag == "and" else " OR "
            for i, item in enumerate(n[1]):
                if i:
                    self.lit(joiner)
                if item[0] == "and" or item[0] == "or":
                    self.lit("(")
                    self.expr(item)
                    self.lit(")")
                else:
                    self.expr(item)
        elif tag == "star":
            if self.prefix is not None:
                self.lit(self.prefix + ".*")
            elif n[1] is not None and not self.unqualified:
                self.ident(n[1])
                self.lit(".*")
            else:
                self.lit("*")
        elif tag == "null":
            self.lit("NULL")
        elif tag == "not":
            if n[1][0] == "exists":
                self.lit("NOT ")
                self.expr(n[1])
            else:
                self.lit("NOT (")
                self.expr(n[1])
                self.lit(")")
        elif tag == "neg":
            self.lit("-")
            self.operand(n[1])
        elif tag == "isnull":
            self.operand(n[1])
            self.lit(" IS NOT NULL" if n[2] else " IS NULL")
        elif tag == "in":
            self.in_(n)
        elif tag == "between":
            self.operand(n[1])
            self.lit(" NOT BETWEEN " if n[4] else " BETWEEN ")
            self.operand(n[2])
            self.lit(" AND ")
            self.operand(n[3])
        elif tag == "like":
            self.like(n)
        elif tag == "regex":
            self.regex(n)
        elif tag == "func":
            self.func(n)
        elif tag == "over":
            self.over(n)
        elif tag == "case":
            self.lit("CASE")
            for cond, result in n[1]:
                self.lit(" WHEN ")
                self.expr(cond)
                self.lit(" THEN ")
                self.expr(result)
            if n[2] is not None:
                self.lit(" ELSE ")
                self.expr(n[2])
            self.lit(" END")
        elif tag == "cast":
            self.lit("CAST(")
            self.expr(n[1])
            self.lit(" AS " + self.cast_type(n[2]) + ")")
        elif tag == "exists":
            self.lit("EXISTS (")
            self.statement(n[1])
            self.lit(")")
        elif tag == "sub":
            self.lit("(")
            self.statement(n[1])
            self.lit(")")
        elif tag == "raw":
            self.raw(n)
        elif tag == "label":
            self.ident(n[2])
        elif tag == "excluded":
            self.excluded(n[1])
        elif tag == "order":
            self.order_item(n)
        else:
            raise SQLError(f"unknown expression node {tag!r}")

    def in_(self, n: Node) -> None:
        target = n[2]
        if not target:
            self.lit("1 = 1" if n[3] else "1 = 0")
            return
        self.operand(n[1])
        self.lit(" NOT IN (" if n[3] else " IN (")
        if isinstance(target[0], str):
            self.statement(target)
        else:
            self.exprs(target)
        self.lit(")")

    def like(self, n: Node) -> None:
        x, pattern, ci, negated = n[1:5]
        escape = n[5] if len(n) > 5 else None
        keyword = " NOT LIKE " if negated else " LIKE "
        if ci and self.d.ilike:
            self.operand(x)
            self.lit(" NOT ILIKE " if negated else " ILIKE ")
            self.operand(pattern)
        elif ci:
            self.lit("LOWER(")
            self.expr(x)
            self.lit(")" + keyword + "LOWER(")
            self.expr(pattern)
            self.lit(")")
        else:
            self.operand(x)
            self.lit(keyword)
            self.operand(pattern)
        if self.d.exact_collation is not None and not (ci and self.d.ilike):
            self.lit(" COLLATE " + self.d.exact_collation)
        if escape is not None:
            self.lit(" ESCAPE ")
            self.expr(escape)

    def regex(self, n: Node) -> None:
        _, x, pattern, ci, negated = n
        style = self.d.regex
        if style == "operator":
            self.operand(x)
            self.lit(_REGEX_OPERATORS[bool(negated), bool(ci)])
            self.operand(pattern)
        elif style == "collate":
            collation = self.d.caseless_collation if ci else self.d.exact_collation
            self.operand(x)
            self.lit(" NOT REGEXP " if negated else " REGEXP ")
            self.operand(pattern)
            self.lit(f" COLLATE {collation}")
        elif style == "function" and ci:
            self.lit("NOT regexp(" if negated else "regexp(")
            self.expr(pattern)
            self.lit(", ")
            self.expr(x)
            self.lit(", 'i')")
        elif style == "function":
            self.operand(x)
            self.lit(" NOT REGEXP " if negated else " REGEXP ")
            self.operand(pattern)
        else:
            raise self.unsupported("regular expression match")

    def func(self, n: Node) -> None:
        _, name, args, distinct, filter_ = n
        self.lit(name + "(")
        if distinct:
            self.lit("DISTINCT ")
        if filter_ is not None and not self.d.filter_clause:
            self.lit("CASE WHEN ")
            self.expr(filter_)
            self.lit(" THEN ")
            if args:
                self.expr(args[0])
            else:
                self.lit("1")
            self.lit(" END")
            for arg in args[1:]:
                self.lit(", ")
                self.expr(arg)
            self.lit(")")
            return
        if args:
            self.exprs(args)
        elif name == "COUNT":
            self.lit("*")
        self.lit(")")
        if filter_ is not None:
            self.lit(" FILTER (WHERE ")
            self.expr(filter_)
            self.lit(")")

    def over(self, n: Node) -> None:
        _, fn, partition, order, frame = n
        self.expr(fn)
        self.lit(" OVER (")
        space = False
        if partition:
            self.lit("PARTITION BY ")
            self.exprs(partition)
            space = True
        if order:
            self.lit(" ORDER BY " if space else "ORDER BY ")
            self.order_items(order)
            space = True
        if frame is not None:
            mode, start, end = frame
            if mode == "GROUPS" and not self.d.frame_groups:
                raise self.unsupported("GROUPS window frame")
            if mode == "RANGE" and not self.d.range_offsets and _offset(start, end):
                raise self.unsupported("RANGE window frame with an offset")
            self.lit(f"{' ' if space else ''}{mode} BETWEEN {start} AND {end}")
        self.lit(")")

    def cast_type(self, type_: str) -> str:
        paren = type_.find("(")
        base, suffix = (type_, "") if paren < 0 else (type_[:paren], type_[paren:])
        mapped = self.d.casts.get(base.strip().lower())
        if mapped is None:
            return type_.upper()
        return mapped if "(" in mapped else mapped + suffix.upper()

    def raw(self, n: Node) -> None:
        parts, params = n[1], n[2]
        self.lit(parts[0])
        for i, p in enumerate(params):
            self.expr(p)
            self.lit(parts[i + 1])

    def excluded(self, name: str) -> None:
        if self.d.upsert == "on_conflict":
            self.lit("EXCLUDED.")
            self.ident(name)
        elif self.d.upsert == "duplicate_key":
            self.lit("VALUES(")
            self.ident(name)
            self.lit(")")
        else:
            self.ident("src")
            self.lit(".")
            self.ident(name)

    def order_item(self, n: Node) -> None:
        if n[0] != "order":
            self.expr(n)
            return
        _, x, desc, nulls = n
        if nulls is not None and self.d.nulls_order != "native":
            if self.d.nulls_order == "is_null":
                self.operand(x)
                self.lit(" IS NULL, " if nulls == "last" else " IS NOT NULL, ")
            else:
                self.lit("CASE WHEN ")
                self.operand(x)
                self.lit(
                    " IS NULL THEN 1 ELSE 0 END, "
                    if nulls == "last"
                    else " IS NULL THEN 0 ELSE 1 END, "
                )
        self.expr(x)
        if desc is not None:
            self.lit(" DESC" if desc else " ASC")
        if nulls is not None and self.d.nulls_order == "native":
            self.lit(" NULLS LAST" if nulls == "last" else " NULLS FIRST")

    def order_items(self, nodes: Any) -> None:
        for i, n in enumerate(nodes):
            if i:
                self.lit(", ")
            self.order_item(n)

    def columns(self, nodes: Any) -> None:
        for i, n in enumerate(nodes):
            if i:
                self.lit(", ")
            if n[0] == "label":
                self.expr(n[1])
                self.lit(" AS ")
                self.ident(n[2])
            else:
                self.expr(n)

    def conditions(self, conds: list[Node]) -> None:
        self.expr(_conjuncts(conds))
