"""Django's "Model instance reference" walked through: where ``save()``, ``create()`` and the
instance hooks did otherwise than Django documents, silently."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError, ORMError, SchemaError

from .conftest import opened, own_tables

SAVES: list[dict[str, Any]] = []


class E11Sluggy(orm.Model):
    """Django's everyday override: save() fills a field from another."""

    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)
    slug = orm.CharField(max_length=20, default="")

    class Meta:
        table = "ormt_e11_sluggy"

    async def save(self, *args: Any, **kwargs: Any) -> None:
        SAVES.append(kwargs)
        self.slug = self.name.lower()
        await super().save(*args, **kwargs)


class E11Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    owner = orm.ForeignKeyField(E11Sluggy, related_name="notes", on_delete="cascade")
    text = orm.CharField(max_length=20, default="")
    n: int = 0

    class Meta:
        table = "ormt_e11_note"


MODELS = (E11Sluggy, E11Note)


async def test_create_goes_through_the_model_own_save(url: str) -> None:
    """Django's ``create()`` is ``obj.save(force_insert=True, using=...)``: an overridden save
    runs for ``create``, ``get_or_create`` and ``update_or_create``'s new row alike."""
    async with opened(url) as db, own_tables(*MODELS):
        SAVES.clear()
        made = await E11Sluggy.create(name="Ada")
        assert made.slug == "ada"
        assert SAVES == [{"force_insert": True, "using": None}]
        found, created = await E11Sluggy.get_or_create(name="Bo")
        assert created and found.slug == "bo"
        again, created = await E11Sluggy.update_or_create(name="Cy", defaults={"name": "Cy"})
        assert created and again.slug == "cy"
        via = await E11Sluggy.all().using(db).create(name="Di")
        assert via.slug == "di" and SAVES[-1]["using"] is db
        rows = await E11Sluggy.order_by("id").values_list("name", "slug")
        assert rows == [("Ada", "ada"), ("Bo", "bo"), ("Cy", "cy"), ("Di", "di")]


async def test_save_refuses_what_django_refuses(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        owner = await E11Sluggy.create(name="Ada")
        note = await E11Note.create(owner=owner, text="a")
        with pytest.raises(ORMError, match="excludes update_fields"):
            await note.save(force_insert=True, update_fields=["text"])
        with pytest.raises(ORMError, match="excludes force_update"):
            await note.save(force_insert=True, force_update=True, update_fields=[])
        with pytest.raises(ORMError, match="excludes force_update"):
            await note.save(force_insert=True, force_update=True)
        note.id = note.id + 100
        with pytest.raises(FieldError, match="'id' is the primary key"):
            await note.save(update_fields=["id", "text"])  # was silently nothing
        note.id -= 100
        await note.save(update_fields=[])  # Django: an empty update_fields saves nothing
        note.text, note.n = "b", 5
        await note.save(update_fields=["owner"])  # by relation name, as by "owner_id"
        await note.save(update_fields=["text"])
        assert await E11Note.values_list("text", "n") == [("b", 0)]


async def test_get_deferred_fields(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        owner = await E11Sluggy.create(name="Ada")
        await E11Note.create(owner=owner, text="a", n=3)
        some = await E11Note.only("text").get()
        assert some.get_deferred_fields() == {"owner_id", "n"}
        await some.refresh_from_db(fields=["n"])
        assert some.get_deferred_fields() == {"owner_id"} and some.n == 3
        whole = await E11Note.get()
        assert whole.get_deferred_fields() == set()
        assert E11Note(owner=owner).get_deferred_fields() == set()


def test_a_from_db_hook_is_refused_as_it_would_never_run() -> None:
    with pytest.raises(SchemaError, match="from_db"):

        class Tracked(orm.Model):
            id: int = orm.Field(primary_key=True)

            @classmethod
            def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
                raise AssertionError("never called")


async def test_delete_answers_the_rows_it_deleted(url: str) -> None:
    """Django's ``delete()`` answers what it deleted; ferrule's answered None (its
    ``QuerySet.delete()`` answers the row count, as this now does)."""
    async with opened(url), own_tables(*MODELS):
        owner = await E11Sluggy.create(name="Ada")
        note = await E11Note.create(owner=owner)
        stale = await E11Note.get(pk=note.pk)
        assert await note.delete() == 1
        assert await stale.delete() == 0  # already gone
        assert await owner.delete() == 1


def test_a_plain_def_save_is_refused_as_it_would_write_nothing() -> None:
    """Django's ``def save(self, *args, **kwargs): ...; super().save(*args, **kwargs)``,
    ported as is, left ferrule's coroutine unawaited: nothing was written, silently."""
    for method in ("save", "delete", "refresh_from_db"):

        def plain(self: Any, *args: Any, **kwargs: Any) -> Any:
            return None

        with pytest.raises(SchemaError, match=f"async def {method}"):
            type(
                f"Plain_{method}",
                (orm.Model,),
                {
                    "__annotations__": {"id": int},
                    "id": orm.Field(primary_key=True),
                    method: plain,
                    "__module__": __name__,
                },
            )
