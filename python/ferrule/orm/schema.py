"""Tables from models: ``await orm.create_tables(Author, Post)`` and ``drop_tables``, in
dependency order, through ``ferrule.sql``'s DDL (the same logical type table the migrations
use). Many-to-many link tables of the given models come along."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from typing import Any

from ferrule import sql
from ferrule.errors import OperationalError, SchemaError
from ferrule.orm.databases import database_for

__all__ = ["create_table_statements", "create_tables", "drop_tables", "ordered"]


def _with_links(models: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for model in models:
        if not (isinstance(model, type) and hasattr(model, "_meta")):
            raise SchemaError(f"create_tables() takes orm.Model classes, not {model!r}")
        if model._meta.abstract:
            raise SchemaError(f"{model.__name__} is abstract: it has no table")
        if model not in out:
            out.append(model)
    for model in list(out):
        for relation in model._meta.relations.values():
            link = relation.through if relation.kind == "m2m" else None
            if isinstance(link, type) and link not in out:
                out.append(link)
    return out


def ordered(models: Iterable[Any]) -> list[Any]:
    """The models (and their link models), each after the models its keys refer to; where
    keys form a cycle (two models referring to each other), the cycle is cut at one model
    (`_cycle_order` says which keys wait)."""
    return _cycle_order(models)[0]


def _cycle_order(models: Iterable[Any]) -> tuple[list[Any], set[tuple[Any, str]]]:
    """``ordered()``'s models, and the foreign keys ``(model, field name)`` that refer to a
    model coming later: the keys of a cycle, made once every table is there (Django's
    deferred constraints)."""
    pending = _with_links(models)
    done: list[Any] = []
    later: set[tuple[Any, str]] = set()

    def waits_for(model: Any) -> list[Any]:
        return [
            r
            for r in model._meta.relations.values()
            if r.kind != "m2m" and r.target is not model and r.target in pending
        ]

    while pending:
        ready = [m for m in pending if not waits_for(m)]
        if not ready:  # a cycle: its first model goes now, its keys to the others wait
            first = pending[0]
            later.update((first, r.name) for r in waits_for(first))
            ready = [first]
        for model in ready:
            pending.remove(model)
            done.append(model)
    return done, later


def _foreign_key(model: Any, column: Any, *, name: str | None = None) -> Any:
    relation = column.relation
    target = relation.target
    if isinstance(target, str):
        raise SchemaError(f"{model._meta.name}.{relation.name}: {target!r} is not defined")
    return sql.foreign_key(
        column.column,
        target._meta.table,
        target._meta.pk.column,
        # PROTECT is the ORM's check (`cascades.refuse_restricted`); in the database, RESTRICT
        on_delete="restrict" if relation.on_delete == "protect" else relation.on_delete,
        name=name,
    )


#: the longest name ferrule gives an index or constraint: PostgreSQL keeps 63 bytes (MySQL
#: and MariaDB 64 characters); one limit, so a model's names are the same on every database
_NAME_BYTES = 63


def object_name(table: str, columns: Iterable[str], suffix: str) -> str:
    """The name of an index or constraint ferrule makes: ``<table>_<columns>_<suffix>``, or,
    when that is longer than every database keeps, as much of it as fits followed by a hash
    of the whole (as Django names them): a model whose own names fit is never refused for
    the name of an index it did not name, and two long names stay apart."""
    name = "_".join((table, *columns, suffix))
    if len(name.encode()) <= _NAME_BYTES:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    tail = f"_{digest}_{suffix}"
    room = _NAME_BYTES - len(tail.encode())
    head = "_".join((table, *columns)).encode()[:room].decode(errors="ignore")
    return head + tail


def _later_name(model: Any, column: Any) -> str:
    """The name of a key made after the tables (so it can be dropped before them)."""
    return object_name(model._meta.table, (column.column,), "fk")


def create_table_statements(
    model: Any,
    *,
    if_not_exists: bool = False,
    dialect: str | None = None,
    without: frozenset[str] = frozenset(),
) -> list[Any]:
    """The ``CREATE TABLE`` and ``CREATE INDEX`` statements of one model. For PostgreSQL
    (``dialect="postgres"``) an indexed nullable column is kept ``NULLS FIRST``, the order
    the ORM asks for (NULL is the smallest value on every database), so the index serves it.
    The foreign keys of the relations named in ``without`` are left out (made later)."""
    meta = model._meta

    def indexed(column: Any) -> Any:
        if dialect == "postgres" and column.nullable:
            return sql.column(column.column).asc("first")
        return column.column

    elements: list[Any] = []
    for column in meta.columns.values():
        elements.append(
            sql.column_def(
                column.column,
                column.logical,
                nullable=column.nullable,
                default=_db_default(column, dialect),
                primary_key=column.primary_key,
                identity=column.identity,
                unique=column.unique and not column.primary_key,
                collation=_collation(column, dialect),
            )
        )
        relation = column.relation
        if relation is not None and relation.name not in without:
            elements.append(_foreign_key(model, column))
        if (
            column.enum is not None
            and column.logical.name == "int"
            and not issubclass(column.enum, enum.Flag)  # Perm.R | Perm.W is a Perm too
        ):
            values = [member.value for member in column.enum]
            # named (PostgreSQL's own name for it): SQLite would give an unnamed CHECK the
            # name of the constraint before it, a column's type check (a DataError)
            name = object_name(meta.table, (column.column,), "check")
            elements.append(sql.check(sql.column(column.column).in_(values), name=name))
    for group in meta.options.unique_together:
        elements.append(sql.unique(*(meta.column(n).column for n in group)))
    statements: list[Any] = [sql.create_table(meta.table, *elements, if_not_exists=if_not_exists)]
    for column in meta.columns.values():
        if column.index and not column.unique and not column.primary_key:
            statements.append(
                sql.create_index(
                    object_name(meta.table, (column.column,), "idx"),
                    meta.table,
                    indexed(column),
                    if_not_exists=if_not_exists,
                )
            )
    for group in meta.options.indexes:
        members = [meta.column(n) for n in group]
        columns = [c.column for c in members]
        statements.append(
            sql.create_index(
                object_name(meta.table, columns, "idx"),
                meta.table,
                *(indexed(c) for c in members),
                if_not_exists=if_not_exists,
            )
        )
    return statements


#: the logical types of text columns
_TEXTS = frozenset({"str", "text", "enum"})


def _collation(column: Any, dialect: str | None) -> str | None:
    """PostgreSQL: ``"C"`` for a text column, so that it is ordered and compared by code
    point, as SQLite's and MariaDB's (``utf8mb4_nopad_bin``) are, whatever the database's
    default collation: a linguistic one (``en_US.UTF-8``, ICU ``en-US``) put ``"a" < "B" <
    "b"``, and ``order_by``, ``__gt``, ``__range`` and ``Min``/``Max`` answered otherwise
    there. Case is still folded by the database's own rules (``orm.lookups``: under ``"C"``
    ``ILIKE`` folds ASCII only)."""
    if dialect == "postgres" and column.logical.name in _TEXTS:
        return "C"
    return None


def _db_default(column: Any, dialect: str | None) -> Any:
    """The column's DEFAULT as the database should hold it. An expression default of an
    aware datetime column (``CURRENT_TIMESTAMP``) is read as PostgreSQL reads a timestamp
    without zone into ``timestamptz``: in the session's time zone, stored as ferrule stores
    the instant. On SQLite that is UTC text with ``+00:00`` (what ferrule binds), while its
    clock answers UTC text without the offset, which would read back naive and equal no
    value ferrule binds: the expression goes through ``datetime()`` (any offset applied, to
    the second) and gets the offset. MariaDB keeps the naive UTC datetime, while its clock
    answers in the session's zone (the server's system zone by default): the value is
    converted to UTC, else it would be read back shifted by the zone's offset."""
    default = column.db_default
    if column.logical.name == "datetime_tz" and isinstance(default, sql.Expr):
        if dialect == "sqlite":
            return sql.raw("(datetime(?) || '+00:00')", default)
        if dialect == "mysql":
            if _is_now(default):  # the clock itself: its UTC reading, to the microsecond
                return sql.raw("(UTC_TIMESTAMP(6))")
            return sql.raw("(CONVERT_TZ(?, @@session.time_zone, '+00:00'))", default)
    return default


def _is_now(default: Any) -> bool:
    """``CURRENT_TIMESTAMP``, ``NOW()`` or ``LOCALTIMESTAMP`` as the whole default."""
    node = tuple(default)
    if node[0] == "raw" and len(node[1]) == 1:
        text = node[1][0].strip().upper().replace(" ", "")
        return text in ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()", "NOW()", "LOCALTIMESTAMP")
    return node[0] == "func" and node[1] in ("NOW", "CURRENT_TIMESTAMP") and not node[2]


def _ddl_block(db: Any) -> Any:
    """A transaction where DDL is transactional; one held connection on MySQL/MariaDB, whose
    DDL commits implicitly (a failure there leaves the tables made before it)."""
    return db.connection() if db.dialect == "mysql" else db.transaction()


async def create_tables(*models: Any, using: Any = None, if_not_exists: bool = False) -> None:
    """Create the tables (and indexes) of ``models`` in dependency order, in a transaction
    where the database can roll DDL back (PostgreSQL, SQLite). The keys of a cycle are added
    once both tables are made (``ALTER TABLE ... ADD CONSTRAINT``); SQLite, which cannot add
    a constraint to a table, takes a key to a table not yet made in ``CREATE TABLE``."""
    if not models:
        return
    db = database_for(models[0], using)
    order, later = _cycle_order(models)
    if db.dialect == "sqlite":
        later = set()
    statements = []
    for model in order:
        without = frozenset(name for m, name in later if m is model)
        made = create_table_statements(
            model, if_not_exists=if_not_exists, dialect=db.dialect, without=without
        )
        statements += [(model, statement) for statement in made]
    for model, name in sorted(later, key=lambda k: (k[0]._meta.table, k[1])):
        column = model._meta.column(name)
        key = _foreign_key(model, column, name=_later_name(model, column))
        if if_not_exists and await _has_constraint(db, model._meta.table, key.name):
            continue
        statements.append((model, sql.alter_table(model._meta.table).add_constraint(key)))
    async with _ddl_block(db):
        for model, statement in statements:
            for text, params in statement.statements(db.dialect):
                try:
                    await db.execute(text, params)
                except OperationalError as error:
                    if db.dialect == "mysql" and _ROW_TOO_LARGE in str(error):
                        raise mariadb_row_error(model) from error
                    raise


#: MariaDB's error 1118: the row's VARCHARs (4 bytes a character in utf8mb4) pass 65,535 bytes
_ROW_TOO_LARGE = "Row size too large"


def mariadb_row_error(model: Any) -> SchemaError:
    """The ``SchemaError`` of a table whose VARCHARs MariaDB cannot hold in one row, naming
    them, longest first (a CharField past 16,383 characters is a LONGTEXT, outside it)."""
    from ferrule.sql.types import MYSQL_VARCHAR_MOST

    texts = [
        (column.logical.length, name)
        for name, column in model._meta.columns.items()
        if column.logical.name == "str" and column.logical.length <= MYSQL_VARCHAR_MOST
    ]
    listed = ", ".join(
        f"{name} ({length})" for length, name in sorted(texts, key=lambda t: (-t[0], t[1]))
    )
    return SchemaError(
        f"{model.__name__}: MariaDB keeps at most 65,535 bytes of a row's VARCHARs, 4 bytes "
        f"a character in utf8mb4, and its CharFields {listed} take more: make the longest a "
        "TextField (stored outside the row), or shorten them"
    )


async def _has_constraint(db: Any, table: str, name: str) -> bool:
    """Whether ``table`` has a constraint ``name`` (PostgreSQL, MySQL/MariaDB)."""
    if db.dialect == "postgres":
        text = (
            "SELECT 1 FROM information_schema.table_constraints"
            " WHERE table_schema = current_schema() AND table_name = $1"
            " AND constraint_name = $2"
        )
    else:
        text = (
            "SELECT 1 FROM information_schema.table_constraints"
            " WHERE table_schema = DATABASE() AND table_name = %s AND constraint_name = %s"
        )
    return await db.fetch_val(text, [table, name]) is not None


async def drop_tables(*models: Any, using: Any = None, if_exists: bool = False) -> None:
    """Drop the tables of ``models`` (and their link tables), dependents first. Tables whose
    keys form a cycle are dropped with their keys unchecked: ``CASCADE`` on PostgreSQL (it
    drops the other table's key to this one, nothing else of theirs), ``foreign_key_checks``
    off on MySQL/MariaDB, and checks deferred to the commit on SQLite (the rows of a
    ``RESTRICT`` key, checked at once, still stop it: an `IntegrityError`)."""
    if not models:
        return
    db = database_for(models[0], using)
    order, later = _cycle_order(models)
    referred = {m._meta.relations[name].target for m, name in later}  # by a key made later
    async with _ddl_block(db):
        if later and db.dialect == "mysql":
            await db.execute("SET foreign_key_checks = 0")
        elif later and db.dialect == "sqlite":
            await db.execute("PRAGMA defer_foreign_keys = ON")
        try:
            for model in reversed(order):
                statement = sql.drop_table(
                    model._meta.table,
                    if_exists=if_exists,
                    cascade=db.dialect == "postgres" and model in referred,
                )
                for text, params in statement.statements(db.dialect):
                    await db.execute(text, params)
        finally:
            if later and db.dialect == "mysql":
                await db.execute("SET foreign_key_checks = 1")
