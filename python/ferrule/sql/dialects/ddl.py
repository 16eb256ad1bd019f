"""DDL facts per dialect, kept apart from the query facts (``base.Dialect``): DDL compiles in
Python only (``sql.ddl_compiler``), so the native core has no copy of this table to keep equal.

What each dialect does with the DDL constructs (``UnsupportedFeatureError`` where it says no):

==========================  =============  ===========  ==============  ======================
construct                   sqlite         postgres     mysql           mssql
==========================  =============  ===========  ==============  ======================
identity column             AUTOINCREMENT  IDENTITY     AUTO_INCREMENT  IDENTITY(1,1)
table / column comment      /* in DDL */   COMMENT ON   COMMENT '...'   sp_addextendedproperty
CREATE TABLE IF NOT EXISTS  native         native       native          IF OBJECT_ID(...)
CREATE INDEX IF NOT EXISTS  native         native       native (1)      IF NOT EXISTS (...)
expression index            yes            yes          no (2)          no
partial index (WHERE)       yes            yes          no              yes (filtered)
concurrently                no             CONCURRENTLY LOCK=NONE       WITH (ONLINE = ON)
DROP TABLE ... CASCADE      no             yes          no              no
ADD/DROP COLUMN IF [NOT]    no             yes          yes (1)         DROP only
  EXISTS
ALTER COLUMN type/null      no (3)         ALTER        MODIFY (4)      ALTER (type + null)
ALTER COLUMN default        no (3)         ALTER        ALTER           named DF_ constraint
ADD/DROP CONSTRAINT         no (3)         yes          yes (5)         yes
ON DELETE/UPDATE actions    all            all          no SET DEFAULT  no RESTRICT
==========================  =============  ===========  ==============  ======================

(1) MariaDB syntax; MySQL 8 rejects it (a server error, not a silent change). (2) MariaDB has no
functional key parts. (3) SQLite cannot alter a column or constraint in place; the table-rebuild
recipe needs the whole current table and belongs to the migrations. (4) ``MODIFY COLUMN`` restates
the whole column, so type and nullability change together and the default and comment must be
stated (or they are lost): the compiler refuses a partial statement. (5) by kind: ``DROP FOREIGN
KEY``, ``DROP INDEX`` (unique), ``DROP PRIMARY KEY``, ``DROP CONSTRAINT`` (check).

SQLite keeps comments as ``/* ... */`` inside the stored ``CREATE TABLE`` text (``sqlite_schema``
keeps it verbatim), so they are neither dropped nor an error; a comment containing ``*/`` is
refused. On SQL Server, comments are ``MS_Description`` extended properties (schema ``dbo`` unless
the table names one), and column defaults are constraints named ``DF_<table>_<column>`` so that
ALTER can replace them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DDLFacts:
    name: str
    #: identity columns: "autoincrement", "identity", "auto_increment" or "mssql"
    identity: str
    #: comments: "sql_comment", "comment_on", "inline" or "extended_property"
    comments: str
    #: "IF NOT EXISTS" spelled natively on CREATE TABLE / CREATE INDEX (else emulated)
    native_if_not_exists: bool = True
    expression_index: bool = True
    partial_index: bool = True
    #: how "concurrently" is written: "prefix" (CONCURRENTLY), "lock_none", "online" or None
    concurrently: str | None = None
    #: DROP INDEX names its table (``DROP INDEX i ON t``)
    drop_index_on_table: bool = False
    drop_cascade: bool = False
    add_column_if_not_exists: bool = True
    drop_column_if_exists: bool = True
    #: ALTER COLUMN type/nullability: "alter" (PostgreSQL), "modify" (MySQL), "alter_full"
    #: (SQL Server: type and nullability in one clause) or None (cannot)
    alter_column: str | None = "alter"
    constraints_in_alter: bool = True
    #: DROP CONSTRAINT needs the kind (MySQL)
    drop_constraint_by_kind: bool = False
    #: ADD COLUMN is spelled ADD (SQL Server)
    add_keyword: str = "ADD COLUMN"
    #: RENAME COLUMN/TABLE via sp_rename (SQL Server)
    sp_rename: bool = False
    fk_actions: frozenset[str] = frozenset(
        {"CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION"}
    )
    #: logical types whose literal DEFAULT must be written as an expression, ``DEFAULT ('x')``
    paren_default: frozenset[str] = frozenset()
    #: written after the closing parenthesis of CREATE TABLE
    table_options: str = ""
    #: column defaults are named constraints ``DF_<table>_<column>`` (SQL Server)
    default_constraints: bool = False


DDL_FACTS: dict[str, DDLFacts] = {
    "sqlite": DDLFacts(
        name="sqlite",
        identity="autoincrement",
        comments="sql_comment",
        drop_column_if_exists=False,
        add_column_if_not_exists=False,
        alter_column=None,
        constraints_in_alter=False,
    ),
    "postgres": DDLFacts(
        name="postgres",
        identity="identity",
        comments="comment_on",
        concurrently="prefix",
        drop_cascade=True,
    ),
    "mysql": DDLFacts(
        name="mysql",
        identity="auto_increment",
        comments="inline",
        expression_index=False,
        partial_index=False,
        concurrently="lock_none",
        drop_index_on_table=True,
        alter_column="modify",
        drop_constraint_by_kind=True,
        fk_actions=frozenset({"CASCADE", "RESTRICT", "SET NULL", "NO ACTION"}),
        paren_default=frozenset({"text", "bytes", "json"}),
        table_options=" DEFAULT CHARSET=utf8mb4",
    ),
    "mssql": DDLFacts(
        name="mssql",
        identity="mssql",
        comments="extended_property",
        native_if_not_exists=False,
        expression_index=False,
        concurrently="online",
        drop_index_on_table=True,
        add_column_if_not_exists=False,
        alter_column="alter_full",
        add_keyword="ADD",
        sp_rename=True,
        default_constraints=True,
        fk_actions=frozenset({"CASCADE", "SET NULL", "SET DEFAULT", "NO ACTION"}),
    ),
}
