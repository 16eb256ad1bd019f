"""More ORM work cancelled at every await point (the matrix of ``test_write_cancellation``,
its rows and checks): ``save(update_fields=)``, many-to-many ``remove``, a cascading delete
heard by ``pre_delete``/``post_delete`` receivers (``Model.delete`` and ``QuerySet.delete``),
``QuerySet.update``/``delete`` of many rows, ``select_for_update`` then writes inside a
transaction, nested savepoints of which one rolls back, and reads (``prefetch_related``,
``iterator()``) that must leave rows and pool as they were."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import ferrule
from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag
from .test_write_cancellation import _cancelled_everywhere, _tagged, _trap
from .write_cases import Given


class _Undone(Exception):
    pass


async def _save_update_fields(g: Given) -> Any:
    g["ann"].rating = 9
    g["ann"].name = "not written"
    await g["ann"].save(update_fields=["rating"])


async def _m2m_remove(g: Given) -> Any:
    await g["p1"].tags.remove(g["t1"], g["t2"])


async def _delete_heard(g: Given) -> Any:
    await g["ann"].delete()  # receivers on Author and Post: her posts are loaded and heard of


async def _queryset_delete_heard(g: Given) -> Any:
    return await Author.filter(name__in=["ann", "bo"]).delete()


async def _queryset_update(g: Given) -> Any:
    return await Post.filter(author__name="ann").update(views=orm.F("views") + 7)


async def _queryset_delete(g: Given) -> Any:
    return await Post.filter(views__lt=100).delete()


async def _locked_then_written(g: Given) -> Any:
    g["tx"] = tx = orm.transaction()
    async with tx:
        authors = await Author.filter(name__in=["ann", "bo"]).select_for_update().order_by("name")
        for author in authors:
            author.rating += 10
            await author.save()
        await Tag.filter(label="t3").delete()


async def _nested_savepoints(g: Given) -> Any:
    g["tx"] = tx = orm.transaction()
    async with tx:
        await Author.create(name="cy", rating=3)
        async with orm.transaction():
            await Tag.create(label="n1")
            try:
                async with orm.transaction():
                    await Tag.create(label="lost")
                    await Post.filter(title="p1").delete()
                    raise _Undone
            except _Undone:
                pass
            await g["p3"].tags.add(g["t3"])
        await Post.filter(title="p2").update(views=1)


WRITES: dict[str, Callable[[Given], Awaitable[Any]]] = {
    "save_update_fields": _save_update_fields,
    "m2m_remove": _m2m_remove,
    "delete_heard": _delete_heard,
    "queryset_delete_heard": _queryset_delete_heard,
    "queryset_update": _queryset_update,
    "queryset_delete": _queryset_delete,
    "locked_then_written": _locked_then_written,
    "nested_savepoints": _nested_savepoints,
}


class _Heard:
    """Sync and async delete receivers on Author and Post (Post's makes Post's rows, reached
    by the cascade, loaded and sent before the DELETE)."""

    def __init__(self) -> None:
        self.seen = 0

    def counted(self, sender: type, instance: Any, **kwargs: Any) -> None:
        self.seen += 1

    async def awaited(self, sender: type, instance: Any, **kwargs: Any) -> None:
        await Tag.filter(label="never").exists()  # a read of its own, in the delete's block
        self.seen += 1

    def __enter__(self) -> _Heard:
        for signal in (orm.pre_delete, orm.post_delete):
            signal.connect(Author, self.counted)
            signal.connect(Post, self.awaited)
        return self

    def __exit__(self, *exc: object) -> None:
        for signal in (orm.pre_delete, orm.post_delete):
            signal.disconnect(Author, self.counted)
            signal.disconnect(Post, self.awaited)


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_cancelled_write_is_all_or_nothing(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    url, tag = _tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        trap = _trap(db, how, monkeypatch)
        with _Heard() as heard:
            await _cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])
        if "heard" in write:
            assert heard.seen > 0
