"""``Model.raw()``'s columns that are no field are kept as annotations, read as attributes.
One such column selected twice (``1 AS x, 2 AS x``) kept the last in silence, and one whose
name the model already answers (a relation such as ``author``, ``pk``, a method) could never
be read: the attribute answered instead of the value the SQL selected. Both are refused by
name, as ``annotate()`` refuses a name that conflicts with a field (Django's rule)."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post


async def test_a_column_that_is_no_field_selected_twice_is_refused(url: str) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        with pytest.raises(FieldError, match="x twice"):
            await Author.raw("SELECT id, name, 1 AS x, 2 AS x FROM ormt_author")


@pytest.mark.parametrize("name", ["author", "pk", "save", "posts"])
async def test_a_column_named_as_the_models_attribute_is_refused(url: str, name: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann", rating=3)
        await Post.create(title="t", author=ann)
        model = Author if name == "posts" else Post
        table = model._meta.table
        with pytest.raises(FieldError, match=name):
            await model.raw(f"SELECT id, 99 AS {name} FROM {table}")


async def test_the_columns_that_are_no_field_are_still_kept(url: str) -> None:
    async with opened(url):
        await Author.create(name="ann", rating=3)
        (found,) = await Author.raw("SELECT id, name, rating + 1 AS next FROM ormt_author")
        assert (found.name, found.next) == ("ann", 4)
