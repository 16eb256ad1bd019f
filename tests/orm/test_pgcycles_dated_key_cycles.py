"""Rows restricting each other in a cycle through NOT NULL keys to a date or decimal primary
key, deleted together (tests/orm/test_leftovers5_restrict_cycles.py has integer keys,
test_leftovers6_text_key_cycles.py text and UUID keys). No row outside the delete names them,
so Django and PostgreSQL delete them; SQLite (checking a RESTRICT row by row) and MariaDB
(InnoDB meeting a restricting row not yet deleted) need the keys released first, to a value
naming none of the deleted rows, which was found only for integer, text and UUID keys: the
delete was the database's IntegrityError there. Each answer is Django's, computed here on
Django's SQLite database with the same models and rows."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections, models, transaction
from django.db.models import ProtectedError as DjangoProtected
from django.db.models import RestrictedError as DjangoRestricted

from ferrule import orm
from ferrule.errors import IntegrityError

from . import djangoref_world as ref
from .conftest import opened, own_tables

D = decimal.Decimal
UTC = dt.timezone.utc


class PgcDay(orm.Model):
    day = orm.DateField(primary_key=True)
    other = orm.ForeignKeyField("PgcDay", related_name="others", on_delete="restrict")

    class Meta:
        table = "ormt_pgc_day"


class PgcAmount(orm.Model):
    amount = orm.DecimalField(max_digits=5, decimal_places=2, primary_key=True)
    other = orm.ForeignKeyField("PgcAmount", related_name="others", on_delete="restrict")

    class Meta:
        table = "ormt_pgc_amount"


class PgcMoment(orm.Model):
    at = orm.DateTimeField(primary_key=True)
    other = orm.ForeignKeyField("PgcMoment", related_name="others", on_delete="restrict")

    class Meta:
        table = "ormt_pgc_moment"


class PgcLeft(orm.Model):
    """Deleted by the cascade of its right row, which restricts it back."""

    day = orm.DateField(primary_key=True)
    right = orm.ForeignKeyField("PgcRight", related_name="lefts", on_delete="cascade")

    class Meta:
        table = "ormt_pgc_left"


class PgcRight(orm.Model):
    amount = orm.DecimalField(max_digits=4, decimal_places=1, primary_key=True)
    left = orm.ForeignKeyField("PgcLeft", related_name="rights", on_delete="restrict")

    class Meta:
        table = "ormt_pgc_right"


class _Dj:
    app_label = ref.APP


class DjPgcDay(models.Model):
    day = models.DateField(primary_key=True)
    other = models.ForeignKey("self", models.RESTRICT, related_name="others")

    class Meta(_Dj):
        db_table = "djpgc_day"


class DjPgcAmount(models.Model):
    amount = models.DecimalField(max_digits=5, decimal_places=2, primary_key=True)
    other = models.ForeignKey("self", models.RESTRICT, related_name="others")

    class Meta(_Dj):
        db_table = "djpgc_amount"


class DjPgcMoment(models.Model):
    at = models.DateTimeField(primary_key=True)
    other = models.ForeignKey("self", models.RESTRICT, related_name="others")

    class Meta(_Dj):
        db_table = "djpgc_moment"


class DjPgcLeft(models.Model):
    day = models.DateField(primary_key=True)
    right = models.ForeignKey("DjPgcRight", models.CASCADE, related_name="lefts")

    class Meta(_Dj):
        db_table = "djpgc_left"


class DjPgcRight(models.Model):
    amount = models.DecimalField(max_digits=4, decimal_places=1, primary_key=True)
    left = models.ForeignKey(DjPgcLeft, models.RESTRICT, related_name="rights")

    class Meta(_Dj):
        db_table = "djpgc_right"


#: kind -> (ferrule model, Django model, the ring's keys a, b, c (on the way), d (alone))
RINGS: dict[str, tuple[Any, Any, list[Any]]] = {
    "date": (PgcDay, DjPgcDay, [dt.date(2024, 1, 3), dt.date(2024, 1, 2), dt.date(2024, 1, 4)]),
    "date at the ends": (
        PgcDay,
        DjPgcDay,
        [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(5, 5, 5)],
    ),
    "decimal": (PgcAmount, DjPgcAmount, [D("1.50"), D("1.51"), D("-3.00")]),
    "decimal at the ends": (PgcAmount, DjPgcAmount, [D("-999.99"), D("999.99"), D("999.98")]),
    "datetime": (
        PgcMoment,
        DjPgcMoment,
        [
            dt.datetime(2024, 1, 2, 3, tzinfo=UTC),
            dt.datetime(2024, 1, 3, 3, tzinfo=UTC),
            dt.datetime(2024, 1, 2, 3, 0, 1, tzinfo=UTC),
        ],
    ),
}
ALONE = {
    PgcDay: dt.date(2024, 1, 9),
    PgcAmount: D("9.00"),
    PgcMoment: dt.datetime(2030, 1, 1, tzinfo=UTC),
}
#: which rows each delete names: the whole cycle with the row on its way, or the cycle alone
#: (the row on its way names b and stays: refused)
DELETES = {"cycle and its way": [0, 1, 2], "cycle alone": [0, 1]}


def _ring_rows(model: Any, keys: list[Any]) -> list[tuple[Any, Any]]:
    """a -> b -> a, c -> b, d -> d: (key, the key it names)."""
    a, b, c = keys
    alone = ALONE[model]
    return [(a, b), (b, a), (c, b), (alone, alone)]


def _django_ring(dj: Any, rows: list[tuple[Any, Any]], doomed: list[Any]) -> Any:
    """Django's answer: the rows left after deleting ``doomed``, or "refused"."""
    connection = connections["default"]
    with connection.schema_editor() as editor:
        editor.create_model(dj)
    try:
        with transaction.atomic():  # (SQLite's keys are deferred: made in any order)
            for key, other in rows:
                dj.objects.create(pk=key, other_id=other)
        try:
            dj.objects.filter(pk__in=doomed).delete()
            answer: Any = sorted(dj.objects.values_list("pk", "other_id"))
        except (DjangoRestricted, DjangoProtected):
            answer = "refused"
        return answer, sorted(dj.objects.values_list("pk", "other_id"))
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(dj)


def _cases() -> Iterator[tuple[str, str]]:
    for ring in RINGS:
        for delete in DELETES:
            yield ring, delete


@pytest.fixture(scope="module")
def django_answers() -> dict[tuple[str, str], Any]:
    answers = {}
    for ring, delete in _cases():
        model, dj, keys = RINGS[ring]
        rows = _ring_rows(model, keys)
        doomed = [keys[i] for i in DELETES[delete]]
        answers[ring, delete] = _django_ring(dj, rows, doomed)
    return answers


def _plain(rows: Any) -> Any:
    """Keys as Django and ferrule both give them (a decimal at its column's places)."""
    return [tuple(v.normalize() if isinstance(v, D) else v for v in row) for row in rows]


async def _made(db: Any, make: Callable[[], Any]) -> None:
    """Rows naming each other through NOT NULL keys, made with the checks off or deferred,
    as another program would."""
    async with orm.transaction():
        if db.dialect == "sqlite":
            await db.execute("PRAGMA defer_foreign_keys = ON", [])
        elif db.dialect == "mysql":
            await db.execute("SET foreign_key_checks = 0", [])
        else:
            await db.execute("SET LOCAL session_replication_role = replica", [])
        await make()
        if db.dialect == "mysql":
            await db.execute("SET foreign_key_checks = 1", [])


@pytest.mark.parametrize(("ring", "delete"), list(_cases()))
@pytest.mark.parametrize("how", ["queryset", "in a transaction"])
async def test_a_dated_restricting_cycle_as_django_deletes_it(
    url: str, ring: str, delete: str, how: str, django_answers: dict[Any, Any]
) -> None:
    model, _, keys = RINGS[ring]
    rows = _ring_rows(model, keys)
    answer, left = django_answers[ring, delete]
    async with opened(url) as db, own_tables(model):

        async def make() -> None:
            for key, other in rows:
                await model.create(**{model._meta.pk.name: key, "other_id": other})

        await _made(db, make)
        doomed = model.filter(pk__in=[keys[i] for i in DELETES[delete]])
        try:
            if how == "queryset":
                await doomed.delete()
            else:
                async with orm.transaction():
                    await doomed.delete()
            got = "deleted"
        except IntegrityError as exc:
            assert f"{model.__name__}.other" in str(exc)
            got = "refused"
        assert got == ("refused" if answer == "refused" else "deleted")
        found = await model.all().values_list(model._meta.pk.name, "other_id")
        assert _plain(sorted(found)) == _plain(left)
        await model.filter(pk__in=[k for k, _ in rows]).delete()  # the whole ring: no one names it


def _django_left_right() -> Any:
    connection = connections["default"]
    with connection.schema_editor() as editor:
        editor.create_model(DjPgcLeft)
        editor.create_model(DjPgcRight)
    try:
        with transaction.atomic():
            for day, amount in LEFT_RIGHT:
                DjPgcRight.objects.create(amount=amount, left_id=day)
                DjPgcLeft.objects.create(day=day, right_id=amount)
        DjPgcRight.objects.filter(amount=LEFT_RIGHT[0][1]).delete()
        first = (
            sorted(DjPgcLeft.objects.values_list("day", flat=True)),
            sorted(DjPgcRight.objects.values_list("amount", flat=True)),
        )
        try:
            DjPgcLeft.objects.filter(day=LEFT_RIGHT[1][0]).delete()
            refused = False
        except DjangoRestricted:
            refused = True
        return first, refused
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(DjPgcRight)
            editor.delete_model(DjPgcLeft)


LEFT_RIGHT = [(dt.date(2024, 5, 1), D("1.5")), (dt.date(2024, 5, 2), D("2.5"))]


@pytest.fixture(scope="module")
def django_left_right() -> Any:
    return _django_left_right()


async def test_a_cascade_meeting_its_restricting_row_by_dated_keys(
    url: str, django_left_right: Any
) -> None:
    """Right 1's cascade removes left 1, which right 1 restricts (NOT NULL both ways, a
    date key one way and a decimal the other): Django deletes both."""
    (lefts, rights), refused = django_left_right
    async with opened(url) as db, own_tables(PgcLeft, PgcRight):

        async def make() -> None:
            for day, amount in LEFT_RIGHT:
                await PgcRight.create(amount=amount, left_id=day)
                await PgcLeft.create(day=day, right_id=amount)

        await _made(db, make)
        await PgcRight.filter(amount=LEFT_RIGHT[0][1]).delete()
        assert await PgcLeft.all().values_list("day", flat=True) == lefts
        assert _plain([(a,) for a in await PgcRight.all().values_list("amount", flat=True)]) == (
            _plain([(a,) for a in rights])
        )
        assert refused
        with pytest.raises(IntegrityError, match=r"PgcRight\.left"):
            await PgcLeft.filter(day=LEFT_RIGHT[1][0]).delete()  # right 2 names it and stays
        await (await PgcRight.get(amount=LEFT_RIGHT[1][1])).delete()  # an instance's delete
        assert (await PgcRight.all().count(), await PgcLeft.all().count()) == (0, 0)


class PgcBack(orm.Model):
    id: int = orm.Field(primary_key=True)
    front = orm.ForeignKeyField("PgcFront", related_name="backs", on_delete="cascade")

    class Meta:
        table = "ormt_pgc_back"


class PgcFront(orm.Model):
    id: int = orm.Field(primary_key=True)
    back = orm.ForeignKeyField(PgcBack, related_name="fronts", on_delete="restrict")

    class Meta:
        table = "ormt_pgc_front"


async def test_a_released_key_names_none_of_the_rows_it_restricted(url: str) -> None:
    """Front 5's cascade removes back 4, which front 5 restricts (integer keys). MariaDB's
    release of front 5's key chose a key below front's own keys, 4: the back row deleted,
    so InnoDB still met front 5 naming it (1451). The key released is now one none of the
    deleted back rows has. Django deletes both (as
    test_a_cascade_meeting_its_restricting_row_by_dated_keys)."""
    async with opened(url) as db, own_tables(PgcBack, PgcFront):

        async def make() -> None:
            await PgcFront.create(id=5, back_id=4)
            await PgcBack.create(id=4, front_id=5)
            await PgcFront.create(id=7, back_id=6)
            await PgcBack.create(id=6, front_id=7)

        await _made(db, make)
        await PgcFront.filter(id=5).delete()
        assert await PgcFront.all().values_list("id", "back_id") == [(7, 6)]
        assert await PgcBack.all().values_list("id", "front_id") == [(6, 7)]
        await (await PgcFront.get(id=7)).delete()
        assert (await PgcFront.all().count(), await PgcBack.all().count()) == (0, 0)


def test_a_key_declared_before_its_decimal_keyed_target() -> None:
    """``ForeignKeyField("PgcRight")`` before ``PgcRight`` (a decimal key): once the target
    was known its key field was typed Decimal, without digits, and the model's columns were
    a SchemaError ("a decimal column needs max_digits and decimal_places") at the target's
    class creation. The key column has the target key's type."""
    assert PgcLeft._meta.columns["right_id"].logical == PgcRight._meta.pk.logical
    assert PgcRight._meta.columns["left_id"].logical == PgcLeft._meta.pk.logical
