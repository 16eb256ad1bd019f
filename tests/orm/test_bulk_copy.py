"""``bulk_create`` through ``COPY`` on PostgreSQL, keys back or given: every value stored as
the raw driver's own ``INSERT`` stores it (compared as the server's text of each column), the
keys on the instances those of the rows, and the tables where ``COPY`` would not do what an
``INSERT`` does (a trigger, a rule, a default that is not the key's sequence) written by the
``INSERT`` path instead."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import uuid
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest

import ferrule
from ferrule import orm
from ferrule.orm import bulk_copy

from .conftest import opened, own_tables
from .models import Author, Color, Level
from .test_bulk import Statements, assert_stored, authors

UTC = dt.timezone.utc


def _typed(name: str) -> Any:
    """Every logical type that COPY carries (JSON goes by ``unnest``), each nullable."""

    class Typed(orm.Model):
        id = orm.IntField(pk=True)
        small = orm.SmallIntField(null=True)
        whole = orm.IntField(null=True)
        big = orm.BigIntField(null=True)
        ratio = orm.FloatField(null=True)
        price = orm.DecimalField(max_digits=20, decimal_places=6, null=True)
        flag = orm.BooleanField(null=True)
        code = orm.CharField(max_length=20, null=True)
        note = orm.TextField(null=True)
        blob = orm.BinaryField(null=True)
        moment = orm.DateTimeField(null=True)
        naive = orm.DateTimeField(null=True, tz=False)
        day = orm.DateField(null=True)
        clock = orm.TimeField(null=True)
        span = orm.TimedeltaField(null=True)
        key = orm.UUIDField(null=True)
        color = orm.EnumField(Color, null=True)
        level = orm.EnumField(Level, null=True)

        class Meta:
            table = name

    return Typed


Typed = _typed("ormt_copy_typed")
Reference = _typed("ormt_copy_reference")  # the same columns, written by the raw driver


FIELDS = [name for name in Typed._meta.columns if name != "id"]

# Not the first and last datetime and date: asyncpg sends those as -infinity and infinity, on
# every path (a single INSERT too), a fault of the driver's encoding, not of COPY's.
EDGES: list[dict[str, Any]] = [
    {
        "small": -32768,
        "whole": -(2**31),
        "big": -(2**63),
        "ratio": 2.2250738585072014e-308,  # (NaN and infinities: ValidationErrors, FloatField)
        "price": decimal.Decimal("-99999999999999.999999"),
        "flag": True,
        "code": "",
        "note": "\\N\t\r\n\\.\\x00 é ✓ 💩",
        "blob": bytes(range(256)),
        "moment": dt.datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        "naive": dt.datetime(1, 1, 1, 0, 0, 0, 1),
        "day": dt.date(1, 1, 2),
        "clock": dt.time(0, 0),
        "span": dt.timedelta(days=-1, microseconds=1),
        "key": uuid.UUID(int=0),
        "color": Color.RED,
        "level": Level.LOW,
    },
    {
        "small": 32767,
        "whole": 2**31 - 1,
        "big": 2**63 - 1,
        "ratio": -1.7976931348623157e308,
        "price": decimal.Decimal("99999999999999.999999"),
        "flag": False,
        "code": "x" * 20,
        "note": "",
        "blob": b"",
        "moment": dt.datetime(9999, 12, 31, 23, 59, 59, 999998, tzinfo=UTC),
        "naive": dt.datetime(9999, 12, 31, 23, 59, 59, 999998),
        "day": dt.date(9999, 12, 30),
        "clock": dt.time(23, 59, 59, 999999),
        "span": dt.timedelta(microseconds=2**63 - 1),  # the largest every database holds
        "key": uuid.UUID(int=2**128 - 1),
        "color": Color.GREEN,
        "level": Level.HIGH,
    },
    {
        "small": 0,
        "whole": 0,
        "big": 0,
        "ratio": -5e-324,
        "price": decimal.Decimal("0.000001"),
        "code": "'\"\\",
        "note": "line\nbreak" * 300,
        "blob": b"\x00\\x00",
        "moment": dt.datetime(
            2024, 2, 29, 23, 59, 59, 1, tzinfo=dt.timezone(dt.timedelta(hours=-9, minutes=-30))
        ),
        "naive": dt.datetime(2000, 1, 1),
        "day": dt.date(2000, 2, 29),
        "clock": dt.time(12, 0, 0, 1),
        "span": dt.timedelta(microseconds=-1),
        "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    },
    {"ratio": -0.0},
    {"ratio": 5e-324, "price": decimal.Decimal("-0.000000")},
    {"ratio": 1.7976931348623157e308, "price": decimal.Decimal("12.5")},
    {"ratio": 0.1, "span": dt.timedelta(microseconds=-(2**63))},
    {},  # every column NULL
]


def typed(count: int, keys: bool) -> list[Typed]:
    """``count`` instances, the edge rows over and over."""
    return [Typed(**({"id": i + 1} if keys else {}), **EDGES[i % len(EDGES)]) for i in range(count)]


def sent(obj: Any) -> list[Any]:
    """An instance's values as ferrule stores them (each column's conversion to PostgreSQL)."""
    columns = type(obj)._meta.columns
    out = []
    for name in FIELDS:
        value = getattr(obj, name)
        to_db = columns[name].converters("postgres")[0]
        out.append(value if value is None or to_db is None else to_db(value))
    return out


async def as_text(db: Any, model: Any) -> list[tuple[Any, ...]]:
    """Every row, each column as the server's text of it, in key order."""
    columns = ", ".join(f't."{model._meta.columns[n].column}"::text' for n in ["id", *FIELDS])
    rows = await db.fetch_all(f'SELECT {columns} FROM "{model._meta.table}" t ORDER BY t."id"')
    return [tuple(row) for row in rows]


async def raw_reference(url: str, made: list[Typed]) -> None:
    """The same rows into ``Reference``, by asyncpg's own parameterised INSERT, one a row."""
    columns = ", ".join(f'"{Typed._meta.columns[n].column}"' for n in ["id", *FIELDS])
    marks = ", ".join(f"${i}" for i in range(1, len(FIELDS) + 2))
    raw = await asyncpg.connect(url)
    try:
        await raw.executemany(
            f'INSERT INTO "{Reference._meta.table}" ({columns}) VALUES ({marks})',
            [[obj.id, *sent(obj)] for obj in made],
        )
    finally:
        await raw.close()


def skip_unless_copy(db: Any) -> None:
    if "copy" not in db.capabilities:
        pytest.skip("no COPY: the bulk insert takes INSERT statements")


@pytest.mark.parametrize("path", ["keys back, COPY", "keys back, unnest", "keys given, COPY"])
async def test_every_value_is_stored_as_the_raw_driver_stores_it(
    url: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with opened(url) as db, own_tables(Typed, Reference):
        skip_unless_copy(db)
        monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 10**9 if "unnest" in path else 1)
        seen = Statements(db)
        made = typed(3 * len(EDGES), keys="given" in path)
        await Typed.bulk_create(made)
        wanted = "unnest(" if "unnest" in path else "COPY"
        assert [wanted in event.sql for event in seen.events] == [True]
        await raw_reference(url, made)
        mine, reference = await as_text(db, Typed), await as_text(db, Reference)
        assert mine == reference
        assert [row[0] for row in mine] == [str(obj.id) for obj in made]
        for obj, loaded in zip(made, await Typed.all().order_by("id"), strict=True):
            for name in FIELDS:
                got, want = getattr(loaded, name), getattr(obj, name)
                assert type(got) is type(want), name
                assert got == want or (got != got and want != want), (name, got, want)


async def test_keys_back_come_from_the_sequence_and_one_copy(url: str) -> None:
    async with opened(url) as db:
        skip_unless_copy(db)
        await Author.create(name="first")
        seen = Statements(db)
        made = authors(bulk_copy.COPY_KEYS_FROM + 5)
        await Author.bulk_create(made, batch_size=10)  # COPY streams: no batches
        assert [event.sql.split()[0] for event in seen.events] == ["COPY"]
        first = (await Author.get(name="first")).id
        assert [a.id for a in made] == list(range(first + 1, first + 1 + len(made)))
        await assert_stored([*made, await Author.get(name="first")])
        after = await Author.create(name="after")  # the sequence moved past the rows
        assert after.id == made[-1].id + 1


async def test_keys_back_of_concurrent_bulk_inserts_are_their_own(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bulk inserts at once on two connections, and single inserts between: the
    sequence gives each row its own key, and every instance holds its row's."""
    async with opened(url, min_size=2, max_size=3) as db:
        skip_unless_copy(db)
        monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 1)
        first, second = authors(300), authors(300, start=1000)

        async def singles() -> list[Author]:
            return [await Author.create(name=f"s{i}") for i in range(20)]

        _, _, made = await asyncio.gather(
            Author.bulk_create(first), Author.bulk_create(second), singles()
        )
        await assert_stored([*first, *second, *made])


class Plain(orm.Model):
    id: int = orm.Field(primary_key=True)
    label: str = orm.Field(max_length=30)

    class Meta:
        table = "ormt_copy_plain"


# How the table's key column is made (after the model's own CREATE TABLE), and whether COPY
# with keys taken from its sequence stores what an INSERT would.
SHAPES = {
    "identity always": (
        ['ALTER TABLE "ormt_copy_plain" ALTER COLUMN "id" SET GENERATED ALWAYS'],
        "COPY",
    ),
    "serial": (
        [
            'ALTER TABLE "ormt_copy_plain" ALTER COLUMN "id" DROP IDENTITY',
            'CREATE SEQUENCE "ormt_copy_plain_seq" OWNED BY "ormt_copy_plain"."id"',
            'ALTER TABLE "ormt_copy_plain" ALTER COLUMN "id"'
            " SET DEFAULT nextval('ormt_copy_plain_seq')",
        ],
        "COPY",
    ),
    "a default that is not the sequence": (
        [
            'ALTER TABLE "ormt_copy_plain" ALTER COLUMN "id" DROP IDENTITY',
            'CREATE SEQUENCE "ormt_copy_plain_seq" OWNED BY "ormt_copy_plain"."id"',
            'ALTER TABLE "ormt_copy_plain" ALTER COLUMN "id"'
            " SET DEFAULT 1000 + nextval('ormt_copy_plain_seq')",
        ],
        "unnest(",
    ),
    "a trigger that sets the key": (
        [
            "CREATE FUNCTION ormt_copy_bump() RETURNS trigger LANGUAGE plpgsql AS"
            " $$BEGIN NEW.id := NEW.id * 10; RETURN NEW; END$$",
            'CREATE TRIGGER ormt_copy_bump BEFORE INSERT ON "ormt_copy_plain"'
            " FOR EACH ROW EXECUTE FUNCTION ormt_copy_bump()",
        ],
        "unnest(",
    ),
    "a rule (COPY ignores rules)": (
        [
            'CREATE TABLE "ormt_copy_log" (label varchar(30))',
            'CREATE RULE ormt_copy_log AS ON INSERT TO "ormt_copy_plain"'
            ' DO ALSO INSERT INTO "ormt_copy_log" VALUES (NEW.label)',
        ],
        "unnest(",
    ),
    "row level security": (
        ['ALTER TABLE "ormt_copy_plain" ENABLE ROW LEVEL SECURITY'],
        "unnest(",
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_keys_back_where_copy_would_differ_take_the_insert(
    url: str, shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with opened(url) as db, own_tables(Plain):
        skip_unless_copy(db)
        monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 1)
        statements, wanted = SHAPES[shape]
        try:
            for statement in statements:
                await db.execute(statement)
            seen = Statements(db)
            made = [Plain(label=f"p{i}") for i in range(7)]
            await Plain.bulk_create(made)
            assert [wanted in event.sql for event in seen.events] == [True]
            stored = dict(await Plain.values_list("id", "label"))
            assert stored == {p.id: p.label for p in made}
            if "rule" in shape:
                logged = await db.fetch_all('SELECT label FROM "ormt_copy_log" ORDER BY label')
                assert [row[0] for row in logged] == sorted(p.label for p in made)
        finally:
            await db.execute('DROP TABLE IF EXISTS "ormt_copy_log" CASCADE')
            await db.execute("DROP FUNCTION IF EXISTS ormt_copy_bump() CASCADE")


@pytest.mark.parametrize("keys", ["back", "given"])
async def test_a_value_postgresql_cannot_hold_is_a_typed_error_and_keeps_nothing(
    url: str, keys: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A NUL in a text (PostgreSQL's text has none): refused, no row written, no key set."""
    async with opened(url) as db, own_tables(Typed):
        skip_unless_copy(db)
        monkeypatch.setattr(bulk_copy, "COPY_KEYS_FROM", 1)
        made = typed(5, keys=keys == "given")
        made[3].note = "a\x00b"
        with pytest.raises(ferrule.errors.DatabaseError):
            await Typed.bulk_create(made)
        assert await Typed.count() == 0
        if keys == "back":
            assert all(obj.id is None for obj in made)
