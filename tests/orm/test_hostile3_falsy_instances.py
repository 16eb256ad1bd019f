"""Instances of a model that is falsy (its ``__len__`` says 0, or its ``__bool__`` False: a
shelf holding no book, a playlist of no song) are instances all the same. The relation code
took a falsy value for 'not loaded' (its marker is falsy, and 'models are not'): a book
given its empty shelf was refused ('shelf cannot be None'), a prefetched book did not point
back at its shelf, and copies left the shelf in the wrong place of their state."""

from __future__ import annotations

import copy
import pickle

from ferrule import orm

from .conftest import opened, own_tables


class H3Shelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10, default="")

    def __len__(self) -> int:
        return 0

    class Meta:
        table = "ormt_h3_shelf"


class H3Book(orm.Model):
    id: int = orm.Field(primary_key=True)
    shelf = orm.ForeignKeyField(H3Shelf, related_name="books", on_delete="cascade")
    spare = orm.ForeignKeyField(H3Shelf, related_name="spares", null=True, on_delete="set null")

    class Meta:
        table = "ormt_h3_book"


async def test_a_falsy_instance_is_a_related_instance(url: str) -> None:
    async with opened(url), own_tables(H3Shelf, H3Book):
        shelf = await H3Shelf.create(id=1, name="a")
        book = await H3Book.create(id=1, shelf=shelf, spare=shelf)
        assert (book.shelf_id, book.spare_id) == (1, 1)
        assert book.shelf is shelf and book.spare is shelf
        other = H3Book(id=2, shelf_id=1)
        other.shelf = shelf
        assert other.shelf is shelf
        other.spare = shelf
        assert other.spare_id == 1


async def test_loaded_rows_point_back_at_a_falsy_instance(url: str) -> None:
    async with opened(url), own_tables(H3Shelf, H3Book):
        shelf = await H3Shelf.create(id=1, name="a")
        await H3Book.create(id=1, shelf=shelf)
        await H3Book.create(id=2, shelf=shelf)
        (loaded,) = await H3Shelf.all().prefetch_related("books")
        assert [b.shelf is loaded for b in loaded.books] == [True, True]
        (book,) = await H3Book.filter(id=1).select_related("shelf")
        assert book.shelf.name == "a"
        (book,) = await H3Book.filter(id=1).prefetch_related("shelf")
        assert book.shelf.name == "a"


async def test_copies_of_a_cycle_through_a_falsy_instance(url: str) -> None:
    async with opened(url), own_tables(H3Shelf, H3Book):
        shelf = await H3Shelf.create(id=1, name="a")
        await H3Book.create(id=1, shelf=shelf)
        await H3Book.create(id=2, shelf=shelf)
        (loaded,) = await H3Shelf.all().prefetch_related("books")
        for copied in (copy.deepcopy(loaded), pickle.loads(pickle.dumps(loaded))):
            assert [b.shelf is copied for b in copied.books] == [True, True]
        book = loaded.books[0]
        for copied_book in (copy.deepcopy(book), pickle.loads(pickle.dumps(book))):
            assert copied_book.shelf.books[0] is copied_book
            assert all(b.shelf is copied_book.shelf for b in copied_book.shelf.books)
