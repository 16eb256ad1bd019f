"""The rows and the ORM writes the failure tests run (``test_write_cancellation``,
``test_killed_connections``): each write changes the starting rows (``reset``) in several
statements, and ``state`` reads every row they touch, by natural key."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ferrule import orm

from .models import Author, Post, Profile, Tag

Given = dict[str, Any]


async def state() -> tuple[list[Any], ...]:
    """Every row the operations touch, by natural key (generated keys differ run to run)."""
    return (
        sorted(await Author.values_list("name", "rating")),
        sorted(await Tag.values_list("label", flat=True)),
        sorted(await Post.values_list("title", "author__name", "views")),
        sorted(await Post.filter(tags__isnull=False).values_list("title", "tags__label")),
        sorted(await Profile.values_list("author__name", "bio")),
    )


async def reset() -> None:
    """The rows every run starts from: ann's two posts (p1 tagged t1, t2), bo's one."""
    async with orm.transaction():
        for model in (Profile, Post, Tag, Author):
            await model.all().delete()
        ann = await Author.create(name="ann", rating=1)
        bo = await Author.create(name="bo", rating=2)
        tags = [await Tag.create(label=f"t{i}") for i in (1, 2, 3)]
        p1 = await Post.create(title="p1", author=ann)
        await Post.create(title="p2", author=ann, views=5)
        await Post.create(title="p3", author=bo)
        await p1.tags.add(*tags[:2])
        await Profile.create(author=ann, bio="hers")


async def given() -> Given:
    """Fresh instances of the starting rows, by name."""
    out: Given = {a.name: a for a in await Author.all()}
    out.update({t.label: t for t in await Tag.all()})
    out.update({p.title: p for p in await Post.all()})
    return out


# -- the operations -----------------------------------------------------------------------------


async def _create(g: Given) -> Any:
    return await Author.create(name="cy", rating=3)


async def _save_new(g: Given) -> Any:
    await Author(name="cy", rating=3).save()


async def _save_changed(g: Given) -> Any:
    g["ann"].rating = 9
    await g["ann"].save()


async def _bulk_create_keys_back(g: Given) -> Any:
    return await Tag.bulk_create([Tag(label=f"n{i}") for i in range(5)], batch_size=2)


async def _bulk_create_copy(g: Given) -> Any:
    # keys given: none wanted back (PostgreSQL: COPY)
    return await Tag.bulk_create([Tag(id=1000 + i, label=f"n{i}") for i in range(5)])


async def _bulk_create_copy_keys(g: Given) -> Any:
    # enough rows for PostgreSQL to take the keys first and COPY the rows with them
    return await Tag.bulk_create([Tag(label=f"n{i:03}") for i in range(210)])


async def _bulk_update(g: Given) -> Any:
    posts = [g["p1"], g["p2"], g["p3"]]
    for post in posts:
        post.views += 10
    return await Post.bulk_update(posts, ["views"])


async def _get_or_create_new(g: Given) -> Any:
    return await Author.get_or_create(name="cy", defaults={"rating": 3})


async def _update_or_create_new(g: Given) -> Any:
    return await Author.update_or_create(name="cy", defaults={"rating": 3})


async def _update_or_create_found(g: Given) -> Any:
    return await Author.update_or_create(name="bo", defaults={"rating": 8})


async def _m2m_add(g: Given) -> Any:
    await g["p3"].tags.add(g["t1"], g["t2"], g["t3"])


async def _m2m_set(g: Given) -> Any:
    await g["p1"].tags.set([g["t2"], g["t3"]])


async def _m2m_clear(g: Given) -> Any:
    await g["p1"].tags.clear()


async def _cascading_delete(g: Given) -> Any:
    await g["ann"].delete()  # her posts, their tag links, her profile


async def _block(g: Given) -> Any:
    g["tx"] = tx = orm.transaction()
    async with tx:
        cy = await Author.create(name="cy", rating=3)
        new = await Tag.bulk_create([Tag(label="n1"), Tag(label="n2")])
        post = await Post.create(title="p4", author=cy)
        await post.tags.add(*new)
        await Post.filter(author__name="ann").update(views=orm.F("views") + 1)
        g["bo"].rating = 7
        await g["bo"].save()
        await g["p1"].tags.set([g["t3"]])
        await Author.get_or_create(name="dee", defaults={"rating": 4})
        await Author.update_or_create(name="ann", defaults={"rating": 6})


WRITES: dict[str, Callable[[Given], Awaitable[Any]]] = {
    "create": _create,
    "save_new": _save_new,
    "save_changed": _save_changed,
    "bulk_create_keys_back": _bulk_create_keys_back,
    "bulk_create_copy": _bulk_create_copy,
    "bulk_create_copy_keys": _bulk_create_copy_keys,
    "bulk_update": _bulk_update,
    "get_or_create_new": _get_or_create_new,
    "update_or_create_new": _update_or_create_new,
    "update_or_create_found": _update_or_create_found,
    "m2m_add": _m2m_add,
    "m2m_set": _m2m_set,
    "m2m_clear": _m2m_clear,
    "cascading_delete": _cascading_delete,
    "block": _block,
}


class Receivers:
    """``post_save`` receivers of ``Author``: a sync one counting, an async one that gives a
    new author a profile (a write of its own, in the save's transaction)."""

    def __init__(self) -> None:
        self.seen = 0

    def counted(self, sender: type, instance: Any, **kwargs: Any) -> None:
        self.seen += 1

    async def profiled(self, sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        await asyncio.sleep(0)
        if created and instance.name not in ("ann", "bo"):  # (those of reset have theirs)
            await Profile.create(author=instance, bio=f"about {instance.name}")

    def __enter__(self) -> Receivers:
        orm.post_save.connect(Author, self.counted)
        orm.post_save.connect(Author, self.profiled)
        return self

    def __exit__(self, *exc: object) -> None:
        orm.post_save.disconnect(Author, self.counted)
        orm.post_save.disconnect(Author, self.profiled)
