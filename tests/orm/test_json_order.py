"""A JSON field has no order, and no equality of rows, that the three databases share.

PostgreSQL orders and compares ``jsonb`` by its own rules (``{"a": 1, "b": 2}`` is
``{"b": 2, "a": 1}`` and ``{"a": 1.0, "b": 2}``, as in Python), SQLite its text, MariaDB its
text or its JSON: ``order_by("tags")`` gave three orders, ``Max("tags")`` a text on SQLite, a
list on MariaDB and a ProgrammingError on PostgreSQL, and ``values("data").distinct()`` 5,
3 and 5 rows where Python has 3. As for a key inside the field (``order_by("data__a")``),
each is a ``FieldError`` naming the field before any SQL; filters (equality included, which
ferrule answers as Python does), ``Count`` of rows and ``values()`` still work.
"""

from __future__ import annotations

from typing import Any

from ferrule import orm

from .conftest import opened, own_tables, refusal_mistakes


class Doc(orm.Model):
    id: int = orm.Field(primary_key=True)
    data: dict[str, Any] | None = orm.JSONField(null=True)
    tags: list[Any] = orm.JSONField(default=list)

    class Meta:
        table = "ormt_json_order"


ROWS = [
    ({"a": 1, "b": 2}, [1, 2]),
    ({"b": 2, "a": 1}, [[1], "a"]),
    ({"a": 1.0, "b": 2}, []),
    (None, [None]),
    ({"x": None}, ["b", 3]),
]


async def test_json_fields_are_not_ordered_or_compared_as_rows(url: str) -> None:
    async with opened(url), own_tables(Doc):
        for data, tags in ROWS:
            await Doc.create(data=data, tags=tags)
        cases = {
            "order_by": (lambda: Doc.order_by("tags"), "tags"),
            "order_by desc": (lambda: Doc.order_by("-data", "id"), "data"),
            "values order_by": (lambda: Doc.values("id").order_by("tags"), "tags"),
            "Max": (lambda: Doc.aggregate(m=orm.Max("tags")), "tags"),
            "Min annotate": (lambda: Doc.annotate(m=orm.Min("data")), "data"),
            "Count distinct": (lambda: Doc.aggregate(n=orm.Count("data", distinct=True)), "data"),
            "distinct values": (lambda: Doc.values("data").distinct(), "data"),
            "distinct values_list": (lambda: Doc.values_list("tags", flat=True).distinct(), "tags"),
            "group by": (lambda: Doc.values("data").annotate(n=orm.Count("id")), "data"),
        }
        assert await refusal_mistakes(cases) == []
        assert await Doc.filter(data={"b": 2, "a": 1}).count() == 3
        assert await Doc.aggregate(n=orm.Count("data")) == {"n": 4}
        rows = await Doc.order_by("id").values_list("data", "tags")
        assert rows == [(d, t) for d, t in ROWS]
        # rows told apart by their key are rows, whatever their JSON
        assert await Doc.order_by("id").distinct().count() == 5
        assert len(await Doc.values_list("id", "tags").distinct()) == 5
        assert len(await Doc.values("id", "data").annotate(n=orm.Count("id"))) == 5
