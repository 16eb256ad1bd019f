"""An ORM expression given to the constructor (``Entry(views=Value(3))``,
``Entry.create(made=Now())``) is held as an assigned one is, and written as SQL by the
insert: Django's constructor takes any value and its ``create()`` inserts it. Both cores
refused it with a ``ValidationError`` before. What construction still checks: every other
field (its errors reported as before, without a "missing" for the field holding the
expression), unknown names, and expressions given to a model that is no ORM model or to a
name that is no column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import ferrule
from ferrule import orm
from ferrule.errors import ORMError, ValidationError
from ferrule.orm import F, Lower, Now, Value

from .conftest import opened, own_tables


class CxEntry(orm.Model):
    id = orm.IntField(pk=True)
    title = orm.CharField(max_length=10)
    views = orm.IntField()
    rank = orm.IntField(default=0)
    made = orm.DateTimeField(null=True)

    class Meta:
        table = "ormt_cx_entry"


class CxChecked(orm.Model):
    """Constructed through ``__init__`` (its model validator keeps the fast call away)."""

    id = orm.IntField(pk=True)
    views = orm.IntField(default=0)
    note = orm.CharField(max_length=5, default="")

    @ferrule.model_validator(mode="after")
    def _short(self) -> CxChecked:
        if isinstance(self.note, str) and self.note == "bad":
            raise ValueError("bad note")
        return self

    class Meta:
        table = "ormt_cx_checked"


class Plain(ferrule.Model):
    views: int = 0


async def test_create_inserts_expressions_given_to_the_constructor(url: str) -> None:
    async with opened(url), own_tables(CxEntry):
        before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
        entry = await CxEntry.create(title=Lower(Value("AB")), views=Value(3) + 4, made=Now())
        assert isinstance(entry.id, int)
        await entry.refresh_from_db()
        assert (entry.title, entry.views, entry.rank) == ("ab", 7, 0)
        assert entry.made is not None and entry.made > before
        built = CxEntry(id=40, title="x", views=Value(9), rank="5")  # "5": still validated
        assert built.rank == 5
        assert built.model_fields_set == {"id", "title", "views", "rank"}
        await built.save()
        rows = await CxEntry.all().order_by("id").values_list("id", "views", "rank")
        assert list(rows) == [(entry.id, 7, 0), (40, 9, 5)]


async def test_the_init_path_holds_them_too(url: str) -> None:
    async with opened(url), own_tables(CxChecked):
        made = CxChecked(id=1, views=Value(2) * 3)
        await made.save()
        created = await CxChecked.create(id=2, views=Value(5))
        assert repr(created.views) == repr(Value(5))  # held until refreshed, as Django's
        rows = await CxChecked.all().order_by("id").values_list("id", "views")
        assert list(rows) == [(1, 6), (2, 5)]


def test_the_other_fields_are_still_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        CxEntry(title="far too long a title", views=Value(1), rank="x")
    found = {(tuple(e["loc"]), e["type"]) for e in caught.value.errors()}
    assert found == {(("title",), "string_too_long"), (("rank",), "int_parsing")}
    with pytest.raises(ValidationError) as caught:
        CxEntry(views=Value(1))  # title is required and not given
    assert [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()] == [
        (("title",), "missing")
    ]


def test_unknown_names_and_plain_models_still_refuse_expressions() -> None:
    with pytest.raises(ValidationError):
        Plain(views=Value(1))
    with pytest.raises((ValidationError, TypeError, ORMError)):
        CxEntry(title="a", views=1, bogus=Value(1))


async def test_an_expression_reading_a_field_is_refused_on_insert(url: str) -> None:
    async with opened(url), own_tables(CxEntry):
        with pytest.raises(ORMError, match="reads a field"):
            await CxEntry.create(title="a", views=F("rank") + 1)
        assert await CxEntry.all().count() == 0


@pytest.mark.parametrize("value", [1, Value(1)], ids=["number", "expression"])
def test_fields_set_and_values_read_alike(value: Any) -> None:
    entry = CxEntry(title="t", views=value)
    assert entry.title == "t"
    assert entry.model_fields_set == {"title", "views"}


class _Raises:
    """Claims to be an expression through a ``__class__`` that raises when asked."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        raise RuntimeError("asked")


class _Poses:
    """Says it is a ``Value`` (``isinstance`` would believe it)."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return Value


def test_a_value_posing_as_an_expression_is_refused_as_before() -> None:
    with pytest.raises(ValidationError) as caught:
        CxEntry(title="t", views=_Poses())
    assert [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()] == [
        (("views",), "int_type")
    ]
    entry = CxEntry(title="t", views=1)
    with pytest.raises(ValidationError):
        entry.views = _Poses()
    assert entry.views == 1


def test_a_class_that_raises_when_asked_is_never_held() -> None:
    """Its error is its own (``isinstance`` asks ``__class__``, as the field's validation
    does on a plain model); what matters is that nothing is stored."""
    with pytest.raises(RuntimeError, match="asked"):
        CxEntry(title="t", views=_Raises())
    entry = CxEntry(title="t", views=1)
    with pytest.raises(RuntimeError, match="asked"):
        entry.views = _Raises()
    assert entry.views == 1
