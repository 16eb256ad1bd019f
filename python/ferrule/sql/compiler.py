"""Node tree -> (SQL text, params): the pure-Python twin of ``src/sql/compile.rs``.

Both compilers first split a tree into its *shape* (every bound value replaced by its position) and
the values; the SQL text and the order in which values are bound depend on the shape alone, so a
shape seen before is answered from the cache and only the parameter list is rebuilt. The output of
the two compilers is byte-identical, and so are their errors (class and message): a string that
is not valid Unicode (a lone surrogate) is refused before compiling, a name the dialect cannot hold
exactly (``max_identifier_length``, NUL) where it is written. ``FERRULE_PURE_PYTHON=1`` makes
``compile_node`` use this one.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError, UnsupportedFeatureError, pure_python_requested
from ferrule.sql.dialects import DIALECTS, Dialect
from ferrule.sql.identifiers import check_unicode, identifier_error

Node = tuple[Any, ...]

_CACHE: dict[tuple[str, Node], tuple[str, tuple[int, ...]]] = {}
_CACHE_MAX = 4096

# Operands with these tags are parenthesised inside another operator: correct whatever the
# dialect's precedence table says.
_WRAP = frozenset({"op", "and", "or", "not", "isnull", "in", "between", "like", "neg"})
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
_LEAF_TYPES = (str, int, bool, type(None))


def _strip(node: Any, values: list[Any]) -> Any:
    if isinstance(node, tuple):
        if len(node) == 2 and node[0] is ...:
            values.append(node[1])
            return (..., len(values) - 1)
        return tuple([_strip(item, values) for item in node])
    if node.__class__ in _LEAF_TYPES:
        return node
    raise SQLError(f"unexpected object in a query tree: {node!r}")


def compile_pure(node: Node, dialect: str) -> tuple[str, list[Any]]:
    """Compile with the pure-Python twin (same cache semantics as the native core)."""
    d = DIALECTS.get(dialect)
    if d is None:
        raise SQLError(f"unknown dialect {dialect!r}: expected sqlite, postgres, mysql or mssql")
    values: list[Any] = []
    shape = _strip(node, values)
    key = (dialect, shape)
    hit = _CACHE.get(key)
    if hit is None:
        check_unicode(shape)
        compiler = _Compiler(d)
        compiler.statement(shape)
        hit = ("".join(compiler.out), tuple(compiler.order))
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = hit
    sql, order = hit
    return sql, [values[i] for i in order]


def _native() -> Any:
    from ferrule import _ferrule

    return getattr(_ferrule, "sql_compile", None)


compile_native = _native()
compile_node = compile_pure if pure_python_requested() or compile_native is None else compile_native


def _steps(link: Any) -> list[tuple[str, Any]]:
    steps = []
    while link is not None:
        steps.append((link[1], link[2]))
        link = link[0]
    steps.reverse()
    return steps


def _offset(*bounds: str) -> bool:
    """A frame bound like "2 PRECEDING" (not UNBOUNDED, not CURRENT ROW)."""
    return any(b[0].isdigit() for b in bounds)


def _conjuncts(conds: list[Node]) -> Node:
    items: list[Node] = []
    for c in conds:
        if c[0] == "and":
            items.extend(c[1])
        else:
            items.append(c)
    return items[0] if len(items) == 1 else ("and", tuple(items))


class _Select:
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
        for step, arg in _steps(link):
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


class _Compiler:
    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.out: list[str] = []
        self.order: list[int] = []
        self.unqualified = False
        self.prefix: str | None = None
        #: recursive CTEs whose bodies are being written: there the name is a self-reference
        self.defining: list[str] = []

    # --- output primitives ---------------------------------------------------------------------

    def lit(self, text: str) -> None:
        self.out.append(text.replace("%", "%%") if self.d.percent_escape else text)

    def ident(self, name: str) -> None:
        error = identifier_error(name, self.d)
        if error is not None:
            raise error
        open_, close = self.d.quote
        self.lit(open_ + name.replace(close, close + close) + close)

    def param(self, index: int) -> None:
        self.order.append(index)
        style = self.d.paramstyle
        if style == "dollar":
            self.out.append(f"${len(self.order)}")
        elif style == "format":
            self.out.append("%s")
        else:
            self.out.append("?")

    def unsupported(self, feature: str) -> UnsupportedFeatureError:
        return UnsupportedFeatureError(self.d.name, feature)

    def idents(self, names: Any) -> None:
        for i, name in enumerate(names):
            if i:
                self.lit(", ")
            self.ident(name)

    def exprs(self, nodes: Any) -> None:
        for i, n in enumerate(nodes):
            if i:
                self.lit(", ")
            self.expr(n)

    # --- expressions ---------------------------------------------------------------------------

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
        _, x, pattern, ci, negated = n
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

    # --- statements ----------------------------------------------------------------------------

    def statement(self, n: Node) -> None:
        tag = n[0]
        if tag == "select":
            self.select(_Select(n[1]), True)
        elif tag == "compound":
            self.compound(n, True)
        elif tag == "insert":
            self.insert(n)
        elif tag == "update":
            self.update(n)
        elif tag == "delete":
            self.delete(n)
        elif tag == "raw":
            self.raw(n)
        else:
            raise SQLError(f"unknown statement node {tag!r}")

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

    def select(self, s: _Select, with_ctes: bool) -> None:
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
        steps = _steps(n[1])
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
            for cte in _Select(n[1]).ctes:
                if all(c[1] != cte[1] for c in ctes):
                    ctes.append(cte)
        elif n[0] == "compound":
            for m in _steps(n[1])[0][1][1]:
                self.member_ctes(m, ctes)

    def member(self, m: Node) -> None:
        if m[0] == "select":
            s = _Select(m[1])
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

    def returning(self, kind: str, items: list[Node], prefix: str) -> None:
        """RETURNING at the end; SQL Server's OUTPUT goes where the caller calls this."""
        if not items:
            return
        if self.d.output_clause:
            self.lit(" OUTPUT ")
            self.prefix = prefix
            self.columns(items)
            self.prefix = None
            return
        if kind not in self.d.returning:
            raise self.unsupported(kind.upper() + " ... RETURNING")
        self.lit(" RETURNING ")
        self.columns(items)

    def sets(self, sets: Any) -> None:
        for i, (name, value) in enumerate(sets):
            if i:
                self.lit(", ")
            self.ident(name)
            self.lit(" = ")
            self.expr(value)

    def insert(self, n: Node) -> None:
        table: Node = ()
        names: Node = ()
        rows: Node | None = None
        query: Node | None = None
        returning: list[Node] = []
        conflict: Node | None = None
        for step, arg in _steps(n[1]):
            if step == "into":
                table = arg
            elif step == "values":
                names, rows, query = arg[0], arg[1], None
            elif step == "select":
                names, query, rows = arg[0], arg[1], None
            elif step == "returning":
                returning.extend(arg)
            elif step == "conflict":
                conflict = arg
            else:
                raise SQLError(f"unknown insert step {step!r}")
        if conflict is not None and self.d.upsert == "merge":
            self.merge(table, names, rows, query, conflict, returning)
            return
        if returning and not self.d.output_clause and "insert" not in self.d.returning:
            raise self.unsupported("INSERT ... RETURNING")
        self.lit("INSERT INTO ")
        self.table(table)
        if names:
            self.lit(" (")
            self.idents(names)
            self.lit(")")
        if self.d.output_clause:
            self.returning("insert", returning, "INSERTED")
        if rows is not None:
            self.lit(" VALUES ")
            self.rows(rows)
        elif query is not None:
            self.lit(" ")
            self.statement(query)
        else:
            self.lit(self.d.default_values)
        if conflict is not None:
            self.conflict(names, conflict)
        if not self.d.output_clause:
            self.returning("insert", returning, "INSERTED")

    def rows(self, rows: Node) -> None:
        for i, row in enumerate(rows):
            if i:
                self.lit(", ")
            self.lit("(")
            self.exprs(row)
            self.lit(")")

    def conflict(self, names: Node, conflict: Node) -> None:
        target, action = conflict
        if self.d.upsert == "on_conflict":
            self.lit(" ON CONFLICT")
            if target:
                self.lit(" (")
                self.idents(target)
                self.lit(")")
            if action is None:
                self.lit(" DO NOTHING")
                return
            self.lit(" DO UPDATE SET ")
            self.sets(action[0])
            if action[1] is not None:
                self.lit(" WHERE ")
                self.expr(action[1])
            return
        self.lit(" ON DUPLICATE KEY UPDATE ")
        if action is None:
            if not target and not names:
                raise SQLError("on_conflict_do_nothing needs a target or inserted columns")
            first = target[0] if target else names[0]
            self.ident(first)
            self.lit(" = ")
            self.ident(first)
            return
        if action[1] is not None:
            raise self.unsupported("ON CONFLICT DO UPDATE ... WHERE")
        self.sets(action[0])

    def merge(
        self,
        table: Node,
        names: Node,
        rows: Node | None,
        query: Node | None,
        conflict: Node,
        returning: list[Node],
    ) -> None:
        target, action = conflict
        if not target:
            raise self.unsupported("upsert without a conflict target")
        if not names:
            raise SQLError("an upsert needs values")
        self.lit("MERGE INTO ")
        self.table(table)
        self.lit(" USING (")
        if rows is not None:
            self.lit("VALUES ")
            self.rows(rows)
        elif query is not None:
            self.statement(query)
        self.lit(") AS ")
        self.ident("src")
        self.lit(" (")
        self.idents(names)
        self.lit(") ON ")
        for i, name in enumerate(target):
            if i:
                self.lit(" AND ")
            self.ident(table[1])
            self.lit(".")
            self.ident(name)
            self.lit(" = ")
            self.ident("src")
            self.lit(".")
            self.ident(name)
        if action is not None:
            self.lit(" WHEN MATCHED")
            if action[1] is not None:
                self.lit(" AND ")
                self.expr(action[1])
            self.lit(" THEN UPDATE SET ")
            self.sets(action[0])
        self.lit(" WHEN NOT MATCHED THEN INSERT (")
        self.idents(names)
        self.lit(") VALUES (")
        for i, name in enumerate(names):
            if i:
                self.lit(", ")
            self.ident("src")
            self.lit(".")
            self.ident(name)
        self.lit(")")
        self.returning("insert", returning, "INSERTED")
        self.lit(";")

    def update(self, n: Node) -> None:
        table: Node = ()
        sets: list[Node] = []
        wheres: list[Node] = []
        returning: list[Node] = []
        for step, arg in _steps(n[1]):
            if step == "table":
                table = arg
            elif step == "set":
                sets.extend(arg)
            elif step == "where":
                wheres.append(arg)
            elif step == "returning":
                returning.extend(arg)
            else:
                raise SQLError(f"unknown update step {step!r}")
        if not sets:
            raise SQLError("an UPDATE needs set()")
        if returning and not self.d.output_clause and "update" not in self.d.returning:
            raise self.unsupported("UPDATE ... RETURNING")
        self.lit("UPDATE ")
        self.table(table)
        self.lit(" SET ")
        self.sets(sets)
        if self.d.output_clause:
            self.returning("update", returning, "INSERTED")
        if wheres:
            self.lit(" WHERE ")
            self.conditions(wheres)
        if not self.d.output_clause:
            self.returning("update", returning, "INSERTED")

    def delete(self, n: Node) -> None:
        table: Node = ()
        wheres: list[Node] = []
        returning: list[Node] = []
        for step, arg in _steps(n[1]):
            if step == "table":
                table = arg
            elif step == "where":
                wheres.append(arg)
            elif step == "returning":
                returning.extend(arg)
            else:
                raise SQLError(f"unknown delete step {step!r}")
        if returning and not self.d.output_clause and "delete" not in self.d.returning:
            raise self.unsupported("DELETE ... RETURNING")
        self.lit("DELETE FROM ")
        self.table(table)
        if self.d.output_clause:
            self.returning("delete", returning, "DELETED")
        if wheres:
            self.lit(" WHERE ")
            self.conditions(wheres)
        if not self.d.output_clause:
            self.returning("delete", returning, "DELETED")
