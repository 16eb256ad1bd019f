"""``Model(pk=...)`` sets the primary key field, whatever it is named, as Django's constructor
does (``pk`` is a property there; ``create(pk=...)`` and ``get``/``filter(pk=...)`` took it
already). Before, the constructor refused ``pk`` as an unknown keyword. The key given both
ways with different values is refused (Django keeps the ``pk`` one in silence)."""

from __future__ import annotations

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables


class KwBook(orm.Model):
    id: int = orm.Field(primary_key=True)
    title: str = orm.Field(max_length=50)

    class Meta:
        table = "ormt_kw_book"


class KwCode(orm.Model):
    code: str = orm.Field(primary_key=True, max_length=10)
    label: str = orm.Field(max_length=50, default="")

    class Meta:
        table = "ormt_kw_code"


class KwBig(orm.Model):
    ref = orm.BigIntField(pk=True)
    title = orm.CharField(max_length=50, default="")

    class Meta:
        table = "ormt_kw_big"


class KwAliased(orm.Model):
    key: int = orm.Field(primary_key=True, alias="Key")
    title: str = orm.Field(max_length=50, default="")

    class Meta:
        table = "ormt_kw_aliased"


def test_pk_keyword_sets_the_key_field_of_any_name() -> None:
    assert KwBook(pk=5, title="x").id == 5
    assert KwCode(pk="k", label="x").code == "k"
    assert KwBig(pk=2**40).ref == 2**40
    assert KwAliased(pk=3).key == 3
    assert KwAliased(Key=4).key == 4
    assert KwAliased(Key=4).model_dump(by_alias=True) == {"Key": 4, "title": ""}


def test_pk_keyword_is_validated_as_the_key_field() -> None:
    with pytest.raises(ValidationError):
        KwBook(pk="five", title="x")
    with pytest.raises(ValidationError):
        KwCode(pk="x" * 11)


def test_key_given_both_ways_is_refused() -> None:
    with pytest.raises(ValidationError, match="pk"):
        KwBook(id=1, pk=2, title="x")


async def test_pk_keyword_then_save_stores_the_row_under_that_key(url: str) -> None:
    async with opened(url) as db, own_tables(KwBook, KwCode):
        book = KwBook(pk=41, title="given")
        await book.save()
        code = KwCode(pk="c1", label="given")
        await code.save()
        assert [tuple(r) for r in await db.fetch_all("SELECT id, title FROM ormt_kw_book")] == [
            (41, "given")
        ]
        assert (await KwCode.get(pk="c1")).label == "given"
        assert await KwBook.filter(pk=41).count() == 1
