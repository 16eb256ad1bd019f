"""``in_bulk(field_name=...)`` of a one-to-one relation (unique by definition), named as the
relation or as its key column: the rows keyed by the related key, as the query asks them."""

from __future__ import annotations

from .conftest import opened
from .models import Author, Profile


async def test_in_bulk_by_a_one_to_one_relation(url: str) -> None:
    async with opened(url):
        ann = await Author.create(name="ann")
        bo = await Author.create(name="bo")
        await Author.create(name="cy")
        mine = await Profile.create(author=ann, bio="a")
        theirs = await Profile.create(author=bo, bio="b")
        for name in ("author", "author_id"):
            found = await Profile.in_bulk([ann.id, bo.id, 10**6], field_name=name)
            assert {k: p.id for k, p in found.items()} == {ann.id: mine.id, bo.id: theirs.id}
        everyone = await Profile.in_bulk(field_name="author")
        assert sorted(everyone) == sorted([ann.id, bo.id])
