"""Relations: select_related, prefetch_related, fetch_related, reverse accessors and
many-to-many links; reading what was not loaded raises and never queries."""

from __future__ import annotations

import gc

import pytest

from ferrule import orm
from ferrule.errors import FieldError, IntegrityError

from .conftest import opened
from .models import Author, Club, Membership, Post, Profile, Tag


async def _blog() -> tuple[Author, Author, list[Post], list[Tag]]:
    ada = await Author.create(name="Ada")
    bob = await Author.create(name="Bob")
    tags = [await Tag.create(label=label) for label in ("x", "y", "z")]
    posts = [
        await Post.create(title="p1", author=ada, editor=bob),
        await Post.create(title="p2", author=ada),
        await Post.create(title="p3", author=bob),
    ]
    await posts[0].tags.add(tags[0], tags[1])
    await posts[1].tags.add(tags[1])
    return ada, bob, posts, tags


class Counter:
    """Counts statements through the database hooks."""

    def __init__(self, db: object) -> None:
        self.count = 0
        db.add_hook(before=self)  # type: ignore[attr-defined]

    def __call__(self, event: object) -> None:
        self.count += 1


async def test_select_related_loads_in_one_query(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        counter = Counter(db)
        posts = await Post.select_related("author", "editor").order_by("title")
        assert counter.count == 1
        assert [(p.title, p.author.name) for p in posts] == [
            ("p1", "Ada"),
            ("p2", "Ada"),
            ("p3", "Bob"),
        ]
        assert [p.editor.name if p.editor else None for p in posts] == ["Bob", None, None]
        assert counter.count == 1  # reading them ran nothing


async def test_prefetch_related_forward_reverse_and_many_to_many(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        counter = Counter(db)
        authors = await Author.prefetch_related("posts", "posts__tags").order_by("name")
        assert counter.count == 4  # authors, their posts, the posts' links, the tags
        assert [sorted(p.title for p in a.posts) for a in authors] == [["p1", "p2"], ["p3"]]
        tags_by_post = {p.title: sorted(t.label for t in p.tags) for a in authors for p in a.posts}
        assert tags_by_post == {"p1": ["x", "y"], "p2": ["y"], "p3": []}
        before = counter.count
        tags = await Tag.prefetch_related("posts").order_by("label")
        assert [sorted(p.title for p in t.posts) for t in tags] == [["p1"], ["p1", "p2"], []]
        assert counter.count - before >= 2


async def test_not_loaded_relations_raise_and_run_no_query(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        post = await Post.get(title="p1")
        author = await Author.get(name="Ada")
        counter = Counter(db)
        with pytest.raises(orm.RelationNotLoadedError, match="select_related\\('author'\\)"):
            _ = post.author
        with pytest.raises(orm.RelationNotLoadedError, match="prefetch_related\\('posts'\\)"):
            list(author.posts)
        with pytest.raises(orm.RelationNotLoadedError):
            len(post.tags)
        with pytest.raises(orm.RelationNotLoadedError):
            _ = author.profile
        assert counter.count == 0
        await post.fetch_related("author", "tags")
        assert post.author.name == "Ada" and sorted(t.label for t in post.tags) == ["x", "y"]


async def test_explicit_related_queries(url: str) -> None:
    async with opened(url):
        ada, bob, posts, tags = await _blog()
        assert sorted(p.title for p in await ada.posts.all()) == ["p1", "p2"]
        assert [p.title for p in await ada.posts.filter(title="p2")] == ["p2"]
        made = await bob.posts.create(title="p4")
        assert made.author_id == bob.id
        assert sorted(t.label for t in await posts[0].tags.all()) == ["x", "y"]
        assert sorted(p.title for p in await tags[1].posts.all()) == ["p1", "p2"]
        assert sorted(a.name for a in await Author.filter(posts__tags__label="x")) == ["Ada"]


async def test_many_to_many_add_remove_clear_set(url: str) -> None:
    async with opened(url):
        _ada, _bob, posts, tags = await _blog()
        post = posts[2]
        await post.tags.add(tags[0], tags[0].id, tags[2])  # repeats and keys are fine
        assert sorted(t.label for t in await post.tags.all()) == ["x", "z"]
        await post.tags.add(tags[0])  # already linked: kept once
        assert await post.tags.all().count() == 2
        await post.tags.remove(tags[0])
        assert [t.label for t in await post.tags.all()] == ["z"]
        await post.tags.set([tags[1], tags[2]])
        assert sorted(t.label for t in await post.tags.all()) == ["y", "z"]
        await post.tags.clear()
        assert await post.tags.all().count() == 0
        with pytest.raises(ValueError):
            await post.tags.add(Tag(label="unsaved"))


async def test_reverse_one_to_one_and_on_delete_rules(url: str) -> None:
    async with opened(url):
        ada, bob, _posts, _tags = await _blog()
        await Profile.create(author=ada, bio="math")
        authors = await Author.prefetch_related("profile").order_by("name")
        # no row: Django's RelatedObjectDoesNotExist, an AttributeError (hasattr() is False)
        assert [a.profile.bio if hasattr(a, "profile") else None for a in authors] == [
            "math",
            None,
        ]
        with pytest.raises(IntegrityError):
            await Profile.create(author=ada, bio="twice")  # one-to-one is unique
        await bob.delete()  # cascades to p3; p1's editor is set to NULL
        assert sorted(await Post.values_list("title", flat=True)) == ["p1", "p2"]
        assert (await Post.get(title="p1")).editor_id is None


async def test_select_related_follows_a_reverse_one_to_one(url: str) -> None:
    """``Author.select_related("profile")`` (the reverse of a one-to-one: at most one row)
    joins it in the same query, as Django does, also after a post's author and next to a
    filter through it; an author without a profile raises Django's RelatedObjectDoesNotExist
    (an AttributeError: ``hasattr()`` is False). The not-loaded error's advice
    (``select_related('profile')``) is then one that works."""
    async with opened(url) as db:
        ada, bob, _, _ = await _blog()
        await Profile.create(author=ada, bio="hi")
        with pytest.raises(orm.RelationNotLoadedError, match="select_related\\('profile'\\)"):
            _ = (await Author.get(id=ada.id)).profile
        counter = Counter(db)
        authors = await Author.select_related("profile").order_by("name")
        assert [(a.name, a.profile.bio if hasattr(a, "profile") else None) for a in authors] == [
            ("Ada", "hi"),
            ("Bob", None),
        ]
        assert type(authors[0].profile) is Profile and authors[0].profile.author_id == ada.id
        posts = await Post.select_related("author__profile").order_by("title")
        bios = [getattr(p.author, "profile", None) for p in posts]
        assert [(p.author.name, b and b.bio) for p, b in zip(posts, bios, strict=True)] == [
            ("Ada", "hi"),
            ("Ada", "hi"),
            ("Bob", None),
        ]
        with_bio = await Author.filter(profile__bio="hi").select_related("profile")
        assert [(a.name, a.profile.bio) for a in with_bio] == [("Ada", "hi")]
        assert counter.count == 3
        assert await Author.select_related("profile").filter(id=bob.id).count() == 1


async def test_select_related_refuses_many_valued_relations(url: str) -> None:
    async with opened(url):
        with pytest.raises(FieldError, match="prefetch_related"):
            Author.select_related("posts")
        with pytest.raises(FieldError, match="did you mean 'author'"):
            Post.select_related("autor")
        with pytest.raises(FieldError):
            Post.prefetch_related("nothing")


async def test_an_explicit_through_model(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada")
        chess = await Club.create(name="chess")
        await chess.members.add(ada)
        await Membership.filter(club=chess).update(role="chair")
        assert [a.name for a in await chess.members.all()] == ["Ada"]
        clubs = await Author.prefetch_related("clubs").get(name="Ada")
        assert [c.name for c in clubs.clubs] == ["chess"]
        assert (await Membership.get(club=chess)).role == "chair"


async def test_assigning_the_key_or_the_instance_keeps_them_in_step(url: str) -> None:
    """post.author = bob sets author_id; post.author_id = x drops a loaded author that no
    longer matches (never puts the old key back)."""
    async with opened(url):
        ada = await Author.create(name="Ada")
        bob = await Author.create(name="Bob")
        post = await Post.create(title="t", author=ada)
        post.author = bob
        assert post.author_id == bob.id and post.author is bob
        post.author_id = ada.id
        assert post.author_id == ada.id
        with pytest.raises(orm.RelationNotLoadedError):
            _ = post.author
        post.title = "t2"  # another assignment re-runs the model's checks: nothing reverts
        assert post.author_id == ada.id
        await post.save()
        assert (await Post.get(id=post.id)).author_id == ada.id
        loaded = await Post.select_related("author").get(id=post.id)
        loaded.title = "t3"
        assert loaded.author.name == "Ada" and loaded.author_id == ada.id


async def test_exclude_across_a_many_valued_relation_keeps_rows_without_related(url: str) -> None:
    """exclude(posts__title="p1") keeps every author without such a post, those with no
    posts at all included (a NOT over a LEFT JOIN would drop them, and keep an author with
    p1 and another post)."""
    async with opened(url):
        await _blog()  # Ada: p1, p2; Bob: p3
        await Author.create(name="Cy")  # no posts
        assert await _names(Author.exclude(posts__title="p1")) == ["Bob", "Cy"]
        assert await _names(Author.filter(~orm.Q(posts__title="p3"))) == ["Ada", "Cy"]
        assert await Author.exclude(posts__title="p1").count() == 2
        assert await Author.exclude(posts__title="p1").delete() == 2
        assert await _names(Author.all()) == ["Ada"]


async def _names(qs: object) -> list[str]:
    return sorted(a.name for a in await qs)  # type: ignore[attr-defined]


async def test_ordering_and_values_across_a_relation(url: str) -> None:
    async with opened(url):
        ada = await Author.create(name="Ada")
        bob = await Author.create(name="Bob")
        await Post.create(title="b-post", author=bob)
        await Post.create(title="a-post", author=ada)
        assert [p.title for p in await Post.order_by("author__name")] == ["a-post", "b-post"]
        assert [p.title for p in await Post.order_by("-author__name")] == ["b-post", "a-post"]
        assert await Post.order_by("title").values("title", "author__name") == [
            {"title": "a-post", "author__name": "Ada"},
            {"title": "b-post", "author__name": "Bob"},
        ]


async def test_count_over_a_many_valued_filter_counts_each_row_once(url: str) -> None:
    async with opened(url):
        _ada, _bob, _posts, _tags = await _blog()  # p1 has tags x and y
        matching = Post.filter(tags__label__in=["x", "y"])
        assert len(await matching) == 2
        assert await matching.count() == 2
        assert await Author.filter(posts__title__in=["p1", "p2"]).count() == 1


async def test_instances_holding_related_objects_stay_in_the_cycle_collector(url: str) -> None:
    """The native core takes an instance of atoms out of the cyclic collector; one that then
    holds a related instance or a prefetched list must be tracked again, or the cycle
    post -> author -> posts -> post would never be freed."""
    async with opened(url):
        await _blog()
        posts = await Post.select_related("author").order_by("title")
        assert all(gc.is_tracked(p) for p in posts)
        authors = await Author.prefetch_related("posts").order_by("name")
        assert all(gc.is_tracked(a) for a in authors)  # they hold their prefetched lists
        post = authors[0].posts[0]  # holds atoms only: may be untracked
        post.author = authors[0]  # now post -> author -> posts -> post
        assert gc.is_tracked(post)
        post = await Post.get(title="p2")
        await post.fetch_related("tags")
        assert gc.is_tracked(post)
