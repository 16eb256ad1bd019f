"""A new row holding an expression that reads no row (``post.created = Now()``,
``Value(4)``, ``Lower(Value("AB"))``) was an ``ORMError`` on ``save()``: ferrule wrote held
expressions by the UPDATE of a saved row only. Django inserts such an expression (it
refuses only one reading a column: "F() expressions can only be used to update, not to
insert"); ferrule now does too, and still refuses one that reads a field. As in Django, the
field keeps its expression until ``refresh_from_db()``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import ORMError, ValidationError
from ferrule.orm import Case, Count, F, Lower, Now, Value, When

from .conftest import opened, own_tables


class L6Entry(orm.Model):
    model_config = ConfigDict(validate_assignment=False)

    id = orm.IntField(pk=True)
    title = orm.CharField(max_length=10, default="")
    views = orm.IntField(default=0)
    made = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_l6_entry"


class L6Watched(orm.Model):
    id = orm.IntField(pk=True)
    views = orm.IntField(default=0)

    class Meta:
        table = "ormt_l6_watched"


async def _rows(model: Any) -> list[Any]:
    return list(await model.all().order_by("id").values_list("id", "views"))


async def test_an_expression_reading_no_row_is_inserted(url: str) -> None:
    async with opened(url) as db, own_tables(L6Entry):
        before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
        entry = L6Entry(title="a")
        entry.made = Now()
        entry.views = Value(4) + 3
        entry.title = Lower(Value("AB"))
        await entry.save()
        assert isinstance(entry.id, int)  # the key the database made is read back
        assert repr(entry.views) == repr(Value(4) + 3)  # held until refreshed, as Django
        await entry.refresh_from_db()
        assert (entry.title, entry.views) == ("ab", 7)
        assert entry.made is not None and entry.made > before
        keyed = L6Entry(id=50)  # a key no row has: the update finds none, then the insert
        keyed.views = Value(9)
        await keyed.save()
        forced = L6Entry(id=51)
        forced.views = Value(2) * 5
        await forced.save(force_insert=True)
        assert await _rows(L6Entry) == [(entry.id, 7), (50, 9), (51, 10)]
        stored = await db.fetch_all("SELECT views FROM ormt_l6_entry WHERE id = 51", [])
        assert [tuple(r) for r in stored] == [(10,)]


async def test_with_save_signals_and_model_construct(url: str) -> None:
    seen: list[Any] = []

    async def receiver(sender: Any, instance: Any, created: bool, **_: Any) -> None:
        seen.append(created)

    orm.signals.post_save.connect(receiver, sender=L6Watched)
    try:
        async with opened(url), own_tables(L6Watched):
            row = L6Watched(id=1)
            row.views = Value(5)
            await row.save()
            made = L6Watched.model_construct(id=2, views=Value(6) + 1)
            await made.save()
            assert await _rows(L6Watched) == [(1, 5), (2, 7)]
            assert seen == [True, True]
    finally:
        orm.signals.post_save.disconnect(receiver, sender=L6Watched)


@pytest.mark.parametrize(
    "value",
    [
        F("views") + 1,
        Value(1) + F("id"),
        Lower("title"),
        Count("id"),
        Case(When(id=1, then=Value(1)), default=Value(0)),
    ],
    ids=["F", "Value+F", "named field", "aggregate", "Case"],
)
async def test_an_expression_reading_a_field_is_refused(url: str, value: Any) -> None:
    async with opened(url), own_tables(L6Entry):
        entry = L6Entry(title="a")
        if isinstance(value, Lower):
            entry.title = value
        else:
            entry.views = value
        with pytest.raises(ORMError, match="reads a field"):
            await entry.save()
        assert await L6Entry.all().count() == 0


async def test_an_expression_given_to_the_constructor(url: str) -> None:
    async with opened(url), own_tables(L6Entry):
        try:
            entry = await L6Entry.create(title="a", views=Value(3))
        except ValidationError:
            raise AssertionError("refused") from None
        await entry.refresh_from_db()
        assert entry.views == 3
