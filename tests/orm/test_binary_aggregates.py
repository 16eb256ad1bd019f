"""``Min``/``Max`` of a ``bytes`` field answer as Python's ``min``/``max`` of bytes (byte by
byte, a prefix first) on every database, over all rows, per group, over a slice and over an
annotation; of a UUID field over a slice as over all rows. PostgreSQL has no
``min(bytea)``/``max(bytea)`` (nor for ``uuid``, which ferrule already rewrote for a plain
aggregate only): each was a ProgrammingError there, while SQLite and MariaDB answered.
"""

from __future__ import annotations

import uuid

from ferrule import orm

from .conftest import opened, own_tables


class Blob(orm.Model):
    id: int = orm.Field(primary_key=True)
    group: int = 0
    data: bytes | None = None
    key: uuid.UUID | None = None

    class Meta:
        table = "ormt_binary_blob"


VALUES = [b"ab", b"", b"\x00", b"\x00\x00", b"\xff", b"a", None, b"\x7f\x80", b"\xff\x00"]


async def test_min_and_max_of_bytes_answer_as_python(url: str) -> None:
    async with opened(url), own_tables(Blob):
        for i, value in enumerate(VALUES):
            await Blob.create(group=i % 2, data=value, key=uuid.UUID(int=(i * 7919) << 64))
        present = [v for v in VALUES if v is not None]
        found = await Blob.aggregate(lo=orm.Min("data"), hi=orm.Max("data"))
        assert found == {"lo": min(present), "hi": max(present)}
        rows = await Blob.values("group").annotate(hi=orm.Max("data")).order_by("group")
        expected = [
            {"group": g, "hi": max(v for i, v in enumerate(VALUES) if i % 2 == g and v)}
            for g in (0, 1)
        ]
        assert rows == expected
        first = VALUES[:5]
        sliced = await Blob.order_by("id")[:5].aggregate(hi=orm.Max("data"), lo=orm.Min("key"))
        keys = [uuid.UUID(int=(i * 7919) << 64) for i in range(5)]
        assert sliced == {"hi": max(v for v in first if v is not None), "lo": min(keys)}
        aliased = await Blob.annotate(d=orm.F("data")).aggregate(lo=orm.Min("d"))
        assert aliased == {"lo": min(present)}
        empty = await Blob.filter(data__isnull=True).aggregate(lo=orm.Min("data"))
        assert empty == {"lo": None}
