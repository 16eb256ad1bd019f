"""The ORM's per-call shortcuts answer exactly as the general paths do: the save plans and the
count texts cached per model and shape, and the instances SQLite's native runner builds
straight from the rows (``Database._instances``), compared with the tuple path a hooked
database takes. Every test runs on every backend (the shortcuts that are SQLite's are simply
not taken elsewhere); the stored-garbage cases need SQLite's loose column types."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import decimal
import uuid
from pathlib import Path
from typing import Any

import pytest

from backends import stepping
from ferrule import orm
from ferrule.backends import sqlite as sqlite_backend
from ferrule.backends import sqlite_native
from ferrule.errors import DatabaseError, IntegrityError, UnreadableValueError
from ferrule.models.fields import MISSING
from ferrule.orm import loading, persistence, save_plans

from .conftest import opened, own_tables
from .models import Author, Color, Everything, Level, Post

VALUES: dict[str, Any] = {
    "small": -7,
    "big": 2**40,
    "ratio": 0.25,
    "price": decimal.Decimal("12.500"),
    "flag": True,
    "code": "x",
    "note": "n",
    "blob": b"\x00\x01",
    "moment": dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=dt.timezone.utc),
    "naive": dt.datetime(1999, 12, 31, 8, 30),
    "day": dt.date(1815, 12, 10),
    "clock": dt.time(13, 14, 15),
    "span": dt.timedelta(days=2, microseconds=7),
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "data": {"a": [1, None, True]},
    "color": Color.GREEN,
    "level": Level.HIGH,
}


class Named(orm.Model):
    """An abstract base: each concrete model below has its own table and plan."""

    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)

    class Meta:
        abstract = True


class Cat(Named):
    lives: int = 9

    class Meta:
        table = "ormt_hot_cat"


class Ship(Named):
    crew: str = orm.Field(max_length=20, default="")
    tons: float = 0.0

    class Meta:
        table = "ormt_hot_ship"


class Lifeboat(Ship):
    """A subclass of a concrete model: one field more, a table of its own."""

    seats: int = 4

    class Meta:
        table = "ormt_hot_lifeboat"


class Badge(orm.Model):
    """A plain model with a unique column: its written-out insert can violate it."""

    id: int = orm.Field(primary_key=True)
    code: str = orm.Field(max_length=20, unique=True)

    class Meta:
        table = "ormt_hot_badge"


OWN = (Cat, Ship, Lifeboat)


def _state(instance: Any) -> tuple[Any, ...]:
    """What a loaded instance holds: each column's value and type (or that it was deferred)."""
    out = []
    for name in type(instance)._meta.columns:
        value = getattr(instance, name, MISSING)
        out.append((name, "<deferred>") if value is MISSING else (name, value, type(value)))
    return (type(instance), tuple(out))


async def _twice(db: Any, load: Any) -> tuple[Any, Any, list[str]]:
    """``load()`` on the database as it is (SQLite, PostgreSQL: fused), then watched by a
    hook (the tuple path); the results and the operations the hook saw."""
    fused = await load()
    seen: list[str] = []

    def hook(event: Any) -> None:
        seen.append(event.operation)

    db.add_hook(before=hook)
    try:
        tupled = await load()
    finally:
        db.remove_hook(before=hook)
    return fused, tupled, seen


async def _fuses(db: Any) -> bool:
    """Whether ``db`` has its driver build the instances (of no field, from ``SELECT 1``)."""
    made = db._instances("SELECT 1", [], Author, ((), (), ()))
    if made is None:
        return False
    if type(made) is not list:  # not at once: an awaitable of them
        made = await made
    assert len(made) == 1 and type(made[0]) is Author
    return True


async def test_fused_loading_gives_what_the_tuple_path_gives(url: str, dialect: str) -> None:
    async with opened(url) as db:
        full = await Everything.create(**VALUES)
        await Everything.create()  # every nullable column NULL, the defaults elsewhere
        loads = [
            lambda: Everything.all().order_by("id"),
            lambda: Everything.filter(flag=True),
            lambda: Everything.only("price", "key", "moment").order_by("-id"),
            lambda: Everything.defer("data", "note", "span").order_by("id"),
            lambda: Everything.filter(id__gte=full.id).order_by("id").limit(5).offset(1),
            lambda: Everything.filter(level=Level.HIGH, color=Color.GREEN),
        ]
        for load in loads:
            fused, tupled, seen = await _twice(db, load)
            assert [_state(i) for i in fused] == [_state(i) for i in tupled]
            assert seen == ["fetch_tuples"]
        got, hooked, seen = await _twice(db, lambda: Everything.get(id=full.id))
        assert _state(got) == _state(hooked) and seen == ["fetch_tuples"]
        for name, value in VALUES.items():
            assert getattr(got, name) == value and type(getattr(got, name)) is type(value), name
        # SQLite's native runner, and asyncpg's records through the native core's model_rows
        fused_on = {
            "sqlite": sqlite_native.usable(sqlite_backend.sqlite3),
            "postgres": loading._native_rows is not None,
        }
        assert await _fuses(db) == fused_on.get(dialect, False)


async def test_fused_loading_of_subclass_models_and_prefetch(url: str) -> None:
    async with opened(url) as db, own_tables(*OWN):
        await Cat.create(name="tom", lives=7)
        await Ship.create(name="ark", crew="noah", tons=1.5)
        await Lifeboat.create(name="dinghy", crew="pi", tons=0.5, seats=2)
        for model in OWN:
            fused, tupled, _ = await _twice(db, lambda m=model: m.all())
            assert [_state(i) for i in fused] == [_state(i) for i in tupled]
            assert len(fused) == 1 and type(fused[0]) is model
        boat = await Lifeboat.get(name="dinghy")
        assert (boat.crew, boat.tons, boat.seats) == ("pi", 0.5, 2)
        ada = await Author.create(name="Ada")
        await Post.create(title="p1", author=ada)
        fused, tupled, _ = await _twice(db, lambda: Author.all().prefetch_related("posts"))
        assert [[p.title for p in a.posts] for a in fused] == [["p1"]]
        assert [[p.title for p in a.posts] for a in tupled] == [["p1"]]


async def test_save_plans_follow_the_model_and_the_shape_of_each_save(url: str) -> None:
    async with opened(url), own_tables(*OWN):
        ship = await Ship.create(name="a", crew="c1", tons=1.0)
        boat = await Lifeboat.create(name="b", crew="c2", tons=2.0, seats=9)
        await Cat.create(name="c")
        keyed = await Ship.create(id=500, name="k", crew="own key")  # a key of our own
        assert keyed.id == 500 and (await Ship.get(id=500)).crew == "own key"
        boat.seats, boat.crew = 3, "c3"
        await boat.save()
        ship.tons = 9.5
        await ship.save()
        ship.crew, ship.tons = "kept", 0.0
        await ship.save(update_fields=["crew"])  # another shape: only crew is written
        assert _state(await Ship.get(id=ship.id)) == _state(
            Ship(id=ship.id, name="a", crew="kept", tons=9.5)
        )
        assert _state(await Lifeboat.get(id=boat.id)) == _state(
            Lifeboat(id=boat.id, name="b", crew="c3", tons=2.0, seats=3)
        )
        gone = await Cat.create(name="gone")
        await Cat.filter(id=gone.id).delete()
        gone.lives = 1
        await gone.save()  # its row is gone: the save inserts it again
        assert (await Cat.get(id=gone.id)).lives == 1
        with pytest.raises(Cat.DoesNotExist):
            await Cat(id=99999, name="ghost").save(force_update=True)
        half = Cat.model_construct(name="half")  # a field never set: the general path
        await half.save()
        assert (await Cat.get(id=half.id)).lives == 9
        assert await Cat.count() == 3 and await Ship.count() == 2


async def test_count_texts_are_per_filter_shape(url: str) -> None:
    async with opened(url):
        for name, rating in (("a", 1), ("b", 5), ("c", 5), ("d", 9)):
            await Author.create(name=name, rating=rating)
        queries = [
            Author.all(),
            Author.filter(rating=5),
            Author.filter(rating__gte=5),
            Author.filter(rating__lte=5),
            Author.filter(rating__gt=5),
            Author.filter(name="a"),
            Author.filter(rating=5, name="b"),
            Author.filter(rating=5).filter(name="c"),
            Author.exclude(rating=5),
            Author.filter(rating__in=[1, 9]),
            Author.filter(posts__title="none"),
            Author.filter(rating=5).distinct(),
            Author.all()[1:3],
        ]
        for _ in range(2):  # the second round is served by the cached texts
            for query in queries:
                assert await query.count() == len(await query), query
        assert [await Author.filter(rating=r).count() for r in (1, 5, 9, 2)] == [1, 2, 1, 0]
        assert await Author.filter(rating__gte=1).count() == 4


async def test_gets_of_different_shapes_do_not_share_a_text(url: str) -> None:
    async with opened(url):
        a = await Author.create(name="a", rating=1)
        b = await Author.create(name="b", rating=2)
        assert (await Author.get(id=a.id)).name == "a"
        assert (await Author.get(name="b")).id == b.id
        assert (await Author.get(id=b.id, name="b")).rating == 2
        assert (await Author.get(rating=1)).id == a.id
        with pytest.raises(Author.DoesNotExist):
            await Author.get(id=a.id, name="b")
        with pytest.raises(Author.MultipleObjectsReturned):
            await Author.get(rating__gte=1)


async def test_hooks_and_the_slow_log_see_every_orm_statement(url: str) -> None:
    async with opened(url, slow_query_threshold=1e-9) as db:
        seen: list[tuple[str, str]] = []
        db.add_hook(after=lambda e: seen.append((e.operation, e.sql.split()[0].upper())))
        slow = db.slow_queries
        ada = await Author.create(name="Ada")
        ada.rating = 3
        await ada.save()
        await Author.get(id=ada.id)
        await Author.filter(rating=3)
        await Author.all()
        assert await Author.filter(rating=3).count() == 1
        assert [sql for _, sql in seen] == [
            "INSERT",
            "UPDATE",
            "SELECT",
            "SELECT",
            "SELECT",
            "SELECT",
        ]
        assert "fetch_instances" not in {op for op, _ in seen}
        assert db.slow_queries - slow == len(seen)


async def _cancel_each_step(load: Any, expected: list[Any], check: Any) -> dict[str, int]:
    """Cancel ``load()`` in the 0th, 1st, 2nd, ... state of its work (`stepping`) until it has
    finished first three times; after each cancellation ``check()`` must find the connection
    as it was."""
    outcomes = {"cancelled": 0, "finished": 0}
    for n in range(1000):
        task, steps = stepping.start(load())
        await stepping.cancel_at(task, steps, n)
        try:
            got = await task
        except asyncio.CancelledError:
            outcomes["cancelled"] += 1
        else:
            outcomes["finished"] += 1
            assert [_state(i) for i in got] == expected
            if outcomes["finished"] >= 3:
                break
        await check()
    return outcomes


async def test_a_fetch_cancelled_at_every_await_point_leaves_the_connection_usable(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite: a read gives up the loop after its first 512 rows (the native runner's and the
    # module's), so a large one goes on in a worker thread, and a cancellation can strike then.
    monkeypatch.setattr(sqlite_backend, "_HALF_BUDGET", 0.0)
    monkeypatch.setattr(sqlite_backend, "LOOP_BUDGET", 0.0)
    async with opened(url, max_size=1) as db:
        await Author.bulk_create([Author(name=f"n{i:04d}", rating=i % 7) for i in range(1500)])
        authors = await Author.all().order_by("id")
        expected = [_state(a) for a in authors]
        threes = [_state(a) for a in authors if a.rating == 3]
        assert len(expected) == 1500

        async def check() -> None:
            assert await Author.count() == 1500
            assert [_state(a) for a in await Author.filter(rating=3).order_by("id")] == threes

        outcomes = await _cancel_each_step(lambda: Author.all().order_by("id"), expected, check)
        assert outcomes["cancelled"] > 1, outcomes
        async with db.connection():  # the same inside a block holding the connection
            outcomes = await _cancel_each_step(lambda: Author.all().order_by("id"), expected, check)
        assert outcomes["cancelled"] > 1, outcomes
        if dialect == "sqlite":
            assert db.stats()["offloaded"] > 0  # the worker thread did take part


async def _garbage(tmp_path: Path, column: str, value: Any) -> tuple[Any, Any]:
    """Load a row whose ``column`` holds ``value`` (SQLite keeps what it is given) on both
    paths; the two exceptions."""
    async with opened(f"sqlite:///{tmp_path / 'g.db'}") as db:
        made = await Everything.create()
        await db.execute(
            f'UPDATE ormt_everything SET "{column}" = ? WHERE id = ?', [value, made.id]
        )
        errors: list[Exception] = []
        for watched in (False, True):
            if watched:
                db.add_hook(before=lambda e: None)
            try:
                await Everything.filter(id=made.id)
            except Exception as exc:
                errors.append(exc)
        assert len(errors) == 2, errors
        return errors[0], errors[1]


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        # the ORM's converter, naming the field (orm.readers), raised as it is
        ("span", "not micros", UnreadableValueError),
        ("span", 1e30, UnreadableValueError),
        # the driver's column converter (backends.sqlite_types), translated
        ("naive", "not a time", UnreadableValueError),
        ("key", "not a uuid", UnreadableValueError),
    ],
)
async def test_a_failing_converter_raises_the_same_on_both_paths(
    tmp_path: Path, column: str, value: Any, kind: type[Exception]
) -> None:
    fused, tupled = await _garbage(tmp_path, column, value)
    assert type(fused) is type(tupled) and str(fused) == str(tupled)
    assert isinstance(fused, kind)


async def test_the_written_out_update_of_save_answers_as_the_general_path(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Model.save`` updates a plain model's existing row itself (``save_method``); every
    other save goes to ``persistence.save``. Both write the same rows and raise the same."""
    general: list[Any] = []
    original = persistence.save

    async def counted(instance: Any, *args: Any, **kwargs: Any) -> None:
        general.append(instance)
        await original(instance, *args, **kwargs)

    monkeypatch.setattr(persistence, "save", counted)
    async with opened(url) as db:
        ada, bob = await Author.create(name="Ada"), await Author.create(name="Bob")
        ada.rating = 1
        for _ in range(2):  # the first updates: made, checked and then kept by the general path
            await ada.save()
        assert save_plans.PLANS[(Author, dialect)].update is not None
        general.clear()
        seen: list[str] = []
        db.add_hook(before=lambda event: seen.append(event.operation))
        ada.rating, bob.rating = 2, 3
        await ada.save()
        await persistence.save(bob, None, None, False, False)  # the general path, directly
        assert general == [bob] and seen == ["execute", "execute"]
        assert [(a.name, a.rating) for a in await Author.all().order_by("id")] == [
            ("Ada", 2),
            ("Bob", 3),
        ]
        bob.name = "Ada"
        for save in (bob.save, lambda: persistence.save(bob, None, None, False, False)):
            with pytest.raises(IntegrityError, match=r"^Author: "):
                await save()
        bob.name = "Bob"
        await Author.filter(id=ada.id).delete()
        ada.rating = 4
        await ada.save()  # its row is gone: inserted again, as the general path does
        assert (await Author.get(id=ada.id)).rating == 4
        assert len(general) == 2  # bob's second failing save: the general path
        calls: list[Any] = []

        async def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
            calls.append(instance)

        orm.post_save.connect(Author, receiver)
        try:
            await ada.save()  # a receiver watches: the general path runs it
        finally:
            orm.post_save.disconnect(Author, receiver)
        assert calls == [ada] and len(general) == 3
        with pytest.raises(KeyError):
            async with orm.transaction():
                ada.rating = 5
                await ada.save()
                assert (await Author.get(id=ada.id)).rating == 5
                raise KeyError
        assert (await Author.get(id=ada.id)).rating == 4 and len(general) == 3


async def test_the_written_out_insert_of_create_answers_as_the_general_path(
    url: str, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Model.create`` inserts a plain model's new row itself once ``persistence.save`` has
    made its text (``Queries.create``); a key of its own, a receiver or a field never set go
    to ``persistence.save``. Both write the same rows, read the key back and raise the same."""
    general: list[Any] = []
    original = persistence.save

    async def counted(instance: Any, *args: Any, **kwargs: Any) -> None:
        general.append(instance)
        await original(instance, *args, **kwargs)

    monkeypatch.setattr(persistence, "save", counted)
    async with opened(url) as db, own_tables(Badge):
        first = await Badge.create(code="a")  # the general path makes and keeps the text
        assert save_plans.PLANS[(Badge, dialect)].insert is not None and general == [first]
        general.clear()
        seen: list[str] = []
        db.add_hook(before=lambda event: seen.append(event.operation))
        second = await Badge.create(code="b", using=db)
        assert general == [] and seen == ["fetch_tuples"]
        assert type(second.id) is int and second.id > first.id
        assert _state(await Badge.get(id=second.id)) == _state(Badge(id=second.id, code="b"))
        for create in (
            lambda: Badge.create(code="a"),
            lambda: persistence.save(Badge(code="a"), None, None, True, False),
        ):
            with pytest.raises(IntegrityError, match=r"^Badge: "):
                await create()
        assert len(general) == 1  # the second, directly
        keyed = await Badge.create(id=900, code="own key")  # a key of its own: general
        assert keyed.id == 900 and general[-1] is keyed
        calls: list[Any] = []

        async def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
            calls.append(instance.id)

        orm.post_save.connect(Badge, receiver)
        try:
            watched = await Badge.create(code="watched")  # a receiver: the general path
        finally:
            orm.post_save.disconnect(Badge, receiver)
        assert calls == [watched.id] and general[-1] is watched
        with pytest.raises(KeyError):
            async with orm.transaction():
                gone = await Badge.create(code="gone")
                assert (await Badge.get(id=gone.id)).code == "gone"
                raise KeyError
        assert general[-1] is watched
        assert sorted(b.code for b in await Badge.all()) == ["a", "b", "own key", "watched"]


@pytest.mark.parametrize("size", [0, 1, 256])
async def test_postgres_instances_follow_a_result_type_changed_behind_ferrule(
    url: str, dialect: str, size: int
) -> None:
    """PostgreSQL's instances are built from statements ferrule runs on asyncpg's protocol
    itself (``PostgresConnection.fetch_instances``). When another connection changes a
    column's type, the server refuses the kept statement (its result type changed): outside a
    transaction the statement is prepared again and answers, as asyncpg's own methods do; in
    a transaction it is a typed error, and the next query outside works. With a statement
    cache of 0 (unnamed statements) or 1 the kept-statement shortcut is not taken."""
    if dialect != "postgres":
        pytest.skip("asyncpg's kept statements: PostgreSQL's")
    import asyncpg  # type: ignore[import-untyped]

    async with (
        opened(f"{url}?statement_cache_size={size}", min_size=1, max_size=1),
        own_tables(Cat),
    ):
        await Cat.create(name="tom", lives=7)
        other = await asyncpg.connect(url)
        try:
            for kind in ("bigint", "integer", "bigint"):
                assert [c.lives for c in await Cat.filter(name="tom")] == [7]
                await other.execute(f"ALTER TABLE ormt_hot_cat ALTER COLUMN lives TYPE {kind}")
                got = await Cat.filter(name="tom")
                assert [(c.lives, type(c.lives)) for c in got] == [(7, int)]
            # in a transaction: refused where asyncpg's own fetch refuses (a kept statement)
            reference = await asyncpg.connect(url, statement_cache_size=size)
            try:
                select = "SELECT lives FROM ormt_hot_cat WHERE name = $1"
                await reference.fetch(select, "tom")
                await Cat.filter(name="tom")
                await other.execute("ALTER TABLE ormt_hot_cat ALTER COLUMN lives TYPE integer")
                async with reference.transaction():
                    try:
                        await reference.fetch(select, "tom")
                        refused = False
                    except asyncpg.InvalidCachedStatementError:
                        refused = True
                assert refused == (size > 0)
            finally:
                await reference.close()
            with contextlib.nullcontext() if not refused else pytest.raises(DatabaseError):
                async with orm.transaction():
                    await Cat.filter(name="tom")
            assert [c.lives for c in await Cat.filter(name="tom")] == [7]
        finally:
            await other.close()
