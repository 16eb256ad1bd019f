"""``obj.pk = value`` sets the primary key field, as in Django: ``obj.pk = None`` on a key the
database makes, then ``save()``, stores a copy under a new key (Django's documented way to copy
an instance); a new explicit key then ``save()`` stores the row under that key. Properties of
the user's own with setters work on ORM models too."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables


class PkBook(orm.Model):
    id: int = orm.Field(primary_key=True)
    title: str = orm.Field(max_length=50)

    @property
    def shout(self) -> str:
        return self.title.upper()

    @shout.setter
    def shout(self, value: str) -> None:
        self.title = value.lower()

    class Meta:
        table = "ormt_pk_book"


class PkCode(orm.Model):
    code: str = orm.Field(primary_key=True, max_length=10)
    label: str = orm.Field(max_length=50)

    class Meta:
        table = "ormt_pk_code"


async def _rows(model: Any, db: Any) -> list[tuple[Any, ...]]:
    """The table as the database has it (its own SQL, not the ORM's reading)."""
    table = model._meta.table
    first = model._meta.pk.column
    return [tuple(r) for r in await db.fetch_all(f"SELECT * FROM {table} ORDER BY {first}")]


async def test_pk_none_then_save_stores_a_copy_under_a_new_key(url: str) -> None:
    async with opened(url) as db, own_tables(PkBook):
        book = await PkBook.create(title="one")
        first = book.pk
        book.pk = None
        assert book.id is None and book.pk is None
        book.title = "two"
        await book.save()
        assert book.pk is not None and book.pk != first
        assert await _rows(PkBook, db) == [(first, "one"), (book.pk, "two")]


async def test_a_new_explicit_key_then_save_stores_the_row_under_it(url: str) -> None:
    async with opened(url) as db, own_tables(PkCode):
        item = await PkCode.create(code="a", label="x")
        item.pk = "b"
        assert item.code == "b"
        await item.save()
        assert await _rows(PkCode, db) == [("a", "x"), ("b", "x")]


async def test_pk_assignment_is_validated_as_the_field_is(url: str) -> None:
    async with opened(url), own_tables(PkCode):
        item = PkCode(code="a", label="x")
        with pytest.raises(ValidationError) as info:
            item.pk = "x" * 11
        assert [(e["loc"], e["type"]) for e in info.value.errors()] == [
            (("code",), "string_too_long")
        ]
        assert item.code == "a"
        with pytest.raises(ValidationError):  # a key the user gives cannot be None
            item.pk = None
        assert item.code == "a"


async def test_a_property_setter_on_an_orm_model_runs_and_saves(url: str) -> None:
    async with opened(url) as db, own_tables(PkBook):
        book = await PkBook.create(title="one")
        book.shout = "LOUD"
        await book.save()
        assert await _rows(PkBook, db) == [(book.pk, "loud")]
