"""A JSON field typed with what JSON itself does not hold: a sub-model, an enum, a Decimal, a
datetime, a UUID, a set, a tuple, a dict with int keys.

As pydantic writes such a value (``model_dump(mode="json")``) it is stored, and as pydantic
reads it back (validation of that JSON) it is loaded: an instance, ``values()``,
``refresh_from_db`` and the bulk forms give the declared types, on every database; an equality
filter takes the declared value (and compares its JSON form: ``Decimal("1.5")`` is not
``Decimal("1.50")`` there); a key read inside it (``values("home__city")``) is plain JSON.
Before, saving raised the json module's TypeError ("Object of type Addr is not JSON
serializable").
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid

from ferrule import Model, orm

from .conftest import opened, own_tables


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Addr(Model):
    city: str
    since: dt.datetime | None = None
    fee: decimal.Decimal | None = None
    color: Color = Color.RED
    ref: uuid.UUID | None = None


class Person(orm.Model):
    id: int = orm.Field(primary_key=True)
    home: Addr | None = orm.JSONField(null=True)
    others: list[Addr] = orm.JSONField(default=list)
    colors: list[Color] = orm.JSONField(default=list)
    scores: dict[int, Color] = orm.JSONField(default=dict)
    pair: tuple[int, decimal.Decimal] | None = orm.JSONField(null=True)
    ids: set[int] = orm.JSONField(default=set)
    plain: dict[str, list[str]] = orm.JSONField(default=dict)

    class Meta:
        table = "ormt_typed_json"


REF = uuid.UUID("12345678-1234-5678-1234-567812345678")
HOME = Addr(
    city="Oslo",
    since=dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc),
    fee=decimal.Decimal("1.10"),
    color=Color.GREEN,
    ref=REF,
)
VALUES = {
    "home": HOME,
    "others": [Addr(city="A"), Addr(city="B", color=Color.GREEN)],
    "colors": [Color.GREEN, Color.RED],
    "scores": {1: Color.RED, 20: Color.GREEN},
    "pair": (7, decimal.Decimal("2.50")),
    "ids": {3, 1},
    "plain": {"x": ["a", "b"]},
}
FIELDS = tuple(VALUES)


def _same(found: dict[str, object]) -> None:
    """Equal to VALUES, with the declared types all the way down."""
    assert found == VALUES
    assert type(found["home"]) is Addr and type(found["home"].fee) is decimal.Decimal  # type: ignore[attr-defined]
    assert type(found["home"].since) is dt.datetime and type(found["home"].ref) is uuid.UUID  # type: ignore[attr-defined]
    assert all(type(a) is Addr for a in found["others"])  # type: ignore[attr-defined]
    assert all(type(c) is Color for c in found["colors"])  # type: ignore[attr-defined]
    assert all(type(k) is int for k in found["scores"])  # type: ignore[attr-defined]
    assert type(found["pair"]) is tuple and type(found["ids"]) is set


async def test_typed_json_fields_round_trip(url: str) -> None:
    async with opened(url), own_tables(Person):
        made = await Person.create(**VALUES)
        loaded = await Person.get(id=made.id)
        _same({name: getattr(loaded, name) for name in FIELDS})
        (row,) = await Person.filter(id=made.id).values(*FIELDS)
        _same(row)
        (more,) = await Person.bulk_create([Person(**VALUES)])
        rows = await Person.order_by("id").values(*FIELDS)
        assert len(rows) == 2
        _same(rows[1])
        assert await Person.filter(home=HOME).count() == 2
        assert await Person.filter(home__city="Oslo").count() == 2
        # a value read inside the field is plain JSON, as the database holds it
        assert await Person.values_list("home__city", "home__fee") == [("Oslo", "1.10")] * 2
        assert await Person.filter(colors=[Color.GREEN, Color.RED]).count() == 2
        moved = Addr(city="Rome", fee=decimal.Decimal("3"))
        assert await Person.filter(id=made.id).update(home=moved) == 1
        await loaded.refresh_from_db()
        assert loaded.home == moved and type(loaded.home) is Addr
        more.others = [moved]
        assert await Person.bulk_update([more], ["others"]) == 1
        assert await Person.filter(id=more.id).values_list("others", flat=True) == [[moved]]
        assert (
            loaded.model_dump_json() == Person.model_validate(loaded.model_dump()).model_dump_json()
        )
