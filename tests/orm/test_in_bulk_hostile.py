"""Hostile input to ``in_bulk()``, ``latest()``/``earliest()`` and sliced writes: keys whose
``__eq__``/``__hash__`` raise, iterables whose ``__len__`` lies or raises, generators, names
that are not field names, slices that are not of ints. Each gives the exact answer (checked
against the rows the test made) or a typed error, and nothing is written by a refused call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ferrule.errors import FerruleError, FieldError

from .conftest import opened
from .models import Author

NAMES = {"ann": 5, "bo": 1, "cy": 3}


class Unhashable(int):
    """An int whose comparison and hash raise: only its value may be read."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ called")

    def __hash__(self) -> int:
        raise RuntimeError("__hash__ called")


class HostileStr(str):
    """A str whose comparison, hash and text methods raise or lie."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ called")

    def __hash__(self) -> int:
        raise RuntimeError("__hash__ called")

    def startswith(self, *args: Any) -> bool:  # type: ignore[override]
        return not str.startswith(self, *args)

    def __format__(self, spec: str) -> str:
        return "id"

    def __str__(self) -> str:
        return "id"

    def __getitem__(self, key: Any) -> str:  # type: ignore[override]
        return "id"


class Keys:
    """An iterable of ``keys`` whose ``__len__`` says ``length`` (or raises when None)."""

    def __init__(self, keys: list[Any], length: int | None) -> None:
        self.keys, self.length = keys, length

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys)

    def __len__(self) -> int:
        if self.length is None:
            raise RuntimeError("__len__ called")
        return self.length


async def _made() -> dict[str, Author]:
    return {name: await Author.create(name=name, rating=r) for name, r in NAMES.items()}


async def _state() -> list[tuple[str, int]]:
    return sorted(await Author.values_list("name", "rating"))


@pytest.mark.parametrize("length", [0, 1, 10**6, 2**62, None], ids=str)
async def test_in_bulk_reads_every_key_whatever_len_says(url: str, length: int | None) -> None:
    async with opened(url):
        made = await _made()
        ids = [made["ann"].id, made["cy"].id]
        found = await Author.in_bulk(Keys(ids, length))  # type: ignore[arg-type]
        assert {k: a.name for k, a in found.items()} == {ids[0]: "ann", ids[1]: "cy"}
        by_name = await Author.in_bulk(Keys(["bo", "zed"], length), field_name="name")  # type: ignore[arg-type]
        assert {k: a.id for k, a in by_name.items()} == {"bo": made["bo"].id}


async def test_in_bulk_of_a_generator_and_of_a_dict(url: str) -> None:
    async with opened(url):
        made = await _made()
        found = await Author.in_bulk(a.id for a in made.values() if a.rating > 1)
        assert sorted(a.name for a in found.values()) == ["ann", "cy"]
        found = await Author.in_bulk({made["bo"].id: "x"})
        assert [a.name for a in found.values()] == ["bo"]
        many = await Author.in_bulk(k for k in range(-1500, 1500) if k != 0)  # two batches
        assert sorted(a.name for a in many.values()) == sorted(
            a.name for a in made.values() if -1500 <= a.id < 1500
        )


async def test_a_generator_that_raises_runs_nothing(url: str) -> None:
    async with opened(url):
        made = await _made()

        def keys() -> Iterator[int]:
            yield made["ann"].id
            raise KeyError("from the generator")

        with pytest.raises(KeyError, match="from the generator"):
            await Author.in_bulk(keys())
        assert await _state() == sorted(NAMES.items())


async def test_keys_whose_eq_and_hash_raise(url: str) -> None:
    async with opened(url):
        made = await _made()
        key = Unhashable(made["cy"].id)
        try:
            found = await Author.in_bulk([key, Unhashable(10**6)])
        except FerruleError:
            pass  # a typed refusal is an answer too
        else:
            assert {k: a.name for k, a in found.items()} == {made["cy"].id: "cy"}
            assert all(type(k) is int for k in found)
        try:
            by_name = await Author.in_bulk([HostileStr("bo")], field_name="name")
        except FerruleError:
            pass
        else:
            assert {k: a.id for k, a in by_name.items()} == {"bo": made["bo"].id}
            assert all(type(k) is str for k in by_name)


@pytest.mark.parametrize(
    "keys", [None, 5, "ann", b"ann", object()], ids=["none-field", "int", "str", "bytes", "object"]
)
async def test_what_is_not_a_list_of_keys_is_refused(url: str, keys: Any) -> None:
    async with opened(url):
        await _made()
        if keys is None:
            with pytest.raises(FieldError):
                await Author.in_bulk([1], field_name=None)  # type: ignore[arg-type]
            return
        with pytest.raises(TypeError, match="list"):
            await Author.in_bulk(keys)


async def test_keys_of_the_wrong_type_are_a_typed_error_or_no_row(url: str) -> None:
    async with opened(url):
        made = await _made()
        for wrong in (["ann"], [None], [1.5], [object()]):
            try:
                found = await Author.in_bulk(wrong)
            except FerruleError:
                continue
            assert found == {}, wrong
        assert [a.name for a in (await Author.in_bulk([made["ann"].id])).values()] == ["ann"]


@pytest.mark.parametrize("method", ["latest", "earliest"])
@pytest.mark.parametrize("name", [5, None, b"rating", ("rating",), HostileStr("-rating")])
async def test_latest_names_are_field_names(url: str, method: str, name: Any) -> None:
    async with opened(url):
        await _made()
        call = getattr(Author.all(), method)
        if isinstance(name, str):  # the text it holds, whatever its methods say
            got = await call(name)
            expected = "bo" if method == "latest" else "ann"  # by -rating
            assert got.name == expected
            return
        with pytest.raises(FieldError):
            await call(name)


@pytest.mark.parametrize(
    "key",
    [slice(None, 2.5), slice(0.5, 2), slice("a", None), slice(None, "2"), slice(None, None, 2)],
    ids=["stop-float", "start-float", "start-str", "stop-str", "step"],
)
async def test_a_slice_of_other_than_ints_is_refused_before_any_write(url: str, key: Any) -> None:
    async with opened(url):
        await _made()
        before = await _state()
        with pytest.raises((TypeError, ValueError, FerruleError)):
            await Author.order_by("rating")[key].update(rating=100)
        with pytest.raises((TypeError, ValueError, FerruleError)):
            await Author.order_by("rating")[key].delete()
        assert await _state() == before


async def test_a_sliced_write_with_hostile_order_names(url: str) -> None:
    async with opened(url):
        await _made()
        with pytest.raises(FieldError):
            await Author.order_by(5)[:1].update(rating=100)  # type: ignore[arg-type]
        assert await _state() == sorted(NAMES.items())
        # the text "-rating" whatever its methods say: the highest rating goes
        assert await Author.order_by(HostileStr("-rating"))[:1].delete() == 1
        assert await _state() == [("bo", 1), ("cy", 3)]
