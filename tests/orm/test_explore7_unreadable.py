"""A stored value the field cannot hold (a flag bit no member has, an enum member since
removed, UUID text that is no UUID, a number's column holding text: written by another
program, by raw SQL, or before the model changed) is an ``UnreadableValueError`` naming the
model, the field and the value, on every read path: it was the converter's bare
``ValueError`` (``<flag 'Perm'> invalid value 64``), ``decimal.InvalidOperation`` or
``TypeError``, which named nothing. ``UnreadableValueError`` is a ``ValueError`` still."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import UnreadableValueError

from .conftest import opened, own_tables


class Perm(enum.Flag):
    READ = 1
    WRITE = 2


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"
    GREY = "grey"


class Shown(enum.Enum):
    """``Shade`` with ``GREY`` removed since the rows were written."""

    LIGHT = "light"
    DARK = "dark"


class Odd(orm.Model):
    id: int = orm.Field(primary_key=True)
    perm = orm.EnumField(Perm, null=True)
    shade = orm.EnumField(Shade, null=True)
    ref = orm.UUIDField(null=True)
    amount = orm.DecimalField(max_digits=8, decimal_places=2, null=True)
    span = orm.TimedeltaField(null=True)

    class Meta:
        table = "ormt_x7_odd"


class OddNow(orm.Model):
    """The same table, read by the model as it is now."""

    id: int = orm.Field(primary_key=True)
    perm = orm.EnumField(Perm, null=True)
    shade = orm.EnumField(Shown, null=True)
    ref = orm.UUIDField(null=True)
    amount = orm.DecimalField(max_digits=8, decimal_places=2, null=True)
    span = orm.TimedeltaField(null=True)

    class Meta:
        table = "ormt_x7_odd"


class Holder(orm.Model):
    id: int = orm.Field(primary_key=True)
    odd = orm.ForeignKeyField(OddNow, related_name="holders")

    class Meta:
        table = "ormt_x7_odd_holder"


#: field -> SQL literal its column takes but the field cannot read, by dialect
STORED: dict[str, dict[str, str]] = {
    "perm": {"sqlite": "64", "postgres": "64", "mysql": "64"},
    "ref": {"sqlite": "'not a uuid'", "mysql": "'not a uuid'"},
    "amount": {"sqlite": "'abc'"},
    "span": {"sqlite": "'an hour'"},
}


#: values the driver reads by the column's declared type, knowing the type, not the field
DRIVER_READS = {
    ("sqlite", "ref"): "a UUID column holds b'not a uuid'",
    ("sqlite", "amount"): "a DECIMAL column holds b'abc'",
}


async def _paths(name: str) -> dict[str, Any]:
    """Each read path, as a coroutine function."""
    return {
        "get": lambda: OddNow.get(id=1),
        "all": lambda: OddNow.filter(id=1),
        "values": lambda: OddNow.filter(id=1).values(name),
        "values_list": lambda: OddNow.filter(id=1).values_list(name, flat=True),
        "select_related": lambda: Holder.filter(id=1).select_related("odd"),
        "prefetch_related": lambda: Holder.filter(id=1).prefetch_related("odd"),
        "raw": lambda: OddNow.raw("SELECT * FROM ormt_x7_odd"),
        "validate_on_load": lambda: OddNow.filter(id=1).validate_on_load(),
    }


async def _unnamed(name: str, named: str | None = None) -> list[tuple[str, str]]:
    """The read paths that did not raise an UnreadableValueError naming the field (or
    ``named``)."""
    wrong = []
    for path, read in (await _paths(name)).items():
        try:
            got = await read()
        except UnreadableValueError as error:
            if (named or f"OddNow.{name}") not in str(error):
                wrong.append((path, str(error)))
            continue
        except Exception as error:
            wrong.append((path, repr(error)[:200]))
            continue
        wrong.append((path, f"read {got!r}"))
    return wrong


@pytest.mark.parametrize("name", list(STORED))
async def test_a_stored_value_the_field_cannot_hold(url: str, dialect: str, name: str) -> None:
    literal = STORED[name].get(dialect)
    if literal is None:
        pytest.skip(f"the {dialect} column refuses such a value itself")
    async with opened(url) as db, own_tables(Odd, Holder):
        await db.execute(f"INSERT INTO ormt_x7_odd (id, {name}) VALUES (1, {literal})")
        await Holder.create(id=1, odd_id=1)
        # SQLite's driver reads its UUID and DECIMAL columns itself, by their declared type
        named = DRIVER_READS.get((dialect, name))
        assert await _unnamed(name, named) == []


async def test_a_removed_enum_member(url: str) -> None:
    async with opened(url), own_tables(Odd, Holder):
        await Odd.create(id=1, shade=Shade.GREY)
        await Holder.create(id=1, odd_id=1)
        assert await _unnamed("shade") == []
        with pytest.raises(ValueError, match="grey"):  # still a ValueError
            await OddNow.get(id=1)
