"""Regressions the seeded differential test (``test_differential_fields``) found, one plain
test per bug, each against the documented answer."""

from __future__ import annotations

import decimal
import enum

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables
from .test_differential_fields import DfOwner, DfRow

D = decimal.Decimal
_ROW = {"j": 0, "g": 0.0, "e": D("1"), "k": ""}


async def _rows() -> None:
    await DfOwner.bulk_create([DfOwner(id=1, name="a"), DfOwner(id=2, name=None)])
    await DfRow.bulk_create(
        [
            DfRow(id=1, d=None, s="a", owner_id=None, **_ROW),
            DfRow(id=2, d=D("2"), s="a", owner_id=1, **_ROW),
            DfRow(id=3, d=D("0.5"), s="b", owner_id=2, **_ROW),
            DfRow(id=4, d=D("1"), s=None, owner_id=1, **_ROW),
        ]
    )


async def _ids(qs: object) -> list[int]:
    return list(await qs.order_by("id").values_list("id", flat=True))  # type: ignore[attr-defined]


async def test_exclude_with_a_null_f_keeps_the_row(url: str) -> None:
    """``exclude(e__lt=F("d"))`` is the complement of ``filter(e__lt=F("d"))``: where ``d``
    is NULL the comparison is false, so exclude keeps the row (Django's ticket #23797: it adds
    ``d IS NOT NULL`` inside the NOT for a nullable field on either side). The NOT of an
    unknown comparison dropped it."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await _rows()
        assert await _ids(DfRow.filter(e__lt=orm.F("d"))) == [2]
        assert await _ids(DfRow.exclude(e__lt=orm.F("d"))) == [1, 3, 4]
        assert await _ids(DfRow.exclude(e__gte=orm.F("d") + orm.Value(D("0.5")))) == [1, 2, 4]
        assert await _ids(DfRow.filter(~orm.Q(e=orm.F("d")))) == [1, 2, 3]
        # the other side across a nullable key, and a nullable field on both sides
        assert await _ids(DfRow.filter(s=orm.F("owner__name"))) == [2]
        assert await _ids(DfRow.exclude(s=orm.F("owner__name"))) == [1, 3, 4]
        assert await _ids(DfRow.exclude(k=orm.F("owner__name"))) == [1, 2, 3, 4]


async def test_a_json_key_in_an_empty_list_matches_nothing(url: str) -> None:
    """``js__a__in=[]`` is false for every row, as ``in`` of no value on a field is: MariaDB
    crashed building it (``SQLError: or_() needs at least one condition``)."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await DfRow.bulk_create([DfRow(id=1, js={"a": 1}, **_ROW), DfRow(id=2, **_ROW)])
        assert await _ids(DfRow.filter(js__a__in=[])) == []
        assert await _ids(DfRow.exclude(js__a__in=[])) == [1, 2]
        assert await _ids(DfRow.filter(js__a__in=[1])) == [1]


async def test_exclude_of_a_range_or_in_with_a_null_f_keeps_the_row(url: str) -> None:
    """``range`` and ``in`` with an ``F`` among their values: where it is NULL the condition
    may be unknown (``e BETWEEN d AND 5`` with ``d`` NULL and ``e`` at most 5), and the NOT of
    it dropped a row ``filter()`` also drops."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await _rows()
        five = D("5")
        assert await _ids(DfRow.filter(e__range=(orm.F("d"), five))) == [3, 4]
        assert await _ids(DfRow.exclude(e__range=(orm.F("d"), five))) == [1, 2]
        assert await _ids(DfRow.filter(e__in=[orm.F("d"), D("7")])) == [4]
        assert await _ids(DfRow.exclude(e__in=[orm.F("d"), D("7")])) == [1, 2, 3]


async def test_exclude_on_an_annotation_with_a_null_f_keeps_the_row(url: str) -> None:
    """The same on an annotation: ``annotate(x=F("e")).exclude(x__lt=F("d"))``."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await _rows()
        annotated = DfRow.annotate(x=orm.F("e"))
        assert await _ids(annotated.filter(x__lt=orm.F("d"))) == [2]
        assert await _ids(annotated.exclude(x__lt=orm.F("d"))) == [1, 3, 4]


async def test_a_decimal_compared_with_a_float_expression_is_refused(url: str) -> None:
    """``d=F("f")`` (a decimal field with a float one): every database compared them as
    doubles, so 0.01 equalled the double nearest it, which Python's ``Decimal("0.01") ==
    0.01`` says it is not, silently; ``F("d") + F("f")`` was already refused for the same
    reason (no type holds both exactly). Now a ``FieldError`` names both sides."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await DfRow.bulk_create([DfRow(id=1, d=D("0.01"), f=0.01, **_ROW)])
        for qs in (
            DfRow.filter(d=orm.F("f")),
            DfRow.filter(f__lt=orm.F("d")),
            DfRow.exclude(e__gte=orm.F("g")),
            DfRow.filter(d=orm.F("f") + orm.Value(0.0)),
            DfRow.filter(f=orm.F("e") * orm.Value(1)),
        ):
            with pytest.raises(FieldError, match="decimal"):
                await qs.count()
        # int with either stays answered exactly
        assert await _ids(DfRow.filter(d__lt=orm.F("j") + orm.Value(1))) == [1]
        assert await _ids(DfRow.filter(f__lt=orm.F("j") + orm.Value(1))) == [1]


TEXT_LOOKUPS = ("iexact", "contains", "icontains", "startswith", "endswith", "regex", "iregex")


async def test_text_lookups_on_a_field_that_is_not_text_are_refused(url: str) -> None:
    """``f__contains="1."``, ``d__iexact="1.5"``, ``day__startswith="2024"``: a pattern on a
    number, bool, date, datetime or UUID matched each database's own text of the value (SQLite
    ``1.0`` and ``1.50``, MariaDB ``1`` and ``1.50``, so the answers differed) and was a
    ProgrammingError from PostgreSQL, which has no LIKE on those types. Now a ``FieldError``
    naming the field; text fields, across a key too, keep their lookups."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await DfOwner.bulk_create([DfOwner(id=1, name="Ab")])
        await DfRow.bulk_create([DfRow(id=1, i=1, f=1.0, d=D("1.5"), s="ab", owner_id=1, **_ROW)])
        for field, value in (("i", "1"), ("f", "1."), ("d", "1.5"), ("b", "1"), ("day", "2024")):
            for lookup in TEXT_LOOKUPS:
                with pytest.raises(FieldError, match="text"):
                    await DfRow.filter(**{f"{field}__{lookup}": value}).count()
        for field in ("at", "u", "owner", "owner__rank", "id"):
            with pytest.raises(FieldError, match="text"):
                await DfRow.exclude(**{f"{field}__icontains": "1"}).count()
        assert await _ids(DfRow.filter(s__icontains="B", owner__name__startswith="A")) == [1]
    async with opened(url), own_tables(DfTagged):  # a str enum is text (VARCHAR) everywhere
        await DfTagged.bulk_create([DfTagged(id=1, tone=Tone.RED), DfTagged(id=2, tone=Tone.BLUE)])
        assert await _ids(DfTagged.filter(tone__startswith="r")) == [1]
        assert await _ids(DfTagged.exclude(tone__icontains="U")) == [1]


class Tone(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class DfTagged(orm.Model):
    id: int = orm.Field(primary_key=True)
    tone = orm.EnumField(Tone)

    class Meta:
        table = "ormt_dftagged"


async def test_exclude_with_an_empty_queryset_value_keeps_the_rows(url: str) -> None:
    """``exclude(i=<a QuerySet of no row>)`` (Django's ``pk=qs.values("pk")[:1]``): the
    subquery is NULL, so the comparison is false and exclude keeps every row, as it already
    did for ``Subquery(qs)``; the bare QuerySet dropped them all."""
    async with opened(url), own_tables(DfOwner, DfRow):
        await DfRow.bulk_create([DfRow(id=1, i=1, **_ROW), DfRow(id=2, i=2, **_ROW)])
        empty = DfRow.filter(id=99).values("i")[:1]
        one = DfRow.filter(id=2).values("i")[:1]
        assert await _ids(DfRow.filter(i=empty)) == []
        assert await _ids(DfRow.exclude(i=empty)) == [1, 2]
        assert await _ids(DfRow.exclude(i__lt=empty)) == [1, 2]
        assert await _ids(DfRow.exclude(i=one)) == [1]
