"""``bulk_create`` on every backend: batch boundaries, keys back in input order, upserts, a
failure in the middle, and cancellation at every await point (all or nothing)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import math
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import IntegrityError, ORMError
from ferrule.orm import bulk, bulk_copy, loading
from ferrule.orm.bulk import batch_rows

from .conftest import CancelTrap, cut_at, opened, own_tables
from .models import Author, Everything, Tag
from .test_types import VALUES


def _outcome(read: Any, *args: Any) -> Any:
    try:
        return read(*args)
    except Exception as exc:
        return type(exc), str(exc)


def test_native_and_pure_values_agree() -> None:
    """Instances -> the flat parameter list: the native reader and the pure twin give the
    same values, and the same error for what they cannot read."""
    ada = Author(id=1, name="ada", born=None, rating=3)
    bob = Author(id=2, name="bob", rating=0)
    partial = loading.build(Author, [(5, "cy")], (("id", "name"), (0, 1), (None, None)))[0]
    cases: list[tuple[Any, Any]] = [
        ([ada, bob], ("name", "rating", "id")),
        ((ada, bob), ("born",)),
        ([], ("name",)),
        ([ada], ()),
        ([ada, partial], ("name", "rating")),  # a field only()/defer() left out
        ([ada, Tag(label="t")], ("id",)),
        ([ada], ("name", "nope")),
        ({ada}, ("name",)),
    ]
    for instances, names in cases:
        native = _outcome(bulk.model_values, Author, instances, names)
        twin = _outcome(bulk._pure_values, Author, instances, names)
        assert native == twin, (instances, names)
    assert bulk.model_values(Author, [ada, bob], ("name", "rating")) == ["ada", 3, "bob", 0]
    assert _outcome(bulk.model_values, Author, [ada, partial], ("rating",))[0] is AttributeError


def test_native_and_pure_store_agree() -> None:
    """Keys -> instances: the native store and the pure twin set the same values and raise
    the same error (stores made before it stay made, in both)."""
    cases: list[tuple[Any, str, Any]] = [
        (list, "id", range(7, 9)),
        (tuple, "rating", [4, 5]),
        (lambda made: [], "id", []),
        (list, "id", [1]),
        (list, "id", [1, 2, 3]),
        (lambda made: [*made, Tag(label="t")], "id", [1, 2, 3]),
        (list, "nope", [1, 2]),
        (iter, "id", [1, 2]),
        (list, "id", 5),
    ]
    for shape, name, values in cases:
        sides = []
        for store in (bulk.model_store, bulk._pure_store):
            made = [Author(name="ada"), Author(name="bob")]
            outcome = _outcome(store, Author, shape(made), name, values)
            sides.append((outcome, [a.model_dump() for a in made]))
        assert sides[0] == sides[1], (shape, name, values)
    ada = Author(name="ada")
    bulk.model_store(Author, [ada], "id", [11])
    assert ada.id == 11 and ada.model_dump()["id"] == 11


class Statements:
    """The INSERTs a database is sent (a ``before`` hook): their count, and the rows."""

    def __init__(self, db: Any) -> None:
        self.events: list[Any] = []
        db.add_hook(before=self.seen)

    def seen(self, event: Any) -> None:
        if event.sql.startswith(("INSERT", "COPY")):
            self.events.append(event)


def authors(count: int, start: int = 0) -> list[Author]:
    return [Author(name=f"a{start + i:05d}", rating=i % 7) for i in range(count)]


async def assert_stored(made: list[Author]) -> None:
    """Every instance holds the key of the row stored with its values (keys in input order)."""
    stored = {
        key: (name, rating)
        for key, name, rating in await Author.values_list("id", "name", "rating")
    }
    assert len(stored) == len(made)
    assert {a.id: (a.name, a.rating) for a in made} == stored


@pytest.mark.parametrize(
    ("count", "batch_size"),
    [(0, 10), (1, 10), (10, 10), (11, 10), (25, 10), (3, 1), (1, None), (30, None)],
)
async def test_keys_come_back_in_input_order_across_batches(
    url: str, count: int, batch_size: int | None
) -> None:
    async with opened(url) as db:
        seen = Statements(db)
        made = authors(count)
        assert await Author.bulk_create(made, batch_size=batch_size) == made
        await assert_stored(made)
        size = batch_rows(db.dialect, 3, batch_size, unnest=db.dialect == "postgres")
        assert len(seen.events) == math.ceil(count / size)
        if db.dialect == "postgres" and count:
            assert "unnest(" in seen.events[0].sql


@pytest.mark.parametrize("extra", [0, 1])
async def test_default_batches_hold_the_dialects_rows_per_statement(
    url: str, extra: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """N and N+1 rows, N the default for the dialect: one statement, then two (both ways;
    PostgreSQL's keys back by ``unnest``, not by the one ``COPY`` of ``test_bulk_copy``)."""
    monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 10**9)
    async with opened(url) as db:
        seen = Statements(db)
        size = batch_rows(db.dialect, 3, None, unnest=db.dialect == "postgres")
        made = authors(size + extra)
        await Author.bulk_create(made)
        await assert_stored(made)
        assert len(seen.events) == 1 + extra
        keyed = [Author(id=-1 - i, name=f"k{i:05d}") for i in range(size + extra)]
        seen.events.clear()
        await Author.bulk_create(keyed)
        width_size = batch_rows(db.dialect, 4, None)
        wanted = {"postgres": 1, "mysql": 1}.get(db.dialect, math.ceil(len(keyed) / width_size))
        assert len(seen.events) == wanted  # COPY; MariaDB: the driver's executemany
        assert await Author.filter(id__lt=0).count() == len(keyed)


async def test_sqlite_statements_hold_about_8000_parameters(url: str, dialect: str) -> None:
    """Each SQLite statement also costs a fixed ~150 us, so the default fills each INSERT to
    near 8,000 parameters (under the 32,766 SQLite allows), with keys back or not."""
    if dialect != "sqlite":
        pytest.skip("SQLite's own batch size")
    async with opened(url) as db:
        seen = Statements(db)
        await Author.bulk_create(authors(8_001))
        await Author.bulk_create([Author(id=-1 - i, name=f"k{i}") for i in range(4_001)])
        assert [len(e.params) for e in seen.events] == [7998, 7998, 7998, 9, 8000, 8000, 4]


@pytest.mark.parametrize("batch_size", [3, None])
async def test_an_upsert_naming_a_key_twice_updates_in_order(url: str, batch_size: int) -> None:
    """Two rows of one upsert statement with the same key: SQLite and MariaDB wrote the first
    and updated it with the second, PostgreSQL raised a bare DatabaseError ("ON CONFLICT DO
    UPDATE command cannot affect row a second time"); every database upserts in order now
    (``bulk._once_each``), and ``"ignore"`` keeps the first."""
    async with opened(url):
        await Author.create(name="b", rating=1)
        rows = [Author(name=n, rating=r) for n, r in (("a", 2), ("b", 3), ("a", 4), ("b", 5))]
        await Author.bulk_create(rows, on_conflict=("update", ["rating"]), batch_size=batch_size)
        assert sorted(await Author.values_list("name", "rating")) == [("a", 4), ("b", 5)]
        rows = [Author(name=n, rating=r) for n, r in (("c", 6), ("c", 7), ("a", 8))]
        await Author.bulk_create(rows, on_conflict="ignore", batch_size=batch_size)
        assert sorted(await Author.values_list("name", "rating")) == [("a", 4), ("b", 5), ("c", 6)]


class UpKeyed(orm.Model):
    id: int = orm.Field(primary_key=True)
    code = orm.CharField(max_length=5, unique=True)
    n: int = 0

    class Meta:
        table = "ormt_up_keyed"


async def test_an_upsert_updates_only_through_its_own_key(url: str, dialect: str) -> None:
    """``on_conflict=("update", ["n"])`` is about ``code``: a row whose given primary key is
    another row's was an IntegrityError on PostgreSQL and SQLite, but MariaDB's ON DUPLICATE
    KEY UPDATE, which answers a clash of any unique key, updated that other row. An
    IntegrityError on every database now, nothing written. A row clashing on both keys, with
    two different rows, updates the row of its code on PostgreSQL and SQLite; MariaDB cannot
    say which key it met, and refuses it (IntegrityError). A row given its own key and code
    is updated everywhere."""
    async with opened(url), own_tables(UpKeyed):
        await UpKeyed.create(id=1, code="a")
        await UpKeyed.create(id=2, code="b")
        rows = UpKeyed.order_by("id").values_list("id", "code", "n")
        with pytest.raises(IntegrityError):
            await UpKeyed.bulk_create([UpKeyed(id=1, code="c", n=5)], on_conflict=("update", ["n"]))
        assert await rows == [(1, "a", 0), (2, "b", 0)]
        both = [UpKeyed(id=3, code="d", n=6), UpKeyed(id=2, code="a", n=7)]
        if dialect == "mysql":
            with pytest.raises(IntegrityError):
                await UpKeyed.bulk_create(both, on_conflict=("update", ["n"]))
            assert await rows == [(1, "a", 0), (2, "b", 0)]
        else:
            await UpKeyed.bulk_create(both, on_conflict=("update", ["n"]))
            assert await rows == [(1, "a", 7), (2, "b", 0), (3, "d", 6)]
            await UpKeyed.filter(id__in=[1, 3]).update(n=0)
            await UpKeyed.filter(id=3).delete()
        same = [UpKeyed(id=1, code="a", n=8), UpKeyed(id=4, code="e", n=9)]
        await UpKeyed.bulk_create(same, on_conflict=("update", ["n"]))
        assert await rows == [(1, "a", 8), (2, "b", 0), (4, "e", 9)]


@pytest.mark.parametrize("keys", ["back", "given"])
async def test_batch_size_one_and_keys_given(url: str, keys: str) -> None:
    async with opened(url):
        if keys == "back":
            made = authors(4)
        else:
            made = [Author(id=-1 - i, name=f"g{i}", rating=i) for i in range(4)]
        await Author.bulk_create(made, batch_size=1)
        await assert_stored(made)


async def test_the_next_generated_key_follows_the_largest_key_given(url: str) -> None:
    """Keys given to a bulk insert (COPY on PostgreSQL, past ``COPY_KEYS_FROM`` rows, in no
    order): the next key the database makes follows the largest, as AUTO_INCREMENT does
    (an IntegrityError before ``orm.key_sequence``)."""
    async with opened(url):
        count = bulk_copy.COPY_KEYS_FROM + 50
        made = [Author(id=(i * 7919) % 1000 + 1, name=f"k{i}", rating=1) for i in range(count)]
        assert len({a.id for a in made}) == count
        await Author.bulk_create(made)
        await assert_stored(made)
        after = await Author.create(name="after", rating=2)
        assert after.id > max(a.id for a in made)  # (past earlier tests' keys too)


async def test_every_type_goes_through_every_bulk_path(url: str) -> None:
    """unnest (keys back on PostgreSQL) casts each column's array: every logical type."""
    async with opened(url):
        made = [Everything(**VALUES), Everything(), Everything(**VALUES)]
        await Everything.bulk_create(made, batch_size=2)
        keyed = [Everything(id=-1, **VALUES), Everything(id=-2)]
        await Everything.bulk_create(keyed)
        for obj in [*made, *keyed]:
            loaded = await Everything.get(id=obj.id)
            for name in VALUES:
                assert getattr(loaded, name) == getattr(obj, name), name
                assert type(getattr(loaded, name)) is type(getattr(obj, name)), name


async def test_text_longer_than_the_column_is_refused_not_cut(url: str, dialect: str) -> None:
    """The unnest arrays carry no length: the column's own check applies (no silent cut)."""
    async with opened(url):
        long = Author.model_construct(name="x" * 101, rating=0)
        with pytest.raises(ferrule.ValidationError):
            await Author.bulk_create([Author(name="ok"), long])
        assert await Author.count() == 0


@pytest.mark.parametrize("batch_size", [2, None])
async def test_on_conflict_across_batches(url: str, batch_size: int | None) -> None:
    async with opened(url):
        await Author.create(name="a00001", rating=1)
        await Author.create(name="a00003", rating=1)
        await Author.bulk_create(authors(5), on_conflict="ignore", batch_size=batch_size)
        assert sorted(await Author.values_list("name", "rating")) == [
            ("a00000", 0),
            ("a00001", 1),
            ("a00002", 2),
            ("a00003", 1),
            ("a00004", 4),
        ]
        changed = [Author(name=f"a{i:05d}", rating=6) for i in (0, 3, 5)]
        await Author.bulk_create(changed, on_conflict=("update", ["rating"]), batch_size=batch_size)
        ratings = dict(await Author.values_list("name", "rating"))
        assert ratings == {
            "a00000": 6,
            "a00001": 1,
            "a00002": 2,
            "a00003": 6,
            "a00004": 4,
            "a00005": 6,
        }


@pytest.mark.parametrize("keys", ["back", "given"])
async def test_a_violation_in_the_third_batch_keeps_nothing(url: str, keys: str) -> None:
    async with opened(url):
        made = authors(30)
        made[25] = Author(name=made[3].name)  # the same unique name, in the third batch of 10
        if keys == "given":
            for i, author in enumerate(made):
                author.id = -1 - i
        with pytest.raises(IntegrityError) as info:
            async with orm.transaction():
                await Author.create(name="inside")
                await Author.bulk_create(made, batch_size=10)
        assert str(info.value).startswith("Author: ")
        assert info.value.constraint and "name" in info.value.constraint
        assert await Author.count() == 0
        assert all(a.id is None for a in made) if keys == "back" else True  # keys taken back
        with pytest.raises(IntegrityError):  # its own transaction: nothing either
            await Author.bulk_create(made, batch_size=10)
        assert await Author.count() == 0


# The connection operations a bulk insert awaits; "in_flight" cancels while the N-th is on
# its way to the server, for every N.
OPERATIONS = (
    "begin",
    "commit",
    "rollback",
    "execute",
    "fetch_tuples",
    "fetch_val",
    "execute_many",
    "copy_records",
)


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["own", "outer"])
@pytest.mark.parametrize("keys", ["back", "given", "back by COPY"])
async def test_cancel_at_every_await_point_keeps_all_or_nothing(
    url: str, dialect: str, how: str, shape: str, keys: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    if keys == "back by COPY":
        if dialect != "postgres":
            pytest.skip("keys taken from the sequence, then COPY: PostgreSQL's")
        monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 1)
    async with opened(url, min_size=1, max_size=1) as db:
        await Author.create(name="before")
        trap = CancelTrap(OPERATIONS)
        if how == "in_flight":
            trap.install(monkeypatch, type(db._pool.idle_connections()[0]))
        outcomes: collections.Counter[str] = collections.Counter()
        finished_first = 0
        for n in range(2000):
            made = authors(25, start=1000 * n)
            if keys == "given":
                for i, author in enumerate(made):
                    author.id = -1 - 1000 * n - i
            tx = db.transaction()

            async def work(made: list[Author] = made, tx: Any = tx) -> None:
                if shape == "own":
                    await Author.bulk_create(made, batch_size=10)
                else:
                    async with tx:
                        await Author.bulk_create(made, batch_size=10)

            outcome, _ = await cut_at(work(), n, None if how == "loop" else trap)
            outcomes[outcome] += 1
            names = set(await Author.values_list("name", flat=True))
            present = names - {"before"}
            assert "before" in names
            assert present in (set(), {a.name for a in made}), "a partial bulk insert"
            if outcome == "ok" or (shape == "outer" and tx.committed):
                assert present, "reported success but not committed"
                await assert_stored([*made, *await Author.filter(name="before")])
            elif shape == "outer":
                assert not present
            if not present and keys != "given" and shape == "own":
                assert all(a.id is None for a in made), "keys of rows that were rolled back"
            await Author.exclude(name="before").delete()
            assert db.stats()["in_use"] == 0
            if how == "in_flight" and trap.calls < trap.target:
                break  # every operation of the bulk insert got its cancellation
            finished_first = finished_first + 1 if outcome == "ok" else 0
            if finished_first == 3:
                break
        assert outcome == "ok" and outcomes["cancelled"] > 0, outcomes


async def test_a_bulk_insert_in_a_cancelled_outer_block_is_rolled_back(url: str) -> None:
    async with opened(url):
        started = asyncio.Event()

        async def work() -> None:
            async with orm.transaction():
                await Author.bulk_create(authors(30), batch_size=10)
                started.set()
                await asyncio.sleep(3600)

        task = asyncio.create_task(work())
        await started.wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert await Author.count() == 0


async def test_a_model_of_nothing_but_its_key(url: str) -> None:
    """No column to send: a row of defaults each (a division by zero before)."""

    class Lone(orm.Model):
        id: int = orm.Field(primary_key=True)

        class Meta:
            table = "ormt_lone"

    async with opened(url), own_tables(Lone):
        made = [Lone(), Lone(), Lone()]
        await Lone.bulk_create(made, batch_size=2)
        assert sorted(await Lone.values_list("id", flat=True)) == sorted(o.id for o in made)
        assert None not in [o.id for o in made]
        with pytest.raises(ORMError, match="no column to upsert"):
            await Lone.bulk_create([Lone()], on_conflict="ignore")
