"""Django's ``through_defaults``: ``add()`` and ``set()`` of a many-to-many relation with an
explicit link model fill the link's own fields from it (a callable value is called), and a
link model whose extra field is required refuses links made without it. ``create()`` makes
the related row and its link, in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from ferrule import orm
from ferrule.errors import ValidationError

from .conftest import opened, own_tables

DAY = dt.date(2020, 1, 2)


class Crew(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)
    hands = orm.ManyToManyField("Hand", related_name="crews", through="Berth")

    class Meta:
        table = "ormt_td_crew"


class Hand(orm.Model):
    id: int = orm.Field(primary_key=True)
    name: str = orm.Field(max_length=20)

    class Meta:
        table = "ormt_td_hand"


class Berth(orm.Model):
    id: int = orm.Field(primary_key=True)
    crew = orm.ForeignKeyField(Crew, related_name="berths")
    hand = orm.ForeignKeyField(Hand, related_name="berths")
    since: dt.date
    rank: str = orm.Field(max_length=10, default="deck")

    class Meta:
        table = "ormt_td_berth"


async def test_add_and_set_take_through_defaults(url: str) -> None:
    async with opened(url), own_tables(Crew, Hand, Berth):
        crew = await Crew.create(name="c")
        a, b, c = [await Hand.create(name=n) for n in "abc"]
        with pytest.raises(ValidationError, match="since"):
            await crew.hands.add(a)
        assert await Berth.all().count() == 0
        await crew.hands.add(a, through_defaults={"since": DAY, "rank": "mate"})
        await b.crews.add(crew, through_defaults={"since": lambda: DAY})
        await crew.hands.set([a, c], through_defaults={"since": DAY})
        rows = await Berth.all().order_by("hand__name").values_list("hand__name", "since", "rank")
        assert rows == [("a", DAY, "mate"), ("c", DAY, "deck")]


async def test_create_makes_the_row_and_its_link(url: str) -> None:
    async with opened(url), own_tables(Crew, Hand, Berth):
        crew = await Crew.create(name="c")
        hand = await crew.hands.create(name="d", through_defaults={"since": DAY})
        assert hand.id is not None
        assert await crew.hands.values_list("name", flat=True) == ["d"]
        with pytest.raises(ValidationError, match="since"):
            await crew.hands.create(name="e")  # no link without its required field: no row
        assert await Hand.filter(name="e").count() == 0
