"""Django's ``on_delete=RESTRICT`` example: deleting an artist removes their albums and songs
(cascade), and a song's restricting key to an album the same delete removes does not block
it; a song of another artist on that album does (``IntegrityError``, nothing deleted). The
answer is one on the three databases, whatever order the keys were declared in: MariaDB
checks a restricting key as its cascade reaches the album, so it refused the delete when it
followed the album's cascade before the song's (SQLite and PostgreSQL allowed it). Also with
``on_delete="no action"``, which MariaDB checks the same way, and with a restricting key to
the artist itself on a row the album's cascade removes (RCredit), which SQLite and
PostgreSQL refused."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class RArtist(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_r2_artist"


class RAlbum(orm.Model):
    id: int = orm.Field(primary_key=True)
    artist = orm.ForeignKeyField(RArtist, related_name="albums", on_delete="cascade")

    class Meta:
        table = "ormt_r2_album"


class RSong(orm.Model):
    """The artist's key declared first: MariaDB followed the album's cascade first."""

    id: int = orm.Field(primary_key=True)
    artist = orm.ForeignKeyField(RArtist, related_name="songs", on_delete="cascade")
    album = orm.ForeignKeyField(RAlbum, related_name="songs", on_delete="restrict")

    class Meta:
        table = "ormt_r2_song"


class RTrack(orm.Model):
    """As RSong, with "no action", the keys declared the other way round."""

    id: int = orm.Field(primary_key=True)
    album = orm.ForeignKeyField(RAlbum, related_name="tracks", on_delete="no action")
    artist = orm.ForeignKeyField(RArtist, related_name="tracks", on_delete="cascade")

    class Meta:
        table = "ormt_r2_track"


class RCredit(orm.Model):
    """Restricts the artist itself, and goes with the album (Django's RESTRICT lets the
    artist go: the credit is removed by the same delete, through a cascade). SQLite and
    PostgreSQL refused it: the artist's row was checked before the album's cascade ran."""

    id: int = orm.Field(primary_key=True)
    artist = orm.ForeignKeyField(RArtist, related_name="credits", on_delete="restrict")
    album = orm.ForeignKeyField(RAlbum, related_name="credits", on_delete="cascade")

    class Meta:
        table = "ormt_r2_credit"


MODELS = (RArtist, RAlbum, RSong, RTrack, RCredit)


async def _made() -> dict[str, Any]:
    """a1 has album al1 with a1's song and track; a2 has album al2."""
    a1 = await RArtist.create(name="a1")
    a2 = await RArtist.create(name="a2")
    al1 = await RAlbum.create(artist=a1)
    al2 = await RAlbum.create(artist=a2)
    await RSong.create(artist=a1, album=al1)
    await RTrack.create(artist=a1, album=al1)
    await RCredit.create(artist=a1, album=al1)
    return {"a1": a1, "a2": a2, "al1": al1, "al2": al2}


async def _left() -> list[int]:
    return [await m.all().count() for m in MODELS]


DELETES = {
    "instance": lambda made: made["a1"].delete(),
    "queryset": lambda made: RArtist.filter(name="a1").delete(),
}


@pytest.mark.parametrize("how", sorted(DELETES))
async def test_a_restricting_key_the_same_delete_removes_does_not_block_it(
    url: str, how: str
) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _made()
        await DELETES[how](made)
        assert await _left() == [1, 1, 0, 0, 0]
        assert await RArtist.all().values_list("name", flat=True) == ["a2"]


@pytest.mark.parametrize("model", [RSong, RTrack])
@pytest.mark.parametrize("how", sorted(DELETES))
async def test_a_restricting_row_the_delete_keeps_blocks_it(url: str, how: str, model: Any) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _made()
        await model.create(artist=made["a2"], album=made["al1"])  # a2's, on a1's album
        with pytest.raises(IntegrityError):
            await DELETES[how](made)
        assert await _left() == [2, 2, 1 + (model is RSong), 1 + (model is RTrack), 1]
        assert made["a1"].pk is not None


async def test_a_checked_delete_no_receiver_hears_reads_only_keys(url: str) -> None:
    """The check reads the keys of the rows it removes; the rows themselves are read only
    for a receiver (a QuerySet.delete() of many rows would hold them all)."""
    async with opened(url) as db, own_tables(*MODELS):
        await _made()
        seen: list[str] = []

        def after(event: Any) -> None:
            seen.append(event.sql)

        db.add_hook(after=after)
        try:
            assert await RArtist.filter(name="a1").delete() == 1
        finally:
            db.remove_hook(after=after)
        of_artists = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        of_artists = [s for s in of_artists if "ormt_r2_artist" in s.split("WHERE")[0]]
        assert len(of_artists) == 1 and "name" not in of_artists[0].split("FROM")[0]
