"""Everyday Django text expressions: ``Concat("title", Value(" #"), "id")`` (an int joined as
``str(int)``, exact on every database) and Django's ``output_field=CharField()`` beside it were
a FieldError ('... is an int, not text') and a TypeError. A float, decimal, bool or date in a
Concat prints differently on each database: still a FieldError, now naming the alternative,
as are the Casts with no one answer."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables

F, Value = orm.F, orm.Value


class Item(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=20, null=True)
    qty = orm.BigIntField(null=True)
    price = orm.DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal("1.50"))
    ratio: float = orm.Field(default=0.5)
    made: dt.date = orm.Field(default=dt.date(2024, 1, 2))

    class Meta:
        table = "ormt_oi_item"


ROWS = [("box", 7), ("bag", -(2**63)), (None, 3), ("pen", None)]


async def test_concat_takes_ints_as_python_prints_them(url: str) -> None:
    async with opened(url), own_tables(Item):
        made = [await Item.create(title=t, qty=c) for t, c in ROWS]
        joined = orm.Concat("title", Value(" #"), "qty", Value("/"), F("id") * 10)
        got = await Item.annotate(x=joined).order_by("id").values_list("x", flat=True)
        assert got == [
            f"{t or ''} #{'' if c is None else c}/{m.id * 10}"
            for (t, c), m in zip(ROWS, made, strict=True)
        ]
        typed = orm.Concat("title", "qty", output_field=orm.CharField(max_length=40))
        got = await Item.annotate(x=typed).order_by("id").values_list("x", flat=True)
        assert got == [f"{t or ''}{'' if c is None else c}" for t, c in ROWS]
        found = Item.annotate(x=joined).filter(x=f"box #7/{made[0].id * 10}")
        assert await found.count() == 1


@pytest.mark.parametrize(
    ("term", "words"),
    [
        (F("price"), "decimal"),
        (F("ratio"), "float"),
        (F("made"), "date"),
        (Value(True), "bool"),
    ],
)
async def test_concat_refuses_what_prints_differently(url: str, term: object, words: str) -> None:
    async with opened(url), own_tables(Item):
        await Item.create(title="a", qty=1)
        with pytest.raises(FieldError, match=words) as caught:
            await Item.annotate(x=orm.Concat("title", term)).values_list("x", flat=True)
        assert "Python" in str(caught.value)


def test_concat_output_field_must_be_text() -> None:
    with pytest.raises(FieldError, match="output_field"):
        orm.Concat("title", "qty", output_field=orm.IntField())


class Flagged(orm.Model):
    id: int = orm.Field(primary_key=True)
    done: bool = orm.Field(default=False)
    code = orm.CharField(max_length=10, default="12")
    ratio: float = orm.Field(default=2.5)
    at: dt.datetime = orm.Field(default=dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone.utc))

    class Meta:
        table = "ormt_oi_flagged"


async def test_cast_of_a_bool_to_int_counts_as_python(url: str) -> None:
    """``Sum(Cast("done", IntegerField()))``: Django's way of counting the true rows; 0 and 1
    on every database, as ``int(bool)``."""
    async with opened(url), own_tables(Flagged):
        for done in (True, False, True):
            await Flagged.create(done=done)
        got = await Flagged.aggregate(n=orm.Sum(orm.Cast("done", orm.IntField())))
        assert got == {"n": 2}
        ones = Flagged.annotate(k=orm.Cast("done", int) + 1).order_by("id")
        assert await ones.values_list("k", flat=True) == [2, 1, 2]


@pytest.mark.parametrize(
    ("source", "target", "hint"),
    [
        ("ratio", int, "Python"),
        ("code", int, "not a number"),
        ("ratio", str, "Python"),
        ("at", str, "Python"),
    ],
)
async def test_casts_with_no_one_answer_name_the_alternative(
    url: str, source: str, target: type, hint: str
) -> None:
    async with opened(url), own_tables(Flagged):
        await Flagged.create()
        with pytest.raises(FieldError, match=hint):
            await Flagged.annotate(k=orm.Cast(source, target)).values_list("k", flat=True)


def test_cast_to_a_date_names_trunc() -> None:
    with pytest.raises(FieldError, match="TruncDate"):
        orm.Cast("at", orm.DateField())


def test_cast_to_a_decimal_names_the_exact_product() -> None:
    with pytest.raises(FieldError, match=r"Decimal\('1.00'\)"):
        orm.Cast("qty", orm.DecimalField(max_digits=10, decimal_places=2))


async def test_the_named_decimal_alternative_answers(url: str) -> None:
    async with opened(url), own_tables(Item):
        await Item.create(title="a", qty=7)
        got = await Item.annotate(x=F("qty") * decimal.Decimal("1.00")).values_list("x", flat=True)
        assert got == [decimal.Decimal("7.00")] and str(got[0]) == "7.00"
