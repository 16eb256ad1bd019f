"""Rows removed by ``on_delete="cascade"`` send ``pre_delete`` and ``post_delete``, as
Django's collector sends them for every cascaded object: the database's ``ON DELETE CASCADE``
removed them and their receivers never heard of it. Checked against Django's rules:

* every row a cascade removes, at every depth (through a model no receiver watches, and down
  a self-referencing tree), gets ``pre_delete`` before any row goes and ``post_delete``
  after, with its instance as it was (its key and fields);
* ``on_delete="set null"`` is an update without save signals (and no delete signal);
* one transaction: a receiver's exception, before or after, and nothing is removed;
* ``QuerySet.delete()`` still returns the rows of its own table (its contract, asserted by
  ``test_cascade_differential``), ``Model.delete()`` None;
* without a receiver for a model a cascade reaches, a delete is the one ``DELETE`` it was."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import IntegrityError

from .conftest import opened, own_tables


class CsBox(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=10, default="")

    class Meta:
        table = "ormt_cs_box"


class CsPart(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10, default="")
    box = orm.ForeignKeyField(CsBox, on_delete="cascade", related_name="parts")

    class Meta:
        table = "ormt_cs_part"


class CsBit(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10, default="")
    part = orm.ForeignKeyField(CsPart, on_delete="cascade", related_name="bits")

    class Meta:
        table = "ormt_cs_bit"


class CsSlot(orm.Model):
    id: int = orm.Field(primary_key=True)
    box = orm.ForeignKeyField(CsBox, on_delete="set null", null=True, related_name="slots")

    class Meta:
        table = "ormt_cs_slot"


class CsPin(orm.Model):
    id: int = orm.Field(primary_key=True)
    box = orm.ForeignKeyField(CsBox, on_delete="restrict", related_name="pins")

    class Meta:
        table = "ormt_cs_pin"


class CsNode(orm.Model):
    id: int = orm.Field(primary_key=True)
    name = orm.CharField(max_length=10, default="")
    parent = orm.ForeignKeyField("self", on_delete="cascade", null=True, related_name="kids")

    class Meta:
        table = "ormt_cs_node"


class CsPartPin(orm.Model):
    """Restricts the delete of a part: so of a box too, through the box's cascade."""

    id: int = orm.Field(primary_key=True)
    part = orm.ForeignKeyField(CsPart, on_delete="restrict", related_name="pins")

    class Meta:
        table = "ormt_cs_part_pin"


MODELS = (CsBox, CsPart, CsBit, CsSlot, CsPin, CsNode, CsPartPin)


class Heard:
    """What the delete and save receivers of ``models`` heard: (signal, model name, key,
    the instance's fields as they were then)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, Any, dict[str, Any]]] = []
        self.fail: tuple[str, str] | None = None  # (signal, name) whose receiver raises
        self.instances: list[Any] = []

    def receiver(self, signal: str) -> Any:
        def heard(sender: Any, instance: Any, **kwargs: Any) -> None:
            fields = instance.model_dump()
            self.events.append((signal, sender.__name__, instance.pk, fields))
            self.instances.append(instance)
            if self.fail == (signal, getattr(instance, "name", None)):
                raise RuntimeError(f"{signal} refused {fields}")

        return heard

    def keys(self, signal: str, model: str) -> set[Any]:
        return {k for s, m, k, _ in self.events if (s, m) == (signal, model)}


@contextlib.contextmanager
def listening(heard: Heard, *models: Any, saves: bool = False) -> Iterator[None]:
    signals = [orm.pre_delete, orm.post_delete]
    if saves:
        signals += [orm.pre_save, orm.post_save]
    made = [(s, m, heard.receiver(s.name)) for s in signals for m in models]
    for signal, model, receiver in made:
        signal.connect(receiver, sender=model)
    try:
        yield
    finally:
        for signal, model, receiver in made:
            signal.disconnect(receiver, sender=model)


async def _tree() -> dict[str, Any]:
    """Two boxes, each with two parts of two bits, a slot each."""
    made: dict[str, Any] = {}
    for b in ("x", "y"):
        box = made[b] = await CsBox.create(label=b)
        await CsSlot.create(box_id=box.id)
        for p in ("1", "2"):
            part = made[b + p] = await CsPart.create(name=b + p, box_id=box.id)
            for t in ("a", "b"):
                made[b + p + t] = await CsBit.create(name=b + p + t, part_id=part.id)
    return made


async def _left() -> dict[str, set[Any]]:
    return {
        "box": set(await CsBox.all().values_list("id", flat=True)),
        "part": set(await CsPart.all().values_list("id", flat=True)),
        "bit": set(await CsBit.all().values_list("id", flat=True)),
        "slot_box": set(await CsSlot.all().values_list("box_id", flat=True)),
    }


def _ids(made: dict[str, Any], *names: str) -> set[Any]:
    return {made[n].id for n in names}


async def test_deleting_an_instance_signals_every_row_its_cascade_removes(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        heard = Heard()
        # receivers on the bits only: the parts between are loaded to find them
        with listening(heard, CsBit, CsSlot, saves=True):
            assert await made["x"].delete() == 1  # its own row (orm.persistence.delete)
        x_bits = _ids(made, "x1a", "x1b", "x2a", "x2b")
        assert heard.keys("pre_delete", "CsBit") == x_bits
        assert heard.keys("post_delete", "CsBit") == x_bits
        # the instances as they were: keys and fields (their part's key too)
        for signal, _, key, fields in heard.events:
            name = fields["name"]
            assert (key, fields["id"], fields["part_id"]) == (
                made[name].id,
                made[name].id,
                made[name[:2]].id,
            ), signal
        # deleted, they lose their keys, as Django leaves them
        assert [i.pk for i in heard.instances] == [None] * 8
        # every pre_delete before every post_delete
        kinds = [s for s, *_ in heard.events]
        assert kinds == ["pre_delete"] * 4 + ["post_delete"] * 4
        # SET NULL is an update: no save and no delete signal for the slot
        assert not [e for e in heard.events if e[1] == "CsSlot"]
        left = await _left()
        assert left["bit"] == _ids(made, "y1a", "y1b", "y2a", "y2b")
        assert left["part"] == _ids(made, "y1", "y2") and left["box"] == _ids(made, "y")
        assert left["slot_box"] == {None, made["y"].id}


async def test_a_queryset_delete_signals_the_cascade_and_counts_its_own_rows(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        heard = Heard()
        with listening(heard, CsBox, CsPart, CsBit):
            assert await CsBox.filter(label__in=["x", "y"]).delete() == 2
        parts = _ids(made, "x1", "x2", "y1", "y2")
        bits = {made[p + t].id for p in ("x1", "x2", "y1", "y2") for t in ("a", "b")}
        for signal in ("pre_delete", "post_delete"):
            assert heard.keys(signal, "CsBox") == _ids(made, "x", "y")
            assert heard.keys(signal, "CsPart") == parts
            assert heard.keys(signal, "CsBit") == bits
        assert len(heard.events) == 2 * (2 + 4 + 8)  # each once
        # Django's order: the dependent rows first, every pre_delete before the first delete
        order = [(s, m) for s, m, _, _ in heard.events]
        assert order == [
            *[("pre_delete", "CsBit")] * 8,
            *[("pre_delete", "CsPart")] * 4,
            *[("pre_delete", "CsBox")] * 2,
            *[("post_delete", "CsBit")] * 8,
            *[("post_delete", "CsPart")] * 4,
            *[("post_delete", "CsBox")] * 2,
        ]
        assert await _left() == {"box": set(), "part": set(), "bit": set(), "slot_box": {None}}


async def test_a_part_deleted_by_queryset_signals_its_bits(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        heard = Heard()
        with listening(heard, CsBit):
            assert await CsPart.filter(name__in=["x1", "y2"]).delete() == 2
            assert await CsPart.filter(name="x1").delete() == 0
        gone = _ids(made, "x1a", "x1b", "y2a", "y2b")
        assert heard.keys("pre_delete", "CsBit") == heard.keys("post_delete", "CsBit") == gone
        assert (await _left())["bit"] == _ids(made, "x2a", "x2b", "y1a", "y1b")


async def test_a_self_referencing_cascade_signals_every_level(url: str) -> None:
    async with opened(url), own_tables(*MODELS):
        root = await CsNode.create(name="r")
        keys = {"r": root.id}
        for name in ("a", "aa", "aaa", "aaaa", "b", "ab"):
            parent = keys[name[:-1] or "r"] if name != "b" else root.id
            keys[name] = (await CsNode.create(name=name, parent_id=parent)).id
        other = await CsNode.create(name="o")
        heard = Heard()
        with listening(heard, CsNode):
            await CsNode(id=keys["a"], name="a", parent_id=root.id).delete()
            gone = {keys[n] for n in ("a", "aa", "aaa", "aaaa", "ab")}
            assert heard.keys("pre_delete", "CsNode") == gone
            assert heard.keys("post_delete", "CsNode") == gone
            heard.events.clear()
            # r and its child b: Django counts the rows of the model its cascade removed
            assert await CsNode.filter(name="r").delete() == 2
            assert heard.keys("post_delete", "CsNode") == {root.id, keys["b"]}
        assert await CsNode.all().values_list("id", flat=True) == [other.id]


@pytest.mark.parametrize("signal", ["pre_delete", "post_delete"])
async def test_a_receivers_error_keeps_every_row(url: str, signal: str) -> None:
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        before = await _left()
        heard = Heard()
        heard.fail = (signal, "x2b")
        with listening(heard, CsBit):
            with pytest.raises(RuntimeError, match="refused"):
                await made["x"].delete()
            assert made["x"].id is not None  # the key stays: the row does
            assert all(i.pk is not None for i in heard.instances)
            with pytest.raises(RuntimeError, match="refused"):
                await CsBox.all().delete()
            with pytest.raises(RuntimeError, match="refused"):
                await CsPart.filter(name="x2").delete()
        assert await _left() == before
        assert not [e for e in heard.events if e[0] == "post_delete" and signal == "pre_delete"]


async def test_without_a_receiver_below_a_delete_is_one_statement(url: str) -> None:
    """A delete a restricting key can reach (a pin's, of the box or a part) first reads what
    it removes, to give Django's RESTRICT answer on every database (orm.cascades): it adds
    reads only."""
    async with opened(url) as db, own_tables(*MODELS):
        made = await _tree()
        heard = Heard()
        seen: list[str] = []

        def after(event: Any) -> None:
            seen.append(event.sql)

        db.add_hook(after=after)
        try:
            # a receiver on a model the cascade does not reach (SET NULL, or another table)
            with listening(heard, CsSlot, CsNode):
                await made["x1"].delete()
                assert await CsBox.filter(label="x").delete() == 1
                assert await CsPart.filter(name="y1").delete() == 1
        finally:
            db.remove_hook(after=after)
        deletes = [s for s in seen if s.lstrip().upper().startswith("DELETE")]
        reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        assert len(deletes) == 3
        assert len(deletes) + len(reads) == len(seen)
        assert heard.events == []


async def test_a_restricting_row_refuses_the_delete_before_any_signal(url: str) -> None:
    """A pin names the box (``on_delete="restrict"``): Django's collector refuses the delete
    before it sends any signal, and so does ferrule: an ``IntegrityError`` naming the
    restricting field, no ``pre_delete`` nor ``post_delete``, every row kept."""
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        await CsPin.create(box_id=made["x"].id)
        before = await _left()
        heard = Heard()
        with listening(heard, CsBox, CsPart, CsBit):
            with pytest.raises(IntegrityError, match=r"CsPin\.box"):
                await made["x"].delete()
            with pytest.raises(IntegrityError, match=r"CsPin\.box"):
                await CsBox.all().delete()
        assert await _left() == before
        assert made["x"].id is not None and heard.events == []


@pytest.mark.parametrize("watched", ["CsBox", "CsBit"])
async def test_a_row_restricting_a_cascaded_row_refuses_before_any_signal(
    url: str, watched: str
) -> None:
    """The pin names a part the box's cascade would remove (through models no receiver
    watches, when only the box is heard): refused before any signal, as Django's collector
    does, whichever model the receivers watch."""
    async with opened(url), own_tables(*MODELS):
        made = await _tree()
        await CsPartPin.create(part_id=made["x2"].id)
        before = await _left()
        heard = Heard()
        with listening(heard, {"CsBox": CsBox, "CsBit": CsBit}[watched]):
            with pytest.raises(IntegrityError, match=r"CsPartPin\.part"):
                await made["x"].delete()
            with pytest.raises(IntegrityError, match=r"CsPartPin\.part"):
                await CsBox.filter(label="x").delete()
            assert await _left() == before
            assert heard.events == []
            expected = (
                _ids(made, "y") if watched == "CsBox" else _ids(made, "y1a", "y1b", "y2a", "y2b")
            )
            await made["y"].delete()  # nothing restricts the other box
        assert heard.keys("pre_delete", watched) == expected
