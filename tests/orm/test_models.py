"""Declaring ORM models: both styles give one schema and one table, column options belong
to ORM models only, and misuse is a typed error at definition."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import NoDatabaseError, SchemaError
from ferrule.orm.schema import create_table_statements

from .models import Author, Post


class Annotated_(orm.Model):
    id: int = orm.Field(primary_key=True)
    title: str = orm.Field(max_length=200, index=True)
    body: str = orm.Field(default="")
    created: dt.datetime = orm.Field(auto_now_add=True)

    class Meta:
        table = "same"


class Classes(orm.Model):
    id = orm.IntField(pk=True)
    title = orm.CharField(max_length=200, index=True)
    body = orm.TextField(default="")
    created = orm.DateTimeField(auto_now_add=True)

    class Meta:
        table = "same"


def _schema(model: Any) -> list[Any]:
    return [
        {k: v for k, v in f.items() if k not in ("messages",)}
        for f in model.__ferrule_schema__["fields"]
    ]


def test_both_declaration_styles_compile_to_the_same_schema_and_table() -> None:
    assert _schema(Annotated_) == _schema(Classes)
    for dialect in ("sqlite", "postgres", "mysql", "mssql"):
        ours = [s.statements(dialect) for s in create_table_statements(Annotated_)]
        theirs = [s.statements(dialect) for s in create_table_statements(Classes)]
        assert ours == theirs, dialect


def test_an_orm_model_is_a_validated_ferrule_model() -> None:
    assert issubclass(Author, ferrule.Model)
    with pytest.raises(ferrule.ValidationError) as info:
        Author(name="x" * 101)
    assert info.value.errors()[0]["loc"] == ("name",)
    author = Author(name="Ada", born=dt.date(2000, 1, 1))
    assert author.model_dump() == {
        "id": None,
        "name": "Ada",
        "born": dt.date(2000, 1, 1),
        "rating": 0,
    }
    assert Author.model_validate_json('{"name": "Bob"}').name == "Bob"
    assert "name" in Author.model_json_schema()["properties"]
    post = Post(title="t", author_id=1)
    assert "author" not in post.model_dump() and post.model_dump()["author_id"] == 1


def test_column_options_on_a_plain_model_are_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="primary_key"):

        class Plain(ferrule.Model):
            id: int = orm.Field(primary_key=True)

    with pytest.raises(SchemaError, match="column options"):

        class Plain2(ferrule.Model):
            name = orm.CharField(max_length=3)  # no annotation either way


def test_definition_errors_are_typed() -> None:
    with pytest.raises(SchemaError, match="no primary key"):

        class NoKey(orm.Model):
            name: str = ""

        NoKey._meta.columns  # noqa: B018
    with pytest.raises(SchemaError, match="max_digits"):
        from decimal import Decimal

        class NoDigits2(orm.Model):
            id: int = orm.Field(primary_key=True)
            price: Decimal = Decimal(0)

        NoDigits2._meta.columns  # noqa: B018
    with pytest.raises(SchemaError, match="unknown option"):

        class BadMeta(orm.Model):
            id: int = orm.Field(primary_key=True)

            class Meta:
                tabel = "x"

    with pytest.raises(SchemaError, match="on_delete"):
        orm.ForeignKeyField(Author, on_delete="explode")
    with pytest.raises(SchemaError, match="null=True"):
        orm.ForeignKeyField(Author, on_delete="set null")


def test_a_relation_to_a_model_defined_later_is_resolved_by_name() -> None:
    class Child(orm.Model):
        id: int = orm.Field(primary_key=True)
        parent = orm.ForeignKeyField("LaterParent", related_name="children")

        class Meta:
            table = "later_child"

    class LaterParent(orm.Model):
        id: int = orm.Field(primary_key=True)

        class Meta:
            table = "later_parent"

    assert Child._meta.relations["parent"].target is LaterParent
    assert LaterParent._meta.reverse["children"].owner is Child


async def test_using_a_model_with_no_database_open_names_connect() -> None:
    from ferrule.backends import defaults

    saved = defaults._first[:], defaults._chosen[:]
    defaults._first[:], defaults._chosen[:] = [], []
    try:
        with pytest.raises(NoDatabaseError, match=r"ferrule\.connect"):
            await Author.all()
        with pytest.raises(NoDatabaseError):
            await Author.create(name="x")
    finally:
        defaults._first[:], defaults._chosen[:] = saved


async def test_the_first_database_opened_is_the_default_and_using_picks_another(
    tmp_path: Any,
) -> None:
    from ferrule.backends import defaults

    saved = defaults._first[:], defaults._chosen[:]
    defaults._first[:], defaults._chosen[:] = [], []
    one = await ferrule.connect(f"sqlite:///{tmp_path / 'one.db'}")
    two = await ferrule.connect(f"sqlite:///{tmp_path / 'two.db'}")
    try:
        await orm.create_tables(Author)
        await orm.create_tables(Author, using=two)
        await Author.create(name="in one")
        await Author.create(name="in two", using=two)
        assert [a.name for a in await Author.all()] == ["in one"]
        assert [a.name for a in await Author.all().using(two)] == ["in two"]
        orm.set_default(two)
        assert [a.name for a in await Author.all()] == ["in two"]
    finally:
        await one.close()
        await two.close()
        defaults._first[:], defaults._chosen[:] = saved
