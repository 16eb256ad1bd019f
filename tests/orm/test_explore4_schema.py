"""Tables as a Django user declares them, checked against each database's own catalog and
rows: a ``db_default`` field is optional (the column's DEFAULT fills it, on ``create``,
``save`` and ``bulk_create``), and two models whose foreign keys refer to each other can be
declared, made (the keys of the cycle added once both tables exist), used and dropped."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError, SchemaError, TransactionError

from .conftest import opened, own_tables


class E4Setting(orm.Model):
    id = orm.IntField(pk=True)
    level = orm.IntField(db_default=5)
    label: str = orm.Field(max_length=10, db_default="hi")

    class Meta:
        table = "e4_setting"


class E4Note(orm.Model):
    id = orm.IntField(pk=True)
    stars = orm.IntField(db_default=3, null=True)

    class Meta:
        table = "e4_note"


class E4Seat(orm.Model):
    """Django's and Tortoise's shorthand: one flat list is one group."""

    id = orm.IntField(pk=True)
    row = orm.IntField()
    number = orm.IntField()

    class Meta:
        table = "e4_seat"
        unique_together = ("row", "number")
        indexes = ["number", "row"]


class E4Dept(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=20)
    head = orm.ForeignKeyField("E4Emp", related_name="heads", null=True, on_delete="set null")

    class Meta:
        table = "e4_dept"


class E4Emp(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=20)
    dept = orm.ForeignKeyField(E4Dept, related_name="staff", null=True, on_delete="cascade")

    class Meta:
        table = "e4_emp"


class E4LongNames(orm.Model):
    """Names each within every database's limit, whose index names would not be."""

    id = orm.IntField(pk=True)
    first_rather_long_column_name_for_the_index_name_a = orm.IntField(index=True, default=0)
    first_rather_long_column_name_for_the_index_name_b = orm.IntField(index=True, default=0)

    class Meta:
        table = "e4_a_rather_long_table_name_for_the_index_names"
        indexes = [
            (
                "first_rather_long_column_name_for_the_index_name_a",
                "first_rather_long_column_name_for_the_index_name_b",
            )
        ]


async def _indexes(db: Any, table: str) -> dict[str, tuple[str, ...]]:
    """The non-unique indexes of ``table`` and their columns, from the catalog."""
    if db.dialect == "sqlite":
        names = [r["name"] for r in await db.fetch_all(f"PRAGMA index_list('{table}')")]
        return {
            n: tuple(r["name"] for r in await db.fetch_all(f"PRAGMA index_info('{n}')"))
            for n in names
            if not n.startswith("sqlite_autoindex")
        }
    if db.dialect == "postgres":
        text = (
            "SELECT i.relname, a.attname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)"
            f" WHERE x.indrelid = '{table}'::regclass AND NOT x.indisunique"
            " ORDER BY i.relname, array_position(x.indkey, a.attnum)"
        )
    else:
        text = (
            "SELECT index_name, column_name FROM information_schema.statistics"
            f" WHERE table_schema = DATABASE() AND table_name = '{table}' AND non_unique = 1"
            " ORDER BY index_name, seq_in_index"
        )
    found: dict[str, tuple[str, ...]] = {}
    for name, column in await db.fetch_all(text):
        found[name] = (*found.get(name, ()), column)
    return found


async def _rows(db: Any, text: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await db.fetch_all(text)]


async def _foreign_keys(db: Any, table: str) -> set[tuple[str, str, str]]:
    """(column, referenced table, ON DELETE action) of ``table``'s keys, from the catalog."""
    if db.dialect == "sqlite":
        rows = await db.fetch_all(f"PRAGMA foreign_key_list('{table}')")
        return {(r["from"], r["table"], r["on_delete"]) for r in rows}
    if db.dialect == "postgres":
        text = (
            "SELECT a.attname, c.confrelid::regclass::text,"
            " CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'"
            " WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END"
            " FROM pg_constraint c JOIN pg_attribute a"
            " ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            f" WHERE c.contype = 'f' AND c.conrelid = '{table}'::regclass"
        )
    else:
        text = (
            "SELECT k.column_name, k.referenced_table_name, r.delete_rule"
            " FROM information_schema.key_column_usage k"
            " JOIN information_schema.referential_constraints r"
            " ON r.constraint_schema = k.constraint_schema"
            " AND r.constraint_name = k.constraint_name"
            f" WHERE k.table_schema = DATABASE() AND k.table_name = '{table}'"
            " AND k.referenced_table_name IS NOT NULL"
        )
    return {tuple(r) for r in await db.fetch_all(text)}  # type: ignore[misc]


async def test_a_db_default_field_is_optional_and_filled_by_the_column_default(url: str) -> None:
    """Django: a field with ``db_default`` need not be given; the row gets the DEFAULT."""
    async with opened(url) as db, own_tables(E4Setting):
        made = await E4Setting.create()
        assert (made.level, made.label) == (5, "hi")
        given = await E4Setting.create(level=1, label="x")
        unsaved = E4Setting(label="y")
        await unsaved.save()
        assert unsaved.level == 5
        assert await _rows(db, "SELECT id, level, label FROM e4_setting ORDER BY id") == [
            (made.id, 5, "hi"),
            (given.id, 1, "x"),
            (unsaved.id, 5, "y"),
        ]


async def test_bulk_create_fills_db_defaults_as_create_does(url: str) -> None:
    """The batched rows name every column: before the fix the unset ones were NULL (an
    IntegrityError on the NOT NULL column) instead of the column's DEFAULT."""
    async with opened(url) as db, own_tables(E4Setting):
        made = await E4Setting.bulk_create([E4Setting(), E4Setting(level=2), E4Setting(label="z")])
        assert [(m.level, m.label) for m in made] == [(5, "hi"), (2, "hi"), (5, "z")]
        assert await _rows(db, "SELECT level, label FROM e4_setting ORDER BY id") == [
            (5, "hi"),
            (2, "hi"),
            (5, "z"),
        ]


async def test_a_none_given_to_a_nullable_db_default_field_is_stored_as_null(url: str) -> None:
    """Django: the DEFAULT fills a field left unset; ``create(stars=None)`` stores NULL
    (ferrule stored the DEFAULT, 3, for both)."""
    async with opened(url) as db, own_tables(E4Note):
        given = await E4Note.create(stars=None)
        unset = await E4Note.create()
        assigned = E4Note()
        assigned.stars = None
        await assigned.save()
        many = await E4Note.bulk_create([E4Note(stars=None), E4Note()])
        assert [given.stars, unset.stars, assigned.stars] == [None, 3, None]
        assert [m.stars for m in many] == [None, 3]
        assert await _rows(db, "SELECT stars FROM e4_note ORDER BY id") == [
            (None,),
            (3,),
            (None,),
            (None,),
            (3,),
        ]


async def test_two_models_referring_to_each_other_are_made_used_and_dropped(url: str) -> None:
    """Before the fix the second class statement recursed for ever (RecursionError), and
    create_tables() refused the cycle; Django makes the cycle's key after both tables."""
    async with opened(url) as db:
        await orm.drop_tables(E4Dept, E4Emp, if_exists=True)
        await orm.create_tables(E4Emp, E4Dept)
        await orm.create_tables(E4Dept, E4Emp, if_not_exists=True)  # all there: nothing to do
        try:
            assert await _foreign_keys(db, "e4_dept") == {("head_id", "e4_emp", "SET NULL")}
            assert await _foreign_keys(db, "e4_emp") == {("dept_id", "e4_dept", "CASCADE")}
            dept = await E4Dept.create(name="R&D")
            ada = await E4Emp.create(name="Ada", dept=dept)
            dept.head = ada
            await dept.save()
            found = await E4Dept.select_related("head").get(pk=dept.pk)
            assert found.head.name == "Ada"
            await ada.delete()  # the database's SET NULL
            assert await _rows(db, "SELECT head_id FROM e4_dept") == [(None,)]
        finally:
            await orm.drop_tables(E4Dept, E4Emp)
        if db.dialect == "sqlite":
            text = "SELECT name FROM sqlite_master WHERE name LIKE 'e4_%' AND type = 'table'"
        elif db.dialect == "postgres":
            text = "SELECT tablename FROM pg_tables WHERE tablename IN ('e4_dept', 'e4_emp')"
        else:
            text = (
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = DATABASE() AND table_name IN ('e4_dept', 'e4_emp')"
            )
        assert await _rows(db, text) == []


async def test_a_cycle_with_rows_in_both_tables_is_dropped(url: str) -> None:
    async with opened(url):
        await orm.drop_tables(E4Dept, E4Emp, if_exists=True)
        await orm.create_tables(E4Dept, E4Emp)
        dept = await E4Dept.create(name="Ops")
        bob = await E4Emp.create(name="Bob", dept=dept)
        dept.head = bob
        await dept.save()
        await orm.drop_tables(E4Emp, E4Dept)
        await orm.drop_tables(E4Emp, E4Dept, if_exists=True)  # gone: nothing to do


async def test_index_names_longer_than_a_database_keeps_are_shortened_apart(url: str) -> None:
    """Table and column names the databases accept; the index names ferrule made of them
    were an IdentifierError on PostgreSQL and MariaDB. Django shortens them with a hash."""
    async with opened(url) as db, own_tables(E4LongNames):
        table = E4LongNames._meta.table
        a = "first_rather_long_column_name_for_the_index_name_a"
        b = "first_rather_long_column_name_for_the_index_name_b"
        found = await _indexes(db, table)
        assert sorted(found.values()) == [(a,), (a, b), (b,)]
        assert all(len(name.encode()) <= 63 for name in found)
        await E4LongNames.create(**{a: 1, b: 2})
        assert await E4LongNames.filter(**{a: 1, b: 2}).count() == 1


def test_a_schema_qualified_table_name_is_refused() -> None:
    """``Meta.table = "app.users"`` made a table literally named "app.users" in the default
    schema on every database (SQLAlchemy and Tortoise users mean table users of schema app)."""
    with pytest.raises(SchemaError, match=r"'app\.users' holds a dot"):

        class E4Qualified(orm.Model):
            id = orm.IntField(pk=True)

            class Meta:
                table = "app.users"


async def test_a_flat_unique_together_is_one_constraint_on_the_fields_together(url: str) -> None:
    """``unique_together = ("row", "number")`` made each column unique on its own (the
    second seat of a row was refused); the flat ``indexes`` list two single-column indexes."""
    async with opened(url) as db, own_tables(E4Seat):
        await E4Seat.create(row=1, number=1)
        await E4Seat.create(row=1, number=2)
        await E4Seat.create(row=2, number=1)
        with pytest.raises(IntegrityError):
            await E4Seat.create(row=1, number=2)
        assert await _rows(db, "SELECT row, number FROM e4_seat ORDER BY row, number") == [
            (1, 1),
            (1, 2),
            (2, 1),
        ]
        assert sorted((await _indexes(db, "e4_seat")).values()) == [("number", "row")]


async def test_create_tables_inside_a_transaction_commits_nothing_on_error(url: str) -> None:
    """PostgreSQL and SQLite roll the DDL back with the rest; MariaDB commits the open
    transaction before DDL, which committed the block's earlier rows and ended it (the block
    then said "nothing was committed"): there the DDL is refused before it runs."""
    async with opened(url) as db:
        await orm.drop_tables(E4Setting, E4Note, if_exists=True)
        await orm.create_tables(E4Setting)
        with pytest.raises((RuntimeError, TransactionError)) as caught:
            async with orm.transaction():
                await E4Setting.create()
                await orm.create_tables(E4Note)
                raise RuntimeError("the block fails after the DDL")
        if db.dialect == "mysql":
            assert caught.type is TransactionError
            assert "commits the open transaction" in str(caught.value)
        else:
            assert caught.type is RuntimeError
        await orm.create_tables(E4Setting, E4Note, if_not_exists=True)
        try:
            assert await db.fetch_val("SELECT count(*) FROM e4_setting") == 0
        finally:
            await orm.drop_tables(E4Setting, E4Note)
