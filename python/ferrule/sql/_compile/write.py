"""INSERT (with upserts and MERGE), UPDATE, DELETE and RETURNING.

The pure-Python twin of ``src/sql/compile/write.rs``.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError
from ferrule.sql._compile.base import Node, steps_of
from ferrule.sql._compile.query import QueryCompiler


class WriteCompiler(QueryCompiler):
    """Writes INSERT (upserts; MERGE on SQL Server), UPDATE and DELETE with RETURNING/OUTPUT."""

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
        for step, arg in steps_of(n[1]):
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
        for step, arg in steps_of(n[1]):
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
        for step, arg in steps_of(n[1]):
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
