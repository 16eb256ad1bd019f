"""The plain ``model_dump()`` (no options) gives exactly what the general path gives: values of
every kind, subclass instances, list subclasses, non-str keys, unset fields, cycles, and dicts
the caller owns outright. Run under both cores (the native one fills a copy of a key template
in place, `src/serialize/direct.rs`) and with FERRULE_NO_FAST_PATHS=1."""

from __future__ import annotations

import enum
import gc
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ferrule import Field, Model
from ferrule.errors import JSONError


class Color(enum.Enum):
    RED = "red"


class Base(Model):
    n: int


class Sub(Base):
    extra: str = "x"


class Holder(Model):
    child: Base
    items: list[Base] = []


class MyList(list[Any]):
    pass


class Mixed(Model):
    tags: list[int]
    by_id: dict[int, str] = {}
    color: Color = Color.RED
    anything: Any = None


class Flat(Model):
    id: int
    name: str
    score: float
    ok: bool
    note: str | None = None
    tags: list[str] = Field(default_factory=list)


class Aliased(Model):
    a: int = Field(serialization_alias="A")
    b: list[int] = []


class Excluded(Model):
    x: int
    hidden: int = Field(default=0, exclude=True)
    z: str = "s"


class Money(Model):
    amount: Decimal


Wide = type(
    "Wide",
    (Model,),
    {"__annotations__": {f"f{i}": int for i in range(40)}, **{f"f{i}": i for i in range(40)}},
)


def test_flat_values_keep_their_objects_and_order() -> None:
    tags = ["a", "b"]
    dumped = Flat(id=1, name="Ann", score=1.5, ok=True, tags=tags).model_dump()
    assert dumped == {
        "id": 1,
        "name": "Ann",
        "score": 1.5,
        "ok": True,
        "note": None,
        "tags": ["a", "b"],
    }
    assert list(dumped) == ["id", "name", "score", "ok", "note", "tags"]
    assert type(dumped["tags"]) is list and dumped["tags"] is not tags


def test_subclass_instances_dump_their_own_fields() -> None:
    holder = Holder(child=Sub(n=1), items=[Sub(n=2), Base(n=3)])
    expected = {"child": {"n": 1, "extra": "x"}, "items": [{"n": 2, "extra": "x"}, {"n": 3}]}
    assert holder.model_dump() == expected
    assert holder.model_dump(mode="json") == expected


def test_list_subclasses_non_str_keys_and_enums() -> None:
    value = Mixed.model_construct(
        tags=MyList([1, 2]), by_id={1: "a"}, anything=MyList([Base(n=1), 2])
    )
    dumped = value.model_dump()
    assert dumped == {
        "tags": [1, 2],
        "by_id": {1: "a"},
        "color": Color.RED,
        "anything": [{"n": 1}, 2],
    }
    assert type(dumped["tags"]) is list and type(dumped["anything"]) is list
    assert value.model_dump(mode="json") == {
        "tags": [1, 2],
        "by_id": {"1": "a"},
        "color": "red",
        "anything": [{"n": 1}, 2],
    }


def test_unset_fields_are_left_out() -> None:
    assert Mixed.model_construct(by_id={}).model_dump() == {
        "by_id": {},
        "color": Color.RED,
        "anything": None,
    }
    holder = Holder.model_construct(items=[Base.model_construct()])
    assert holder.model_dump() == {"items": [{}]}


def test_a_cycle_is_an_error_not_a_crash() -> None:
    holder = Holder.model_construct(child=Base(n=1), items=[])
    holder.items.append(holder)  # type: ignore[arg-type]
    with pytest.raises(JSONError, match="recursion limit"):
        holder.model_dump()


def test_aliases_and_excluded_fields() -> None:
    assert Aliased(a=1).model_dump() == {"a": 1, "b": []}
    assert Aliased(a=1).model_dump(by_alias=True) == {"A": 1, "b": []}
    assert Flat(id=1, name="A", score=0.0, ok=False).model_dump(by_alias=True)["id"] == 1
    assert Excluded(x=1, hidden=5).model_dump() == {"x": 1, "z": "s"}


def test_wide_models() -> None:
    assert Wide(f3=-3).model_dump() == {f"f{i}": (-3 if i == 3 else i) for i in range(40)}


def test_the_dict_is_the_callers_own() -> None:
    value = Flat(id=1, name="Ann", score=1.5, ok=True)
    first = value.model_dump()
    first["id"] = 99
    first["added"] = 1
    del first["name"]
    first.clear()
    assert value.model_dump() == {
        "id": 1,
        "name": "Ann",
        "score": 1.5,
        "ok": True,
        "note": None,
        "tags": [],
    }


def test_gc_tracks_the_dict_as_for_any_dict() -> None:
    dumps = [
        Flat(id=1, name="A", score=0.0, ok=False).model_dump(),
        Base(n=1).model_dump(),
        Money(amount=Decimal("1.5")).model_dump(),
        Holder(child=Base(n=1)).model_dump(),
        Mixed(tags=[], anything=date(2024, 1, 2)).model_dump(),
        Mixed(tags=[], anything=(1, "a")).model_dump(),
    ]
    for dumped in dumps:
        built = {key: value for key, value in dumped.items()}
        assert gc.is_tracked(dumped) == gc.is_tracked(built), dumped
    assert gc.is_tracked(dumps[0]) and not gc.is_tracked(dumps[1])


def test_no_references_are_leaked() -> None:
    name = "".join(["An", "n"])
    tag = "".join(["t", "ag"])
    child = Base(n=10**20)
    value = Holder(child=child, items=[child])
    flat = Flat(id=10**20, name=name, score=1.5, ok=True, tags=[tag])
    before = [sys.getrefcount(x) for x in (name, tag, child, child.n, value)]
    for _ in range(50):
        flat.model_dump()
        value.model_dump()
    after = [sys.getrefcount(x) for x in (name, tag, child, child.n, value)]
    assert after == before
