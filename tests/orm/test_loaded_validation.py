"""Re-checked loads: ``validate_on_load`` of a partial load (``only``/``defer``) checks the
fields it read and leaves the others unread, as the plain load does (it gave them their
defaults, and a later ``save()`` wrote those over the stored values); ``raw()`` checks every
value it reads against its field (its columns are whatever the SQL made them, not the
model's: a text in an int field or a NULL in a non-null one came back as it was)."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import FieldError, ValidationError

from .conftest import opened, own_tables


class LvPerson(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=8)
    age = orm.IntField(default=0)
    city = orm.CharField(max_length=20)  # required: no default
    score: int = orm.Field(default=0, ge=0)  # a bound no column holds

    class Meta:
        table = "ormt_lv_person"


class LvPet(orm.Model):
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=8)
    owner = orm.ForeignKeyField(LvPerson, related_name="pets", on_delete="cascade")

    class Meta:
        table = "ormt_lv_pet"


class LvChecked(orm.Model):
    """Re-checked on every load, by its own Meta."""

    id = orm.IntField(pk=True)
    score: int = orm.Field(default=0, ge=0)

    class Meta:
        table = "ormt_lv_checked"
        validate_on_load = True


class LvLink(orm.Model):
    id = orm.IntField(pk=True)
    checked = orm.ForeignKeyField(LvChecked, related_name="links")

    class Meta:
        table = "ormt_lv_link"


class LvFrozen(orm.Model):
    model_config = ConfigDict(frozen=True)
    id = orm.IntField(pk=True)
    name = orm.CharField(max_length=8)
    age = orm.IntField(default=0)

    class Meta:
        table = "ormt_lv_frozen"


def _unread(instance: Any, name: str) -> str:
    with pytest.raises(AttributeError) as caught:
        getattr(instance, name)
    return str(caught.value)


@pytest.mark.parametrize("partial", ["only", "defer"])
async def test_a_partial_validated_load_leaves_the_rest_unread(url: str, partial: str) -> None:
    async with opened(url), own_tables(LvPerson):
        made = await LvPerson.create(name="ann", age=41, city="Oslo")
        qs = LvPerson.all()
        qs = qs.only("name") if partial == "only" else qs.defer("age", "city")
        (found,) = await qs.validate_on_load()
        assert (found.id, found.name) == (made.id, "ann")
        assert "not loaded" in _unread(found, "age")
        assert "not loaded" in _unread(found, "city")
        found.name = "bob"
        await found.save()
        rows = await LvPerson.all().values_list("name", "age", "city")
        assert rows == [("bob", 41, "Oslo")]


async def test_a_partial_validated_load_still_checks_what_it_read(url: str) -> None:
    async with opened(url) as db, own_tables(LvPerson):
        await db.execute(
            "INSERT INTO ormt_lv_person (id, name, age, city, score) VALUES (1, 'a', 3, 'x', -1)",
            [],
        )
        assert [p.score for p in await LvPerson.all().only("score")] == [-1]
        with pytest.raises(ValidationError, match="score"):
            await LvPerson.all().only("score").validate_on_load()
        with pytest.raises(ValidationError, match="score"):
            await LvPerson.all().defer("name").validate_on_load()


async def test_raw_refuses_a_value_its_field_cannot_hold(url: str) -> None:
    async with opened(url), own_tables(LvPerson):
        await LvPerson.create(name="ann", age=41, city="Oslo")
        table = "ormt_lv_person"
        with pytest.raises(ValidationError) as caught:
            await LvPerson.raw(f"SELECT id, name, 'abc' AS age FROM {table}")
        assert "age" in str(caught.value)
        with pytest.raises(ValidationError) as caught:
            await LvPerson.raw(f"SELECT id, NULL AS name FROM {table}")
        assert "name" in str(caught.value)
        with pytest.raises(ValidationError):
            await LvPerson.raw(f"SELECT id, 'a name far too long' AS name FROM {table}")
        with pytest.raises(ValidationError):
            await LvPerson.raw(f"SELECT NULL AS id, name FROM {table}")


async def test_raw_reads_what_is_right_and_leaves_the_rest_unread(url: str) -> None:
    async with opened(url), own_tables(LvPerson):
        made = await LvPerson.create(name="ann", age=41, city="Oslo")
        (found,) = await LvPerson.raw("SELECT id, name, 2 * age AS age FROM ormt_lv_person")
        assert (found.id, found.name, found.age) == (made.id, "ann", 82)
        assert "not loaded" in _unread(found, "city")
        (full,) = await LvPerson.raw("SELECT * FROM ormt_lv_person")
        assert full == made


async def test_raw_refuses_a_field_selected_twice(url: str) -> None:
    async with opened(url), own_tables(LvPerson):
        await LvPerson.create(name="ann", age=41, city="Oslo")
        with pytest.raises(FieldError, match="age"):
            await LvPerson.raw("SELECT id, name, age, 99 AS age FROM ormt_lv_person")


async def test_a_frozen_model_is_checked_field_by_field_on_a_partial_load(url: str) -> None:
    """A frozen model's fields cannot be assigned: the partial row is checked by each field's
    own validation all the same."""
    async with opened(url), own_tables(LvFrozen):
        made = await LvFrozen.create(name="ann", age=41)
        assert await LvFrozen.all().validate_on_load() == [made]
        assert await LvFrozen.raw("SELECT * FROM ormt_lv_frozen") == [made]
        (found,) = await LvFrozen.all().only("name").validate_on_load()
        assert found.name == "ann"
        assert "not loaded" in _unread(found, "age")
        (found,) = await LvFrozen.raw("SELECT id, name FROM ormt_lv_frozen")
        assert found.name == "ann"
        with pytest.raises(ValidationError, match="age"):
            await LvFrozen.raw("SELECT id, 'x' AS age FROM ormt_lv_frozen")


async def test_a_whole_validated_load_of_a_model_with_a_relation(url: str) -> None:
    """Every column read is a whole load, however many relation fields the model has."""
    async with opened(url), own_tables(LvPerson, LvPet):
        ann = await LvPerson.create(name="ann", age=41, city="Oslo")
        rex = await LvPet.create(name="rex", owner=ann)
        (found,) = await LvPet.all().validate_on_load()
        assert (found.id, found.name, found.owner_id) == (rex.id, "rex", ann.id)
        (found,) = await LvPet.all().select_related("owner").validate_on_load()
        assert found.owner == ann
        (found,) = await LvPet.all().only("name").validate_on_load()
        assert found.name == "rex"
        assert "not loaded" in _unread(found, "owner_id")


async def test_a_model_checked_on_load_is_checked_when_joined_too(url: str) -> None:
    """``Meta.validate_on_load`` holds for the model's rows however they are read: a
    ``select_related`` join built them unchecked."""
    async with opened(url) as db, own_tables(LvChecked, LvLink):
        await db.execute("INSERT INTO ormt_lv_checked (id, score) VALUES (1, -1)", [])
        await db.execute("INSERT INTO ormt_lv_link (id, checked_id) VALUES (1, 1)", [])
        with pytest.raises(ValidationError, match="score"):
            await LvChecked.all()
        with pytest.raises(ValidationError, match="score"):
            await LvLink.all().prefetch_related("checked")
        with pytest.raises(ValidationError, match="score"):
            await LvLink.all().select_related("checked")
        (link,) = await LvLink.all()  # its own rows are not re-checked
        assert link.checked_id == 1
