"""``order_by()`` of an expression, as Django takes it: a computed priority
(``order_by(Case(When(status="urgent", then=Value(0)), ..., default=Value(9)), "id")``),
``F("a").desc()``, ``Lower("name")``, arithmetic. It was a FieldError ('order_by() takes field
names'). The rows come in Python's order on the three databases; the expression is not a
value of the rows (no attribute, no ``values()`` key), as in Django; an aggregate or a
window there is refused, naming ``annotate()``."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened, own_tables

F, Case, When, Value = orm.F, orm.Case, orm.When, orm.Value


class Ticket(orm.Model):
    id: int = orm.Field(primary_key=True)
    title = orm.CharField(max_length=20)
    status = orm.CharField(max_length=10, null=True)
    points = orm.IntField(default=0)

    class Meta:
        table = "ormt_oi_ticket"


class Note(orm.Model):
    id: int = orm.Field(primary_key=True)
    ticket = orm.ForeignKeyField(Ticket, related_name="notes")
    body = orm.CharField(max_length=20)

    class Meta:
        table = "ormt_oi_note"


ROWS = [("b", "low", 3), ("A", "urgent", 1), ("c", None, 5), ("d", "normal", 1),
        ("E", "urgent", 2), ("f", "normal", 4)]  # fmt: skip
RANK = {"urgent": 0, "normal": 1}
PRIORITY = Case(
    When(status="urgent", then=Value(0)), When(status="normal", then=Value(1)), default=Value(9)
)


def _rank(row: tuple[str, Any, int]) -> int:
    return RANK.get(row[1], 9)


async def _made() -> list[int]:
    made = [await Ticket.create(title=t, status=s, points=p) for t, s, p in ROWS]
    return [m.id for m in made]


async def test_order_by_a_case_answers_as_python(url: str) -> None:
    async with opened(url), own_tables(Ticket, Note):
        ids = await _made()
        rows = list(zip(ids, ROWS, strict=True))
        by_rank = [i for i, r in sorted(rows, key=lambda x: (_rank(x[1]), x[0]))]
        got = await Ticket.order_by(PRIORITY, "id").values_list("id", flat=True)
        assert got == by_rank
        down = [i for i, r in sorted(rows, key=lambda x: (-_rank(x[1]), x[0]))]
        assert await Ticket.order_by(PRIORITY.desc(), "id").values_list("id", flat=True) == down
        assert await Ticket.order_by(PRIORITY, "id").reverse().values_list("id", flat=True) == [
            i for i, r in sorted(rows, key=lambda x: (_rank(x[1]), x[0]), reverse=True)
        ]
        first = await Ticket.order_by(PRIORITY, "-points").first()
        assert first is not None and (first.title, first.points) == ("E", 2)
        assert [t.id for t in await Ticket.order_by(PRIORITY, "id")[1:3]] == by_rank[1:3]


async def test_order_by_other_expressions(url: str) -> None:
    async with opened(url), own_tables(Ticket, Note):
        ids = await _made()
        rows = list(zip(ids, ROWS, strict=True))
        sized = [i for i, r in sorted(rows, key=lambda x: (-len(x[1][1] or ""), x[0]))]
        got = Ticket.order_by(orm.Coalesce(orm.Length("status"), Value(0)).desc(), "id")
        assert await got.values_list("id", flat=True) == sized
        neg = [i for i, r in sorted(rows, key=lambda x: (-x[1][2] * 2, x[0]))]
        got = await Ticket.order_by(F("points") * -2, "id").values_list("id", flat=True)
        assert got == neg
        desc = [i for i, r in sorted(rows, key=lambda x: (-x[1][2], x[0]))]
        got = await Ticket.order_by(F("points").desc(), F("id").asc()).values_list("id", flat=True)
        assert got == desc


async def test_the_order_is_no_value_of_the_rows(url: str) -> None:
    async with opened(url), own_tables(Ticket, Note):
        await _made()
        ticket = await Ticket.order_by(PRIORITY).first()
        assert ticket is not None and not [a for a in vars_of(ticket) if a.startswith("_o")]
        rows = await Ticket.order_by(PRIORITY, "id").values()
        assert set(rows[0]) == {"id", "title", "status", "points"}
        titles = await Ticket.order_by(PRIORITY, "id").values_list("title", flat=True)
        assert titles == ["A", "E", "d", "f", "b", "c"]
        assert await Ticket.order_by(PRIORITY).count() == len(ROWS)


def vars_of(instance: Any) -> list[str]:
    return [a for a in dir(instance) if not a.startswith("__")]


async def test_with_a_to_many_filter_and_an_aggregate(url: str) -> None:
    """A to-many filter makes the rows DISTINCT (PostgreSQL orders those only by selected
    values); an aggregate annotation groups them."""
    async with opened(url), own_tables(Ticket, Note):
        ids = await _made()
        for i in ids:
            await Note.create(ticket_id=i, body="x")
            await Note.create(ticket_id=i, body="y")
        rows = list(zip(ids, ROWS, strict=True))
        by_rank = [i for i, r in sorted(rows, key=lambda x: (_rank(x[1]), x[0]))]
        noted = Ticket.filter(notes__body__in=["x", "y"]).order_by(PRIORITY, "id")
        assert [t.id for t in await noted] == by_rank
        counted = Ticket.annotate(n=orm.Count("notes")).order_by(PRIORITY, "id")
        assert [(t.id, t.n) for t in await counted] == [(i, 2) for i in by_rank]


async def test_aggregates_and_windows_are_refused_naming_annotate(url: str) -> None:
    async with opened(url), own_tables(Ticket, Note):
        for term in (orm.Count("notes"), orm.Window(orm.RowNumber(), order_by="id"),
                     orm.Sum("points").desc()):  # fmt: skip
            with pytest.raises(FieldError, match=r"annotate\("):
                await Ticket.order_by(term).values_list("id", flat=True)
        with pytest.raises(FieldError, match="order_by"):
            Ticket.order_by(Value(1))
        grouped = Ticket.values("status").annotate(n=orm.Count("id")).order_by(PRIORITY)
        with pytest.raises(FieldError, match=r"annotate\("):
            await grouped
        both = Ticket.filter(points=1).union(Ticket.filter(points=2))
        with pytest.raises(FieldError, match=r"annotate\("):
            both.order_by(PRIORITY)
        distinct = Ticket.values("title").distinct().order_by(PRIORITY)
        with pytest.raises(FieldError, match=r"annotate\("):
            await distinct
