"""Field names given to writes as a str subclass whose ``__eq__``/``__hash__`` lie (equal
to every string, hashed as ``"name"``): the model's column table was searched with the
name's own methods before its text was read, so ``update(**{<"bogus">: "x"})`` wrote
``name``, ``save(update_fields=[<"rating">])`` saved ``name`` and not ``rating``, and
``refresh_from_db(fields=[<"rating">])`` reloaded ``name``; all in silence. A name is now
read by its text first."""

from __future__ import annotations

import pytest

from ferrule.errors import FieldError

from .conftest import opened
from .models import Author


class Liar(str):
    """Equal to every string, hashed as 'name'."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("name")


async def _rows() -> list[tuple[str, int]]:
    return list(await Author.all().values_list("name", "rating"))


async def test_update_writes_the_field_its_text_names(url: str) -> None:
    async with opened(url):
        await Author.create(name="x", rating=1)
        with pytest.raises(FieldError, match="bogus"):
            await Author.all().update(**{Liar("bogus"): "hacked"})
        assert await Author.all().update(**{Liar("rating"): 5}) == 1
        assert await _rows() == [("x", 5)]


async def test_save_update_fields_saves_the_fields_their_texts_name(url: str) -> None:
    async with opened(url):
        made = await Author.create(name="x", rating=1)
        made.name, made.rating = "changed", 9
        await made.save(update_fields=[Liar("rating")])
        assert await _rows() == [("x", 9)]
        with pytest.raises(FieldError, match="bogus"):
            await made.save(update_fields=[Liar("bogus")])


async def test_refresh_reloads_the_fields_their_texts_name(url: str) -> None:
    async with opened(url):
        made = await Author.create(name="x", rating=1)
        await Author.all().update(name="y", rating=3)
        await made.refresh_from_db(fields=[Liar("rating")])
        assert (made.name, made.rating) == ("x", 3)
        with pytest.raises(FieldError, match="bogus"):
            await made.refresh_from_db(fields=[Liar("bogus")])


async def test_get_or_create_defaults_are_the_fields_their_texts_name(url: str) -> None:
    """``defaults={<"bogus">: "zz"}`` passed the check of known names (its hash and ``==``
    said ``name``) and then replaced the lookup's ``name`` when the two were merged: the row
    made was named "zz", not "new"."""
    async with opened(url):
        with pytest.raises(FieldError, match="bogus"):
            await Author.get_or_create(name="new", defaults={Liar("bogus"): "zz"})
        with pytest.raises(FieldError, match="bogus"):
            await Author.update_or_create(name="new", defaults={Liar("bogus"): "zz"})
        assert await _rows() == []
        made, created = await Author.get_or_create(name="new", defaults={Liar("rating"): 4})
        assert created and (made.name, made.rating) == ("new", 4)
        await Author.update_or_create(name="new", defaults={Liar("rating"): 6})
        assert await _rows() == [("new", 6)]
