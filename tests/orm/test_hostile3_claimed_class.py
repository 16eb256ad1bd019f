"""Objects claiming a model as their ``__class__`` (``isinstance`` believes them) given to
ORM entry points that take instances: refused with the ORM's own error, as an object of
another class is, not an AttributeError from deep inside (bulk_update read ``obj.pk``)."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError, ORMError

from .conftest import opened
from .models import Author


class Claims:
    """Says it is an Author; holds a key, as an instance would."""

    __class__ = Author  # type: ignore[assignment]
    pk = 1
    id = 1
    name = "ann"


async def test_bulk_update_refuses_an_object_claiming_the_model(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ann")
        assert isinstance(Claims(), Author)
        with pytest.raises(ORMError, match="got a Claims"):
            await Author.bulk_update([Claims()], ["name"])


async def test_contains_refuses_an_object_claiming_the_model(url: str) -> None:
    async with opened(url):
        await Author.create(id=1, name="ann")
        with pytest.raises(FieldError, match="not a Claims"):
            await Author.all().contains(Claims())
