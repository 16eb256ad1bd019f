"""Tortoise ORM's and pydantic's everyday examples moved to ferrule.orm, where ferrule gave a
silent wrong answer, never returned, or raised an untyped error. Each expected answer is the
database's own (raw SQL over the same rows), or what the Tortoise/pydantic pages say."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from ferrule import BaseModel, ConfigDict, orm
from ferrule.errors import FieldError, ORMError, RelationNotLoadedError

from .conftest import opened, own_tables


class T10Team(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=50)

    class Meta:
        table = "ormt_t10_team"


class T10Tag(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=50)

    class Meta:
        table = "ormt_t10_tag"


class T10Player(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=50)
    team = orm.ForeignKeyField(T10Team, related_name="players", null=True)
    tags = orm.ManyToManyField(T10Tag, related_name="players")

    class Meta:
        table = "ormt_t10_player"


MODELS = (T10Team, T10Tag, T10Player)


async def _load() -> tuple[T10Team, T10Team, T10Player]:
    a = await T10Team.create(name="A")
    b = await T10Team.create(name="B")
    ann = await T10Player.create(name="ann", team=a)
    await T10Player.create(name="bob", team=a)
    await T10Player.create(name="cy", team=b)
    return a, b, ann


async def _raw(db: Any, text: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in await db.fetch_all(text, []))


# -- model_copy(update=) of a key column, on an instance whose relation is loaded ------------


async def test_model_copy_of_a_key_drops_the_loaded_relation(url: str) -> None:
    """``model_copy(update={"team_id": ...})`` of a ``select_related`` instance kept the old
    key (the loaded Team was copied after it and set it back), and ``save()`` wrote the old
    key: the update was lost without a word."""
    async with opened(url) as db, own_tables(*MODELS):
        a, b, ann = await _load()
        loaded = await T10Player.filter(id=ann.id).select_related("team").get()
        moved = loaded.model_copy(update={"team_id": b.id})
        assert moved.team_id == b.id
        with pytest.raises(RelationNotLoadedError):
            moved.team  # noqa: B018  (the loaded A is not the row of the new key)
        assert loaded.team == a and loaded.team_id == a.id  # the original is untouched
        await moved.save()
        rows = await _raw(db, f"SELECT team_id FROM ormt_t10_player WHERE id = {ann.id}")
        assert rows == [(b.id,)]
        # the relation given with its key wins, as construction does
        both = loaded.model_copy(update={"team": b, "team_id": b.id})
        assert both.team == b and both.team_id == b.id
        same = loaded.model_copy(update={"team_id": a.id})
        assert same.team == a  # the loaded row still is the key's


# -- a QuerySet used as a synchronous collection ---------------------------------------------


async def test_a_queryset_is_not_a_synchronous_collection(url: str) -> None:
    """``list(qs)``, ``for x in qs`` (Python's old protocol through ``qs[i]``, each a
    QuerySet) ran for ever; ``if qs:`` was always true. Each now names the async spelling."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        qs = T10Player.filter(name="nobody")
        cases = {
            "list": (lambda: list(qs[:2]), "async for"),
            "for": (lambda: [x for x in qs], "async for"),
            "in": (lambda: 1 in qs, "async for"),
            "bool": (lambda: bool(qs), "exists()"),
            "len": (lambda: len(qs), "count()"),
        }
        for label, (make, words) in cases.items():
            with pytest.raises(ORMError) as caught:
                make()
            assert words in str(caught.value), label
            assert isinstance(caught.value, TypeError), label
        assert [p.name async for p in T10Player.filter(name="ann")] == ["ann"]
        assert await T10Player.filter(name="cy").values_list("name", flat=True) == ["cy"]


# -- Tortoise's spellings of related managers -----------------------------------------------


async def test_await_and_async_for_a_related_manager(url: str) -> None:
    """Tortoise's ``await team.players`` and ``async for p in team.players`` raised
    ``TypeError``; they read the relation's rows, as ``await team.players.all()``."""
    async with opened(url) as db, own_tables(*MODELS):
        a, _, ann = await _load()
        tag = await T10Tag.create(label="x")
        await ann.tags.add(tag)
        want = await _raw(db, f"SELECT name FROM ormt_t10_player WHERE team_id = {a.id}")
        assert sorted((p.name,) for p in await a.players) == want
        assert sorted([(p.name,) async for p in a.players]) == want
        assert [t.label for t in await ann.tags] == ["x"]
        assert [p.name async for p in tag.players] == ["ann"]


async def test_model_exists_with_filters(url: str) -> None:
    """Tortoise's ``Model.exists(name=...)`` raised ``TypeError``; it filters."""
    async with opened(url), own_tables(*MODELS):
        await _load()
        assert await T10Player.exists(name="bob") is True
        assert await T10Player.exists(orm.Q(name="nobody") | orm.Q(name="ann")) is True
        assert await T10Player.exists(name="nobody") is False
        assert await T10Player.exists() is True


async def test_update_from_dict(url: str) -> None:
    """Tortoise's ``obj.update_from_dict({...})`` (set, validated, not saved; returns the
    instance) was an ``AttributeError``."""
    async with opened(url) as db, own_tables(*MODELS):
        _, b, ann = await _load()
        assert ann.update_from_dict({"name": "ann2", "team_id": b.id}) is ann
        assert (ann.name, ann.team_id) == ("ann2", b.id)
        rows = await _raw(db, f"SELECT name FROM ormt_t10_player WHERE id = {ann.id}")
        assert rows == [("ann",)]  # not saved yet
        await ann.save()
        rows = await _raw(db, f"SELECT name, team_id FROM ormt_t10_player WHERE id = {ann.id}")
        assert rows == [("ann2", b.id)]
        with pytest.raises(FieldError, match="nick"):
            ann.update_from_dict({"nick": "x"})
        with pytest.raises(ValueError, match="name"):
            ann.update_from_dict({"name": "x" * 80})


async def test_tortoise_queryset_names_point_at_ferrule(url: str) -> None:
    """``group_by()`` and ``fetch_related(instance, ...)`` raised ``AttributeError`` and
    ``TypeError``; now a ``FieldError`` names the ferrule spelling."""
    async with opened(url), own_tables(*MODELS):
        _, _, ann = await _load()
        with pytest.raises(FieldError, match=r"values\("):
            T10Player.all().group_by("team_id")
        with pytest.raises(FieldError, match=r"fetch_related"):
            await orm.fetch_related(ann, "team")
        with pytest.raises(ORMError, match=r"using=db"):
            orm.in_transaction("default")
        async with orm.in_transaction():
            await T10Player.filter(name="cy").update(name="cy2")
        assert await T10Player.exists(name="cy2")


# -- pickling and copying keep what was loaded ----------------------------------------------


async def test_pickle_and_deepcopy_keep_prefetched_lists(url: str) -> None:
    """A pickled or deep-copied instance kept its ``select_related`` row but lost its
    prefetched lists (reading them raised ``RelationNotLoadedError``)."""
    async with opened(url), own_tables(*MODELS):
        a, _, ann = await _load()
        tag = await T10Tag.create(label="x")
        await ann.tags.add(tag)
        got = await T10Player.filter(id=ann.id).select_related("team").prefetch_related("tags")
        team = await T10Team.filter(id=a.id).prefetch_related("players").get()
        for clone in (pickle.loads(pickle.dumps(got[0])), copy.deepcopy(got[0])):
            assert clone.team == a
            assert [t.label for t in clone.tags] == ["x"]
        for clone_team in (pickle.loads(pickle.dumps(team)), copy.deepcopy(team)):
            assert sorted(p.name for p in clone_team.players) == ["ann", "bob"]


async def test_a_key_assigned_to_a_copy_is_kept(url: str) -> None:
    """On a copy (``model_copy()``, ``copy``, ``deepcopy``, pickle) of a ``select_related``
    instance, ``copy.team_id = other`` was set back to the loaded team's key, and saved so."""
    async with opened(url) as db, own_tables(*MODELS):
        a, b, ann = await _load()
        got = await T10Player.filter(id=ann.id).select_related("team").get()
        makers = {
            "model_copy": lambda: got.model_copy(),
            "copy": lambda: copy.copy(got),
            "deepcopy": lambda: copy.deepcopy(got),
            "pickle": lambda: pickle.loads(pickle.dumps(got)),
        }
        for label, make in makers.items():
            clone = make()
            assert clone.team == a, label
            clone.team_id = b.id
            assert clone.team_id == b.id, label
            with pytest.raises(RelationNotLoadedError):
                clone.team  # noqa: B018
            await clone.save()
            rows = await _raw(db, f"SELECT team_id FROM ormt_t10_player WHERE id = {ann.id}")
            assert rows == [(b.id,)], label
            await T10Player.filter(id=ann.id).update(team_id=a.id)
        assert got.team == a and got.team_id == a.id


def test_a_wrong_related_value_is_reported_at_the_relation() -> None:
    """``model_validate({"team": 1})`` (pydantic's dict, Tortoise's key where an instance
    belongs) reported a ``value_error`` at the root (loc ``()``), also inside a list of a
    pydantic model; it is now at ``("team",)``, naming the key field."""

    class Roster(BaseModel):
        players: list[T10Player]

    for given in (1, {"id": 1, "name": "A"}):
        with pytest.raises(ValueError) as caught:
            T10Player.model_validate({"name": "z", "team": given})
        (error,) = caught.value.errors()  # type: ignore[attr-defined]
        assert (error["loc"], error["type"]) == (("team",), "is_instance_of")
        assert "team_id" in error["msg"]
    with pytest.raises(ValueError) as caught:
        Roster.model_validate({"players": [{"name": "a", "team": 3}]})
    assert [e["loc"] for e in caught.value.errors()] == [("players", 0, "team")]  # type: ignore[attr-defined]
    assert T10Player.model_validate({"name": "z", "team_id": 3}).team_id == 3


class T10Code(orm.Model):
    id: int = orm.Field(primary_key=True)
    code = orm.CharField(max_length=20, unique=True)
    label = orm.CharField(max_length=50)

    class Meta:
        table = "ormt_t10_code"


async def test_bulk_create_conflict_spellings(url: str) -> None:
    """Django's ``bulk_create(ignore_conflicts=True)`` / ``update_conflicts=True,
    update_fields=, unique_fields=`` and Tortoise's ``update_fields=, on_conflict=[keys]``
    raised ``TypeError``; they are ``on_conflict``'s two forms."""
    async with opened(url) as db, own_tables(T10Code):
        await T10Code.create(code="a", label="old")

        def rows() -> list[T10Code]:
            return [T10Code(code="a", label="new"), T10Code(code="b", label="new")]

        async def table() -> list[tuple[Any, ...]]:
            return await _raw(db, "SELECT code, label FROM ormt_t10_code")

        await T10Code.bulk_create(rows(), ignore_conflicts=True)
        assert await table() == [("a", "old"), ("b", "new")]
        await T10Code.filter(code="b").delete()
        await T10Code.bulk_create(
            rows(), update_conflicts=True, update_fields=["label"], unique_fields=["code"]
        )
        assert await table() == [("a", "new"), ("b", "new")]
        await T10Code.all().update(label="old")
        await T10Code.bulk_create(rows(), update_fields=["label"], on_conflict=["code"])
        assert await table() == [("a", "new"), ("b", "new")]
        refused = {
            "both": {"ignore_conflicts": True, "update_conflicts": True},
            "no fields": {"update_conflicts": True},
            "mixed": {"ignore_conflicts": True, "on_conflict": "ignore"},
            "keys alone": {"unique_fields": ["code"]},
        }
        for label, options in refused.items():
            with pytest.raises(FieldError, match="on_conflict"):
                await T10Code.bulk_create(rows(), **options)
            assert await table() == [("a", "new"), ("b", "new")], label


async def test_bulk_update_takes_a_batch_size(url: str) -> None:
    """Django's and Tortoise's ``bulk_update(objs, fields, batch_size=...)`` raised
    ``TypeError``: every row is still written, in one transaction."""
    async with opened(url) as db, own_tables(*MODELS):
        await _load()
        players = await T10Player.all()
        for player in players:
            player.name = player.name.upper()
        assert await T10Player.bulk_update(players, ["name"], batch_size=2) == 3
        assert await _raw(db, "SELECT name FROM ormt_t10_player") == [("ANN",), ("BOB",), ("CY",)]
        for bad in (0, -1, 1.5, True):
            with pytest.raises(FieldError, match="batch_size"):
                await T10Player.bulk_update(players, ["name"], batch_size=bad)


class _TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str


class _PlayerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    team: _TeamOut | None = None


async def test_from_attributes_does_not_read_an_unloaded_relation_as_none(url: str) -> None:
    """A response model read with ``from_attributes`` (Tortoise's pydantic_model_creator,
    FastAPI's response_model) gave ``team=None`` for a player whose team was not loaded:
    it has one (RelationNotLoadedError is an AttributeError, for hasattr, which both cores
    read as "absent"). Real pydantic still does so with ferrule's instances."""
    async with opened(url), own_tables(*MODELS):
        _, _, ann = await _load()
        loaded = await T10Player.filter(id=ann.id).select_related("team").get()
        assert _PlayerOut.model_validate(loaded).team is not None
        plain = await T10Player.get(id=ann.id)
        with pytest.raises(RelationNotLoadedError):
            _PlayerOut.model_validate(plain)


async def test_a_receiver_that_cannot_take_the_signal_fails_at_registration(url: str) -> None:
    """Tortoise's ``post_save`` receiver ``(sender, instance, created, using_db,
    update_fields)`` was accepted, then every save raised ``TypeError`` from inside ferrule
    (and was rolled back); it is refused when registered, naming what is sent."""
    async with opened(url) as db, own_tables(*MODELS):

        async def tortoise_style(  # type: ignore[no-untyped-def]
            sender, instance, created, using_db, update_fields
        ):
            pass

        def django_style(sender, **kwargs):  # type: ignore[no-untyped-def]
            pass

        for signal, receiver in ((orm.post_save, tortoise_style), (orm.pre_delete, django_style)):
            with pytest.raises(ORMError, match=r"receiver\(sender, instance, \*, .*using"):
                signal(T10Player)(receiver)
        seen: list[tuple[str, bool]] = []

        def fine(sender, instance, created, update_fields, using):  # type: ignore[no-untyped-def]
            seen.append((instance.name, created))

        def loose(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
            seen.append((instance.name, kwargs["created"]))

        orm.post_save(T10Player)(fine)
        orm.post_save(T10Player)(loose)
        try:
            await T10Player.create(name="z")
        finally:
            orm.post_save.disconnect(T10Player, fine)
            orm.post_save.disconnect(T10Player, loose)
        assert seen == [("z", True), ("z", True)]
        assert await _raw(db, "SELECT name FROM ormt_t10_player") == [("z",)]


async def test_a_given_relation_counts_its_key_as_given(url: str) -> None:
    """``create(team=a).model_dump(exclude_unset=True)`` (pydantic's PATCH-style dump) left
    out ``team_id``: the relation was given, but only its key is dumped, and the key was
    not counted as set. Now the key counts as given with its relation."""
    async with opened(url) as db, own_tables(*MODELS):
        a, _, _ = await _load()
        made = await T10Player.create(name="z", team=a)
        assert made.model_dump(exclude_unset=True) == {"name": "z", "team_id": a.id}
        assert {"team", "team_id"} <= made.model_fields_set
        assigned = T10Player(name="w")
        assigned.team = a
        assert assigned.model_dump(exclude_unset=True) == {"name": "w", "team_id": a.id}
        assert T10Player(name="v", team=None).model_dump(exclude_unset=True) == {
            "name": "v",
            "team_id": None,
        }
        assert T10Player(name="u").model_dump(exclude_unset=True) == {"name": "u"}
        rows = await _raw(db, f"SELECT team_id FROM ormt_t10_player WHERE id = {made.id}")
        assert rows == [(a.id,)]


class T10Contract(orm.Model):
    id: int = orm.Field(primary_key=True)
    team = orm.ForeignKeyField(T10Team, related_name="contracts")

    class Meta:
        table = "ormt_t10_contract"


def test_a_required_relation_is_reported_at_the_relation() -> None:
    """A required relation left out or given None was a ``value_error`` at the root."""
    for data, kind in (({}, "missing"), ({"team": None}, "is_instance_of")):
        with pytest.raises(ValueError) as caught:
            T10Contract.model_validate(data)
        (error,) = caught.value.errors()  # type: ignore[attr-defined]
        assert (error["loc"], error["type"]) == (("team",), kind), data
        assert "team_id" in error["msg"]
    assert T10Contract.model_validate({"team_id": 4}).team_id == 4


async def test_tortoise_using_db_and_django_lock_options_are_named(url: str) -> None:
    """Tortoise's ``using_db=`` was reported as an unknown field with no hint; Django's
    ``select_for_update(of=..., no_key=True)`` raised ``TypeError``, and ``nowait`` with
    ``skip_locked`` a plain ``ValueError``. Each is now a ``FieldError`` saying what to use."""
    async with opened(url) as db, own_tables(*MODELS):
        await _load()
        cases = {
            "create": lambda: T10Player.create(name="q", using_db=db),
            "get_or_create": lambda: T10Player.get_or_create(name="q", using_db=db),
            "filter": lambda: T10Player.filter(name="q", using_db=db),
        }
        for label, make in cases.items():
            with pytest.raises(FieldError, match=r"using="):
                await make()
            assert await _raw(db, "SELECT name FROM ormt_t10_player WHERE name = 'q'") == [], label
        for options, words in (
            ({"of": ("self",)}, "of="),
            ({"no_key": True}, "no_key="),
            ({"nowait": True, "skip_locked": True}, "skip_locked"),
        ):
            with pytest.raises(FieldError, match=words):
                T10Player.all().select_for_update(**options)
        async with orm.transaction():
            got = await T10Player.filter(name="ann").select_for_update(of=(), no_key=False)
        assert [p.name for p in got] == ["ann"]
