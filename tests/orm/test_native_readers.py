"""The native core's readers and loaders against what they stand in for.

``FieldReader`` (a plain model's insert and save read their values with it) against
``operator.attrgetter`` with ``orm.persistence``'s unsigned float zero: for every kind of
object, hostile ones included, the same tuple or the same error. ``model_rows`` keeps the
loader it checked and built for a plan's very tuples (``Loader::shared``): every plan, in any
order and more of them than it keeps, still builds what a fresh plan builds."""

from __future__ import annotations

import math
import operator
from types import SimpleNamespace
from typing import Any

import pytest

from ferrule import Model
from ferrule.models._core import PURE_PYTHON
from ferrule.orm.columns import unsigned_zero

from .models import Author

if PURE_PYTHON:  # (before the module's objects: the twin would build them otherwise)
    pytest.skip("the native core's readers", allow_module_level=True)

NAMES = ("name", "rating", "born", "id")


def reference(names: tuple[str, ...], places: tuple[int, ...], obj: Any) -> Any:
    """What the pure path reads: attrgetter, then the zeros at ``places`` unsigned."""
    try:
        values = operator.attrgetter(*names)(obj)
    except Exception as exc:
        return (type(exc), str(exc))
    if len(names) == 1:
        values = (values,)
    return tuple(unsigned_zero(v) if i in places else v for i, v in enumerate(values))


def native(names: tuple[str, ...], places: tuple[int, ...], obj: Any) -> Any:
    from ferrule._ferrule import FieldReader

    try:
        return FieldReader(Author, names, places)(obj)
    except Exception as exc:
        return (type(exc), str(exc))


class Shadowing(Author):
    """A subclass, given a property in front of a field's slot once made."""


# (ModelMeta refuses this assignment; the readers must still cope with what gets past it)
type.__setattr__(Shadowing, "rating", property(lambda self: 99))


class Raising:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name} today")


def objects() -> list[tuple[str, Any]]:
    unset = Author.model_construct(name="x")  # rating, born and id never set
    return [
        ("instance", Author(name="ann", rating=3)),
        ("instance with key", Author(id=7, name="bob")),
        ("unset fields", unset),
        ("namespace", SimpleNamespace(name="n", rating=-0.0, born=None, id=1)),
        ("shadowing subclass", Shadowing(name="sub", rating=1)),
        ("raising getattr", Raising()),
        ("missing attributes", object()),
        ("a str", "not a model"),
    ]


@pytest.mark.parametrize(("label", "obj"), objects(), ids=[label for label, _ in objects()])
@pytest.mark.parametrize("places", [(), (1,), (0, 1, 2, 3)])
def test_field_reader_reads_what_attrgetter_reads(label: str, obj: Any, places: tuple) -> None:
    got = native(NAMES, places, obj)
    want = reference(NAMES, places, obj)
    assert got == want
    if not isinstance(want[0], type):  # the values themselves: the same objects
        for a, b in zip(got, want, strict=True):
            assert a is b or (type(a) is float and a == b)


class Floats(Model):
    x: float
    y: float = 0.0


@pytest.mark.parametrize("value", [-0.0, 0.0, 1.5, -2.0, math.inf, -math.inf])
def test_field_reader_unsigns_float_zeros_only(value: float) -> None:
    from ferrule._ferrule import FieldReader

    obj = Floats(x=value, y=value)
    got = FieldReader(Floats, ("x", "y"), (0,))(obj)
    assert math.copysign(1.0, got[0]) == math.copysign(1.0, value + 0.0)
    assert math.copysign(1.0, got[1]) == math.copysign(1.0, value)  # not at a place: kept
    assert got == (value, value)
    nan = FieldReader(Floats, ("x",), (0,))(Floats(x=math.nan))[0]
    assert math.isnan(nan)


def test_field_reader_refuses_what_is_no_field() -> None:
    from ferrule._ferrule import FieldReader

    with pytest.raises(ValueError, match="has no field"):
        FieldReader(Author, ("name", "nope"))
    with pytest.raises(ValueError, match="no value at position 2"):
        FieldReader(Author, ("name", "id"), (2,))
    with pytest.raises(TypeError):
        FieldReader(Author, ("name", 5))  # type: ignore[arg-type]


class Lying(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash("rating")


def test_field_reader_reads_what_getattr_reads_for_a_lying_name() -> None:
    """A name that spells one field and hashes as another: Python's getattr finds the other
    (by hash); the reader reads that one too, not the slot the spelling names."""
    from ferrule._ferrule import FieldReader

    obj = Author(name="ann", rating=4)
    got = FieldReader(Author, (Lying("name"),))(obj)
    assert got == reference((Lying("name"),), (), obj) == (4,)


def test_model_rows_keeps_building_what_each_plan_says() -> None:
    """More plans than the core keeps, in turn, each run twice: each builds what the same
    plan made of new tuples builds (no loader is taken for another plan's)."""
    from ferrule._ferrule import model_rows

    rows = [(i, f"n{i}", i % 5) for i in range(4)]
    fields = ("id", "name", "rating")
    plans = []
    for k in range(40):
        order = (fields[k % 3], fields[(k + 1) % 3], fields[(k + 2) % 3])
        positions = tuple(fields.index(name) for name in order)
        suffix = f"-{k}"
        converters = tuple((lambda v, s=suffix: v + s) if n == "name" else None for n in order)
        plans.append((order, positions, converters))
    for _ in range(2):
        for order, positions, converters in plans:
            got = model_rows(Author, rows, order, positions, converters)
            fresh = model_rows(Author, rows, tuple(order), tuple(positions), tuple(converters))
            want = [
                {
                    "id": r[0],
                    "name": converters[order.index("name")](r[1]),
                    "rating": r[2],
                }
                for r in rows
            ]
            assert [o.model_dump(include=set(fields)) for o in got] == want
            assert [o.model_dump(include=set(fields)) for o in fresh] == want


def test_model_rows_checks_a_kept_plan_against_its_class() -> None:
    """A plan's tuples given with another class are checked against that class."""
    from ferrule._ferrule import model_rows

    class Other(Model):
        id: int

    plan = (("id", "name"), (0, 1), (None, None))
    assert model_rows(Author, [(1, "a")], *plan)[0].name == "a"
    with pytest.raises(ValueError, match="has no field name"):
        model_rows(Other, [(1, "a")], *plan)
