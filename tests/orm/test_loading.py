"""Rows -> instances: the native builder and the pure twin agree, and neither trusts what a
row or a converter claims."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule.orm import loading

from .models import Author


def _both(rows: Any, plan: Any) -> tuple[Any, Any]:
    return loading.build(Author, rows, plan), loading._pure_rows(Author, rows, plan)


def _state(instance: Any) -> dict[str, Any]:
    return {name: getattr(instance, name, "<unset>") for name in ("id", "name", "born", "rating")}


def test_native_and_pure_builders_give_the_same_instances() -> None:
    plan = (("id", "name", "rating"), (2, 0, 1), (None, str.upper, None))
    rows = [("ada", 1, 10), ("bob", None, 11)]
    made, twin = _both(rows, plan)
    assert [_state(a) for a in made] == [_state(a) for a in twin]
    assert _state(made[0]) == {"id": 10, "name": "ADA", "born": "<unset>", "rating": 1}
    assert made[1].rating is None  # None is never converted, and trusted as loaded
    assert type(made[0]) is Author


class Lying(tuple):  # type: ignore[type-arg]
    def __len__(self) -> int:
        return 2**40

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("a tuple row is read by its own size, not through __getitem__")


class Mapping:
    """Not a tuple: read through ``__getitem__`` (as an ``asyncpg.Record``)."""

    def __getitem__(self, index: int) -> Any:
        return ("m", 7, 3)[index]


@pytest.mark.parametrize("build", [loading.build, loading._pure_rows])
def test_hostile_rows_are_errors_not_crashes(build: Any) -> None:
    plan = (("id", "name", "rating"), (2, 0, 1), (None, None, None))
    assert [_state(a) for a in build(Author, [Lying(("x", 1, 2))], plan)] == [
        {"id": 2, "name": "x", "born": "<unset>", "rating": 1}
    ]
    assert build(Author, [Mapping()], plan)[0].id == 3
    with pytest.raises(IndexError):
        build(Author, [("short",)], plan)
    with pytest.raises(TypeError):
        build(Author, 5, plan)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no field"):
        build(Author, [("x",)], (("nope",), (0,), (None,)))
    with pytest.raises(ValueError, match="named twice"):
        build(Author, [("x",)], (("name", "name"), (0, 0), (None, None)))
    with pytest.raises(ValueError, match="same length"):
        build(Author, [("x",)], (("name",), (0, 1), (None,)))


@pytest.mark.parametrize("build", [loading.build, loading._pure_rows])
def test_a_converter_that_raises_or_mutates_the_rows_is_contained(build: Any) -> None:
    rows: list[Any] = [("a", 1, 1), ("b", 2, 2), ("c", 3, 3)]

    def shrink(value: Any) -> Any:
        rows.clear()  # the builder re-reads the list's length
        return value

    made = build(Author, rows, (("name",), (0,), (shrink,)))
    assert [a.name for a in made] == ["a"]

    def fail(value: Any) -> Any:
        raise KeyError("converter failed")

    with pytest.raises(KeyError, match="converter failed"):
        build(Author, [("a",)], (("name",), (0,), (fail,)))


def test_validate_on_load_rechecks_constraints() -> None:
    from ferrule.errors import ValidationError

    plan = (("id", "name", "rating"), (0, 1, 2), (None, None, None))
    rows = [(1, "x" * 200, 0)]  # longer than max_length=100: trusted unless asked
    assert loading.build(Author, rows, plan)[0].name == "x" * 200
    with pytest.raises(ValidationError):
        loading.build(Author, rows, plan, validate=True)


def test_the_collector_is_switched_back_on_after_a_build_even_a_failed_one() -> None:
    import gc

    plan = (("name",), (0,), (None,))
    assert gc.isenabled()
    loading.build(Author, [("a",)] * 1000, plan)
    assert gc.isenabled()

    def fail(value: Any) -> Any:
        raise KeyError(value)

    with pytest.raises(KeyError):
        loading.build(Author, [("a",)], (("name",), (0,), (fail,)))
    assert gc.isenabled()
    gc.disable()
    try:
        loading.build(Author, [("a",)], plan)
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()
