"""What ``prefetch_related`` stored on an instance after a related manager's write that
returned, raised or was cancelled at any await point: either nothing (the relation reads
as not loaded) or exactly the rows the database links, never the list from before a write
that went through. (Django drops the prefetched list before such a write.)"""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule.errors import RelationNotLoadedError

from .conftest import CancelTrap, cut_at, opened
from .models import Author, Post, Tag
from .test_write_cancellation import OPERATIONS

Made = dict[str, Any]

WRITES: dict[str, Callable[[Made], Awaitable[Any]]] = {
    "m2m_add": lambda m: m["p1"].tags.add(m["t3"]),
    "m2m_remove": lambda m: m["p1"].tags.remove(m["t1"]),
    "m2m_set": lambda m: m["p1"].tags.set([m["t3"]]),
    "m2m_clear": lambda m: m["p1"].tags.clear(),
    "m2m_create": lambda m: m["p1"].tags.create(label="new"),
    "reverse_add": lambda m: m["ann"].edited.add(m["p3"]),
    "reverse_remove": lambda m: m["ann"].edited.remove(m["p1"]),
    "reverse_set": lambda m: m["ann"].edited.set([m["p3"]]),
    "reverse_clear": lambda m: m["ann"].edited.clear(),
    "reverse_create": lambda m: m["ann"].edited.create(title="new", author=m["ann"]),
}


async def _made() -> Made:
    for model in (Post, Tag, Author):
        await model.all().delete()
    ann = await Author.create(name="ann")
    t1, t2, t3 = [await Tag.create(label=f"t{i}") for i in (1, 2, 3)]
    p1 = await Post.create(title="p1", author=ann, editor=ann)
    await Post.create(title="p2", author=ann, editor=ann)
    await Post.create(title="p3", author=ann)
    await p1.tags.add(t1, t2)
    made: Made = {"t1": t1, "t2": t2, "t3": t3}
    made["ann"] = await Author.all().prefetch_related("edited").get(name="ann")
    for post in await Post.all().prefetch_related("tags"):
        made[post.title] = post
    return made


async def _wrong(made: Made) -> list[str]:
    """The relations whose prefetched list is not what the database links now."""
    wrong = []
    for label, manager, truth in (
        ("p1.tags", made["p1"].tags, Tag.filter(posts__title="p1")),
        ("ann.edited", made["ann"].edited, Post.filter(editor__name="ann")),
    ):
        try:
            stored = sorted(x.pk for x in manager)
        except RelationNotLoadedError:
            continue
        if stored != sorted(await truth.values_list("pk", flat=True)):
            wrong.append(label)
    return wrong


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("write", list(WRITES))
async def test_a_related_write_leaves_no_stale_prefetched_list(
    url: str, dialect: str, how: str, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        trap = None
        if how == "in_flight":
            conn_class = type(db._pool.idle_connections()[0])
            trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
            trap.install(monkeypatch, conn_class)
        outcomes: collections.Counter[str] = collections.Counter()
        stale = []
        finished = 0
        for n in range(300):
            made = await _made()
            outcome, _ = await cut_at(WRITES[write](made), n, trap)
            outcomes[outcome] += 1
            stale.extend((n, outcome, label) for label in await _wrong(made))
            finished = finished + 1 if outcome == "ok" else 0
            if finished == 2 or (trap is not None and trap.calls < trap.target):
                break
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
        assert stale == [], outcomes
