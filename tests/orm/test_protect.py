"""``on_delete="protect"``, Django's PROTECT: a row a protecting key names cannot be deleted
while that row exists, even when the same delete would remove the protecting row through a
cascade (where RESTRICT lets it go). Django's documentation's example: an artist's albums
cascade, a song protects its album and cascades from its artist; deleting the artist is
refused (with RESTRICT it deletes all three). The refusal is a ``ProtectedError`` (an
``IntegrityError``) naming the key, raised before anything is deleted; the table's key is a
RESTRICT in the database, so SQL run around the ORM is refused too."""

from __future__ import annotations

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import IntegrityError, ProtectedError, SchemaError

from .conftest import opened, own_tables


class PrArtist(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_pr_artist"


class PrAlbum(orm.Model):
    id: int = orm.Field(primary_key=True)
    artist = orm.ForeignKeyField(PrArtist, related_name="albums", on_delete="cascade")

    class Meta:
        table = "ormt_pr_album"


class PrSong(orm.Model):
    id: int = orm.Field(primary_key=True)
    artist = orm.ForeignKeyField(PrArtist, related_name="songs", on_delete="cascade")
    album = orm.ForeignKeyField(PrAlbum, related_name="songs", on_delete="protect")

    class Meta:
        table = "ormt_pr_song"


MODELS = (PrArtist, PrAlbum, PrSong)


async def _made() -> tuple[PrArtist, PrAlbum, PrSong]:
    artist = await PrArtist.create(name="a")
    album = await PrAlbum.create(artist=artist)
    song = await PrSong.create(artist=artist, album=album)
    return artist, album, song


async def _counts() -> tuple[int, int, int]:
    return (await PrArtist.all().count(), await PrAlbum.all().count(), await PrSong.all().count())


async def test_a_protected_row_is_not_deleted(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        _, album, _ = await _made()
        with pytest.raises(ProtectedError, match=r"PrSong\.album") as caught:
            await album.delete()
        assert isinstance(caught.value, IntegrityError)
        with pytest.raises(ProtectedError):
            await PrAlbum.all().delete()
        assert await _counts() == (1, 1, 1)


async def test_protect_holds_where_the_same_delete_would_remove_the_protecting_row(
    url: str,
) -> None:
    async with opened(url), own_tables(*MODELS):
        artist, _, _ = await _made()
        with pytest.raises(ProtectedError, match=r"PrSong\.album"):
            await artist.delete()
        assert await _counts() == (1, 1, 1)


async def test_without_the_protecting_rows_the_delete_runs(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        artist, _, song = await _made()
        await song.delete()
        assert await artist.delete() == 1
        assert await _counts() == (0, 0, 0)


async def test_the_database_refuses_it_too(url: str) -> None:
    async with opened(url) as db, own_tables(*MODELS):
        await _made()
        with pytest.raises(IntegrityError):
            await db.execute(ferrule.sql.delete(PrAlbum._meta.sql_table))
        assert await _counts() == (1, 1, 1)


def test_protect_is_spelled_as_djangos() -> None:
    field = orm.ForeignKeyField(PrArtist, on_delete="PROTECT")
    assert field is not None
    with pytest.raises(SchemaError, match="protect"):
        orm.ForeignKeyField(PrArtist, on_delete="guard")
