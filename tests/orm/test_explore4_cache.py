"""The query cache after deletes whose effects the database makes itself: rows of an
``on_delete="cascade"`` key (onwards, through several levels, and many-to-many links) go
with their parent, and an ``on_delete="set null"`` key is set to NULL (a Django-cache user
expects a write through the ORM to leave no stale answer). A model with both a SET NULL and
a CASCADE key to the deleted one (a book's shelf and the shelf it was lent from) stopped
``orm.cascades.invalidate``'s walk: its own cascades (the book's pages) stayed cached. Each
answer is checked against the same query run uncached."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm

from .conftest import opened, own_tables


class E4Shelf(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "e4_shelf"


class E4Book(orm.Model):
    id = orm.IntField(pk=True)
    shelf = orm.ForeignKeyField(E4Shelf, related_name="books", on_delete="cascade")
    lent_from = orm.ForeignKeyField(E4Shelf, related_name="+", null=True, on_delete="set null")

    class Meta:
        table = "e4_book"


class E4Page(orm.Model):
    id = orm.IntField(pk=True)
    book = orm.ForeignKeyField(E4Book, related_name="pages", on_delete="cascade")

    class Meta:
        table = "e4_page"


class E4Label(orm.Model):
    id = orm.IntField(pk=True)
    text = orm.CharField(max_length=20)
    shelves = orm.ManyToManyField(E4Shelf, related_name="labels")

    class Meta:
        table = "e4_label"


MODELS = (E4Shelf, E4Book, E4Page, E4Label)


async def _instance(shelf: E4Shelf) -> None:
    await shelf.delete()


async def _queryset(shelf: E4Shelf) -> None:
    await E4Shelf.filter(pk=shelf.pk).delete()


async def _with_receiver(shelf: E4Shelf) -> None:
    """A delete receiver makes QuerySet.delete() load and send each row (its own path)."""

    @orm.post_delete(E4Shelf)
    def seen(sender: Any, instance: Any, **kwargs: Any) -> None:
        pass

    try:
        await E4Shelf.filter(pk=shelf.pk).delete()
    finally:
        orm.post_delete.disconnect(E4Shelf, seen)


DELETES: dict[str, Callable[[E4Shelf], Awaitable[None]]] = {
    "instance": _instance,
    "queryset": _queryset,
    "queryset with a receiver": _with_receiver,
}


async def _answers(other: E4Shelf) -> dict[str, Any]:
    """The cached answers of the children's queries (and, under "fresh", the same queries
    uncached)."""

    def queries() -> dict[str, Any]:
        return {
            "books": E4Book.all().order_by("id"),
            "lent": E4Book.filter(lent_from__isnull=True).order_by("id"),
            "pages": E4Page.all().order_by("id"),
            "labelled": E4Label.filter(shelves__name="doomed").order_by("id"),
            "kept": E4Book.filter(shelf=other).order_by("id"),
        }

    out = {}
    for name, query in queries().items():
        out[name] = [x.pk for x in await query.cached(60)]
        out[name + " fresh"] = [x.pk for x in await query]
    return out


@pytest.mark.parametrize("how", DELETES)
async def test_cached_results_of_tables_changed_by_on_delete_are_dropped(
    url: str, how: str
) -> None:
    if orm.post_delete.has_receivers(E4Shelf):
        pytest.fail("a receiver was left connected")
    async with opened(url), own_tables(*MODELS):
        doomed = await E4Shelf.create(name="doomed")
        other = await E4Shelf.create(name="other")
        book = await E4Book.create(shelf=doomed)
        lent = await E4Book.create(shelf=other, lent_from=doomed)
        await E4Page.create(book=book)
        label = await E4Label.create(text="x")
        await label.shelves.add(doomed)
        before = await _answers(other)
        assert before["books"] == [book.pk, lent.pk] and before["lent"] == [book.pk]
        assert before["pages"] != [] and before["labelled"] == [label.pk]
        await DELETES[how](doomed)
        after = await _answers(other)
        for name in ("books", "lent", "pages", "labelled", "kept"):
            assert after[name] == after[name + " fresh"], name
        assert after["books"] == [lent.pk] and after["lent"] == [lent.pk]


async def test_a_cascade_inside_a_transaction_leaves_no_stale_entry(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        shelf = await E4Shelf.create(name="s")
        await E4Book.create(shelf=shelf)
        assert len(await E4Book.all().cached(60)) == 1
        async with orm.transaction():
            await shelf.delete()
        assert await E4Book.all().cached(60) == []
