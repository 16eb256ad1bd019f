"""DDL: CREATE/DROP TABLE, CREATE/DROP INDEX and ALTER TABLE, for the ORM and the migrations.

    users = sql.create_table(
        "users",
        sql.column_def("id", "bigint", primary_key=True, identity=True),
        sql.column_def("email", sql.logical_type("str", length=200), nullable=False, unique=True),
        sql.column_def("created", "datetime_tz", default=sql.raw("CURRENT_TIMESTAMP")),
        sql.check(sql.column("email") != "", name="users_email_set"),
        comment="people who can log in",
    )
    for text, params in users.statements("postgres"):   # CREATE TABLE, then COMMENT ON ...
        await db.execute(text, params)

DDL compiles in Python only: it runs once per migration or application start, never per row, so
by the boundary rule (STYLE.md, rules 1 and 5) it has no native twin, and ``FERRULE_PURE_PYTHON``
changes nothing here. A statement may need several SQL statements on one dialect (PostgreSQL
comments): ``statements(dialect)`` returns them all as ``(sql, params)`` pairs; ``compile(dialect)``
returns the one statement, or raises ``SQLError`` when there are several. ``params`` is always
empty (servers take no parameters in DDL: values are written as literals by ``sql.literals``),
and MySQL text has every ``%`` doubled like any other MySQL text: pass the empty list on.

Identifiers are always quoted; expressions (CHECK, expression defaults, index expressions and
WHERE) are any ``sql`` expression, written with their columns unqualified and their values as
literals. Column types are logical (``sql.types``). What each dialect refuses or emulates is the
table in ``sql.dialects.ddl``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from ferrule.errors import SQLError
from ferrule.sql.nodes import Column, Expr, Table, _ident, expr_node
from ferrule.sql.types import LogicalType, logical_type

__all__ = [
    "UNSET",
    "AlterTable",
    "Check",
    "ColumnDef",
    "Constraint",
    "CreateIndex",
    "CreateTable",
    "DDLStatement",
    "DropIndex",
    "DropTable",
    "ExprDefault",
    "ForeignKey",
    "PrimaryKey",
    "Unique",
    "alter_table",
    "check",
    "column_def",
    "create_index",
    "create_table",
    "drop_index",
    "drop_table",
    "foreign_key",
    "primary_key",
    "unique",
]

Node: TypeAlias = tuple[Any, ...]


class _Unset:
    """The marker for "not given" where ``None`` is a value (``default=None`` is DEFAULT NULL)."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

_ACTIONS = {
    "cascade": "CASCADE",
    "restrict": "RESTRICT",
    "set null": "SET NULL",
    "set default": "SET DEFAULT",
    "no action": "NO ACTION",
}


def _name(value: object, what: str) -> str:
    name = _ident(value, what)
    if "\x00" in name:
        raise SQLError(f"{what} cannot contain NUL: {name!r}")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise SQLError(f"{what} cannot contain a lone surrogate: {name!r}") from None
    return name


def _opt_name(value: object, what: str) -> str | None:
    return None if value is None else _name(value, what)


def _comment(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SQLError(f"a comment must be a string, got {value!r}")
    return value


def _columns(items: str | Column | Iterable[str | Column], what: str) -> tuple[str, ...]:
    if isinstance(items, (str, Column)):
        items = (items,)
    elif not isinstance(items, Iterable):
        raise SQLError(f"{what} takes column names, got {items!r}")
    names = tuple(
        item.name if isinstance(item, Column) else _name(item, "column name") for item in items
    )
    if not names:
        raise SQLError(f"{what} needs at least one column")
    return names


def _expr(value: Any, what: str) -> Node:
    if not isinstance(value, Expr):
        raise SQLError(
            f"{what} takes an SQL expression (sql.column(...) >= 0, sql.raw(...)), got {value!r}"
        )
    return expr_node(value)


def _check_columns(node: Any, known: set[str]) -> None:
    """Every column a CHECK names is a column of the table (SQLite would otherwise read an
    unknown double-quoted name as a string literal and keep a constraint that tests nothing)."""
    if isinstance(node, tuple) and len(node) > 0:
        if node[0].__class__ is str and node[0] == "col" and len(node) == 3:
            if node[2] not in known:
                raise SQLError(f"create_table: a CHECK names unknown column {node[2]!r}")
            return
        if node[0] is ...:
            return
        for item in node:
            _check_columns(item, known)


def _target(table: str | Table, schema: str | None) -> tuple[str, str | None]:
    """(name, schema) of a table given by name or as a ``sql.table``."""
    if isinstance(table, Table):
        if schema is not None and schema != table.schema:
            raise SQLError("give the schema in sql.table(...) or here, not both")
        return table.name, table.schema
    return _name(table, "table name"), _opt_name(schema, "schema")


# --- columns and constraints -------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDef:
    """One column of CREATE TABLE / ADD COLUMN. ``default`` is a value (written as a literal),
    an SQL expression, or ``UNSET`` for none; ``identity`` is an auto-incrementing integer."""

    name: str
    type: LogicalType
    nullable: bool = True
    default: Any = UNSET
    primary_key: bool = False
    identity: bool = False
    unique: bool = False
    comment: str | None = None
    #: the column's collation (``COLLATE "C"``), or None for the table's default
    collation: str | None = None


@dataclass(frozen=True)
class ExprDefault:
    """A default that is an SQL expression (written ``DEFAULT (expr)``), not a value."""

    node: Node


def _default(value: Any) -> Any:
    """A default as stored: UNSET, an ``ExprDefault``, or a plain value (checked at compile)."""
    if isinstance(value, Expr):
        return ExprDefault(expr_node(value))
    return value


def column_def(
    name: str,
    type: str | LogicalType,
    *,
    nullable: bool = True,
    default: Any = UNSET,
    primary_key: bool = False,
    identity: bool = False,
    unique: bool = False,
    comment: str | None = None,
    collation: str | None = None,
) -> ColumnDef:
    """A column: ``column_def("price", logical_type("decimal", precision=10, scale=2))``.
    Primary-key and identity columns are NOT NULL; ``nullable=False`` makes any column so.
    ``collation`` names the column's collation (a text column's: ``"C"``)."""
    if collation is not None and not (
        isinstance(collation, str) and re.fullmatch(r"[A-Za-z0-9_.@-]+", collation)
    ):
        raise SQLError(f"a collation is a plain name, not {collation!r}")
    lt = type if isinstance(type, LogicalType) else logical_type(type)
    if identity:
        if lt.name not in ("int", "bigint", "smallint"):
            raise SQLError(f"an identity column must be int, bigint or smallint, not {lt.name}")
        if default is not UNSET:
            raise SQLError("an identity column takes no default")
    if not isinstance(nullable, bool):
        raise SQLError(f"nullable must be a bool, got {nullable!r}")
    return ColumnDef(
        _name(name, "column name"),
        lt,
        nullable=nullable and not primary_key and not identity,
        default=_default(default),
        primary_key=bool(primary_key),
        identity=bool(identity),
        unique=bool(unique),
        comment=_comment(comment),
        collation=collation,
    )


@dataclass(frozen=True)
class Constraint:
    """A table constraint; ``name`` is optional (the server picks one) but needed to drop it."""

    name: str | None


@dataclass(frozen=True)
class PrimaryKey(Constraint):
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unique(Constraint):
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey(Constraint):
    columns: tuple[str, ...] = ()
    ref_table: str = ""
    ref_schema: str | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(frozen=True)
class Check(Constraint):
    condition: Node = field(default=())


def primary_key(*columns: str | Column, name: str | None = None) -> PrimaryKey:
    """A (composite) primary key: ``primary_key("order_id", "line")``."""
    return PrimaryKey(_opt_name(name, "constraint name"), _columns(columns, "primary_key"))


def unique(*columns: str | Column, name: str | None = None) -> Unique:
    return Unique(_opt_name(name, "constraint name"), _columns(columns, "unique"))


def _action(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    key = value.strip().lower().replace("_", " ") if isinstance(value, str) else None
    if key not in _ACTIONS:
        raise SQLError(f"{what} must be one of {', '.join(_ACTIONS)}, got {value!r}")
    return _ACTIONS[key]


def foreign_key(
    columns: str | Column | Iterable[str | Column],
    ref_table: str | Table,
    ref_columns: str | Column | Iterable[str | Column],
    *,
    on_delete: str | None = None,
    on_update: str | None = None,
    name: str | None = None,
) -> ForeignKey:
    """``foreign_key("user_id", "users", "id", on_delete="cascade")``; actions are cascade,
    restrict, set null, set default or no action."""
    cols = _columns(columns, "foreign_key")
    refs = _columns(ref_columns, "foreign_key")
    if len(cols) != len(refs):
        raise SQLError("a foreign key needs as many referenced columns as columns")
    ref_name, ref_schema = _target(ref_table, None)
    return ForeignKey(
        _opt_name(name, "constraint name"),
        cols,
        ref_name,
        ref_schema,
        refs,
        _action(on_delete, "on_delete"),
        _action(on_update, "on_update"),
    )


def check(condition: Expr, *, name: str | None = None) -> Check:
    """``check(sql.column("qty") > 0, name="qty_positive")``."""
    return Check(_opt_name(name, "constraint name"), _expr(condition, "check()"))


# --- statements --------------------------------------------------------------------------------


class DDLStatement:
    """Base of the DDL statements: ``statements(dialect)`` and ``compile(dialect)``."""

    __slots__ = ()

    def statements(self, dialect: str) -> list[tuple[str, list[Any]]]:
        """Every SQL statement this needs on ``dialect``, in order, as ``(sql, params)``."""
        from ferrule.sql.ddl_compiler import compile_ddl

        return [(text, []) for text in compile_ddl(self, dialect)]

    def compile(self, dialect: str) -> tuple[str, list[Any]]:
        """The one SQL statement; ``SQLError`` if ``dialect`` needs several (use statements)."""
        out = self.statements(dialect)
        if len(out) != 1:
            raise SQLError(
                f"{type(self).__name__} is {len(out)} statements on {dialect}:"
                " run each of .statements(dialect)"
            )
        return out[0]

    def __repr__(self) -> str:
        try:
            shown = "; ".join(text for text, _ in self.statements("postgres"))
        except SQLError as exc:
            return f"<{type(self).__name__} ({exc})>"
        return f"<{type(self).__name__} {shown!r}>"


@dataclass(frozen=True, repr=False)
class CreateTable(DDLStatement):
    name: str
    schema: str | None
    columns: tuple[ColumnDef, ...]
    constraints: tuple[Constraint, ...]
    if_not_exists: bool = False
    comment: str | None = None

    @property
    def table(self) -> Table:
        """The table as a ``sql.table`` for queries."""
        return Table(self.name, *(c.name for c in self.columns), schema=self.schema)


def create_table(
    name: str | Table,
    *elements: ColumnDef | Constraint,
    schema: str | None = None,
    if_not_exists: bool = False,
    comment: str | None = None,
) -> CreateTable:
    """CREATE TABLE with columns (``column_def``) and constraints (``primary_key``, ``unique``,
    ``foreign_key``, ``check``), in any order."""
    table, schema = _target(name, schema)
    columns = tuple(e for e in elements if isinstance(e, ColumnDef))
    constraints = tuple(e for e in elements if isinstance(e, Constraint))
    if len(columns) + len(constraints) != len(elements):
        bad = next(e for e in elements if not isinstance(e, (ColumnDef, Constraint)))
        raise SQLError(f"create_table takes column_def(...) and constraints, got {bad!r}")
    if not columns:
        raise SQLError("create_table needs at least one column")
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise SQLError(f"create_table: a column name is repeated in {names}")
    pks = [c for c in constraints if isinstance(c, PrimaryKey)]
    if len(pks) + any(c.primary_key for c in columns) > 1:
        raise SQLError("create_table: more than one primary key")
    known = set(names)
    for c in constraints:
        local = c.columns if isinstance(c, (PrimaryKey, Unique, ForeignKey)) else ()
        missing = [n for n in local if n not in known]
        if missing:
            raise SQLError(f"create_table: constraint on unknown column {missing[0]!r}")
        if isinstance(c, Check):
            _check_columns(c.condition, known)
    for c in pks:
        # Primary-key columns are NOT NULL on every server (SQLite would allow NULL otherwise).
        columns = tuple(replace(col, nullable=False) if col.name in c.columns else col
                        for col in columns)  # fmt: skip
    return CreateTable(table, schema, columns, constraints, bool(if_not_exists), _comment(comment))


@dataclass(frozen=True, repr=False)
class DropTable(DDLStatement):
    name: str
    schema: str | None
    if_exists: bool = False
    cascade: bool = False


def drop_table(
    name: str | Table, *, schema: str | None = None, if_exists: bool = False, cascade: bool = False
) -> DropTable:
    table, schema = _target(name, schema)
    return DropTable(table, schema, bool(if_exists), bool(cascade))


@dataclass(frozen=True, repr=False)
class CreateIndex(DDLStatement):
    name: str
    table: str
    schema: str | None
    #: column names (str), or expression nodes (a tuple; ("order", x, desc, nulls) for ASC/DESC)
    items: tuple[str | Node, ...]
    unique: bool = False
    where: Node | None = None
    if_not_exists: bool = False
    concurrently: bool = False


def _index_item(item: Any) -> str | Node:
    if isinstance(item, Column):
        return item.name
    if isinstance(item, str):
        return _name(item, "column name")
    node = _expr(item, "create_index")
    if node[0] == "order" and node[1][0] == "col":
        return ("order", node[1][2], node[2], node[3])
    return node


def create_index(
    name: str,
    table: str | Table,
    *items: str | Expr,
    schema: str | None = None,
    unique: bool = False,
    where: Expr | None = None,
    if_not_exists: bool = False,
    concurrently: bool = False,
) -> CreateIndex:
    """CREATE [UNIQUE] INDEX on columns (names, ``t.c.x``, ``t.c.x.desc()``) or expressions
    (``sql.func.lower(t.c.email)``); ``where`` makes it partial."""
    tname, tschema = _target(table, schema)
    if not items:
        raise SQLError("create_index needs at least one column or expression")
    return CreateIndex(
        _name(name, "index name"),
        tname,
        tschema,
        tuple(_index_item(i) for i in items),
        bool(unique),
        None if where is None else _expr(where, "create_index(where=...)"),
        bool(if_not_exists),
        bool(concurrently),
    )


@dataclass(frozen=True, repr=False)
class DropIndex(DDLStatement):
    name: str
    table: str | None
    schema: str | None
    if_exists: bool = False
    concurrently: bool = False


def drop_index(
    name: str,
    table: str | Table | None = None,
    *,
    schema: str | None = None,
    if_exists: bool = False,
    concurrently: bool = False,
) -> DropIndex:
    """DROP INDEX; MySQL and SQL Server need the ``table`` it is on."""
    if table is None:
        tname, tschema = None, _opt_name(schema, "schema")
    else:
        tname, tschema = _target(table, schema)
    return DropIndex(_name(name, "index name"), tname, tschema, bool(if_exists), bool(concurrently))


@dataclass(frozen=True, repr=False)
class AlterTable(DDLStatement):
    """ALTER TABLE as a list of operations, one SQL statement each (the portable form)."""

    name: str
    schema: str | None
    ops: tuple[tuple[Any, ...], ...] = ()

    def _then(self, *op: Any) -> AlterTable:
        return replace(self, ops=(*self.ops, op))

    def add_column(self, column: ColumnDef, *, if_not_exists: bool = False) -> AlterTable:
        if not isinstance(column, ColumnDef):
            raise SQLError(f"add_column takes a column_def(...), got {column!r}")
        return self._then("add_column", column, bool(if_not_exists))

    def drop_column(self, name: str, *, if_exists: bool = False) -> AlterTable:
        return self._then("drop_column", _name(name, "column name"), bool(if_exists))

    def rename_column(self, old: str, new: str) -> AlterTable:
        return self._then("rename_column", _name(old, "column name"), _name(new, "column name"))

    def rename_to(self, new: str) -> AlterTable:
        return self._then("rename", _name(new, "table name"))

    def alter_column(
        self,
        name: str,
        *,
        type: str | LogicalType | None = None,
        nullable: bool | None = None,
        default: Any = UNSET,
        drop_default: bool = False,
        comment: Any = UNSET,
    ) -> AlterTable:
        """Change a column's type, nullability or default (``drop_default=True`` removes it).
        MySQL and SQL Server restate the column to change type or nullability: give both (and,
        on MySQL, the default or ``drop_default`` and the ``comment``, ``None`` for none)."""
        lt = None if type is None else type if isinstance(type, LogicalType) else logical_type(type)
        if lt is not None and lt.name == "enum":
            raise SQLError(
                "alter_column to an enum: change the type to str and add_constraint its check"
            )
        if nullable is not None and not isinstance(nullable, bool):
            raise SQLError(f"nullable must be a bool, got {nullable!r}")
        if drop_default and default is not UNSET:
            raise SQLError("give default=... or drop_default=True, not both")
        changes = (lt, nullable, _default(default), bool(drop_default), comment)
        if (
            lt is None
            and nullable is None
            and default is UNSET
            and not drop_default
            and comment is UNSET
        ):
            raise SQLError("alter_column needs a change: type, nullable, default or comment")
        if comment is not UNSET:
            _comment(comment)
        return self._then("alter_column", _name(name, "column name"), changes)

    def add_constraint(self, constraint: Constraint) -> AlterTable:
        if not isinstance(constraint, Constraint):
            raise SQLError(f"add_constraint takes a constraint, got {constraint!r}")
        return self._then("add_constraint", constraint)

    def drop_constraint(
        self, name: str | Constraint, *, kind: str | None = None, if_exists: bool = False
    ) -> AlterTable:
        """Drop a named constraint; MySQL needs its ``kind`` (primary_key, unique, foreign_key,
        check), which a constraint object passed instead of the name carries."""
        if isinstance(name, Constraint):
            kind = {PrimaryKey: "primary_key", Unique: "unique", ForeignKey: "foreign_key",
                    Check: "check"}[type(name)]  # fmt: skip
            if name.name is None:
                raise SQLError("drop_constraint needs a named constraint")
            name = name.name
        if kind is not None and kind not in ("primary_key", "unique", "foreign_key", "check"):
            raise SQLError(f"kind must be primary_key, unique, foreign_key or check, got {kind!r}")
        return self._then("drop_constraint", _name(name, "constraint name"), kind, bool(if_exists))


def alter_table(name: str | Table, *, schema: str | None = None) -> AlterTable:
    """``alter_table("users").add_column(column_def("age", "int")).drop_column("nick")``."""
    table, schema = _target(name, schema)
    return AlterTable(table, schema)
