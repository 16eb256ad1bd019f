"""Regressions the Django differential test (``test_djangoref_differential``) found, one plain
test per bug, each against Django's documented answer."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables


class DrPerson(orm.Model):
    id: int = orm.Field(primary_key=True)
    nick = orm.CharField(max_length=20, null=True)

    class Meta:
        table = "ormt_drperson"


async def _ids(qs: Any) -> list[int]:
    return list(await qs.order_by("id").values_list("id", flat=True))


async def test_iexact_none_is_isnull(url: str) -> None:
    """``nick__iexact=None`` is ``nick IS NULL``, as ``nick=None`` is (Django's documented
    ``Blog.objects.get(name__iexact=None)``); it was a FieldError asking for a string."""
    async with opened(url), own_tables(DrPerson):
        await DrPerson.bulk_create(
            [DrPerson(id=1, nick="Ann"), DrPerson(id=2, nick=None), DrPerson(id=3, nick="")]
        )
        assert await _ids(DrPerson.filter(nick__iexact=None)) == [2]
        assert await _ids(DrPerson.exclude(nick__iexact=None)) == [1, 3]
        assert await _ids(DrPerson.filter(~orm.Q(nick__iexact=None))) == [1, 3]
        assert await _ids(DrPerson.filter(nick__iexact="ANN")) == [1]


class DrShelf(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_drshelf"


class DrItem(orm.Model):
    id: int = orm.Field(primary_key=True)
    pages = orm.IntField(null=True)
    shelf = orm.ForeignKeyField(DrShelf, related_name="items")
    owner = orm.ForeignKeyField(DrPerson, related_name="items", null=True)
    price = orm.DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        table = "ormt_dritem"


async def test_one_filter_call_is_met_by_one_related_row_beside_an_aggregate(url: str) -> None:
    """Within one ``filter()`` call the conditions on a to-many relation hold on the same
    related row (Django's rule), also when the call becomes a key subquery because no
    aggregate reads that relation: ``filter(items__pages__isnull=True, items__pages=7)`` is
    met by no shelf. Each condition was its own subquery, so a shelf with one item of no
    pages and another of 7 pages was kept."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrPerson.bulk_create([DrPerson(id=1, nick="a")])
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="y")])
        await DrItem.bulk_create(
            [
                DrItem(id=1, pages=None, shelf_id=1, owner_id=1),
                DrItem(id=2, pages=7, shelf_id=1, owner_id=None),
                DrItem(id=3, pages=7, shelf_id=2, owner_id=1),
            ]
        )
        both = orm.Q(items__pages__isnull=True) & orm.Q(items__pages=7)
        assert await _ids(DrShelf.filter(both)) == []
        counted = DrPerson.filter(items__shelf__name="x", items__pages=7).annotate(
            n=orm.Count("id")
        )
        assert await counted.values_list("id", "n") == []
        assert await DrShelf.filter(both).values("name").annotate(n=orm.Count("id")) == []
        assert await DrShelf.filter(both).aggregate(n=orm.Count("id")) == {"n": 0}
        # the same filter after annotate(): it picks rows, on one related row too
        late = DrShelf.annotate(n=orm.Count("items", distinct=True)).filter(both)
        assert await late.values_list("id", "n") == []
        # a part under OR is met by the same related row as the call's other parts
        either = orm.Q(items__pages__isnull=True) & (orm.Q(items__pages=7) | orm.Q(name="no"))
        assert await DrShelf.filter(either).aggregate(n=orm.Count("id")) == {"n": 0}
        one = orm.Q(items__pages=7) & orm.Q(items__owner__isnull=True)
        assert await DrShelf.filter(one).annotate(n=orm.Count("id")).values_list("id", "n") == [
            (1, 1)
        ]


async def test_null_is_smallest_through_a_to_many_relation_name(url: str) -> None:
    """``order_by("items")`` (a reverse or many-to-many relation, ordered by the related key)
    sorts a row without related rows, NULL there, first ascending and last descending, as any
    NULL sorts: PostgreSQL put it last, as the key column itself cannot hold NULL."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="x")])
        await DrItem.bulk_create([DrItem(id=5, shelf_id=1), DrItem(id=3, shelf_id=1)])
        rows = DrShelf.all().values_list("name", "items")
        assert await rows.order_by("name", "items") == [("x", None), ("x", 3), ("x", 5)]
        assert await rows.order_by("name", "-items") == [("x", 5), ("x", 3), ("x", None)]
        keys = DrShelf.all().values_list("items", flat=True).distinct()
        assert await keys.order_by("items") == [None, 3, 5]


async def test_distinct_values_of_the_key_order_by_pk(url: str) -> None:
    """``values_list("id").distinct().order_by("pk")`` orders by the selected key ("pk" is
    its name too, as in Django); it was refused as an order by a value not selected."""
    async with opened(url), own_tables(DrPerson):
        await DrPerson.bulk_create([DrPerson(id=2, nick="a"), DrPerson(id=1, nick="a")])
        keys = DrPerson.all().values_list("id", flat=True).distinct()
        assert await keys.order_by("pk") == [1, 2]
        assert await keys.order_by("-pk") == [2, 1]
        assert await DrPerson.all().values("id", "nick").distinct().order_by("pk") == [
            {"id": 1, "nick": "a"},
            {"id": 2, "nick": "a"},
        ]


async def test_sum_or_avg_of_a_text_aggregate_annotation_is_refused(url: str) -> None:
    """``annotate(a=Max("nick")).aggregate(Sum("a"))`` sums text: PostgreSQL refuses it (as
    Django's query is refused there), SQLite and MariaDB answered 0 or a number made of the
    text. A FieldError on every database now, as ``Sum("nick")`` already was; a Sum of a
    Count annotation still adds."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrPerson.bulk_create([DrPerson(id=1, nick="12"), DrPerson(id=2, nick="b")])
        await DrShelf.bulk_create([DrShelf(id=1, name="x")])
        await DrItem.bulk_create([DrItem(id=1, shelf_id=1, owner_id=1)])
        for function in (orm.Sum, orm.Avg):
            with pytest.raises(FieldError, match="is not a number"):
                await DrPerson.annotate(a=orm.Max("nick")).aggregate(s=function("a"))
            with pytest.raises(FieldError, match="is not a number"):
                await DrPerson.values("id").annotate(a=orm.Min("nick")).aggregate(s=function("a"))
        counted = DrPerson.annotate(n=orm.Count("items"))
        assert await counted.aggregate(s=orm.Sum("n")) == {"s": 1}
        assert await counted.aggregate(m=orm.Max("n")) == {"m": 1}


async def test_negated_condition_on_a_to_many_name_holds_where_no_row_joins(url: str) -> None:
    """``~Q(items__in=[...])`` / ``~Q(items=n)`` (a reverse or many-to-many relation's own
    name) is the complement of ``Q(...)`` where the LEFT JOIN finds no related row, so NULL:
    true there, as in Django, in an aggregate's ``filter=`` too. Its key column cannot hold
    NULL, so the NOT was left unknown and the row failed both."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="y")])
        await DrItem.bulk_create([DrItem(id=5, shelf_id=1)])
        for negated in (~orm.Q(items__in=[99]), ~orm.Q(items=99)):
            named = DrShelf.annotate(n=orm.Max("name", filter=negated)).order_by("id")
            assert await named.values_list("id", "n") == [(1, "x"), (2, "y")]
        counted = DrShelf.annotate(n=orm.Count("items", filter=~orm.Q(items=5))).order_by("id")
        assert await counted.values_list("id", "n") == [(1, 0), (2, 0)]


async def test_offset_of_distinct_rows_pinned_by_key(url: str) -> None:
    """``[1:]`` of a shelf's rows made distinct (a to-many filter) skips the one row there
    is: nothing is left. MariaDB 10.11 applies the OFFSET before DISTINCT when the key pins
    the row (``SELECT DISTINCT a.id FROM a JOIN b ON b.a_id = a.id WHERE a.id = 7 LIMIT 1
    OFFSET 1`` gives 7), so there the second joined row came back as the shelf; a GROUP BY
    of the selected columns, which it gets right, stands for the DISTINCT there now."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="y")])
        await DrItem.bulk_create([DrItem(id=5, shelf_id=1), DrItem(id=6, shelf_id=1)])
        shelves = DrShelf.filter(id=1, items__id__gt=0).order_by("id")
        assert [s.id for s in await shelves] == [1]
        assert [s.id for s in await shelves[1:]] == []
        assert await shelves[1:].count() == 0
        names = shelves.values_list("name", flat=True).distinct().order_by("name")
        assert await names[1:] == []
        marked = shelves.annotate(n=orm.F("id") + 1).values_list("id", "n").distinct()
        assert await marked[1:] == []
        assert await marked[:1] == [(1, 2)]


async def test_aggregate_of_a_decimal_mean_annotation_is_a_decimal(url: str) -> None:
    """``annotate(a=Avg("items__price")).aggregate(Sum("a"), Avg("a"), Max("a"))`` adds the
    decimal means as decimals, as Django's (a DecimalField's Avg is one): a ``Decimal`` at
    the mean's scale (the field's + 4; + 4 again for an Avg) on every database. It was a
    float on SQLite, for Max too, and a Sum or Avg a float everywhere."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="y")])
        prices = [(1, "1.00"), (1, "2.00"), (2, "1.00"), (2, "1.00"), (2, "2.00")]
        await DrItem.bulk_create(
            [DrItem(id=n, shelf_id=s, price=D(p)) for n, (s, p) in enumerate(prices, 1)]
        )
        means = DrShelf.annotate(a=orm.Avg("items__price"))
        got = await means.aggregate(s=orm.Sum("a"), m=orm.Avg("a"), x=orm.Max("a"))
        assert got == {"s": D("2.833333"), "m": D("1.4166665"), "x": D("1.5")}
        assert [type(v) for v in got.values()] == [D, D, D]


async def test_count_of_values_naming_two_columns_alike(url: str) -> None:
    """``values("id", "items").distinct().count()`` counts the rows of a subquery whose two
    columns are both ``id`` (the shelf's, the item's): MariaDB refuses a derived table with
    two columns of one name (``Duplicate column name 'id'``); they are named as the values
    are there now."""
    async with opened(url), own_tables(DrPerson, DrShelf, DrItem):
        await DrShelf.bulk_create([DrShelf(id=1, name="x"), DrShelf(id=2, name="y")])
        await DrItem.bulk_create([DrItem(id=5, shelf_id=1), DrItem(id=6, shelf_id=1)])
        rows = DrShelf.all().values("id", "items")
        assert await rows.distinct().count() == 3
        assert await rows.count() == 3
        assert await DrShelf.all().values_list("id", "items__id").distinct().count() == 3
        assert await rows.union(rows).count() == 3
