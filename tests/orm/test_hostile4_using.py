"""``using=`` given what is no database (Django's alias ``"default"``, a number, any object):
every entry point raised ``AttributeError: 'str' object has no attribute 'dialect'`` (or
``'fetch_all'``) from wherever it first touched it. Each is now an ``ORMError`` saying that
the database object is given, raised where ``using`` is given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ferrule import errors

from .conftest import opened
from .models import Tag

CALLS: dict[str, Callable[[Any], Any]] = {
    "QuerySet.using": lambda db: Tag.all().using(db),
    "Model.using": lambda db: Tag.using(db),
    "EmptyQuerySet.using": lambda db: Tag.none().using(db),
    "raw": lambda db: Tag.raw("SELECT * FROM ormt_tag", using=db),
    "create": lambda db: Tag.create(label="a", using=db),
    "bulk_create": lambda db: Tag.bulk_create([Tag(label="b")], using=db),
    "get_or_create": lambda db: Tag.get_or_create(label="c", using=db),
    "save": lambda db: Tag(label="d").save(using=db),
    "delete": lambda db: Tag(id=1, label="e").delete(using=db),
}


@pytest.mark.parametrize("using", [5, "default", object()], ids=repr)
async def test_what_is_no_database_is_refused_where_it_is_given(url: str, using: Any) -> None:
    async with opened(url):
        for label, call in CALLS.items():
            with pytest.raises(errors.ORMError, match="give the database object") as raised:
                made = call(using)
                await made
            assert "AttributeError" not in repr(raised.value), label
        assert await Tag.all().count() == 0


async def test_a_database_is_still_taken(url: str) -> None:
    async with opened(url) as db:
        await Tag.create(label="a", using=db)
        assert await Tag.all().using(db).count() == 1
        assert await Tag.none().using(db).count() == 0
