"""Reverse foreign key managers' ``bulk=False`` writes given an instance of a concrete subclass
of the related model (a table of its own): ``add(bulk=True)`` refuses it, but ``add``/``set``
with ``bulk=False`` took it (a subclass test where the bulk path asks for the model's rows),
saved the subclass's own row with the key set, and answered as if it had been added, while
the manager's rows stayed without it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables
from .models import Author, Post


class H5Writer(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10, default="")

    class Meta:
        table = "ormt_h5_writer"


class H5Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=10, default="")
    writer = orm.ForeignKeyField(H5Writer, null=True, on_delete="set null")

    class Meta:
        table = "ormt_h5_note"


class H5SubNote(H5Note):
    """A concrete subclass: its rows are in a table of its own, not H5Note's."""

    class Meta:
        table = "ormt_h5_subnote"


@pytest.mark.parametrize("call", ["add", "set"])
@pytest.mark.parametrize("bulk", [True, False])
async def test_a_row_of_another_table_is_refused_by_every_write(
    url: str, call: str, bulk: bool
) -> None:
    async with opened(url), own_tables(H5Writer, H5Note, H5SubNote):
        writer = await H5Writer.create(id=1, name="w")
        mine = await H5Note.create(id=1, title="mine", writer=writer)
        other = await H5SubNote.create(id=7, title="other")
        with pytest.raises(FieldError, match="H5Note instances"):
            if call == "add":
                await writer.h5note_set.add(other, bulk=bulk)
            else:
                await writer.h5note_set.set([mine, other], bulk=bulk)
        assert await H5SubNote.values_list("id", "writer_id") == [(7, None)]
        assert await writer.h5note_set.values_list("id", flat=True) == [mine.id]


TASKS = 6


@pytest.mark.parametrize("bulk", [True, False])
@pytest.mark.parametrize("clear", [False, True])
async def test_racing_reverse_sets_end_with_one_of_the_sets(
    url: str, bulk: bool, clear: bool
) -> None:
    """``ann.edited.set(objs)`` makes ``objs`` exactly the rows pointing at ann. Tasks setting
    different sets at once each read the rows to take out before any other committed, and
    all of them stayed (a mixture no call asked for); the instance's row is now locked
    first, as the many-to-many ``set()`` does, so the last one wins whole."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        ann = await Author.create(name="ann")
        posts = [await Post.create(title=f"p{k}", author=ann) for k in range(TASKS)]
        sets = [{(task + i) % TASKS for i in range(2)} for task in range(TASKS)]

        async def put(wanted: set[int]) -> None:
            mine = await Author.get(pk=ann.pk)
            objs = [await Post.get(pk=posts[k].pk) for k in sorted(wanted)]
            await mine.edited.set(objs, bulk=bulk, clear=clear)

        for _ in range(3):
            outcomes = await asyncio.gather(
                *(put(wanted) for wanted in sets), return_exceptions=True
            )
            assert [o for o in outcomes if o is not None] == []
            edited = await Post.filter(editor=ann).values_list("title", flat=True)
            assert {int(title[1:]) for title in edited} in sets, edited


@pytest.mark.parametrize("call", ["get_or_create", "update_or_create"])
async def test_racing_many_to_many_get_or_create_finds_the_row_made(url: str, call: str) -> None:
    """Tasks each asking ``post.tags.get_or_create(label=...)`` of one new label (unique):
    one makes and links the tag, the others find it. On MariaDB the losers raised the
    IntegrityError of the duplicate label: their second look read the links through a
    subquery, which a locking read leaves on the transaction's snapshot."""
    async with opened(url, min_size=TASKS, max_size=TASKS):
        ann = await Author.create(name="ann")
        post = await Post.create(title="p", author=ann)

        async def ask(label: str) -> tuple[Any, bool]:
            mine = await Post.get(pk=post.pk)
            if call == "get_or_create":
                return await mine.tags.get_or_create(label=label)  # type: ignore[no-any-return]
            return await mine.tags.update_or_create(label=label)  # type: ignore[no-any-return]

        for round_ in range(3):
            label = f"n{round_}"
            outcomes = await asyncio.gather(
                *(ask(label) for _ in range(TASKS)), return_exceptions=True
            )
            failures = [o for o in outcomes if isinstance(o, BaseException)]
            assert failures == [], failures
            assert [made for _, made in outcomes].count(True) == 1
            assert len({tag.pk for tag, _ in outcomes}) == 1
            linked = await Post.filter(pk=post.pk).values_list("tags__label", flat=True)
            assert sorted(linked) == [f"n{k}" for k in range(round_ + 1)]
