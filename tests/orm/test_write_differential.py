"""Differential test of the ORM's writes: hypothesis makes sequences of writes through the
public API (``create``, ``save()`` inserting and updating, with ``update_fields``,
``delete()``, ``QuerySet.update`` with values and ``F`` arithmetic, ``QuerySet.delete``,
``bulk_create`` with ``batch_size`` and ``on_conflict``, ``bulk_update``, ``get_or_create``,
``update_or_create``, many-to-many ``add``/``remove``/``clear``/``set``), and after each one
the table's rows, read through the database's own driver (``native_rows``), are compared with
a reference: the same writes applied to dicts in Python, by Django's rules and ferrule's
documented ones:

* a write that breaks a unique key is an ``IntegrityError`` and writes nothing (a
  ``bulk_create`` nothing of any batch; a ``set()`` none of its links);
* a value past its column (an int past 32 or 64 bits, a decimal past its digits, a float
  result past the double range) is a ``DataError`` and the statement writes nothing;
* a float column holds finite values and an unsigned zero (``orm.fields.FloatField``);
* ``save()`` of an instance whose row is gone inserts it again, but with ``update_fields``
  it is ``DoesNotExist``; ``update()``/``delete()`` return the rows they matched;
* ``bulk_create(on_conflict="ignore")`` skips a row whose unique key is taken (by a row
  before it too); ``("update", fields)`` writes those fields over the row holding the key.

Rows are named by their unique ``code``; ids are the database's."""

from __future__ import annotations

import math
import os
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrule import orm
from ferrule.errors import DataError, DoesNotExist, FieldError, IntegrityError, ORMError

from .conftest import differential_settings, loop_with_tables
from .native_rows import NativeRows, as_decimal


class WdTag(orm.Model):
    id: int = orm.Field(primary_key=True)
    label = orm.CharField(max_length=5, unique=True)

    class Meta:
        table = "ormt_wd_tag"


class WdItem(orm.Model):
    id: int = orm.Field(primary_key=True)
    code = orm.CharField(max_length=6, unique=True)
    n = orm.IntField(default=0)
    big = orm.BigIntField(default=0)
    f = orm.FloatField(default=0.0)
    d = orm.DecimalField(max_digits=5, decimal_places=2, default=D("0"))
    t = orm.CharField(max_length=5, default="")
    tags = orm.ManyToManyField(WdTag, related_name="items")

    class Meta:
        table = "ormt_wd_item"


VALUES = ("n", "big", "f", "d", "t")
DEFAULTS: dict[str, Any] = {"n": 0, "big": 0, "f": 0.0, "d": D("0"), "t": ""}
LABELS = ("a", "b", "c")

# -- values: the columns' edges ---------------------------------------------------------------

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
DIGITS = D("1000")  # DECIMAL(5, 2): |d| < 10**3
CODES = st.sampled_from(("a", "b", "c", "é", "😀x", "abcdef"))
VALUE = {
    "n": st.sampled_from((0, 1, -1, 7, *INT32)),
    "big": st.sampled_from((0, 1, -(2**53) - 1, 2**62, *INT64)),
    "f": st.sampled_from(
        (0.0, -0.0, 0.1, 1.5, -2.5, 1e308, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308)
    ),
    "d": st.sampled_from(tuple(D(x) for x in ("0", "0.01", "-0.01", "12.50", "999.99", "-999.99"))),
    "t": st.sampled_from(("", "a", "abcde", "😀😀😀😀😀", "e\u0301", "Ω\U0001f600")),
}
#: update(name=F(name) op k): the operators and operands each column type takes
ARITH = {
    "n": st.sampled_from((("+", 1), ("+", -1), ("*", 2), ("*", -1), ("+", 2**31 - 1))),
    "big": st.sampled_from((("+", 1), ("-", 1), ("*", 2), ("*", -1))),
    "f": st.sampled_from(
        (("*", 2.0), ("+", 0.5), ("*", -1.0), ("*", 1e-300), ("-", 1.5), ("/", 2.0), ("/", 1e300))
    ),
    "d": st.sampled_from((("+", D("0.25")), ("*", 2), ("-", D("999.99")), ("*", -1))),
}


#: update(name=F(other) op x): an expression of the column's own type reading other columns
#: (``("col", name)`` is ``F(name)``); int op int is computed in 64 bits, then stored
CROSS = {
    "n": [("big", "+", 0), ("n", "*", ("col", "n"))],
    "big": [("n", "*", ("col", "n")), ("big", "-", ("col", "n")), ("n", "+", 0)],
    "f": [("n", "*", 0.5), ("f", "+", ("col", "n"))],
    "d": [("n", "+", D("0.5")), ("d", "-", ("col", "n"))],
}


def _fields(draw: Any, names: tuple[str, ...] = VALUES) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    return {name: draw(VALUE[name]) for name in chosen}


class Boom(Exception):
    """Raised at the end of a block to roll it back."""


@st.composite
def blocks(draw: Any) -> tuple[Any, ...]:
    """``("block", ops, fail)``: ops inside ``orm.transaction()``, rolled back when ``fail``
    (or when one of them is refused); no keys given inside (the reference names a row made
    there by its code alone)."""
    ops = draw(st.lists(operations(), min_size=1, max_size=4))
    ops = [(*op[:3], None) if op[0] in ("create", "save_new") else op for op in ops]
    return ("block", ops, draw(st.booleans()))


@st.composite
def operations(draw: Any) -> tuple[Any, ...]:
    kind = draw(
        st.sampled_from(
            (
                "create",
                "save_new",
                "save",
                "save",
                "delete",
                "update",
                "update",
                "qs_delete",
                "bulk_create",
                "bulk_update",
                "get_or_create",
                "update_or_create",
                "links",
                "tag_links",
            )
        )
    )
    held = draw(st.integers(0, 7))  # which held instance (modulo how many there are)
    if kind in ("create", "save_new"):
        key = draw(st.none() | st.none() | st.integers(1, 40))  # now and then a key given
        return (kind, draw(CODES), _fields(draw), key)
    if kind == "save":
        changes = _fields(draw)
        if draw(st.integers(0, 4)) == 0:
            changes["code"] = draw(CODES)
        fields = None
        if draw(st.booleans()):
            fields = draw(st.lists(st.sampled_from(("code", *VALUES)), min_size=1, unique=True))
        return (kind, held, changes, fields)
    if kind == "delete":
        return (kind, held)
    if kind in ("update", "qs_delete"):
        target = draw(
            st.sampled_from(("all", "n_gte", "codes", "tag")).flatmap(
                lambda t: st.tuples(
                    st.just(t),
                    {
                        "all": st.none(),
                        "n_gte": VALUE["n"],
                        "codes": st.lists(CODES, max_size=3),
                        "tag": st.sampled_from(LABELS),
                    }[t],
                )
            )
        )
        if kind == "qs_delete":
            return (kind, target)
        names = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True))
        values = {}
        for name in names:
            how = draw(st.sampled_from(("value", "F", "cross"))) if name != "t" else "value"
            if how == "F":
                values[name] = ("F", name, *draw(ARITH[name]))
            elif how == "cross":
                values[name] = ("F", *draw(st.sampled_from(CROSS[name])))
            else:
                values[name] = ("value", draw(VALUE[name]))
        return (kind, target, values)
    if kind == "bulk_create":
        specs = draw(st.lists(st.tuples(CODES, st.builds(dict)), min_size=1, max_size=4))
        specs = [(code, _fields(draw)) for code, _ in specs]
        conflict = draw(
            st.sampled_from((None, "ignore", ("update", ["n", "f"]), ("update", ["t"])))
        )
        return (kind, specs, draw(st.sampled_from((None, 1, 2))), conflict)
    if kind == "bulk_update":
        picks = draw(st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True))
        changes = [_fields(draw) for _ in picks]
        for change in changes:  # now and then a new code: unique, row after row
            if draw(st.integers(0, 3)) == 0:
                change["code"] = draw(CODES)
        names = ("code", *VALUES)
        fields = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
        return (kind, picks, changes, fields)
    if kind in ("get_or_create", "update_or_create"):
        return (kind, draw(CODES), _fields(draw))
    action = draw(st.sampled_from(("add", "remove", "clear", "set")))
    if kind == "tag_links":  # the reverse side: tag.items.add(item, ...)
        picks = draw(st.lists(st.integers(0, 7), max_size=3))
        return (kind, draw(st.sampled_from(LABELS)), action, picks)
    labels = draw(st.lists(st.sampled_from(LABELS), max_size=3))
    return (kind, held, action, labels)


# -- the reference ----------------------------------------------------------------------------


def _stored(name: str, value: Any) -> Any:
    """What the column keeps of a value it takes: a float's zero without its sign."""
    if name == "f" and value == 0:
        return 0.0
    return value


def _fits(name: str, value: Any) -> bool:
    if name == "n":
        return bool(INT32[0] <= value <= INT32[1])
    if name == "big":
        return bool(INT64[0] <= value <= INT64[1])
    if name == "f":
        return math.isfinite(value)
    if name == "d":
        return bool(abs(value) < DIGITS)
    return True


def _apply(op: str, left: Any, right: Any) -> Any:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "/":
        return left / right
    return left * right


class Reference:
    """The rows by code (each a dict of the value columns, plus ``id`` when ferrule told it)
    and the links as (code, label) pairs."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.links: set[tuple[str, str]] = set()

    def by_id(self, key: Any) -> str | None:
        for code, row in self.rows.items():
            if row.get("id") == key:
                return code
        return None

    def insert(self, code: str, values: dict[str, Any], key: Any = None) -> None:
        row = {**DEFAULTS, **{k: _stored(k, v) for k, v in values.items()}}
        if key is not None:
            row["id"] = key
        self.rows[code] = row

    def rename(self, old: str, new: str) -> None:
        """The row ``old`` now has the code ``new`` (its links go with it)."""
        self.rows[new] = self.rows.pop(old)
        self.links = {(new if c == old else c, label) for c, label in self.links}

    def remove(self, code: str) -> None:
        del self.rows[code]
        self.links = {(c, label) for c, label in self.links if c != code}

    def matched(self, target: tuple[str, Any]) -> list[str]:
        kind, arg = target
        if kind == "all":
            return list(self.rows)
        if kind == "n_gte":
            return [c for c, r in self.rows.items() if r["n"] >= arg]
        if kind == "codes":
            return [c for c in self.rows if c in arg]
        return [c for c in self.rows if (c, arg) in self.links]


def _query(target: tuple[str, Any]) -> Any:
    kind, arg = target
    if kind == "all":
        return WdItem.all()
    if kind == "n_gte":
        return WdItem.filter(n__gte=arg)
    if kind == "codes":
        return WdItem.filter(code__in=arg)
    return WdItem.filter(tags__label=arg)


def _expression(spec: tuple[Any, ...]) -> Any:
    if spec[0] == "value":
        return spec[1]
    _, left, op, right = spec
    if isinstance(right, tuple):
        right = orm.F(right[1])
    return _apply(op, orm.F(left), right)


def _evaluate(spec: tuple[Any, ...], row: dict[str, Any]) -> Any:
    """An update's value for one row, by Python's arithmetic (what the databases compute:
    ints exactly, floats in doubles, decimals exactly at the sum or larger of the scales)."""
    if spec[0] == "value":
        return spec[1]
    _, left, op, right = spec
    if isinstance(right, tuple):
        right = row[right[1]]
    return _apply(op, row[left], right)


def _swapping(values: dict[str, Any]) -> bool:
    """Whether the update's values read each other's fields (a cycle), which MariaDB, which
    writes ``SET`` left to right, cannot answer as the others do: a FieldError there."""
    reads = {}
    for name, spec in values.items():
        read = set() if spec[0] == "value" else {spec[1]}
        if spec[0] != "value" and isinstance(spec[3], tuple):
            read.add(spec[3][1])
        reads[name] = read & set(values) - {name}
    left = set(values)
    while left:
        free = {n for n in left if not any(n in reads[o] for o in left)}
        if not free:
            return True
        left -= free
    return False


# -- running ----------------------------------------------------------------------------------


class Run:
    """One example: the writes made, the reference kept beside them, and the instances held
    (each as ferrule gave it back, possibly stale)."""

    def __init__(self, native: NativeRows, tags: dict[str, Any]) -> None:
        self.native = native
        self.tags = tags
        self.ref = Reference()
        self.held: list[Any] = []
        self.log: list[Any] = []
        self.made: list[int] = []  # the ids ferrule said it inserted
        self.in_block = False
        self.refused = False  # a write of the block was refused: the block ends, rolled back

    def hold(self, obj: Any) -> None:
        if obj.pk is not None:
            self.held.append(obj)

    def pick(self, index: int) -> Any:
        return self.held[index % len(self.held)] if self.held else None

    async def expect(self, error: type[Exception] | None, work: Any) -> Any:
        """Run ``work``; it must raise ``error`` (and then the table must be unchanged) or,
        with None, succeed. Inside a block, a refusal ends the block (``block``)."""
        if error is None:
            return await work()
        if self.in_block and error in (IntegrityError, DataError):
            self.refused = True
        before = self.table()
        with pytest.raises(error):
            await work()
        assert self.table() == before, ("changed by a refused write", self.log)
        return None

    # -- the operations

    async def create(
        self, code: str, values: dict[str, Any], key: int | None, *, save: bool
    ) -> None:
        """A new row (``key``: the id given, else the database's next one, which follows
        every key given before on every database: ``orm.key_sequence``)."""
        given = {} if key is None else {"id": key}
        row_code = None if key is None else self.ref.by_id(key)
        if save and row_code is not None:  # save() of a key the table has: an UPDATE
            clash = code != row_code and code in self.ref.rows
            obj = WdItem(code=code, **given, **values)
            await self.expect(IntegrityError if clash else None, obj.save)
            if not clash:
                self.ref.rename(row_code, code)
                self.ref.insert(code, values, key)
                self.hold(obj)
            return
        taken = code in self.ref.rows or (key is not None and key in self.ids())  # (no key
        # is given inside a block, whose rows the driver's own connection does not see)
        error = IntegrityError if taken else None

        async def work() -> Any:
            if save:
                obj = WdItem(code=code, **given, **values)
                await obj.save()
                return obj
            return await WdItem.create(code=code, **given, **values)

        obj = await self.expect(error, work)
        if obj is not None:
            if key is None:
                assert obj.pk > max(self.made, default=0), (obj.pk, self.log)
            self.made.append(obj.pk)
            self.ref.insert(code, values, obj.pk)
            self.hold(obj)

    def ids(self) -> set[int]:
        """The ids the table holds (read: the reference knows some only by code)."""
        return {key for (key,) in self.native.rows("SELECT id FROM ormt_wd_item")}

    async def save(self, index: int, changes: dict[str, Any], fields: list[str] | None) -> None:
        obj = self.pick(index)
        if obj is None:
            return
        for name, value in changes.items():
            setattr(obj, name, value)
        current = {"code": obj.code, **{name: getattr(obj, name) for name in VALUES}}
        row_code = self.ref.by_id(obj.pk)
        written = fields if fields is not None else ["code", *VALUES]
        error: type[Exception] | None = None
        if row_code is None:
            if fields is not None:  # no row to update: gone, or (deleted) no key at all
                error = DoesNotExist if obj.pk is not None else ORMError
            elif current["code"] in self.ref.rows:
                error = IntegrityError
        else:
            code = current["code"] if "code" in written else row_code
            if code != row_code and code in self.ref.rows:
                error = IntegrityError
        await self.expect(error, lambda: obj.save(update_fields=fields))
        if error is not None:
            return
        if row_code is None:
            self.ref.insert(current["code"], {n: current[n] for n in VALUES}, obj.pk)
            return
        row = self.ref.rows[row_code]
        for name in written:
            if name != "code":
                row[name] = _stored(name, current[name])
        if "code" in written:
            self.ref.rename(row_code, current["code"])

    async def block(self, ops: list[tuple[Any, ...]], fail: bool) -> None:
        """``ops`` in one transaction: committed, or (``fail``, or one of them refused: the
        rest of the block is not run) rolled back, the table as it was. Instances made inside
        a rolled-back block are let go, and their keys may be generated again (SQLite's
        AUTOINCREMENT rolls back with the block; the servers' counters do not, and Django
        leaves such instances to the caller too)."""
        rows = {code: dict(row) for code, row in self.ref.rows.items()}
        links, held, made = set(self.ref.links), list(self.held), list(self.made)
        self.in_block, self.refused = True, False
        try:
            async with orm.transaction():
                for op in ops:
                    await _step(self, op)
                    if self.refused:
                        break
                if fail or self.refused:
                    raise Boom
        except Boom:
            self.ref.rows, self.ref.links, self.held, self.made = rows, links, held, made
        finally:
            self.in_block = False

    async def delete(self, index: int) -> None:
        obj = self.pick(index)
        if obj is None or obj.pk is None:  # deleted already: an ORMError, as in Django
            return
        key = obj.pk
        await obj.delete()  # (which leaves the instance without its key, as Django does)
        code = self.ref.by_id(key)
        if code is not None:
            self.ref.remove(code)

    async def update(self, target: tuple[str, Any], values: dict[str, Any]) -> None:
        matched = self.ref.matched(target)
        new: dict[str, dict[str, Any]] = {}
        fits = True
        for code in matched:
            row = self.ref.rows[code]
            new[code] = {}
            for name, spec in values.items():
                value = _evaluate(spec, row)
                fits = fits and _fits(name, value)
                new[code][name] = _stored(name, value)
        kw = {name: _expression(spec) for name, spec in values.items()}
        error = None if fits else DataError
        if self.native.dialect == "mysql" and _swapping(values):
            error = FieldError
        count = await self.expect(error, lambda: _query(target).update(**kw))
        if error is not None:
            return
        assert count == len(matched), (count, matched, self.log)
        for code, changes in new.items():
            self.ref.rows[code].update(changes)

    async def qs_delete(self, target: tuple[str, Any]) -> None:
        matched = self.ref.matched(target)
        count = await _query(target).delete()
        assert count == len(matched), (count, matched, self.log)
        for code in matched:
            self.ref.remove(code)

    async def bulk_create(
        self, specs: list[tuple[str, dict[str, Any]]], batch_size: int | None, conflict: Any
    ) -> None:
        codes = [code for code, _ in specs]
        error = None
        if conflict is None and (
            len(set(codes)) < len(codes) or any(c in self.ref.rows for c in codes)
        ):
            error = IntegrityError
        objs = [WdItem(code=code, **values) for code, values in specs]
        made = await self.expect(
            error, lambda: WdItem.bulk_create(objs, batch_size=batch_size, on_conflict=conflict)
        )
        if error is not None:
            return
        assert made is not None
        for code, values in specs:
            if code not in self.ref.rows:
                self.ref.insert(code, values)
            elif conflict is not None and conflict != "ignore":
                row = self.ref.rows[code]
                for name in conflict[1]:
                    row[name] = _stored(name, values.get(name, DEFAULTS[name]))
        if conflict is None:
            for obj in made:
                self.ref.rows[obj.code]["id"] = obj.pk
                self.hold(obj)

    async def bulk_update(
        self, picks: list[int], changes: list[dict[str, Any]], fields: list[str]
    ) -> None:
        # (a deleted instance has no key: bulk_update() refuses it, an ORMError)
        picked = (self.pick(i) for i in picks)
        objs = list({id(o): o for o in picked if o is not None and o.pk is not None}.values())
        for obj, change in zip(objs, changes, strict=False):
            for name, value in change.items():
                setattr(obj, name, value)
        # one UPDATE per instance, in order, in one transaction: a code another row holds
        # at that moment is an IntegrityError, and none of them is kept
        rows = {code: dict(row) for code, row in self.ref.rows.items()}
        links = set(self.ref.links)
        found, clash = 0, False
        for obj in objs:
            code = self.ref.by_id(obj.pk)
            if code is None:
                continue
            found += 1
            if "code" in fields and obj.code != code and obj.code in self.ref.rows:
                clash = True
                break
            for name in fields:
                if name != "code":
                    self.ref.rows[code][name] = _stored(name, getattr(obj, name))
            if "code" in fields:
                self.ref.rename(code, obj.code)
        if clash:
            self.ref.rows, self.ref.links = rows, links
        count = await self.expect(
            IntegrityError if clash else None, lambda: WdItem.bulk_update(objs, fields)
        )
        if not clash:
            assert count == found, (count, found, self.log)

    async def get_or_create(self, code: str, values: dict[str, Any], *, update: bool) -> None:
        existed = code in self.ref.rows
        if update:
            obj, created = await WdItem.update_or_create(code=code, defaults=values)
        else:
            obj, created = await WdItem.get_or_create(code=code, defaults=values)
        assert created is not existed, (created, self.log)
        if not existed:
            self.ref.insert(code, values, obj.pk)
        else:
            row = self.ref.rows[code]
            if update:
                row.update({k: _stored(k, v) for k, v in values.items()})
            assert row.get("id", obj.pk) == obj.pk
            row["id"] = obj.pk
        row = self.ref.rows[code]
        assert {n: getattr(obj, n) for n in VALUES} == {n: row[n] for n in VALUES}, self.log
        self.hold(obj)

    async def links(self, index: int, action: str, labels: list[str]) -> None:
        obj = self.pick(index)
        if obj is None or obj.pk is None:  # deleted: no links of an unsaved one (ValueError)
            return
        code = self.ref.by_id(obj.pk)
        tags = [self.tags[label] for label in labels]
        manager = obj.tags
        mine = {label for c, label in self.ref.links if c == code}
        if action == "clear":
            await manager.clear()
            wanted: set[str] = set()
        elif action == "remove":
            await manager.remove(*tags)
            wanted = mine - set(labels)
        else:
            wanted = set(labels) if action == "set" else mine | set(labels)
            gone = code is None and bool(set(labels) - mine)
            work = (lambda: manager.set(tags)) if action == "set" else lambda: manager.add(*tags)
            await self.expect(IntegrityError if gone else None, work)
            if gone:
                return
        if code is not None:
            self.ref.links = {(c, label) for c, label in self.ref.links if c != code}
            self.ref.links |= {(code, label) for label in wanted}

    async def tag_links(self, label: str, action: str, picks: list[int]) -> None:
        """The many-to-many from the tag's side, ``tag.items``: the same links."""
        # (a deleted instance has no key: not one to link, a ValueError as in Django)
        items = [obj for obj in (self.pick(i) for i in picks) if obj is not None and obj.pk]
        codes = {self.ref.by_id(obj.pk) for obj in items}
        manager = self.tags[label].items
        linked = {c for c, lab in self.ref.links if lab == label}
        if action == "clear":
            await manager.clear()
            wanted: set[str] = set()
        elif action == "remove":
            await manager.remove(*items)
            wanted = linked - codes
        else:
            gone = None in codes
            wanted = (codes if action == "set" else linked | codes) - {None}
            work = (lambda: manager.set(items)) if action == "set" else lambda: manager.add(*items)
            await self.expect(IntegrityError if gone else None, work)
            if gone:
                return
        self.ref.links = {(c, lab) for c, lab in self.ref.links if lab != label}
        self.ref.links |= {(code, label) for code in wanted if code is not None}

    # -- the comparison

    def table(self) -> tuple[dict[str, dict[str, Any]], set[tuple[str, str]]]:
        rows = self.native.rows(f"SELECT id, code, {', '.join(VALUES)} FROM ormt_wd_item")
        out = {}
        for key, code, n, big, f, d, t in rows:
            out[code] = {"id": key, "n": n, "big": big, "f": f, "d": as_decimal(d), "t": t}
        links = self.native.rows(
            "SELECT i.code, t.label FROM ormt_wd_item_tags l"
            " JOIN ormt_wd_item i ON i.id = l.wditem_id JOIN ormt_wd_tag t ON t.id = l.wdtag_id"
        )
        return out, {(c, label) for c, label in links}

    def check(self) -> None:
        rows, links = self.table()
        assert sorted(rows) == sorted(self.ref.rows), self.log
        for code, row in self.ref.rows.items():
            got = rows[code]
            assert got["id"] == row.get("id", got["id"]), (code, self.log)
            for name in VALUES:
                want = row[name]
                assert got[name] == want, (code, name, got[name], want, self.log)
                if name == "f":
                    assert math.copysign(1, got[name]) == math.copysign(1, want), (code, self.log)
            row["id"] = got["id"]  # known now: a later save() names it by key
        assert links == self.ref.links, self.log


async def _step(run: Run, op: tuple[Any, ...]) -> None:
    kind, *args = op
    run.log.append(op)
    if kind in ("create", "save_new"):
        await run.create(*args, save=kind == "save_new")
    elif kind in ("get_or_create", "update_or_create"):
        await run.get_or_create(args[0], args[1], update=kind == "update_or_create")
    else:
        await getattr(run, kind)(*args)
    if not run.in_block:  # (the driver's own connection sees committed rows only)
        run.check()


EXAMPLES = int(os.environ.get("FERRULE_WDIFF_EXAMPLES", "100"))
RAN: dict[str, int] = {}


def test_writes_leave_the_rows_of_the_reference(url: str, dialect: str) -> None:
    native = NativeRows(url, dialect)

    async def example(ops: list[tuple[Any, ...]]) -> None:
        await WdItem.all().delete()
        run = Run(native, {t.label: t for t in await WdTag.all()})
        for op in ops:
            await _step(run, op)

    async def tags() -> None:
        await WdTag.bulk_create([WdTag(label=label) for label in LABELS])

    @differential_settings(EXAMPLES)
    @given(st.lists(operations() | blocks(), min_size=1, max_size=10))
    def run(ops: list[tuple[Any, ...]]) -> None:
        RAN[dialect] = RAN.get(dialect, 0) + 1
        loop.run_until_complete(example(ops))

    try:
        with loop_with_tables(url, WdTag, WdItem) as loop:
            loop.run_until_complete(tags())
            run()
    finally:
        native.close()
    print(f"{dialect}: {RAN.get(dialect, 0)} examples")
