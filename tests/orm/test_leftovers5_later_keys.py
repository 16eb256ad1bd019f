"""A foreign key to a model defined later (``ForeignKeyField("Shelf")`` above ``Shelf``) whose
primary key is no int (a str, a UUID): the ``shelf_id`` field was typed ``int`` (the target's
key type was unknown when the model was made) and stayed so once the target was defined.
``shelf_id="007"`` became 7 (lax int validation): ``create`` wrote 7 (an IntegrityError, or on
MariaDB a row naming 7), ``filter(shelf_id="007")`` found nothing on SQLite and PostgreSQL
refused the bound 7, while MariaDB's ``filter(shelf_id=7)`` found '007'; a UUID key was
refused outright. The field now takes the target key's type as the relation resolves, as a
key to a model defined before does."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables


class L5EarlyShelf(orm.Model):
    code: str = orm.Field(primary_key=True, max_length=20)

    class Meta:
        table = "ormt_l5_early_shelf"


class L5EarlyBook(orm.Model):
    """The reference: keys to models defined before."""

    id: int = orm.Field(primary_key=True)
    shelf = orm.ForeignKeyField(L5EarlyShelf, related_name="books", null=True)

    class Meta:
        table = "ormt_l5_early_book"


class L5KeyedBase(orm.Model):
    """An abstract base whose key names a model defined later."""

    tag = orm.ForeignKeyField("L5Tag", related_name="+", null=True)

    class Meta:
        abstract = True


class L5Book(L5KeyedBase):
    id: int = orm.Field(primary_key=True)
    shelf = orm.ForeignKeyField("L5Shelf", related_name="books", null=True)

    class Meta:
        table = "ormt_l5_book"


class L5Shelf(orm.Model):
    code: str = orm.Field(primary_key=True, max_length=20)

    class Meta:
        table = "ormt_l5_shelf"


class L5Tag(orm.Model):
    id: uuid.UUID = orm.Field(primary_key=True)

    class Meta:
        table = "ormt_l5_tag"


def _outcome(model: Any, **values: Any) -> Any:
    try:
        return model(**values).shelf_id
    except ValidationError as exc:
        return "refused", [e["type"] for e in exc.errors()]


TAG = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize("key", ["007", 7, "x" * 21, TAG, str(TAG)], ids=repr)
def test_the_key_is_typed_as_a_key_to_a_model_defined_before(key: Any) -> None:
    later = _outcome(L5Book, id=1, shelf_id=key)
    assert later == _outcome(L5EarlyBook, id=1, shelf_id=key)
    if not isinstance(later, tuple):
        assert later == key


def test_a_uuid_key_of_an_abstract_base() -> None:
    assert L5Book(id=1, tag_id=str(TAG)).tag_id == TAG
    with pytest.raises(ValidationError):
        L5Book(id=1, tag_id=7)


async def test_saves_and_filters_use_the_key_as_it_is(url: str) -> None:
    async with opened(url), own_tables(L5Shelf, L5Tag, L5Book):
        shelf = await L5Shelf.create(code="007")
        tag = await L5Tag.create(id=TAG)
        await L5Book.create(id=1, shelf_id="007", tag_id=str(TAG))
        await L5Book.create(id=2, shelf=shelf, tag=tag)
        book = await L5Book.get(id=1)
        assert (book.shelf_id, book.tag_id) == ("007", TAG)
        assert await L5Book.filter(shelf_id="007").count() == 2
        assert await L5Book.filter(tag_id=str(TAG)).count() == 2
        with pytest.raises(ValidationError):
            await L5Book.filter(shelf_id=7).count()  # MariaDB compared '007' = 7 as numbers
        book.shelf_id = "007"
        await book.save()
        assert await L5Book.order_by("id").values_list("shelf_id", "tag_id") == [
            ("007", TAG),
            ("007", TAG),
        ]
