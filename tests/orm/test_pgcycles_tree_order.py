"""The order in which a delete removes the rows of trees (models whose cascading key names
their own model) its cascades reach, leaves first, before the database's cascade would go
through them (``cascades.delete_trees_first``: MariaDB follows a cascade 15 levels deep at
most, error 193). The trees were taken in the order the delete's walk met their models,
which follows the order the models were declared in: a tree met first (by a shorter path, or
declared first) went first though another tree's cascade reached it, so its DELETE left the
database to cascade through the deeper trees below, a raw OperationalError on MariaDB. The
order is now the relations' own (a tree after every tree its cascade reaches).

The same schema (a root; tree A under it; tree B under A and under the root: two paths; tree C
under A and B: a diamond) is declared in several orders, and the rows left are Django's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections, models, transaction

from ferrule import orm

from . import djangoref_world as ref
from .conftest import opened, own_tables

#: how deep each chain of a tree goes (past MariaDB's 15 levels of cascade)
DEEP = 20
ORDERS = ["root a b c", "c b a root", "b root c a", "a c root b"]


def _model(name: str, table: str, fields: dict[str, Any]) -> Any:
    namespace = {
        "__module__": __name__,
        "__qualname__": name,
        "__annotations__": {"id": int},
        "id": orm.Field(primary_key=True),
        "Meta": type("Meta", (), {"table": table}),
        **fields,
    }
    return type(name, (orm.Model,), namespace)


def _key(target: str, related: str, null: bool = True) -> Any:
    return orm.ForeignKeyField(target, related_name=related, on_delete="cascade", null=null)


def _schema(order: str) -> dict[str, Any]:
    """The four models, declared in ``order``, with their own names and tables."""
    tag = "".join(word[0] for word in order.split())
    names = {part: f"PgtTree{tag}{part.capitalize()}" for part in ("root", "a", "b", "c")}
    fields = {
        "root": {},
        "a": {"root": _key(names["root"], "alist", null=False), "parent": _key(names["a"], "kids")},
        "b": {
            "root": _key(names["root"], "bs"),
            "a": _key(names["a"], "bs"),
            "parent": _key(names["b"], "kids"),
        },
        "c": {
            "a": _key(names["a"], "cs"),
            "b": _key(names["b"], "cs"),
            "parent": _key(names["c"], "kids"),
        },
    }
    made = {}
    for part in order.split():
        made[part] = _model(names[part], f"ormt_pgt{tag}_{part}", fields[part])
    return made


SCHEMAS = {order: _schema(order) for order in ORDERS}


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Root 1's rows (deleted) and root 2's (kept): chains DEEP long in B and C."""
    rows: dict[str, list[dict[str, Any]]] = {"root": [{"id": 1}, {"id": 2}]}
    rows["a"] = [
        {"id": 1, "root_id": 1},
        {"id": 2, "root_id": 1, "parent_id": 1},
        {"id": 9, "root_id": 2},
    ]
    rows["b"] = [{"id": 1, "a_id": 2}]
    rows["b"] += [{"id": n, "parent_id": n - 1} for n in range(2, DEEP + 1)]
    rows["b"] += [{"id": 50, "root_id": 1}, {"id": 60, "a_id": 9}]
    rows["c"] = [{"id": 1, "b_id": DEEP}]
    rows["c"] += [{"id": n, "parent_id": n - 1} for n in range(2, DEEP + 1)]
    rows["c"] += [{"id": 50, "a_id": 1}, {"id": 60, "b_id": 60}]
    return rows


class _Dj:
    app_label = ref.APP


class DjPgtRoot(models.Model):
    class Meta(_Dj):
        db_table = "djpgt_root"


class DjPgtA(models.Model):
    root = models.ForeignKey(DjPgtRoot, models.CASCADE, related_name="alist")
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="kids")

    class Meta(_Dj):
        db_table = "djpgt_a"


class DjPgtB(models.Model):
    root = models.ForeignKey(DjPgtRoot, models.CASCADE, null=True, related_name="bs")
    a = models.ForeignKey(DjPgtA, models.CASCADE, null=True, related_name="bs")
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="kids")

    class Meta(_Dj):
        db_table = "djpgt_b"


class DjPgtC(models.Model):
    a = models.ForeignKey(DjPgtA, models.CASCADE, null=True, related_name="cs")
    b = models.ForeignKey(DjPgtB, models.CASCADE, null=True, related_name="cs")
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="kids")

    class Meta(_Dj):
        db_table = "djpgt_c"


DJANGO = {"root": DjPgtRoot, "a": DjPgtA, "b": DjPgtB, "c": DjPgtC}
#: what each test deletes: (model, key)
DELETES = {"root 1": ("root", 1), "tree A's root": ("a", 1), "tree B's root": ("b", 1)}


def _django(part: str, key: int) -> tuple[dict[str, list[int]], int]:
    """Django's rows left (ids by model) and the rows of ``part`` its delete counts."""
    connection = connections["default"]
    with connection.schema_editor() as editor:
        for model in DJANGO.values():
            editor.create_model(model)
    try:
        with transaction.atomic():
            for name, rows in _rows().items():
                for row in rows:
                    DJANGO[name].objects.create(**row)
        _, per_model = DJANGO[part].objects.filter(pk=key).delete()
        counted = per_model.get(DJANGO[part]._meta.label, 0)
        left = {name: sorted(m.objects.values_list("pk", flat=True)) for name, m in DJANGO.items()}
        return left, counted
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(DJANGO.values()):
                editor.delete_model(model)


@pytest.fixture(scope="module")
def django_answers() -> dict[str, Any]:
    return {name: _django(*what) for name, what in DELETES.items()}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("delete", list(DELETES))
async def test_trees_deleted_in_the_relations_order(
    url: str, order: str, delete: str, django_answers: dict[str, Any]
) -> None:
    made = SCHEMAS[order]
    left, counted = django_answers[delete]
    ordered = [made[part] for part in ("root", "a", "b", "c")]
    async with opened(url), own_tables(*ordered):
        for name, rows in _rows().items():
            for row in rows:
                await made[name].create(**row)
        part, key = DELETES[delete]
        assert await made[part].filter(id=key).delete() == counted
        found = {
            name: await model.all().order_by("id").values_list("id", flat=True)
            for name, model in made.items()
        }
        assert found == left


def _restricting_schema(order: str) -> dict[str, Any]:
    """A root; x under it; r under it, restricting x; a tree t under r."""
    tag = "".join(word[0] for word in order.split())
    names = {part: f"PgtHeld{tag}{part.capitalize()}" for part in ("root", "x", "r", "t")}
    fields = {
        "root": {},
        "x": {"root": _key(names["root"], "xs", null=False)},
        "r": {
            "root": _key(names["root"], "rs", null=False),
            "x": orm.ForeignKeyField(names["x"], related_name="rs", on_delete="restrict"),
        },
        "t": {"r": _key(names["r"], "ts"), "parent": _key(names["t"], "kids")},
    }
    made = {}
    for part in order.split():
        made[part] = _model(names[part], f"ormt_pgh{tag}_{part}", fields[part])
    return made


HELD_ORDERS = ["root x r t", "t r x root", "r t root x"]
HELD = {order: _restricting_schema(order) for order in HELD_ORDERS}


class DjPghRoot(models.Model):
    class Meta(_Dj):
        db_table = "djpgh_root"


class DjPghX(models.Model):
    root = models.ForeignKey(DjPghRoot, models.CASCADE, related_name="xs")

    class Meta(_Dj):
        db_table = "djpgh_x"


class DjPghR(models.Model):
    root = models.ForeignKey(DjPghRoot, models.CASCADE, related_name="rs")
    x = models.ForeignKey(DjPghX, models.RESTRICT, related_name="rs")

    class Meta(_Dj):
        db_table = "djpgh_r"


class DjPghT(models.Model):
    r = models.ForeignKey(DjPghR, models.CASCADE, null=True, related_name="ts")
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="kids")

    class Meta(_Dj):
        db_table = "djpgh_t"


DJANGO_HELD = {"root": DjPghRoot, "x": DjPghX, "r": DjPghR, "t": DjPghT}


def _held_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "root": [{"id": 1}, {"id": 2}],
        "x": [{"id": 1, "root_id": 1}, {"id": 2, "root_id": 2}],
        "r": [{"id": 1, "root_id": 1, "x_id": 1}, {"id": 2, "root_id": 2, "x_id": 2}],
        "t": [
            {"id": 1, "r_id": 1},
            *({"id": n, "parent_id": n - 1} for n in range(2, DEEP + 1)),
            {"id": 50, "r_id": 2},
        ],
    }


@pytest.fixture(scope="module")
def django_held() -> dict[str, list[int]]:
    connection = connections["default"]
    with connection.schema_editor() as editor:
        for model in DJANGO_HELD.values():
            editor.create_model(model)
    try:
        with transaction.atomic():
            for name, rows in _held_rows().items():
                for row in rows:
                    DJANGO_HELD[name].objects.create(**row)
        DjPghRoot.objects.filter(pk=1).delete()
        return {n: sorted(m.objects.values_list("pk", flat=True)) for n, m in DJANGO_HELD.items()}
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(DJANGO_HELD.values()):
                editor.delete_model(model)


@pytest.mark.parametrize("order", HELD_ORDERS)
async def test_a_restricting_row_deleted_first_after_the_trees_below_it(
    url: str, order: str, django_held: dict[str, list[int]]
) -> None:
    """Root 1 removes x 1 and r 1, which restricts x 1: r 1 is deleted first
    (``delete_dependents_first``), and its DELETE left the database to cascade through the
    tree t below it, DEEP levels: MariaDB's OperationalError 193 (the trees were cleared
    only after the restricting rows). The trees below a restricting row go first now."""
    made = HELD[order]
    async with opened(url), own_tables(*(made[p] for p in ("root", "x", "r", "t"))):
        for name, rows in _held_rows().items():
            for row in rows:
                await made[name].create(**row)
        assert await made["root"].filter(id=1).delete() == 1
        found = {
            name: await model.all().order_by("id").values_list("id", flat=True)
            for name, model in made.items()
        }
        assert found == django_held
