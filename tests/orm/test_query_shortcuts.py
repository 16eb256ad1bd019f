"""The shortcuts of a repeated filter query answer as the general paths do: a cached shape's
instances come back from ``Database._instances`` without a coroutine of the database layer
(SQLite's native runner) and step aside for blocks, a busy pool and errors; ``order_by``
remembers checked names but never for a ``str`` subclass; ``QuerySet._clone`` copies every
member (natively where the layout is proven); a cached shape checks a value of another type
as the compiler does. Every test runs on every backend (the SQLite shortcuts are simply not
taken elsewhere)."""

from __future__ import annotations

import asyncio
import enum
import sys
from pathlib import Path
from typing import Any

import pytest

from ferrule import orm
from ferrule.backends import sqlite as sqlite_backend
from ferrule.backends import sqlite_native
from ferrule.errors import FieldError
from ferrule.orm import queryset

from .conftest import opened
from .models import Author


class Rank(enum.IntEnum):
    TWO = 2


def _rows(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(type(a), a.id, a.name, a.rating, a.born) for a in found]


def _query() -> Any:
    return Author.filter(rating__gte=1).order_by("name").limit(10)


async def test_a_repeated_filter_runs_no_coroutine_of_the_database_layer(
    url: str, dialect: str
) -> None:
    async with opened(url) as db:
        await Author.bulk_create([Author(name=f"a{i}", rating=i % 3) for i in range(6)])
        first = await _query()  # compiled, and its shape cached
        called: list[str] = []

        def profile(frame: Any, event: str, arg: Any) -> None:
            if event == "call":
                called.append(frame.f_code.co_name)

        sys.setprofile(profile)
        try:
            again = await _query()
        finally:
            sys.setprofile(None)
        assert _rows(again) == _rows(first) and [a.name for a in first] == [
            "a1", "a2", "a4", "a5"
        ]  # fmt: skip
        if dialect == "sqlite" and sqlite_native.usable(sqlite_backend.sqlite3):
            waits = {"_text", "fetch_instances", "_settle", "_instances_later", "_prefetched"}
            assert not waits & set(called), called
        assert db._pool._in_use == 0


async def test_the_shortcut_steps_aside_for_blocks_and_a_busy_pool(url: str) -> None:
    async with opened(url, max_size=1) as db:
        await Author.create(name="a", rating=1)
        assert [a.name for a in await _query()] == ["a"]
        async with orm.transaction():  # the block's connection: its own row is seen
            await Author.create(name="b", rating=2)
            assert [a.name for a in await _query()] == ["a", "b"]
        started, release = asyncio.Event(), asyncio.Event()

        async def holder() -> None:
            async with db.transaction():
                await Author.create(name="c", rating=3)
                started.set()
                await release.wait()

        async def reader() -> list[str]:
            return [a.name for a in await _query()]

        held = asyncio.create_task(holder())
        await started.wait()
        waiting = asyncio.create_task(reader())  # the pool's one connection is taken
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiting.done()
        release.set()
        await held
        assert await waiting == ["a", "b", "c"]
        assert db._pool._in_use == 0


async def test_a_failed_read_gives_the_connection_back(tmp_path: Path) -> None:
    # SQLite's loose column types keep the text in a date column (the servers refuse it)
    async with opened(f"sqlite:///{tmp_path / 'g.db'}", max_size=1) as db:
        await Author.create(name="a", rating=1)
        await _query()
        await db.execute("UPDATE ormt_author SET born = 'not a date'")
        for _ in range(2):
            with pytest.raises(Exception) as caught:
                await _query()
            assert "not a date" in str(caught.value) or caught.value.args
            assert db._pool._in_use == 0
        await db.execute("UPDATE ormt_author SET born = NULL")
        assert [a.name for a in await _query()] == ["a"]


async def test_a_cached_shape_checks_other_types_as_the_compiler_does(url: str) -> None:
    async with opened(url) as db:
        await Author.create(name="a", rating=2)
        for _ in range(2):  # the compiler's pass, then the cached shape's
            found = await Author.filter(rating__gte=Rank.TWO).order_by("id")
            assert [a.name for a in found] == ["a"]
            assert [a.name for a in await Author.filter(rating__gte=True)] == ["a"]
        errors = []
        for _ in range(2):
            try:
                await Author.filter(rating__gte="two").order_by("id")
            except Exception as exc:
                errors.append(exc)
        assert len(errors) == 2 and type(errors[0]) is type(errors[1])
        assert str(errors[0]) == str(errors[1])
        assert db._pool._in_use == 0


class Shifty(str):
    """Equal to anything, hashed as "name": it must not pass as a checked name."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("name")


def test_order_by_checks_every_name_a_plain_checked_name_does_not_stand_for() -> None:
    assert Author.all().order_by("name")._order == ("name",)  # now remembered
    assert Author.all().order_by(Shifty("-rating"))._order == ("-rating",)
    assert type(Author.all().order_by(Shifty("name"))._order[0]) is str
    for bad in ("--name", Shifty("--name"), ""):
        with pytest.raises(FieldError):
            Author.all().order_by(bad)
    with pytest.raises(FieldError):
        Author.all().order_by(1)  # type: ignore[arg-type]
    again = Author.all().order_by("name")._order
    assert again == ("name",) and type(again[0]) is str


@pytest.mark.parametrize("member", queryset._STATE)
def test_a_clone_keeps_every_member_and_changes_only_its_own(member: str) -> None:
    original = Author.all()
    marker = object()
    setattr(original, member, marker)
    copy = original._clone()
    assert copy is not original and type(copy) is queryset.QuerySet
    for name in queryset._STATE:
        if name != "_key":  # the calls that made the original: a clone is made otherwise
            assert getattr(copy, name) is getattr(original, name), name
    assert copy._key is None
    changed = original._clone(member, "other")
    assert getattr(changed, member) == "other" and getattr(original, member) is marker


def test_the_native_copier_takes_only_the_class_it_proved() -> None:
    copier = pytest.importorskip("ferrule._ferrule").SlotCopier
    if queryset._copy is None:
        pytest.skip("the pure core, or fast paths off: _clone copies in Python")

    class Loose:  # a __dict__: not copied member by member
        pass

    class Two:
        __slots__ = ("a", "b")

    assert copier.of(Loose, ()) is None
    assert copier.of(Two, ("a",)) is None  # a member not named
    pair = copier.of(Two, ("a", "b"))
    assert pair is not None
    made = Two()
    made.a = [1]
    copied = pair.copy(made)
    assert copied.a is made.a and not hasattr(copied, "b")
    with pytest.raises(TypeError):
        pair.copy(Author.all())
