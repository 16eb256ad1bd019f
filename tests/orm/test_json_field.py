"""A JSON field answers alike on SQLite, PostgreSQL and MariaDB, with Python's ``==`` as the
reference.

* A value comes back as it was written: every finite float as the same float (PostgreSQL's
  ``jsonb`` keeps numbers as ``numeric``, which printed ``1e16`` back as the int
  10000000000000000), every int as the same int (SQLite's ``JSON`` column had numeric affinity:
  a top-level ``1.0`` came back as ``1``, ``10**30`` as ``1e30``). ``-0.0`` is written as
  ``0.0`` everywhere (``numeric`` has no negative zero). NaN and infinities are refused.
* ``filter(data=v)``, ``exclude`` and ``__in`` find the rows whose value equals ``v`` as JSON
  values compare: Python's ``==`` (key order and ``1`` vs ``1.0`` do not matter), except that
  ``true``/``false`` are not the numbers 1 and 0 (as in ``jsonb`` and JSON Schema), and numbers
  compare by the decimal written in the text (a float by its shortest ``repr``). SQLite and
  MariaDB compared the stored text before.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import pytest

from ferrule import errors, orm

from .conftest import opened
from .models import Everything

FLOATS = [
    1e16,
    1e300,
    1.7976931348623157e308,
    5e-324,  # the smallest subnormal
    2.225073858507201e-308,  # the largest subnormal
    2.2250738585072014e-308,  # the smallest normal
    -1e-300,
    1e-7,
    0.1,
    1.0,
    0.0,
    2.5,
    1e22,
    1e23,
    123456789012345678.0,
    9007199254740993.0,
    -3.4028234663852886e38,
]
INTS = [0, -1, 2**53 + 1, 2**63, -(2**64), 10**30, -(10**100), 10**400]


def _same(got: Any, want: Any) -> bool:
    """Equal, and of the same types throughout (a float as a float with the same bits)."""
    if type(got) is not type(want):
        return False
    if isinstance(want, float):
        return got.hex() == want.hex()
    if isinstance(want, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return len(got) == len(want) and all(map(_same, got, want))
    return bool(got == want)


async def _read_back(value: Any) -> list[Any]:
    """``value`` stored by create, bulk_create and update, and read by get, values_list and
    refresh_from_db."""
    made = await Everything.create(data=value)
    await Everything.bulk_create([Everything(data=value) for _ in range(2)])
    other = await Everything.create(data=None)
    await Everything.filter(id=other.id).update(data=value)
    ids = [row.id for row in await Everything.all().order_by("id")]
    seen = [(await Everything.get(id=i)).data for i in ids]
    seen += await Everything.all().order_by("id").values_list("data", flat=True)
    await made.refresh_from_db()
    return [*seen, made.data]


@pytest.mark.parametrize("number", FLOATS + INTS, ids=repr)
async def test_numbers_come_back_as_they_were_written(url: str, number: Any) -> None:
    async with opened(url):
        for value in ({"v": number, "in": [number, {"x": number}]}, [number], number):
            await Everything.all().delete()
            for got in await _read_back(value):
                assert _same(got, value), (value, got)


async def test_negative_zero_is_written_as_zero(url: str) -> None:
    async with opened(url):
        value = {"z": -0.0, "a": [-0.0]}
        for got in await _read_back(value):
            assert _same(got, {"z": 0.0, "a": [0.0]}) and got == value  # equal by ==


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=repr)
async def test_nan_and_infinity_are_refused(url: str, bad: float) -> None:
    async with opened(url):
        for value in ({"v": bad}, [1, [bad]], bad):
            with pytest.raises(errors.InterfaceError, match="NaN or Infinity"):
                await Everything.create(data=value)
            with pytest.raises(errors.InterfaceError, match="NaN or Infinity"):
                await Everything.bulk_create([Everything(data=value)])
        assert await Everything.all().count() == 0


def _tagged(value: Any) -> Any:
    """``value`` with each bool set apart from the numbers, so that Python's ``==`` on the
    result is JSON's equality (``true`` is not ``1``)."""
    if isinstance(value, bool):
        return ("json bool", value)
    if isinstance(value, dict):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    return value


def _deep(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


#: (stored, asked): equal by Python's == or not, the bool rule aside
PAIRS = [
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ({"a": [1.0, 2]}, {"a": [1, 2.0]}),
    ({"b": 1, "a": [1.0, 2]}, {"a": [1, 2], "b": 1.0}),
    ({"a": {"x": 1, "y": [1, {"p": 2, "q": 3}]}}, {"a": {"y": [1.0, {"q": 3, "p": 2}], "x": 1}}),
    ({"a": 10**20}, {"a": 1e20}),
    ([10**20], [1e20]),
    ([2**53 + 1], [2.0**53]),
    ([0.1], [0.1]),
    ([0.1], [0.2]),
    ([1], [True]),
    ([0], [False]),
    ({"t": True}, {"t": 1.0}),
    ([True], [True]),
    ([None], [None]),
    ([None], [0]),
    ([1, 2], [2, 1]),
    ({"a": 1}, {"a": 1, "b": None}),
    (1, 1.0),
    (1, True),
    (0.0, -0.0),
    ("x", "x"),
    ("1", 1),
    ('é"\\\n\t\u2028😀', 'é"\\\n\t\u2028😀'),
    ("é", "e\u0301"),
    ({"é": 1, "e": 2}, {"e": 2, "é": 1}),
    ({"a": "A"}, {"a": "a"}),
    ([], {}),
    ([[]], [[]]),
    ({}, {}),
    (10**40, 10**40 + 1),
    (123456789012345678901234567890, 123456789012345678901234567890),
    (_deep(31, 1), _deep(31, 1.0)),
    (_deep(31, 1), _deep(40, 1)),
]


@pytest.mark.parametrize(("stored", "asked"), PAIRS, ids=repr)
async def test_equality_is_python_equality(url: str, stored: Any, asked: Any) -> None:
    equal = _tagged(stored) == _tagged(asked)
    async with opened(url):
        await Everything.create(data=stored)
        await Everything.create(data=None)
        assert await Everything.filter(data=asked).count() == int(equal)
        assert await Everything.filter(data__in=[asked, "nothing"]).count() == int(equal)
        # as in Django, exclude() keeps the NULL row: the complement of filter()
        assert await Everything.exclude(data=asked).count() == 2 - int(equal)
        assert await Everything.exclude(data__in=[asked]).count() == 2 - int(equal)
        assert await Everything.filter(orm.Q(data=asked) | orm.Q(id=-1)).count() == int(equal)
        assert await Everything.filter(~orm.Q(data=asked)).count() == 2 - int(equal)


#: where the rule is not Python's ``==``: an int and a float compare by the float's shortest
#: decimal (what the text holds, and what ``jsonb``'s ``numeric`` compares), not its binary value
BY_DECIMAL = [
    ([2**70], [2.0**70], False),  # 2**70 == 2.0**70, but 2.0**70 is written 1.1805916207174113e21
    ([10**23], [1e23], True),  # 10**23 != 1e23 (a double), but 1e23 is written 1e23
]


@pytest.mark.parametrize(("stored", "asked", "equal"), BY_DECIMAL, ids=repr)
async def test_ints_and_floats_compare_by_the_written_decimal(
    url: str, stored: Any, asked: Any, equal: bool
) -> None:
    assert (stored == asked) is not equal  # the documented difference from Python
    async with opened(url):
        await Everything.create(data=stored)
        assert await Everything.filter(data=asked).count() == int(equal)
        assert await Everything.exclude(data=asked).count() == 1 - int(equal)


async def test_null_means_sql_null(url: str) -> None:
    async with opened(url):
        await Everything.create(data=None)
        await Everything.create(data=[None])
        await Everything.create(data={"a": None})
        assert await Everything.filter(data=None).count() == 1
        assert await Everything.filter(data__isnull=True).count() == 1
        assert await Everything.filter(data__isnull=False).count() == 2
        assert await Everything.exclude(data=None).count() == 2
        assert await Everything.filter(data__in=[None, [None]]).count() == 1
        assert await Everything.filter(data=[None]).count() == 1


async def test_the_same_value_is_found_by_every_spelling(url: str) -> None:
    """One stored value, every equal spelling of it found, the unequal ones not."""
    stored = {"n": 1, "list": [1.5, {"k": "v", "j": 10**20}], "s": "é"}
    equal = [
        {"s": "é", "list": [1.5, {"j": 1e20, "k": "v"}], "n": 1.0},
        {"list": [1.5, {"k": "v", "j": 10**20}], "n": 1, "s": "é"},
    ]
    unequal = [
        {"s": "é", "list": [1.5, {"j": 1e20, "k": "v"}], "n": True},
        {"s": "é", "list": [{"j": 1e20, "k": "v"}, 1.5], "n": 1},
        {"s": "É", "list": [1.5, {"j": 1e20, "k": "v"}], "n": 1},
    ]
    async with opened(url):
        await Everything.create(data=stored)
        for value in equal:
            assert await Everything.filter(data=value).count() == 1, value
        for value in unequal:
            assert await Everything.filter(data=value).count() == 0, value
        assert await Everything.filter(data__in=unequal + equal[:1]).count() == 1
        assert await Everything.filter(data__in=unequal).count() == 0


def test_reference_is_python() -> None:
    """The rules above are Python's own (the bool rule aside)."""
    assert sys.float_info.max == 1.7976931348623157e308
    assert 10**20 == 1e20 and 2**53 + 1 != 2.0**53 and {"a": 1, "b": 2} == {"b": 2, "a": 1}
    assert _tagged([1]) != _tagged([True]) and [1] == [True]
