"""DDL statements (``sql.ddl``) -> SQL text, per dialect. Python only (see ``sql.ddl``).

Expressions inside DDL go through the query compiler's expression writer with two changes:
columns are written unqualified, and values are written as literals (``sql.literals``) instead of
placeholders. Everything else is here, one method per statement, consulting the facts in
``sql.dialects.ddl``; a construct the dialect cannot express raises ``UnsupportedFeatureError``
naming it, a misuse raises ``SQLError``.
"""

from __future__ import annotations

from typing import Any

from ferrule.errors import SQLError, UnsupportedFeatureError
from ferrule.sql._compile.base import strip
from ferrule.sql.compiler import _Compiler
from ferrule.sql.ddl import (
    UNSET,
    AlterTable,
    Check,
    ColumnDef,
    Constraint,
    CreateIndex,
    CreateTable,
    DDLStatement,
    DropIndex,
    DropTable,
    ExprDefault,
    ForeignKey,
    PrimaryKey,
    Unique,
)
from ferrule.sql.dialects import DIALECTS, Dialect
from ferrule.sql.dialects.ddl import DDL_FACTS, DDLFacts
from ferrule.sql.literals import render_literal
from ferrule.sql.type_checks import long_text_check, type_check, type_check_name
from ferrule.sql.types import LogicalType, column_type

__all__ = ["compile_ddl"]

Node = tuple[Any, ...]


class _LiteralCompiler(_Compiler):
    """The query compiler's expression writer, with values written as literals."""

    def __init__(self, dialect: Dialect, values: list[Any]) -> None:
        super().__init__(dialect)
        self.values = values
        self.unqualified = True

    def param(self, index: int) -> None:
        self.lit(render_literal(self.values[index], self.d.name))


def compile_ddl(statement: DDLStatement, dialect: str) -> list[str]:
    """The SQL statements ``statement`` needs on ``dialect``, in order."""
    d = DIALECTS.get(dialect)
    if d is None:
        raise SQLError(f"unknown dialect {dialect!r}: expected sqlite, postgres, mysql or mssql")
    w = _Writer(d, DDL_FACTS[dialect])
    if isinstance(statement, CreateTable):
        w.create_table(statement)
    elif isinstance(statement, DropTable):
        w.drop_table(statement)
    elif isinstance(statement, CreateIndex):
        w.create_index(statement)
    elif isinstance(statement, DropIndex):
        w.drop_index(statement)
    elif isinstance(statement, AlterTable):
        w.alter_table(statement)
    else:
        raise SQLError(f"not a DDL statement: {statement!r}")
    return w.done


class _Writer:
    def __init__(self, dialect: Dialect, facts: DDLFacts) -> None:
        self.d = dialect
        self.f = facts
        self.name = dialect.name
        self.done: list[str] = []

    # --- pieces ----------------------------------------------------------------------------------

    def unsupported(self, feature: str) -> UnsupportedFeatureError:
        return UnsupportedFeatureError(self.name, feature)

    def text(self, sql: str) -> str:
        """Fixed SQL text: ``%`` doubled for format-style drivers, like the query compiler."""
        return sql.replace("%", "%%") if self.d.percent_escape else sql

    def q(self, name: str) -> str:
        """A quoted identifier, by the query compiler's own rule (and its checks)."""
        c = _LiteralCompiler(self.d, [])
        c.ident(name)
        return "".join(c.out)

    def qt(self, name: str, schema: str | None) -> str:
        return self.q(name) if schema is None else f"{self.q(schema)}.{self.q(name)}"

    def qs(self, names: tuple[str, ...]) -> str:
        return ", ".join(self.q(n) for n in names)

    def literal(self, value: Any) -> str:
        return self.text(render_literal(value, self.name))

    def expr(self, node: Node) -> str:
        values: list[Any] = []
        shape = strip(node, values)
        c = _LiteralCompiler(self.d, values)
        c.expr(shape)
        return "".join(c.out)

    def raw_name(self, *parts: str | None) -> str:
        """Quoted object name parts as one string literal (SQL Server's OBJECT_ID, sp_rename)."""
        open_, close = self.d.quote
        quoted = [open_ + p.replace(close, close + close) + close for p in parts if p is not None]
        return self.literal(".".join(quoted))

    def sql_comment(self, text: str) -> str:
        if "*/" in text or "\x00" in text:
            raise SQLError("a comment on SQLite cannot contain '*/' or NUL (it is kept as /* */)")
        return self.text(f"/* {text} */")

    def default(self, value: Any, lt: LogicalType | None) -> str:
        if isinstance(value, ExprDefault):
            return f"({self.expr(value.node)})"
        if lt is not None and lt.name in self.f.paren_default and value is not None:
            return f"({self.literal(value)})"
        return self.literal(value)

    def df_name(self, table: str, column: str) -> str:
        return f"DF_{table}_{column}"

    # --- columns and constraints -----------------------------------------------------------------

    def column(self, col: ColumnDef, table: str, inline_pk: bool) -> str:
        f = self.f
        ct = column_type(col.type, self.name)
        type_sql = ct.sql
        if col.identity and f.identity == "autoincrement":
            if not inline_pk:
                raise self.unsupported("identity column that is not the whole primary key")
            type_sql = "INTEGER"  # the rowid: 64-bit whatever the logical size
        out = [f"{self.q(col.name)} {type_sql}"]
        if col.collation is not None:
            out.append(f" COLLATE {self.q(col.collation)}")
        if col.identity and f.identity == "identity":
            out.append(" GENERATED BY DEFAULT AS IDENTITY")
        elif col.identity and f.identity == "mssql":
            out.append(" IDENTITY(1,1)")
        out.append(" NULL" if col.nullable else " NOT NULL")
        if col.default is not UNSET:
            if f.default_constraints:
                out.append(f" CONSTRAINT {self.q(self.df_name(table, col.name))}")
            out.append(" DEFAULT " + self.default(col.default, col.type))
        if col.identity and f.identity == "auto_increment":
            out.append(" AUTO_INCREMENT")
        if inline_pk:
            out.append(" PRIMARY KEY")
            if col.identity and f.identity == "autoincrement":
                out.append(" AUTOINCREMENT")
        if col.unique:
            out.append(" UNIQUE")
        if col.type.values:
            in_list = (
                "in",
                ("col", None, col.name),
                tuple((..., v) for v in col.type.values),
                False,
            )
            out.append(f" CHECK ({self.expr(in_list)})")
        elif f.type_checks and not col.identity:
            condition = type_check(self.q(col.name), col.type)
            if condition is not None:
                out.append(f" CONSTRAINT {self.q(type_check_name(col.name))} CHECK ({condition})")
        if col.comment is not None:
            if f.comments == "inline":
                out.append(" COMMENT " + self.literal(col.comment))
            elif f.comments == "sql_comment":
                out.append(" " + self.sql_comment(col.comment))
        return "".join(out)

    def constraint(self, c: Constraint) -> str:
        head = "" if c.name is None else f"CONSTRAINT {self.q(c.name)} "
        if isinstance(c, PrimaryKey):
            return f"{head}PRIMARY KEY ({self.qs(c.columns)})"
        if isinstance(c, Unique):
            return f"{head}UNIQUE ({self.qs(c.columns)})"
        if isinstance(c, Check):
            return f"{head}CHECK ({self.expr(c.condition)})"
        if isinstance(c, ForeignKey):
            out = f"{head}FOREIGN KEY ({self.qs(c.columns)}) REFERENCES "
            out += f"{self.qt(c.ref_table, c.ref_schema)} ({self.qs(c.ref_columns)})"
            for clause, action in (("ON DELETE", c.on_delete), ("ON UPDATE", c.on_update)):
                if action is not None:
                    if action not in self.f.fk_actions:
                        raise self.unsupported(f"{clause} {action}")
                    out += f" {clause} {action}"
            return out
        raise SQLError(f"unknown constraint {c!r}")

    def comments(
        self, table: str, schema: str | None, target: str | None, text: str | None
    ) -> None:
        """The statements that set a table (``target`` None) or column comment, if separate."""
        if self.f.comments == "comment_on":
            what = "TABLE " + self.qt(table, schema)
            if target is not None:
                what = f"COLUMN {self.qt(table, schema)}.{self.q(target)}"
            self.done.append(f"COMMENT ON {what} IS {self.literal(text)}")
        elif self.f.comments == "extended_property" and text is not None:
            out = (
                "EXEC sp_addextendedproperty @name = N'MS_Description',"
                f" @value = {self.literal(text)},"
                f" @level0type = N'SCHEMA', @level0name = {self.literal(schema or 'dbo')},"
                f" @level1type = N'TABLE', @level1name = {self.literal(table)}"
            )
            if target is not None:
                out += f", @level2type = N'COLUMN', @level2name = {self.literal(target)}"
            self.done.append(out)

    # --- statements ------------------------------------------------------------------------------

    def create_table(self, s: CreateTable) -> None:
        f = self.f
        head = "CREATE TABLE "
        if s.if_not_exists:
            if f.native_if_not_exists:
                head = "CREATE TABLE IF NOT EXISTS "
            else:
                head = f"IF OBJECT_ID({self.raw_name(s.schema, s.name)}, N'U') IS NULL {head}"
        pk_cols = [c for c in s.columns if c.primary_key]
        inline = pk_cols[0].name if len(pk_cols) == 1 else None
        parts = [self.column(c, s.name, c.name == inline) for c in s.columns]
        if len(pk_cols) > 1:
            parts.append(self.constraint(PrimaryKey(None, tuple(c.name for c in pk_cols))))
        parts.extend(self.constraint(c) for c in s.constraints)
        for col in s.columns:  # MariaDB names a CHECK only beside the columns
            condition = long_text_check(self.q(col.name), col.type, self.name)
            if condition is not None:
                parts.append(f"CONSTRAINT {self.q(type_check_name(col.name))} CHECK ({condition})")
        body = ", ".join(parts)
        if s.comment is not None and f.comments == "sql_comment":
            body = f"{self.sql_comment(s.comment)} {body}"
        tail = f.table_options
        if s.comment is not None and f.comments == "inline":
            tail += " COMMENT=" + self.literal(s.comment)
        self.done.append(f"{head}{self.qt(s.name, s.schema)} ({body}){tail}")
        if s.comment is not None:
            self.comments(s.name, s.schema, None, s.comment)
        for col in s.columns:
            if col.comment is not None:
                self.comments(s.name, s.schema, col.name, col.comment)

    def drop_table(self, s: DropTable) -> None:
        if s.cascade and not self.f.drop_cascade:
            raise self.unsupported("DROP TABLE ... CASCADE")
        exists = "IF EXISTS " if s.if_exists else ""
        cascade = " CASCADE" if s.cascade else ""
        self.done.append(f"DROP TABLE {exists}{self.qt(s.name, s.schema)}{cascade}")

    def index_item(self, item: str | Node) -> str:
        if isinstance(item, str):
            return self.q(item)
        if item[0] == "order":
            _, x, desc, nulls = item
            if nulls is not None and not self.f.index_nulls:
                raise self.unsupported("NULLS FIRST/LAST in an index")
            out = self.q(x) if isinstance(x, str) else self.index_item(x)
            out += "" if desc is None else " DESC" if desc else " ASC"
            return out + ("" if nulls is None else f" NULLS {nulls.upper()}")
        if not self.f.expression_index:
            raise self.unsupported("expression index")
        return f"({self.expr(item)})"

    def online(self, prefix: bool) -> str:
        """CONCURRENTLY (``prefix``, before the name) or the dialect's suffix, or ""."""
        kind = self.f.concurrently
        if prefix:
            return "CONCURRENTLY " if kind == "prefix" else ""
        return {"lock_none": " LOCK=NONE", "online": " WITH (ONLINE = ON)"}.get(kind or "", "")

    def create_index(self, s: CreateIndex) -> None:
        f = self.f
        if s.concurrently and f.concurrently is None:
            raise self.unsupported("CREATE INDEX CONCURRENTLY")
        if s.where is not None and not f.partial_index:
            raise self.unsupported("partial index")
        items = ", ".join(self.index_item(i) for i in s.items)
        head = "CREATE UNIQUE INDEX " if s.unique else "CREATE INDEX "
        if s.concurrently:
            head += self.online(True)
        if s.if_not_exists and f.native_if_not_exists:
            head += "IF NOT EXISTS "
        if self.f.index_schema_on_name:  # SQLite qualifies the index, never the table
            target = f"{self.qt(s.name, s.schema)} ON {self.q(s.table)}"
        else:
            target = f"{self.q(s.name)} ON {self.qt(s.table, s.schema)}"
        out = f"{head}{target} ({items})"
        if s.where is not None:
            out += " WHERE " + self.expr(s.where)
        if s.concurrently:
            out += self.online(False)
        if s.if_not_exists and not f.native_if_not_exists:
            out = (
                f"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {self.literal(s.name)}"
                f" AND object_id = OBJECT_ID({self.raw_name(s.schema, s.table)})) {out}"
            )
        self.done.append(out)

    def drop_index(self, s: DropIndex) -> None:
        f = self.f
        if s.concurrently and f.concurrently is None:
            raise self.unsupported("DROP INDEX CONCURRENTLY")
        head = "DROP INDEX " + (self.online(True) if s.concurrently else "")
        head += "IF EXISTS " if s.if_exists else ""
        if f.drop_index_on_table:
            if s.table is None:
                raise SQLError(
                    f"DROP INDEX on {self.name} needs the table: drop_index(name, table)"
                )
            out = f"{head}{self.q(s.name)} ON {self.qt(s.table, s.schema)}"
        else:
            out = head + self.qt(s.name, s.schema)
        self.done.append(out + (self.online(False) if s.concurrently else ""))

    def alter_table(self, s: AlterTable) -> None:
        if not s.ops:
            raise SQLError("alter_table needs at least one operation")
        for op in s.ops:
            getattr(self, "alter_" + op[0])(s, *op[1:])

    def alter_head(self, s: AlterTable) -> str:
        return f"ALTER TABLE {self.qt(s.name, s.schema)} "

    def alter_add_column(self, s: AlterTable, col: ColumnDef, if_not_exists: bool) -> None:
        f = self.f
        if if_not_exists and not f.add_column_if_not_exists:
            raise self.unsupported("ADD COLUMN IF NOT EXISTS")
        if self.f.add_column_limited:  # SQLite's ADD COLUMN rules
            if col.primary_key:
                raise self.unsupported("ADD COLUMN with PRIMARY KEY")
            if col.unique:
                raise self.unsupported("ADD COLUMN with UNIQUE")
            if isinstance(col.default, ExprDefault):
                raise self.unsupported("ADD COLUMN with an expression default")
            if not col.nullable and (col.default is UNSET or col.default is None):
                raise self.unsupported("ADD COLUMN NOT NULL without a default")
        exists = "IF NOT EXISTS " if if_not_exists else ""
        definition = self.column(col, s.name, col.primary_key)
        self.done.append(f"{self.alter_head(s)}{f.add_keyword} {exists}{definition}")
        if col.comment is not None:
            self.comments(s.name, s.schema, col.name, col.comment)

    def alter_drop_column(self, s: AlterTable, name: str, if_exists: bool) -> None:
        if if_exists and not self.f.drop_column_if_exists:
            raise self.unsupported("DROP COLUMN IF EXISTS")
        if self.f.default_constraints:  # its default constraint would block the drop
            df = self.q(self.df_name(s.name, name))
            self.done.append(f"{self.alter_head(s)}DROP CONSTRAINT IF EXISTS {df}")
        exists = "IF EXISTS " if if_exists else ""
        self.done.append(f"{self.alter_head(s)}DROP COLUMN {exists}{self.q(name)}")

    def alter_rename_column(self, s: AlterTable, old: str, new: str) -> None:
        if self.f.sp_rename:
            whole = self.raw_name(s.schema, s.name, old)
            self.done.append(f"EXEC sp_rename {whole}, {self.literal(new)}, N'COLUMN'")
            return
        self.done.append(f"{self.alter_head(s)}RENAME COLUMN {self.q(old)} TO {self.q(new)}")

    def alter_rename(self, s: AlterTable, new: str) -> None:
        if self.f.sp_rename:
            whole = self.raw_name(s.schema, s.name)
            self.done.append(f"EXEC sp_rename {whole}, {self.literal(new)}")
            return
        self.done.append(f"{self.alter_head(s)}RENAME TO {self.q(new)}")

    def alter_alter_column(self, s: AlterTable, name: str, changes: tuple[Any, ...]) -> None:
        lt, nullable, default, drop_default, comment = changes
        mode = self.f.alter_column
        if mode is None:
            feature = (
                "ALTER COLUMN TYPE" if lt is not None
                else "ALTER COLUMN NULL/NOT NULL" if nullable is not None
                else "ALTER COLUMN DEFAULT" if default is not UNSET or drop_default
                else "ALTER COLUMN COMMENT"
            )  # fmt: skip
            raise self.unsupported(feature)
        head, col = self.alter_head(s), self.q(name)
        if mode == "alter":
            clauses = []
            if lt is not None:
                clauses.append(f"ALTER COLUMN {col} TYPE {column_type(lt, self.name).sql}")
            if nullable is not None:
                clauses.append(f"ALTER COLUMN {col} {'DROP' if nullable else 'SET'} NOT NULL")
            if default is not UNSET:
                clauses.append(f"ALTER COLUMN {col} SET DEFAULT {self.default(default, lt)}")
            if drop_default:
                clauses.append(f"ALTER COLUMN {col} DROP DEFAULT")
            if clauses:
                self.done.append(head + ", ".join(clauses))
            if comment is not UNSET:
                self.comments(s.name, s.schema, name, comment)
            return
        restate = lt is not None or nullable is not None
        if restate and (lt is None or nullable is None):
            raise SQLError(
                f"{self.name} changes a column's type and nullability together:"
                " give both type= and nullable="
            )
        if mode == "modify":
            if restate:
                if (default is UNSET and not drop_default) or comment is UNSET:
                    raise SQLError(
                        "MySQL restates the whole column (MODIFY COLUMN): also give default="
                        " (or drop_default=True) and comment= (None for none), or they are lost"
                    )
                out = f"{head}MODIFY COLUMN {col} {column_type(lt, self.name).sql}"
                out += " NULL" if nullable else " NOT NULL"
                if default is not UNSET:
                    out += " DEFAULT " + self.default(default, lt)
                if comment is not None:
                    out += " COMMENT " + self.literal(comment)
                self.done.append(out)
                return
            if comment is not UNSET:
                raise SQLError("MySQL changes a comment only by restating the column: give type=,"
                               " nullable=, default= and comment= together")  # fmt: skip
            if default is not UNSET:
                self.done.append(
                    f"{head}ALTER COLUMN {col} SET DEFAULT {self.default(default, lt)}"
                )
            else:
                self.done.append(f"{head}ALTER COLUMN {col} DROP DEFAULT")
            return
        # SQL Server: ALTER COLUMN restates type and nullability; the default is a constraint.
        if comment is not UNSET:
            raise self.unsupported("ALTER COLUMN COMMENT")
        if restate:
            null = "NULL" if nullable else "NOT NULL"
            self.done.append(f"{head}ALTER COLUMN {col} {column_type(lt, self.name).sql} {null}")
        if default is not UNSET or drop_default:
            df = self.q(self.df_name(s.name, name))
            self.done.append(f"{head}DROP CONSTRAINT IF EXISTS {df}")
        if default is not UNSET:
            value = self.default(default, lt)
            self.done.append(f"{head}ADD CONSTRAINT {df} DEFAULT {value} FOR {col}")

    def alter_add_constraint(self, s: AlterTable, c: Constraint) -> None:
        if not self.f.constraints_in_alter:
            raise self.unsupported("ADD CONSTRAINT")
        self.done.append(f"{self.alter_head(s)}ADD {self.constraint(c)}")

    def alter_drop_constraint(
        self, s: AlterTable, name: str, kind: str | None, if_exists: bool
    ) -> None:
        if not self.f.constraints_in_alter:
            raise self.unsupported("DROP CONSTRAINT")
        exists = "IF EXISTS " if if_exists else ""
        clause = f"DROP CONSTRAINT {exists}{self.q(name)}"
        if self.f.drop_constraint_by_kind:
            if kind is None:
                raise SQLError(
                    "MySQL drops a constraint by kind: drop_constraint(name, kind=...) with"
                    " primary_key, unique, foreign_key or check"
                )
            if kind == "primary_key":
                clause = "DROP PRIMARY KEY"
            elif kind == "unique":
                clause = f"DROP INDEX {exists}{self.q(name)}"
            elif kind == "foreign_key":
                clause = f"DROP FOREIGN KEY {exists}{self.q(name)}"
        self.done.append(self.alter_head(s) + clause)
