"""A newcomer's first programs (from Tortoise ORM and SQLAlchemy 2), where ferrule hung,
answered wrongly or raised an error that did not say what was wrong. Each expected answer is
the database's own (raw SQL over the same rows) or Django's."""

from __future__ import annotations

import contextlib
import gc
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, PoolTimeoutError, RelationNotLoadedError, SchemaError

from .conftest import opened, own_tables


class N12Team(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_n12_team"


class N12Player(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    team = orm.ForeignKeyField(N12Team, related_name="players", null=True)

    class Meta:
        table = "ormt_n12_player"


MODELS = (N12Team, N12Player)


async def _raw(db: Any, text: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in await db.fetch_all(text, []))


# -- streaming with prefetch_related -------------------------------------------------------


async def test_async_for_with_prefetch_related_on_a_one_connection_pool(url: str) -> None:
    """``async for team in Team.prefetch_related("players")`` (Tortoise's and Django's loop)
    over more rows than one chunk waited for a second connection that a pool of one (SQLite's,
    always) never has: the loop held it, and the prefetch of the first chunk waited
    ``acquire_timeout`` (30 s) for it, then raised ``PoolTimeoutError``. The prefetch now runs
    on the loop's connection there; the loop's body still sees no block of its own."""
    async with opened(url, max_size=1, acquire_timeout=3) as db, own_tables(*MODELS):
        teams = await N12Team.bulk_create([N12Team(name=f"t{i}") for i in range(5)])
        for i, team in enumerate(teams):
            await N12Player.bulk_create([N12Player(name=f"p{i}{j}", team=team) for j in range(i)])
        want = await _raw(
            db,
            "SELECT t.name, COUNT(p.id) FROM ormt_n12_team t LEFT JOIN ormt_n12_player p"
            " ON p.team_id = t.id GROUP BY t.name",
        )
        streamed = N12Team.prefetch_related("players").order_by("id").iterator(chunk_size=2)
        got = [(team.name, len(team.players)) async for team in streamed]
        assert sorted(got) == want
        assert [t.name for t in await N12Team.order_by("id")] == [n for n, _ in sorted(want)]


async def test_a_prefetching_loop_left_early_leaves_the_task_free(url: str) -> None:
    """Left by ``break`` (closed by ``aclosing`` or, as a Django user writes it, by nobody),
    the loop's block ends and the task's next statements run as before."""
    async with opened(url, max_size=1, acquire_timeout=3), own_tables(*MODELS):
        teams = await N12Team.bulk_create([N12Team(name=f"t{i}") for i in range(4)])
        await N12Player.bulk_create([N12Player(name=f"p{i}", team=t) for i, t in enumerate(teams)])
        query = N12Team.prefetch_related("players").order_by("id")
        async with contextlib.aclosing(query.iterator(chunk_size=1)) as items:
            async for team in items:
                assert [p.name for p in team.players] == ["p0"]
                break
        assert await N12Team.count() == 4
        async for team in query.iterator(chunk_size=1):
            if team.name == "t1":
                break
        gc.collect()
        assert await N12Player.filter(team__name="t1").values_list("name", flat=True) == ["p1"]
        async with orm.transaction():
            got = [len(t.players) async for t in query.iterator(chunk_size=1)]
            await N12Team.filter(name="t0").update(name="z")
        assert got == [1, 1, 1, 1]
        assert await N12Team.filter(name="z").count() == 1


# -- what a newcomer's mistake is told ------------------------------------------------------


class N12Doc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.JSONField(null=True)
    team = orm.ForeignKeyField(N12Team, related_name="docs", null=True)

    class Meta:
        table = "ormt_n12_doc"


def _message(make: Any) -> str:
    with pytest.raises(FieldError) as caught:
        made = make()
        made.compile("sqlite")  # a QuerySet checks its filters when compiled
    return str(caught.value)


def test_a_field_named_where_a_relation_belongs_is_called_a_field() -> None:
    """``select_related("name")`` said "has no relation 'name'; did you mean 'name'?", and
    ``only("data__key")`` the same of ``data``: the name is a field, not a relation."""
    for make, words in [
        (lambda: N12Player.select_related("name"), "N12Player.name is a field, not a relation"),
        (lambda: N12Doc.only("data__key"), "N12Doc.data is a field, not a relation"),
        (lambda: N12Doc.select_related("team_id"), "N12Doc.team_id is a field, not a relation"),
    ]:
        text = _message(make)
        assert words in text, text
        assert "did you mean" not in text, text
    text = _message(lambda: N12Player.select_related("tem"))
    assert "did you mean 'team'?" in text and "(relations: team)" in text, text


def test_lookups_offered_after_a_relation_are_not_called_fields() -> None:
    """``filter(team__nmae=...)`` listed ``exact, iexact, ...`` among the team's fields."""
    text = _message(lambda: N12Player.filter(team__nmae="x"))
    assert "did you mean 'name'?" in text, text
    assert "(fields: id, name, players, docs; lookups: exact, iexact" in text, text


async def test_an_unloaded_to_many_relation_points_to_prefetch_related(url: str) -> None:
    """Reading ``team.players`` unloaded advised ``.select_related('players')``, which
    refuses a to-many relation; it advises ``prefetch_related`` and the manager's query."""
    async with opened(url), own_tables(*MODELS):
        team = await N12Team.create(name="a")
        with pytest.raises(RelationNotLoadedError) as caught:
            list(team.players)
        text = str(caught.value)
        assert "select_related" not in text, text
        assert ".prefetch_related('players')" in text and "await obj.players.all()" in text
        player = await N12Player.create(name="p", team=team)
        fresh = await N12Player.get(id=player.id)
        with pytest.raises(RelationNotLoadedError, match=r"select_related\('team'\)"):
            fresh.team  # noqa: B018


def test_spellings_of_other_libraries_are_named() -> None:
    """SQLAlchemy's ``filter(Model.name == "a")`` reached ``filter(False)`` ("not False"), and
    Tortoise's ``Q(..., join_type="OR")`` was a field 'join_type' the model lacks."""
    text = _message(lambda: N12Player.filter(N12Player.name == "a"))
    assert "not False" in text and "write filter(name='a')" in text, text
    text = _message(lambda: N12Player.filter(orm.Q(name="a", id=1, join_type="OR")))
    assert "Q(a=1) | Q(b=2)" in text, text


async def test_a_statement_inside_a_loop_holding_the_only_connection_says_what_to_do(
    url: str, dialect: str
) -> None:
    """``async for p in qs: await p.save()`` past one chunk on a pool of one connection of a
    server: the save waits ``acquire_timeout`` for the connection its own loop holds (in
    Django and Tortoise ``async for`` reads every row first). The error names ``async for``
    and that way out; the loop inside ``db.connection()`` runs. SQLite's loop holds no
    connection between chunks (``backends.sqlite_snapshots``): there the first loop runs."""
    async with opened(url, max_size=1, acquire_timeout=0.2) as db, own_tables(*MODELS):
        await N12Team.bulk_create([N12Team(name=f"t{i}") for i in range(3)])
        with contextlib.ExitStack() as stack:
            if dialect != "sqlite":
                caught = stack.enter_context(pytest.raises(PoolTimeoutError))
            async for team in N12Team.order_by("id").iterator(chunk_size=2):
                team.name = team.name.upper()
                await team.save()
        if dialect == "sqlite":
            assert await _raw(db, "SELECT name FROM ormt_n12_team") == [("T0",), ("T1",), ("T2",)]
            await N12Team.all().update(name=orm.Lower("name"))
        else:
            text = str(caught.value)
            assert "async for" in text and "for x in await qs:" in text, text
            assert "db.connection()" in text, text
        assert await _raw(db, "SELECT name FROM ormt_n12_team") == [("t0",), ("t1",), ("t2",)]
        async with db.connection():
            async for team in N12Team.order_by("id").iterator(chunk_size=2):
                team.name = team.name.upper()
                await team.save()
        assert await _raw(db, "SELECT name FROM ormt_n12_team") == [("T0",), ("T1",), ("T2",)]
        for team in await N12Team.order_by("id"):
            team.name = team.name.lower()
            await team.save()
        assert await _raw(db, "SELECT name FROM ormt_n12_team") == [("t0",), ("t1",), ("t2",)]


async def test_a_transaction_block_given_as_using(url: str) -> None:
    """Tortoise's ``async with in_transaction() as conn: ... using_db=conn`` moved to
    ``using=conn``: the block was "no database". It names the block's database; the
    statements run in the block (its rollback takes them back)."""
    async with opened(url) as db, own_tables(*MODELS):
        with pytest.raises(RuntimeError):
            async with orm.transaction() as conn:
                await N12Team.create(name="a", using=conn)
                assert await N12Team.all().using(conn).count() == 1
                raise RuntimeError("roll back")
        assert await _raw(db, "SELECT name FROM ormt_n12_team") == []
        async with orm.in_transaction() as conn:
            await N12Team.create(name="b", using=conn)
            await N12Team.filter(name="b").using(conn).update(name="c")
        assert await _raw(db, "SELECT name FROM ormt_n12_team") == [("c",)]


def test_tortoise_negated_lookups_name_their_spelling_here() -> None:
    """Tortoise's ``name__not=``, ``id__not_in=`` and ``team__not_isnull=`` were "not a
    lookup" with the list of lookups; each now says how it is written here."""
    for make, words in [
        (lambda: N12Player.filter(name__not="a"), "exclude(name=...)"),
        (lambda: N12Player.filter(id__not_in=[1]), "exclude(id__in=...)"),
        (lambda: N12Player.filter(team_id__not_isnull=True), "team_id__isnull= the opposite"),
    ]:
        text = _message(make)
        assert "Tortoise's" in text and words in text, text


# -- JSON values told apart: one answer or a refusal ---------------------------------------


async def _docs() -> None:
    await N12Doc.create(data={"a": 1})
    await N12Doc.create(data={"a": 1.0})  # the same JSON value: equal in Python and jsonb


async def test_grouped_json_values_are_refused_by_count_and_exists(url: str) -> None:
    """``values("data").annotate(n=Count("id"))`` is refused (PostgreSQL groups JSON values
    as Python compares them, SQLite and MariaDB by their text), but its ``count()`` and a
    ``filter(n__gt=1).exists()`` answered anyway: 1 and True on PostgreSQL, 2 and False on
    SQLite and MariaDB."""
    async with opened(url), own_tables(N12Team, N12Doc):
        await _docs()
        grouped = N12Doc.values("data").annotate(n=orm.Count("id"))
        for make in (lambda: grouped, grouped.count, grouped.filter(n__gt=1).exists):
            with pytest.raises(FieldError, match="grouped values\\(\\) rows by 'data'"):
                await make()
        assert await N12Doc.values("data").distinct().exists() is True  # one answer
        assert await N12Doc.values("id", "data").annotate(n=orm.Count("id")).count() == 2


async def test_json_values_are_not_compared_by_a_compound_or_a_subquery(url: str) -> None:
    """``union()``/``intersection()``/``difference()`` of ``values("data")`` rows and
    ``data__in=Subquery(...)`` compared JSON values as each database does: PostgreSQL found
    ``{"a": 1}`` and ``{"a": 1.0}`` equal (1 row, 1 row, none; 2 matches), SQLite and MariaDB
    apart (2 rows, none, 1 row; 1 match). They are refused; ``union(all=True)`` and rows
    holding the key keep one answer."""
    async with opened(url), own_tables(N12Team, N12Doc):
        await _docs()
        first = N12Doc.filter(id__lte=1).values_list("data", flat=True)
        second = N12Doc.filter(id__gte=2).values_list("data", flat=True)
        for make in (first.union, first.intersection, first.difference):
            with pytest.raises(FieldError, match=r"'data'.*JSON"):
                await make(second)
        with pytest.raises(FieldError, match=r"'data'.*JSON"):
            await first.union(second).count()
        assert sorted(map(str, await first.union(second, all=True))) == ["{'a': 1.0}", "{'a': 1}"]
        keyed = N12Doc.values_list("id", "data")
        assert len(await keyed.filter(id=1).union(keyed.filter(id__gte=1))) == 2
        inner = orm.Subquery(N12Doc.filter(id=1).values("data"))
        with pytest.raises(FieldError, match="JSON"):
            await N12Doc.filter(data__in=inner).count()
        assert await N12Doc.filter(data__in=[{"a": 1}]).count() == 2  # values: compared as JSON
        # NullIf compared the two JSON values as each database does (PostgreSQL: equal)
        with pytest.raises(FieldError, match="JSON"):
            await N12Doc.annotate(n=orm.NullIf("data", "data")).values_list("n", flat=True)


async def test_json_keys_annotations_and_windows_are_not_told_apart_by_the_database(
    url: str,
) -> None:
    """More places where each database told JSON values apart its own way ({"a": 1} and
    {"a": 1.0}: one on PostgreSQL, two elsewhere): distinct rows of a key inside the field,
    groups of a Coalesce or Subquery of it, a Window partitioned or ordered by it; and a
    union of key values was an AttributeError ('Read' object has no attribute 'logical')."""
    async with opened(url), own_tables(N12Team, N12Doc):
        await N12Doc.create(data={"k": {"a": 1}})
        await N12Doc.create(data={"k": {"a": 1.0}})
        keys = N12Doc.values_list("data__k", flat=True)
        cases = [
            lambda: keys.distinct(),
            lambda: keys.distinct().count(),
            lambda: keys.filter(id=1).union(keys.filter(id=2)),
            lambda: (
                N12Doc.annotate(c=orm.Coalesce("data", "data"))
                .values("c")
                .annotate(n=orm.Count("id"))
                .count()
            ),
            lambda: (
                N12Doc.annotate(
                    s=orm.Subquery(N12Doc.filter(id=orm.OuterRef("id")).values("data")[:1])
                )
                .values("s")
                .annotate(n=orm.Count("id"))
                .count()
            ),
            lambda: N12Doc.annotate(
                r=orm.Window(orm.RowNumber(), partition_by=["data"], order_by="id")
            ).values_list("r", flat=True),
            lambda: N12Doc.annotate(r=orm.Window(orm.Rank(), order_by=["data"])).values_list(
                "r", flat=True
            ),
        ]
        for index, make in enumerate(cases):
            with pytest.raises(FieldError, match="JSON"):
                await make()
            assert index >= 0
        both = keys.filter(id=1).union(keys.filter(id=2), all=True)
        assert sorted(map(str, await both)) == ["{'a': 1.0}", "{'a': 1}"]


def test_a_json_field_in_a_unique_constraint_is_refused() -> None:
    """``JSONField(unique=True)`` (or in ``unique_together``) refused ``{"a": 1.0}`` after
    ``{"a": 1}`` on PostgreSQL (jsonb: equal) and stored both on SQLite and MariaDB (text)."""

    class N12Unique(orm.Model):
        id: int = orm.Field(primary_key=True)
        data = orm.JSONField(unique=True)

        class Meta:
            table = "ormt_n12_unique"

    class N12Together(orm.Model):
        id: int = orm.Field(primary_key=True)
        data = orm.JSONField()
        code = orm.CharField(max_length=5)

        class Meta:
            table = "ormt_n12_together"
            unique_together = [("code", "data")]

    for model, words in [(N12Unique, "unique=True"), (N12Together, "unique_together")]:
        with pytest.raises(SchemaError, match=f"{model.__name__}.data: a JSON field.*{words}"):
            model._meta.columns  # noqa: B018
