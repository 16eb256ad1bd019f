"""``union()``, ``intersection()`` and ``difference()`` with Django's rules: after them only
``order_by()``, slicing, ``values()``/``values_list()``, ``count()``, ``exists()``, ``get()``,
``first()``/``last()``; ``union(all=True)`` keeps repeats; an ``EmptyQuerySet`` drops out as in
Django. Answers are Python's set operations over the inserted rows, on SQLite, PostgreSQL and
MariaDB (text compared code point by code point: "a", "A" and "a " are three values)."""

from __future__ import annotations

from collections import Counter

import pytest

from ferrule import orm
from ferrule.errors import ORMError

from .conftest import opened
from .models import Author, Post

NAMES = {"ann": 1, "Ann": 2, "ann ": 3, "bob": 4, "cy": 5, "dee": 0}


async def _rows() -> None:
    for name, rating in NAMES.items():
        await Author.create(name=name, rating=rating)


def _names(keep: object) -> set[str]:
    return {n for n, r in NAMES.items() if keep(r)}  # type: ignore[operator]


async def test_set_operations_answer_as_python_sets(url: str) -> None:
    async with opened(url):
        await _rows()
        low = Author.filter(rating__lte=3)
        high = Author.filter(rating__gte=2)
        odd = Author.filter(rating__in=[1, 3, 5])
        low_names = _names(lambda r: r <= 3)
        high_names = _names(lambda r: r >= 2)
        odd_names = _names(lambda r: r % 2 == 1)

        found = await low.union(high)
        assert sorted(a.name for a in found) == sorted(low_names | high_names)
        assert all(isinstance(a, Author) for a in found)
        found = await low.intersection(high, odd)
        assert {a.name for a in found} == low_names & high_names & odd_names
        found = await low.difference(high)
        assert {a.name for a in found} == low_names - high_names
        assert await low.union(high).count() == len(low_names | high_names)
        assert await low.difference(low).exists() is False
        assert await low.intersection(odd).exists() is True

        ratings = low.values_list("rating", flat=True)
        assert sorted(
            await ratings.union(high.values_list("rating", flat=True), all=True)
        ) == sorted([r for r in NAMES.values() if r <= 3] + [r for r in NAMES.values() if r >= 2])
        both = low.values_list("name").union(odd.values_list("name"), all=True)
        assert Counter(n for (n,) in await both) == Counter(
            [*sorted(low_names), *sorted(odd_names)]
        )
        assert await both.count() == len(low_names) + len(odd_names)

        ordered = low.union(high).order_by("-rating")
        assert [a.name for a in await ordered] == sorted(
            low_names | high_names, key=lambda n: -NAMES[n]
        )
        assert [a.name for a in await ordered[1:3]] == [
            n for n in sorted(low_names | high_names, key=lambda n: -NAMES[n])
        ][1:3]
        named = await low.union(odd).order_by("name").values_list("name", "rating", named=True)
        assert [(r.name, r.rating) for r in named] == sorted(
            (n, NAMES[n]) for n in low_names | odd_names
        )
        values = await low.union(odd).order_by("name").values("name")
        assert values == [{"name": n} for n in sorted(low_names | odd_names)]
        first = await low.union(odd).order_by("rating").first()
        assert first is not None and first.name == min(low_names | odd_names, key=NAMES.get)
        one = await Author.filter(name="bob").union(Author.filter(name="bob")).get()
        assert one.name == "bob"


async def test_empty_querysets_drop_out_as_in_django(url: str) -> None:
    async with opened(url):
        await _rows()
        some = Author.filter(rating__gte=4)
        assert {a.name for a in await some.union(Author.none())} == _names(lambda r: r >= 4)
        assert {a.name for a in await Author.none().union(some)} == _names(lambda r: r >= 4)
        assert await Author.none().union(Author.none()) == []
        assert await some.intersection(Author.none()) == []
        assert {a.name for a in await some.difference(Author.none())} == _names(lambda r: r >= 4)
        assert await Author.none().difference(some) == []


async def test_what_cannot_follow_or_enter_a_combination(url: str) -> None:
    async with opened(url):
        await _rows()
        combined = Author.filter(rating=1).union(Author.filter(rating=2))
        for call in (
            lambda: combined.filter(name="x"),
            lambda: combined.exclude(name="x"),
            lambda: combined.annotate(n=orm.Count("posts")),
            lambda: combined.distinct(),
            lambda: combined.select_related("profile"),
            lambda: combined.only("name"),
        ):
            with pytest.raises(ORMError, match=r"Author.*after union\(\)"):
                call()
        with pytest.raises(ORMError, match=r"Author.*after union\(\)"):
            await combined.update(rating=3)
        with pytest.raises(ORMError, match=r"Author.*after union\(\)"):
            await combined.delete()
        with pytest.raises(ORMError, match=r"Author.*after union\(\)"):
            await combined.aggregate(n=orm.Count("id"))
        with pytest.raises(ORMError, match=r"Author.*order"):
            await Author.order_by("name").union(Author.all())
        with pytest.raises(ORMError, match=r"Author.*slice"):
            await Author.all()[:2].union(Author.all())
        with pytest.raises(ORMError, match="Author"):
            await Author.all().union(Post.all())
        with pytest.raises(ORMError, match="Author"):
            await Author.values_list("name").union(Author.values_list("rating"))
        with pytest.raises(ORMError, match="Author"):
            Author.all().union(Author.all(), 5)  # type: ignore[arg-type]
        with pytest.raises(ORMError, match="nonsense"):
            await combined.order_by("nonsense")
        with pytest.raises(TypeError):
            Author.all().intersection(Author.all(), all=True)  # type: ignore[call-arg]


async def test_get_with_conditions_after_a_combination_is_refused(url: str) -> None:
    async with opened(url):
        await _rows()
        combined = Author.filter(rating=1).union(Author.filter(rating=2))
        with pytest.raises(ORMError, match=r"Author: get\(\) with conditions after union\(\)"):
            await combined.get(name="ann")
        with pytest.raises(Author.MultipleObjectsReturned):
            await combined.get()


async def test_a_combination_streams_and_caches(url: str) -> None:
    async with opened(url):
        await _rows()
        combined = Author.filter(rating__lte=1).union(Author.filter(rating__gte=5))
        expected = sorted(_names(lambda r: r <= 1 or r >= 5))
        streamed = [a.name async for a in combined.order_by("name").iterator(chunk_size=1)]
        assert streamed == expected
        cached = combined.order_by("name").cached(30)
        assert [a.name for a in await cached] == expected
        await Author.filter(name="cy").update(rating=3)  # a write empties its entries
        assert [a.name for a in await cached] == [n for n in expected if n != "cy"]
