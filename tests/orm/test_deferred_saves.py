"""Saving an instance that ``only()``/``defer()`` loaded in part.

As in Django, ``save()`` of such an instance writes the fields it holds and leaves the others
as they are in the row; a field it does not hold, named by ``save(update_fields=...)`` or
``bulk_update(..., fields)``, is an ``ORMError`` naming it (Django would load it with a hidden
query; ferrule never sends one). Before, the fields not loaded were written as NULL: a NOT
NULL column raised the database's IntegrityError, and a nullable one lost its value without
a word.
"""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened, own_tables


class Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    title: str = orm.Field(max_length=20)
    body: str | None = None
    views: int = 0

    class Meta:
        table = "ormt_deferred_note"


async def _row(key: int) -> tuple[str, str | None, int]:
    (row,) = await Note.filter(id=key).values_list("title", "body", "views")
    return tuple(row)  # type: ignore[return-value]


async def test_save_writes_only_the_loaded_fields(url: str) -> None:
    async with opened(url), own_tables(Note):
        made = await Note.create(title="a", body="kept", views=4)
        light = await Note.defer("body").get(id=made.id)
        light.views = 5
        await light.save()
        assert await _row(made.id) == ("a", "kept", 5)
        lighter = await Note.only("id", "title").get(id=made.id)
        lighter.title = "b"
        await lighter.save()
        assert await _row(made.id) == ("b", "kept", 5)
        await lighter.save(update_fields=["title"])
        assert await _row(made.id) == ("b", "kept", 5)


async def test_saving_a_field_not_loaded_is_refused(url: str) -> None:
    async with opened(url), own_tables(Note):
        made = await Note.create(title="a", body="kept", views=4)
        light = await Note.only("id", "title").get(id=made.id)
        with pytest.raises(ORMError, match=r"Note\.body"):
            await light.save(update_fields=["body"])
        with pytest.raises(ORMError, match=r"Note\.views"):
            await Note.bulk_update([light], ["title", "views"])
        assert await _row(made.id) == ("a", "kept", 4)
        light.title = "c"
        assert await Note.bulk_update([light], ["title"]) == 1
        assert await _row(made.id) == ("c", "kept", 4)


async def test_a_deleted_row_is_not_inserted_again_from_part_of_it(url: str) -> None:
    """Django: an instance with deferred fields saves as update_fields of the loaded ones,
    which finds no row to update; inserting NULL for the rest would make another row."""
    async with opened(url), own_tables(Note):
        made = await Note.create(title="a", body="kept", views=4)
        light = await Note.only("id", "title").get(id=made.id)
        await Note.filter(id=made.id).delete()
        with pytest.raises(Note.DoesNotExist):
            await light.save()
        assert await Note.count() == 0
