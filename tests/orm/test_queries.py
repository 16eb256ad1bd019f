"""QuerySets: lookups, Q/F, ordering, slicing, aggregates, values, updates and deletes —
the same answers on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError

from .conftest import opened
from .models import Author, Post

NAMES = ["alpha", "Alpine", "beta", "gamma_1", "gamma%2", "delta"]


async def _authors() -> list[Author]:
    return [await Author.create(name=name, rating=index) for index, name in enumerate(NAMES)]


async def _names(qs: object) -> list[str]:
    return sorted(a.name for a in await qs)  # type: ignore[attr-defined]


async def test_text_lookups(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await _names(Author.filter(name="alpha")) == ["alpha"]
        assert await _names(Author.filter(name__iexact="ALPHA")) == ["alpha"]
        assert await _names(Author.filter(name__contains="lp")) == ["Alpine", "alpha"]
        assert await _names(Author.filter(name__contains="LP")) == []
        assert await _names(Author.filter(name__icontains="LP")) == ["Alpine", "alpha"]
        assert await _names(Author.filter(name__startswith="al")) == ["alpha"]
        assert await _names(Author.filter(name__istartswith="al")) == ["Alpine", "alpha"]
        assert await _names(Author.filter(name__endswith="ta")) == ["beta", "delta"]
        assert await _names(Author.filter(name__iendswith="TA")) == ["beta", "delta"]
        # LIKE wildcards in the value are plain characters
        assert await _names(Author.filter(name__contains="_")) == ["gamma_1"]
        assert await _names(Author.filter(name__contains="%")) == ["gamma%2"]
        assert await _names(Author.filter(name__startswith="gamma_")) == ["gamma_1"]


async def test_comparison_and_set_lookups(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await _names(Author.filter(rating__gt=3)) == ["delta", "gamma%2"]
        assert await _names(Author.filter(rating__gte=4, rating__lt=5)) == ["gamma%2"]
        assert await _names(Author.filter(rating__lte=0)) == ["alpha"]
        assert await _names(Author.filter(rating__in=[1, 2])) == ["Alpine", "beta"]
        assert await _names(Author.filter(rating__in=[])) == []
        assert await _names(Author.filter(rating__range=(2, 3))) == ["beta", "gamma_1"]
        assert await _names(Author.filter(born__isnull=False)) == []
        assert len(await Author.filter(born__isnull=True)) == len(NAMES)
        assert len(await Author.filter(born=None)) == len(NAMES)


async def test_q_objects_and_exclude(url: str) -> None:
    async with opened(url):
        await _authors()
        either = Author.filter(orm.Q(name="alpha") | orm.Q(rating=5))
        assert await _names(either) == ["alpha", "delta"]
        assert await _names(Author.filter(~orm.Q(rating__gte=1))) == ["alpha"]
        assert await _names(Author.exclude(rating__gte=1)) == ["alpha"]
        both = Author.filter(orm.Q(rating__gte=1) & orm.Q(rating__lte=2), name__startswith="A")
        assert await _names(both) == ["Alpine"]


async def test_f_expressions_in_filters_and_updates(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada", rating=2)
        post = await Post.create(title="p", author=ada, views=2)
        assert await Post.filter(views=orm.F("views")).count() == 1
        assert await Post.filter(id=post.id).update(views=orm.F("views") + 3) == 1
        assert (await Post.get(id=post.id)).views == 5
        assert await Post.filter(views__gt=orm.F("author__rating")).count() == 1


async def test_ordering_slicing_first_last(url: str) -> None:
    async with opened(url):
        await _authors()
        ordered = [a.name for a in await Author.order_by("-rating")]
        assert ordered == list(reversed(NAMES))
        assert [a.name for a in await Author.order_by("rating")[1:3]] == NAMES[1:3]
        assert [a.name for a in await Author.order_by("rating")[4:]] == NAMES[4:]
        assert (await Author.order_by("rating")[2]).name == NAMES[2]
        with pytest.raises(IndexError):
            await Author.order_by("rating")[50]
        assert (await Author.order_by("rating").first()).name == NAMES[0]  # type: ignore[union-attr]
        assert (await Author.order_by("rating").last()).name == NAMES[-1]  # type: ignore[union-attr]
        assert [a.name for a in await Author.order_by("rating").limit(2).offset(1)] == NAMES[1:3]
        with pytest.raises(ValueError):
            Author.all()[-1]
        assert await Author.filter(name="none").first() is None


async def test_count_exists_values_distinct(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await Author.count() == len(NAMES)
        assert await Author.filter(rating__gt=100).exists() is False
        assert await Author.filter(rating=1).exists() is True
        rows = await Author.filter(rating__lt=2).order_by("rating").values("name", "rating")
        assert rows == [{"name": "alpha", "rating": 0}, {"name": "Alpine", "rating": 1}]
        pairs = await Author.filter(rating__lt=2).order_by("rating").values_list("name", "rating")
        assert pairs == [("alpha", 0), ("Alpine", 1)]
        flat = await Author.order_by("rating").values_list("name", flat=True)
        assert flat == NAMES
        await Author.filter(rating__gte=3).update(rating=3)
        assert sorted(await Author.values_list("rating", flat=True).distinct()) == [0, 1, 2, 3]
        assert await Author.all()[1:3].count() == 2


async def test_only_and_defer(url: str) -> None:
    async with opened(url):
        await _authors()
        light = await Author.only("name").order_by("rating").first()
        assert light is not None and light.name == "alpha" and light.id is not None
        with pytest.raises(AttributeError):
            _ = light.rating
        other = await Author.defer("name").order_by("rating").first()
        assert other is not None and other.rating == 0
        with pytest.raises(AttributeError):
            _ = other.name


async def test_annotate_and_aggregate(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada", rating=1)
        bob = await Author.create(name="Bob", rating=3)
        for index in range(3):
            await Post.create(title=f"a{index}", author=ada, views=index)
        await Post.create(title="b", author=bob, views=10)
        counts = await Author.annotate(n=orm.Count("posts")).order_by("name")
        assert [(a.name, a.n) for a in counts] == [("Ada", 3), ("Bob", 1)]  # type: ignore[attr-defined]
        rows = await Author.annotate(n=orm.Count("posts")).order_by("-n").values("name", "n")
        assert rows == [{"name": "Ada", "n": 3}, {"name": "Bob", "n": 1}]
        totals = await Post.aggregate(
            total=orm.Sum("views"), top=orm.Max("views"), n=orm.Count("*")
        )
        assert (int(totals["total"]), totals["top"], totals["n"]) == (13, 10, 4)
        assert await Author.aggregate(low=orm.Min("rating")) == {"low": 1}
        avg = (await Author.aggregate(mean=orm.Avg("rating")))["mean"]
        assert float(avg) == 2.0
        by_author = await Post.filter(author__name="Ada").aggregate(n=orm.Count("id"))
        assert by_author == {"n": 3}


async def test_update_and_delete_return_row_counts(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await Author.filter(rating__lt=3).update(rating=0) == 3
        assert await Author.filter(rating=0).update(rating=0) == 3  # matched, even unchanged
        assert await Author.filter(name__startswith="gamma").delete() == 2
        assert await Author.count() == len(NAMES) - 2


async def test_iterator_streams_in_chunks(url: str) -> None:
    async with opened(url):
        await Author.bulk_create([Author(name=f"s{i:03}", rating=i) for i in range(120)])
        seen = [a.name async for a in Author.order_by("rating").iterator(chunk_size=50)]
        assert seen == [f"s{i:03}" for i in range(120)]
        assert len([a async for a in Author.filter(rating__lt=10)]) == 10


async def test_raw_and_explain(url: str) -> None:
    async with opened(url):
        await _authors()
        from backends.conftest import native

        dialect = await _db_dialect()
        rows = await Author.raw(
            native(
                dialect, "SELECT id, name, rating FROM ormt_author WHERE rating > ? ORDER BY rating"
            ),
            [3],
        )
        assert [(a.name, a.rating) for a in rows] == [("gamma%2", 4), ("delta", 5)]
        plan = await Author.filter(rating=1).explain()
        assert isinstance(plan, str) and plan


async def _db_dialect() -> str:
    from ferrule.backends.defaults import default_database

    return str(default_database().dialect)


async def test_unknown_names_raise_field_error_with_a_suggestion(url: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match="did you mean 'rating'"):
            await Author.filter(ratin=1)
        with pytest.raises(FieldError, match="did you mean 'icontains'"):
            await Author.filter(name__icontain="x")
        with pytest.raises(FieldError):
            await Author.order_by("nope")
        with pytest.raises(FieldError):
            await Author.values("nope")
        with pytest.raises(FieldError):
            Author.annotate(name=orm.Count("posts"))
        with pytest.raises(FieldError):
            await Post.filter(author__nam="x")
        with pytest.raises(FieldError):
            await Post.filter(views=orm.F("nope"))


async def test_query_cache_serves_repeats_and_writes_through_ferrule_invalidate(url: str) -> None:
    async with opened(url) as db:
        orm.query_cache.clear()
        await Author.create(name="c1", rating=1)
        statements = []
        db.add_hook(before=statements.append)
        cached = Author.filter(rating=1).cached(ttl=60)
        first = await cached
        again = await cached
        assert [a.name for a in first] == [a.name for a in again] == ["c1"]
        assert first[0] is not again[0]  # fresh instances on every hit
        assert len(statements) == 1
        await Author.create(name="c2", rating=1)  # a write to the table: entries dropped
        statements.clear()
        assert sorted(a.name for a in await cached) == ["c1", "c2"]
        assert len(statements) == 1
        with pytest.raises(ValueError):
            Author.all().cached(ttl=0)


async def test_regex_lookups(url: str) -> None:
    async with opened(url):
        await _authors()
        assert await _names(Author.filter(name__regex="^gamma[_%][0-9]$")) == ["gamma%2", "gamma_1"]
        assert await _names(Author.filter(name__regex="^al")) == ["alpha"]
        assert await _names(Author.filter(name__iregex="^AL")) == ["Alpine", "alpha"]


async def test_select_for_update_skip_locked_and_nowait(url: str, dialect: str) -> None:
    if dialect == "sqlite":
        pytest.skip("SQLite locks the whole database on write: select_for_update is a no-op")
    import ferrule
    from ferrule.errors import OperationalError

    async with opened(url) as db:
        await _authors()
        other = await ferrule.connect(url)
        try:
            ids = sorted(await Author.values_list("id", flat=True))
            async with db.transaction():
                locked = await Author.filter(id__in=ids[:2]).select_for_update()
                assert len(locked) == 2
                async with other.transaction():
                    free = (
                        await Author.filter(id__in=ids[:4])
                        .select_for_update(skip_locked=True)
                        .using(other)
                    )
                    assert sorted(a.id for a in free) == ids[2:4]
                with pytest.raises(OperationalError):
                    async with other.transaction():
                        await Author.filter(id=ids[0]).select_for_update(nowait=True).using(other)
        finally:
            await other.close()


async def test_select_for_update_needs_a_transaction(url: str) -> None:
    """A lock taken outside a transaction ends with its statement: it would lock nothing, so
    reading rows ``select_for_update()`` outside one is an ``ORMError`` (as Django's
    TransactionManagementError), on every database and through every way of reading them."""
    from ferrule.errors import ORMError

    async with opened(url) as db:
        await _authors()
        locked = Author.filter(rating__gte=0).order_by("id").select_for_update()
        reads = {
            "await": lambda: locked,
            "first": lambda: locked.first(),
            "get": lambda: locked.filter(name="alpha").get(),
            "values": lambda: locked.values_list("name", flat=True),
            "iterator": lambda: _all(locked.iterator()),
            "cached": lambda: locked.cached(),
        }
        for name, read in reads.items():
            with pytest.raises(ORMError, match="select_for_update"):
                await read()
            async with orm.transaction():
                assert await read(), name
            async with db.transaction():
                assert await read(), name


async def _all(rows: Any) -> list[Any]:
    return [row async for row in rows]


async def test_validate_on_load_per_query(url: str, dialect: str) -> None:
    from backends.conftest import native
    from ferrule.errors import ValidationError

    async with opened(url) as db:
        await Author.create(name="ok")
        await db.execute(native(dialect, "UPDATE ormt_author SET rating = ?"), [-1])
        assert (await Author.get(name="ok")).rating == -1  # trusted as stored
        with pytest.raises(ValidationError, match="rating"):
            await Author.all().validate_on_load()
