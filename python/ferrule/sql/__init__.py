"""``ferrule.sql``: an immutable query builder compiled to SQL text + params for four dialects.

    from ferrule import sql
    users = sql.table("users", "id", "name", "age")
    query = sql.select(users.c.id).from_(users).where(users.c.age >= 18).limit(10)
    text, params = query.compile("postgres")   # 'SELECT ... LIMIT $2', [18, 10]

Values are always bound parameters and identifiers are always quoted. A construct a dialect cannot
express raises ``ferrule.errors.UnsupportedFeatureError`` (the table is in ``sql.dialects``).
Where an expression belongs (column lists, WHERE, ON, GROUP BY, ORDER BY, ...) a plain string is
an ``ExpressionError`` (a ``TypeError``), never a bound value: write ``sql.column("name")``,
``sql.text("id > :n", n=1)`` or ``sql.literal("text")``. A name longer than the dialect keeps
exactly (PostgreSQL 63 bytes, MySQL 64 characters, SQL Server 128 UTF-16 units) or with NUL is
an ``IdentifierError`` at compile time: the server would truncate it and two names could collide.

DDL (``create_table``, ``create_index``, ``alter_table``, ``drop_table``, ``drop_index``) lives in
``sql.ddl`` and compiles in Python only; ``sql.types`` maps the logical column types the ORM uses
to each dialect's column type (``column_type("decimal", "postgres", precision=10, scale=2)``).

For backends: the params list is in placeholder order for the driver's style (asyncpg ``$n``,
MySQL drivers ``%s``, sqlite3 and SQL Server ``?``). MySQL text has every literal ``%`` doubled,
so always pass the list to the driver, even when it is empty (a driver given ``None`` sends the
text unformatted: ``p%%`` would name another table; ferrule's own backend formats a statement
without parameters itself). Compiling a query whose shape was compiled before costs one walk of
its tree; the SQL text is cached.
"""

from ferrule.sql.builder import (
    Compound,
    Delete,
    Insert,
    Select,
    Statement,
    Text,
    Update,
    delete,
    except_,
    except_all,
    insert,
    intersect,
    intersect_all,
    select,
    text,
    union,
    union_all,
    update,
)
from ferrule.sql.compiler import compile_node
from ferrule.sql.ddl import (
    UNSET,
    AlterTable,
    ColumnDef,
    Constraint,
    CreateIndex,
    CreateTable,
    DDLStatement,
    DropIndex,
    DropTable,
    alter_table,
    check,
    column_def,
    create_index,
    create_table,
    drop_index,
    drop_table,
    foreign_key,
    primary_key,
    unique,
)
from ferrule.sql.nodes import (
    CTE,
    Column,
    Expr,
    Func,
    Subquery,
    Table,
    and_,
    case,
    cast,
    column,
    excluded,
    exists,
    func,
    like_escape,
    literal,
    not_,
    null,
    or_,
    raw,
    table,
)
from ferrule.sql.types import LOGICAL_TYPES, ColumnType, LogicalType, column_type, logical_type

DIALECT_NAMES = ("sqlite", "postgres", "mysql", "mssql")

__all__ = [
    "CTE",
    "DIALECT_NAMES",
    "LOGICAL_TYPES",
    "UNSET",
    "AlterTable",
    "Column",
    "ColumnDef",
    "ColumnType",
    "Compound",
    "Constraint",
    "CreateIndex",
    "CreateTable",
    "DDLStatement",
    "Delete",
    "DropIndex",
    "DropTable",
    "Expr",
    "Func",
    "Insert",
    "LogicalType",
    "Select",
    "Statement",
    "Subquery",
    "Table",
    "Text",
    "Update",
    "alter_table",
    "and_",
    "case",
    "cast",
    "check",
    "column",
    "column_def",
    "column_type",
    "compile_node",
    "create_index",
    "create_table",
    "delete",
    "drop_index",
    "drop_table",
    "except_",
    "except_all",
    "excluded",
    "exists",
    "foreign_key",
    "func",
    "insert",
    "intersect",
    "intersect_all",
    "like_escape",
    "literal",
    "logical_type",
    "not_",
    "null",
    "or_",
    "primary_key",
    "raw",
    "select",
    "table",
    "text",
    "union",
    "union_all",
    "unique",
    "update",
]
