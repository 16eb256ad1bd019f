"""Tables from models: ``await orm.create_tables(Author, Post)`` and ``drop_tables``, in
dependency order, through ``ferrule.sql``'s DDL (the same logical type table the migrations
use). Many-to-many link tables of the given models come along."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from ferrule import sql
from ferrule.errors import SchemaError
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
    """The models (and their link models), each after the models its keys refer to."""
    pending = _with_links(models)
    done: list[Any] = []
    while pending:
        ready = [
            m
            for m in pending
            if all(
                r.target is m or r.target in done or r.target not in pending
                for r in m._meta.relations.values()
                if r.kind != "m2m"
            )
        ]
        if not ready:
            names = ", ".join(m.__name__ for m in pending)
            raise SchemaError(f"create_tables(): the foreign keys of {names} form a cycle")
        for model in ready:
            pending.remove(model)
            done.append(model)
    return done


def create_table_statements(
    model: Any, *, if_not_exists: bool = False, dialect: str | None = None
) -> list[Any]:
    """The ``CREATE TABLE`` and ``CREATE INDEX`` statements of one model. For PostgreSQL
    (``dialect="postgres"``) an indexed nullable column is kept ``NULLS FIRST``, the order
    the ORM asks for (NULL is the smallest value on every database), so the index serves it."""
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
                default=column.db_default,
                primary_key=column.primary_key,
                identity=column.identity,
                unique=column.unique and not column.primary_key,
            )
        )
        relation = column.relation
        if relation is not None:
            target = relation.target
            if isinstance(target, str):
                raise SchemaError(f"{meta.name}.{relation.name}: {target!r} is not defined")
            elements.append(
                sql.foreign_key(
                    column.column,
                    target._meta.table,
                    target._meta.pk.column,
                    on_delete=relation.on_delete,
                )
            )
        if (
            column.enum is not None
            and column.logical.name == "int"
            and not issubclass(column.enum, enum.Flag)  # Perm.R | Perm.W is a Perm too
        ):
            values = [member.value for member in column.enum]
            # named (PostgreSQL's own name for it): SQLite would give an unnamed CHECK the
            # name of the constraint before it, a column's type check (a DataError)
            name = f"{meta.table}_{column.column}_check"
            elements.append(sql.check(sql.column(column.column).in_(values), name=name))
    for group in meta.options.unique_together:
        elements.append(sql.unique(*(meta.column(n).column for n in group)))
    statements: list[Any] = [sql.create_table(meta.table, *elements, if_not_exists=if_not_exists)]
    for column in meta.columns.values():
        if column.index and not column.unique and not column.primary_key:
            statements.append(
                sql.create_index(
                    f"{meta.table}_{column.column}_idx",
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
                f"{meta.table}_{'_'.join(columns)}_idx",
                meta.table,
                *(indexed(c) for c in members),
                if_not_exists=if_not_exists,
            )
        )
    return statements


def _ddl_block(db: Any) -> Any:
    """A transaction where DDL is transactional; one held connection on MySQL/MariaDB, whose
    DDL commits implicitly (a failure there leaves the tables made before it)."""
    return db.connection() if db.dialect == "mysql" else db.transaction()


async def create_tables(*models: Any, using: Any = None, if_not_exists: bool = False) -> None:
    """Create the tables (and indexes) of ``models`` in dependency order, in a transaction
    where the database can roll DDL back (PostgreSQL, SQLite)."""
    if not models:
        return
    db = database_for(models[0], using)
    statements = [
        s
        for model in ordered(models)
        for s in create_table_statements(model, if_not_exists=if_not_exists, dialect=db.dialect)
    ]
    async with _ddl_block(db):
        for statement in statements:
            for text, params in statement.statements(db.dialect):
                await db.execute(text, params)


async def drop_tables(*models: Any, using: Any = None, if_exists: bool = False) -> None:
    """Drop the tables of ``models`` (and their link tables), dependents first."""
    if not models:
        return
    db = database_for(models[0], using)
    async with _ddl_block(db):
        for model in reversed(ordered(models)):
            statement = sql.drop_table(model._meta.table, if_exists=if_exists)
            for text, params in statement.statements(db.dialect):
                await db.execute(text, params)
