"""Run by ``test_core_differential`` in a subprocess, under one core (``FERRULE_PURE_PYTHON``
set or not): ``write URL`` stores ``ROWS``; ``read URL`` prints, one line per row and load
path, the ``repr`` and type of every field read back; ``raw URL`` prints the driver's own
rows (``ferrule.db`` fetch_all)."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import enum
import sys
import uuid
from typing import Any

import ferrule
from ferrule import orm

D = decimal.Decimal
UTC = dt.timezone.utc


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Diff(orm.Model):
    id: int = orm.Field(primary_key=True)
    i = orm.IntField()
    big = orm.BigIntField()
    small = orm.SmallIntField()
    f = orm.FloatField()
    dec = orm.DecimalField(max_digits=15, decimal_places=5)
    flag = orm.BooleanField()
    ch = orm.CharField(max_length=40)
    tx = orm.TextField()
    bin = orm.BinaryField()
    aware = orm.DateTimeField()
    naive = orm.DateTimeField(tz=False)
    day = orm.DateField()
    tm = orm.TimeField()
    span = orm.TimedeltaField()
    uid = orm.UUIDField()
    js = orm.JSONField()
    color = orm.EnumField(Color)
    maybe_i = orm.IntField(null=True)
    maybe_tx = orm.TextField(null=True)
    maybe_at = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_core_differential"


def _row(key: int, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": key,
        "i": 0,
        "big": 0,
        "small": 0,
        "f": 0.0,
        "dec": D("0"),
        "flag": False,
        "ch": "",
        "tx": "",
        "bin": b"",
        "aware": dt.datetime(2024, 1, 1, tzinfo=UTC),
        "naive": dt.datetime(2024, 1, 1),
        "day": dt.date(2024, 1, 1),
        "tm": dt.time(0, 0),
        "span": dt.timedelta(0),
        "uid": uuid.UUID(int=0),
        "js": {},
        "color": Color.RED,
        "maybe_i": None,
        "maybe_tx": None,
        "maybe_at": None,
    }
    base.update(values)
    return base


ROWS = [
    _row(1),
    _row(
        2,
        i=2**31 - 1,
        big=2**63 - 1,
        small=2**15 - 1,
        f=1e308,
        dec=D("9999999999.99999"),
        flag=True,
        ch="\U0001f600 non-BMP é",
        tx="x" * 1000 + "\U0010ffff",
        bin=bytes(range(256)),
        aware=dt.datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),
        naive=dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
        day=dt.date(9999, 12, 31),
        tm=dt.time(23, 59, 59, 999999),
        span=dt.timedelta(days=999, microseconds=1),
        uid=uuid.UUID(int=2**128 - 1),
        js={"a": [1, 2.5, None, True, "\U0001f600"], "b": {"c": -0.0}},
        color=Color.BLUE,
        maybe_i=-1,
        maybe_tx="",
        maybe_at=dt.datetime(2000, 2, 29, 12, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    ),
    _row(
        3,
        i=-(2**31),
        big=-(2**63),
        small=-(2**15),
        f=-0.0,
        dec=D("-9999999999.99999"),
        aware=dt.datetime(1, 1, 2, 0, 0, 0, 1, tzinfo=UTC),
        naive=dt.datetime(1, 1, 1, 0, 0, 0, 1),
        day=dt.date(1, 1, 1),
        tm=dt.time(0, 0, 0, 1),
        span=dt.timedelta(days=-999, microseconds=-1),
        f_extra=None,
    ),
    _row(4, f=5e-324, dec=D("0.00001"), js=[], ch="a\tb\nc", tx="'\"\\%_"),
]
for row in ROWS:
    row.pop("f_extra", None)


def _shown(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


async def main(action: str, url: str) -> None:
    db = await ferrule.connect(url)
    orm.set_default(db)
    try:
        if action == "write":
            await orm.drop_tables(Diff, if_exists=True)
            await orm.create_tables(Diff)
            await Diff.create(**ROWS[0])
            await Diff.bulk_create([Diff(**row) for row in ROWS[1:3]])
            made = Diff(**ROWS[3])
            await made.save(force_insert=True)
            return
        if action == "drop":
            await orm.drop_tables(Diff, if_exists=True)
            return
        names = list(Diff._meta.columns)
        for obj in await Diff.all().order_by("id"):
            print("all", obj.id, [_shown(getattr(obj, n)) for n in names])
        for row in await Diff.all().order_by("id").values():
            print("values", row["id"], [_shown(row[n]) for n in names])
        for row in await Diff.all().order_by("id").values_list(*names):
            print("values_list", row[0], [_shown(v) for v in row])
        for key in range(1, len(ROWS) + 1):
            obj = await Diff.get(id=key)
            print("get", key, [_shown(getattr(obj, n)) for n in names])
    finally:
        orm.set_default(None)
        await db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
