"""The related managers' newer writes cancelled at every await point (the matrix of
``test_write_cancellation``): reverse foreign key ``add``/``remove``/``clear``/``set`` with
``bulk=False`` (a save per instance) and ``set(clear=True)``, reverse and many-to-many
``get_or_create``/``update_or_create``/``create``, many-to-many ``set(clear=True)``, and
``get_or_create``/``update_or_create`` inside a caller's block. The rows are exactly as
before or exactly as after, never a part; the pool is clean. The starting rows also give
ann's posts p1 and p2 her as their editor (``Post.editor``, the nullable key these writes
need), and the state read includes every post's editor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import ferrule
from ferrule import orm

from . import test_write_cancellation as matrix
from . import write_cases
from .conftest import opened
from .models import Author, Post
from .write_cases import Given


async def _state() -> tuple[list[Any], ...]:
    editors = sorted(await Post.values_list("title", "editor__name"), key=lambda r: r[0])
    return (*await write_cases.state(), editors)


async def _reset() -> None:
    await write_cases.reset()
    ann = await Author.get(name="ann")
    await Post.filter(title__in=["p1", "p2"]).update(editor=ann)


async def _reverse_add_each(g: Given) -> Any:
    await g["bo"].posts.add(g["p1"], Post(title="p4", author=g["ann"]), bulk=False)


async def _reverse_remove_each(g: Given) -> Any:
    await g["ann"].edited.remove(g["p1"], g["p2"], bulk=False)


async def _reverse_clear_each(g: Given) -> Any:
    await g["ann"].edited.clear(bulk=False)


async def _reverse_set_each(g: Given) -> Any:
    await g["ann"].edited.set([g["p2"], g["p3"]], bulk=False)


async def _reverse_set_cleared(g: Given) -> Any:
    await g["ann"].edited.set([g["p2"], g["p3"]], clear=True)


async def _reverse_get_or_create(g: Given) -> Any:
    return await g["bo"].posts.get_or_create(title="p9", defaults={"views": 4})


async def _reverse_update_or_create(g: Given) -> Any:
    return await g["bo"].posts.update_or_create(
        title="p9", defaults={"views": 4}, create_defaults={"views": 6}
    )


async def _m2m_set_cleared(g: Given) -> Any:
    await g["p1"].tags.set([g["t2"], g["t3"]], clear=True)


async def _m2m_get_or_create(g: Given) -> Any:
    return await g["p3"].tags.get_or_create(label="t9")


async def _m2m_update_or_create(g: Given) -> Any:
    return await g["p3"].tags.update_or_create(label="t9", defaults={"label": "t8"})


async def _m2m_create(g: Given) -> Any:
    return await g["p3"].tags.create(label="t8")


async def _made_in_block(g: Given) -> Any:
    g["tx"] = tx = orm.transaction()
    async with tx:
        await Author.get_or_create(name="cy", defaults={"rating": 3})
        await Author.update_or_create(name="bo", defaults={"rating": 8})
        await g["ann"].posts.get_or_create(title="p7")
        await g["p2"].tags.get_or_create(label="t7")


WRITES: dict[str, Callable[[Given], Awaitable[Any]]] = {
    "reverse_add_each": _reverse_add_each,
    "reverse_remove_each": _reverse_remove_each,
    "reverse_clear_each": _reverse_clear_each,
    "reverse_set_each": _reverse_set_each,
    "reverse_set_cleared": _reverse_set_cleared,
    "reverse_get_or_create": _reverse_get_or_create,
    "reverse_update_or_create": _reverse_update_or_create,
    "m2m_set_cleared": _m2m_set_cleared,
    "m2m_get_or_create": _m2m_get_or_create,
    "m2m_update_or_create": _m2m_update_or_create,
    "m2m_create": _m2m_create,
    "made_in_block": _made_in_block,
}


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_cancelled_related_write_is_all_or_nothing(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    monkeypatch.setattr(matrix, "state", _state)
    monkeypatch.setattr(matrix, "reset", _reset)
    url, tag = matrix._tagged(url, dialect)
    async with (
        opened(url, min_size=1, max_size=1) as db,
        await ferrule.connect(url, min_size=1, max_size=1) as observer,
    ):
        trap = matrix._trap(db, how, monkeypatch)
        await matrix._cancelled_everywhere(db, observer, dialect, tag, how, trap, WRITES[write])
