"""Bad input is a typed error that names the model and field; no name given to any API can
reach the SQL, and values are always bound."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import FieldError, IntegrityError, ValidationError

from .conftest import opened, own_tables
from .models import Author, Everything, Post

HOSTILE = [
    'name"; DROP TABLE ormt_author; --',
    "name` OR 1=1 --",
    "name) OR (1=1",
    "id = id",
    "*",
]


async def test_wrong_value_types_in_filters_name_the_field(url: str) -> None:
    async with opened(url):
        with pytest.raises(ValidationError, match=r"Author\.rating"):
            await Author.filter(rating="many")
        with pytest.raises(ValidationError, match=r"Author\.born"):
            await Author.filter(born__gt="yesterday")
        with pytest.raises(ValidationError, match=r"Everything\.color"):
            await Everything.filter(color="purple")
        with pytest.raises(ValidationError):
            await Author.filter(rating__in=[1, "x"])
        with pytest.raises(FieldError, match="string"):
            await Author.filter(name__contains=5)
        with pytest.raises(FieldError, match="True or False"):
            await Author.filter(born__isnull="yes")
        assert await Author.filter(rating="5").count() == 0  # lax, as on construction


async def test_hostile_names_never_reach_the_sql(url: str) -> None:
    async with opened(url):
        await Author.create(name="safe")
        for name in HOSTILE:
            with pytest.raises(FieldError):
                await Author.filter(**{name: 1})
            with pytest.raises(FieldError):
                await Author.order_by(name)
            with pytest.raises(FieldError):
                await Author.values(name)
            with pytest.raises(FieldError):
                await Author.filter(rating=orm.F(name))
            with pytest.raises(FieldError):
                await Author.all().update(**{name: 1})
            with pytest.raises((FieldError, TypeError)):
                await Author.annotate(**{name: orm.Count("id")}).values(name)
        assert await Author.count() == 1


class _Lying(str):
    """A name whose methods lie: it says it has no leading "-" and strips to "name"."""

    def startswith(self, *args: object) -> bool:  # type: ignore[override]
        return False

    def lstrip(self, *args: object) -> str:  # type: ignore[override]
        return "name"


async def test_order_by_takes_one_minus_and_a_field_name(url: str) -> None:
    """``--name`` and ``-`` are not field names (Django refuses them too); a str subclass is
    read as the text it holds, whatever its methods say."""
    async with opened(url):
        await Author.create(name="b")
        await Author.create(name="a")
        for bad in ("--name", "-", "", "- name", "name-"):
            with pytest.raises(FieldError):
                await Author.order_by(bad)
        with pytest.raises(FieldError):
            await Author.order_by(_Lying("-rating; DROP TABLE x"))
        names = await Author.order_by(_Lying("-name")).values_list("name", flat=True)
        assert names == ["b", "a"]


async def test_hostile_values_are_bound(url: str) -> None:
    async with opened(url):
        for value in HOSTILE:
            await Author.create(name=value)
        for value in HOSTILE:
            assert (await Author.get(name=value)).name == value
            assert await Author.filter(name__contains=value).count() >= 1
        assert await Author.count() == len(HOSTILE)


async def test_deleting_a_referenced_parent_with_restrict_is_an_integrity_error(url: str) -> None:
    class Owner(orm.Model):
        id: int = orm.Field(primary_key=True)

        class Meta:
            table = "ormt_owner"

    class Pet(orm.Model):
        id: int = orm.Field(primary_key=True)
        owner = orm.ForeignKeyField(Owner, on_delete="restrict", related_name="pets")

        class Meta:
            table = "ormt_pet"

    async with opened(url), own_tables(Owner, Pet):
        owner = await Owner.create()
        await Pet.create(owner=owner)
        with pytest.raises(IntegrityError):
            await owner.delete()
        assert await Owner.count() == 1


async def test_saving_with_a_missing_parent_is_an_integrity_error(url: str) -> None:
    async with opened(url):
        with pytest.raises(IntegrityError):
            await Post.create(title="orphan", author_id=999_999)
        assert await Post.count() == 0


async def test_filter_values_are_checked_by_type_not_by_constraint(url: str) -> None:
    async with opened(url):
        await Author.create(name="Zed", rating=3)
        assert await Author.filter(rating=-1).count() == 0  # ge=0 is a rule for writes
        assert await Author.filter(name="x" * 300).count() == 0  # longer than max_length
        assert await Author.filter(rating__in=[-5, 3]).count() == 1
