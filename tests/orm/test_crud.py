"""Create, save, get, delete, refresh and the bulk forms, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import DoesNotExist, IntegrityError, MultipleObjectsReturned, ValidationError

from .conftest import opened, own_tables
from .models import Author, Post, Tag


async def test_create_returns_the_generated_key_and_get_reads_it_back(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada", born=dt.date(1815, 12, 10))
        bob = await Author.create(name="Bob")
        assert isinstance(ada.id, int) and isinstance(bob.id, int) and ada.id != bob.id
        again = await Author.get(id=ada.id)
        assert (again.id, again.name, again.born, again.rating) == (
            ada.id,
            "Ada",
            dt.date(1815, 12, 10),
            0,
        )
        assert again == ada and again is not ada


async def test_save_inserts_then_updates_and_update_fields_limits_the_update(url: str) -> None:
    async with opened(url):
        cleo = Author(name="Cleo")
        assert cleo.pk is None
        await cleo.save()
        assert cleo.pk is not None
        cleo.rating = 5
        cleo.name = "Cleo2"
        await cleo.save(update_fields=["rating"])
        fresh = await Author.get(pk=cleo.pk)
        assert (fresh.name, fresh.rating) == ("Cleo", 5)
        await cleo.save()
        assert (await Author.get(pk=cleo.pk)).name == "Cleo2"
        assert await Author.count() == 1


async def test_save_of_an_unchanged_row_is_an_update_not_a_second_insert(url: str) -> None:
    async with opened(url):
        dora = await Author.create(name="Dora")
        await dora.save()  # MariaDB reports 0 changed rows here: still an update
        assert await Author.count() == 1


async def test_delete_and_refresh(url: str) -> None:
    async with opened(url):
        eve = await Author.create(name="Eve")
        other = await Author.get(id=eve.id)
        await Author.filter(id=eve.id).update(rating=9)
        await other.refresh_from_db()
        assert other.rating == 9
        await eve.delete()
        assert await Author.get_or_none(id=eve.id) is None
        with pytest.raises(Author.DoesNotExist):
            await other.refresh_from_db()


async def test_get_raises_the_models_own_errors_in_the_ferrule_tree(url: str) -> None:
    async with opened(url):
        await Author.create(name="A1", rating=1)
        await Author.create(name="A2", rating=1)
        with pytest.raises(Author.DoesNotExist) as missing:
            await Author.get(name="nobody")
        assert isinstance(missing.value, DoesNotExist)
        assert "Author" in str(missing.value) and "nobody" in str(missing.value)
        with pytest.raises(Author.MultipleObjectsReturned) as several:
            await Author.get(rating=1)
        assert isinstance(several.value, MultipleObjectsReturned)
        assert not issubclass(Author.DoesNotExist, Tag.DoesNotExist)


async def test_get_or_create_and_update_or_create(url: str) -> None:
    async with opened(url):
        first, created = await Author.get_or_create(name="Gil", defaults={"rating": 3})
        assert created and first.rating == 3
        again, created = await Author.get_or_create(name="Gil", defaults={"rating": 7})
        assert not created and again.id == first.id and again.rating == 3
        changed, created = await Author.update_or_create(name="Gil", defaults={"rating": 8})
        assert not created and changed.id == first.id
        assert (await Author.get(name="Gil")).rating == 8
        _made, created = await Author.update_or_create(name="Hal", defaults={"rating": 1})
        assert created and (await Author.get(name="Hal")).rating == 1


async def test_bulk_create_sets_keys_and_bulk_update_writes_fields(url: str) -> None:
    async with opened(url):
        authors = [Author(name=f"bulk{i}", rating=i) for i in range(25)]
        made = await Author.bulk_create(authors, batch_size=10)
        assert made is not None and all(a.id is not None for a in authors)
        assert len({a.id for a in authors}) == 25
        for a in authors:
            a.rating = 100 + a.rating
        assert await Author.bulk_update(authors, ["rating"]) == 25
        ratings = sorted(await Author.values_list("rating", flat=True))
        assert ratings == [100 + i for i in range(25)]


async def test_bulk_create_on_conflict(url: str) -> None:
    async with opened(url):
        await Author.create(name="dup", rating=1)
        await Author.bulk_create(
            [Author(name="dup", rating=2), Author(name="new")], on_conflict="ignore"
        )
        assert sorted(await Author.values_list("name", "rating")) == [("dup", 1), ("new", 0)]
        await Author.bulk_create([Author(name="dup", rating=5)], on_conflict=("update", ["rating"]))
        assert (await Author.get(name="dup")).rating == 5


async def test_a_constraint_violation_is_an_integrity_error_and_nothing_is_kept(url: str) -> None:
    async with opened(url):
        await Author.create(name="Ida")
        with pytest.raises(IntegrityError) as info:
            await Author.create(name="Ida")
        assert str(info.value).startswith("Author: ") and info.value.constraint
        with pytest.raises(IntegrityError):
            async with orm.transaction():
                await Author.create(name="Jon")
                await Author.create(name="Ida")
        assert sorted(await Author.values_list("name", flat=True)) == ["Ida"]


async def test_saving_an_invalid_instance_is_refused_before_sql(url: str) -> None:
    async with opened(url):
        author = await Author.create(name="Kim")
        fresh = Author.model_construct(id=author.id, name="x" * 101, rating=0)
        with pytest.raises(ValidationError):
            await fresh.save()
        assert (await Author.get(id=author.id)).name == "Kim"


async def test_post_with_author_instance_or_key(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada")
        p1 = await Post.create(title="one", author=ada)
        p2 = await Post.create(title="two", author_id=ada.id)
        assert p1.author_id == p2.author_id == ada.id
        assert p1.author is ada
        assert p1.created is not None and p1.created.tzinfo is not None
        with pytest.raises(ValidationError):
            Post(title="none")  # the author is required
        with pytest.raises(ValidationError):
            Post(title="bad", author=Tag(label="x"))
        loaded = await Post.get(id=p2.id)
        assert loaded.author_id == ada.id
        with pytest.raises(orm.RelationNotLoadedError, match="select_related"):
            _ = loaded.author
        assert loaded.editor is None  # a null key: nothing to load


async def test_save_validates_whatever_no_validator_has_seen(url: str) -> None:
    """Construction and assignment validate; model_construct, model_copy(update=...) and
    assignment on a validate_assignment=False model do not: save() checks those."""

    class Loose(orm.Model, validate_assignment=False):
        id: int = orm.Field(primary_key=True)
        n: int = orm.Field(ge=0)

        class Meta:
            table = "ormt_loose"

    async with opened(url), own_tables(Loose):
        ok = await Author.create(name="Val")
        with pytest.raises(ValidationError):
            await ok.model_copy(update={"rating": -5}).save()
        loose = await Loose.create(n=1)
        loose.n = -1  # not checked on assignment here
        with pytest.raises(ValidationError):
            await loose.save()
        assert (await Loose.get(id=loose.id)).n == 1
        with pytest.raises(ValidationError):
            ok.rating = -1  # checked on assignment by default


async def test_bulk_create_validates_what_no_validator_has_seen(url: str) -> None:
    async with opened(url):
        good = Author(name="fine")
        bad = Author.model_construct(name="y" * 101, rating=0)
        with pytest.raises(ValidationError):
            await Author.bulk_create([good, bad])
        assert await Author.count() == 0


class KsRow(orm.Model):
    id: int = orm.Field(primary_key=True)
    n: int = 0

    class Meta:
        table = "ormt_ks_row"


async def test_generated_keys_follow_the_keys_given(url: str) -> None:
    """MariaDB and SQLite go on after the largest key given (``create(id=1)`` then
    ``create()`` is 2); PostgreSQL's sequence did not know it: ``create()`` took 1 again, an
    IntegrityError there alone, and after ``bulk_create`` of keys 10 and 11 the sequence
    was still below them. Every path that gives keys moves it now (``orm.key_sequence``)."""
    async with opened(url), own_tables(KsRow):
        await KsRow.create(id=1)
        assert (await KsRow.create()).id == 2
        await KsRow.bulk_create([KsRow(id=10), KsRow(id=11)])
        assert (await KsRow.create()).id == 12
        row = KsRow(id=20)
        await row.save()
        assert [r.id for r in await KsRow.bulk_create([KsRow(), KsRow()])] == [21, 22]
        await KsRow.bulk_create([KsRow(id=30, n=1)], on_conflict=("update", ["n"]))
        await KsRow.create(id=5)  # below: nothing moves back
        assert (await KsRow.create()).id == 31
        assert await KsRow.count() == 11
