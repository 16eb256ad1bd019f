"""An expression assigned to a field, then saved (``orm.held_expressions``), as Django's
``post.views = F("views") + 1; post.save()``: the UPDATE computes the value in the database
(another writer's change is kept, not overwritten), the attribute holds the expression until
``refresh_from_db()``, and each ``save()`` applies it again. Before, the save bound the
expression object as a value (or its validation refused it), on every database."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import ConfigDict, orm
from ferrule.errors import FieldError, ORMError, ValidationError

from .conftest import opened, own_tables

F = orm.F


class Counter(orm.Model):
    model_config = ConfigDict(validate_assignment=False)

    id: int = orm.Field(primary_key=True)
    title: str = orm.Field(max_length=10)
    views: int = 0
    rating: float = 0.0

    class Meta:
        table = "ormt_counter"


class Strict(orm.Model):
    id: int = orm.Field(primary_key=True)
    views: int = 0

    class Meta:
        table = "ormt_counter_strict"


async def _stored(db: object, key: int) -> tuple[object, ...]:
    rows = await db.fetch_all(  # type: ignore[attr-defined]
        f"SELECT title, views FROM ormt_counter WHERE id = {int(key)}"
    )
    return tuple(rows[0])


async def test_an_expression_is_computed_by_the_update(url: str) -> None:
    async with opened(url) as db, own_tables(Counter):
        post = await Counter.create(title="a", views=3)
        await Counter.filter(pk=post.pk).update(views=10)  # another writer's change
        post.views = F("views") + 1
        post.title = "b"
        await post.save()
        assert await _stored(db, post.pk) == ("b", 11)
        assert repr(post.views) == repr(F("views") + 1)  # held until refreshed, as Django
        assert post.views != 11
        await post.save()  # applied again, as Django documents
        assert await _stored(db, post.pk) == ("b", 12)
        await post.refresh_from_db()
        assert post.views == 12
        await post.save()
        assert await _stored(db, post.pk) == ("b", 12)


async def test_update_fields_and_several_expressions(url: str) -> None:
    async with opened(url) as db, own_tables(Counter):
        post = await Counter.create(title="a", views=3, rating=1.5)
        post.views = F("views") * 2
        post.rating = F("views") + 0.5  # reads the row as it was, on every database
        post.title = "skipped"
        await post.save(update_fields=["views", "rating"])
        await post.refresh_from_db()
        assert (post.title, post.views, post.rating) == ("a", 6, 3.5)
        assert await _stored(db, post.pk) == ("a", 6)


async def test_other_fields_are_still_checked(url: str) -> None:
    async with opened(url), own_tables(Counter):
        post = await Counter.create(title="a")
        post.views = F("views") + 1
        post.title = "far too long for it"
        with pytest.raises(ValidationError) as caught:
            await post.save()
        assert [e["loc"] for e in caught.value.errors()] == [("title",)]
        await post.refresh_from_db()
        assert (post.title, post.views) == ("a", 0)


async def test_a_new_row_or_a_join_is_refused(url: str) -> None:
    async with opened(url), own_tables(Counter):
        fresh = Counter(title="a")
        fresh.views = F("views") + 1
        with pytest.raises(ORMError, match="UPDATE of a saved row"):
            await fresh.save()
        assert await Counter.all().count() == 0
        post = await Counter.create(title="a")
        post.views = F("nope") + 1
        with pytest.raises(FieldError, match="nope"):
            await post.save()


async def test_model_construct_instances_take_expressions(url: str) -> None:
    async with opened(url), own_tables(Strict):
        row = await Strict.create(views=4)
        made = Strict.model_construct(id=row.id, views=F("views") + 2)
        await made.save()
        await made.save()
        assert (await Strict.get(pk=row.id)).views == 8


async def test_assigning_an_expression_where_assignments_are_validated(url: str) -> None:
    async with opened(url), own_tables(Strict):
        row = await Strict.create(views=4)
        row.views = F("views") + 1
        await row.save()
        await row.save()
        assert repr(row.views) == repr(F("views") + 1)
        await row.refresh_from_db()
        assert row.views == 6
        await row.save()  # plain again
        assert (await Strict.get(pk=row.id)).views == 6


def test_an_expression_is_refused_by_a_model_that_is_no_orm_model() -> None:
    """Only a column of an ORM model holds an expression: a plain model's validation of the
    assignment stands (both cores)."""
    from ferrule import Model

    class Plain(Model, validate_assignment=True):
        views: int = 0

    plain = Plain()
    with pytest.raises(ValidationError):
        plain.views = F("views") + 1  # type: ignore[assignment]
    assert plain.views == 0


@pytest.mark.parametrize("model", [Counter, Strict], ids=["unvalidated", "validated"])
async def test_bulk_update_writes_the_expressions_instances_hold(url: str, model: Any) -> None:
    """As Django's bulk_update(): each instance's expression in the fields named is computed
    by the database for its own row; fields not named are not written."""
    async with opened(url), own_tables(model):
        extra = {"title": "t"} if model is Counter else {}
        rows = [await model.create(views=v, **extra) for v in (1, 5, 9)]
        rows[0].views = F("views") + 10
        rows[1].views = 7  # a plain value beside them
        rows[2].views = F("views") * 2
        assert await model.bulk_update(rows, ["views"]) == 3
        stored = await model.all().order_by("id").values_list("views", flat=True)
        assert stored == [11, 7, 18]
        await rows[0].refresh_from_db()
        assert rows[0].views == 11
