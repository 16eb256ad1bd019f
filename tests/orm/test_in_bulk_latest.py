"""Django's ``in_bulk()``, ``latest()`` and ``earliest()``: answers checked against the rows the
test made, on every database. ``latest``/``earliest`` are QuerySet methods only
(``Author.all().latest("born")``): as class attributes they would take names that annotations
use (``annotate(latest=Max("created"))``)."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables
from .models import Author

DAYS = {"ann": dt.date(1990, 5, 1), "bo": dt.date(1985, 1, 2), "cy": dt.date(1999, 12, 31)}


class Event(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20, unique=True)
    day: dt.date
    rank: int = 0

    class Meta:
        table = "ormt_event"
        get_latest_by = "day"


async def _authors() -> dict[str, Author]:
    return {
        name: await Author.create(name=name, born=born, rating=index)
        for index, (name, born) in enumerate(DAYS.items())
    }


async def test_in_bulk_by_key_and_by_unique_field(url: str) -> None:
    async with opened(url):
        made = await _authors()
        keys = [a.id for a in made.values()]
        found = await Author.in_bulk([keys[0], keys[2], 10**6])
        assert sorted(found) == [keys[0], keys[2]]
        assert all(found[k].id == k for k in found)
        assert {k: a.name for k, a in (await Author.in_bulk()).items()} == {
            a.id: n for n, a in made.items()
        }
        assert await Author.in_bulk([]) == {}
        by_name = await Author.filter(rating__gte=1).in_bulk(["ann", "bo", "cy"], field_name="name")
        assert sorted(by_name) == ["bo", "cy"]
        assert by_name["cy"].born == DAYS["cy"]
        many = await Author.in_bulk(list(range(-2500, 2500)) + keys)  # more than one batch
        assert sorted(many) == sorted(keys)


async def test_in_bulk_of_a_queryset_asks_it_as_a_subquery(url: str) -> None:
    """Django's ``in_bulk(Other.objects.values_list("id", flat=True))`` reads the QuerySet's
    values; here they are asked for in one statement (``filter(<field>__in=qs)``, whose type
    rules apply) instead of the NotAwaitedError of iterating it."""
    async with opened(url):
        made = await _authors()
        rated = Author.filter(rating__gte=1)
        expected = {a.id: a.name for a in made.values() if a.rating >= 1}
        for keys in (rated.values_list("id", flat=True), rated):
            found = await Author.in_bulk(keys)
            assert {k: a.name for k, a in found.items()} == expected
        names = rated.values_list("name", flat=True)
        by_name = await Author.in_bulk(names, field_name="name")
        assert sorted(by_name) == sorted(expected.values())
        with pytest.raises(FieldError, match="cannot be compared"):
            await Author.in_bulk(rated.values_list("id", flat=True), field_name="name")


async def test_in_bulk_refuses_what_has_no_one_answer(url: str) -> None:
    async with opened(url):
        await _authors()
        with pytest.raises(FieldError, match="rating"):
            await Author.in_bulk([1], field_name="rating")  # not unique
        with pytest.raises(FieldError, match="nmae"):
            await Author.in_bulk(["x"], field_name="nmae")
        with pytest.raises(TypeError, match="slice"):
            await Author.all()[:2].in_bulk([1])
        with pytest.raises(TypeError, match="values"):
            await Author.values("name").in_bulk([1])
        with pytest.raises(TypeError, match="list"):
            await Author.in_bulk(5)  # type: ignore[arg-type]


async def test_latest_and_earliest(url: str) -> None:
    async with opened(url):
        await _authors()
        assert (await Author.all().latest("born")).name == "cy"
        assert (await Author.all().earliest("born")).name == "bo"
        assert (await Author.filter(rating__lt=2).latest("born")).name == "ann"
        assert (await Author.all().latest("-rating")).name == "ann"  # a '-' turns it round
        assert (await Author.all().earliest("rating", "name")).name == "ann"
        with pytest.raises(Author.DoesNotExist):
            await Author.filter(rating=99).latest("born")
        with pytest.raises(Author.DoesNotExist):
            await Author.filter(rating=99).earliest("born")
        with pytest.raises(FieldError, match="get_latest_by"):
            await Author.all().latest()  # no field and no Meta.get_latest_by
        with pytest.raises(FieldError, match="bron"):
            await Author.all().latest("bron")


async def test_latest_by_meta_option(url: str) -> None:
    async with opened(url), own_tables(Event):
        for index, (name, day) in enumerate(DAYS.items()):
            await Event.create(name=name, day=day, rank=index)
        assert (await Event.all().latest()).name == "cy"
        assert (await Event.all().earliest()).name == "bo"
        assert (await Event.all().latest("rank")).name == "cy"
