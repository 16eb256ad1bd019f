"""``backends.base.to_records``: driver rows → ``Record``s, native and pure, with the answers of
calling the class per row — also for classes and rows it must not build by hand."""

from __future__ import annotations

import datetime as dt
import decimal
import gc
from typing import Any

import pytest

from ferrule.backends.base import Record, record_class, to_records
from ferrule.errors import pure_python_requested

PURE = pure_python_requested()


class Counted(tuple[Any, ...]):
    """A tuple subclass that runs code at construction: must go through ``cls(row)``."""

    made = 0

    def __new__(cls, row: Any) -> Counted:
        Counted.made += 1
        return super().__new__(cls, row)


class WithInit(tuple[Any, ...]):
    seen: list[Any] = []

    def __init__(self, row: Any) -> None:
        WithInit.seen.append(row)


class WithDict(tuple[Any, ...]):
    """Adds a ``__dict__``: not tuple's layout."""


class RowSubclass(tuple[Any, ...]):
    pass


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [(1, "a"), (2, "b")],
        ((1, "a"), (2, "b")),
        [(1, "a"), [2, "b"], RowSubclass((3, "c"))],  # not exact tuples: cls(row)
        [(), (1,), (1, 2, 3)],  # lengths that differ from the column list: the row's own
    ],
)
def test_records_match_calling_the_class(rows: Any) -> None:
    cls = record_class(("id", "name"))
    got = to_records(cls, rows)
    want = [cls(row) for row in rows]
    assert got == want
    assert [type(r) for r in got] == [cls] * len(want)
    assert [tuple(r) for r in got] == [tuple(r) for r in want]


def test_record_answers_by_name() -> None:
    cls = record_class(("id", "name"))
    (row,) = to_records(cls, [(7, "x")])
    assert row["name"] == "x" and row[0] == 7 and list(row.keys()) == ["id", "name"]
    assert isinstance(row, Record)
    gc.collect()  # sound objects for the collector, tracked or not
    assert row == (7, "x")


@pytest.mark.parametrize("cls", [Counted, WithInit, WithDict])
def test_classes_with_code_or_storage_go_through_the_call(cls: type) -> None:
    Counted.made = 0
    WithInit.seen = []
    rows = [(1, 2), (3, 4)]
    got = to_records(cls, rows)  # type: ignore[arg-type]
    assert [type(r) for r in got] == [cls, cls]
    assert [tuple(r) for r in got] == rows
    if cls is Counted:
        assert Counted.made == 2
    if cls is WithInit:
        assert WithInit.seen == rows


def test_a_class_that_is_not_a_tuple_goes_through_the_call() -> None:
    assert to_records(list, [(1, 2)]) == [[1, 2]]  # type: ignore[arg-type]


@pytest.mark.parametrize("rows", [None, 5, "ab", {(1, 2)}, iter([(1, 2)])])
def test_rows_must_be_a_list_or_tuple(rows: Any) -> None:
    with pytest.raises(TypeError, match="needs a list or tuple of rows"):
        to_records(record_class(("a", "b")), rows)


def test_a_row_that_fails_to_convert_propagates() -> None:
    class Bad:
        def __iter__(self) -> Any:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        to_records(record_class(("a",)), [(1,), Bad()])


PLAIN_VALUES = (1, "s", b"b", 1.5, None, True, decimal.Decimal("1.5"), dt.date(2020, 1, 2))


@pytest.mark.skipif(PURE, reason="the pure core builds records with cls(row): always tracked")
def test_rows_of_plain_values_are_left_out_of_the_collector() -> None:
    cls = record_class(tuple(f"c{i}" for i in range(len(PLAIN_VALUES) + 1)))
    plain, nested, holding_a_list = to_records(
        cls, [PLAIN_VALUES, (*PLAIN_VALUES[:-1], (1, "x")), (*PLAIN_VALUES, [1])]
    )
    assert not gc.is_tracked(plain)
    # a tuple of plain values inside: untracked once CPython has untracked that tuple itself
    assert gc.is_tracked(nested) is gc.is_tracked(nested[-1])
    assert gc.is_tracked(holding_a_list)  # a list can join a cycle: the collector must see it


def test_a_record_in_a_cycle_is_collected() -> None:
    cls = record_class(("a",))
    box: list[Any] = []
    (row,) = to_records(cls, [(box,)])
    box.append(row)  # row -> box -> row
    assert gc.is_tracked(row)
    del row, box
    gc.collect()
    assert not any(type(o) is cls for o in gc.get_objects())
