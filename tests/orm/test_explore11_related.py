"""Django's "Related objects reference" walked through: ``add(bulk=False)``,
``remove``/``clear(bulk=False)`` and ``set(clear=True, bulk=False)`` of a reverse foreign
key, and a many-to-many ``set(clear=True)``, took no such keyword (a TypeError)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class E11Shelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_e11_shelf"


class E11Book(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=20)
    shelf = orm.ForeignKeyField(E11Shelf, related_name="books", null=True, on_delete="set null")
    fans = orm.ManyToManyField(E11Shelf, related_name="liked")

    class Meta:
        table = "ormt_e11_book"


class E11Page(orm.Model):
    id: int = orm.Field(primary_key=True)
    book = orm.ForeignKeyField(E11Book, related_name="pages", on_delete="cascade")

    class Meta:
        table = "ormt_e11_page"


MODELS = (E11Shelf, E11Book, E11Page)


async def _placed() -> list[tuple[str, Any]]:
    return [tuple(r) for r in await E11Book.order_by("id").values_list("title", "shelf_id")]


async def test_bulk_false_saves_each_instance_with_its_signals(url: str) -> None:
    heard: list[tuple[str, Any]] = []

    async def saved(sender: Any, instance: Any, **kwargs: Any) -> None:
        heard.append((instance.title, kwargs.get("update_fields")))

    async with opened(url), own_tables(*MODELS):
        top, low = await E11Shelf.create(name="top"), await E11Shelf.create(name="low")
        kept = await E11Book.create(title="kept", shelf=low)
        orm.post_save.connect(E11Book, saved)
        try:
            new = E11Book(title="new")  # unsaved: Django's bulk=False saves it
            await top.books.add(kept, new, bulk=False)
            assert new.pk is not None and new.shelf_id == top.pk and kept.shelf_id == top.pk
            assert heard == [("kept", None), ("new", None)]
            assert await _placed() == [("kept", top.pk), ("new", top.pk)]
            with pytest.raises(ValueError, match="save the E11Book"):
                await top.books.add(E11Book(title="unsaved"))  # bulk=True: Django's ValueError
            heard.clear()
            await top.books.remove(kept, bulk=False)
            assert heard == [("kept", ["shelf_id"])] and kept.shelf_id is None
            await top.books.clear(bulk=False)
            assert heard[-1] == ("new", ["shelf_id"])
            assert await _placed() == [("kept", None), ("new", None)]
            heard.clear()
            await low.books.set([kept, new], bulk=False)
            assert sorted(heard) == [("kept", None), ("new", None)]
            assert await _placed() == [("kept", low.pk), ("new", low.pk)]
        finally:
            orm.post_save.disconnect(E11Book, saved)
        page_book = await E11Book.create(title="paged")
        with pytest.raises(FieldError, match="not nullable"):
            await page_book.pages.clear(bulk=False)


async def test_set_clear_true_removes_every_row_first(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        top = await E11Shelf.create(name="top")
        a, _, c = [await E11Book.create(title=t, shelf=top) for t in "abc"]
        await top.books.set([a, c], clear=True)
        assert await _placed() == [("a", top.pk), ("b", None), ("c", top.pk)]
        await top.books.set([], clear=True)
        assert await _placed() == [("a", None), ("b", None), ("c", None)]
        await a.fans.set([top], clear=True)
        await a.fans.set([top], clear=True)
        assert await a.fans.all().values_list("name", flat=True) == ["top"]
        await a.fans.set([], clear=True)
        assert await a.fans.all().count() == 0


async def test_defaults_naming_another_parent_are_refused(url: str) -> None:
    """``top.books.get_or_create(title=..., defaults={"shelf": low})`` made the book on
    ``low``: a row the manager does not hold (as ``create(shelf=low)`` is refused)."""
    async with opened(url), own_tables(*MODELS):
        top, low = await E11Shelf.create(name="top"), await E11Shelf.create(name="low")
        for call in (
            lambda: top.books.get_or_create(title="new", defaults={"shelf": low}),
            lambda: top.books.get_or_create(title="new", defaults={"shelf_id": low.pk}),
            lambda: top.books.update_or_create(title="new", defaults={"shelf": low}),
            lambda: top.books.update_or_create(title="new", create_defaults={"shelf": low}),
        ):
            with pytest.raises(FieldError, match="names another row than the manager's"):
                await call()
        assert await E11Book.all().count() == 0
        defaults = {"shelf": top, "title": "kept"}
        made, created = await top.books.get_or_create(title="new", defaults=defaults)
        assert created and made.shelf_id == top.pk and made.title == "kept"
        assert defaults == {"shelf": top, "title": "kept"}  # the caller's dict is kept
