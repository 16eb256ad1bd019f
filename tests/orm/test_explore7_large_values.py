"""A value larger than MariaDB's ``max_allowed_packet`` (16 MiB by default): the server
answers error 1153 and closes the connection. ferrule raised that as an ``OperationalError``
and put the dead connection back in the pool, so the next statement on it, whatever it was,
failed with "Lost connection to MySQL server" (a ``ConnectionError``; for a large ``bytes``
value the first error itself was the driver's "Packet sequence number wrong"). It is now a
``DataError`` saying which limit (a ``ConnectionError`` where the server reset the connection
before its answer was read), and the connection is dropped: the next statement runs.
SQLite and PostgreSQL store such values."""

from __future__ import annotations

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import ConnectionError, DataError

from .conftest import opened, own_tables


class Blob(orm.Model):
    id: int = orm.Field(primary_key=True)
    data = orm.BinaryField(null=True)
    text = orm.TextField(null=True)

    class Meta:
        table = "ormt_x7_blob"


#: bytes and text past 16 MiB, and bytes whose escaped form is (NULs are written ``\0``)
LARGE = {
    "bytes": {"data": b"\x01" * (17 << 20)},
    "nul bytes": {"data": b"\x00" * (9 << 20)},
    "many nul bytes": {"data": b"\x00" * (20 << 20)},
    "text": {"text": "a" * (17 << 20)},
}


@pytest.mark.parametrize("label", list(LARGE))
async def test_a_value_past_the_packet_limit(url: str, dialect: str, label: str) -> None:
    values = LARGE[label]
    async with opened(url), own_tables(Blob):
        db = await ferrule.connect(url, max_size=1)  # one connection: the next reuses it
        try:
            if dialect != "mysql":
                await Blob.using(db).create(id=1, **values)
                got = await Blob.using(db).get(id=1)
                assert (got.data, got.text) == (values.get("data"), values.get("text"))
                return
            # the server may also reset the connection before its error is read (sent in
            # several packets): then it is lost, and said so
            with pytest.raises((DataError, ConnectionError)) as refused:
                await Blob.using(db).create(id=1, **values)
            if isinstance(refused.value, DataError):
                assert "max_allowed_packet" in str(refused.value)
            assert await Blob.using(db).count() == 0  # the next statement runs
            await Blob.using(db).create(id=2, text="small")
            assert await Blob.using(db).values_list("id", flat=True) == [2]
        finally:
            await db.close()
