"""``orm.Prefetch``: a lookup of ``prefetch_related()``/``fetch_related()`` with its own
QuerySet (filters in the batched query, its order in each parent's list) and ``to_attr``; one
query per relation level as for plain names, and every misuse a `FieldError` when the call
is made."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import FieldError
from ferrule.orm import prefetch as prefetch_module

from .conftest import opened
from .models import Author, Club, Post, Profile, Tag
from .test_query_cancellation import _cancel_each_step, _skip_in_flight, _trap

Prefetch = orm.Prefetch


class Statements:
    """The statements sent, through the database's hook."""

    def __init__(self, db: Any) -> None:
        self.sql: list[str] = []
        db.add_hook(before=lambda event: self.sql.append(event.sql))

    def since(self, start: int) -> int:
        return len(self.sql) - start


async def _blog() -> dict[str, Any]:
    """Ada: p1 (views 9, tags x y), p2 (3, y), p4 (7, z); Bob: p3 (6); Cy: none."""
    ada = await Author.create(name="Ada", rating=2)
    bob = await Author.create(name="Bob")
    cy = await Author.create(name="Cy", rating=1)
    tags = {label: await Tag.create(label=label) for label in ("x", "y", "z")}
    posts = {
        "p1": await Post.create(title="p1", author=ada, views=9, editor=bob),
        "p2": await Post.create(title="p2", author=ada, views=3),
        "p3": await Post.create(title="p3", author=bob, views=6),
        "p4": await Post.create(title="p4", author=ada, views=7, editor=cy),
    }
    await posts["p1"].tags.add(tags["x"], tags["y"])
    await posts["p2"].tags.add(tags["y"])
    await posts["p4"].tags.add(tags["z"])
    return {"ada": ada, "bob": bob, "cy": cy, "tags": tags, "posts": posts}


def _titles(posts: Any) -> list[str]:
    return [p.title for p in posts]


async def test_queryset_and_to_attr_on_a_reverse_key(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        sent = Statements(db)
        popular = Post.filter(views__gt=5).order_by("-views")
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=popular, to_attr="popular")
        ).order_by("name")
        assert sent.since(0) == 2
        assert [(a.name, _titles(a.popular)) for a in authors] == [
            ("Ada", ["p1", "p4"]),
            ("Bob", ["p3"]),
            ("Cy", []),
        ]
        assert all(type(a.popular) is list for a in authors)
        assert all(gc.is_tracked(a) for a in authors)  # they hold lists: cycles stay collectable
        with pytest.raises(orm.RelationNotLoadedError):
            list(authors[0].posts)  # to_attr: the accessor itself stays unloaded
        assert sent.since(0) == 2

        # without to_attr the filtered rows are the relation's own list, in their order
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.filter(views__gt=5).order_by("views"))
        ).order_by("name")
        assert [_titles(a.posts) for a in authors] == [["p4", "p1"], ["p3"], []]
        assert sent.since(0) == 4

        # the same lookup under two names, and the plain accessor beside them
        ada = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.filter(views__lt=5), to_attr="quiet"),
            Prefetch("posts", queryset=Post.order_by("-title"), to_attr="newest"),
            "posts",
        ).get(name="Ada")
        assert _titles(ada.quiet) == ["p2"]
        assert _titles(ada.newest) == ["p4", "p2", "p1"]
        assert sorted(_titles(ada.posts)) == ["p1", "p2", "p4"]
        assert sent.since(0) == 8


async def test_many_to_many_both_ways_and_one_to_one(url: str) -> None:
    async with opened(url) as db:
        made = await _blog()
        await Profile.create(author=made["ada"], bio="math")
        await Profile.create(author=made["bob"], bio="")
        sent = Statements(db)
        posts = await Post.prefetch_related(
            Prefetch("tags", queryset=Tag.exclude(label="x").order_by("-label"), to_attr="kept")
        ).order_by("title")
        assert sent.since(0) == 3  # posts, links, tags
        assert [[t.label for t in p.kept] for p in posts] == [["y"], ["y"], [], ["z"]]
        tags = await Tag.prefetch_related(
            Prefetch("posts", queryset=Post.filter(views__gte=5).order_by("-views"))
        ).order_by("label")
        assert [_titles(t.posts) for t in tags] == [["p1"], ["p1"], ["p4"]]
        assert sent.since(0) == 6
        authors = await Author.prefetch_related(
            Prefetch("profile", queryset=Profile.exclude(bio=""), to_attr="bio_page"),
        ).order_by("name")
        assert [a.bio_page.bio if a.bio_page else None for a in authors] == ["math", None, None]
        assert sent.since(0) == 8
        club = await Club.create(name="chess")
        await club.members.add(made["ada"], made["cy"])
        got = await Club.prefetch_related(
            Prefetch("members", queryset=Author.order_by("-name"))
        ).get()
        assert [a.name for a in got.members] == ["Cy", "Ada"]


async def test_a_forward_key_needs_to_attr(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        sent = Statements(db)
        posts = await Post.prefetch_related(
            Prefetch("editor", queryset=Author.filter(rating__gte=1), to_attr="rated_editor"),
        ).order_by("title")
        assert sent.since(0) == 2
        assert [p.rated_editor.name if p.rated_editor else None for p in posts] == [
            None,  # Bob's rating is 0
            None,
            None,
            "Cy",
        ]
        assert posts[0].editor_id is not None  # the key is untouched
        posts = await Post.prefetch_related(
            Prefetch("editor", queryset=Author.filter(rating__gte=1), to_attr="rated_editor"),
            "rated_editor__edited",  # through a single-valued to_attr
        ).order_by("title")
        assert sent.since(0) == 2 + 3
        assert _titles(posts[3].rated_editor.edited) == ["p4"]
        with pytest.raises(FieldError, match="to_attr"):
            Post.prefetch_related(Prefetch("author", queryset=Author.filter(rating=1)))


async def test_nested_lookups(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        sent = Statements(db)
        popular = Prefetch("posts", queryset=Post.filter(views__gt=5), to_attr="popular")
        authors = await Author.prefetch_related(popular, "popular__tags").order_by("name")
        assert sent.since(0) == 4  # authors, posts, links, tags
        seen = {p.title: sorted(t.label for t in p.tags) for a in authors for p in a.popular}
        assert seen == {"p1": ["x", "y"], "p3": [], "p4": ["z"]}

        # the filtered posts are the ones a plain "posts__tags" goes through
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.filter(views__gt=5)), "posts__tags"
        ).order_by("name")
        assert sent.since(0) == 8
        assert [sorted(_titles(a.posts)) for a in authors] == [["p1", "p4"], ["p3"], []]
        assert sorted(t.label for t in authors[0].posts[0].tags) in (["x", "y"], ["z"])

        # a Prefetch at the end of a path: the posts plain, their tags filtered
        authors = await Author.prefetch_related(
            Prefetch("posts__tags", queryset=Tag.filter(label__in=["y", "z"]), to_attr="yz"),
            "edited",
        ).order_by("name")
        assert sent.since(0) == 13
        yz = {p.title: [t.label for t in p.yz] for a in authors for p in a.posts}
        assert yz == {"p1": ["y"], "p2": ["y"], "p3": [], "p4": ["z"]}
        assert [sorted(_titles(a.edited)) for a in authors] == [[], ["p1"], ["p4"]]

        # through a forward key, and a queryset carrying its own select/prefetch_related
        posts = await Post.prefetch_related(
            "author",
            Prefetch(
                "author__posts",
                queryset=Post.select_related("editor").prefetch_related("tags").order_by("title"),
                to_attr="all_posts",
            ),
        ).filter(title="p3")
        # posts, authors, their posts (editors joined), links (none: no tags query)
        assert sent.since(0) == 13 + 4
        (p3,) = posts
        assert _titles(p3.author.all_posts) == ["p3"]
        assert [q.editor for q in p3.author.all_posts] == [None]
        assert [list(q.tags) for q in p3.author.all_posts] == [[]]


async def test_fetch_related_on_an_instance(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        ada = await Author.get(name="Ada")
        sent = Statements(db)
        await ada.fetch_related(
            Prefetch("posts", queryset=Post.order_by("-views").only("title"), to_attr="ranked"),
            "ranked__tags",
        )
        assert sent.since(0) == 3
        assert _titles(ada.ranked) == ["p1", "p4", "p2"]
        assert [sorted(t.label for t in p.tags) for p in ada.ranked] == [["x", "y"], ["z"], ["y"]]
        with pytest.raises(FieldError, match="did you mean 'posts'"):
            await ada.fetch_related(Prefetch("postz", queryset=Post.all()))


async def test_batches_keep_each_parents_order(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parents in several IN batches: each list in the queryset's order, each batch a query
    (a many-to-many's rows queried per batch of parents, so its order holds across them)."""
    async with opened(url) as db:
        await _blog()
        monkeypatch.setattr(prefetch_module, "_BATCH", 2)
        sent = Statements(db)
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.order_by("-views"), to_attr="ranked"),
            Prefetch("ranked__tags", queryset=Tag.order_by("-label")),
        ).order_by("name")
        assert sent.since(0) == 1 + 2 + 2 * 2  # authors, posts (2 batches), links+tags (2)
        assert [_titles(a.ranked) for a in authors] == [["p1", "p4", "p2"], ["p3"], []]
        tags = [[t.label for t in p.tags] for a in authors for p in a.ranked]
        assert tags == [["y", "x"], ["z"], ["y"], []]
        # plain names: a many-to-many list in link order, as before; loaded ones are reused
        start = len(sent.sql)
        posts = await Post.prefetch_related("tags", "tags").order_by("title")
        assert [[t.label for t in p.tags] for p in posts] == [["x", "y"], ["y"], [], ["z"]]
        assert sent.since(start) == 1 + 2 * 2
        await posts[0].fetch_related(Prefetch("tags"), "tags")
        assert sent.since(start) == 1 + 2 * 2


@pytest.mark.parametrize("how", ["loop", "in_flight"])
async def test_a_cancelled_prefetch_leaves_the_pool_usable(
    url: str, dialect: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled at each await point of the query, its prefetch queries and their batches
    (and, in flight, as each statement is on its way): the pool has its connection back, and
    the next run (and a fresh one) has the right lists."""
    _skip_in_flight(how, dialect)
    async with opened(url, min_size=1, max_size=1) as db:
        await _blog()
        monkeypatch.setattr(prefetch_module, "_BATCH", 2)
        trap = _trap(db, monkeypatch) if how == "in_flight" else None
        expected = [(["p1", "p4"], [["x", "y"], ["z"]]), (["p3"], [[]]), ([], [])]

        def query() -> Any:
            popular = Post.filter(views__gt=5).order_by("-views")
            return Author.prefetch_related(
                Prefetch("posts", queryset=popular, to_attr="popular"), "popular__tags"
            ).order_by("name")

        def lists(authors: list[Any]) -> list[Any]:
            return [
                (_titles(a.popular), [sorted(t.label for t in p.tags) for p in a.popular])
                for a in authors
            ]

        async def check(outcome: str, result: Any) -> None:
            if outcome == "ok":
                assert lists(result) == expected
            assert lists(await query()) == expected  # the pool works

        async def work() -> Any:
            return await query()

        outcomes = await _cancel_each_step(db, how, trap, work, check)
        # each of the five statements at least (SQLite runs them on the loop, at once)
        assert outcomes["cancelled"] >= (1 if dialect == "sqlite" else 5), outcomes


async def test_an_empty_queryset_sends_nothing(url: str) -> None:
    async with opened(url) as db:
        await _blog()
        sent = Statements(db)
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=Post.none(), to_attr="nothing")
        ).order_by("name")
        assert sent.since(0) == 1
        assert [a.nothing for a in authors] == [[], [], []]
        posts = await Post.prefetch_related(Prefetch("tags", Tag.none())).order_by("title")
        assert sent.since(0) == 2  # not even the links
        assert [list(p.tags) for p in posts] == [[], [], [], []]


class _Uninitialised(orm.Prefetch):
    def __init__(self) -> None:
        pass


class _Impostor:
    """Claims to be whatever isinstance() asks about."""

    @property
    def __class__(self) -> type:  # type: ignore[override]
        return orm.Prefetch


class _Lying(orm.Prefetch):
    @property  # type: ignore[override]
    def lookup(self) -> str:
        raise RuntimeError("never read")


async def test_misuse_is_a_field_error_when_the_call_is_made(url: str) -> None:
    async with opened(url) as db:
        sent = Statements(db)
        cases: list[tuple[Any, str]] = [
            (lambda: Author.prefetch_related(3), "relation names or orm.Prefetch objects"),
            (lambda: Author.prefetch_related(Prefetch("postz")), "did you mean 'posts'"),
            (lambda: Author.prefetch_related("posts__tagz"), "did you mean 'tags'"),
            (lambda: Author.prefetch_related("posts__"), "not a relation path"),
            (lambda: Author.prefetch_related(Prefetch("posts", Tag.all())), "Author.posts.*Post"),
            (lambda: Author.prefetch_related(Prefetch("posts", Tag.all())), "'Tag'"),
            (lambda: Prefetch("posts", Post.all()[0]), "indexed"),  # slices: test_prefetch_slices
            (lambda: Prefetch("posts", Post.values("title")), "values"),
            (lambda: Prefetch("posts", Post.all().union(Post.all())), "QuerySet"),
            (lambda: Prefetch("posts", [1, 2]), "QuerySet"),
            (lambda: Prefetch(b"posts"), "str"),
            (lambda: Prefetch("posts", to_attr=3), "str"),
            (lambda: Prefetch("posts", to_attr="a b"), "attribute name"),
            (lambda: Prefetch("posts", to_attr="_hidden"), "attribute name"),
            (lambda: Prefetch("posts", to_attr="a__b"), "attribute name"),
            (lambda: Author.prefetch_related(Prefetch("posts", to_attr="name")), "'name'"),
            (lambda: Author.prefetch_related(Prefetch("posts", to_attr="edited")), "'edited'"),
            (lambda: Author.prefetch_related(Prefetch("posts", to_attr="save")), "'save'"),
            (lambda: Post.prefetch_related(Prefetch("tags", to_attr="author_id")), "author_id"),
            (
                lambda: Author.prefetch_related(
                    Prefetch("posts", to_attr="p"), Prefetch("edited", to_attr="p")
                ),
                "each to_attr once",
            ),
            (
                lambda: Author.prefetch_related(Prefetch("posts", to_attr="p")).prefetch_related(
                    Prefetch("posts", Post.all(), to_attr="p")
                ),
                "each to_attr once",
            ),
            (
                lambda: Author.prefetch_related("posts", Prefetch("posts", Post.all())),
                "loads already",
            ),
            (
                lambda: Author.prefetch_related("posts__tags", Prefetch("posts", Post.all())),
                "loads already",
            ),
            (lambda: Author.prefetch_related("popular__tags"), "has no relation 'popular'"),
            (lambda: Author.prefetch_related(_Uninitialised()), "never initialised"),
            (lambda: Author.prefetch_related(_Impostor()), "not _Impostor"),
            (lambda: Prefetch(_Impostor()), "str, not _Impostor"),
            (lambda: Prefetch("posts", _Impostor()), "not _Impostor"),
        ]
        wrong = []
        for make, message in cases:
            try:
                make()
            except FieldError as error:
                if not re.search(message, str(error)):
                    wrong.append((message, str(error)))
            else:
                wrong.append((message, "no error"))
        assert wrong == []
        assert sent.since(0) == 0
        # a subclass's properties are not what the plan reads; the slots are
        lying = _Lying("posts", to_attr="p")
        Author.prefetch_related(lying)
        # what is fine: a plain name after a Prefetch of it, the same name twice
        Author.prefetch_related(Prefetch("posts", Post.all()), "posts", "posts__tags", "posts")
        assert Prefetch("posts") == Prefetch("posts") != Prefetch("posts", to_attr="p")
        assert repr(Prefetch("posts", to_attr="p")) == "Prefetch('posts', to_attr='p')"


async def test_an_annotated_queryset(url: str) -> None:
    async with opened(url):
        await _blog()
        counted = Post.annotate(n=orm.Count("tags")).order_by("-n", "title")
        authors = await Author.prefetch_related(
            Prefetch("posts", queryset=counted, to_attr="by_tags")
        ).order_by("name")
        got = [[(p.title, p.n) for p in a.by_tags] for a in authors]
        assert got == [[("p1", 2), ("p2", 1), ("p4", 1)], [("p3", 0)], []]
        busy = Post.annotate(n=orm.Count("tags")).filter(n__gte=1).order_by("title")
        authors = await Author.prefetch_related(Prefetch("posts", busy)).order_by("name")
        assert [_titles(a.posts) for a in authors] == [["p1", "p2", "p4"], [], []]


async def test_a_to_attr_never_overwrites_an_annotation(url: str) -> None:
    async with opened(url):
        await _blog()
        clash = Prefetch("posts", Post.all(), to_attr="n")
        for query in (
            Author.annotate(n=orm.Count("posts")).prefetch_related(clash),
            Author.prefetch_related(clash).annotate(n=orm.Count("posts")),
        ):
            with pytest.raises(FieldError, match="annotation 'n'"):
                await query
        ada = await Author.annotate(n=orm.Value(1)).get(name="Ada")
        with pytest.raises(FieldError, match="annotation 'n'"):
            await ada.fetch_related(clash)
        assert ada.n == 1
        # a to_attr loaded again is no clash
        await ada.fetch_related(Prefetch("posts", Post.filter(views=3), to_attr="m"))
        await ada.fetch_related(Prefetch("posts", Post.filter(views=9), to_attr="m"))
        assert _titles(ada.m) == ["p1"]


class _Sly(str):
    """A str whose own methods lie or raise."""

    def split(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("split")

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def isidentifier(self) -> bool:
        return True


async def test_str_subclasses_are_read_as_their_text(url: str) -> None:
    async with opened(url):
        await _blog()
        authors = await Author.prefetch_related(
            _Sly("posts"), Prefetch(_Sly("posts"), Post.filter(views=3), to_attr=_Sly("few"))
        ).order_by("name")
        assert [len(a.posts) for a in authors] == [3, 1, 0]
        assert [_titles(a.few) for a in authors] == [["p2"], [], []]
        with pytest.raises(FieldError, match="attribute name"):
            Prefetch("posts", to_attr=_Sly("a b"))
        with pytest.raises(FieldError, match="did you mean 'posts'"):
            Author.prefetch_related(_Sly("post"))
