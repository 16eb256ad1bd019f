"""An instance's key after a write that failed or was cancelled says what the database holds:
a key when its row is there, None when it is not (``keys_made``, ``drop_keys``).

Two ends of a write's own transaction (the one ``save()`` and ``delete()`` open when signal
receivers listen, and ``bulk_create``'s) used to skip the bookkeeping: a receiver that raised
rolled the row back and left the key the INSERT returned (SQLite gives that key to the next
row: a later ``save()`` of the stale instance overwrote it), and a cancellation arriving as the
write's savepoint was released (the release runs uncut, the cancellation after it) left keys
of rows that the enclosing block's rollback then removed, or a deleted row's key.

A write outside any block that is a single statement in autocommit (a plain
``save()``/``delete()`` with no receiver), cancelled while that statement is on its way, may
or may not have run: its instance is then in doubt, and its next ``save()``/``delete()``
raises ``WriteInDoubtError`` (test_indoubt_cancelled_writes) rather than act on its key."""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.orm.in_doubt import in_doubt

from .conftest import CancelTrap, cut_at, opened
from .models import Author
from .test_write_cancellation import OPERATIONS


class _Refused(Exception):
    pass


def _refuse(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.name.startswith("refused"):
        raise _Refused(instance.name)


def _heard(sender: type, instance: Any, **kwargs: Any) -> None:
    pass


async def _key_of(name: str) -> Any:
    """The key of the row named ``name``, or None when there is none."""
    keys = await Author.filter(name=name).values_list("id", flat=True)
    return keys[0] if keys else None


@pytest.mark.parametrize("shape", ["alone", "block", "savepoint"])
async def test_a_save_whose_receiver_raises_takes_its_key_back(url: str, shape: str) -> None:
    async with opened(url):
        orm.post_save.connect(Author, _refuse)
        try:
            refused = Author(name="refused")
            with pytest.raises(_Refused):
                if shape == "alone":
                    await refused.save()
                else:
                    async with orm.transaction():
                        await Author.create(name="outer")
                        if shape == "block":
                            await refused.save()
                        else:
                            with pytest.raises(_Refused):
                                async with orm.transaction():
                                    await refused.save()
                            raise _Refused("the outer block too")
            assert refused.id is None and await _key_of("refused") is None
        finally:
            orm.post_save.disconnect(Author, _refuse)
        # SQLite gives the rolled-back key to the next row: the stale instance must not
        # write over it
        other = await Author.create(name="other")
        refused.name = "refused, saved again"
        await refused.save()
        assert await _key_of("other") == other.id
        assert sorted(await Author.values_list("name", flat=True)) == [
            "other",
            "refused, saved again",
        ]


async def _refused_in_doubt(instance: Any) -> bool:
    """Whether ``save()`` and ``delete()`` of ``instance`` refuse to act on a key that may
    be wrong (they raise ``WriteInDoubtError`` and write nothing)."""
    for call in (instance.save, instance.delete):
        try:
            await call()
        except orm.WriteInDoubtError:
            continue
        return False
    return True


def _trap(db: Any, monkeypatch: pytest.MonkeyPatch) -> CancelTrap:
    conn_class = type(db._pool.idle_connections()[0])
    trap = CancelTrap(tuple(op for op in OPERATIONS if hasattr(conn_class, op)))
    trap.install(monkeypatch, conn_class)
    return trap


async def _cancelled_at_each_point(
    how: str,
    trap: CancelTrap | None,
    make: Callable[[], Awaitable[dict[str, Any]]],
    work: Callable[[dict[str, Any]], Awaitable[None]],
) -> tuple[collections.Counter[str], list[Any]]:
    """Run ``work`` cancelled in its n-th state (or n-th connection operation), n = 0, 1,
    ...; after each run, every instance whose key differs from its row's (by name)."""
    outcomes: collections.Counter[str] = collections.Counter()
    wrong: list[Any] = []
    finished = 0
    for n in range(500):
        made = await make()
        outcome, _ = await cut_at(work(made), n, trap)
        outcomes[outcome] += 1
        for instance in made["instances"]:
            key = await _key_of(instance.name)
            if in_doubt(instance):  # (only a write cancelled in flight, outside any block)
                if outcome == "ok" or not await _refused_in_doubt(instance):
                    wrong.append((n, outcome, instance.name, "in doubt"))
            elif instance.id != key:
                wrong.append((n, outcome, instance.name, instance.id, key))
        if trap is not None and trap.calls < trap.target:
            break  # every connection operation got its cancellation
        finished = finished + 1 if outcome == "ok" else 0
        if finished == 2:
            break
    return outcomes, wrong


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("receivers", ["none", "listening"])
@pytest.mark.parametrize("shape", ["alone", "session", "block", "savepoint"])
@pytest.mark.parametrize(
    "write", ["save_new", "delete", "bulk_create", "bulk_create_copy", "bulk_upsert"]
)
async def test_a_cancelled_write_leaves_each_key_as_the_database_does(
    url: str,
    dialect: str,
    how: str,
    receivers: str,
    shape: str,
    write: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    if write == "bulk_create_copy" and (dialect != "postgres" or receivers == "listening"):
        pytest.skip("PostgreSQL's COPY with keys taken first (receivers change nothing there)")
    async with opened(url, min_size=1, max_size=1) as db:
        trap = _trap(db, monkeypatch) if how == "in_flight" else None

        async def make() -> dict[str, Any]:
            await Author.all().delete()
            ann = await Author.create(name="ann")
            if write == "save_new":
                return {"instances": [Author(name="cy")]}
            if write == "delete":
                return {"instances": [ann]}
            count = 210 if write == "bulk_create_copy" else 3  # enough rows for COPY
            return {"instances": [Author(name=f"b{i}") for i in range(count)]}

        async def written(made: dict[str, Any]) -> None:
            instances = made["instances"]
            if write == "save_new":
                await instances[0].save()
            elif write == "delete":
                await instances[0].delete()
            elif write == "bulk_create":
                await Author.bulk_create(instances, batch_size=2)
            elif write == "bulk_upsert":  # ann's row updated (its instance not checked:
                # keyless before, keyless again if rolled back), the others made
                upserted = [*instances, Author(name="ann", rating=5)]
                await Author.bulk_create(upserted, on_conflict=("update", ["rating"]))
            else:
                await Author.bulk_create(instances)

        async def work(made: dict[str, Any]) -> None:
            if shape == "alone":
                await written(made)
                return
            if shape == "session":  # a held connection, no transaction: autocommit still
                async with db.connection():
                    await written(made)
                return
            async with orm.transaction():
                await Author.create(name="outer")
                if shape == "block":
                    await written(made)
                    return
                with pytest.raises(_Refused):
                    async with orm.transaction():
                        await written(made)
                        raise _Refused

        if receivers == "listening":
            orm.post_save.connect(Author, _heard)
            orm.post_delete.connect(Author, _heard)
        try:
            outcomes, wrong = await _cancelled_at_each_point(how, trap, make, work)
        finally:
            if receivers == "listening":
                orm.post_save.disconnect(Author, _heard)
                orm.post_delete.disconnect(Author, _heard)
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
        assert wrong == [], outcomes


@pytest.mark.parametrize("how", ["loop", "in_flight"])
@pytest.mark.parametrize("shape", ["alone", "block"])
async def test_instances_a_cancelled_queryset_delete_sent_have_keys_as_their_rows(
    url: str, dialect: str, how: str, shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``QuerySet.delete()`` heard by receivers hands them instances, which lose their keys
    once deleted (as ``Model.delete`` leaves its own): also when the call was cancelled as its
    transaction committed."""
    if how == "in_flight" and dialect == "sqlite":
        pytest.skip("SQLite statements run on the loop: none is ever in flight")
    async with opened(url, min_size=1, max_size=1) as db:
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        sent: list[Any] = []

        def keep(sender: type, instance: Any, **kwargs: Any) -> None:
            sent.append(instance)

        async def make() -> dict[str, Any]:
            await Author.all().delete()
            sent.clear()
            await Author.bulk_create([Author(name=f"d{i}") for i in range(3)])
            return {"instances": sent}

        async def work(made: dict[str, Any]) -> None:
            if shape == "alone":
                await Author.filter(name__startswith="d").delete()
                return
            async with orm.transaction():
                await Author.filter(name__startswith="d").delete()

        orm.pre_delete.connect(Author, keep)
        try:
            outcomes, wrong = await _cancelled_at_each_point(how, trap, make, work)
        finally:
            orm.pre_delete.disconnect(Author, keep)
        assert outcomes["cancelled"] > 0 and outcomes["ok"] > 0, outcomes
        assert wrong == [], outcomes
