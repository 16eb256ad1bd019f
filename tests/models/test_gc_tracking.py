"""In a batch (`validate_many`, `validate_json_many`, the JSON stream, ORM fetches), the native
core leaves an instance that holds no collectable object out of the cyclic garbage collector
(as CPython does for tuples of atoms): 100k instances then cost the collector nothing. The
price is an invariant every write path must keep: an instance that holds a collectable object
is tracked again, or a cycle through it would never be freed.

These tests check the invariant through every route that stores into an instance, and that
cycles made after construction are still collected. Under the pure core instances are
ordinary Python objects, always tracked; the invariant tests run there too."""

from __future__ import annotations

import copy
import functools
import gc
import pickle
import uuid
from typing import Any

import pytest

import ferrule
from ferrule import Field
from ferrule.models._core import PURE_PYTHON, force_setattr

native_only = pytest.mark.skipif(PURE_PYTHON, reason="the pure core never untracks")


class Flat(ferrule.Model):
    name: str
    age: int = 0
    score: float = 0.0
    ok: bool = True
    anything: Any = None


class Loose(ferrule.Model, validate_assignment=False):
    name: str
    anything: Any = None


class WithUuid(ferrule.Model):
    key: uuid.UUID


class Outer(ferrule.Model):
    inner: Flat


class Cached(ferrule.Model):
    n: int

    @ferrule.computed_field  # type: ignore[prop-decorator]
    @functools.cached_property
    def items(self) -> list[Any]:
        return [self]


class Finalised(ferrule.Model):
    """Counts its finalisations: a collected cycle runs `__del__`."""

    name: str
    anything: Any = None

    def __del__(self) -> None:
        FREED.append(self.name)


FREED: list[str] = []

ROW = {"name": "ann", "age": 3, "score": 1.5, "ok": False}


def _flat_instances() -> list[Any]:
    return [
        *Flat.validate_many([ROW, ROW]),
        *Flat.validate_json_many(b'[{"name": "ann"}, {"name": "bob"}]'),
    ]


def _batch_made(cls: Any, **values: Any) -> Any:
    """An instance from a batch: untracked under the native core when it holds only atoms."""
    (made,) = cls.validate_many([values])
    assert PURE_PYTHON or not gc.is_tracked(made), cls
    return made


@native_only
def test_an_instance_of_atoms_made_in_a_batch_is_not_tracked() -> None:
    for instance in _flat_instances():
        assert not gc.is_tracked(instance), instance


def test_a_single_construction_leaves_the_instance_tracked() -> None:
    # outside a batch the check is not worth its cost: nothing is untracked
    assert gc.is_tracked(Flat(name="ann", age=3))
    assert gc.is_tracked(Flat.model_validate(ROW))
    assert gc.is_tracked(Flat.model_validate_json(b'{"name": "ann"}'))


def test_an_instance_holding_a_collectable_object_is_tracked() -> None:
    assert gc.is_tracked(Flat(name="ann", anything=[1]))
    assert gc.is_tracked(Flat.model_validate({"name": "ann", "anything": {"a": 1}}))
    assert gc.is_tracked(Flat.model_validate_json(b'{"name": "ann", "anything": [1]}'))
    assert gc.is_tracked(WithUuid(key=uuid.uuid4()))
    assert gc.is_tracked(Outer(inner=Flat(name="ann")))
    assert gc.is_tracked(Outer.model_validate({"inner": ROW}))
    assert gc.is_tracked(Flat(name="ann").model_copy(update={"anything": [1]}))
    assert gc.is_tracked(Flat.model_construct(name="ann", anything=[1]))


def _writes() -> list[tuple[str, Any]]:
    """(route, a function that stores a list into an instance of atoms and returns it)."""

    def validated(m: Any) -> Any:
        m.anything = [m]
        return m

    def unvalidated(m: Any) -> Any:
        m.anything = [m]
        return m

    def forced(m: Any) -> Any:
        force_setattr(m, "anything", [m])
        return m

    def reinit(m: Any) -> Any:
        m.__init__(name="ann", anything=[m])
        return m

    def cached(m: Any) -> Any:
        assert m.items == [m]
        return m

    def copied(m: Any) -> Any:
        out = copy.copy(m)
        out.anything = [out]
        return out

    def unpickled(m: Any) -> Any:
        out = pickle.loads(pickle.dumps(m))
        out.anything = [out]
        return out

    return [
        ("validated assignment", validated),
        ("assignment without validation", unvalidated),
        ("force_setattr", forced),
        ("__init__ into an existing instance", reinit),
        ("cached computed field", cached),
        ("copy.copy", copied),
        ("pickle", unpickled),
    ]


@pytest.mark.parametrize(("route", "write"), _writes(), ids=[r for r, _ in _writes()])
def test_every_write_of_a_collectable_object_tracks_the_instance(route: str, write: Any) -> None:
    cls = {"assignment without validation": Loose, "cached computed field": Cached}.get(route, Flat)
    instance = _batch_made(cls, n=1) if cls is Cached else _batch_made(cls, name="ann")
    written = write(instance)
    assert gc.is_tracked(written), route


@pytest.mark.parametrize("route", ["validated", "forced", "reinit", "json", "copy"])
def test_a_cycle_made_after_construction_is_collected(route: str) -> None:
    gc.collect()
    FREED.clear()
    name = f"cycle-{route}"
    if route == "json":
        (m,) = Finalised.validate_json_many(b'[{"name": "%s"}]' % name.encode())
    else:
        m = _batch_made(Finalised, name=name)
    if route == "validated":
        m.anything = [m]
    elif route == "forced":
        force_setattr(m, "anything", {"self": m})
    elif route == "reinit":
        m.__init__(name=name, anything=[m])
    elif route == "json":
        m.anything = [m]
    else:
        m = copy.copy(m)
        m.anything = [m]
    del m
    gc.collect()
    assert FREED.count(name) == (2 if route == "copy" else 1), FREED  # a copy: two instances


def test_a_cycle_through_a_cached_computed_field_is_collected() -> None:
    class CachedFinalised(ferrule.Model):
        name: str

        @ferrule.computed_field  # type: ignore[prop-decorator]
        @functools.cached_property
        def items(self) -> list[Any]:
            return [self]

        def __del__(self) -> None:
            FREED.append(self.name)

    gc.collect()
    FREED.clear()
    for n in range(5):
        assert _batch_made(CachedFinalised, name=f"cached-{n}").items
    gc.collect()
    assert sorted(FREED) == [f"cached-{n}" for n in range(5)]


@native_only
def test_a_dict_field_default_keeps_the_instance_tracked() -> None:
    class WithDefault(ferrule.Model):
        name: str
        tags: list[str] = Field(default_factory=list)

    assert gc.is_tracked(WithDefault.validate_many([{"name": "ann"}])[0])
    assert not gc.is_tracked(Flat.validate_many([{"name": "ann"}])[0])
