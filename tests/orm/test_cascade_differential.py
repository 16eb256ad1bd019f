"""Differential test of deletes across foreign keys: hypothesis makes boxes, their parts
(``on_delete="cascade"``), the parts' bits (cascade again), slots (``"set null"``) and pins
(``"restrict"``), then deletes rows by instance and by QuerySet, and after each write every
table, read through the database's own driver (``native_rows``), is compared with a
reference applying Django's rules in Python:

* deleting a box deletes its parts and their bits, and sets its slots' key to NULL;
* a box a pin still names is not deleted: an ``IntegrityError``, and nothing changes (not
  the parts, not the other boxes of the same ``QuerySet.delete()``);
* a row naming a key no row has is an ``IntegrityError``;
* ``QuerySet.delete()`` returns the rows of its own table it deleted."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrule import orm
from ferrule.errors import IntegrityError, SchemaError

from .conftest import differential_settings, loop_with_tables
from .native_rows import NativeRows


class CdBox(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=5, default="")

    class Meta:
        table = "ormt_cd_box"


class CdPart(orm.Model):
    id: int = orm.Field(primary_key=True)
    box = orm.ForeignKeyField(CdBox, on_delete="cascade", related_name="parts")

    class Meta:
        table = "ormt_cd_part"


class CdBit(orm.Model):
    id: int = orm.Field(primary_key=True)
    part = orm.ForeignKeyField(CdPart, on_delete="cascade", related_name="bits")

    class Meta:
        table = "ormt_cd_bit"


class CdSlot(orm.Model):
    id: int = orm.Field(primary_key=True)
    box = orm.ForeignKeyField(CdBox, on_delete="set null", null=True, related_name="slots")

    class Meta:
        table = "ormt_cd_slot"


class CdPin(orm.Model):
    id: int = orm.Field(primary_key=True)
    box = orm.ForeignKeyField(CdBox, on_delete="restrict", related_name="pins")

    class Meta:
        table = "ormt_cd_pin"


MODELS = (CdBox, CdPart, CdBit, CdSlot, CdPin)
#: each child model: (its table, its key's column, the parent table, on_delete)
CHILDREN = {
    CdPart: ("ormt_cd_part", "box_id", "box", "cascade"),
    CdBit: ("ormt_cd_bit", "part_id", "part", "cascade"),
    CdSlot: ("ormt_cd_slot", "box_id", "box", "set null"),
    CdPin: ("ormt_cd_pin", "box_id", "box", "restrict"),
}
PARENT = {CdPart: CdBox, CdBit: CdPart, CdSlot: CdBox, CdPin: CdBox}
KIND = {"box": CdBox, "part": CdPart, "bit": CdBit, "slot": CdSlot, "pin": CdPin}

operations = st.one_of(
    st.tuples(st.just("new"), st.sampled_from(tuple(KIND)), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("delete"), st.sampled_from(tuple(KIND)), st.integers(0, 9)),
    st.tuples(
        st.just("qs_delete"),
        st.sampled_from(("box", "part", "pin")),
        st.lists(st.integers(0, 9), max_size=3),
    ),
    st.tuples(st.just("move_slot"), st.integers(0, 9), st.integers(0, 9), st.booleans()),
)


class Reference:
    """Every table's rows: key -> the key of the row it names (None for a box, or a slot
    set to NULL)."""

    def __init__(self) -> None:
        self.rows: dict[Any, dict[int, int | None]] = {m: {} for m in MODELS}
        self.made: dict[Any, list[int]] = {m: [] for m in MODELS}  # every key ever made

    def pick(self, model: Any, index: int) -> int | None:
        made = self.made[model]
        return made[index % len(made)] if made else None

    def delete(self, model: Any, keys: set[int]) -> bool:
        """Delete ``keys`` of ``model`` with what follows; False (and nothing done) when a
        restricting row names one of them or of the rows they cascade to."""
        doomed: dict[Any, set[int]] = {model: set(keys) & set(self.rows[model])}
        order = [model]
        for parent in order:
            for child, (_, _, _, rule) in CHILDREN.items():
                if PARENT[child] is not parent:
                    continue
                named = {k for k, p in self.rows[child].items() if p in doomed[parent]}
                if rule == "restrict" and named:
                    return False
                if rule == "cascade" and named:
                    doomed.setdefault(child, set()).update(named)
                    order.append(child)
        for each, gone in doomed.items():
            for key in gone:
                del self.rows[each][key]
            for child, (_, _, _, rule) in CHILDREN.items():
                if PARENT[child] is each and rule == "set null":
                    for key, p in self.rows[child].items():
                        if p in gone:
                            self.rows[child][key] = None
        return True


class Run:
    def __init__(self, native: NativeRows) -> None:
        self.native = native
        self.ref = Reference()
        self.log: list[Any] = []

    def tables(self) -> dict[Any, dict[int, int | None]]:
        out: dict[Any, dict[int, int | None]] = {CdBox: {}}
        for (key,) in self.native.rows("SELECT id FROM ormt_cd_box"):
            out[CdBox][key] = None
        for model, (table, column, _, _) in CHILDREN.items():
            out[model] = dict(self.native.rows(f"SELECT id, {column} FROM {table}"))
        return out

    async def refused(self, work: Any) -> None:
        before = self.tables()
        with pytest.raises(IntegrityError):
            await work()
        assert self.tables() == before, self.log

    async def step(self, op: tuple[Any, ...]) -> None:
        self.log.append(op)
        kind, *args = op
        ref = self.ref
        if kind == "new":
            model = KIND[args[0]]
            if model is CdBox:
                made = await CdBox.create()
                ref.rows[CdBox][made.id] = None
                ref.made[CdBox].append(made.id)
                return
            parent = ref.pick(PARENT[model], args[1])
            if model is CdSlot and args[2]:
                parent = None
            if parent is None and model is not CdSlot:
                return
            field = f"{CHILDREN[model][2]}_id"
            if parent is not None and parent not in ref.rows[PARENT[model]]:
                await self.refused(lambda: model.create(**{field: parent}))
                return
            made = await model.create(**{field: parent})
            ref.rows[model][made.id] = parent
            ref.made[model].append(made.id)
        elif kind == "delete":
            model = KIND[args[0]]
            key = ref.pick(model, args[1])
            if key is None:
                return
            instance = model(id=key, **({} if model is CdBox else {f"{CHILDREN[model][2]}_id": 1}))
            if not ref.delete(model, {key}):
                await self.refused(instance.delete)
                return
            await instance.delete()
        elif kind == "qs_delete":
            model = KIND[args[0]]
            keys = {k for k in (ref.pick(model, i) for i in args[1]) if k is not None}
            present = len(keys & set(ref.rows[model]))
            query = model.filter(id__in=sorted(keys))
            if not ref.delete(model, keys):
                await self.refused(query.delete)
                return
            assert await query.delete() == present, self.log
        else:
            slot, box = ref.pick(CdSlot, args[0]), ref.pick(CdBox, args[1])
            if slot is None:
                return
            box = None if args[2] else box
            query = CdSlot.filter(id=slot)
            if box is not None and box not in ref.rows[CdBox]:
                await self.refused(lambda: query.update(box_id=box))
                return
            count = await query.update(box_id=box)
            assert count == (slot in ref.rows[CdSlot]), self.log
            if slot in ref.rows[CdSlot]:
                ref.rows[CdSlot][slot] = box
        assert self.tables() == ref.rows, self.log


EXAMPLES = int(os.environ.get("FERRULE_CDIFF_EXAMPLES", "40"))


def test_deletes_follow_on_delete_as_the_reference(url: str, dialect: str) -> None:
    native = NativeRows(url, dialect)

    async def example(ops: list[tuple[Any, ...]]) -> None:
        for model in reversed(MODELS):
            await model.all().delete()
        run = Run(native)
        for op in ops:
            await run.step(op)

    @differential_settings(EXAMPLES)
    @given(st.lists(operations, min_size=1, max_size=14))
    def run(ops: list[tuple[Any, ...]]) -> None:
        loop.run_until_complete(example(ops))

    try:
        with loop_with_tables(url, *MODELS) as loop:
            run()
    finally:
        native.close()


def test_on_delete_set_default_is_refused_naming_the_field() -> None:
    """``on_delete="set default"`` set the key to NULL on SQLite and PostgreSQL (the key
    column has no database default: an IntegrityError, or a silent NULL on a nullable key,
    where Django writes the field's default) and MariaDB has no SET DEFAULT (its
    create_tables failed): a SchemaError naming the field when the model is defined."""
    with pytest.raises(SchemaError, match=r"CdLoose\.box\b[\s\S]*set default"):

        class CdLoose(orm.Model):
            id: int = orm.Field(primary_key=True)
            box = orm.ForeignKeyField(CdBox, on_delete="set default", null=True, related_name="+")

            class Meta:
                table = "ormt_cd_loose"
