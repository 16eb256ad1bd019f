"""What Django sets on the rows a relation loads, without a query: the rows of a reverse
foreign key or one-to-one (``prefetch_related("posts")``, ``select_related("profile")``) have
their own key's relation set to the instance they were loaded for (``ada.posts[0].author is
ada``), and the row of a forward one-to-one has its reverse accessor set
(``profile.author.profile is profile``). ferrule raised ``RelationNotLoadedError`` for them,
naming a query the answer needs none of. A forward foreign key's row gets nothing (its
reverse is a list of which one row is known), and a relation the queryset loaded itself is
kept.

Such rows make cycles (``ada.posts[0].author is ada``), as an assignment could before
(``post.author = author`` of a post in ``author.posts``): pickle, ``copy.deepcopy`` and
``model_copy(deep=True)`` of an instance in a cycle raised ``RecursionError``; they copy the
cycle now, as they do Django's instances (the relations travel as the instance's state,
set once the copy exists)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from ferrule import orm
from ferrule.errors import RelationNotLoadedError

from .conftest import opened
from .models import Author, Post, Profile


class Counter:
    def __init__(self, db: object) -> None:
        self.count = 0
        db.add_hook(before=self)  # type: ignore[attr-defined]

    def __call__(self, event: object) -> None:
        self.count += 1


async def test_reverse_rows_point_back_at_the_instance_they_were_loaded_for(url: str) -> None:
    async with opened(url) as db:
        ada = await Author.create(name="ada")
        bob = await Author.create(name="bob")
        for title, author in (("a", ada), ("b", ada), ("c", bob)):
            await Post.create(title=title, author=author, editor=bob)
        await Profile.create(author=ada, bio="hi")
        counter = Counter(db)
        authors = await Author.prefetch_related("posts", "profile").order_by("name")
        assert all(p.author is a for a in authors for p in a.posts)
        assert authors[0].profile.author is authors[0] and not hasattr(authors[1], "profile")
        joined = await Author.select_related("profile").order_by("name")
        assert joined[0].profile.author is joined[0]
        busy = orm.Prefetch("posts", queryset=Post.filter(title__lt="c"), to_attr="early")
        (got,) = await Author.prefetch_related(busy).filter(name="ada")
        assert [p.author for p in got.early] == [got, got]
        newest = orm.Prefetch("posts", queryset=Post.order_by("-title")[:1], to_attr="newest")
        (top,) = await Author.prefetch_related(newest).filter(name="ada")
        assert [(p.title, p.author is top) for p in top.newest] == [("b", True)]
        assert counter.count == 8
        with pytest.raises(RelationNotLoadedError):
            _ = got.early[0].editor  # another key of the row: not loaded
        # a relation the prefetch queryset loaded itself is kept
        own = orm.Prefetch("posts", queryset=Post.select_related("author"))
        (got,) = await Author.prefetch_related(own).filter(name="ada")
        assert all(p.author is not got and p.author == got for p in got.posts)


async def test_a_forward_one_to_one_row_points_back(url: str) -> None:
    async with opened(url) as db:
        ada = await Author.create(name="ada")
        await Profile.create(author=ada, bio="hi")
        counter = Counter(db)
        (joined,) = await Profile.select_related("author")
        assert joined.author.profile is joined
        (fetched,) = await Profile.prefetch_related("author")
        assert fetched.author.profile is fetched
        (post_less,) = await Author.select_related("profile__author")
        assert post_less.profile.author.profile is post_less.profile
        assert counter.count == 4  # the prefetch: profiles, then authors


COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),
    "deepcopy": copy.deepcopy,
    "model_copy_deep": lambda obj: obj.model_copy(deep=True),
}


@pytest.mark.parametrize("how", sorted(COPIES))
async def test_copies_of_instances_in_a_cycle_keep_the_cycle(url: str, how: str) -> None:
    async with opened(url):
        ada = await Author.create(name="ada")
        await Post.create(title="a", author=ada)
        await Post.create(title="b", author=ada, editor=ada)
        await Profile.create(author=ada, bio="hi")
        (got,) = await Author.prefetch_related("posts", "profile")
        clone = COPIES[how](got)
        assert clone is not got and clone == got
        assert [p.title for p in clone.posts] == ["a", "b"]
        assert all(p.author is clone for p in clone.posts)
        assert clone.profile.author is clone and clone.profile is not got.profile
        assert clone.posts[0] is not got.posts[0]
        # a cycle made by hand: a post of the list given its author
        (tagged,) = await Author.prefetch_related("edited")
        tagged.edited[0].editor = tagged
        again = COPIES[how](tagged)
        assert again.edited[0].editor is again and again.edited[0].editor_id == ada.id
        await again.edited[0].save()  # the key stayed in step with the relation
