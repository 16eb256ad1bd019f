"""``all()`` of a loaded reverse or many-to-many manager ran a new query, where ``count()``
and ``len()`` answered from the loaded list: after a write elsewhere they disagreed. Django's
prefetched ``all()`` answers from its list (awaited, iterated, ``count()``, ``exists()``,
``contains()``, ``first()``/``last()`` as the query would on those rows); a method making
another query (``filter()``, ``order_by()``, ``values()``, ``get()``, ...) asks the database,
as Django's does."""

from __future__ import annotations

from ferrule import orm

from .conftest import opened
from .models import Author, Post, Tag


async def _posts() -> tuple[Author, list[Post]]:
    ann = await Author.create(name="ann")
    posts = [await Post.create(title=t, views=v, author=ann) for t, v in (("b", 2), ("a", 9))]
    return ann, posts


async def test_all_of_a_prefetched_reverse_manager_reads_its_list(url: str) -> None:
    async with opened(url):
        ann, (b, a) = await _posts()
        got = await Author.prefetch_related("posts").get(name="ann")
        late = await Post.create(title="c", author=ann)  # written past the manager
        rows = await got.posts.all()
        assert sorted(p.title for p in rows) == ["a", "b"]
        assert all(p.author is got for p in rows)  # the prefetched instances themselves
        assert sorted(p.title for p in await got.posts) == ["a", "b"]
        assert sorted([p.title async for p in got.posts.all()]) == ["a", "b"]
        assert sorted([p.title async for p in got.posts]) == ["a", "b"]
        assert await got.posts.all().count() == 2
        assert await got.posts.all().exists() is True
        assert await got.posts.all().contains(a) is True
        assert await got.posts.all().contains(late) is False
        first = await got.posts.first()
        assert first is not None and first.pk == b.pk  # the key's order, as the query's
        first = await got.posts.all().first()
        assert first is not None and first.pk == b.pk
        # a method making another query asks the database (Django's)
        assert sorted(p.title for p in await got.posts.filter(views__gte=0)) == ["a", "b", "c"]
        assert await got.posts.all().filter(title="c").count() == 1
        assert [p.title for p in await got.posts.all().order_by("title")] == ["a", "b", "c"]
        assert sorted(await got.posts.values_list("title", flat=True)) == ["a", "b", "c"]
        assert (await got.posts.get(title="c")).pk == late.pk
        # a filtered Prefetch: its rows, as count() and len() already said
        busy = orm.Prefetch("posts", queryset=Post.filter(views__gt=5))
        got = await Author.prefetch_related(busy).get(name="ann")
        assert [p.title for p in await got.posts.all()] == ["a"]
        assert (len(got.posts), await got.posts.count()) == (1, 1)
        first = await got.posts.first()
        assert first is not None and first.title == "a"
        # a list in its Prefetch's order: its ends, as Django's ordered first() reads them
        ranked = orm.Prefetch("posts", queryset=Post.order_by("-views"))
        got = await Author.prefetch_related(ranked).get(name="ann")
        first, last = await got.posts.first(), await got.posts.all().last()
        assert (first and first.title, last and last.title) == ("a", "c")
        got = await Author.prefetch_related("posts").get(name="ann")  # unordered again
        first, last = await got.posts.first(), await got.posts.last()
        assert (first and first.pk, last and last.pk) == (b.pk, late.pk)
        # not loaded: a query, as before
        fresh = await Author.get(name="ann")
        assert sorted(p.title for p in await fresh.posts.all()) == ["a", "b", "c"]


async def test_all_of_a_prefetched_many_to_many_manager_reads_its_list(url: str) -> None:
    async with opened(url):
        _, (b, _a) = await _posts()
        t1 = await Tag.create(label="t1")
        t2 = await Tag.create(label="t2")
        await b.tags.add(t1)
        got = await Post.prefetch_related("tags").get(pk=b.pk)
        await b.tags.add(t2)  # past the loaded manager
        assert [t.label for t in await got.tags.all()] == ["t1"]
        assert await got.tags.all().count() == 1
        assert [t.label async for t in got.tags.all()] == ["t1"]
        last = await got.tags.last()
        assert last is not None and last.label == "t1"
        assert sorted(t.label for t in await got.tags.filter(label__startswith="t")) == [
            "t1",
            "t2",
        ]


async def test_a_write_through_the_manager_drops_the_loaded_all(url: str) -> None:
    async with opened(url):
        _, (b, _a) = await _posts()
        t1 = await Tag.create(label="t1")
        got = await Post.prefetch_related("tags").get(pk=b.pk)
        before = got.tags.all()
        await got.tags.add(t1)
        assert [t.label for t in await got.tags.all()] == ["t1"]  # not loaded now: a query
        assert [t.label for t in await before] == []  # a QuerySet made before holds its rows
